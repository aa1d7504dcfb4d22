"""Where a run sends its requests: the HighLevel account in the settings, or a sandbox.

The command line and the workbench both ask for a connection here, so a rehearsal against
the bundled sandbox and a real run differ only in this one value.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import SecretStr

from importer.errors import ConfigurationError
from importer.settings import load_settings

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
        settings = load_settings(
            env_file=env_file, api_url=api_url, location_id=location_id, alt_type=alt_type
        )
        token, location = settings.require_credentials()
        yield Connection(settings.api_url, token, location, settings.alt_type)
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
