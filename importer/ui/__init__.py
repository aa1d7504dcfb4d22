"""The workbench: the whole import in a browser page, served to this computer only.

A thin door over the library, as the command line is: its pages call ``importer.review`` and
``importer.importing`` and render what they return, and decide no rule of their own.

    app      the pages in the order of the import, behind the guard
    guard    the secret, the Host and the Origin, checked before any page
    steps    Start, Columns, Rows, Check;  record: Record, its progress, Stop, Done
    history  past runs; a payment in doubt settled by hand
    state    the files dropped on it and the one run recording at a time
    uploads  a spreadsheet received within its limits into a private folder
    server   uvicorn on 127.0.0.1; words: how a status is shown
"""

from importer.ui.server import Address, running_workbench, serve, workbench_for
from importer.ui.state import Workbench

__all__ = ["Address", "Workbench", "running_workbench", "serve", "workbench_for"]
