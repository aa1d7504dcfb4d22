"""Which open invoice a bank statement's line pays: a proposal, with its evidence in words.

A statement has no invoice column: the invoice is named in the line's text ("REF INV-2011",
"Pago factura 1011"), or only the payer and the amount say which it was. Each rule is a pure
function of plain values (a line; the open invoices), most certain first:

- ``by_number``: the text names an open invoice, as a whole number and not inside a longer
  one or an account number, and the amount is at most what it owes: ``sure``. Several named
  invoices whose balances add up to the amount exactly are a ``sure`` split.
- ``by_amount_and_name``: exactly one open invoice owes exactly the amount and its client's
  name is close to the payer's in the text: ``likely``; more than one: ``several``.
- Otherwise ``none``, saying what was tried.

``propose`` runs the rules for one line; ``propose_all`` takes a statement's lines in order,
so that an invoice a ``sure`` line pays in full is not proposed again for a later line.
Nothing here records anything: a person confirms each proposal.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from rapidfuzz import fuzz

from importer.api.models import PaymentMode
from importer.check.templates import normalise
from importer.check.values import DecimalMark, format_amount
from importer.status import Match

__all__ = [
    "Mention",
    "NumbersInText",
    "OpenInvoice",
    "OpenInvoices",
    "Proposal",
    "StatementLine",
    "by_amount_and_name",
    "by_number",
    "invoice_list",
    "listed_invoices",
    "name_score",
    "names_alike",
    "numbers_in",
    "propose",
    "propose_all",
]

# The invoices that can still take a payment.
TAKES_PAYMENT = ("sent", "partially_paid")
# A number written with no invoice word before it counts only from this many digits: "PAGO 1"
# or "12 BOXES" name no invoice, "2012 BALANCE" may.
MIN_BARE_DIGITS = 3
# How close (0-100, rapidfuzz) a client's name must be to the payer's words in the line.
NAME_THRESHOLD = 85
# Banks cut the payer's name to a field of 18 characters or so: a client's name is also tried
# cut short, down to this many characters (shorter names only whole).
SHORTEST_CUT = 14


# --- The plain values the rules take and give ---------------------------------------------


@dataclass(frozen=True, slots=True)
class StatementLine:
    """A line of a statement that is money received: its row, date, words and amount."""

    row: int
    paid_on: date
    text: str  # the description, the payer and whatever else the bank wrote, as one text
    amount: Decimal
    currency: str | None = None  # None when the statement does not say
    mode: PaymentMode = "bank_transfer"


@dataclass(frozen=True, slots=True)
class OpenInvoice:
    """An invoice as the rules see it: its number, client, what it still owes, and status."""

    id: str
    number: str | None
    prefix: str
    client: str
    due: Decimal
    currency: str
    status: str = "sent"

    @property
    def shown(self) -> str:
        """The number as printed on the invoice (INV-2011)."""
        return f"{self.prefix}{self.number}" if self.number else self.id

    @property
    def takes_payment(self) -> bool:
        return self.status in TAKES_PAYMENT


@dataclass(frozen=True)
class Proposal:
    """The invoice(s) proposed for a line, how sure, and why, in words."""

    match: Match
    invoices: tuple[str, ...] = ()  # what goes in the Invoice column
    candidates: tuple[str, ...] = ()  # for ``several``: the invoices that fit equally
    why: str = ""

    @property
    def invoice_cell(self) -> str:
        return invoice_list(self.invoices)

    @property
    def accept(self) -> str:
        """The Accept column as written: yes for ``sure`` only, for a person to confirm."""
        return "yes" if self.match == Match.SURE else ""


# One payment for several invoices is written in the Invoice column as the split payments'
# list form, "2017; 2018"; these two functions are the one place that knows it.
INVOICE_LIST_SEPARATOR = "; "
_LIST_SPLIT = re.compile(r"\s*[;|]\s*")


def invoice_list(refs: Sequence[str]) -> str:
    """The Invoice cell for one or several invoices."""
    return INVOICE_LIST_SEPARATOR.join(refs)


def listed_invoices(cell: str) -> tuple[str, ...]:
    """The invoices an Invoice cell lists, each as written ("2017; 2018" -> two)."""
    return tuple(part for part in _LIST_SPLIT.split(cell.strip()) if part)


class OpenInvoices:
    """The location's invoices, indexed once for every line of a statement.

    Only invoices that take a payment are proposed; others given (paid, draft, void) are
    there to say why a number in the text was passed over. What ``sure`` proposals pay is
    kept, so that a later line does not pay the same balance again.
    """

    def __init__(self, invoices: Iterable[OpenInvoice]) -> None:
        self.invoices = list(invoices)
        self.by_number: dict[str, list[OpenInvoice]] = {}
        by_currency: dict[str, list[tuple[Decimal, int]]] = {}
        for position, invoice in enumerate(self.invoices):
            if invoice.number:
                self.by_number.setdefault(invoice.number.strip(), []).append(invoice)
            if invoice.takes_payment:
                by_currency.setdefault(invoice.currency.upper(), []).append((invoice.due, position))
        self._amounts = {currency: sorted(dues) for currency, dues in by_currency.items()}
        # The currencies of the invoices taking a payment: a statement that does not say its
        # own is sure of nothing when there are two.
        self.currencies = frozenset(self._amounts)
        self.lengths = frozenset(len(number) for number in self.by_number)
        # Numbers more than one invoice has: such an invoice is named by its id.
        self._shared = frozenset(n for n, found in self.by_number.items() if len(found) > 1)
        self._taken: dict[str, Decimal] = {}
        self._taken_by: dict[str, int] = {}

    def ref(self, invoice: OpenInvoice) -> str:
        """How the Invoice column names the invoice: its number, or its id when it has none
        or shares it with another invoice (a number that finds two is refused when run)."""
        number = (invoice.number or "").strip()
        return invoice.id if not number or number in self._shared else number

    def due(self, invoice: OpenInvoice) -> Decimal:
        """What the invoice still owes after the ``sure`` lines before this one."""
        return invoice.due - self._taken.get(invoice.id, Decimal(0))

    def paid_in_full_by(self, invoice: OpenInvoice) -> int | None:
        """The row of the statement that paid this invoice in full, if one did."""
        return self._taken_by.get(invoice.id) if self.due(invoice) <= 0 else None

    def take(self, invoice: OpenInvoice, amount: Decimal, *, row: int) -> None:
        self._taken[invoice.id] = self._taken.get(invoice.id, Decimal(0)) + amount
        self._taken_by[invoice.id] = row

    def owing(
        self, amount: Decimal, currency: str | None, *, tolerance: Decimal = Decimal(0)
    ) -> list[OpenInvoice]:
        """The invoices that take a payment and owe ``amount`` (give or take ``tolerance``)."""
        currencies = [currency.upper()] if currency else sorted(self._amounts)
        found = []
        for code in currencies:
            dues = self._amounts.get(code, [])
            start = bisect.bisect_left(dues, (amount - tolerance, -1))
            for due, position in dues[start:]:
                if due > amount + tolerance:
                    break
                invoice = self.invoices[position]
                if abs(self.due(invoice) - amount) <= tolerance:
                    found.append(invoice)
        return found


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


# --- The rules ----------------------------------------------------------------------------


def by_number(
    line: StatementLine,
    invoices: OpenInvoices,
    *,
    tolerance: Decimal = Decimal(0),
    decimal: DecimalMark = ".",
) -> Proposal:
    """``sure`` when the text names an open invoice that can take the whole amount, or names
    invoices whose balances add up to it exactly; ``likely`` or ``several`` when it names
    invoices that do not settle it; else ``none``, saying which numbers were passed over."""
    money = _Money(decimal)
    passed_over: list[str] = []
    named = _named_invoices(line, invoices, passed_over, money)
    if named and line.currency is None and len(invoices.currencies) > 1:
        # The same number in another currency would record the wrong money: a person says.
        proposal = by_number(
            dataclasses.replace(line, currency=named[0].currency),
            invoices,
            tolerance=tolerance,
            decimal=decimal,
        )
        if proposal.match != Match.SURE:
            return proposal
        return dataclasses.replace(
            proposal,
            match=Match.LIKELY,
            why=f"{proposal.why} The statement does not say its currency, and the invoice is "
            f"in {named[0].currency}.",
        )
    if len(named) > 1:
        return _several_named(line, named, invoices, money, tolerance=tolerance)
    if len(named) == 1:
        invoice = named[0]
        due = invoices.due(invoice)
        if line.amount <= due:
            part = (
                f"{money(line.amount)} is what it owes"
                if line.amount == due
                else f"{money(line.amount)} of the {money(due)} it owes"
            )
            return Proposal(
                Match.SURE, (invoices.ref(invoice),), why=f"{invoice.shown} in the text; {part}."
            )
        passed_over.append(
            f"{invoice.shown} is in the text but owes {money(due)}, less than {money(line.amount)}"
        )
    return Proposal(Match.NONE, why=_sentence(passed_over))


def _named_invoices(
    line: StatementLine, invoices: OpenInvoices, passed_over: list[str], money: _Money
) -> list[OpenInvoice]:
    """The invoices taking a payment that the text names, each once, in the order written;
    why each other number was passed over goes in ``passed_over``."""
    found: dict[str, OpenInvoice] = {}
    for mention in numbers_in(line.text).mentions:
        known = invoices.by_number.get(mention.number, [])
        if mention.glued:
            known = [i for i in known if normalise(i.prefix) == mention.glued]
        if not known and mention.named:
            passed_over.append(
                f"{mention.number} is in the text, but no open invoice has that number"
            )
        takers = [
            invoice
            for invoice in known
            if invoice.takes_payment
            and (not line.currency or invoice.currency.upper() == line.currency.upper())
        ]
        if len(takers) > 1:
            ids = _and([invoice.id for invoice in takers])
            passed_over.append(
                f"{mention.number} is the number of {len(takers)} open invoices ({ids}): "
                "write the id of the one it pays in Invoice"
            )
            continue
        for invoice in known:
            if not invoice.takes_payment:
                why = f"is {_STATUS_WORDS.get(invoice.status, invoice.status.replace('_', ' '))}"
            elif line.currency and invoice.currency.upper() != line.currency.upper():
                why = f"is in {invoice.currency}, not {line.currency}"
            elif (row := invoices.paid_in_full_by(invoice)) is not None:
                why = f"row {row} of this statement pays all it owes"
            else:
                found.setdefault(invoice.id, invoice)
                continue
            passed_over.append(f"{invoice.shown} is in the text but {why}")
    return list(found.values())


def _several_named(
    line: StatementLine,
    named: list[OpenInvoice],
    invoices: OpenInvoices,
    money: _Money,
    *,
    tolerance: Decimal,
) -> Proposal:
    """The text names two or more invoices: a split when their balances add up to the line."""
    dues = [invoices.due(invoice) for invoice in named]
    together = sum(dues, Decimal(0))
    owed = _and([f"{i.shown} owes {money(due)}" for i, due in zip(named, dues, strict=True)])
    refs = tuple(invoices.ref(invoice) for invoice in named)
    if together == line.amount:
        return Proposal(Match.SURE, refs, why=f"Split: {owed}, together {money(together)}.")
    if abs(together - line.amount) <= tolerance:
        gap = _difference(together, line.amount, money)
        return Proposal(
            Match.LIKELY, refs, why=f"Split: {owed}, together {money(together)}, {gap}."
        )
    listed = _and([invoice.shown for invoice in named])
    exact = [invoice for invoice, due in zip(named, dues, strict=True) if due == line.amount]
    if len(exact) == 1:
        return Proposal(
            Match.LIKELY,
            (invoices.ref(exact[0]),),
            why=f"{listed} are in the text; together they owe {money(together)}, not "
            f"{money(line.amount)}, and {exact[0].shown} owes exactly {money(line.amount)}.",
        )
    return Proposal(
        Match.SEVERAL,
        candidates=refs,
        why=f"{listed} are in the text, but {owed}, together {money(together)}, not "
        f"{money(line.amount)}: choose the invoice it pays.",
    )


def by_amount_and_name(
    line: StatementLine,
    invoices: OpenInvoices,
    *,
    tolerance: Decimal = Decimal(0),
    decimal: DecimalMark = ".",
) -> Proposal:
    """``likely`` when exactly one open invoice owes the amount and its client's name is close
    to the payer's in the text; ``several`` when more than one is; else ``none``."""
    money = _Money(decimal)
    owing = invoices.owing(line.amount, line.currency, tolerance=tolerance)
    if not owing:
        within = f" (nor within {money(tolerance)} of it)" if tolerance else ""
        return Proposal(Match.NONE, why=f"No open invoice owes {money(line.amount)}{within}.")
    close = [invoice for invoice in owing if names_alike(line.text, invoice.client)]

    def owes(invoice: OpenInvoice) -> str:
        due = invoices.due(invoice)
        if due == line.amount:
            return f"owes exactly {money(due)}"
        return f"owes {money(due)}, {_difference(due, line.amount, money)}"

    if len(close) == 1:
        invoice = close[0]
        return Proposal(
            Match.LIKELY,
            (invoices.ref(invoice),),
            why=f"{invoice.client} looks like the payer, and {invoice.shown} {owes(invoice)}.",
        )
    if len(close) > 1:
        clients = sorted({invoice.client for invoice in close})
        listed = _and([f"{invoice.shown} {owes(invoice)}" for invoice in close])
        return Proposal(
            Match.SEVERAL,
            candidates=tuple(invoices.ref(invoice) for invoice in close),
            why=f"{_and(clients)} {'looks' if len(clients) == 1 else 'each look'} like the payer, "
            f"and {listed}: choose the invoice it pays.",
        )
    listed = _and([f"{i.shown} ({i.client}) {owes(i)}" for i in owing[:3]])
    left = len(owing) - 3
    more = f", and {left} more invoice{'s' if left > 1 else ''} likewise" if left > 0 else ""
    return Proposal(Match.NONE, why=f"{listed}{more}, but the payer's name is not the client's.")


