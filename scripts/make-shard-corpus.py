#!/usr/bin/env python3
"""A drop directory of many students for the shard tests and the scaling benchmark.

    scripts/make-shard-corpus.py --out DIR [--students 300] [--seed 13]

Made only from files already in git, so it needs no generator tools: every student is one of
the sample students of samples/drop (renumbered, with that student's course and cadre rows) plus
0-3 extra items whose files come from samples/real (real-program output, each named by the
verdict it must get). The drop also holds what belongs to no student: a bad row in each table, a
duplicated student row, a folder name that is no student number, a folder of a student missing
from students.csv and an item still uploading (no item.json). Deterministic for a seed.
"""
import argparse
import csv
import json
import os
import random
import shutil

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SAMPLES = os.path.join(ROOT, "samples", "drop")
REAL = os.path.join(ROOT, "samples", "real")
# 110003 carries a 2.3 MB video: one student in ten looks like them.
TEMPLATES = [("110001", 3), ("110002", 3), ("110004", 3), ("110003", 1)]
MEDIA = (".mp3", ".mp4", ".3gp", ".m4a", ".mov")


def rows(name):
    with open(os.path.join(SAMPLES, name), encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def write_csv(path, header, records):
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(records)


def extra_item(rng, folder, index, real_files):
    name = rng.choice(real_files)
    item_id = f"mp-112-9{index:03d}"
    os.makedirs(os.path.join(folder, item_id))
    upload = "作品" + os.path.splitext(name)[1]
    shutil.copyfile(os.path.join(REAL, name), os.path.join(folder, item_id, upload))
    item = {
        "itemId": item_id, "kind": "multiple-performance", "academicYear": 112, "category": "works",
        "title": f"作品 {index}", "summary": "學生上傳的作品。", "startDate": "2023-09-01",
        "uploadedAt": "2023-10-01T10:00:00+08:00", "selected": rng.random() < 0.5,
        "files": [{"name": upload, "role": "media" if name.endswith(MEDIA) else "document"}],
    }
    with open(os.path.join(folder, item_id, "item.json"), "w", encoding="utf-8") as handle:
        json.dump(item, handle, ensure_ascii=False, indent=2)


def build(out, count, seed):
    rng = random.Random(seed)
    drop = os.path.join(out, "drop")
    if os.path.exists(drop):
        shutil.rmtree(drop)
    os.makedirs(os.path.join(drop, "uploads"))
    shutil.copyfile(os.path.join(SAMPLES, "school.json"), os.path.join(drop, "school.json"))
    students, courses, cadres = rows("students.csv"), rows("courses.csv"), rows("cadres.csv")
    real_files = sorted(os.listdir(REAL))
    student_rows, course_rows, cadre_rows = [], [], []
    names = [t for t, weight in TEMPLATES for _ in range(weight)]
    for n in range(count):
        number = f"3{n:05d}"
        template = rng.choice(names)
        row = next(s for s in students if s["studentNumber"] == template)
        student_rows.append([number, row["idNumber"], row["name"] + str(n), row["birthDate"],
                             row["enrollmentYear"], row["className"], row["idType"]])
        course_rows += [[number] + [c[k] for k in list(c)[1:]] for c in courses if c["studentNumber"] == template]
        cadre_rows += [[number] + [c[k] for k in list(c)[1:]] for c in cadres if c["studentNumber"] == template]
        folder = os.path.join(drop, "uploads", number)
        shutil.copytree(os.path.join(SAMPLES, "uploads", template), folder)
        for index in range(rng.randrange(4)):
            extra_item(rng, folder, index, real_files)
    # What belongs to no student, and a student the tables do not know.
    student_rows.append(["30000!", "A123456789", "壞列", "2007-01-01", "112", "101", "national-id"])
    student_rows.append(student_rows[0][:1] + student_rows[1][1:])
    course_rows.append(["300001", "112", "3", "X", "壞列", "2", "80", "true", "T0001"])
    cadre_rows.append(["300002", "112", "1", "7", "社", "社長", "", ""])
    shutil.copytree(os.path.join(SAMPLES, "uploads", "119999"), os.path.join(drop, "uploads", "399999"))
    shutil.copytree(os.path.join(SAMPLES, "uploads", "110004"), os.path.join(drop, "uploads", "not a number!"))
    os.makedirs(os.path.join(drop, "uploads", "300000", "mp-112-8000"), exist_ok=True)
    write_csv(os.path.join(drop, "students.csv"), list(students[0]), student_rows)
    write_csv(os.path.join(drop, "courses.csv"), list(courses[0]), course_rows)
    write_csv(os.path.join(drop, "cadres.csv"), list(cadres[0]), cadre_rows)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True)
    parser.add_argument("--students", type=int, default=300)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    build(os.path.abspath(args.out), args.students, args.seed)


if __name__ == "__main__":
    main()
