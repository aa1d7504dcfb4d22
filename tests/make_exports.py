"""Write the corpus of real export layouts: tests/data/exports/, tests/data/statements/.

Run it again after changing a case (the output is committed and byte-for-byte the same on every
run): ``.venv/bin/pip install -e '.[dev,testdata]' && .venv/bin/python tests/make_exports.py``.

Each file copies the layout of one real program's export, as that layout was seen in public
code that reads such files (parsers, importers, their test fixtures) or in the vendor's help.
The payments in them are invented; the columns, title lines, footers, date and amount formats
are not. Where a detail was not seen, the comment says it was chosen.

exports/ (issue 14: imported with no flags; every payment line checked)
- quickbooks-online-payments.xlsx: QuickBooks Online "Transaction List by Customer" filtered to
  payments, exported to Excel. Title, company and period rows and a blank row above a header
  whose first cell is empty; customer group rows, "Total for <customer>" rows, "TOTAL" and the
  "<basis> <weekday>, <date> <time> GMT-08:00" stamp on the last row; dates as text MM/DD/YYYY;
  every amount a formula with no cached value ("=1200.00", subtotals "=H7+H8"). Seen in:
  closethebooks qbo_exports.py ("QuickBooks writes numeric cells into xlsx as literal formula
  strings ... It never writes a cached result"; footer shapes; row 1 title, row 2 company) and
  qoe tests/test_gl_formats.py (QBO_CSV: ",Date,Transaction Type,Num,...", "Total for 4000 ...",
  "TOTAL", '"Accrual basis Monday, March 4, 2024 10:00 AM GMT-05:00"'). The "Payment Method"
  column is one QuickBooks offers under Customize (chosen).
- lloyds-business-statement.csv: Lloyds Bank (also Halifax, Bank of Scotland) CSV download:
  "Transaction Date,Transaction Type,Sort Code,Account Number,Transaction Description,Debit
  Amount,Credit Amount,Balance", DD/MM/YYYY, sort code written "'30-91-74", payer and their
  reference run together in the description, type codes FPI/BGC/DD/DEB/FPO/CHG, newest first.
  Seen in: a Rust importer's comment "28/08/2024,FPI,'30-91-74,02344812,NAME REASON,,20.00,
  12004.61"; jakubka/transactions-mapper mapper.py; the type-code table of a Lloyds scraper
  ("FPI: Faster payment in", "CHG: Charge", "DEP: Deposit").
- santander-es-movimientos.xlsx: Banco Santander (Spain) "Movimientos" Excel: sheet "Sheet1",
  title rows, header in row 5 "Fecha operación | Fecha valor | Concepto | Importe | Saldo |
  Divisa", dates as text DD/MM/YYYY, amounts as text "1.250,00" with the minus sign U+2212 on
  debits, newest first. Seen in: ofxstatement Santander ES plugin (scans column A from row 5
  for "Fecha operación"; columns A-F; replaces U+2212 by "-" and reads "1.234,56");
  SergioSuarezgh/jenkins_cuentas constantes/class_etl.py (row_header_san = 4).
- caixabank-movimientos.xls: CaixaBank "Movimientos" as old Excel (XLS): two title rows, header
  in row 3 "Fecha | Fecha valor | Movimiento | Más datos | Importe | Saldo", the payer's
  reference in "Más datos". Seen in: a CaixaBankParser reading it with xlrd, header=2, columns
  Fecha/Fecha valor/Movimiento/Más datos/Importe/Saldo. Date and number cells (chosen: the
  parser accepts either).
- la-banque-postale-releve.csv: La Banque Postale CSV: cp1252, ";" separators, key;value lines
  ("Numéro Compte ;", "Type ;", "Compte tenu en ;", "Date ;", "Solde (EUROS) ;") and a blank
  line above "Date;Libellé;Montant(EUROS)", signed amounts with a decimal comma. Seen in: a
  bank-statement config for La Banque Postale (encoding cp1252, the five key patterns,
  delimiter ";") and Tryton's parse_banque_postale_csv ("Montant(EUROS)", "%d/%m/%Y").
- square-transactions.csv: Square Dashboard "Transactions" CSV: the 55-column header, ISO dates
  with time and "Pacific Time (US & Canada)", amounts "$1,450.75" / "-$38.91", Card Brand and
  PAN Suffix, cash sales with "Card" $0.00 and "Cash" filled, refunds as Event Type "Refund".
  Seen in: a research table quoting the header "verbatim dashboard order", a Square import
  script's sample row "2022-11-10,21:50:48,Pacific Time (US & Canada),$22.50,...,Visa,7685".
  The invoice number typed as the sale's description is chosen.
- cheques-received-book.xlsx: a practice's own cheques-received book (Excel): title rows, one
  block per paying-in slip with a "Slip ... total" row, a "Total banked" row and a "Prepared
  by" line; cheque numbers as text "004211" and one as a number formatted 000000; date cells;
  SUM formulas with their cached values, as Excel saves them. Its columns follow issue 14's
  report of such a sheet ("Date Received", "Cheque No.", "Received From") and the lists kept
  beside a paying-in book (cleanitup.co.uk forum: "a list of all cheques being deposited to
  the bank with the paying in book"; easypaymentsplus "All Cash\\Cheque report": banked date).
- stripe-balance-history.csv: Stripe balance history / payout transactions export: "id,Type,
  Source,Amount,Fee,Destination Platform Fee,Destination Platform Fee Currency,Net,Currency,
  Created (UTC),Available On (UTC),Description,Customer Facing Amount,Customer Facing Currency,
  Transfer,Transfer Date (UTC),Transfer Group", lower-case currency, "STRIPE PAYOUT" and
  "REFUND FOR CHARGE (...)" lines, a stripe_fee line. Seen in: a beancount tool's README
  ("Columns in Stripe File", sample "txn_XYZ,charge,ch_XYZ,30.00,1.17,,,28.83,usd,2022-04-23
  21:56,...,Invoice XYZXYZXY-dddd,30.00,usd,,,") and a Ruby importer's comment rows
  ("STRIPE TRANSFER", "REFUND FOR CHARGE").
- paypal-activity.csv: PayPal "Activity download" CSV (UK account): UTF-8 with BOM, every field
  quoted, the 41-column header with "Invoice Number", "Subject", "Note", "Balance Impact",
  dates DD/MM/YYYY, "1,200.00" amounts, negative fees, withdrawals and pending payments. Seen
  in: a PayPal downloader's notes ("PAYPAL DOWNLOAD REPORT HEADERS" ... "Country Code",
  "Balance Impact"), a charity importer parsing "Date" as "%d/%m/%Y", hledger's PayPal rules.
- gocardless-payments.csv: GoCardless dashboard payments export: "id,created_at,charge_date,
  amount,description,currency,status,amount_refunded,reference,transaction_fee,payout_date,..."
  with customers.* columns, statuses paid_out/confirmed/failed/cancelled, charge_date DD/MM/YYYY.
  Seen in: a charity importer's GocardlessTransactionImporter (HEADER and charge_date
  "%d/%m/%Y").
- chase-business-checking.csv: Chase checking CSV: "Details,Posting Date,Description,Amount,
  Type,Balance,Check or Slip #" with one more empty field on every data row, MM/DD/YYYY, signed
  amounts, types ACH_CREDIT/ACH_DEBIT/QUICKPAY_CREDIT/WIRE_INCOMING/CHECK_PAID/FEE_TRANSACTION.
  Seen in: an importer test's CHASE_CHECKING_CSV ("...,1500.00,ACH_CREDIT,4000.00,,") and a
  bank-import header check. ACH "ORIG CO NAME:... IND ID:..." and Fedwire "B/O: ... OBI="
  descriptions follow Chase's ACH and wire addenda (chosen detail).

statements/ (issue 17: no invoice column; each line's Match, Invoice and Accept checked)
- nationwide-business-current.csv: Nationwide CSV statement: latin-1, CRLF, every field quoted,
  '"Account Name:"', '"Account Balance:"', '"Available Balance: "' and a blank line above
  '"Date","Transaction type","Description","Paid out","Paid in","Balance"', "£" amounts, the
  payer's name in "Transaction type" ("Transfer from JOHN SMITH", "Bank credit ...") and the
  reference in "Description", oldest first. Seen in: WillOnGit/nationwide-transaction-parser
  fixtures/test-statement.csv and statement.py ("Nationwide exports files encoded with
  ISO-8859-1, using CRLF"). Its dates are DD/MM/YYYY as issue 17 asks (and as another reader's
  Nationwide sample shows); that fixture shows "13 Jun 2025". The brought/carried forward
  balance lines follow printed statements (chosen).
- bbva-movimientos.xlsx: BBVA "Movimientos" Excel: the table starts in column B under title
  rows, header "F.Valor | Fecha | Concepto | Movimiento | Importe | Divisa | Disponible |
  Divisa | Observaciones" (two columns named "Divisa"), date and number cells, signed amounts,
  newest first. Seen in: ofxstatement BBVA plugin (finds the first header cell anywhere; Fields
  enum; "Transferencia recibida", "Bizum", "Adeudo ..."), jenkins_cuentas columnas_bbva
  ("divisa2"). The "Saldo inicial"/"Saldo final" lines follow Spanish-language statements
  read by "SALDO ANTERIOR"/"SALDO FINAL DEL PERIODO" patterns in other readers (chosen here).

The seed (tests/data/corpus-sandbox-invoices.json) holds every invoice these files name, and
each folder's expected.json says what the importer should make of every line. The data tables
below are kept one line per entry (fmt: off) so that each reads like the row it writes.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import openpyxl
import xlwt
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

DATA = Path(__file__).resolve().parent / "data"
EXPORTS = DATA / "exports"
STATEMENTS = DATA / "statements"
SEED = DATA / "corpus-sandbox-invoices.json"
LOCATION_ID = "cRp5xQ2vLmN8tW4yZa7b"
# The day the expected outcomes are computed for: every payment is at most 180 days old then.
TODAY = date(2026, 12, 2)
# Every workbook says it was written at this moment, so two runs write the same bytes.
WRITTEN_AT = datetime(2026, 12, 1, 9, 14, 0)
PAYABLE = ("sent", "partially_paid", "payment_processing")
CENT = Decimal("0.01")


# ---------------------------------------------------------------------------------------------
# The invoices
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Invoice:
    number: str
    client: str
    currency: str
    total: str
    paid: str = "0"
    status: str = "sent"
    issued: str = "2026-09-15"

    @property
    def due(self) -> Decimal:
        return Decimal(self.total) - Decimal(self.paid)

    @property
    def is_open(self) -> bool:
        return self.status in PAYABLE and self.due > 0


def _invoices() -> list[Invoice]:
    i = Invoice
    # fmt: off
    return [
        # exports/quickbooks-online-payments.xlsx
        i("1021", "Acme Dental", "USD", "1200.00", issued="2026-09-01"),
        i("1022", "Blue Harbor Cafe", "USD", "612.50", issued="2026-09-02"),
        i("1023", "Cortez Landscaping", "USD", "2901.50", "1450.75", "partially_paid"),
        i("1024", "Delgado & Sons", "USD", "750.00", "500.00", "partially_paid"),
        i("1025", "Acme Dental", "USD", "1140.00", issued="2026-10-20"),
        i("1026", "Delgado & Sons", "USD", "180.00", status="void"),
        i("1027", "Evergreen Yoga", "USD", "480.00"),
        i("1028", "Evergreen Yoga", "USD", "960.00"),
        i("1029", "Fuentes Legal", "USD", "325.40", "325.40", "paid"),
        # exports/lloyds-business-statement.csv
        i("1031", "Harlow Books Ltd", "GBP", "1200.00"),
        i("1032", "Kestrel Roofing", "GBP", "325.40"),
        i("1033", "Lumen Photography Ltd", "GBP", "1500.00"),
        i("1034", "Northside Auto", "GBP", "480.00"),
        i("1035", "Orchard Pediatrics", "GBP", "1450.75"),
        i("1036", "Pine & Co Accountants", "GBP", "220.00", "220.00", "paid"),
        i("1037", "Quarry Fitness", "GBP", "480.00", status="draft"),
        i("1038", "Riverside Tutoring", "GBP", "750.00"),
        # exports/santander-es-movimientos.xlsx
        i("1041", "Marisol Bakery SL", "EUR", "1250.00"),
        i("1042", "Vega Catering S.L.", "EUR", "1960.00"),
        i("1043", "Lucía Fernández Gil", "EUR", "60.00"),
        i("1044", "Talleres Uribe SA", "EUR", "2310.45"),
        i("1045", "Zenith Quiropráctica SL", "EUR", "860.00"),
        i("1046", "Almacenes Roca SL", "EUR", "991.00", "495.50", "partially_paid"),
        i("1047", "Farmacia Birch SL", "EUR", "1100.00"),
        # exports/caixabank-movimientos.xls
        i("1051", "Clínica Veterinaria Norte SL", "EUR", "540.00"),
        i("1052", "Gráficas Alba SL", "EUR", "1875.30"),
        i("1053", "Hotel Miramar SA", "EUR", "4800.00"),
        i("1054", "Escuela de Idiomas Sol SL", "EUR", "315.00"),
        i("1055", "Panadería La Espiga SL", "EUR", "128.60"),
        # exports/la-banque-postale-releve.csv
        i("1061", "Atelier Mercier SARL", "EUR", "1450.00"),
        i("1062", "SCI Les Tilleuls", "EUR", "780.00"),
        i("1063", "Cabinet Durand et Associés", "EUR", "4700.00"),
        i("1064", "Garage Petit SARL", "EUR", "615.20"),
        i("1065", "Librairie du Port", "EUR", "330.00"),
        # exports/square-transactions.csv
        i("1071", "Solano Builders", "USD", "1450.75"),
        i("1072", "Tidewater Marine", "USD", "180.00"),
        i("1073", "Umber Design", "USD", "300.00", "300.00", "paid"),
        i("1074", "Quayside Physio", "USD", "325.40"),
        i("1075", "Redwood Tattoo", "USD", "750.00", status="draft"),
        i("1076", "Saffron Kitchen", "USD", "250.00"),
        i("1077", "Tamarind Salon", "USD", "612.50"),
        # exports/cheques-received-book.xlsx
        i("1081", "Greenway Plumbing Ltd", "GBP", "480.00"),
        i("1082", "Harlow & Finch LLP", "GBP", "1250.00"),
        i("1083", "Iris Florist", "GBP", "86.40"),
        i("1084", "Juniper Vet Clinic", "GBP", "250.00"),
        i("1085", "Kestrel & Co", "GBP", "2150.00"),
        i("1086", "Lumen Studios", "GBP", "330.00"),
        i("1087", "Marsh Lane Dental", "GBP", "615.00"),
        i("1088", "Northgate Auto", "GBP", "2840.00", "950.00", "partially_paid"),
        # exports/stripe-balance-history.csv
        i("1091", "Oakridge Fitness", "USD", "1450.75"),
        i("1092", "Parkside Deli", "USD", "240.00", "240.00", "paid"),
        i("1093", "Quinta Roble SL", "EUR", "480.00"),
        i("1094", "Rosewood Clinic", "USD", "860.00"),
        i("1095", "Summit Yoga", "USD", "510.00", "250.00", "partially_paid"),
        # exports/paypal-activity.csv
        i("1101", "Tollgate Marine Ltd", "GBP", "1200.00"),
        i("1102", "Upton Bakes", "GBP", "95.00"),
        i("1103", "Vantage Cycles Ltd", "GBP", "640.00"),
        i("1104", "Wrenfield Pottery", "GBP", "210.00"),
        i("1105", "Yarrow & Thyme", "GBP", "385.00"),
        i("1106", "Zephyr Tutors", "GBP", "150.00"),
        # exports/gocardless-payments.csv
        i("1111", "Ashby Dental Ltd", "GBP", "480.00"),
        i("1112", "Bexley Vets", "GBP", "95.50"),
        i("1113", "Carrow Lettings", "GBP", "1250.00"),
        i("1114", "Dunmore Gym", "GBP", "39.99"),
        i("1115", "Elmfield School PTA", "GBP", "62.00"),
        # exports/chase-business-checking.csv
        i("1121", "Umber & Vale Design Co", "USD", "1450.75"),
        i("1122", "Willow Spa LLC", "USD", "860.00"),
        i("1123", "Xavier Electric Inc", "USD", "2400.00"),
        i("1124", "Yellowfin Sushi", "USD", "750.00"),
        i("1125", "Zenith Chiropractic", "USD", "1720.00", "860.00", "partially_paid"),
        # exports/bank-of-america-checking.csv
        i("1131", "Acme Dental Group", "USD", "1200.00"),
        i("1132", "Kim Lee Design", "USD", "650.80"),
        i("1133", "Xavier Electric Inc", "USD", "2400.00"),
        i("1134", "Birchwood Cafe", "USD", "415.25", status="void"),
        i("1135", "Lakeside Physio", "USD", "980.00"),
        # exports/bhd-movimientos.csv
        i("1141", "Constructora del Caribe SRL", "DOP", "85000.00"),
        i("1142", "Farmacia Los Prados", "DOP", "12750.50"),
        i("1143", "Colegio San Rafael", "DOP", "46200.00"),
        i("1144", "Hotel Playa Dorada", "DOP", "30000.00", "30000.00", "paid"),
        i("1145", "Ferreteria Ochoa", "DOP", "9875.00"),
        # exports/monzo-business.csv
        i("1151", "Harding Builders Ltd", "GBP", "1450.00"),
        i("1152", "Pennywell Florist", "GBP", "86.40"),
        i("1153", "Quayle & Rowe LLP", "GBP", "2200.00"),
        i("1154", "Tamsin Greaves", "GBP", "240.00"),
        # exports/starling-business.csv
        i("1161", "Ashdown Joinery Ltd", "GBP", "960.00"),
        i("1162", "Brockley Yoga", "GBP", "120.00"),
        i("1163", "Calder Vets", "GBP", "1875.00", "875.00", "partially_paid"),
        i("1164", "Dunmore Print Co", "GBP", "455.60", status="draft"),
        # statements/nationwide-business-current.csv
        i("2003", "Ashcombe Interiors Ltd", "GBP", "1200.00", "800.00", "partially_paid"),
        i("2004", "Pendleton Architectural Services Ltd", "GBP", "1318.40"),
        i("2005", "St Aubyn Estates LLP", "GBP", "2750.00"),
        i("2006", "Willowbrook Nursery Ltd", "GBP", "500.00", issued="2026-09-05"),
        i("2007", "Willowbrook Nursery Ltd", "GBP", "500.00", issued="2026-10-05"),
        i("2008", "Pendleton Joinery Ltd", "GBP", "940.00"),
        i("2009", "Thornbury Cafe Ltd", "GBP", "600.00", "600.00", "paid"),
        i("2010", "Kingfisher Print Ltd", "GBP", "720.00", status="draft"),
        i("2011", "Crestview Dental Ltd", "GBP", "845.00"),
        i("2012", "Holloway & Price LLP", "GBP", "1260.00"),
        i("2013", "Fairbairn Joinery Ltd", "GBP", "1500.00"),
        i("2014", "Tanner Bros Ltd", "GBP", "2500.00"),
        i("2015", "Meridian Supplies Ltd", "GBP", "2216.90"),
        i("2016", "Aldgate Logistics Ltd", "GBP", "990.00"),
        i("2017", "Bramley & Sons", "GBP", "640.00"),
        i("2018", "Bramley & Sons", "GBP", "385.50"),
        i("2019", "Crestview Dental Ltd", "GBP", "410.00"),
        i("2020", "Ashcombe Interiors Ltd", "GBP", "515.00"),
        # statements/bbva-movimientos.xlsx
        i("1011", "Construcciones Aranda SL", "EUR", "2180.00"),
        i("3002", "Ferretería Hermanos Gil SL", "EUR", "416.25"),
        i("3003", "Distribuciones Levante SA", "EUR", "3000.00"),
        i("3004", "Óptica Miralba SL", "EUR", "275.90"),
        i("3005", "Óptica Miralba SL", "EUR", "1104.10"),
        i("3006", "Asesoría Campos SL", "EUR", "1745.00"),
        i("3007", "Talleres Beltrán SL", "EUR", "830.00"),
        i("3008", "García y López Asesores S.L.", "EUR", "2640.00"),
        i("3009", "Clínica Dental Sonrisas SL", "EUR", "265.00", issued="2026-09-10"),
        i("3010", "Clínica Dental Sonrisas SL", "EUR", "265.00", issued="2026-10-10"),
        i("3011", "Repuestos Norte SL", "EUR", "1240.00"),
        i("3012", "Marta Ruiz Estética", "EUR", "350.00"),
        # exports/xero-bank-statement.csv
        i("1201", "Harlow Books Ltd", "GBP", "1200.00"),
        i("1202", "Kestrel Roofing", "GBP", "325.40"),
        i("1203", "Northside Auto", "GBP", "960.00"),
        # exports/barclays-business.csv
        i("1231", "Harlow & Finch LLP", "GBP", "1200.00"),
        i("1232", "Kestrel Roofing", "GBP", "325.40"),
        i("1233", "Northside Auto", "GBP", "480.00"),
        # exports/revolut-business.csv
        i("1241", "Ashby Dental Ltd", "GBP", "1200.00"),
        i("1242", "Bexley Vets", "GBP", "325.40"),
        i("1243", "Carrow Lettings", "GBP", "480.00"),
        # exports/wise-statement.csv
        i("1251", "Acme GmbH", "EUR", "1200.00"),
        i("1252", "Boulangerie Martin", "EUR", "325.40"),
        # exports/mollie-payments.csv
        i("1281", "Bakkerij de Vries", "EUR", "1200.00"),
        i("1282", "K. Jansen", "EUR", "325.40"),
        i("1283", "Hoeve Jansen", "EUR", "480.00"),
        i("1284", "Atelier Peeters", "EUR", "750.00"),
        # exports/stripe-payments.csv
        i("1261", "Acme Dental", "USD", "1200.00"),
        i("1262", "Kim Lee Design", "USD", "325.40"),
        i("1263", "Lakeside Physio", "USD", "480.00"),
        i("1264", "Yellowfin Sushi", "USD", "750.00", "750.00", "paid"),
        # exports/lockbox-detail-report.csv
        i("1301", "Acme Dental Group", "USD", "1200.00"),
        i("1302", "Acme Dental Group", "USD", "250.00"),
        i("1303", "Kim Lee Design", "USD", "325.40"),
        i("1304", "Lakeside Physio", "USD", "480.00"),
        i("1305", "Lakeside Physio", "USD", "980.00", "460.00", "partially_paid"),
        i("1306", "Lakeside Physio", "USD", "100.00"),
        # exports/lockbox-remittance-bai.csv
        i("1311", "Harbor View Dental PC", "USD", "2400.00"),
        i("1312", "Harbor View Dental PC", "USD", "612.50"),
        i("1313", "Northgate Veterinary", "USD", "1450.75"),
        i("1314", "Summit Orthopedics LLC", "USD", "860.00"),
        i("1315", "Summit Orthopedics LLC", "USD", "390.00", "90.00", "partially_paid"),
        # exports/zoho-books-payments-received.csv
        i("1321", "Bluebird Interiors", "USD", "1450.00"),
        i("1322", "Bluebird Interiors", "USD", "550.00"),
        i("1323", "Cedar & Pine Realty", "USD", "780.00"),
        i("1324", "Cedar & Pine Realty", "USD", "1220.00"),
        i("1325", "Driftwood Cafe", "USD", "96.50"),
        i("1326", "Elm Street Pediatrics", "USD", "2100.00"),
        i("1327", "Foxglove Studio", "USD", "480.00"),
    ]
    # fmt: on


INVOICES = {invoice.number: invoice for invoice in _invoices()}


def _hex(*parts: str, length: int) -> str:
    return hashlib.sha256(":".join(("corpus", *parts)).encode()).hexdigest()[:length]


def seed() -> dict[str, object]:
    """The sandbox seed: every invoice, its client (one contact per client) and its balance.

    Fields the sandbox fills the same way on its own (status sent, nothing paid, prefix INV-,
    due 30 days after issue, ids from the position) are left out to keep the file small.
    """
    invoices = []
    for invoice in INVOICES.values():
        entry: dict[str, object] = {"invoiceNumber": invoice.number}
        if invoice.status != "sent":
            entry["status"] = invoice.status
        entry["currency"] = invoice.currency
        entry["total"] = float(invoice.total)
        if invoice.paid != "0":
            entry["amountPaid"] = float(invoice.paid)
        entry["issueDate"] = invoice.issued
        entry["contactDetails"] = {
            "id": _hex("contact", invoice.client, length=20),
            "name": invoice.client,
        }
        invoices.append(entry)
    return {"locationId": LOCATION_ID, "invoices": invoices}


# ---------------------------------------------------------------------------------------------
# What each line should give
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pay:
    """A payment line: what is recorded (or why the invoice refuses it)."""

    invoice: str
    amount: str
    on: date
    method: str
    cheque: str | None = None
    brand: str | None = None
    last4: str | None = None
    reference: str | None = None
    currency: str | None = None
    outcome: str = "recorded"
    note: str | None = None


@dataclass(frozen=True)
class Skip:
    """A line that is not a payment, and why."""

    reason: str


@dataclass(frozen=True)
class Match:
    """A statement line's proposal under issue 17."""

    match: str
    amount: str
    on: date
    invoices: tuple[str, ...] = ()
    candidates: tuple[str, ...] = ()
    why: str = ""


