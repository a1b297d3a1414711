#!/usr/bin/env python3
"""Reads rosters (名冊) back with openpyxl, an xlsx reader independent of the one that wrote them.

    scripts/read-roster.py FILE.xlsx...

Prints JSON: for each workbook its file name, document properties and every sheet with its print
setup (orientation, paper, fit to pages, repeated rows) and every row; each cell is [type, value]
with openpyxl's data type ("s" text, "n" number) or null when empty.
The tests compare this with the central packages and with a golden file.
"""
import json
import os
import sys

import openpyxl


def cell(value):
    if value is None:
        return None
    if isinstance(value, str):
        return ["s", value]
    if isinstance(value, (int, float)):
        return ["n", value]
    return ["?", str(value)]


books = []
for path in sys.argv[1:]:
    workbook = openpyxl.load_workbook(path)  # not read-only: the print setup is read too
    sheets = []
    for sheet in workbook.worksheets:
        rows = [[cell(value) for value in row] for row in sheet.iter_rows(values_only=True)]
        setup = sheet.page_setup
        printing = {
            "orientation": setup.orientation,
            "paper": int(setup.paperSize) if setup.paperSize is not None else None,
            "fitToPage": bool(sheet.sheet_properties.pageSetUpPr and sheet.sheet_properties.pageSetUpPr.fitToPage),
            # Absent attributes have the OOXML defaults: one page wide, one page tall.
            "fitToWidth": int(setup.fitToWidth) if setup.fitToWidth is not None else 1,
            "fitToHeight": int(setup.fitToHeight) if setup.fitToHeight is not None else 1,
            "titleRows": sheet.print_title_rows,
        }
        sheets.append({"name": sheet.title, "print": printing, "rows": rows})
    properties = workbook.properties
    books.append({
        "file": os.path.basename(path),
        "title": properties.title,
        "creator": properties.creator,
        "created": properties.created.isoformat() if properties.created else None,
        "sheets": sheets,
    })
# One row per line, so a golden file's diff shows which row changed.
out = sys.stdout
out.write("[\n")
for index, book in enumerate(books):
    head = {key: book[key] for key in ("file", "title", "creator", "created")}
    out.write(" {" + json.dumps(head, ensure_ascii=False)[1:-1] + ', "sheets": [\n')
    for number, sheet in enumerate(book["sheets"]):
        out.write("  {\"name\": " + json.dumps(sheet["name"], ensure_ascii=False)
                  + ', "print": ' + json.dumps(sheet["print"]) + ', "rows": [\n')
        lines = ["   " + json.dumps(row, ensure_ascii=False) for row in sheet["rows"]]
        out.write(",\n".join(lines) + "\n  ]}" + ("," if number < len(book["sheets"]) - 1 else "") + "\n")
    out.write(" ]}" + ("," if index < len(books) - 1 else "") + "\n")
out.write("]\n")
