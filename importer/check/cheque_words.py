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
# Words after a number that make it a day ("CHQ DEP 6 NOV") or a count ("CHQ DEP 3 ITEMS").
_MONTHS = frozenset(
    {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
     "january", "february", "march", "april", "june", "july", "august", "september", "october",
     "november", "december", "ene", "abr", "ago", "dic", "enero", "febrero", "marzo", "abril",
     "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"}
)  # fmt: skip
_COUNTS = frozenset({"item", "items", "chqs", "cheques", "checks", "chks", "cheqs"})


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
        for place, following in enumerate(words[at + 1 : at + 4], start=at + 2):
            token = following.lstrip("#").rstrip(",;:.")
            if _DIGITS.fullmatch(token):
                after = words[place].rstrip(",;:.") if place < len(words) else ""
                if after not in _MONTHS and after not in _COUNTS:
                    found.setdefault(cheque_form(token), token)
                break
            if token and token not in _BETWEEN:
                break  # CHECK CARD 0312, CHEQUE RETURNED 555: no number of a cheque
    return next(iter(found.values())) if len(found) == 1 else ""
