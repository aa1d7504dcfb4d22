"""Is this machine ready to import? Each check gives a plain verdict and, when it fails, the fix.

Nothing here records a payment: the write check sends a deliberately incomplete payment to
an invoice id that cannot exist, so the API can only refuse it, and the way it refuses tells
whether the token may write.
"""

from __future__ import annotations

import os
import platform
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import httpx
from dotenv import dotenv_values

from importer.api.client import HighLevelClient, api_message
from importer.errors import ImporterError
from importer.journal.journal import Journal
from importer.settings import Settings, load_settings
from importer.words import plural

# 24 zeros: the shape of an invoice id, but no invoice has it.
NO_SUCH_INVOICE = "0" * 24
PACKAGES = ("importer", "httpx", "python-calamine", "openpyxl", "pydantic", "click")


@dataclass(frozen=True)
class Check:
    """One check's outcome: ``ok`` None means a warning that does not block an import."""

    name: str
    ok: bool | None
    verdict: str
    fix: str = ""

    def line(self) -> str:
        """The check as one printed line."""
        word = {True: "OK  ", False: "FAIL", None: "WARN"}[self.ok]
        return f"{word} {self.name}: {self.verdict}" + (f" {self.fix}" if self.fix else "")


def where_from(name: str, *, flags: dict[str, str | None], env_file: Path) -> str:
    """Where a setting's value comes from, in the words the user set it with."""
    if flags.get(name) is not None:
        return "the command line"
    variable = f"HIGHLEVEL_{name.upper()}"
    if os.environ.get(variable):
        return f"the environment ({variable})"
    # Read as the settings read it (a BOM, "export NAME=", spaces around "=", any case), so
    # the source named is the one that was used.
    if env_file.is_file() and any(
        key.upper() == variable and value
        for key, value in dotenv_values(env_file, encoding="utf-8").items()
    ):
        return f"the file {env_file.resolve()}"
    return "the default"


def settings_checks(
    settings: Settings, *, flags: dict[str, str | None], env_file: Path
) -> list[Check]:
    """Are the token and location set, and where from."""
    checks = []
    if settings.token is None or not settings.token.get_secret_value().strip():
        checks.append(
            Check(
                "token",
                False,
                "no API token is set.",
                "Add HIGHLEVEL_TOKEN=pit-... to a .env file in this folder.",
            )
        )
    else:
        source = where_from("token", flags=flags, env_file=env_file)
        checks.append(Check("token", True, f"set, from {source} (not shown)."))
    if not settings.location_id:
        checks.append(
            Check(
                "location",
                False,
                "no location id is set.",
                "Add HIGHLEVEL_LOCATION_ID=... to a .env file in this folder; it is in the "
                "sub-account's Settings > Business Profile.",
            )
        )
    else:
        source = where_from("location_id", flags=flags, env_file=env_file)
        checks.append(Check("location", True, f"{settings.location_id}, from {source}."))
    source = where_from("api_url", flags=flags, env_file=env_file)
    checks.append(Check("API address", True, f"{settings.api_url}, from {source}."))
    return checks


async def api_checks(client: HighLevelClient) -> list[Check]:
    """Token, location, read and write scopes and the rate budget, without recording anything."""
    alt = {"altId": client.location_id, "altType": client.alt_type}
    try:
        listed = await client.probe(
            "GET", "/invoices/", params={**alt, "limit": "1", "offset": "0"}
        )
    except httpx.HTTPError as error:
        return [
            Check(
                "API reachable",
                False,
                f"no answer from {client.base_url} ({type(error).__name__}).",
                "Check the internet connection and HIGHLEVEL_API_URL.",
            )
        ]
    checks = [Check("API reachable", True, f"{client.base_url} answers.")]
    if listed.status_code == 401:
        return [
            *checks,
            Check(
                "token accepted",
                False,
                f"the API refused the token ({api_message(listed)}).",
                "Create a Private Integration Token in the sub-account and put it in "
                "HIGHLEVEL_TOKEN.",
            ),
        ]
    checks.append(Check("token accepted", True, "the API accepts the token."))
    if listed.status_code in (400, 403, 422):
        return [
            *checks,
            Check(
                "location reachable",
                False,
                f"the token cannot read invoices of location {client.location_id} "
                f"({listed.status_code}: {api_message(listed)}).",
                "Check HIGHLEVEL_LOCATION_ID, and that the token belongs to that sub-account "
                "and has the invoices.readonly scope.",
            ),
        ]
    if listed.status_code != 200:
        return [
            *checks,
            Check(
                "location reachable",
                False,
                f"the API answered {listed.status_code} ({api_message(listed)}).",
                "Try again in a few minutes.",
            ),
        ]
    try:
        page = listed.json()
    except ValueError:
        page = None
    if not isinstance(page, dict):
        # A web page or another service at that address: its 200 says nothing of the token.
        return [
            *checks[:-1],
            Check(
                "location reachable",
                False,
                f"{client.base_url} does not answer like the HighLevel API.",
                "Check HIGHLEVEL_API_URL.",
            ),
        ]
    total = page.get("total", "?")
    checks.append(
        Check(
            "location reachable",
            True,
            f"{client.location_id} holds {plural(total, 'invoice')}.",
        )
    )
    checks.append(Check("read scope", True, "invoices.readonly is granted."))
    checks.append(await _write_check(client))
    checks.append(await _transactions_check(client, alt))
    checks.append(_budget_check(listed))
    return checks


