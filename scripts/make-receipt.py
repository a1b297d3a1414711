#!/usr/bin/env python3
"""Builds the files of a central-database receipt (收訖明細) from a school's own rosters, as the
central database would echo them (docs/receipts.md), with planted differences for tests.

    scripts/make-receipt.py ROSTERS_FOLDER OUT_FOLDER [options]

Reads every {school}_{year}_{term}_{book}.xlsx with openpyxl (a reader independent of the
program's), writes one JSON per book (課程學習成果 / 多元表現 / 修課紀錄 / 校內幹部經歷) and SHA.txt
into OUT_FOLDER (zipping is left to the caller: the tests zip with ZipCrypto, AES or none).

Plants (each on the first record it can find, in student and sheet order):
  --change-summary     成果簡述 of the first course outcome differs
  --change-md5         文件檔案MD5 of the first course outcome differs (other bytes held)
  --drop-performance   the first multiple performance is not in the receipt (missing)
  --add-unexpected     a competition record nobody submitted (unexpected)
  --unknown-student    a student the school does not know
  --omit-student N     the N-th student (1 = the first) of every file is not in the receipt
  --extra-column       every record has a column the rosters do not write (收訖時間)
  --omit-empty         empty columns left out, as a real receipt may
  --info-as-string     名冊資訊 as a string holding JSON
  --bom, --crlf        a UTF-8 BOM before every file; CRLF line ends
  --school CODE, --year Y, --term T   名冊資訊 says another school, year or term
  --tamper             a JSON changed after SHA.txt was written
  --no-sha-line        SHA.txt lacks the line of the first JSON
"""
import argparse
import hashlib
import json
import os
import re

import openpyxl

KINDS = {26: "課程學習成果", 25: "多元表現", 2: "修課紀錄", 24: "校內幹部經歷"}
SHEET_ALIAS = {"幹部經歷紀錄": "幹部經歷"}


def text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("rosters")
    parser.add_argument("out")
    for flag in ["change-summary", "change-md5", "drop-performance", "add-unexpected", "unknown-student",
                 "extra-column", "omit-empty", "info-as-string", "bom", "crlf", "tamper", "no-sha-line"]:
        parser.add_argument("--" + flag, action="store_true")
    parser.add_argument("--omit-student", type=int)
    parser.add_argument("--school")
    parser.add_argument("--year")
    parser.add_argument("--term")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    names = sorted(n for n in os.listdir(args.rosters) if re.match(r"^[0-9A-Z]{6}_\d{3}_\d_\d+\.xlsx$", n))
    written = []
    for name in names:
        school, year, term, book = name[:-5].split("_")
        kind = KINDS[int(book)]
        students = {}
        order = []
        workbook = openpyxl.load_workbook(os.path.join(args.rosters, name), read_only=True)
        for sheet in workbook.worksheets:
            if sheet.title.endswith("封面"):
                continue
            rows = list(sheet.iter_rows(values_only=True))
            headers = [text(h) for h in rows[0]]
            for row in rows[1:]:
                values = {headers[i]: text(row[i]) for i in range(len(headers))}
                key = (values.pop("身分證號"), values.pop("出生日期"))
                if args.omit_empty:
                    values = {k: v for k, v in values.items() if v != ""}
                if args.extra_column:
                    values["收訖時間"] = "1130301"
                if key not in students:
                    students[key] = {}
                    order.append(key)
                students[key].setdefault(SHEET_ALIAS.get(sheet.title, sheet.title), []).append(values)
        records = []
        for key in order:
            entry = {"身分證號": key[0], "出生日期": key[1]}
            entry.update(students[key])
            records.append(entry)
        if int(book) == 26 and records:
            first = records[0]["學期課程學習成果"][0]
            if args.change_summary:
                first["成果簡述"] = first.get("成果簡述", "") + "（中央資料庫版本）"
            if args.change_md5:
                first["文件檔案MD5"] = "0" * 32
        if int(book) == 25 and records:
            if args.drop_performance:
                for entry in records:
                    sheets = [s for s in entry if isinstance(entry[s], list) and entry[s]]
                    if sheets:
                        entry[sheets[0]].pop(0)
                        break
            if args.add_unexpected:
                records[0].setdefault("競賽參與紀錄", []).append(
                    {"競賽名稱": "全國科展", "結果公布日期": "1130315", "獎項": "佳作", "內容簡述": "沒有送出的紀錄"})
            if args.unknown_student:
                records.append({"身分證號": "Z199999999", "出生日期": "0960101",
                                "其他多元表現紀錄": [{"名稱": "不屬於本校", "開始日期": "1121001"}]})
        if args.omit_student and len(records) >= args.omit_student:
            records.pop(args.omit_student - 1)
        info = {"學校代碼": args.school or school, "學年度": args.year or year,
                "學期": args.term if args.term is not None else term, "名冊別": book}
        document = {"名冊資訊": json.dumps(info, ensure_ascii=False) if args.info_as_string else info, kind: records}
        body = json.dumps(document, ensure_ascii=False, indent=2)
        if args.crlf:
            body = body.replace("\n", "\r\n")
        data = ("\ufeff" if args.bom else "").encode() + body.encode()
        file_name = f"{school}_{year}_{term}_{kind}.json"
        with open(os.path.join(args.out, file_name), "wb") as handle:
            handle.write(data)
        written.append((file_name, hashlib.sha256(data).hexdigest()))
    newline = "\r\n" if args.crlf else "\n"
    lines = [f"{n},{h.upper() if args.crlf else h}" for n, h in written]
    if args.no_sha_line:
        lines = lines[1:]
    sha = ("\ufeff" if args.bom else "") + newline.join(lines) + newline
    with open(os.path.join(args.out, "SHA.txt"), "wb") as handle:
        handle.write(sha.encode())
    if args.tamper:
        path = os.path.join(args.out, written[0][0])
        with open(path, "rb") as handle:
            data = handle.read()
        with open(path, "wb") as handle:
            handle.write(data.replace("報告".encode(), "報吿".encode(), 1) + b" ")


main()
