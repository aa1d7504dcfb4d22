"""Checking a file's rows: templates, column mapping, values, and each row into a payment.

templates   what a kind of spreadsheet calls each field; built-in and users' TOML files
mapping     which column feeds each field, or why none (or two) can
values      amounts and dates as accountants write them
fields      one cell read into its field, or the problem why not
notes       the notes each payment carries
rows        each row into a payment or its problems; validate_file
duplicates  rows that repeat an earlier payment of the same file
problems    a row problem, and how it is described"""
