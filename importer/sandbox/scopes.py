"""The scopes a sandbox token holds, and which one each route needs.

HighLevel grants a token scopes when it is made (a Private Integration Token's are ticked in
the sub-account's settings). A call whose route needs a scope the token lacks is answered 401
"The token is not authorized for this scope." in the spec's UnauthorizedDTO shape, before
anything else about the request is looked at.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["ALL_SCOPES", "MISSING_SCOPE_MESSAGE", "parse_scopes", "read_scopes"]

# The scopes the sandbox's routes need, in the spec's spelling.
ALL_SCOPES = frozenset({"invoices.readonly", "invoices.write", "payments/transactions.readonly"})
MISSING_SCOPE_MESSAGE = "The token is not authorized for this scope."


def read_scopes(scopes: Iterable[str] | None) -> frozenset[str]:
    """The scopes a token holds: all of them when None; ValueError names one the API lacks."""
    if scopes is None:
        return ALL_SCOPES
    if isinstance(scopes, str):
        raise ValueError("Give the scopes as a list of names, not one text; see parse_scopes.")
    held = frozenset(scopes)
    unknown = sorted(held - ALL_SCOPES)
    if unknown:
        raise ValueError(
            f"{', '.join(unknown)}: not a scope the sandbox knows. "
            f"Use {', '.join(sorted(ALL_SCOPES))}."
        )
    return held


def parse_scopes(text: str) -> frozenset[str]:
    """Read "invoices.readonly,invoices.write" (or "all"); ValueError says what is wrong."""
    if text.strip().lower() == "all":
        return ALL_SCOPES
    return read_scopes(name.strip() for name in text.split(",") if name.strip())