async def _write_check(client: HighLevelClient) -> Check:
    # Incomplete on purpose (no mode, no amount) and aimed at an invoice that cannot exist.
    try:
        answer = await client.probe(
            "POST",
            f"/invoices/{NO_SUCH_INVOICE}/record-payment",
            body={"altId": client.location_id, "altType": client.alt_type},
        )
    except httpx.HTTPError as error:
        return _no_answer("write scope", error)
    if answer.status_code in (401, 403):
        return Check(
            "write scope",
            False,
            f"the token may not record payments ({api_message(answer)}).",
            "Give the token the invoices.write scope.",
        )
    if answer.status_code in (400, 404, 422):
        return Check("write scope", True, "invoices.write is granted (probed, nothing recorded).")
    return Check(
        "write scope",
        None,
        f"could not tell: the probe got {answer.status_code}.",
        "Run doctor again later.",
    )


async def _transactions_check(client: HighLevelClient, alt: dict[str, str]) -> Check:
    try:
        answer = await client.probe(
            "GET", "/payments/transactions", params={**alt, "limit": "1", "offset": "0"}
        )
    except httpx.HTTPError as error:
        return _no_answer("transactions scope", error)
    if answer.status_code == 200:
        return Check("transactions scope", True, "payments/transactions.readonly is granted.")
    return Check(
        "transactions scope",
        None,
        f"the token may not read transactions ({answer.status_code}).",
        "Give it payments/transactions.readonly so that uncertain payments can be verified.",
    )


def _no_answer(name: str, error: httpx.HTTPError) -> Check:
    """A probe whose answer was lost: the API answered the first request, so likely a blip."""
    return Check(
        name,
        None,
        f"could not tell: the probe got no answer ({type(error).__name__}).",
        "Run doctor again in a moment.",
    )


def _budget_check(answer: httpx.Response) -> Check:
    headers = answer.headers
    maximum = headers.get("X-RateLimit-Max")
    interval = headers.get("X-RateLimit-Interval-Milliseconds")
    daily = headers.get("X-RateLimit-Daily-Remaining")
    if not (maximum and interval):
        return Check("rate budget", None, "the API did not announce its rate limit.")
    try:
        verdict = f"{maximum} requests per {int(interval) / 1000:g} s"
    except ValueError:
        verdict = f"{maximum} requests per {interval} ms"
    if daily is not None:
        verdict += f"; {daily} left today"
    if daily == "0":
        return Check("rate budget", False, verdict + ".", "Run again tomorrow.")
    return Check("rate budget", True, verdict + ".")


def journal_check(path: Path) -> Check:
    """Where the journal of sent payments is, and whether it is sound."""
    if not path.exists():
        folder = next((p for p in path.parents if p.exists()), None)
        if folder is None or not os.access(folder, os.W_OK):
            return Check(
                "journal",
                False,
                f"{path} cannot be created here.",
                "Choose a writable place with --journal PATH or IMPORTER_JOURNAL.",
            )
        return Check("journal", True, f"{path}: none yet; the first import creates it.")
    try:
        with Journal.open(path) as journal:
            health = journal.health()
    except ImporterError as error:
        return Check("journal", False, str(error), "Restore it from a backup before importing.")
    if not health.sound:
        return Check(
            "journal",
            False,
            f"{path} is damaged ({health.check}).",
            "Restore it from a backup before importing: it is what prevents double payments.",
        )
    verdict = f"{path}: sound, {plural(health.runs, 'run')}, {plural(health.payments, 'payment')}."
    if health.in_doubt:
        held = (
            "1 payment was in flight when a run stopped; the next run of its file checks it"
            if health.in_doubt == 1
            else f"{health.in_doubt} payments were in flight when a run stopped; the next run "
            "of their file checks them"
        )
        return Check("journal", None, verdict, f"{held} against HighLevel before sending anything.")
    return Check("journal", True, verdict)


def version_checks() -> list[Check]:
    """The versions installed, for a support request."""
    found = [f"Python {platform.python_version()}"]
    for package in PACKAGES:
        try:
            found.append(f"{package} {version(package)}")
        except PackageNotFoundError:
            found.append(f"{package} missing")
    missing = [item for item in found if item.endswith("missing")]
    fix = "Reinstall with: pip install -e ." if missing else ""
    return [Check("versions", not missing, ", ".join(found) + ".", fix)]


async def all_checks(
    *,
    flags: dict[str, str | None],
    journal_path: Path,
    env_file: Path = Path(".env"),
) -> list[Check]:
    """Every check in order: settings, then (when they are sound) the API, the journal, the
    versions. ``flags`` are the command's own overrides of the settings."""
    try:
        settings = load_settings(env_file=env_file, **flags)
    except ImporterError as error:
        # Still a verdict, with the checks that need no settings.
        checks = [Check("settings", False, str(error))]
    else:
        checks = settings_checks(settings, flags=flags, env_file=env_file)
    if all(check.ok is not False for check in checks):
        checks += await _api_checks_for(settings)
    checks.append(journal_check(journal_path))
    return checks + version_checks()


def ready(checks: list[Check]) -> bool:
    """True when no check failed."""
    return all(check.ok is not False for check in checks)


async def _api_checks_for(settings: Settings) -> list[Check]:
    token, location = settings.require_credentials()
    async with HighLevelClient(
        base_url=settings.api_url,
        token=token,
        location_id=location,
        alt_type=settings.alt_type,
        timeout=15.0,
    ) as client:
        return await api_checks(client)
