"""Where a run sends its requests: the HighLevel account in the settings, or a sandbox.

The command line and the workbench both ask for a connection here, so a rehearsal against
the bundled sandbox and a real run differ only in this one value.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import SecretStr

from importer.api.address import DEFAULT_HOST, is_default_host
from importer.errors import ConfigurationError
from importer.settings import SETTINGS, address_advice, load_settings, setting_sources

if TYPE_CHECKING:
    from importer.api.client import HighLevelClient

__all__ = ["SAMPLE_SEED", "Connection", "connect"]

# The package's copy of samples/sandbox-invoices.json (held identical by a test), so that an
# installed importer has it too.
SAMPLE_SEED = Path(__file__).resolve().parent / "sandbox" / "sandbox-invoices.json"
# A rehearsal's journal lives as long as its sandbox, unless one is asked for: a restarted
# sandbox holds none of the payments, so nothing of it may count as already recorded.
IN_MEMORY = ":memory:"


@dataclass(frozen=True)
class Connection:
    """An API address, the token and location to use there, and whether it is a sandbox."""

    api_url: str
    token: SecretStr
    location_id: str
    alt_type: str
    sandbox: bool = False
    # Where each setting came from, by name ("the file /home/ana/.env"); none for a sandbox.
    sources: Mapping[str, str] = field(default_factory=dict)

    def notes(self) -> list[str]:
        """What to say before anything is sent: where the token goes, and, when the settings
        come from both a .env file and the environment, which came from where."""
        if self.sandbox:
            return []
        source = self.sources.get("api_url", "the default")
        where = "HighLevel's, the default" if source == "the default" else f"from {source}"
        notes = [f"API: {self.api_url}, {where}; location {self.location_id}."]
        found = {name: self.sources.get(name, "the default") for name in SETTINGS}
        from_file = any(where.startswith("the file ") for where in found.values())
        from_environment = any(where.startswith("the environment ") for where in found.values())
        if from_file and from_environment:
            notes.append(
                "Settings: "
                + "; ".join(
                    f"{SETTINGS[name]} from {where}"
                    for name, where in found.items()
                    if where != "the default"
                )
                + "."
            )
        return notes

    def warnings(self) -> list[str]:
        """What the user must look at: an API address other than HighLevel's own."""
        if self.sandbox or is_default_host(self.api_url):
            return []
        source = self.sources.get("api_url", "the default")
        return [
            f"{self.api_url} is not HighLevel's own API ({DEFAULT_HOST}), and your token is "
            f"sent there with every request. {address_advice(source)}"
        ]

    def client(self, **options: Any) -> HighLevelClient:
        """An API client for this connection; ``options`` go to ``HighLevelClient``."""
        from importer.api.client import HighLevelClient

        return HighLevelClient(
            base_url=self.api_url,
            token=self.token,
            location_id=self.location_id,
            alt_type=self.alt_type,
            **options,
        )

    def journal_path(self, given: Path | None, default: Path) -> Path | str:
        """The journal for runs on this connection: the one given, else a rehearsal's own
        in memory, else ``default``."""
        if given is not None:
            return given
        return IN_MEMORY if self.sandbox else default


@contextmanager
def connect(
    *,
    sandbox: bool = False,
    sandbox_seed: Path | None = None,
    api_url: str | None = None,
    location_id: str | None = None,
    alt_type: str | None = None,
    env_file: Path | None = Path(".env"),
) -> Iterator[Connection]:
    """The connection for one command: a sandbox started for it (stopped when the block
    ends), or the account the settings name. ConfigurationError when neither can be had."""
    if not sandbox:
        flags = {"api_url": api_url, "location_id": location_id, "alt_type": alt_type}
        settings = load_settings(env_file=env_file, **flags)
        token, location = settings.require_credentials()
        sources = setting_sources(flags=flags, env_file=env_file)
        yield Connection(settings.api_url, token, location, settings.alt_type, sources=sources)
        return
    from importer.sandbox import running_sandbox

    seed = sandbox_seed or SAMPLE_SEED
    if not seed.is_file():
        raise ConfigurationError(f"{seed}: no such sandbox seed file.")
    with ExitStack() as stack:
        try:
            running = stack.enter_context(running_sandbox(seed))
        except (ValueError, OSError) as error:
            raise ConfigurationError(seed_problem(seed, error)) from None
        yield Connection(
            running.url, SecretStr(running.token), running.location_id, alt_type or "location",
            sandbox=True,
        )  # fmt: skip


def seed_problem(seed: Path, error: Exception) -> str:
    """A seed the sandbox cannot serve, named once: some of the sandbox's messages name it."""
    message = str(error)
    return message if str(seed) in message else f"{seed}: {message}"
