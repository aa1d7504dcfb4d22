"""What the transactions routes answer: the list's items and the single transaction, as the spec
shapes each, and the list's filters.

The ledger (`state.InvoiceBook`) keeps every transaction whole, with the notes and `meta` sent
with its payment. The API does not give all of that back: the list's items
(`TxnResponseSchema`) carry no `meta` and no notes, so a key sent in `meta` can only be read one
transaction at a time, from `GET /payments/transactions/{transactionId}` (`GetTxnResponseSchema`).
The by-id answer names its source as an `entitySource` object rather than the list's flat
`entitySource*` fields, and adds `invoiceId` and `qboSynced`. It keeps the list's
`paymentMethod` and `fulfilledAt` too: the spec's schema does not list them, but the API notes
read the by-id answer as the list's fields plus `meta`, and it is one stored transaction either
way.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from importer.sandbox.validation import TransactionQuery

__all__ = ["list_item", "matches", "single"]

# The fields of a list item, in the order they are answered; those a transaction lacks are left out.
_LIST_FIELDS = (
    "_id",
    "altId",
    "altType",
    "contactId",
    "contactName",
    "contactEmail",
    "currency",
    "amount",
    "status",
    "liveMode",
    "entityType",
    "entityId",
    "entitySourceType",
    "entitySourceName",
    "subscriptionId",
    "paymentMethod",
    "fulfilledAt",
    "createdAt",
    "updatedAt",
    "amountRefunded",
    "createdBy",
)
# What the sandbox used to put in list items too, and still does unless told to be faithful.
_LIST_EXTRAS = ("notes", "meta")
_SINGLE_FIELDS = (
    "_id",
    "altId",
    "altType",
    "contactId",
    "currency",
    "amount",
    "status",
    "liveMode",
    "entityType",
    "entityId",
    "invoiceId",
    "subscriptionId",
    "paymentMethod",
    "fulfilledAt",
    "createdAt",
    "updatedAt",
    "amountRefunded",
    "meta",
    "qboSynced",
    "createdBy",
)


def list_item(transaction: dict[str, Any], *, with_meta: bool) -> dict[str, Any]:
    """One item of the list as TxnResponseSchema shapes it; notes and meta only ``with_meta``."""
    names = (*_LIST_FIELDS, *_LIST_EXTRAS) if with_meta else _LIST_FIELDS
    return {name: transaction[name] for name in names if name in transaction}


def single(transaction: dict[str, Any]) -> dict[str, Any]:
    """The answer of GET /payments/transactions/{transactionId}, with meta and entitySource."""
    answer = {name: transaction[name] for name in _SINGLE_FIELDS if name in transaction}
    if transaction.get("entityType") == "invoice":
        answer["invoiceId"] = transaction["entityId"]
    answer["entitySource"] = {
        "type": transaction.get("entitySourceType"),
        "id": transaction.get("entityId"),
        "name": transaction.get("entitySourceName"),
    }
    answer.setdefault("qboSynced", False)
    return answer


def _created_at(transaction: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(transaction["createdAt"])


def matches(transaction: dict[str, Any], query: TransactionQuery) -> bool:
    """Whether one transaction passes every filter of the list's query."""
    if query.entity_id is not None and transaction.get("entityId") != query.entity_id:
        return False
    if query.contact_id is not None and transaction.get("contactId") != query.contact_id:
        return False
    if query.live_mode is not None and transaction.get("liveMode") != query.live_mode:
        return False
    if (
        query.entity_source_type is not None
        and transaction.get("entitySourceType") != query.entity_source_type
    ):
        return False
    if (
        query.subscription_id is not None
        and transaction.get("subscriptionId") != query.subscription_id
    ):
        return False
    if query.created_from is not None and _created_at(transaction) < query.created_from:
        return False
    if query.created_before is not None and _created_at(transaction) >= query.created_before:
        return False
    if query.search is not None:
        # "The name of the transaction": its source's name (the invoice's). The contact's name
        # is searched too, since a payment is looked up by who paid as often as by what for.
        needle = query.search.casefold()
        names = (transaction.get("entitySourceName") or "", transaction.get("contactName") or "")
        if not any(needle in name.casefold() for name in names):
            return False
    return True
