"""What a run writes: the results file, its summary, the problems report, blank workbooks.

Every file goes to disk through one atomic writer (``files``); CSV and XLSX cells are made
safe for a spreadsheet in one place (``spreadsheets``)."""
