"""Reading a payments file: CSV and workbooks, cells as typed, with the row numbers Excel shows.

``files`` tells what a file is and refuses what cannot be read; ``csv`` and ``workbook`` turn
its cells into text (``xlsx`` adds what calamine does not report); ``layout`` finds the header
among title lines and keeps a totals row apart."""
