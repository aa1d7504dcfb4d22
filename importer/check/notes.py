"""The notes each payment carries: a template's notes pattern filled from the row, or else
words made from how it was paid.

A pattern such as "Cheque {cheque_number}[ from {payer}]" names fields and columns in curly
brackets; a part in square brackets is left out when one of the columns it names is empty.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping

from importer.api.models import Card, Cheque

_OPTIONAL = re.compile(r"\[([^\[\]]*)\]")
_PLACEHOLDER = re.compile(r"\{([A-Za-z0-9_]+)\}")


class NotesPattern:
    """A notes pattern, cut into its parts once per file."""

    def __init__(self, pattern: str) -> None:
        # (names that must all be filled, or () for a part always kept; format text).
        parts: list[tuple[tuple[str, ...], str]] = []
        at = 0
        for match in _OPTIONAL.finditer(pattern):
            parts.append(((), pattern[at : match.start()]))
            segment = match.group(1)
            parts.append((tuple(_PLACEHOLDER.findall(segment)), segment))
            at = match.end()
        parts.append(((), pattern[at:]))
        self.parts = [(needed, part) for needed, part in parts if part]
        self.names = tuple(dict.fromkeys(_PLACEHOLDER.findall(pattern)))

    def fill(self, values: Mapping[str, str]) -> str:
        """The notes for one row, ``values`` holding every name; a [part] with an empty one goes."""
        kept = [
            part.format_map(values)
            for needed, part in self.parts
            if all(values[name] for name in needed)
        ]
        return " ".join("".join(kept).split())


def compose_notes(pattern: str, values: Mapping[str, str]) -> str:
    """Fill a notes pattern; a [bracketed part] is left out when one of its columns is empty."""
    compiled = NotesPattern(pattern)
    return compiled.fill({name: values.get(name, "") for name in compiled.names})


def pattern_mistake(pattern: str, known: Collection[str]) -> str | None:
    """What is wrong with a template's notes pattern, ``known`` being the names it may use."""
    for name in _PLACEHOLDER.findall(pattern):
        if name not in known:
            return (
                f"notes: {{{name}}} is not a field or a column in [columns]. Add "
                f'{name} = ["Its header"] under [columns], or use one of: '
                f"{', '.join(sorted(known))}."
            )
    if re.search(r"[{}]", _PLACEHOLDER.sub("", pattern)):
        return "notes: curly brackets are only for names such as {cheque_number}."
    if re.search(r"[\[\]]", _OPTIONAL.sub("", pattern)):
        return "notes: a square bracket is not closed (or one sits inside another)."
    return None


def default_notes(
    mode: str | None, cheque: Cheque | None, card: Card | None, reference: str
) -> str:
    """The notes of a row whose template has no pattern and whose notes cell is empty."""
    if cheque is not None:
        return f"Cheque {cheque.number}"
    if card is not None:
        return f"{card.brand} card ending {card.last4}"
    if reference:
        return f"Reference {reference}"
    return {"cash": "Cash payment", "bank_transfer": "Bank transfer"}.get(mode or "", "Payment")
