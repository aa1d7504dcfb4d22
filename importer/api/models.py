"""The spec's shapes that the importer sends and reads (apps/invoices.json, apps/payments.json).

Python names are snake_case; the aliases are the API's camelCase. Answers allow extra fields
because the real API returns many more than we use.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer
from pydantic.alias_generators import to_camel

PaymentMode = Literal["cash", "card", "cheque", "bank_transfer", "other"]

# Amounts are Decimal in our hands (no float drift in running sums) and a JSON number on the
# wire, where the API expects major units (999 means 999.00).
Amount = Annotated[Decimal, PlainSerializer(float, return_type=float, when_used="json")]


def _as_text(value: object) -> object:
    # invoiceNumber is typed a number in the spec but the API sends a string.
    return str(value) if isinstance(value, int | float) and not isinstance(value, bool) else value


class _ApiModel(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, frozen=True)


class Card(_ApiModel):
    """CardDto: the card's brand and its last four digits."""

    brand: str
    last4: str = Field(alias="last4")


class Cheque(_ApiModel):
    """ChequeDto: the cheque number, as text so leading zeros survive."""

    number: str


class RecordPaymentRequest(_ApiModel):
    """RecordPaymentDto: the body of ``POST /invoices/{invoiceId}/record-payment``."""

    alt_id: str
    alt_type: str
    mode: PaymentMode
    amount: Amount
    notes: str
    card: Card | None = None
    cheque: Cheque | None = None
    fulfilled_at: str | None = None
    meta: dict[str, Any] | None = None
    payment_schedule_ids: list[str] | None = None

    def body(self) -> dict[str, Any]:
        """The JSON body, leaving out what the row does not carry."""
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)


class Invoice(_ApiModel):
    """The invoice fields that matter to a payment; the rest is kept as extra."""

    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=True, frozen=True, extra="allow"
    )

    id: str = Field(alias="_id")
    invoice_number: Annotated[str | None, BeforeValidator(_as_text)] = None
    invoice_number_prefix: str | None = None
    status: str
    currency: str = "USD"
    total: Decimal = Decimal(0)
    amount_paid: Decimal = Decimal(0)
    amount_due: Decimal = Decimal(0)
    live_mode: bool = True
    name: str | None = None
    contact_details: dict[str, Any] | None = None
    issue_date: str | None = None
    due_date: str | None = None
    # When the invoice was made: none of its payments can be older (see ``holdings``).
    created_at: str | None = None

    @property
    def client_name(self) -> str:
        """Who the invoice is addressed to, as the accountant knows them."""
        details = self.contact_details or {}
        return str(details.get("name") or details.get("companyName") or "")

    @property
    def shown_number(self) -> str:
        """The number as printed on the invoice (INV-1042), or its id when it has none."""
        if self.invoice_number is None:
            return self.id
        return f"{self.invoice_number_prefix or ''}{self.invoice_number}"


class InvoicePage(_ApiModel):
    """ListInvoicesResponseDto: one page of invoices and how many match in all."""

    invoices: list[Invoice]
    total: int


class Transaction(_ApiModel):
    """TxnResponseSchema, the fields verification needs."""

    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=True, frozen=True, extra="allow"
    )

    id: str = Field(alias="_id")
    entity_id: str | None = None
    entity_type: str | None = None
    amount: Decimal | None = None
    currency: str | None = None
    fulfilled_at: str | None = None
    created_at: str | None = None
    payment_method: dict[str, Any] | None = None
    notes: str | None = None
    meta: dict[str, Any] | None = None


class TransactionPage(_ApiModel):
    """ListTxnsResponseDto: one page of transactions and how many match in all."""

    data: list[Transaction]
    total_count: int
