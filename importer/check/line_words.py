"""What a statement line's words say: the numbers written in them, and whether a client's
name is among them.

A bank line mixes an invoice's number with account numbers, dates, amounts and the payer's
name, cut short as the bank cuts it. Here those words are read into plain values for the
matching rules (``matching``) to weigh: which numbers may be invoices (and which are a list
of several), and how close a client's name is to the payer's.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from importer.check.templates import normalise

# A number written with no invoice word before it counts only from this many digits: "PAGO 1"
# or "12 BOXES" name no invoice, "2012 BALANCE" may.
MIN_BARE_DIGITS = 3
# How close (0-100, rapidfuzz) a client's name must be to the payer's words in the line.
NAME_THRESHOLD = 85
# Banks cut the payer's name to a field of 18 characters or so: a client's name is also tried
# cut short, down to this many characters (shorter names only whole).
SHORTEST_CUT = 14


# --- Numbers in a line's text -------------------------------------------------------------

# An IBAN (ES21 0081 0200 3007 4561 2398), or a card or account number in groups of four:
# its groups are no invoice numbers, even when one of them is exactly one.
_ACCOUNT = re.compile(
    r"(?<![0-9A-Za-z])[A-Z]{2}[0-9]{2}(?: ?[0-9A-Z]{4}){3,7}(?: ?[0-9A-Z]{1,3})?(?![0-9A-Za-z])"
    r"|(?<![0-9A-Za-z])[0-9]{4}(?: [0-9]{4}){3,}(?![0-9A-Za-z])"
)
# Digits, and digits joined by marks: 5520147, 1,025.50, 02/10/2026, 40-44-12, 2017+2018.
_RUN = re.compile(r"[0-9]+(?:[.,/:+&-][0-9]+)*")
_JOINER = re.compile(r"[.,/:+&-]")
# What stands right before a number: a word, then perhaps a mark ("-", ".", "º", ":") with or
# without spaces; or "#".
_BEFORE = re.compile(r"(?:(?<![^\W_])([^\W\d_]+)([ \t]*[.:#ºª°-]?[ \t]*)|(#)[ \t]*)$")
# Words written for "invoice" (or "number") before an invoice's number, normalised.
INVOICE_WORDS = frozenset(
    {
        "inv", "invoice", "invoices", "invno", "bill", "fra", "fras", "fact", "fac", "fctra",
        "factura", "facturas", "fattura", "facture", "factures", "rechnung", "no", "n", "nr",
        "nro", "num", "number", "numero",
    }
)  # fmt: skip
# A year after a month or a quarter ("NOV 2026", "3T 2026") is a date, not an invoice.
_PERIOD_WORDS = frozenset(
    {
        "jan", "january", "feb", "february", "mar", "march", "apr", "april", "may", "jun",
        "june", "jul", "july", "aug", "august", "sep", "sept", "september", "oct", "october",
        "nov", "november", "dec", "december", "ene", "enero", "febrero", "marzo", "abr",
        "abril", "mayo", "junio", "julio", "ago", "agosto", "septiembre", "set", "octubre",
        "noviembre", "dic", "diciembre", "q1", "q2", "q3", "q4", "1t", "2t", "3t", "4t",
    }
)  # fmt: skip
_YEAR = re.compile(r"(?:19|20)[0-9]{2}")
_LETTERS = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True, slots=True)
class Mention:
    """A number written on its own in the text, and what stands right before it."""

    number: str
    # An invoice word (Invoice, Factura, FRA, Nº, #) stands right before it.
    named: bool = False
    # Letters written onto it that are no invoice word ("ACME" of "ACME2011"), normalised:
    # only an invoice printed with that prefix is meant.
    glued: str = ""


@dataclass(frozen=True)
class NumbersInText:
    """The numbers a text writes on their own, and the longer numbers holding other digits."""

    mentions: tuple[Mention, ...]
    # Numbers, dates and accounts as written, whose digits are no invoice number of their own.
    longer: tuple[str, ...] = ()


def numbers_in(text: str) -> NumbersInText:
    """Every number ``text`` writes on its own, in order, and the longer numbers it holds.

    "INV-2011", "INV2013", "FRA.1052", "Nº 3002", "#1042" and "2012 BALANCE" write a number on
    its own; "5520147" is one longer number (2014 is only inside it), and so are "1,025.50",
    "02/10/2026", the sort code "40-44-12", an IBAN and a month's year ("NOV 2026").
    "2017 + 2018" and "2017/2018" write two.
    """
    longer = [found.group() for found in _ACCOUNT.finditer(text)]
    # Blank the accounts out, keeping every other position where it was.
    text = _ACCOUNT.sub(lambda found: " " * len(found.group()), text)
    mentions: list[Mention] = []
    for run in _RUN.finditer(text):
        written = run.group()
        if letters := _LETTERS.match(text, run.end()):
            # 3T, 1ER, 2011AB: a code, not a number on its own
            longer.append(written + letters.group())
            continue
        before = text[: run.start()]
        groups = _JOINER.split(written)
        if len(groups) > 1 and not _is_list(groups, set(_JOINER.findall(written))):
            longer.append(written)
            continue
        period = before.split()[-1] if before.split() else ""
        if normalise(period) in _PERIOD_WORDS and _YEAR.fullmatch(groups[0]):
            longer.append(f"{period} {written}")
            continue
        named, glued = _what_stands_before(before)
        for number in groups:
            if named or glued or len(number) >= MIN_BARE_DIGITS:
                mentions.append(Mention(number, named=named, glued=glued))
    return NumbersInText(tuple(dict.fromkeys(mentions)), tuple(dict.fromkeys(longer)))


def _is_list(groups: Sequence[str], joiners: set[str]) -> bool:
    """True when joined numbers are a list of invoices, not one number (a date, an amount)."""
    if joiners <= {"+", "&"}:
        return all(len(group) >= MIN_BARE_DIGITS for group in groups)
    # 2017/2018 and 1011-1012 list two numbers of one length; 02/10/2026, 40-44-12 and
    # 555-123-4567 are one.
    return (
        joiners <= {"/", "-", "+", "&"}
        and len({len(group) for group in groups}) == 1
        and len(groups[0]) >= MIN_BARE_DIGITS
    )


def _what_stands_before(before: str) -> tuple[bool, str]:
    """(an invoice word or "#" stands right before the number, the letters written onto it)."""
    found = _BEFORE.search(before)
    if found is None:
        return False, ""
    if found.group(3):  # "#"
        return True, ""
    word = normalise(found.group(1))
    if word in INVOICE_WORDS:
        return True, ""
    written_onto = not any(space in found.group(2) for space in " \t")
    return False, word if written_onto else ""


# --- Names --------------------------------------------------------------------------------

# Company forms and joining words that banks drop or keep at random.
_LEGAL_FORMS = frozenset(
    {
        "ltd", "limited", "llc", "llp", "lp", "plc", "inc", "corp", "co", "pc", "sl", "slu",
        "sll", "sa", "sau", "sc", "cb", "sas", "sarl", "srl", "spa", "gmbh", "bv", "nv", "ag",
        "and", "y", "e", "et", "und",
    }
)  # fmt: skip


def _name_form(text: str) -> str:
    """Lower case, no accents, punctuation and company forms out: "S.L." and "SL" alike."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    plain = re.sub(r"[.'’]", "", plain)
    words = re.sub(r"[^0-9a-z]+", " ", plain).split()
    return " ".join(word for word in words if word not in _LEGAL_FORMS)


def name_score(payer_text: str, client: str) -> float:
    """How close (0-100) a client's name is to the payer's words in a line's text.

    rapidfuzz's best partial alignment, on words (each side padded, so a name inside a
    longer word scores less), and with the name cut short as a bank cuts it.
    """
    name, text = _name_form(client), _name_form(payer_text)
    if not name or not text:
        return 0.0
    score = fuzz.partial_ratio(f" {name} ", f" {text} ")
    for cut in range(min(SHORTEST_CUT, len(name)), len(name)):
        if name[cut - 1] == " ":
            continue
        score = max(score, fuzz.partial_ratio(f" {name[:cut]}", f" {text} "))
    return float(score)


def names_alike(payer_text: str, client: str) -> bool:
    """True when the client's name is close enough to the payer's to propose its invoice."""
    return name_score(payer_text, client) >= NAME_THRESHOLD
