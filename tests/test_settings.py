"""Settings come from the environment, a .env file and flags, and never show the token."""

from __future__ import annotations

from pathlib import Path

import pytest

from importer.errors import ConfigurationError
from importer.settings import DEFAULT_API_URL, load_settings


def test_dotenv_file_is_read_and_flags_override(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A .env file provides the settings; a flag given on the command line wins."""
    for name in ("TOKEN", "LOCATION_ID", "API_URL", "ALT_TYPE"):
        monkeypatch.delenv(f"HIGHLEVEL_{name}", raising=False)
    env = tmp_path / ".env"
    env.write_text(
        "HIGHLEVEL_TOKEN=pit-abc\nHIGHLEVEL_LOCATION_ID=loc1\nHIGHLEVEL_ALT_TYPE=account\n"
    )
    settings = load_settings(env_file=env, location_id="loc2")
    token, location = settings.require_credentials()
    assert token.get_secret_value() == "pit-abc"
    assert location == "loc2"
    assert settings.alt_type == "account"
    assert settings.api_url == DEFAULT_API_URL
    assert "pit-abc" not in repr(settings)
    assert "pit-abc" not in str(settings)


@pytest.mark.parametrize(
    ("contents", "missing"),
    [
        ("HIGHLEVEL_LOCATION_ID=loc1\n", "HIGHLEVEL_TOKEN"),
        ("HIGHLEVEL_TOKEN=pit-x\n", "HIGHLEVEL_LOCATION_ID"),
    ],
)
def test_missing_token_or_location_is_one_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, contents: str, missing: str
) -> None:
    """A missing token or location names the setting to add."""
    for name in ("TOKEN", "LOCATION_ID"):
        monkeypatch.delenv(f"HIGHLEVEL_{name}", raising=False)
    env = tmp_path / ".env"
    env.write_text(contents)
    with pytest.raises(ConfigurationError, match=missing):
        load_settings(env_file=env).require_credentials()