Expect = Pay | Skip | Match | None


@dataclass
class Table:
    """Rows as the spreadsheet shows them (row 1 first), each with what it should give."""

    cells: list[list[object]] = field(default_factory=list)
    expect: list[Expect] = field(default_factory=list)
    header_row: int = 0

    def add(self, cells: Sequence[object] = (), expect: Expect = None) -> int:
        self.cells.append(list(cells))
        self.expect.append(expect)
        return len(self.cells)

    def header(self, cells: Sequence[object]) -> int:
        self.header_row = self.add(cells)
        return self.header_row

    def expected(self) -> list[tuple[int, Pay | Skip | Match]]:
        return [(n, e) for n, e in enumerate(self.expect, start=1) if e is not None]


@dataclass
class Written:
    name: str
    imitates: str
    seen: str
    layout: dict[str, object]
    currency: str
    table: Table
    hard: list[str]


# ---------------------------------------------------------------------------------------------
# Formats
# ---------------------------------------------------------------------------------------------


def d(text: str) -> date:
    return date.fromisoformat(text)


def amount(value: str | Decimal, *, thousands: str = ",", point: str = ".") -> str:
    """1234.5 -> "1,234.50" (or "1.234,50"); the sign stays in front."""
    cents = Decimal(value).quantize(CENT)
    sign = "-" if cents < 0 else ""
    whole, frac = f"{abs(cents):.2f}".split(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return f"{sign}{thousands.join(groups)}{point}{frac}"


def plain(value: str | Decimal) -> str:
    return f"{Decimal(value).quantize(CENT):.2f}"


def dollars(value: str | Decimal) -> str:
    """Square's "$1,450.75" and "-$38.91"."""
    text = amount(value)
    return f"-${text[1:]}" if text.startswith("-") else f"${text}"


def pounds(value: str | Decimal) -> str:
    return f"£{plain(value)}"


def euros_text(value: str | Decimal) -> str:
    """Santander's text amounts: "1.250,00", and "-212,37" written with the minus sign U+2212."""
    text = amount(value, thousands=".", point=",")
    return f"\u2212{text[1:]}" if text.startswith("-") else text


def dmy(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def mdy(day: date) -> str:
    return day.strftime("%m/%d/%Y")


def write_csv(
    path: Path,
    rows: Iterable[Sequence[object]],
    *,
    encoding: str,
    delimiter: str = ",",
    quoting: int = csv.QUOTE_MINIMAL,
    newline: str = "\r\n",
    bom: bool = False,
) -> None:
    text = io.StringIO()
    writer = csv.writer(text, delimiter=delimiter, quoting=quoting, lineterminator=newline)
    for row in rows:
        writer.writerow(["" if cell is None else cell for cell in row])
    data = text.getvalue().encode(encoding)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)


_CORE_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def save_xlsx(book: openpyxl.Workbook, path: Path, *, cached: dict[str, str] | None = None) -> None:
    """Save a workbook with fixed times inside, and the given formulas' cached values.

    openpyxl stamps the save time into docProps/core.xml and into every zip entry, and writes a
    formula with no cached value (as QuickBooks does); Excel writes the value it computed.
    """
    book.properties.creator = "Northwind Studio"
    book.properties.lastModifiedBy = "Northwind Studio"
    book.properties.created = WRITTEN_AT
    book.properties.modified = WRITTEN_AT
    buffer = io.BytesIO()
    book.save(buffer)
    stamp = WRITTEN_AT.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(out, "w") as target:
        for entry in source.infolist():
            data = source.read(entry.filename)
            if entry.filename == "docProps/core.xml":
                data = _CORE_MODIFIED.sub(rb"\g<1>" + stamp + rb"\g<2>", data)
            if entry.filename == "xl/worksheets/sheet1.xml" and cached:
                for ref, value in cached.items():
                    pattern = rf'(<c r="{ref}"[^>]*><f>[^<]*</f>)<v\s*/>'.encode()
                    data, count = re.subn(pattern, rb"\g<1><v>" + value.encode() + b"</v>", data)
                    if count != 1:
                        raise SystemExit(f"{path.name}: no formula cell {ref} to give a value")
            info = zipfile.ZipInfo(entry.filename, date_time=WRITTEN_AT.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            target.writestr(info, data)
    path.write_bytes(out.getvalue())


def new_sheet(title: str, rows: Iterable[Sequence[object]]) -> tuple[openpyxl.Workbook, Worksheet]:
    book = openpyxl.Workbook()
    sheet = book.active
    assert isinstance(sheet, Worksheet)
    sheet.title = title
    for row in rows:
        sheet.append(list(row))
    return book, sheet


def widths(sheet: Worksheet, values: Sequence[int]) -> None:
    for index, width in enumerate(values, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def formats(sheet: Worksheet, *, first_row: int, money: str = "#,##0.00") -> None:
    """Date cells as dd/mm/yyyy and amounts with two decimals, as the bank's sheet shows them."""
    for row in sheet.iter_rows(min_row=first_row):
        for cell in row:
            if isinstance(cell.value, date):
                cell.number_format = "dd/mm/yyyy"
            elif isinstance(cell.value, float):
                cell.number_format = money


# ---------------------------------------------------------------------------------------------
# exports/
# ---------------------------------------------------------------------------------------------


def quickbooks() -> Written:
    t = Table()
    t.add(["Transaction List by Customer"])
    t.add(["Northwind Studio LLC"])
    t.add(["October 1 - November 30, 2026"])
    t.add([])
    t.header(["", "Date", "Transaction Type", "Num", "Memo/Description", "Payment Method",
              "Account", "Amount"])  # fmt: skip
    # HighLevel records a card payment with its last 4 digits, which the report does not have:
    # recorded as method other, the card named in the notes (nothing made up).
    no_last4 = (
        "card payment with no last 4 digits anywhere in the report: recorded as method other, "
        "its notes naming the card"
    )
    # customer -> (date, num, memo, method word, amount, what it gives)
    # fmt: off
    groups: list[tuple[str, list[tuple[str, str, str, str, str, Pay]]]] = [
        ("Acme Dental", [
            ("2026-10-02", "004211", "Invoice 1021", "Check", "1200.00",
             Pay("1021", "1200.00", d("2026-10-02"), "cheque", cheque="004211")),
            ("2026-10-27", "", "Inv #1025 deposit", "Cash", "300.00",
             Pay("1025", "300.00", d("2026-10-27"), "cash")),
        ]),
        ("Blue Harbor Cafe", [
            ("2026-10-14", "", "INV-1022", "Visa", "612.50",
             Pay("1022", "612.50", d("2026-10-14"), "other", note=no_last4)),
        ]),
        ("Cortez Landscaping", [
            ("2026-11-02", "000918", "Invoice 1023", "Check", "1450.75",
             Pay("1023", "1450.75", d("2026-11-02"), "cheque", cheque="000918")),
        ]),
        ("Delgado & Sons", [
            ("2026-11-05", "1187", "Invoice 1024 - balance", "Check", "250.00",
             Pay("1024", "250.00", d("2026-11-05"), "cheque", cheque="1187")),
            ("2026-11-19", "1192", "Invoice 1026", "Check", "180.00",
             Pay("1026", "180.00", d("2026-11-19"), "cheque", cheque="1192",
                 outcome="rejected", note="invoice 1026 is void")),
        ]),
        ("Evergreen Yoga", [
            ("2026-11-12", "", "Invoice 1027", "Cash", "480.00",
             Pay("1027", "480.00", d("2026-11-12"), "cash")),
            ("2026-11-20", "", "Invoice 1028 part payment", "MasterCard", "200.00",
             Pay("1028", "200.00", d("2026-11-20"), "other", note=no_last4)),
        ]),
        ("Fuentes Legal", [
            ("2026-11-23", "5521", "Invoice 1029", "Check", "325.40",
             Pay("1029", "325.40", d("2026-11-23"), "cheque", cheque="5521",
                 outcome="rejected", note="invoice 1029 is already paid")),
        ]),
    ]
    # fmt: on
    totals: list[str] = []
    for customer, payments in groups:
        t.add([customer])
        first = len(t.cells) + 1
        for when, num, memo, method, value, expect in payments:
            t.add(["", mdy(d(when)), "Payment", num, memo, method, "Undeposited Funds",
                   f"={plain(value)}"], expect)  # fmt: skip
        refs = "+".join(f"H{n}" for n in range(first, len(t.cells) + 1))
        subtotal = t.add(
            [f"Total for {customer}", "", "", "", "", "", "", f"={refs}"],
            Skip(f"subtotal: Total for {customer}"),
        )
        totals.append(f"H{subtotal}")
    grand = totals[0]
    for ref in totals[1:]:
        grand = f"({grand})+({ref})"
    t.add([])
    t.add(["TOTAL", "", "", "", "", "", "", f"={grand}"], Skip("grand total: TOTAL"))
    t.add([])
    t.add([])
    t.add(
        ["Cash Basis Tuesday, December 1, 2026 09:14 AM GMT-08:00"],
        Skip("footer: the report's time stamp"),
    )

    book, sheet = new_sheet("Sheet1", t.cells)
    for row in sheet.iter_rows(min_row=t.header_row + 1, min_col=8, max_col=8):
        for cell in row:
            cell.number_format = "#,##0.00"
    sheet["A1"].font = Font(bold=True, size=14)
    widths(sheet, [28, 12, 18, 10, 30, 16, 20, 12])
    save_xlsx(book, EXPORTS / "quickbooks-online-payments.xlsx")
    return Written(
        "quickbooks-online-payments.xlsx",
        "QuickBooks Online: Transaction List by Customer (payments), exported to Excel",
        "closethebooks qbo_exports.py; qoe tests/test_gl_formats.py (QBO_CSV)",
        {"format": "xlsx", "sheet": "Sheet1", "header_row": t.header_row},
        "USD",
        t,
        [
            "Every amount is a formula with no cached value (=1200.00, subtotals =H7+H8), as "
            "QuickBooks writes them: python-calamine reads such cells as empty.",
            "The header's first cell is empty; customer names sit alone on group rows above "
            "their payments, not in a column of the payment row.",
            "The invoice is only inside Memo/Description: 'Invoice 1021', 'Inv #1025 deposit', "
            "'INV-1022', 'Invoice 1024 - balance', 'Invoice 1028 part payment'.",
            "Num is the cheque number on Check rows and empty otherwise; method words Check, "
            "Cash, Visa, MasterCard; card rows have no last 4 digits.",
            "'Total for <customer>' subtotals between groups, 'TOTAL', then two blank rows and "
            "a time-stamp footer.",
            "Dates are text MM/DD/YYYY.",
        ],
    )


def lloyds() -> Written:
    t = Table()
    t.header(["Transaction Date", "Transaction Type", "Sort Code", "Account Number",
              "Transaction Description", "Debit Amount", "Credit Amount", "Balance"])  # fmt: skip
    transfer = "bank_transfer"
    # newest first: (date, type, description, paid out, paid in, what it gives)
    # fmt: off
    lines: list[tuple[str, str, str, str, str, Expect]] = [
        ("2026-11-27", "FPI", "HARLOW BOOKS LTD INV-1031", "", "1200.00",
         Pay("1031", "1200.00", d("2026-11-27"), transfer)),
        ("2026-11-25", "DD", "HMRC VAT", "1840.22", "", Skip("debit: direct debit")),
        ("2026-11-24", "FPI", "KESTREL ROOFING INVOICE 1032", "", "325.40",
         Pay("1032", "325.40", d("2026-11-24"), transfer)),
        ("2026-11-20", "BGC", "LUMEN PHOTOGRAPHY LTD INV1033", "", "750.00",
         Pay("1033", "750.00", d("2026-11-20"), transfer)),
        ("2026-11-18", "DEB", "TESCO STORES 2841 CD 4821", "23.65", "", Skip("debit: card")),
        ("2026-11-13", "FPI", "NORTHSIDE AUTO INV 1034", "", "480.00",
         Pay("1034", "480.00", d("2026-11-13"), transfer)),
        ("2026-11-11", "FPO", "CRANLEIGH PROPERTIES RENT NOV", "1250.00", "",
         Skip("debit: faster payment out")),
        ("2026-11-06", "FPI", "ORCHARD PEDIATRICS REF INV-1035", "", "1450.75",
         Pay("1035", "1450.75", d("2026-11-06"), transfer)),
        ("2026-11-03", "CHG", "SERVICE CHARGES OCT", "8.50", "", Skip("bank fee")),
        ("2026-10-29", "FPI", "PINE AND CO INV-1036", "", "220.00",
         Pay("1036", "220.00", d("2026-10-29"), transfer, outcome="rejected",
             note="invoice 1036 is already paid")),
        ("2026-10-21", "BGC", "QUARRY FITNESS INV-1037", "", "480.00",
         Pay("1037", "480.00", d("2026-10-21"), transfer, outcome="rejected",
             note="invoice 1037 is a draft")),
        ("2026-10-15", "FPI", "RIVERSIDE TUTORING INV-1038", "", "375.00",
         Pay("1038", "375.00", d("2026-10-15"), transfer)),
    ]
    # fmt: on
    balance = Decimal("18406.11")
    for when, kind, text, out, into, expect in lines:
        t.add([dmy(d(when)), kind, "'30-91-74", "02344812", text, out, into, plain(balance)],
              expect)  # fmt: skip
        balance -= Decimal(into or "0") - Decimal(out or "0")
    write_csv(EXPORTS / "lloyds-business-statement.csv", t.cells, encoding="ascii")
    return Written(
        "lloyds-business-statement.csv",
        "Lloyds Bank business account CSV download (same layout as Halifax, Bank of Scotland)",
        "a Rust Lloyds importer's sample row; jakubka/transactions-mapper mapper.py; "
        "a Lloyds scraper's transaction type codes",
        {"format": "csv", "encoding": "ascii", "delimiter": ",", "header_row": 1},
        "GBP",
        t,
        [
            "No invoice column: the payer's reference is run into Transaction Description "
            "after the name ('HARLOW BOOKS LTD INV-1031', 'INV1033', 'INV 1034', "
            "'INVOICE 1032', 'REF INV-1035').",
            "Money in is 'Credit Amount', money out 'Debit Amount' (a bank's debit is not "
            "the accounting debit); Sort Code carries a leading apostrophe.",
            "Type codes FPI/BGC are transfers in; DD, DEB, FPO, CHG are debits and fees.",
        ],
    )


def santander() -> Written:
    t = Table()
    t.add(["Consulta de movimientos"])
    t.add(["Cuenta: ES12 0049 1500 0512 3456 7890"])
    t.add(["Titular: ESTUDIO NORTHWIND SL"])
    t.add(["Fecha de consulta: 01/12/2026"])
    t.header(["Fecha operación", "Fecha valor", "Concepto", "Importe", "Saldo", "Divisa"])
    transfer = "bank_transfer"
    value_date = "payment date is the value date (Fecha valor)"
    # newest first: (booking date, value date, concept, signed amount, what it gives)
    # fmt: off
    lines: list[tuple[str, str, str, str, Expect]] = [
        ("2026-11-30", "2026-11-30",
         "TRANSFERENCIA DE MARISOL BAKERY SL, CONCEPTO Factura 1041", "1250.00",
         Pay("1041", "1250.00", d("2026-11-30"), transfer)),
        ("2026-11-28", "2026-11-28", "RECIBO IBERDROLA CLIENTES SAU", "-212.37",
         Skip("debit: direct debit")),
        ("2026-11-25", "2026-11-25",
         "TRANSFERENCIA DE VEGA CATERING S.L., CONCEPTO FRA. 1042", "980.00",
         Pay("1042", "980.00", d("2026-11-25"), transfer)),
        ("2026-11-19", "2026-11-20",
         "BIZUM DE LUCIA FERNANDEZ GIL, CONCEPTO Factura 1043", "60.00",
         Pay("1043", "60.00", d("2026-11-20"), transfer, note="Bizum; " + value_date)),
        ("2026-11-14", "2026-11-14", "COMISION MANTENIMIENTO", "-15.00", Skip("bank fee")),
        ("2026-11-10", "2026-11-10",
         "TRANSFERENCIA DE TALLERES URIBE SA, CONCEPTO Factura 1044", "2310.45",
         Pay("1044", "2310.45", d("2026-11-10"), transfer)),
        ("2026-11-05", "2026-11-06",
         "TRANSFERENCIA INMEDIATA DE ZENITH QUIROPRACTICA SL, CONCEPTO FACTURA 1045", "860.00",
         Pay("1045", "860.00", d("2026-11-06"), transfer, note=value_date)),
        ("2026-11-02", "2026-11-02", "PAGO CON TARJETA EN MERCADONA", "-48.17",
         Skip("debit: card")),
        ("2026-10-27", "2026-10-27",
         "TRANSFERENCIA DE ALMACENES ROCA SL, CONCEPTO Factura 1046", "495.50",
         Pay("1046", "495.50", d("2026-10-27"), transfer)),
        ("2026-10-20", "2026-10-20",
         "TRANSFERENCIA DE FARMACIA BIRCH SL, CONCEPTO Factura 1047", "1100.00",
         Pay("1047", "1100.00", d("2026-10-20"), transfer)),
    ]
    # fmt: on
    balance = Decimal("21874.52")
    for booked, value, text, signed, expect in lines:
        t.add([dmy(d(booked)), dmy(d(value)), text, euros_text(signed), euros_text(balance),
               "EUR"], expect)  # fmt: skip
        balance -= Decimal(signed)
    book, sheet = new_sheet("Sheet1", t.cells)
    widths(sheet, [16, 14, 70, 14, 14, 8])
    save_xlsx(book, EXPORTS / "santander-es-movimientos.xlsx")
    return Written(
        "santander-es-movimientos.xlsx",
        "Banco Santander (Spain) online banking: Movimientos exported to Excel",
        "ofxstatement Santander ES plugin; SergioSuarezgh/jenkins_cuentas class_etl.py",
        {"format": "xlsx", "sheet": "Sheet1", "header_row": t.header_row},
        "EUR",
        t,
        [
            "Amounts are text in Spanish format ('1.250,00', '2.310,45') and debits start "
            "with the minus sign U+2212, not '-'.",
            "Two date columns, 'Fecha operación' and 'Fecha valor', differ on two lines; the "
            "expected payment date is the value date.",
            "The invoice is only inside Concepto: 'CONCEPTO Factura 1041', 'FRA. 1042', "
            "'FACTURA 1045'; one Bizum line.",
            "Four title lines above the header in row 5; dates are text DD/MM/YYYY.",
        ],
    )


def caixabank() -> Written:
    t = Table()
    t.add(["Movimientos de cuenta"])
    t.add(["ES67 2100 0813 6102 0045 8721 - ESTUDIO NORTHWIND SL"])
    t.header(["Fecha", "Fecha valor", "Movimiento", "Más datos", "Importe", "Saldo"])
    transfer = "bank_transfer"
    # newest first: (date, movement, more data, signed amount, what it gives)
    # fmt: off
    lines: list[tuple[str, str, str, str, Expect]] = [
        ("2026-11-27", "TRANSF DE CLINICA VETERINARIA NORT", "FACTURA 1051", "540.00",
         Pay("1051", "540.00", d("2026-11-27"), transfer)),
        ("2026-11-24", "RECIBO TELEFONICA DE ESPANA", "", "-64.13", Skip("debit: direct debit")),
        ("2026-11-18", "TRANSF DE GRAFICAS ALBA SL", "FRA.1052 NOVIEMBRE", "1875.30",
         Pay("1052", "1875.30", d("2026-11-18"), transfer)),
        ("2026-11-12", "TRANSF DE HOTEL MIRAMAR SA", "PAGO FACTURA 1053", "2400.00",
         Pay("1053", "2400.00", d("2026-11-12"), transfer)),
        ("2026-11-06", "COMISIONES", "MANTENIMIENTO", "-30.00", Skip("bank fee")),
        ("2026-10-30", "TRANSF DE ESCUELA IDIOMAS SOL", "FACTURA N 1054", "315.00",
         Pay("1054", "315.00", d("2026-10-30"), transfer)),
        ("2026-10-22", "TRANSF DE PANADERIA LA ESPIGA SL", "FACTURA 1055", "128.60",
         Pay("1055", "128.60", d("2026-10-22"), transfer)),
    ]
    # fmt: on
    balance = Decimal("9312.74")
    for when, text, more, signed, expect in lines:
        t.add([d(when), d(when), text, more, float(signed), float(balance)], expect)
        balance -= Decimal(signed)

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Movimientos")
    date_style = xlwt.easyxf(num_format_str="dd/mm/yyyy")
    money_style = xlwt.easyxf(num_format_str="#,##0.00")
    bold = xlwt.easyxf("font: bold on")
    for r, row in enumerate(t.cells):
        for c, value in enumerate(row):
            if isinstance(value, date):
                sheet.write(r, c, value, date_style)
            elif isinstance(value, float):
                sheet.write(r, c, value, money_style)
            else:
                sheet.write(r, c, value, bold if r < t.header_row else xlwt.Style.default_style)
    for c, width in enumerate([12, 12, 40, 24, 12, 12]):
        sheet.col(c).width = width * 256
    book.save(str(EXPORTS / "caixabank-movimientos.xls"))
    return Written(
        "caixabank-movimientos.xls",
        "CaixaBank online banking: Movimientos exported to Excel 97-2003 (.xls)",
        "a CaixaBankParser reading it with xlrd, header=2",
        {"format": "xls", "sheet": "Movimientos", "header_row": t.header_row},
        "EUR",
        t,
        [
            "Old Excel (BIFF8) with date and number cells; two title rows.",
            "The payer is in 'Movimiento' (bank-truncated: 'CLINICA VETERINARIA NORT') and "
            "the invoice in 'Más datos' ('FRA.1052 NOVIEMBRE', 'FACTURA N 1054').",
            "Signed amounts in one 'Importe' column; 'Fecha' and 'Fecha valor'.",
        ],
    )


def banque_postale() -> Written:
    t = Table()
    t.add(["Numéro Compte ", "0123456A020"])
    t.add(["Type ", "CCP"])
    t.add(["Compte tenu en ", "euros"])
    t.add(["Date ", "01/12/2026"])
    t.add(["Solde (EUROS) ", "3912,46"])
    t.add([])
    t.header(["Date", "Libellé", "Montant(EUROS)"])
    transfer = "bank_transfer"
    # newest first: (date, label, signed amount, what it gives)
    # fmt: off
    lines: list[tuple[str, str, str, Expect]] = [
        ("2026-11-28", "VIREMENT DE ATELIER MERCIER REF FACTURE 1061", "1450.00",
         Pay("1061", "1450.00", d("2026-11-28"), transfer)),
        ("2026-11-26", "PRELEVEMENT DE EDF CLIENTS PARTICULIERS", "-96.40",
         Skip("debit: direct debit")),
        ("2026-11-21", "VIREMENT DE SCI LES TILLEULS FACTURE 1062", "780.00",
         Pay("1062", "780.00", d("2026-11-21"), transfer)),
        ("2026-11-15", "CARTE X4821 14/11 BOULANGERIE ROUX", "-12.30", Skip("debit: card")),
        ("2026-11-09", "VIREMENT DE CABINET DURAND ET ASSOCIES FACT 1063", "2350.00",
         Pay("1063", "2350.00", d("2026-11-09"), transfer)),
        ("2026-11-04", "COTISATION OFFRE FORMULE PRO", "-9.90", Skip("bank fee")),
        ("2026-10-29", "VIREMENT DE GARAGE PETIT FACTURE N°1064", "615.20",
         Pay("1064", "615.20", d("2026-10-29"), transfer)),
        ("2026-10-20", "VIREMENT DE LIBRAIRIE DU PORT INV-1065", "330.00",
         Pay("1065", "330.00", d("2026-10-20"), transfer)),
    ]
    # fmt: on
    for when, text, signed, expect in lines:
        t.add([dmy(d(when)), text, amount(signed, thousands="", point=",")], expect)
    write_csv(
        EXPORTS / "la-banque-postale-releve.csv",
        t.cells,
        encoding="cp1252",
        delimiter=";",
        newline="\n",
    )
    return Written(
        "la-banque-postale-releve.csv",
        "La Banque Postale: relevé de compte téléchargé en CSV",
        "a La Banque Postale bank-statement config (cp1252, key patterns, ';'); Tryton "
        "parse_banque_postale_csv",
        {
            "format": "csv",
            "encoding": "cp1252",
            "delimiter": ";",
            "decimal": ",",
            "header_row": t.header_row,
        },
        "EUR",
        t,
        [
            "Five 'key ;value' lines (keys with a trailing space) and a blank line above "
            "the header; cp1252 ('°', 'é').",
            "One signed amount column 'Montant(EUROS)' with a decimal comma and no thousands "
            "separator ('2350,00', '-96,40').",
            "The invoice is inside Libellé: 'REF FACTURE 1061', 'FACT 1063', 'FACTURE N°1064' "
            "(no space after °), 'INV-1065'.",
        ],
    )


# The header line as Square writes it.
SQUARE_HEADER = (  # noqa: SIM905 (kept as the one line the export writes)
    "Date,Time,Time Zone,Gross Sales,Discounts,Service Charges,Net Sales,Gift Card Sales,Tax,"
    "Tip,Partial Refunds,Total Collected,Source,Card,Card Entry Methods,Cash,Square Gift Card,"
    "Other Tender,Other Tender Type,Tender Note,Fees,Net Total,Transaction ID,Payment ID,"
    "Card Brand,PAN Suffix,Device Name,Staff Name,Staff ID,Details,Description,Event Type,"
    "Location,Dining Option,Customer ID,Customer Name,Customer Reference ID,Device Nickname,"
    "Third Party Fees,Deposit ID,Deposit Date,Deposit Details,Fee Percentage Rate,"
    "Fee Fixed Rate,Refund Reason,Discount Name,Transaction Status,Cash App,"
    "Order Reference ID,Fulfillment Note,Free Processing Applied,Channel,Unattributed Tips,"
    "Table Info,International Fee"
).split(",")


def square() -> Written:
    t = Table()
    t.header(SQUARE_HEADER)
    # newest first: (date, time, total, card brand, last 4, entry, fee, description, customer,
    # event type, what it gives); a cash sale has no brand.
    # fmt: off
    sales: list[tuple[str, str, str, str, str, str, str, str, str, str, Expect]] = [
        ("2026-11-24", "16:05:12", "1450.75", "Visa", "4242", "Dip", "38.91", "Invoice 1071",
         "Solano Builders", "Payment",
         Pay("1071", "1450.75", d("2026-11-24"), "card", brand="Visa", last4="4242",
             reference="qVb3kR8sLm2Tn6Wx9YzA1cD4eF7g")),
        ("2026-11-19", "11:42:03", "180.00", "", "", "", "0.00", "Invoice 1072",
         "Tidewater Marine", "Payment",
         Pay("1072", "180.00", d("2026-11-19"), "cash", reference="hJ5kL8mN2pQ4rS6tV9wX1yZ3aB5c",
             note="cash sale: 'Card' is $0.00 and 'Cash' holds the amount")),
        ("2026-11-15", "09:10:44", "-45.00", "Visa", "1881", "", "-1.16", "Invoice 1073",
         "Umber Design", "Refund", Skip("refund: Event Type Refund, negative amounts")),
        ("2026-11-12", "14:33:50", "325.40", "MasterCard", "5454", "Tap", "8.46", "Invoice 1074",
         "Quayside Physio", "Payment",
         Pay("1074", "325.40", d("2026-11-12"), "card", brand="Mastercard", last4="5454",
             reference="mN4pQ7rS1tV3wX6yZ8aB2cD5eF9g")),
        ("2026-11-06", "10:02:17", "750.00", "American Express", "0005", "Keyed", "26.63",
         "Inv 1075", "Redwood Tattoo", "Payment",
         Pay("1075", "750.00", d("2026-11-06"), "card", brand="Amex", last4="0005",
             reference="zA2bC5dE8fG1hJ4kL7mN9pQ3rS6t", outcome="rejected",
             note="invoice 1075 is a draft")),
        ("2026-10-30", "15:20:05", "100.00", "Visa", "1881", "Tap", "2.60", "Invoice 1076 part",
         "Saffron Kitchen", "Payment",
         Pay("1076", "100.00", d("2026-10-30"), "card", brand="Visa", last4="1881",
             reference="cD3eF6gH9jK2lM5nP8qR1sT4vW7x")),
        ("2026-10-30", "15:24:41", "150.00", "Visa", "1881", "Tap", "3.90", "Invoice 1076 rest",
         "Saffron Kitchen", "Payment",
         Pay("1076", "150.00", d("2026-10-30"), "card", brand="Visa", last4="1881",
             reference="yZ6aB9cD2eF5gH8jK1lM4nP7qR3s",
             note="second payment on the same invoice, day and card: not a duplicate")),
        ("2026-10-21", "12:00:36", "612.50", "Discover", "1117", "Swipe", "15.93", "Invoice 1077",
         "Tamarind Salon", "Payment",
         Pay("1077", "612.50", d("2026-10-21"), "card", brand="Discover", last4="1117",
             reference="tV8wX2yZ5aB7cD1eF4gH6jK9lM3n")),
    ]
    # fmt: on
    for index, sale in enumerate(sales):
        when, time, total, brand, last4, entry, fee, text, customer, event, expect = sale
        cash = brand == ""
        txn = expect.reference if isinstance(expect, Pay) else "pL2mN5qR8sT1vW4xY7zA3bC6dE9f"
        row = dict.fromkeys(SQUARE_HEADER, "")
        # fmt: off
        row.update({
            "Date": when, "Time": time, "Time Zone": "Pacific Time (US & Canada)",
            "Gross Sales": dollars(total), "Discounts": "$0.00", "Service Charges": "$0.00",
            "Net Sales": dollars(total), "Gift Card Sales": "$0.00", "Tax": "$0.00",
            "Tip": "$0.00", "Partial Refunds": "$0.00", "Total Collected": dollars(total),
            "Source": "Point of Sale", "Card": "$0.00" if cash else dollars(total),
            "Card Entry Methods": entry, "Cash": dollars(total) if cash else "$0.00",
            "Square Gift Card": "$0.00", "Other Tender": "$0.00",
            "Fees": dollars(-Decimal(fee)), "Net Total": dollars(Decimal(total) - Decimal(fee)),
            "Transaction ID": txn or "", "Payment ID": _hex("sq", str(index), length=29),
            "Card Brand": brand, "PAN Suffix": last4, "Device Name": "Front Desk Terminal",
            "Staff Name": "Dana Ortiz", "Staff ID": "TM3xK9sLpQ2w",
            "Details": f"https://squareup.com/dashboard/sales/transactions/{txn}",
            "Description": text, "Event Type": event, "Location": "Northwind Studio",
            "Customer ID": _hex("sqc", customer, length=26).upper(),
            "Customer Name": customer, "Device Nickname": "Front Desk",
            "Deposit ID": "" if cash else "dp_" + _hex("sqd", when, length=20),
            "Deposit Date": "" if cash else when,
            "Deposit Details": "" if cash else "https://squareup.com/dashboard/deposits",
            "Fee Percentage Rate": "0" if cash else "2.6",
            "Fee Fixed Rate": "$0.00" if cash else "$0.15",
            "Refund Reason": "Returned deposit" if event == "Refund" else "",
            "Transaction Status": "Complete", "Channel": "Point of Sale",
            "Free Processing Applied": "$0.00", "International Fee": "$0.00",
        })
        # fmt: on
        t.add([row[column] for column in SQUARE_HEADER], expect)
    write_csv(EXPORTS / "square-transactions.csv", t.cells, encoding="utf-8", newline="\n")
    return Written(
        "square-transactions.csv",
        "Square Dashboard: Transactions, exported as CSV",
        "Square transactions CSV header quoted 'verbatim dashboard order' in a research "
        "table; a Square import script's sample row",
        {"format": "csv", "encoding": "utf-8", "delimiter": ",", "header_row": 1},
        "USD",
        t,
        [
            "55 columns and at least seven that hold an amount ('Gross Sales', 'Net Sales', "
            "'Total Collected', 'Card', 'Cash', 'Net Total', 'Fees'); the payment is "
            "'Total Collected'.",
            "'Card' is an amount column, yet the card-terminal template lists 'Card' as a "
            "header for the last 4 digits; the last 4 are in 'PAN Suffix' ('0005' keeps its "
            "zeros).",
            "Method by tender: a cash sale has 'Card' $0.00 and 'Cash' $180.00 and no brand.",
            "Amounts '$1,450.75' (quoted when they hold a comma) and '-$38.91'; a refund is an "
            "Event Type, not a separate column.",
            "The invoice is only in 'Description' ('Invoice 1071', 'Inv 1075', "
            "'Invoice 1076 part').",
        ],
    )


def cheque_book() -> Written:
    t = Table()
    t.add(["Northwind Studio Ltd"])
    t.add(["Cheques received and banked"])
    t.add(["October - November 2026"])
    t.add([])
    t.header(["Date Received", "Received From", "Cheque No.", "Bank", "Invoice", "Amount",
              "Paying-in Slip", "Deposit Date"])  # fmt: skip
    # slip, deposit date -> (received, drawer, cheque no., bank, invoice, amount, what it gives)
    # fmt: off
    slips: list[tuple[str, str, list[tuple[str, str, str | int, str, str, str, Pay]]]] = [
        ("000412", "2026-10-09", [
            ("2026-10-06", "Greenway Plumbing Ltd", "004211", "Barclays", "INV-1081", "480.00",
             Pay("1081", "480.00", d("2026-10-06"), "cheque", cheque="004211")),
            ("2026-10-07", "Harlow & Finch LLP", 918, "HSBC", "1082", "1250.00",
             Pay("1082", "1250.00", d("2026-10-07"), "cheque", cheque="000918",
                 note="cheque number typed as the number 918 in a cell formatted 000000")),
            ("2026-10-08", "Iris Florist", "100236", "Lloyds", "Inv 1083", "86.40",
             Pay("1083", "86.40", d("2026-10-08"), "cheque", cheque="100236")),
        ]),
        ("000413", "2026-11-03", [
            ("2026-10-29", "Juniper Vet Clinic", "017733", "NatWest", "1084", "250.00",
             Pay("1084", "250.00", d("2026-10-29"), "cheque", cheque="017733")),
            ("2026-10-31", "Kestrel & Co", "000045", "Santander", "INV-1085", "1075.00",
             Pay("1085", "1075.00", d("2026-10-31"), "cheque", cheque="000045")),
            ("2026-11-02", "Lumen Studios", "883201", "Metro Bank", "INV-1086", "330.00",
             Pay("1086", "330.00", d("2026-11-02"), "cheque", cheque="883201")),
        ]),
        ("000414", "2026-11-20", [
            ("2026-11-16", "Marsh Lane Dental", "002298", "Barclays", "1087", "615.00",
             Pay("1087", "615.00", d("2026-11-16"), "cheque", cheque="002298")),
            ("2026-11-18", "Northgate Auto", "000301", "HSBC", "INV-1088", "1980.00",
             Pay("1088", "1980.00", d("2026-11-18"), "cheque", cheque="000301",
                 outcome="rejected", note="more than the 1,890.00 invoice 1088 still owes")),
        ]),
    ]
    # fmt: on
    cached: dict[str, str] = {}
    slip_totals: list[str] = []
    banked = Decimal(0)
    for slip, deposited, cheques in slips:
        first = len(t.cells) + 1
        for received, drawer, number, bank, invoice, value, expect in cheques:
            t.add([d(received), drawer, number, bank, invoice, float(value), slip, d(deposited)],
                  expect)  # fmt: skip
        total = sum((Decimal(cheque[5]) for cheque in cheques), Decimal(0))
        row = t.add(
            ["", f"Slip {slip} total", "", "", "", f"=SUM(F{first}:F{len(t.cells)})"],
            Skip(f"subtotal: paying-in slip {slip}"),
        )
        cached[f"F{row}"] = plain(total)
        slip_totals.append(f"F{row}")
        banked += total
        t.add([])
    row = t.add(
        ["", "Total banked", "", "", "", "=" + "+".join(slip_totals)],
        Skip("grand total: Total banked"),
    )
    cached[f"F{row}"] = plain(banked)
    t.add([])
    t.add(
        ["Prepared by: A. Clarke", "", "", "", "Checked by:"],
        Skip("footer: prepared by / checked by"),
    )

    book, sheet = new_sheet("Cheques", t.cells)
    formats(sheet, first_row=t.header_row + 1, money='"£"#,##0.00')
    for row_cells in sheet.iter_rows(min_row=t.header_row + 1, min_col=3, max_col=3):
        for cell in row_cells:
            if isinstance(cell.value, int):
                cell.number_format = "000000"
    for row_cells in sheet.iter_rows(min_row=t.header_row + 1, min_col=6, max_col=6):
        for cell in row_cells:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.number_format = '"£"#,##0.00'
    for cell in sheet[t.header_row]:
        cell.font = Font(bold=True)
    sheet["A1"].font = Font(bold=True, size=14)
    widths(sheet, [14, 24, 12, 12, 12, 12, 14, 14])
    save_xlsx(book, EXPORTS / "cheques-received-book.xlsx", cached=cached)
    return Written(
        "cheques-received-book.xlsx",
        "A practice's own cheques-received book kept in Excel beside the paying-in book",
        "issue 14's report of such a sheet; cleanitup.co.uk forum (list of cheques kept "
        "with the paying-in book); easypaymentsplus 'All Cash\\Cheque report'",
        {"format": "xlsx", "sheet": "Cheques", "header_row": t.header_row},
        "GBP",
        t,
        [
            "Cheque numbers as text with leading zeros ('004211', '000045') and one typed as "
            "the number 918 in a cell formatted 000000 (shows 000918).",
            "'Date Received' and 'Deposit Date' are both dates: the payment date is the date "
            "received.",
            "A 'Slip ... total' row after each slip (SUM formulas with cached values), blank "
            "rows between slips, 'Total banked', and a 'Prepared by' footer.",
            "Invoice written '1082', 'INV-1081', 'Inv 1083'; amounts are number cells "
            "formatted £#,##0.00.",
        ],
    )


# The header line as Stripe writes it.
STRIPE_HEADER = (  # noqa: SIM905 (kept as the one line the export writes)
    "id,Type,Source,Amount,Fee,Destination Platform Fee,Destination Platform Fee Currency,Net,"
    "Currency,Created (UTC),Available On (UTC),Description,Customer Facing Amount,"
    "Customer Facing Currency,Transfer,Transfer Date (UTC),Transfer Group"
).split(",")


def stripe() -> Written:
    t = Table()
    t.header(STRIPE_HEADER)
    payout = "po_1QmZ8rKq3vW7nT2yLx9cB4dE"
    in_eur = (
        "paid in EUR: the invoice is credited the Customer Facing Amount 480.00 EUR, not the "
        "522.91 USD Stripe settled"
    )
    # The export says neither how a charge was paid (card, wallet, bank debit) nor any card's
    # digits, which HighLevel records a card payment with: method other, Stripe's id kept.
    stripe = "other"
    # newest first: (type, source, amount, fee, created, available on, description,
    # customer facing amount and currency, what it gives); the payout's amount is worked out.
    # fmt: off
    lines: list[tuple[str, str, str, str, str, str, str, str, str, Expect]] = [
        ("payout", payout, "0.00", "0.00", "2026-11-27 00:12", "2026-11-27 00:00",
         "STRIPE PAYOUT", "", "", Skip("payout to the bank")),
        ("charge", "ch_3QlY7pKq3vW7nT2y0a1b2c3d", "1450.75", "42.37", "2026-11-24 18:41",
         "2026-11-26 00:00", "Invoice 1091", "1450.75", "usd",
         Pay("1091", "1450.75", d("2026-11-24"), stripe,
             reference="txn_3QlY7pKq3vW7nT2y1e2f3g4h")),
        ("refund", "re_3QkX6oKq3vW7nT2y2i3j4k5l", "-120.00", "0.00", "2026-11-20 10:05",
         "2026-11-20 10:05", "REFUND FOR CHARGE (Invoice 1092)", "-120.00", "usd",
         Skip("refund")),
        ("charge", "ch_3QjW5nKq3vW7nT2y3m4n5o6p", "522.91", "15.47", "2026-11-17 09:03",
         "2026-11-19 00:00", "Invoice 1093", "480.00", "eur",
         Pay("1093", "480.00", d("2026-11-17"), stripe, currency="EUR",
             reference="txn_3QjW5nKq3vW7nT2y4q5r6s7t", note=in_eur)),
        ("charge", "ch_3QiV4mKq3vW7nT2y5u6v7w8x", "860.00", "25.24", "2026-11-09 15:27",
         "2026-11-11 00:00", "Invoice 1094", "860.00", "usd",
         Pay("1094", "860.00", d("2026-11-09"), stripe,
             reference="txn_3QiV4mKq3vW7nT2y6y7z8a9b")),
        ("stripe_fee", "", "-29.00", "0.00", "2026-11-02 03:00", "2026-11-02 03:00",
         "Billing - Usage Fee (2026-10-01 - 2026-10-31)", "", "", Skip("processor fee")),
        ("charge", "ch_3QhU3lKq3vW7nT2y7c8d9e0f", "250.00", "7.55", "2026-10-28 20:16",
         "2026-10-30 00:00", "Invoice 1095", "250.00", "usd",
         Pay("1095", "250.00", d("2026-10-28"), stripe,
             reference="txn_3QhU3lKq3vW7nT2y8g9h0i1j")),
    ]
    # fmt: on
    # The payout carries every line before it, so it is minus their net.
    paid_out = sum((Decimal(line[2]) - Decimal(line[3]) for line in lines[1:]), Decimal(0))
    lines[0] = ("payout", payout, plain(-paid_out), *lines[0][3:])
    for kind, source, gross, fee, created, available, text, facing, facing_cur, expect in lines:
        if isinstance(expect, Pay) and expect.reference:
            txn = expect.reference
        else:
            txn = "txn_" + _hex("stripe", created, length=24)
        net = Decimal(gross) - Decimal(fee)
        carried = kind != "payout"
        t.add([txn, kind, source, plain(gross), plain(fee), "", "", plain(net), "usd", created,
               available, text, plain(facing) if facing else "", facing_cur,
               payout if carried else "", "2026-11-27 00:00" if carried else "", ""],
              expect)  # fmt: skip
    write_csv(EXPORTS / "stripe-balance-history.csv", t.cells, encoding="utf-8", newline="\n")
    return Written(
        "stripe-balance-history.csv",
        "Stripe Dashboard: Balance (payout) transactions, exported as CSV",
        "a beancount tool's README 'Columns in Stripe File'; a Ruby Stripe importer's comment rows",
        {"format": "csv", "encoding": "utf-8", "delimiter": ",", "header_row": 1},
        "USD",
        t,
        [
            "Three amounts per line: 'Amount' (gross), 'Net' (after the fee) and 'Customer "
            "Facing Amount' (in the customer's currency); the invoice is credited the gross, "
            "or the customer-facing amount when the customer paid in another currency (1093).",
            "'Created (UTC)' is a date and time; 'Currency' is lower case ('usd').",
            "Payouts, refunds and Stripe's own fees are lines of the same table; 'Type' "
            "tells them apart.",
            "Card payments with no card brand or last 4 digits.",
        ],
    )


# The header line as PayPal writes it.
PAYPAL_HEADER = (  # noqa: SIM905 (kept as the one line the export writes)
    "Date,Time,TimeZone,Name,Type,Status,Currency,Gross,Fee,Net,From Email Address,"
    "To Email Address,Transaction ID,Shipping Address,Address Status,Item Title,Item ID,"
    "Shipping and Handling Amount,Insurance Amount,Sales Tax,Option 1 Name,Option 1 Value,"
    "Option 2 Name,Option 2 Value,Reference Txn ID,Invoice Number,Custom Number,Quantity,"
    "Receipt ID,Balance,Address Line 1,Address Line 2/District/Neighborhood,Town/City,"
    "State/Province/Region/County/Territory/Prefecture/Republic,Zip/Postal Code,Country,"
    "Contact Phone Number,Subject,Note,Country Code,Balance Impact"
).split(",")


def paypal() -> Written:
    t = Table()
    t.header(PAYPAL_HEADER)
    ours = "Invoice INV-{} from Northwind Studio Ltd"
    # oldest first: (date, time, name, type, status, gross, fee, email, transaction id,
    # invoice number, subject, note, what it gives)
    # fmt: off
    lines: list[tuple[str, str, str, str, str, str, str, str, str, str, str, str, Expect]] = [
        ("2026-10-03", "10:14:22", "Tollgate Marine Ltd", "Website Payment", "Completed",
         "1200.00", "-41.10", "accounts@tollgatemarine.example.com", "7Y823410XK1234567",
         "INV-1101", ours.format(1101), "",
         Pay("1101", "1200.00", d("2026-10-03"), "other", reference="7Y823410XK1234567")),
        ("2026-10-11", "18:02:51", "Upton Bakes", "Mobile Payment", "Completed", "95.00",
         "-3.53", "hello@uptonbakes.example.com", "2BC34567DE890123F", "", "",
         "Invoice 1102 - thanks!",
         Pay("1102", "95.00", d("2026-10-11"), "other", reference="2BC34567DE890123F",
             note="Invoice Number is empty: the invoice is only in Note")),
        ("2026-10-19", "09:30:07", "Vantage Cycles Ltd", "Website Payment", "Completed",
         "640.00", "-22.06", "finance@vantagecycles.example.com", "5KL12345MN678901P", "1103",
         ours.format(1103), "",
         Pay("1103", "640.00", d("2026-10-19"), "other", reference="5KL12345MN678901P")),
        ("2026-10-25", "12:00:00", "", "General Withdrawal", "Completed", "-1790.00", "0.00",
         "", "8QR90123ST456789U", "", "", "", Skip("withdrawal to the bank")),
        ("2026-11-04", "16:45:39", "Wrenfield Pottery", "General Payment", "Completed",
         "210.00", "-7.64", "orders@wrenfieldpottery.example.com", "3VW45678XY901234Z", "",
         "Payment for invoice INV-1104", "",
         Pay("1104", "210.00", d("2026-11-04"), "other", reference="3VW45678XY901234Z",
             note="Invoice Number is empty: the invoice is only in Subject")),
        ("2026-11-13", "08:21:15", "Yarrow & Thyme", "Website Payment", "Pending", "385.00",
         "-13.39", "shop@yarrowandthyme.example.com", "9AB67890CD123456E", "INV-1105",
         ours.format(1105), "", Skip("pending: PayPal has not received the money yet")),
        ("2026-11-22", "14:10:58", "Zephyr Tutors", "Website Payment", "Completed", "150.00",
         "-5.40", "admin@zephyrtutors.example.com", "6FG89012HJ345678K", "INV-1106",
         ours.format(1106), "",
         Pay("1106", "150.00", d("2026-11-22"), "other", reference="6FG89012HJ345678K")),
    ]
    # fmt: on
    balance = Decimal("312.48")
    for line in lines:
        when, time, name, kind, status, gross, fee, email, txn, invoice, subject, note, _ = line
        net = Decimal(gross) + Decimal(fee)
        if status == "Completed":
            balance += net
        impact = "Credit" if Decimal(gross) > 0 else "Debit"
        row = dict.fromkeys(PAYPAL_HEADER, "")
        # fmt: off
        row.update({
            "Date": dmy(d(when)), "Time": time, "TimeZone": "Europe/London", "Name": name,
            "Type": kind, "Status": status, "Currency": "GBP", "Gross": amount(gross),
            "Fee": amount(fee), "Net": amount(net), "From Email Address": email,
            "To Email Address": "accounts@northwindstudio.example.com" if name else "",
            "Transaction ID": txn, "Address Status": "Non-Confirmed" if name else "",
            "Item Title": subject, "Invoice Number": invoice, "Quantity": "1" if name else "",
            "Balance": amount(balance), "Country": "United Kingdom" if name else "",
            "Subject": subject, "Note": note, "Country Code": "GB" if name else "",
            "Balance Impact": "Memo" if status == "Pending" else impact,
        })
        # fmt: on
        t.add([row[column] for column in PAYPAL_HEADER], line[-1])
    write_csv(
        EXPORTS / "paypal-activity.csv",
        t.cells,
        encoding="utf-8",
        quoting=csv.QUOTE_ALL,
        bom=True,
    )
    return Written(
        "paypal-activity.csv",
        "PayPal business account: Activity download (all transactions) as CSV, UK account",
        "a PayPal downloader's notes (PAYPAL DOWNLOAD REPORT HEADERS); a charity's PayPal "
        "importer ('%d/%m/%Y'); hledger's PayPal CSV rules",
        {"format": "csv", "encoding": "utf-8-sig", "delimiter": ",", "header_row": 1},
        "GBP",
        t,
        [
            "An 'Invoice Number' column that is empty on some payments: their invoice is in "
            "'Note' ('Invoice 1102 - thanks!') or 'Subject' ('Payment for invoice INV-1104').",
            "'Status' Pending and 'Balance Impact' Memo: not money received yet.",
            "'Gross' (the payment), 'Fee' (negative) and 'Net'; '1,200.00' amounts; "
            "withdrawals to the bank are negative lines.",
            "No method column: a PayPal payment is method other.",
            "UTF-8 with a BOM, every field quoted, 41 columns.",
        ],
    )


# The header line as GoCardless writes it.
GOCARDLESS_HEADER = (  # noqa: SIM905 (kept as the one line the export writes)
    "id,created_at,charge_date,amount,description,currency,status,amount_refunded,reference,"
    "transaction_fee,payout_date,app_fee,links.mandate,links.creditor,links.customer,"
    "links.payout,links.subscription,customers.id,customers.created_at,customers.email,"
    "customers.given_name,customers.family_name,customers.company_name,"
    "customers.address_line1,customers.address_line2,customers.address_line3,customers.city,"
    "customers.region,customers.postal_code,customers.country_code,customers.language,"
    "customers.swedish_identity_number,customers.active_mandates"
).split(",")


def gocardless() -> Written:
    t = Table()
    t.header(GOCARDLESS_HEADER)
    debit = "bank_transfer"
    # (id, created at, charge date, amount, description, status, fee, payout date,
    # given name, family name, company, city, postcode, what it gives)
    # fmt: off
    lines: list[tuple[str, str, str, str, str, str, str, str, str, str, str, str, str,
                      Expect]] = [
        ("PM00A1B2C3D4E5", "2026-10-09T10:21:44.000Z", "2026-10-14", "480.00", "Invoice 1111",
         "paid_out", "2.40", "2026-10-17", "Priya", "Shah", "Ashby Dental Ltd", "Leicester",
         "LE65 1AA",
         Pay("1111", "480.00", d("2026-10-14"), debit, reference="PM00A1B2C3D4E5",
             note="direct debit: recorded as a bank transfer on its charge date")),
        ("PM00F6G7H8J9K0", "2026-10-20T08:02:11.000Z", "2026-10-23", "95.50", "Invoice 1112",
         "paid_out", "0.48", "2026-10-28", "Tom", "Bexley", "Bexley Vets", "Bexleyheath",
         "DA6 7AA",
         Pay("1112", "95.50", d("2026-10-23"), debit, reference="PM00F6G7H8J9K0")),
        ("PM00L1M2N3P4Q5", "2026-11-02T14:40:09.000Z", "2026-11-05", "1250.00",
         "INV-1113 November", "paid_out", "6.25", "2026-11-10", "Carla", "Rowe",
         "Carrow Lettings", "Norwich", "NR1 1AA",
         Pay("1113", "1250.00", d("2026-11-05"), debit, reference="PM00L1M2N3P4Q5")),
        ("PM00R6S7T8V9W0", "2026-11-09T09:15:27.000Z", "2026-11-12", "39.99", "Invoice 1114",
         "failed", "0.00", "", "Dan", "Moore", "", "Dunmore", "FK2 8AA",
         Skip("failed collection: no money received")),
        ("PM00X1Y2Z3A4B5", "2026-11-18T11:08:50.000Z", "2026-11-23", "62.00", "Invoice 1115",
         "confirmed", "0.31", "", "Ellen", "Field", "Elmfield School PTA", "Bristol", "BS9 1AA",
         Pay("1115", "62.00", d("2026-11-23"), debit, reference="PM00X1Y2Z3A4B5",
             note="confirmed: collected, not yet paid out")),
        ("PM00C6D7E8F9G0", "2026-11-20T16:55:03.000Z", "2026-11-25", "480.00", "Invoice 1111",
         "cancelled", "0.00", "", "Priya", "Shah", "Ashby Dental Ltd", "Leicester", "LE65 1AA",
         Skip("cancelled before collection")),
    ]
    # fmt: on
    for line in lines:
        pid, created, charge, value, text, status, fee, payout, given, family = line[:10]
        company, city, postcode, expect = line[10:]
        customer = "CU" + _hex("gc", family, length=12).upper()
        row = dict.fromkeys(GOCARDLESS_HEADER, "")
        # fmt: off
        row.update({
            "id": pid, "created_at": created, "charge_date": dmy(d(charge)), "amount": value,
            "description": text, "currency": "GBP", "status": status, "amount_refunded": "0.00",
            "reference": "NORTHWIND-" + pid[-6:], "transaction_fee": fee,
            "payout_date": dmy(d(payout)) if payout else "",
            "links.mandate": "MD" + _hex("gcm", family, length=12).upper(),
            "links.creditor": "CR000045KKQ7B2", "links.customer": customer,
            "links.payout": "PO" + _hex("gcp", payout, length=12).upper() if payout else "",
            "customers.id": customer, "customers.created_at": "2026-09-01T09:00:00.000Z",
            "customers.email": f"{given.lower()}@{family.lower()}.example.com",
            "customers.given_name": given, "customers.family_name": family,
            "customers.company_name": company, "customers.address_line1": "1 High Street",
            "customers.city": city, "customers.postal_code": postcode,
            "customers.country_code": "GB", "customers.language": "en",
            "customers.active_mandates": "1",
        })
        # fmt: on
        t.add([row[column] for column in GOCARDLESS_HEADER], expect)
    write_csv(EXPORTS / "gocardless-payments.csv", t.cells, encoding="utf-8", newline="\n")
    return Written(
        "gocardless-payments.csv",
        "GoCardless dashboard: Payments export (direct debits) as CSV",
        "a charity importer's GocardlessTransactionImporter (header, charge_date '%d/%m/%Y')",
        {"format": "csv", "encoding": "utf-8", "delimiter": ",", "header_row": 1},
        "GBP",
        t,
        [
            "Lower-case dotted headers ('charge_date', 'customers.company_name'); the "
            "payment date is 'charge_date' (DD/MM/YYYY), not 'created_at' (ISO with time).",
            "'status' decides what is a payment: paid_out and confirmed are, failed and "
            "cancelled are not.",
            "No method column: a direct debit is recorded as a bank transfer.",
            "The invoice is in 'description'; 'reference' is the bank statement reference.",
        ],
    )


def chase() -> Written:
    t = Table()
    t.header(["Details", "Posting Date", "Description", "Amount", "Type", "Balance",
              "Check or Slip #"])  # fmt: skip
    transfer = "bank_transfer"
    ours = "IND NAME:NORTHWIND STUDIO LLC"
    # newest first: (date, description, signed amount, type, check number, what it gives)
    # fmt: off
    lines: list[tuple[str, str, str, str, str, Expect]] = [
        ("2026-11-25",
         "ORIG CO NAME:UMBER AND VALE DES       ORIG ID:1942716550 DESC DATE:261125 CO ENTRY "
         f"DESCR:PAYMENTS  SEC:CCD    TRACE#:021000021234567 EED:261125   IND ID:INV-1121      "
         f"   {ours} TRN: 3291234567TC",
         "1450.75", "ACH_CREDIT", "",
         Pay("1121", "1450.75", d("2026-11-25"), transfer)),
        ("2026-11-23", "COMCAST BUSINESS 800-391-3000 PA            11/22", "-189.99",
         "ACH_DEBIT", "", Skip("debit")),
        ("2026-11-18", 'Zelle payment from WILLOW SPA LLC for "Inv 1122"; Conf# bac8x7s1q',
         "860.00", "QUICKPAY_CREDIT", "",
         Pay("1122", "860.00", d("2026-11-18"), transfer, note="Zelle")),
        ("2026-11-16", "CHECK 2231", "-420.00", "CHECK_PAID", "2231",
         Skip("debit: a cheque the business wrote (its number is in 'Check or Slip #')")),
        ("2026-11-10",
         "FEDWIRE CREDIT VIA: BANK OF AMERICA, N.A./026009593 B/O: XAVIER ELECTRIC INC DALLAS "
         "TX 75201-1234 REF: CHASE NYC/CTR/BNF=NORTHWIND STUDIO LLC SAN DIEGO CA 92101/AC-0000"
         "00004821 RFB=O/B BK AMERICA OBI=INVOICE 1123 IMAD: 1110B1QGC08C001234 TRN: "
         "5551234567FF",
         "2400.00", "WIRE_INCOMING", "",
         Pay("1123", "2400.00", d("2026-11-10"), transfer,
             note="incoming wire")),
        ("2026-11-02", "MONTHLY SERVICE FEE", "-15.00", "FEE_TRANSACTION", "", Skip("bank fee")),
        ("2026-10-29",
         "ORIG CO NAME:YELLOWFIN SUSHI        ORIG ID:9876543210 DESC DATE:261029 CO ENTRY "
         f"DESCR:VENDOR PMT SEC:CCD    TRACE#:111000021987654 EED:261029   IND ID:INV 1124      "
         f"   {ours} TRN: 3021987654TC",
         "750.00", "ACH_CREDIT", "",
         Pay("1124", "750.00", d("2026-10-29"), transfer)),
        ("2026-10-14",
         "ORIG CO NAME:ZENITH CHIROPRACT      ORIG ID:4455667788 DESC DATE:261014 CO ENTRY "
         f"DESCR:INV 1125  SEC:PPD    TRACE#:122000661122334 EED:261014   IND ID:000000004821  "
         f"   {ours} TRN: 2871122334TC",
         "860.00", "ACH_CREDIT", "",
         Pay("1125", "860.00", d("2026-10-14"), transfer,
             note="invoice in 'CO ENTRY DESCR'; 'IND ID' is an account number here")),
    ]
    # fmt: on
    balance = Decimal("28114.36")
    for when, text, signed, kind, check, expect in lines:
        details = "CREDIT" if Decimal(signed) > 0 else ("CHECK" if check else "DEBIT")
        t.add([details, mdy(d(when)), text, plain(signed), kind, plain(balance), check, ""],
              expect)  # fmt: skip
        balance -= Decimal(signed)
    write_csv(EXPORTS / "chase-business-checking.csv", t.cells, encoding="utf-8", newline="\n")
    return Written(
        "chase-business-checking.csv",
        "Chase business checking: activity downloaded as CSV",
        "an importer test's CHASE_CHECKING_CSV; a bank-import header check",
        {"format": "csv", "encoding": "utf-8", "delimiter": ",", "header_row": 1},
        "USD",
        t,
        [
            "Every data row has one more (empty) field than the header.",
            "Signed 'Amount'; 'Details' CREDIT/DEBIT/CHECK and 'Type' tell money in from out.",
            "'Check or Slip #' is filled only on a cheque the business wrote (a debit).",
            "The invoice is buried in long ACH and wire texts: 'IND ID:INV-1121', "
            "'OBI=INVOICE 1123', 'CO ENTRY DESCR:INV 1125' (whose 'IND ID:000000004821' is an "
            "account number); a Zelle line 'for \"Inv 1122\"'.",
            "Dates MM/DD/YYYY.",
        ],
    )


def bank_of_america() -> Written:
    t = Table()
    opening = Decimal("18204.55")
    # newest last, as the download lists them: (date, description, signed amount, what it gives)
    transfer = "bank_transfer"
    # fmt: off
    lines: list[tuple[str, str, str, Expect]] = [
        ("2026-10-06", "ACME DENTAL GROU DES:PAYMENT ID:INV-1131 INDN:NORTHWIND STUDIO CO "
         "ID:9876543210 CCD", "1200.00", Pay("1131", "1200.00", d("2026-10-06"), transfer)),
        ("2026-10-09", 'Zelle payment from KIM LEE DESIGN for "Invoice 1132"; Conf# '
         "T0ZDX4LGJ", "325.40", Pay("1132", "325.40", d("2026-10-09"), transfer)),
        ("2026-10-14", "CHECKCARD 1012 STAPLES 00123 SAN DIEGO CA 24431064287800012345678",
         "-84.19", Skip("debit: card")),
        ("2026-10-21", "WIRE TYPE:FED IN DATE:261021 TIME:1032 ET TRN:2026102100214432 "
         "ORIG:XAVIER ELECTRIC INC ID:000123456789 SND BK:WELLS FARGO BANK, NA ID:121000248 "
         "OBI:INV 1133", "2400.00", Pay("1133", "2400.00", d("2026-10-21"), transfer)),
        ("2026-10-30", "SDGE DES:WEB PMT ID:8800123456 INDN:NORTHWIND STUDIO CO ID:1234567890 "
         "WEB", "-212.64", Skip("debit: utility bill")),
        ("2026-11-04", "BIRCHWOOD CAFE DES:BILL PAY ID:INV 1134 INDN:NORTHWIND STUDIO CO "
         "ID:5550001111 PPD", "415.25",
         Pay("1134", "415.25", d("2026-11-04"), transfer, outcome="rejected",
             note="invoice 1134 is void")),
        ("2026-11-18", "Zelle payment from LAKESIDE PHYSIO for \"inv 1135 november\"; Conf# "
         "Q8K2MM1VA", "490.00", Pay("1135", "490.00", d("2026-11-18"), transfer)),
        ("2026-11-30", "MONTHLY MAINTENANCE FEE", "-16.00", Skip("bank fee")),
    ]
    # fmt: on
    credits = sum((Decimal(x) for _w, _t, x, _e in lines if Decimal(x) > 0), Decimal(0))
    debits = sum((Decimal(x) for _w, _t, x, _e in lines if Decimal(x) < 0), Decimal(0))
    closing = opening + credits + debits
    t.add(["Description", "", "Summary Amt."])
    t.add(["Beginning balance as of 10/01/2026", "", amount(opening)])
    t.add(["Total credits", "", amount(credits)])
    t.add(["Total debits", "", amount(debits)])
    t.add(["Ending balance as of 11/30/2026", "", amount(closing)])
    t.add([])
    t.header(["Date", "Description", "Amount", "Running Bal."])
    t.add(["10/01/2026", "Beginning balance as of 10/01/2026", "", amount(opening)],
          Skip("opening balance"))  # fmt: skip
    balance = opening
    for when, text, signed, expect in lines:
        balance += Decimal(signed)
        t.add([mdy(d(when)), text, amount(signed), amount(balance)], expect)
    write_csv(EXPORTS / "bank-of-america-checking.csv", t.cells, encoding="ascii")
    return Written(
        "bank-of-america-checking.csv",
        "Bank of America business checking: activity downloaded as CSV (Microsoft Excel format)",
        "a BofA parser's docstring (the summary block, 'Date,Description,Amount,Running Bal.', "
        "the 'Beginning balance as of' first row); BofA CSV test fixtures with Zelle and "
        "CHECKCARD lines",
        {"format": "csv", "encoding": "ascii", "delimiter": ",", "header_row": t.header_row},
        "USD",
        t,
        [
            "A summary block above the table ('Description,,Summary Amt.', the beginning and "
            "ending balances, total credits and debits) and a blank line, then the header.",
            "The first line of the table is 'Beginning balance as of 10/01/2026' with no amount: "
            "a balance line, not a payment.",
            "Signed amounts written '1,200.00' and '-84.19', quoted when they hold a comma; "
            "dates MM/DD/YYYY.",
            "The invoice is in the ACH 'ID:INV-1131', a Zelle memo '\"Invoice 1132\"' or a "
            "wire's 'OBI:INV 1133'; the ACH 'ID:' of a bill payment is an account number.",
        ],
    )


def bhd() -> Written:
    t = Table()
    # Every line starts with an empty field and ends with two, and an empty column stands
    # between the reference and the description, as the bank's export writes it.
    t.add(["", "Cuenta Corriente 2345678-001-2  ESTUDIO NORTHWIND SRL", "", "", "", "", "",
           "", "", ""])  # fmt: skip
    t.header(["", "Fecha", "Número de Referencia", "", "Descripción", "Débitos", "Créditos",
              "Balance", "", ""])  # fmt: skip
    transfer = "bank_transfer"
    # oldest first: (date, reference, description, paid out, paid in, what it gives)
    # fmt: off
    lines: list[tuple[str, str, str, str, str, Expect]] = [
        ("2026-10-05", "000451237", "TRANSFERENCIA CONSTRUCTORA DEL CARIBE FACT. 1141",
         "0", "42500.00",
         Pay("1141", "42500.00", d("2026-10-05"), transfer, reference="000451237")),
        ("2026-10-08", "000451901", "PAGO TARJETA DE CREDITO", "15320.75", "0",
         Skip("debit: card bill")),
        ("2026-10-16", "000452688", "DEPOSITO FARMACIA LOS PRADOS PAGO FACTURA NO. 1142",
         "0", "12750.50",
         Pay("1142", "12750.50", d("2026-10-16"), transfer, reference="000452688")),
        ("2026-10-31", "000453310", "CARGO POR MANEJO DE CUENTA", "350.00", "0",
         Skip("bank fee")),
        ("2026-11-06", "000454002", "TRANSF. LBTR COLEGIO SAN RAFAEL FRA 1143", "0",
         "46200.00", Pay("1143", "46200.00", d("2026-11-06"), transfer, reference="000454002")),
        ("2026-11-12", "000454875", "TRANSFERENCIA HOTEL PLAYA DORADA FACTURA 1144", "0",
         "30000.00",
         Pay("1144", "30000.00", d("2026-11-12"), transfer, reference="000454875",
             outcome="rejected", note="invoice 1144 is already paid")),
        ("2026-11-20", "000455519", "IMPUESTO DGII 0.15%", "141.49", "0", Skip("tax")),
        ("2026-11-26", "000456020", "DEPOSITO FERRETERIA OCHOA FACTURA # 1145", "0",
         "9875.00", Pay("1145", "9875.00", d("2026-11-26"), transfer, reference="000456020")),
    ]
    # fmt: on
    balance = Decimal("61204.18")
    for when, reference, text, out, into, expect in lines:
        balance += Decimal(into) - Decimal(out)
        t.add(["", d(when).strftime("%d-%m-%Y"), reference, "", text,
               out if out == "0" else amount(out), into if into == "0" else amount(into),
               amount(balance), "", ""], expect)  # fmt: skip
    write_csv(EXPORTS / "bhd-movimientos.csv", t.cells, encoding="utf-8", delimiter=";")
    return Written(
        "bhd-movimientos.csv",
        "Banco BHD (República Dominicana): movimientos de cuenta descargados en CSV",
        "a parser of BHD CSV statements ('Format: ;Fecha;Ref;;Descripción;Débitos;Créditos;"
        "Balance;;', dates '%d-%m-%Y', '0' in the unused amount column)",
        {"format": "csv", "encoding": "utf-8", "delimiter": ";", "header_row": t.header_row},
        "DOP",
        t,
        [
            "Semicolons, an empty first field and two empty last ones on every line, and an "
            "empty column between 'Número de Referencia' and 'Descripción'.",
            "Money out in 'Débitos', money in in 'Créditos', the other one written '0'; amounts "
            "'42,500.00' in Dominican pesos (DOP).",
            "Dates DD-MM-YYYY; the bank's reference in its own column; the invoice in the "
            "description ('FACT. 1141', 'PAGO FACTURA NO. 1142', 'FRA 1143', 'FACTURA # 1145').",
        ],
    )


MONZO_HEADER = (  # noqa: SIM905 (kept as the one line the export writes)
    "Transaction ID,Date,Time,Type,Name,Emoji,Category,Amount,Currency,Local amount,"
    "Local currency,Notes and #tags,Address,Receipt,Description,Category split,Money Out,"
    "Money In"
).split(",")


def monzo() -> Written:
    t = Table()
    t.header(MONZO_HEADER)
    transfer = "bank_transfer"
    # oldest first: (id, date, time, type, name, category, signed amount, notes, description,
    # what it gives)
    # fmt: off
    lines: list[tuple[str, str, str, str, str, str, str, str, str, Expect]] = [
        ("tx_0000AqP3zL1mRb7Hc2Vn", "2026-10-02", "09:12:41", "Faster payment",
         "Harding Builders Ltd", "Income", "1450.00", "", "INV-1151",
         Pay("1151", "1450.00", d("2026-10-02"), transfer,
             reference="tx_0000AqP3zL1mRb7Hc2Vn")),
        ("tx_0000AqQ8cD4fGh9JkLmN", "2026-10-03", "13:40:02", "Card payment", "Screwfix",
         "Shopping", "-42.60", "", "SCREWFIX DIRECT LTD", Skip("debit: card")),
        ("tx_0000AqR2sT6uVw8XyZaB", "2026-10-10", "08:00:00", "Pot transfer", "Tax pot",
         "Savings", "0.00", "", "", Skip("pot transfer: no money in")),
        ("tx_0000AqS5dE7fGh1JkLmP", "2026-10-15", "17:03:10", "Faster payment",
         "Pennywell Florist", "Income", "86.40", "", "PENNYWELL INV1152",
         Pay("1152", "86.40", d("2026-10-15"), transfer,
             reference="tx_0000AqS5dE7fGh1JkLmP")),
        ("tx_0000AqT9gH2jKl4MnPqR", "2026-10-28", "11:25:33", "Direct Debit", "HMRC",
         "Bills", "-310.00", "", "HMRC VAT", Skip("debit: direct debit")),
        ("tx_0000AqU3kL5mNp7QrStV", "2026-11-06", "10:41:19", "Bacs", "Quayle & Rowe LLP",
         "Income", "2200.00", "", "QUAYLE ROWE INVOICE 1153",
         Pay("1153", "2200.00", d("2026-11-06"), transfer,
             reference="tx_0000AqU3kL5mNp7QrStV")),
        ("tx_0000AqV6nP8qRs1TuVwX", "2026-11-20", "19:58:07", "Faster payment",
         "Tamsin Greaves", "Income", "240.00", "Invoice 1154 #clients", "T GREAVES",
         Pay("1154", "240.00", d("2026-11-20"), transfer,
             reference="tx_0000AqV6nP8qRs1TuVwX",
             note="the payer's reference names no invoice: the owner's note does")),
    ]
    # fmt: on
    for tid, when, at, kind, name, category, signed, notes, text, expect in lines:
        value = Decimal(signed)
        out = plain(value) if value < 0 else ""
        into = plain(value) if value > 0 else ""
        t.add([tid, dmy(d(when)), at, kind, name, "", category, plain(value), "GBP",
               plain(value), "GBP", notes, "", "", text, "", out, into], expect)  # fmt: skip
    write_csv(EXPORTS / "monzo-business.csv", t.cells, encoding="utf-8", newline="\n")
    return Written(
        "monzo-business.csv",
        "Monzo Business: transactions exported as CSV",
        "Monzo CSV headers quoted in several importers' tests ('Transaction ID,Date,Time,Type,"
        "Name,Emoji,...,Money Out,Money In'), a Pot transfer of 0.00 among them",
        {"format": "csv", "encoding": "utf-8", "delimiter": ",", "header_row": t.header_row},
        "GBP",
        t,
        [
            "A signed 'Amount' and, beside it, 'Money Out' (written negative) and 'Money In': "
            "the payment is what came in.",
            "The payer's bank reference is in 'Description' ('INV-1151', 'PENNYWELL INV1152'); "
            "one payer wrote none, and the owner's 'Notes and #tags' name the invoice.",
            "A Pot transfer of 0.00 is no money received; 'Local amount' repeats the amount.",
            "Dates DD/MM/YYYY with the time apart; the Transaction ID is the reference.",
        ],
    )


def starling() -> Written:
    t = Table()
    t.header(["Date", "Counter Party", "Reference", "Type", "Amount (GBP)", "Balance (GBP)",
              "Spending Category", "Notes"])  # fmt: skip
    transfer = "bank_transfer"
    # oldest first: (date, counter party, reference, type, signed amount, category, what it
    # gives)
    # fmt: off
    lines: list[tuple[str, str, str, str, str, str, Expect]] = [
        ("2026-10-07", "Ashdown Joinery Ltd", "INV-1161", "FASTER PAYMENT", "960.00", "INCOME",
         Pay("1161", "960.00", d("2026-10-07"), transfer, reference="INV-1161")),
        ("2026-10-12", "Adobe", "ADOBE *CREATIVE CLD", "CARD", "-65.99", "ADMIN",
         Skip("debit: card")),
        ("2026-10-20", "Brockley Yoga", "Invoice 1162", "FASTER PAYMENT", "120.00", "INCOME",
         Pay("1162", "120.00", d("2026-10-20"), transfer, reference="Invoice 1162")),
        ("2026-11-02", "Calder Vets", "CALDER INV 1163", "BACS", "1000.00", "INCOME",
         Pay("1163", "1000.00", d("2026-11-02"), transfer, reference="CALDER INV 1163")),
        ("2026-11-10", "British Gas", "8820031145", "DIRECT DEBIT", "-118.40", "BILLS_AND_SERVICES",
         Skip("debit: direct debit")),
        ("2026-11-17", "Dunmore Print Co", "INV1164", "FASTER PAYMENT", "455.60", "INCOME",
         Pay("1164", "455.60", d("2026-11-17"), transfer, reference="INV1164",
             outcome="rejected", note="invoice 1164 is a draft")),
    ]
    # fmt: on
    balance = Decimal("5320.18")
    for when, party, reference, kind, signed, category, expect in lines:
        balance += Decimal(signed)
        t.add([dmy(d(when)), party, reference, kind, plain(signed), plain(balance), category,
               ""], expect)  # fmt: skip
    write_csv(EXPORTS / "starling-business.csv", t.cells, encoding="utf-8", newline="\n")
    return Written(
        "starling-business.csv",
        "Starling Bank business account: statement exported as CSV",
        "Starling CSV headers quoted in several importers' tests ('Date,Counter Party,"
        "Reference,Type,Amount (GBP),Balance (GBP),Spending Category,Notes')",
        {"format": "csv", "encoding": "utf-8", "delimiter": ",", "header_row": t.header_row},
        "GBP",
        t,
        [
            "The headers carry the account's currency: 'Amount (GBP)', 'Balance (GBP)'.",
            "The payer and the reference they typed have columns of their own; the invoice is "
            "in the reference ('INV-1161', 'Invoice 1162', 'CALDER INV 1163').",
            "Signed amounts; Type CARD, DIRECT DEBIT, FASTER PAYMENT, BACS.",
        ],
    )


# ---------------------------------------------------------------------------------------------
# exports/, the second ten: statements with no balance column, processors' own reports
# ---------------------------------------------------------------------------------------------


def _csv_written(
    name: str,
    t: Table,
    imitates: str,
    seen: str,
    currency: str,
    hard: list[str],
    *,
    encoding: str = "utf-8",
    newline: str = "\r\n",
) -> Written:
    write_csv(EXPORTS / name, t.cells, encoding=encoding, newline=newline)
    layout = {"format": "csv", "encoding": encoding, "delimiter": ",", "header_row": t.header_row}
    return Written(name, imitates, seen, layout, currency, t, hard)


def xero() -> Written:
    t = Table()
    t.header(["*Date", "*Amount", "Payee", "Description", "Reference", "Check Number"])
    transfer = "bank_transfer"
    # oldest first: (date, signed amount, payee, description, reference, cheque, what it gives)
    # fmt: off
    lines: list[tuple[str, str, str, str, str, str, Expect]] = [
        ("2026-10-03", "1200.00", "Harlow Books Ltd", "Direct Credit", "INV-1201", "",
         Pay("1201", "1200.00", d("2026-10-03"), transfer, reference="INV-1201")),
        ("2026-10-06", "-84.19", "British Gas", "Direct Debit", "8820031145", "",
         Skip("debit: direct debit")),
        ("2026-10-14", "325.40", "Kestrel Roofing", "Faster Payment", "Invoice 1202", "",
         Pay("1202", "325.40", d("2026-10-14"), transfer, reference="Invoice 1202")),
        ("2026-10-20", "-1250.00", "Cranleigh Properties", "Cheque", "Rent November", "100482",
         Skip("debit: a cheque the business wrote")),
        ("2026-10-28", "480.00", "Northside Auto", "Bank Giro Credit", "INV 1203", "",
         Pay("1203", "480.00", d("2026-10-28"), transfer, reference="INV 1203")),
    ]
    # fmt: on
    for when, signed, payee, text, reference, cheque, expect in lines:
        t.add([dmy(d(when)), signed, payee, text, reference, cheque], expect)
    return _csv_written(
        "xero-bank-statement.csv",
        t,
        "Xero: bank statement lines in Xero's own CSV layout (the precoded statement file)",
        "Xero's bank statement import template ('*Date, *Amount, Payee, Description, "
        "Reference, Check Number'; required columns marked with '*')",
        "GBP",
        [
            "No balance, no paid in / paid out: one signed '*Amount' (debits below zero), so "
            "only its amounts say it is a statement.",
            "Headers marked required with a '*'; 'Check Number' is filled only on a cheque "
            "the business wrote (a debit), so the file is no cheque deposit.",
            "The payer is in 'Payee', the invoice in 'Reference'; dates DD/MM/YYYY.",
        ],
        encoding="ascii",
    )


def barclays() -> Written:
    t = Table()
    t.header(["Number", "Date", "Account", "Amount", "Subcategory", "Memo"])
    transfer = "bank_transfer"
    account = "20-32-06 13152170"
    # oldest first: (date, signed amount, subcategory, memo, what it gives)
    # fmt: off
    lines: list[tuple[str, str, str, str, Expect]] = [
        ("2026-10-03", "1200.00", "FUNDS TRANSFER",
         "HARLOW & FINCH LLP     INV-1231           FT",
         Pay("1231", "1200.00", d("2026-10-03"), transfer)),
        ("2026-10-06", "-84.19", "DIRECTDEP", "BRITISH GAS            8820031145         DDR",
         Skip("debit: direct debit")),
        ("2026-10-14", "325.40", "DIRECTDEP", "KESTREL ROOFING        INVOICE 1232       BGC",
         Pay("1232", "325.40", d("2026-10-14"), transfer)),
        ("2026-10-20", "-1250.00", "PAYMENT", "CRANLEIGH PROPS        RENT NOV           BBP",
         Skip("debit: bill payment")),
        ("2026-10-28", "480.00", "FUNDS TRANSFER", "NORTHSIDE AUTO         INV 1233           FT",
         Pay("1233", "480.00", d("2026-10-28"), transfer)),
    ]
    # fmt: on
    for when, signed, kind, memo, expect in lines:
        t.add([" ", dmy(d(when)), account, signed, kind, f"\t{memo}"], expect)
    return _csv_written(
        "barclays-business.csv",
        t,
        "Barclays business banking: transactions exported as CSV",
        "a Barclays statement reader's expected headers ('..., Amount, ..., Memo'); the "
        "'Number,Date,Account,Amount,Subcategory,Memo' export of Barclays online banking",
        "GBP",
        [
            "No balance column: one signed 'Amount'; only the amounts below zero say it is a "
            "statement.",
            "'Number' holds a single space; 'Memo' starts with a tab and runs the payer, the "
            "reference and a type code together with runs of spaces.",
            "'Subcategory' (FUNDS TRANSFER, DIRECTDEP, PAYMENT) names neither money in nor out.",
        ],
        encoding="ascii",
    )


REVOLUT_HEADER = (  # noqa: SIM905 (kept as the one line the export writes)
    "Date started (UTC),Date completed (UTC),ID,Type,State,Description,Reference,Payer,"
    "Card number,Card label,Orig currency,Orig amount,Payment currency,Amount,Total amount,"
    "Exchange rate,Fee,Fee currency,Balance,Account,Beneficiary account number,"
    "Beneficiary sort code or routing number,Beneficiary IBAN,Beneficiary BIC,MCC,"
    "Related transaction id,Spend program"
).split(",")


def revolut() -> Written:
    t = Table()
    t.header(REVOLUT_HEADER)
    transfer = "bank_transfer"
    # oldest first: (started, completed, type, state, description, reference, payer, card,
    # signed amount, what it gives)
    # fmt: off
    lines: list[tuple[str, str, str, str, str, str, str, str, str, Expect]] = [
        ("2026-10-02", "2026-10-03", "TOPUP", "COMPLETED", "Money added from ASHBY DENTAL LTD",
         "INV-1241", "ASHBY DENTAL LTD", "", "1200.00",
         Pay("1241", "1200.00", d("2026-10-03"), transfer, reference="INV-1241",
             note="the payment date is the date completed, not the date started")),
        ("2026-10-05", "2026-10-05", "CARD_PAYMENT", "COMPLETED", "Screwfix", "", "",
         "459678******4821", "-42.60", Skip("debit: card")),
        ("2026-10-14", "2026-10-14", "TOPUP", "COMPLETED", "Money added from BEXLEY VETS",
         "Invoice 1242", "BEXLEY VETS", "", "325.40",
         Pay("1242", "325.40", d("2026-10-14"), transfer, reference="Invoice 1242")),
        ("2026-10-20", "2026-10-20", "TRANSFER", "COMPLETED", "To CRANLEIGH PROPERTIES",
         "RENT NOV", "", "", "-1250.00", Skip("debit: transfer out")),
        ("2026-10-30", "", "TOPUP", "PENDING", "Money added from CARROW LETTINGS", "INV 1243",
         "CARROW LETTINGS", "", "480.00", Skip("pending: not received yet")),
        ("2026-10-31", "2026-10-31", "FEE", "COMPLETED", "Grow plan fee", "", "", "",
         "-25.00", Skip("bank fee")),
    ]
    # fmt: on
    balance = Decimal("4000.00")
    for started, completed, kind, state, text, reference, payer, card, signed, expect in lines:
        value = Decimal(signed)
        done = state == "COMPLETED"
        balance += value if done else 0
        tid = "6523a1f0-0b2c-a4f1-9e1d-" + _hex("revolut", started, text, length=12)
        t.add([started, completed, tid, kind, state, text, reference, payer, card,
               "Office" if card else "", "GBP", plain(abs(value)), "GBP", plain(value),
               plain(value), "", "0.00", "GBP", plain(balance) if done else "", "Main", "", "",
               "", "", "5251" if card else "", "", ""], expect)  # fmt: skip
    return _csv_written(
        "revolut-business.csv",
        t,
        "Revolut Business: account statement exported as CSV",
        "a Revolut-to-LexOffice converter's column map ('Date started (UTC)', 'Date completed "
        "(UTC)', 'State', 'Payer', 'Orig amount', 'Payment currency'...)",
        "GBP",
        [
            "Two dates, 'Date started (UTC)' and 'Date completed (UTC)': the money is there on "
            "the date completed (one line differs); a pending line has none.",
            "'State' COMPLETED or PENDING: a pending top-up is no money received yet.",
            "Signed 'Amount' beside 'Orig amount' (unsigned) and 'Total amount'; the payer "
            "in 'Payer', the invoice in 'Reference'.",
        ],
        newline="\n",
    )


WISE_HEADER = (  # noqa: SIM905 (kept as the one line the export writes)
    "TransferWise ID,Date,Amount,Currency,Description,Payment Reference,Running Balance,"
    "Exchange From,Exchange To,Exchange Rate,Payer Name,Payee Name,Payee Account Number,"
    "Merchant,Card Last Four Digits,Card Holder Full Name,Attachment,Note,Total fees,"
    "Exchange To Amount"
).split(",")


def wise() -> Written:
    t = Table()
    t.header(WISE_HEADER)
    transfer = "bank_transfer"
    # newest first: (id, date, signed amount, description, payment reference, payer, payee,
    # merchant, card, what it gives)
    # fmt: off
    lines: list[tuple[str, str, str, str, str, str, str, str, str, Expect]] = [
        ("TRANSFER-330019822", "2026-10-28", "-1250.00",
         "Sent money to CRANLEIGH PROPERTIES", "RENT NOV", "", "CRANLEIGH PROPERTIES", "", "",
         Skip("debit: transfer out")),
        ("BALANCE-77123001", "2026-10-20", "-500.00", "Converted 500.00 EUR to 430.12 GBP",
         "", "", "", "", "", Skip("currency exchange out")),
        ("DEPOSIT-1984551777", "2026-10-14", "325.40",
         "Received money from BOULANGERIE MARTIN with reference Facture 1252",
         "Facture 1252", "BOULANGERIE MARTIN", "", "", "",
         Pay("1252", "325.40", d("2026-10-14"), transfer, reference="Facture 1252")),
        ("CARD-880012345", "2026-10-05", "-42.60",
         "Card transaction of 42.60 EUR issued by Amazon", "", "", "", "Amazon", "4821",
         Skip("debit: card")),
        ("DEPOSIT-1984551201", "2026-10-03", "1200.00",
         "Received money from ACME GMBH with reference INV-1251", "INV-1251", "ACME GMBH", "",
         "", "", Pay("1251", "1200.00", d("2026-10-03"), transfer, reference="INV-1251")),
    ]
    # fmt: on
    balance = Decimal("3732.80")
    for tid, when, signed, text, reference, payer, payee, merchant, card, expect in lines:
        exchange = tid.startswith("BALANCE")
        t.add([tid, d(when).strftime("%d-%m-%Y"), plain(signed), "EUR", text, reference,
               plain(balance), "EUR" if exchange else "", "GBP" if exchange else "",
               "0.86024" if exchange else "", payer, payee, "GB12345" if payee else "",
               merchant, card, "Northwind Studio" if card else "", "", "",
               "1.12" if payee else "0.00", "430.12" if exchange else ""], expect)  # fmt: skip
        balance -= Decimal(signed)
    return _csv_written(
        "wise-statement.csv",
        t,
        "Wise (TransferWise) business: balance statement exported as CSV",
        "statement parsers' WISE_HEADERS list ('TransferWise ID, Date, Amount, Currency, "
        "Description, Payment Reference, Running Balance, ...'); csv2sepa's StatementRow",
        "EUR",
        [
            "The invoice is both in 'Payment Reference' and inside the sentence of "
            "'Description' ('Received money from ACME GMBH with reference INV-1251'): the "
            "payer's reference is read.",
            "Dates DD-MM-YYYY; signed amounts; conversions between balances are money out.",
            "A 'Card Last Four Digits' column, filled only on card spending (debits).",
        ],
        newline="\n",
    )


def mollie() -> Written:
    t = Table()
    t.header(["Date", "Payment method", "Currency", "Amount", "Status", "ID", "Description",
              "Consumer name", "Consumer bank account", "Consumer BIC", "Settlement currency",
              "Settlement amount", "Settlement reference", "Amount refunded"])  # fmt: skip
    no_last4 = "card payment with no card digits in the export: method other"
    # (created, method, amount, status, id, description, consumer, iban, bic, net, what it gives)
    # fmt: off
    lines: list[tuple[str, str, str, str, str, str, str, str, str, str, Expect]] = [
        ("2026-10-03 14:12:01", "iDEAL", "1200.00", "paid", "tr_WDqYK6vllg", "Factuur 1281",
         "Bakkerij de Vries", "NL91ABNA0417164300", "ABNANL2A", "1199.71",
         Pay("1281", "1200.00", d("2026-10-03"), "bank_transfer", reference="tr_WDqYK6vllg")),
        ("2026-10-14 09:40:55", "Credit card", "325.40", "paid", "tr_WDqYK6vllh",
         "Factuur 1282", "K. Jansen", "", "", "319.51",
         Pay("1282", "325.40", d("2026-10-14"), "other", reference="tr_WDqYK6vllh",
             note=no_last4)),
        ("2026-10-20 16:03:12", "iDEAL", "480.00", "expired", "tr_WDqYK6vlli", "Factuur 1283",
         "", "", "", "", Skip("expired: never paid")),
        ("2026-10-28 11:20:00", "Bancontact", "750.00", "paid", "tr_WDqYK6vllj",
         "Factuur 1284", "Atelier Peeters", "BE68539007547034", "BBRUBEBB", "749.61",
         Pay("1284", "750.00", d("2026-10-28"), "other", reference="tr_WDqYK6vllj",
             note=no_last4)),
    ]
    # fmt: on
    for created, method, gross, status, tid, text, who, iban, bic, net, expect in lines:
        paid = status == "paid"
        t.add([created, method, "EUR", gross, status, tid, text, who, iban, bic,
               "EUR" if paid else "", net, "1182161.2610.01" if paid else "",
               "0.00" if paid else ""], expect)  # fmt: skip
    return _csv_written(
        "mollie-payments.csv",
        t,
        "Mollie dashboard: payments exported as CSV (Netherlands)",
        "Mollie's payment and settlement fields (method, status paid/expired, consumer name "
        "and account, settlement amount and reference)",
        "EUR",
        [
            "The invoice is written in Dutch in 'Description': 'Factuur 1281'.",
            "Method words of the Netherlands and Belgium: iDEAL (a bank payment), Bancontact "
            "and Credit card (cards with no digits in the export).",
            "'Status' expired is no payment; 'Settlement amount' is the net after Mollie's fee.",
        ],
    )


STRIPE_PAYMENTS_HEADER = (  # noqa: SIM905 (kept as the one line the export writes)
    "id,Created (UTC),Amount,Amount Refunded,Currency,Captured,Converted Amount,"
    "Converted Amount Refunded,Converted Currency,Decline Reason,Description,Fee,"
    "Refunded date (UTC),Statement Descriptor,Status,Seller Message,Taxes On Fee,Card ID,"
    "Customer ID,Customer Description,Customer Email,Card Brand,Card Last4,Card Exp Month,"
    "Card Exp Year,Card Funding,Card Issue Country"
).split(",")


def stripe_payments() -> Written:
    t = Table()
    t.header(STRIPE_PAYMENTS_HEADER)
    # (created, amount, refunded, captured, decline, description, fee, status, customer,
    # brand, last 4, what it gives)
    # fmt: off
    lines: list[tuple[str, str, str, str, str, str, str, str, str, str, str, Expect]] = [
        ("2026-10-03 14:12:01", "1200.00", "0.00", "true", "", "Invoice 1261", "35.10", "Paid",
         "Acme Dental", "Visa", "4242",
         Pay("1261", "1200.00", d("2026-10-03"), "card", brand="Visa", last4="4242",
             reference="ch_3Q1aXk2eZvKYlo2C0xYz0001")),
        ("2026-10-14 09:40:55", "325.40", "0.00", "false", "card_declined", "Invoice 1262",
         "0.00", "Failed", "Kim Lee Design", "MasterCard", "0005", Skip("failed: declined")),
        ("2026-10-20 16:03:12", "480.00", "0.00", "true", "", "INV-1263", "14.22", "Paid",
         "Lakeside Physio", "American Express", "0019",
         Pay("1263", "480.00", d("2026-10-20"), "card", brand="Amex", last4="0019",
             reference="ch_3Q1aXk2eZvKYlo2C0xYz0003")),
        ("2026-10-28 11:20:00", "750.00", "750.00", "true", "", "Invoice 1264", "22.05",
         "Refunded", "Yellowfin Sushi", "Visa", "1881", Skip("refunded in full")),
    ]
    # fmt: on
    for n, (created, gross, refunded, captured, decline, text, fee, status, customer, brand,
            last4, expect) in enumerate(lines, start=1):  # fmt: skip
        t.add([f"ch_3Q1aXk2eZvKYlo2C0xYz{n:04d}", created, gross, refunded, "usd", captured,
               gross, refunded, "usd", decline, text, fee,
               "2026-10-29 08:00:00" if refunded != "0.00" else "", "NORTHWIND STUDIO", status,
               "Payment complete." if captured == "true" else "The bank declined the card.",
               "0.00", f"card_1Q1{n}Xk2eZvKYlo2C", f"cus_Qa{n}", customer, "", brand, last4,
               "12", "2028", "credit", "US"], expect)  # fmt: skip
    return _csv_written(
        "stripe-payments.csv",
        t,
        "Stripe Dashboard: Payments (unified payments) exported as CSV",
        "Stripe's payments export columns ('id, Created (UTC), Amount, Amount Refunded, "
        "Currency, Captured, ..., Status, ..., Card Brand, Card Last4, ...')",
        "USD",
        [
            "Card Brand and Card Last4 on every charge ('0019' keeps its zeros); 'American "
            "Express' written out.",
            "'Status' Failed and Refunded are no money received; 'Amount Refunded' beside "
            "'Amount'.",
            "The invoice is in 'Description'; dates are date and time in UTC.",
        ],
        newline="\n",
    )


# ---------------------------------------------------------------------------------------------
# exports/, payments for several invoices: one row per invoice, the payment's whole repeated
# ---------------------------------------------------------------------------------------------


def lockbox_detail() -> Written:
    t = Table()
    t.header(["Deposit Date", "Lockbox", "Batch", "Item", "Check Number", "Check Amount",
              "Routing Number", "Account Number", "Remitter Name", "Invoice Number",
              "Invoice Amount"])  # fmt: skip
    cheque = "cheque"
    # (batch, item, cheque no., cheque amount, routing, account, remitter, invoice, amount,
    # what it gives); every row deposited on 10/14/2026 (a payment's date is its deposit's)
    # fmt: off
    lines: list[tuple[str, str, str, str, str, str, str, str, str, Expect]] = [
        ("001", "1", "5512", "1450.00", "021000021", "4417302291", "ACME DENTAL GROUP",
         "1301", "1200.00", Pay("1301", "1200.00", d("2026-10-14"), cheque, cheque="5512")),
        ("001", "1", "5512", "1450.00", "021000021", "4417302291", "ACME DENTAL GROUP",
         "1302", "250.00", Pay("1302", "250.00", d("2026-10-14"), cheque, cheque="5512")),
        ("001", "2", "10087", "325.40", "111000614", "0038817765", "KIM LEE DESIGN",
         "1303", "325.40", Pay("1303", "325.40", d("2026-10-14"), cheque, cheque="10087")),
        ("002", "1", "000733", "1100.00", "026009593", "3301877120", "LAKESIDE PHYSIO",
         "1304", "480.00", Pay("1304", "480.00", d("2026-10-14"), cheque, cheque="000733")),
        ("002", "1", "000733", "1100.00", "026009593", "3301877120", "LAKESIDE PHYSIO",
         "1305", "520.00", Pay("1305", "520.00", d("2026-10-14"), cheque, cheque="000733")),
        ("002", "1", "000733", "1100.00", "026009593", "3301877120", "LAKESIDE PHYSIO",
         "1306", "100.00", Pay("1306", "100.00", d("2026-10-14"), cheque, cheque="000733")),
    ]
    # fmt: on
    for batch, item, number, whole, routing, account, remitter, invoice, share, expect in lines:
        t.add(["10/14/2026", "4417", batch, item, number, whole, routing, account, remitter,
               invoice, share], expect)  # fmt: skip
    return _csv_written(
        "lockbox-detail-report.csv",
        t,
        "A bank's lockbox service: the day's detail report (one row per invoice paid) "
        "downloaded as CSV",
        "Texas Capital Bank's A/R Advantage detail spreadsheet (batch and check sequence, check "
        "amount, MICR line, then the data-entry fields Remitter Name, Invoice Number, Amount); "
        "Gotransverse's lockbox CSV labels (Deposit Date, Bank Routing Number, Bank Account "
        "Number, Check Number, Invoice Number, Invoice Amount); Boston Post's standard lockbox "
        "fields (Check Number, Check Amount)",
        "USD",
        [
            "No method column: every row is a cheque; 'Check Amount' is the whole cheque, "
            "repeated on the row of every invoice it pays, and 'Invoice Amount' what it pays "
            "on that invoice: cheque 5512 pays two invoices, cheque 000733 three.",
            "The rows of one cheque are one payment, which must add up to its 'Check Amount'.",
            "The payer's bank routing and account numbers (MICR line) beside the cheque's; "
            "'Lockbox', 'Batch' and 'Item' are the bank's own numbers; dates MM/DD/YYYY.",
        ],
        encoding="ascii",
    )


def lockbox_bai() -> Written:
    t = Table()
    t.header(["Transit Routing", "Account", "Lockbox Number", "Deposit Date", "Batch Number",
              "Item Number", "Check Number", "Remitter", "Check Amount", "Invoice Number",
              "Invoice Date", "Invoice Amount", "Discount Amount", "Applied Amount"])  # fmt: skip
    cheque = "cheque"
    # (deposit date, item, cheque no., remitter, cheque amount, invoice, invoice date, gross,
    # discount, applied, what it gives)
    # fmt: off
    lines: list[tuple[str, str, str, str, str, str, str, str, str, str, Expect]] = [
        ("2026-11-16", "0001", "88120", "HARBOR VIEW DENTAL PC", "2964.50", "1311",
         "2026-10-01", "2400.00", "48.00", "2352.00",
         Pay("1311", "2352.00", d("2026-11-16"), cheque, cheque="88120")),
        ("2026-11-16", "0001", "88120", "HARBOR VIEW DENTAL PC", "2964.50", "1312",
         "2026-10-08", "612.50", "0.00", "612.50",
         Pay("1312", "612.50", d("2026-11-16"), cheque, cheque="88120")),
        ("2026-11-16", "0002", "4471", "NORTHGATE VETERINARY", "1450.75", "1313",
         "2026-10-12", "1450.75", "0.00", "1450.75",
         Pay("1313", "1450.75", d("2026-11-16"), cheque, cheque="4471")),
        ("2026-11-17", "0001", "20931", "SUMMIT ORTHOPEDICS LLC", "1160.00", "1314",
         "2026-10-15", "860.00", "0.00", "860.00",
         Pay("1314", "860.00", d("2026-11-17"), cheque, cheque="20931")),
        ("2026-11-17", "0001", "20931", "SUMMIT ORTHOPEDICS LLC", "1160.00", "1315",
         "2026-09-30", "390.00", "0.00", "300.00",
         Pay("1315", "300.00", d("2026-11-17"), cheque, cheque="20931",
             note="the invoice's 390.00 gross, of which 90.00 was paid before")),
    ]
    # fmt: on
    for when, item, number, remitter, whole, invoice, issued, gross, discount, applied, expect \
            in lines:  # fmt: skip
        t.add(["071000013", "5526014418", "8841", mdy(d(when)), "017", item, number, remitter,
               whole, invoice, mdy(d(issued)), gross, discount, applied], expect)  # fmt: skip
    return _csv_written(
        "lockbox-remittance-bai.csv",
        t,
        "A bank's lockbox transmission (BAI2 lockbox records) turned into a CSV of remittances "
        "by the bank's portal, one row per invoice applied",
        "Oracle's lockbox transmission fields (Amount Applied 1 to 8 per invoice, the receipt's "
        "remittance amount, batch and item numbers); the X12 823 lockbox set (deposit, batch, "
        "payment and invoice loops); Infor's lockbox entry grid (Apply Amt, Disc Amt)",
        "USD",
        [
            "Three amounts on every row: 'Check Amount' (the whole cheque, repeated), 'Invoice "
            "Amount' (the invoice's gross) and 'Applied Amount' (what the cheque pays on it, "
            "after 'Discount Amount'): the applied amount is recorded, and the rows of one "
            "cheque must add up to its 'Check Amount'.",
            "Invoice 1315 is paid 300.00 of its 390.00 gross (90.00 was paid before).",
            "Two dates on every row: 'Deposit Date' is the payment's, 'Invoice Date' the "
            "invoice's; the routing and account numbers are the company's own.",
        ],
        encoding="ascii",
    )


def zoho_books() -> Written:
    t = Table()
    t.header(["Date", "Payment Number", "Reference Number", "Customer Name", "Payment Mode",
              "Deposit To", "Amount", "Unused Amount", "Invoice Number", "Invoice Date",
              "Amount Applied to Invoice", "Currency Code"])  # fmt: skip
    cheque, transfer = "cheque", "bank_transfer"
    # (date, payment no., reference, customer, mode, amount, invoice, invoice date, applied,
    # what it gives)
    # fmt: off
    lines: list[tuple[str, str, str, str, str, str, str, str, str, Expect]] = [
        ("2026-10-05", "PMT-00041", "004211", "Bluebird Interiors", "Check", "2000.00",
         "INV-1321", "2026-09-10", "1450.00",
         Pay("1321", "1450.00", d("2026-10-05"), cheque, cheque="004211",
             reference="004211")),
        ("2026-10-05", "PMT-00041", "004211", "Bluebird Interiors", "Check", "2000.00",
         "INV-1322", "2026-09-24", "550.00",
         Pay("1322", "550.00", d("2026-10-05"), cheque, cheque="004211",
             reference="004211")),
        ("2026-10-12", "PMT-00042", "FT26285K91Q2", "Cedar & Pine Realty", "Bank Transfer",
         "2000.00", "INV-1323", "2026-09-15", "780.00",
         Pay("1323", "780.00", d("2026-10-12"), transfer, reference="FT26285K91Q2")),
        ("2026-10-12", "PMT-00042", "FT26285K91Q2", "Cedar & Pine Realty", "Bank Transfer",
         "2000.00", "INV-1324", "2026-09-29", "1220.00",
         Pay("1324", "1220.00", d("2026-10-12"), transfer, reference="FT26285K91Q2")),
        ("2026-10-20", "PMT-00043", "", "Driftwood Cafe", "Cash", "96.50", "INV-1325",
         "2026-10-01", "96.50", Pay("1325", "96.50", d("2026-10-20"), "cash")),
        ("2026-11-03", "PMT-00044", "1187", "Elm Street Pediatrics", "Check", "2100.00",
         "INV-1326", "2026-10-03", "2100.00",
         Pay("1326", "2100.00", d("2026-11-03"), cheque, cheque="1187", reference="1187")),
        # 20.00 paid beyond the invoice stays with Zoho as the customer's credit: the 480.00
        # applied is recorded, and 480.00 + 20.00 unused make the 500.00 paid.
        ("2026-11-09", "PMT-00045", "2250", "Foxglove Studio", "Check", "500.00",
         "INV-1327", "2026-10-20", "480.00",
         Pay("1327", "480.00", d("2026-11-09"), cheque, cheque="2250", reference="2250")),
    ]
    # fmt: on
    unused = {"PMT-00045": "20.00"}
    for when, number, reference, customer, mode, whole, invoice, issued, applied, expect \
            in lines:  # fmt: skip
        t.add([when, number, reference, customer, mode, "Undeposited Funds", whole,
               unused.get(number, "0.00"), invoice, issued, applied, "USD"],
              expect)  # fmt: skip
    return _csv_written(
        "zoho-books-payments-received.csv",
        t,
        "Zoho Books: customer payments exported as CSV, one row per invoice a payment is "
        "applied to",
        "Zoho Books' payments received fields (payment_number, payment_mode, reference_number, "
        "amount, unused_amount, invoice_number, applied_invoice_amount) as a Zoho Books reader "
        "documents them; Zoho's help on splitting one payment across invoices",
        "USD",
        [
            "'Amount' is the whole payment, repeated on the row of every invoice it is applied "
            "to; 'Amount Applied to Invoice' is that invoice's part, and is what is recorded.",
            "No cheque-number column: a cheque's number is its 'Reference Number'; a bank "
            "transfer's reference is the bank's.",
            "'Unused Amount' beside the amounts (0.00: every payment applied in full, but "
            "PMT-00045's 500.00 of which 480.00 is applied and 20.00 left as a credit): a "
            "payment's applied parts and its unused money add up to 'Amount'; only the parts "
            "are recorded. 'Invoice Date' beside the payment's 'Date'; invoices written "
            "'INV-1321'.",
        ],
    )


# ---------------------------------------------------------------------------------------------
# statements/
# ---------------------------------------------------------------------------------------------


def nationwide() -> Written:
    t = Table()
    t.add(["Account Name:", "Business current ****48211"])
    t.add(["Account Balance:", ""])
    t.add(["Available Balance: ", ""])
    t.add([])
    t.header(["Date", "Transaction type", "Description", "Paid out", "Paid in", "Balance"])
    # oldest first: (date, type, description, paid out, paid in, what it gives)
    # fmt: off
    lines: list[tuple[str, str, str, str, str, Match | Skip]] = [
        ("2026-10-02", "Bank credit CRESTVIEW DENTAL LTD", "REF INV-2011", "", "845.00",
         Match("sure", "845.00", d("2026-10-02"), ("2011",),
               why="INV-2011 in the description; 845.00 is what it owes (Crestview Dental "
               "also owes 410.00 on 2019)")),
        ("2026-10-05", "Direct debit HMRC VAT", "HMRC VAT 123456789", "1840.22", "",
         Skip("debit: direct debit")),
        ("2026-10-09", "Bank credit HOLLOWAY & PRICE", "2012 BALANCE", "", "1260.00",
         Match("sure", "1260.00", d("2026-10-09"), ("2012",),
               why="2012 without its prefix, as a whole word")),
        ("2026-10-14", "Bank credit FAIRBAIRN JOINERY LT", "INV2013 PART", "", "500.00",
         Match("sure", "500.00", d("2026-10-14"), ("2013",),
               why="INV2013 (prefix without its hyphen); 500.00 of the 1,500.00 it owes; the "
               "number wins over the two 500.00 invoices of Willowbrook")),
        ("2026-10-16", "Visa purchase", "AMAZON MKTPLACE", "23.99", "", Skip("debit: card")),
        ("2026-10-20", "Bank credit MERIDIAN SUPPLIES", "ORDER 5520147", "", "2216.90",
         Match("likely", "2216.90", d("2026-10-20"), ("2015",),
               why="2014 (Tanner Bros, owes 2,500.00) is only inside 5520147, so not sure; "
               "Meridian Supplies Ltd is the one client owing exactly 2,216.90")),
        ("2026-10-23", "Transfer from ALDGATE LOGISTICS", "40-44-12 72016413", "", "990.00",
         Match("likely", "990.00", d("2026-10-23"), ("2016",),
               why="2016 is only inside the payer's account number 72016413, so not sure; "
               "Aldgate Logistics Ltd owes exactly 990.00")),
        ("2026-10-28", "Bank credit BRAMLEY & SONS", "INV 2017 + 2018", "", "1025.50",
         Match("sure", "1025.50", d("2026-10-28"), ("2017", "2018"),
               why="split: 2017 owes 640.00 and 2018 owes 385.50, together 1,025.50")),
        ("2026-10-31", "Account fee", "MONTHLY ACCOUNT FEE", "8.50", "", Skip("bank fee")),
        ("2026-11-04", "Bank credit PENDLETON ARCHITECTURAL SE", "NOV FEES", "", "1318.40",
         Match("likely", "1318.40", d("2026-11-04"), ("2004",),
               why="name truncated by the bank, 'Ltd' dropped; only 2004 owes 1,318.40 "
               "(Pendleton Joinery Ltd owes 940.00)")),
        ("2026-11-10", "Bank credit ST. AUBYN ESTATES", "PAYMENT", "", "2750.00",
         Match("likely", "2750.00", d("2026-11-10"), ("2005",),
               why="'ST. AUBYN ESTATES' against 'St Aubyn Estates LLP'; only 2005 owes "
               "2,750.00")),
        ("2026-11-13", "Bank credit WILLOWBROOK NURSERY", "ACCOUNT PAYMENT", "", "500.00",
         Match("several", "500.00", d("2026-11-13"), candidates=("2006", "2007"),
               why="Willowbrook Nursery Ltd has two invoices of 500.00")),
        ("2026-11-17", "Transfer to", "09-01-28 44419072", "2000.00", "",
         Skip("debit: transfer out")),
        ("2026-11-19", "Bank credit THORNBURY CAFE", "INV-2009", "", "600.00",
         Match("none", "600.00", d("2026-11-19"),
               why="INV-2009 is already paid; no open invoice owes 600.00")),
        ("2026-11-23", "Bank credit ASHCOMBE INTERIORS", "INV-2003", "", "1000.00",
         Match("none", "1000.00", d("2026-11-23"),
               why="INV-2003 owes 400.00, less than 1,000.00; no open invoice owes 1,000.00")),
        ("2026-11-25", "Bank credit KINGFISHER PRINT", "INV-2010", "", "720.00",
         Match("none", "720.00", d("2026-11-25"),
               why="INV-2010 is a draft; no open invoice owes 720.00")),
        ("2026-11-27", "Transfer from J SMITH", "304050 15558721", "", "75.00",
         Match("none", "75.00", d("2026-11-27"),
               why="no invoice number; no open invoice owes 75.00")),
    ]
    # fmt: on
    balance = Decimal("15337.39")
    t.add(
        [dmy(d("2026-10-01")), "Balance brought forward", "", "", "", pounds(balance)],
        Skip("opening balance"),
    )
    for when, kind, text, out, into, expect in lines:
        balance += Decimal(into or "0") - Decimal(out or "0")
        t.add([dmy(d(when)), kind, text, pounds(out) if out else "",
               pounds(into) if into else "", pounds(balance)], expect)  # fmt: skip
    t.add(
        [dmy(d("2026-11-30")), "Balance carried forward", "", "", "", pounds(balance)],
        Skip("closing balance"),
    )
    t.cells[1][1] = t.cells[2][1] = "£" + amount(balance)
    write_csv(
        STATEMENTS / "nationwide-business-current.csv",
        t.cells,
        encoding="latin-1",
        quoting=csv.QUOTE_ALL,
    )
    return Written(
        "nationwide-business-current.csv",
        "Nationwide Building Society: statement downloaded as CSV",
        "WillOnGit/nationwide-transaction-parser fixtures/test-statement.csv and statement.py",
        {"format": "csv", "encoding": "latin-1", "delimiter": ",", "header_row": t.header_row},
        "GBP",
        t,
        [
            "The payer's name is in 'Transaction type' ('Bank credit CRESTVIEW DENTAL LTD', "
            "'Transfer from ALDGATE LOGISTICS'); 'Description' holds their reference or a "
            "sort code and account number.",
            "'Paid out' / 'Paid in' with '£' and no thousands separator; three title lines "
            "(one with a trailing space) and a blank line; latin-1, every field quoted.",
            "Balance brought/carried forward lines with only a balance.",
            "Numbers that are not invoice numbers: 2014 inside 'ORDER 5520147', 2016 inside "
            "the account number '72016413'; 'INV2013' has no hyphen.",
        ],
    )


def bbva() -> Written:
    t = Table()
    t.add([])
    t.add(["", "Últimos movimientos"])
    t.add(["", "Cuenta: ES94 0182 2370 4102 0158 4821"])
    t.add([])
    t.header(["", "F.Valor", "Fecha", "Concepto", "Movimiento", "Importe", "Divisa",
              "Disponible", "Divisa", "Observaciones"])  # fmt: skip
    received = "Transferencia recibida"
    # newest first: (value date, date, concept, movement, signed amount, remarks, what it gives)
    # fmt: off
    lines: list[tuple[str, str, str, str, str, str, Match | Skip]] = [
        ("2026-11-28", "2026-11-28", "CONSTRUCCIONES ARANDA SL", received, "2180.00",
         "Pago factura 1011",
         Match("sure", "2180.00", d("2026-11-28"), ("1011",),
               why="'factura 1011' in Observaciones; 2.180,00 is what it owes")),
        ("2026-11-26", "2026-11-26", "ENDESA ENERGIA SAU", "Adeudo de recibo", "-187.45",
         "RECIBO LUZ NOVIEMBRE", Skip("debit: direct debit")),
        ("2026-11-24", "2026-11-24", "MARTA RUIZ", "Bizum", "35.00", "",
         Match("none", "35.00", d("2026-11-24"),
               why="no invoice number; no open invoice owes 35,00 (Marta Ruiz Estética owes "
               "350,00)")),
        ("2026-11-20", "2026-11-20", "CLINICA DENTAL SONRISAS SL", received, "265.00", "CUOTA",
         Match("several", "265.00", d("2026-11-20"), candidates=("3009", "3010"),
               why="Clínica Dental Sonrisas SL has two invoices of 265,00")),
        ("2026-11-17", "2026-11-17", "GARCIA Y LOPEZ ASESO", received, "2640.00",
         "HONORARIOS OCTUBRE",
         Match("likely", "2640.00", d("2026-11-17"), ("3008",),
               why="name truncated by the bank, accents and 'S.L.' dropped; only 3008 owes "
               "2.640,00")),
        ("2026-11-13", "2026-11-13", "REPUESTOS NORTE SL", received, "830.00",
         "ORDENANTE ES21 0081 0200 3007 4561 2398",
         Match("none", "830.00", d("2026-11-13"),
               why="3007 is a group of the payer's IBAN, not an invoice; Talleres Beltrán SL "
               "owes 830,00 but is not the payer; Repuestos Norte SL owes 1.240,00")),
        ("2026-11-10", "2026-11-10", "COMISION MANTENIMIENTO", "Comisiones", "-12.00", "",
         Skip("bank fee")),
        ("2026-11-06", "2026-11-06", "ASESORIA CAMPOS SL", received, "1745.00", "REF 0030061",
         Match("likely", "1745.00", d("2026-11-06"), ("3006",),
               why="3006 is only inside 0030061, so not sure; Asesoría Campos SL is the one "
               "client owing exactly 1.745,00")),
        ("2026-11-03", "2026-11-04", "OPTICA MIRALBA SL", received, "1380.00",
         "FRAS. 3004 Y 3005",
         Match("sure", "1380.00", d("2026-11-03"), ("3004", "3005"),
               why="split: 3004 owes 275,90 and 3005 owes 1.104,10, together 1.380,00; "
               "F.Valor (the value date) is 03/11, Fecha (booking) 04/11")),
        ("2026-10-30", "2026-10-30", "ALQUILERES CENTRO SL", "Transferencia realizada",
         "-1250.00", "ALQUILER NOVIEMBRE", Skip("debit: transfer out")),
        ("2026-10-27", "2026-10-27", "DISTRIBUCIONES LEVANTE SA", received, "1000.00",
         "FRA. 3003 1ER PAGO",
         Match("sure", "1000.00", d("2026-10-27"), ("3003",),
               why="FRA. 3003; 1.000,00 of the 3.000,00 it owes")),
        ("2026-10-22", "2026-10-22", "AEAT", "Adeudo impuestos", "-2034.88", "MOD 303 3T 2026",
         Skip("debit: tax")),
        ("2026-10-16", "2026-10-16", "FERRETERIA HERMANOS GIL SL", received, "416.25",
         "FACTURA Nº 3002",
         Match("sure", "416.25", d("2026-10-16"), ("3002",), why="FACTURA Nº 3002")),
        ("2026-10-09", "2026-10-09", "GASOLINERA REPSOL", "Pago con tarjeta", "-62.10",
         "TARJETA 4B **** 9921", Skip("debit: card")),
    ]
    # fmt: on
    opening = Decimal("12486.17")
    after = []
    balance = opening
    for line in reversed(lines):
        balance += Decimal(line[4])
        after.append(balance)
    after.reverse()
    t.add(
        ["", d("2026-11-30"), d("2026-11-30"), "SALDO FINAL", "", None, "", float(balance),
         "EUR", ""], Skip("closing balance"),
    )  # fmt: skip
    for (value, booked, concept, movement, signed, remarks, expect), running in zip(
        lines, after, strict=True
    ):
        t.add(["", d(value), d(booked), concept, movement, float(signed), "EUR",
               float(running), "EUR", remarks], expect)  # fmt: skip
    t.add(
        ["", d("2026-10-01"), d("2026-10-01"), "SALDO INICIAL", "", None, "", float(opening),
         "EUR", ""], Skip("opening balance"),
    )  # fmt: skip

    book, sheet = new_sheet("Movimientos", t.cells)
    formats(sheet, first_row=t.header_row + 1)
    for cell in sheet[t.header_row]:
        cell.font = Font(bold=True)
    sheet["B2"].font = Font(bold=True, size=14)
    widths(sheet, [3, 12, 12, 30, 24, 12, 8, 12, 8, 40])
    save_xlsx(book, STATEMENTS / "bbva-movimientos.xlsx")
    return Written(
        "bbva-movimientos.xlsx",
        "BBVA (Spain) online banking: Movimientos exported to Excel",
        "ofxstatement BBVA plugin (Fields enum, header found anywhere); jenkins_cuentas "
        "columnas_bbva",
        {
            "format": "xlsx",
            "sheet": "Movimientos",
            "header_row": t.header_row,
            "first_column": "B",
        },
        "EUR",
        t,
        [
            "The table starts in column B; two columns are both named 'Divisa'.",
            "The payer is in 'Concepto', the kind of line in 'Movimiento', the payer's own "
            "words in 'Observaciones'.",
            "One signed 'Importe' (number cells) and the running balance 'Disponible'; "
            "'F.Valor' (value date, the payment date) before 'Fecha'.",
            "'SALDO FINAL' first and 'SALDO INICIAL' last (newest first), with no amount.",
            "An IBAN printed in groups of four digits ('... 0200 3007 4561 ...') whose group "
            "equals an open invoice number owing exactly the line's amount, but the payer is "
            "another client; 3006 inside 'REF 0030061'.",
        ],
    )


# ---------------------------------------------------------------------------------------------
# Checks: the seed and the expectations must agree, or the corpus tests nothing
# ---------------------------------------------------------------------------------------------


def check_exports(written: list[Written]) -> None:
    """Each payment's outcome follows from the seed, and no invoice serves two files."""
    seen: dict[str, str] = {}
    for item in written:
        due = {number: invoice.due for number, invoice in INVOICES.items()}
        for row, expect in item.table.expected():
            where = f"{item.name} row {row}"
            if not isinstance(expect, Pay):
                continue
            invoice = INVOICES.get(expect.invoice)
            if invoice is None:
                raise SystemExit(f"{where}: invoice {expect.invoice} is not in the seed")
            owner = seen.setdefault(expect.invoice, item.name)
            if owner != item.name:
                raise SystemExit(f"{where}: invoice {expect.invoice} is also in {owner}")
            currency = expect.currency or item.currency
            if currency != invoice.currency:
                raise SystemExit(f"{where}: {currency} payment on a {invoice.currency} invoice")
            if not (TODAY - timedelta(days=180) <= expect.on <= d("2026-11-30")):
                raise SystemExit(f"{where}: {expect.on} is outside October-November 2026")
            value = Decimal(expect.amount)
            payable = invoice.status in PAYABLE and value <= due[expect.invoice]
            if expect.outcome == "recorded":
                if not payable:
                    raise SystemExit(f"{where}: {value} cannot be recorded on {invoice}")
                due[expect.invoice] -= value
            elif payable:
                raise SystemExit(f"{where}: expected a refusal but {invoice} takes {value}")


def _folded(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def check_statements(written: list[Written]) -> None:
    """Each Match follows from the seed's open invoices, with no amount owed by accident."""
    open_invoices = [invoice for invoice in INVOICES.values() if invoice.is_open]
    for item in written:
        for row, expect in item.table.expected():
            if not isinstance(expect, Match):
                continue
            where = f"{item.name} row {row}"
            value = Decimal(expect.amount)
            owing = [invoice for invoice in open_invoices if invoice.due == value]
            numbers = [invoice.number for invoice in owing]
            text = _folded(" ".join(str(c) for c in item.table.cells[row - 1] if c))
            close = [inv.number for inv in owing if _folded(inv.client).split()[0] in text]
            if expect.match == "sure":
                named = set(re.findall(r"(?<![0-9])[0-9]+(?![0-9])", text))
                dues = [INVOICES[number].due for number in expect.invoices]
                if not all(n in named and INVOICES[n].is_open for n in expect.invoices):
                    raise SystemExit(f"{where}: sure {expect.invoices} not all open and named")
                split = len(dues) > 1
                if (split and sum(dues) != value) or (not split and value > dues[0]):
                    raise SystemExit(f"{where}: sure {expect.invoices} does not fit {value}")
            elif expect.match == "likely":
                if numbers != list(expect.invoices) or close != numbers:
                    raise SystemExit(f"{where}: likely {expect.invoices}, owing {numbers}")
            elif expect.match == "several":
                if numbers != list(expect.candidates) or len({i.client for i in owing}) != 1:
                    raise SystemExit(f"{where}: several {expect.candidates}, owing {numbers}")
            elif expect.match == "none" and close:
                raise SystemExit(f"{where}: none, but the payer's {close} owe {value}")


# ---------------------------------------------------------------------------------------------
# Manifests and READMEs
# ---------------------------------------------------------------------------------------------


def _payment(expect: Pay, currency: str) -> dict[str, object]:
    entry: dict[str, object] = {
        "invoice": expect.invoice,
        "amount": plain(expect.amount),
        "currency": expect.currency if expect.currency != currency else None,
        "payment_date": expect.on.isoformat(),
        "method": expect.method,
        "cheque_number": expect.cheque,
        "card_brand": expect.brand,
        "card_last4": expect.last4,
        "reference": expect.reference,
        "outcome": expect.outcome,
        "note": expect.note,
    }
    return {key: value for key, value in entry.items() if value is not None}


def _match(expect: Match, currency: str) -> dict[str, object]:
    return {
        "match": expect.match,
        "invoice": list(expect.invoices),
        "accept": "yes" if expect.match == "sure" else "",
        "candidates": list(expect.candidates),
        "amount": plain(expect.amount),
        "currency": currency,
        "payment_date": expect.on.isoformat(),
        "method": "bank_transfer",
        "why": expect.why,
    }


def manifest(written: list[Written], *, about: str, statement: bool) -> dict[str, object]:
    files = []
    for item in written:
        rows: list[dict[str, object]] = []
        for row, expect in item.table.expected():
            if isinstance(expect, Pay):
                rows.append({"row": row, "payment": _payment(expect, item.currency)})
            elif isinstance(expect, Skip) and statement:
                rows.append({"row": row, "match": "not a payment", "reason": expect.reason})
            elif isinstance(expect, Skip):
                rows.append({"row": row, "not_a_payment": expect.reason})
            else:
                rows.append({"row": row, **_match(expect, item.currency)})
        files.append(
            {
                "file": item.name,
                "imitates": item.imitates,
                "layout_seen_in": item.seen,
                **item.layout,
                "currency": item.currency,
                "rows": rows,
            }
        )
    return {
        "about": about,
        "seed": "../corpus-sandbox-invoices.json",
        "today": TODAY.isoformat(),
        "files": files,
    }


def write_json(path: Path, value: dict[str, object]) -> None:
    """JSON with one line per list item (an invoice, a row), to stay small and diffable."""

    def line(item: object) -> str:
        return json.dumps(item, ensure_ascii=False)

    def block(item: object, indent: str) -> str:
        inner = indent + "  "
        if isinstance(item, dict):
            parts = [f"{inner}{line(key)}: {block(value, inner)}" for key, value in item.items()]
            return "{\n" + ",\n".join(parts) + "\n" + indent + "}"
        if isinstance(item, list) and item:
            parts = [
                inner + (block(v, inner) if isinstance(v, dict) and "rows" in v else line(v))
                for v in item
            ]
            return "[\n" + ",\n".join(parts) + "\n" + indent + "]"
        return line(item)

    path.write_text(block(value, "") + "\n", encoding="utf-8")


def readme(path: Path, title: str, intro: str, written: list[Written]) -> None:
    lines = [f"# {title}", "", intro, ""]
    for item in written:
        lines += [f"## `{item.name}`", "", f"Imitates: {item.imitates}.", ""]
        lines += [f"Layout seen in: {item.seen}.", "", "What a reader must cope with:", ""]
        lines += [f"- {remark}" for remark in item.hard]
        lines.append("")
    lines += [
        "## Expected results",
        "",
        "`expected.json` lists, for every file, each line below the header with what it should "
        "give (a payment, or why the line is not one), by the row number Excel shows. The "
        "invoices are in `../corpus-sandbox-invoices.json` (a sandbox seed: `importer sandbox "
        "--seed`); the outcomes hold for a sandbox freshly seeded with it, one file at a time, "
        "on 2026-12-02 (`today`).",
        "",
        "Do not edit these files by hand: change `tests/make_exports.py` and run "
        "`python tests/make_exports.py`.",
        "",
    ]
    path.write_text("\n".join(lines), encoding="utf-8")


def main() -> None:
    EXPORTS.mkdir(parents=True, exist_ok=True)
    STATEMENTS.mkdir(parents=True, exist_ok=True)
    exports = [
        quickbooks(),
        lloyds(),
        santander(),
        caixabank(),
        banque_postale(),
        square(),
        cheque_book(),
        stripe(),
        paypal(),
        gocardless(),
        chase(),
        bank_of_america(),
        bhd(),
        monzo(),
        starling(),
        xero(),
        barclays(),
        revolut(),
        wise(),
        mollie(),
        stripe_payments(),
        lockbox_detail(),
        lockbox_bai(),
        zoho_books(),
    ]
    statements = [nationwide(), bbva()]
    check_exports(exports)
    check_statements(statements)
    write_json(SEED, seed())
    write_json(
        EXPORTS / "expected.json",
        manifest(
            exports,
            statement=False,
            about="Issue 14: each file imports with no flags; 'payment' rows are recorded (or "
            "refused by their invoice: 'outcome'), 'not_a_payment' rows are passed over. Rows "
            "are numbered as Excel shows them; a payment's currency is the file's unless given.",
        ),
    )
    write_json(
        STATEMENTS / "expected.json",
        manifest(
            statements,
            statement=True,
            about="Issue 17: each line's Match, Invoice and Accept from 'importer match' "
            "(debits, fees and balances: 'not a payment', with the reason). Rows are numbered "
            "as Excel shows them.",
        ),
    )
    readme(
        EXPORTS / "README.md",
        "Real export layouts (issue 14)",
        "Each file copies how one program really exports payments received: title lines, "
        "footers, subtotals, date and amount formats. The payments are invented.",
        exports,
    )
    readme(
        STATEMENTS / "README.md",
        "Bank statements without an invoice column (issue 17)",
        "Two statements whose lines name an invoice in the description, or only the payer and "
        "the amount say which invoice; debits, fees and balances among them.",
        statements,
    )


if __name__ == "__main__":
    main()