def propose(
    line: StatementLine,
    invoices: OpenInvoices,
    *,
    tolerance: Decimal = Decimal(0),
    decimal: DecimalMark = ".",
) -> Proposal:
    """The most certain proposal the rules make for one line, with everything they found."""
    named = by_number(line, invoices, tolerance=tolerance, decimal=decimal)
    if named.match != Match.NONE:
        return named
    by_amount = by_amount_and_name(line, invoices, tolerance=tolerance, decimal=decimal)
    found = named.why or "No open invoice's number in the text."
    inside = _only_inside(line, invoices, _Money(decimal))
    return dataclasses.replace(
        by_amount, why=" ".join(filter(None, (found, inside, by_amount.why)))
    )


def propose_all(
    lines: Iterable[StatementLine],
    invoices: OpenInvoices,
    *,
    tolerance: Decimal = Decimal(0),
    decimal: DecimalMark = ".",
) -> dict[int, Proposal]:
    """Each line's proposal by row, in statement order: what a ``sure`` line pays is not
    proposed again for a later one."""
    proposals: dict[int, Proposal] = {}
    by_ref = {
        invoices.ref(invoice): invoice for invoice in invoices.invoices if invoice.takes_payment
    }
    for line in lines:
        proposal = propose(line, invoices, tolerance=tolerance, decimal=decimal)
        proposals[line.row] = proposal
        if proposal.match == Match.SURE:
            left = line.amount
            for ref in proposal.invoices:
                invoice = by_ref[ref]
                paid = min(left, invoices.due(invoice))
                invoices.take(invoice, paid, row=line.row)
                left -= paid
    return proposals


