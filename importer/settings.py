"""Where the importer finds its token, location and API address.

Read from the environment or a ``.env`` file in the working directory; command-line flags
override both. The token is a ``SecretStr`` so it never shows in a repr, a log or an error.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import SecretStr, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from importer.errors import ConfigurationError

DEFAULT_API_URL = "https://services.leadconnectorhq.com"


class Settings(BaseSettings):
    """Connection settings: ``HIGHLEVEL_TOKEN``, ``HIGHLEVEL_LOCATION_ID`` and friends."""

    model_config = SettingsConfigDict(
        env_prefix="HIGHLEVEL_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    token: SecretStr | None = None
    location_id: str | None = None
    api_url: str = DEFAULT_API_URL
    # The spec lists only "location"; the Leadway docs show "account" for the same calls.
    alt_type: str = "location"

    def require_credentials(self) -> tuple[SecretStr, str]:
        """The token and location, or a ConfigurationError saying what to set."""
        if self.token is None or not self.token.get_secret_value().strip():
            raise ConfigurationError(
                "No API token: set HIGHLEVEL_TOKEN in a .env file in this folder or in the "
                "environment (or run with --sandbox to rehearse without one)."
            )
        if not self.location_id or not self.location_id.strip():
            raise ConfigurationError(
                "No location: set HIGHLEVEL_LOCATION_ID in a .env file in this folder or in "
                "the environment (or run with --sandbox to rehearse without one)."
            )
        return self.token, self.location_id.strip()


def load_settings(*, env_file: Path | None = Path(".env"), **overrides: Any) -> Settings:
    """Settings from the environment and ``env_file``, with non-None ``overrides`` on top."""
    given = {name: value for name, value in overrides.items() if value is not None}
    try:
        return Settings(_env_file=env_file, **given)
    except ValidationError as error:
        fields = ", ".join(
            "HIGHLEVEL_" + str(problem["loc"][0]).upper() for problem in error.errors()
        )
        raise ConfigurationError(f"These settings are not valid: {fields}.") from None
