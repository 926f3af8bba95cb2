"""CSV exports of the dashboards' tables, safe to open in a spreadsheet program.

A cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return would be read as a formula
(CSV injection); such text cells get a leading ``'`` as OWASP recommends. Numbers are written as numbers.
"""

from __future__ import annotations

import csv

from django.http import HttpResponse

from smartedu.stats.presenters import Table, Value

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Value) -> str | int | float:
    """The value as written to the CSV: numbers as they are, text neutralised, None as empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def table_csv(table: Table, filename: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # so that spreadsheet programs read the Chinese names as UTF-8
    writer = csv.writer(response)
    writer.writerow([csv_cell(h) for h in table.header])
    for row in table.rows:
        writer.writerow([csv_cell(v) for v in row])
    return response
