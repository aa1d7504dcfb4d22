"""The HighLevel API as the importer uses it: request and answer shapes, and the calls."""

from importer.api.client import API_VERSION, HighLevelClient, InvalidInvoiceId
from importer.api.models import (
    Card,
    Cheque,
    Invoice,
    InvoicePage,
    PaymentMode,
    RecordPaymentRequest,
    Transaction,
    TransactionPage,
)

__all__ = [
    "API_VERSION",
    "Card",
    "Cheque",
    "HighLevelClient",
    "InvalidInvoiceId",
    "Invoice",
    "InvoicePage",
    "PaymentMode",
    "RecordPaymentRequest",
    "Transaction",
    "TransactionPage",
]
