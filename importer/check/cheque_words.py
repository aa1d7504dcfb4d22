"""The cheque number a bank writes in a statement line's words: ``CHQ 000555``, ``CHEQUE 555``,
``Check #555``, ``CHEQUE DEPOSIT 000555``, ``Cheque nº 555``, ``CHQ#555``.

A line that names its cheque is compared with a cheque paid in by that number (as digits),
not by its day: the bank posts a cheque days after it was received.
"""

from __future__ import annotations

import re

from importer.check.references import cheque_form

__all__ = ["cheque_in_words"]

# The words a bank writes before a cheque's number, and those it may put between.
_CHEQUE = frozenset({"chq", "cheque", "check", "chk", "cheq"})
_BETWEEN = frozenset({"deposit", "dep", "no", "nº", "n.º", "n", "nr", "num", "number", "numero"})
# The cheque word and its number written as one: CHQ#555, CHQ000555.
_GLUED = re.compile(r"(?:chq|cheque|check|chk|cheq)#?(\d{1,12})", re.ASCII)
_DIGITS = re.compile(r"\d{1,12}", re.ASCII)


def cheque_in_words(text: str) -> str:
    """The cheque number the words name, as written; "" when they name none, or two."""
    words = text.casefold().split()
    found: dict[str, str] = {}
    for at, word in enumerate(words):
        if glued := _GLUED.fullmatch(word):
            found.setdefault(cheque_form(glued[1]), glued[1])
            continue
        if word.strip(".:") not in _CHEQUE:
            continue
        for following in words[at + 1 : at + 4]:
            token = following.lstrip("#").rstrip(",;:.")
            if _DIGITS.fullmatch(token):
                found.setdefault(cheque_form(token), token)
                break
            if token and token not in _BETWEEN:
                break  # CHECK CARD 0312, CHEQUE RETURNED 555: no number of a cheque
    return next(iter(found.values())) if len(found) == 1 else ""
