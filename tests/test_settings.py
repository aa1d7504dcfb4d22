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


UNREADABLE_ENV = (
    "The settings file {} is not saved as UTF-8: open it in Notepad, choose File > Save As, "
    "set Encoding to UTF-8, and save it."
)
NOT_A_TOKEN = (
    "HIGHLEVEL_TOKEN holds a space or a character that is not plain ASCII, so it cannot be the "
    "token (something may have been pasted with it): copy the token again from HighLevel and "
    "paste it as plain text."
)


@pytest.mark.parametrize(
    "contents",
    [
        "HIGHLEVEL_TOKEN=pit-é\n".encode("cp1252"),  # Notepad's "ANSI"
        "HIGHLEVEL_TOKEN=pit-x\n".encode("utf-16"),  # Notepad's "Unicode"
    ],
)
def test_a_dotenv_file_not_in_utf8_is_one_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, contents: bytes
) -> None:
    """A .env saved as cp1252 or UTF-16 says how to save it as UTF-8."""
    monkeypatch.delenv("HIGHLEVEL_TOKEN", raising=False)
    env = tmp_path / ".env"
    env.write_bytes(contents)
    with pytest.raises(ConfigurationError) as raised:
        load_settings(env_file=env)
    assert str(raised.value) == UNREADABLE_ENV.format(env)


def test_spaces_around_the_token_and_location_are_dropped(monkeypatch: pytest.MonkeyPatch) -> None:
    """A token and location pasted with spaces, a tab or a non-breaking space are used without."""
    monkeypatch.setenv("HIGHLEVEL_TOKEN", " pit-abc\u00a0\t")
    monkeypatch.setenv("HIGHLEVEL_LOCATION_ID", " loc1 ")
    token, location = load_settings(env_file=None).require_credentials()
    assert (token.get_secret_value(), location) == ("pit-abc", "loc1")


@pytest.mark.parametrize("token", ["pit-ab\u00a0cd", "pit-ab cd", "pit-\u00e9cd", "pit-ab\x07"])
def test_a_token_with_what_no_token_holds_is_refused_without_showing_it(
    monkeypatch: pytest.MonkeyPatch, token: str
) -> None:
    """A space inside, a non-ASCII or a control character: one message, without the token."""
    monkeypatch.setenv("HIGHLEVEL_TOKEN", token)
    with pytest.raises(ConfigurationError) as raised:
        load_settings(env_file=None)
    assert str(raised.value) == NOT_A_TOKEN
