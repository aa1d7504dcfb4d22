"""The command line: a thin door over the library; click lives only here."""

from importer.cli.commands import SAMPLE_SEED, cli, main

__all__ = ["SAMPLE_SEED", "cli", "main"]