def _only_inside(line: StatementLine, invoices: OpenInvoices, money: _Money) -> str:
    """Open invoices whose number the text holds only inside a longer number or an account."""
    found: list[str] = []
    numbers = numbers_in(line.text)
    hosts = [*(mention.number for mention in numbers.mentions), *numbers.longer]
    for longer in hosts:
        for group in re.findall(r"[0-9]+", longer):
            for length in sorted(invoices.lengths):
                # A whole group of an account or a date counts; a number on its own is itself.
                if length > len(group) or (length == len(group) and longer == group):
                    continue
                for start in range(len(group) - length + 1):
                    for invoice in invoices.by_number.get(group[start : start + length], []):
                        if invoice.takes_payment:
                            found.append(
                                f"{invoice.shown} ({invoice.client}, owes "
                                f"{money(invoices.due(invoice))}) is only inside {longer}"
                            )
    if not found:
        return ""
    shown = list(dict.fromkeys(found))
    return _sentence(shown[:3]).removesuffix(".") + ", so it is not taken for an invoice number."


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


# --- Words --------------------------------------------------------------------------------


class _Money:
    """Amounts written as the statement writes them (1,234.50 or 1.234,50)."""

    def __init__(self, decimal: DecimalMark) -> None:
        self.decimal: DecimalMark = decimal

    def __call__(self, amount: Decimal) -> str:
        return format_amount(amount, decimal=self.decimal)


def _difference(due: Decimal, amount: Decimal, money: _Money) -> str:
    gap = due - amount
    return f"{money(abs(gap))} {'more' if gap > 0 else 'less'} than this line"


def _and(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _sentence(parts: Sequence[str]) -> str:
    """Findings as one sentence: its first letter capital, a full stop at the end."""
    if not parts:
        return ""
    text = "; ".join(parts)
    return text[:1].upper() + text[1:] + "."


_STATUS_WORDS = {"paid": "already paid", "draft": "a draft (send it first)", "void": "void"}
