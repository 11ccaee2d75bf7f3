"""CSV and XLSX files as Finnish spreadsheet users open them."""

import csv
import re

from django.http import HttpResponse

# A cell starting with one of these is run as a formula by spreadsheet programs.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SIGNED_NUMBER = re.compile(r"[+-]\d+")


def _safe(value) -> str:
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS) and not SIGNED_NUMBER.fullmatch(text):
        return "'" + text
    return text


def _download(filename: str, content_type: str) -> HttpResponse:
    """A file to save, kept out of every cache: exports hold client or service data."""
    response = HttpResponse(content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def csv_response(filename: str, header: list, rows) -> HttpResponse:
    """
    Semicolon-separated UTF-8 with a byte-order mark: what Excel in Finnish opens as columns.
    No client names in file names: a download list is not a place for them.
    """
    response = _download(filename, "text/csv; charset=utf-8")
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow([_safe(cell) for cell in header])
    writer.writerows([_safe(cell) for cell in row] for row in rows)
    return response


def xlsx_response(filename: str, sheets) -> HttpResponse:
    """
    An Excel workbook, one sheet per (title, rows); text that looks like a formula stays text.
    """
    from openpyxl import Workbook  # imported here: only exports need it

    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets:
        sheet = workbook.create_sheet(_sheet_title(title))
        for row in rows:
            sheet.append([cell if isinstance(cell, int | float) else str(cell)
                          for cell in row])
        for cells in sheet.iter_rows():
            for cell in cells:
                if cell.data_type == "f":  # openpyxl reads "=…" as a formula: keep it text
                    cell.data_type = "s"
    response = _download(
        filename, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    workbook.save(response)
    return response


def _sheet_title(title) -> str:
    """Excel allows 31 characters and none of []:*?/\\ in a sheet's name."""
    return "".join(" " if char in "[]:*?/\\" else char for char in str(title))[:31]
