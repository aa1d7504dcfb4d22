"""Where the importer finds its token, location and API address, and where each came from.

Read from the environment or a ``.env`` file in the working directory; command-line flags
override both. The token is a ``SecretStr`` so it never shows in a repr, a log or an error.
An API address the token may not go to (plain http to another computer) is refused here.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from dotenv import dotenv_values
from pydantic import SecretStr, ValidationError, field_validator
from pydantic_core import PydanticCustomError
from pydantic_settings import BaseSettings, SettingsConfigDict

from importer.api.address import DEFAULT_API_URL, check_api_address
from importer.errors import ConfigurationError

__all__ = [
    "DEFAULT_API_URL",
    "SETTINGS",
    "Settings",
    "address_advice",
    "load_settings",
    "setting_sources",
    "where_from",
]

# Each setting, by the words a person reads it in.
SETTINGS = {
    "token": "the token",
    "location_id": "the location",
    "api_url": "the API address",
    "alt_type": "the altType",
}
# Tokens are plain printable ASCII without spaces; anything else came with a copy and paste.
_TOKEN_TEXT = re.compile(r"[\x21-\x7e]*")
# The error type whose message is written for the user (the others only name the setting).
_EXPLAINED = "setting_explained"


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

    @field_validator("token")
    @classmethod
    def _plain_token(cls, token: SecretStr | None) -> SecretStr | None:
        """The token without the spaces or line end pasted around it; refused if it holds
        what no token holds (sent in a header, it would fail as a network error)."""
        if token is None:
            return None
        text = token.get_secret_value().strip()
        if not _TOKEN_TEXT.fullmatch(text):
            raise PydanticCustomError(
                _EXPLAINED,
                "HIGHLEVEL_TOKEN holds a space or a character that is not plain ASCII, so it "
                "cannot be the token (something may have been pasted with it): copy the token "
                "again from HighLevel and paste it as plain text.",
            )
        return SecretStr(text)

    @field_validator("api_url")
    @classmethod
    def _token_may_go_there(cls, api_url: str) -> str:
        """Refused unless https, or http to this computer: the token is sent there."""
        try:
            return check_api_address(api_url)
        except ConfigurationError as error:
            raise PydanticCustomError(_EXPLAINED, str(error)) from None

    @field_validator("location_id")
    @classmethod
    def _no_surrounding_spaces(cls, location_id: str | None) -> str | None:
        return None if location_id is None else location_id.strip()

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
    except UnicodeDecodeError:
        raise ConfigurationError(
            f"The settings file {env_file} is not saved as UTF-8: open it in Notepad, choose "
            "File > Save As, set Encoding to UTF-8, and save it."
        ) from None
    except OSError as error:
        raise ConfigurationError(
            f"The settings file {env_file} cannot be read ({error.strerror or error})."
        ) from None
    except ValidationError as error:
        explained = [
            problem["msg"] + _set_by(str(problem["loc"][0]), given, env_file)
            if problem["loc"] == ("api_url",)
            else problem["msg"]
            for problem in error.errors()
            if problem["type"] == _EXPLAINED
        ]
        if explained:
            raise ConfigurationError(" ".join(explained)) from None
        fields = ", ".join(
            "HIGHLEVEL_" + str(problem["loc"][0]).upper() for problem in error.errors()
        )
        raise ConfigurationError(f"These settings are not valid: {fields}.") from None


def _set_by(name: str, flags: Mapping[str, Any], env_file: Path | None) -> str:
    """ " It is set by ...": where a refused API address came from, so it can be found (a
    .env file planted in the working folder, say)."""
    source = where_from(name, flags=flags, env_file=env_file)
    return "" if source == "the default" else f" It is set by {source}."


def where_from(name: str, *, flags: Mapping[str, Any], env_file: Path | None) -> str:
    """Where a setting's value comes from, in the words the user set it with.

    Found as the settings find it: a flag over the environment (whose names are read in any
    case) over the file, which is read as the settings read it (a BOM, "export NAME=",
    spaces around "=", any case).
    """
    if flags.get(name) is not None:
        return "the command line"
    variable = f"HIGHLEVEL_{name.upper()}"
    if any(key.upper() == variable for key in os.environ):
        return f"the environment ({variable})"
    if env_file is not None and env_file.is_file():
        try:
            found = dotenv_values(env_file, encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            found = {}
        if any(key.upper() == variable and value is not None for key, value in found.items()):
            return f"the file {env_file.resolve()}"
    return "the default"


def setting_sources(
    *, flags: Mapping[str, Any], env_file: Path | None = Path(".env")
) -> dict[str, str]:
    """Where each setting comes from (see ``where_from``), by its name."""
    return {name: where_from(name, flags=flags, env_file=env_file) for name in SETTINGS}


def address_advice(source: str) -> str:
    """What to do about an API address that is not HighLevel's, given where it is set."""
    if source == "the command line":
        return "Leave out --api-url unless you meant it (a sandbox, your company's proxy)."
    return (
        "Unless you chose it (a sandbox, your company's proxy), remove HIGHLEVEL_API_URL from "
        f"{source.removesuffix(' (HIGHLEVEL_API_URL)')}."
    )
