"""``importer ui``: the workbench in the browser, served to this computer only."""

from __future__ import annotations

from pathlib import Path

import click

from importer.cli.options import journal_option, sandbox_options, today


@click.command(
    epilog="\b\nExit codes:\n  0  stopped with Ctrl-C (payments in flight were finished)\n"
    "  2  could not start (settings, the port taken, the sandbox seed)"
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=0,
    help="The port on 127.0.0.1 to serve on (default: a free one).",
)
@sandbox_options("Rehearse in the page against the bundled sandbox API.")
@click.option("--no-browser", is_flag=True, help="Print the address; do not open a browser.")
@journal_option("The journal of sent payments (default: IMPORTER_JOURNAL or your data folder).")
def ui(
    port: int, sandbox: bool, sandbox_seed: Path | None, no_browser: bool, journal_path: Path | None
) -> None:
    """Open the workbench: the whole import in a browser page, on this computer only.

    It prints an address holding a one-time key and opens it in your browser; the page
    reads the file, shows its rows and problems, checks them against HighLevel, records them
    and gives the results file. The same journal as `importer run`: a file recorded in the
    page is skipped by the command line, and the other way round. Ctrl-C stops it, after the
    payments in flight are finished.

    \b
    Example:
      importer ui
      importer ui --sandbox
    """
    import webbrowser

    from importer.cli.render import connected
    from importer.errors import ConfigurationError
    from importer.ui import Address, serve, workbench_for

    day = today()

    def listening(address: Address) -> None:
        click.echo(f"The workbench is at {address.with_key}")
        click.echo("Keep that address to yourself: it holds the key to this page. Ctrl-C stops.")
        if not no_browser:
            webbrowser.open(address.with_key)

    def stopping() -> None:
        click.echo("Stopping: no new payments are sent; finishing those in flight.", err=True)

    with (
        connected(sandbox=sandbox, sandbox_seed=sandbox_seed) as connection,
        workbench_for(connection, journal=journal_path, today=lambda: day) as workbench,
    ):
        try:
            serve(workbench, port=port, on_listening=listening, on_stopping=stopping)
        except OSError as error:
            raise ConfigurationError(
                f"Cannot serve on 127.0.0.1 port {port} ({error.strerror}): choose another "
                "with --port, or leave it out."
            ) from None
    click.echo("The workbench has stopped.")
