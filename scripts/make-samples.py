#!/usr/bin/env python3
"""Builds the sample drop directory and the sniffing fixtures from real tools, or a large
deterministic corpus for benchmarks.

    scripts/make-samples.py samples              # rebuilds samples/sniff and samples/drop
    scripts/make-samples.py corpus --out DIR [--students 100] [--files-per-student 30]
                                    [--seed 7] [--small] [--bad-percent 3]

Needs Debian's ghostscript, imagemagick, ffmpeg, lame and libheif-examples
(`apt-get install -y ghostscript imagemagick ffmpeg lame libheif-examples`). Only the
generator needs them: the committed samples and the tests do not.

Fixture files are named after the answer they must produce: `{type}_{subtype}--{label}.{ext}`
is what libmagic must answer for them (`image_jpeg--exif-photo.jpg` is `image/jpeg`).
"""
import argparse
import hashlib
import json
import os
import random
import shutil
import struct
import subprocess
import sys
import tempfile
import zipfile
import zlib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
QUIET = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
FIXED_EPOCH = "1700000000"


def run(*args):
    subprocess.run(list(args), check=True, **QUIET, env={**os.environ, "SOURCE_DATE_EPOCH": FIXED_EPOCH})


# ---------------------------------------------------------------------------------------------
# Real files, one maker each.

def with_pdf_id(data, tag):
    """Sets the trailer's /ID pair (same length, so no offset moves) from `tag`: ghostscript
    makes the second half from the clock, which would make every rebuild differ."""
    at = data.rfind(b"/ID [<")
    if at < 0 or data[at + 38:at + 40] != b"><":
        return data
    first = hashlib.md5(tag.encode()).hexdigest().upper().encode()
    second = hashlib.md5((tag + "/2").encode()).hexdigest().upper().encode()
    return data[:at + 6] + first + b"><" + second + data[at + 72:]


def pdf_from_postscript(path, postscript, *gs_options):
    with tempfile.NamedTemporaryFile("w", suffix=".ps", delete=False) as handle:
        handle.write(postscript)
    try:
        run("gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=pdfwrite",
            "-dCompatibilityLevel=1.5", *gs_options, f"-sOutputFile={path}", handle.name)
    finally:
        os.unlink(handle.name)
    # An encrypted PDF's key is derived from its /ID: leave that one alone.
    if not any(option.startswith("-sUserPassword") for option in gs_options):
        data = open(path, "rb").read()
        open(path, "wb").write(with_pdf_id(data, postscript))


def page(lines, extra=""):
    body = "\n".join(
        f"72 {720 - 20 * i} moveto ({text}) show" for i, text in enumerate(lines))
    return f"%!PS\n/Helvetica findfont 14 scalefont setfont\n{body}\n{extra}\nshowpage\n"


def make_pdf(path, title, pages=1, links=False, embedded=False, password=None):
    extra = ""
    if links:
        extra += ("[ /Rect [70 600 300 620] /Border [0 0 1] /Action << /Subtype /URI "
                  "/URI (https://example.com/edit-me-later) >> /Subtype /Link /ANN pdfmark\n")
    if embedded:
        extra += ("[ /_objdef {att} /type /stream /OBJ pdfmark\n"
                  "[ {att} (hidden attachment text) /PUT pdfmark\n"
                  "[ /Name (notes.txt) /FS << /Type /Filespec /F (notes.txt) /EF << /F {att} >> >> "
                  "/EMBED pdfmark\n")
    postscript = "".join(page([title, f"Page {n + 1} of {pages}", "Student learning portfolio"],
                              extra if n == 0 else "") for n in range(pages))
    options = []
    if password:
        options = [f"-sOwnerPassword={password}o", f"-sUserPassword={password}",
                   "-dEncryptionR=3", "-dKeyLength=128"]
    pdf_from_postscript(path, postscript, *options)


def magick(path, *args):
    run("convert", *args, path)


def make_jpeg_jfif(path, size="320x240", seed=1):
    magick(path, "-seed", str(seed), "-size", size, "plasma:skyblue-navy", "-strip", "-quality", "80")


def make_jpeg_exif(path, size="320x240", seed=2):
    """A JPEG whose first segment is APP1 Exif, as phones write them (no JFIF APP0)."""
    tmp = path + ".tmp.jpg"
    make_jpeg_jfif(tmp, size, seed)
    data = open(tmp, "rb").read()
    os.unlink(tmp)
    assert data[:2] == b"\xff\xd8"
    rest = data[2:]
    if rest[:2] == b"\xff\xe0":  # drop the JFIF APP0 segment
        length = struct.unpack(">H", rest[2:4])[0]
        rest = rest[2 + length:]
    # Exif: TIFF header (little endian), one IFD with Make and Orientation.
    make = b"Apple\0"
    ifd = struct.pack("<H", 2)
    ifd += struct.pack("<HHII", 0x010F, 2, len(make), 8 + 2 + 2 * 12 + 4)
    ifd += struct.pack("<HHIHH", 0x0112, 3, 1, 1, 0)
    ifd += struct.pack("<I", 0)
    tiff = b"II*\0" + struct.pack("<I", 8) + ifd + make
    payload = b"Exif\0\0" + tiff
    app1 = b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload
    open(path, "wb").write(b"\xff\xd8" + app1 + rest)


def make_png(path, size="240x180", seed=3):
    magick(path, "-seed", str(seed), "-size", size, "gradient:orange-purple", "-strip",
           "-define", "png:exclude-chunks=date,time")


def make_noise_jpeg(path, size, seed):
    magick(path, "-seed", str(seed), "-size", size, "xc:gray", "+noise", "Random", "-strip",
           "-quality", "95")


def make_scanned_pdf(path):
    """A scanned worksheet: one JPEG page in a PDF, as a phone scanner app writes it."""
    jpeg = path + ".jpg"
    make_noise_jpeg(jpeg, "1500x1100", 31)
    viewer = subprocess.run(["find", "/usr/share/ghostscript", "-name", "viewjpeg.ps"], capture_output=True,
                            text=True).stdout.split()[0]
    run("gs", "-q", "-dNOPAUSE", "-dBATCH", "-sDEVICE=pdfwrite", f"--permit-file-read={os.path.dirname(jpeg)}/",
        f"-sOutputFile={path}", viewer, "-c", f"({jpeg}) viewJPEG")
    os.unlink(jpeg)
    data = open(path, "rb").read()
    open(path, "wb").write(with_pdf_id(data, "scanned"))


def make_noise_png(path):
    magick(path, "-seed", "41", "-size", "900x700", "xc:gray", "+noise", "Random", "-strip",
           "-define", "png:exclude-chunks=date,time")


def make_long_mp3(path):
    wav = path + ".wav"
    run("ffmpeg", "-y", "-f", "lavfi", "-i", "sine=frequency=440:duration=180", "-ar", "44100", "-ac", "2", wav)
    run("lame", "--quiet", "-b", "128", "--noreplaygain", wav, path)
    os.unlink(wav)


def make_long_video(path):
    run("ffmpeg", "-y", "-f", "lavfi", "-i", "testsrc2=duration=60:size=1280x720:rate=25",
        "-f", "lavfi", "-i", "sine=frequency=330:duration=60", "-vf", "noise=alls=30:allf=t",
        "-c:v", "libx264", "-preset", "veryfast", "-b:v", "850k", "-maxrate", "900k", "-bufsize", "1800k",
        "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "64k", "-shortest", "-fflags", "+bitexact",
        "-map_metadata", "-1", "-f", "mp4", path)


def make_wav(path, seconds=2, freq=440):
    run("ffmpeg", "-y", "-f", "lavfi", "-i", f"sine=frequency={freq}:duration={seconds}",
        "-ar", "22050", "-ac", "1", path)


def make_mp3(path, seconds=2, id3=False):
    wav = path + ".wav"
    make_wav(wav, seconds)
    args = ["lame", "--quiet", "-b", "32", "--noreplaygain"]
    if not id3:
        args += ["-t"]  # no Xing/LAME tag either: frames only
    else:
        args += ["--tt", "Rain gauge narration", "--ta", "Student", "--id3v2-only"]
    run(*args, wav, path)
    os.unlink(wav)


def make_mp3_with_cover(path, cover_png):
    """An MP3 whose ID3v2 tag holds a large cover image, pushing audio frames past 64 KiB."""
    wav = path + ".wav"
    make_wav(wav, 2)
    run("lame", "--quiet", "-b", "32", "--noreplaygain", "--id3v2-only", "--ti", cover_png, wav, path)
    os.unlink(wav)


def make_video(path, container, seconds=2, size="160x120", audio_codec="aac"):
    args = ["ffmpeg", "-y", "-f", "lavfi", "-i", f"testsrc=duration={seconds}:size={size}:rate=10",
            "-f", "lavfi", "-i", f"sine=frequency=330:duration={seconds}",
            "-c:v", "libx264", "-preset", "veryfast", "-crf", "35", "-pix_fmt", "yuv420p",
            "-c:a", audio_codec, "-b:a", "32k", "-shortest", "-fflags", "+bitexact",
            "-map_metadata", "-1", "-f", container, path]
    run(*args)


def make_m4a(path):
    run("ffmpeg", "-y", "-f", "lavfi", "-i", "sine=frequency=550:duration=2", "-c:a", "aac",
        "-b:a", "32k", "-fflags", "+bitexact", "-map_metadata", "-1", "-f", "ipod", path)


def make_heic(path):
    tmp = path + ".png"
    make_png(tmp, "256x256", 5)
    run("heif-enc", "-q", "40", "-o", path, tmp)
    os.unlink(tmp)


def make_gif(path):
    magick(path, "-size", "64x64", "pattern:checkerboard")


def make_webp(path):
    magick(path, "-size", "64x64", "gradient:green-yellow", "-quality", "60")


def make_docx(path):
    """A minimal but well-formed Word document, written the way Word orders its parts."""
    parts = {
        "[Content_Types].xml":
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        "_rels/.rels":
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
        "word/document.xml":
            '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            '<w:body><w:p><w:r><w:t>自主學習計畫</w:t></w:r></w:p></w:body></w:document>',
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            info = zipfile.ZipInfo(name, date_time=(2023, 11, 1, 0, 0, 0))
            archive.writestr(info, text)


def make_zip(path):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        info = zipfile.ZipInfo("作品/說明.txt", date_time=(2023, 11, 1, 0, 0, 0))
        archive.writestr(info, "這是壓縮檔，不是 PDF。\n" * 20)


def make_html(path):
    open(path, "w", encoding="utf-8").write(
        "<!DOCTYPE html>\n<html lang=\"zh-Hant\"><head><meta charset=\"utf-8\"><title>我的作品</title></head>\n"
        "<body><h1>我的作品</h1><p>請看 <a href=\"https://example.com\">連結</a>。</p></body></html>\n")


def make_exe(path):
    """A minimal Windows PE32 executable header (DOS stub, PE signature, COFF, optional header)."""
    dos = bytearray(64)
    dos[0:2] = b"MZ"
    struct.pack_into("<I", dos, 0x3C, 0x80)
    stub = bytearray(0x80 - 64)
    stub[:39] = b"This program cannot be run in DOS mode."
    coff = struct.pack("<HHIIIHH", 0x14C, 1, 1700000000, 0, 0, 224, 0x0102)
    optional = bytearray(224)
    struct.pack_into("<H", optional, 0, 0x10B)          # PE32
    struct.pack_into("<I", optional, 16, 0x1000)        # entry point
    struct.pack_into("<I", optional, 28, 0x400000)      # image base
    struct.pack_into("<II", optional, 32, 0x1000, 0x200)
    struct.pack_into("<H", optional, 68, 2)             # subsystem: GUI
    struct.pack_into("<I", optional, 92, 16)
    section = struct.pack("<8sIIIIIIHHI", b".text", 0x10, 0x1000, 0x200, 0x200, 0, 0, 0, 0, 0x60000020)
    body = bytes(dos) + bytes(stub) + b"PE\0\0" + coff + bytes(optional) + section
    body += bytes(0x200 - len(body)) + b"\xc3" + bytes(0x1FF)
    open(path, "wb").write(body)


def png_with_bad_crc(source, path):
    data = bytearray(open(source, "rb").read())
    # Flip a byte inside the first IDAT's data: its CRC no longer matches.
    idat = data.find(b"IDAT")
    data[idat + 8] ^= 0xFF
    open(path, "wb").write(bytes(data))


def truncated(source, path, keep):
    data = open(source, "rb").read()
    open(path, "wb").write(data[: int(len(data) * keep)])


def appended_zip(source, path):
    tmp = path + ".zip"
    make_zip(tmp)
    open(path, "wb").write(open(source, "rb").read() + open(tmp, "rb").read())
    os.unlink(tmp)


# ---------------------------------------------------------------------------------------------
# samples/sniff: one file per answer libmagic must give.

def build_sniff(folder):
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    p = lambda name: os.path.join(folder, name)
    make_pdf(p("application_pdf--report.pdf"), "Rain gauge report")
    make_jpeg_jfif(p("image_jpeg--jfif-photo.jpg"))
    make_jpeg_exif(p("image_jpeg--exif-phone-photo.jpg"))
    make_png(p("image_png--diagram.png"))
    make_mp3(p("audio_mpeg--frames-only.mp3"))
    make_mp3(p("audio_mpeg--id3-tagged.mp3"), id3=True)
    cover = p("cover.png")
    magick(cover, "-seed", "9", "-size", "200x200", "xc:gray", "+noise", "Random", "-strip")
    make_mp3_with_cover(p("audio_mpeg--id3-cover-art.mp3"), cover)
    os.unlink(cover)
    make_video(p("video_mp4--clip.mp4"), "mp4")
    make_docx(p("application_vnd.openxmlformats-officedocument.wordprocessingml.document--essay.docx"))
    make_zip(p("application_zip--folder.zip"))
    make_html(p("text_html--page.html"))
    make_exe(p("application_vnd.microsoft.portable-executable--setup.exe"))
    make_heic(p("image_heic--iphone-photo.heic"))
    make_video(p("video_quicktime--iphone-video.mov"), "mov")
    make_m4a(p("audio_x-m4a--voice-memo.m4a"))
    make_gif(p("image_gif--animation.gif"))
    make_webp(p("image_webp--sticker.webp"))
    open(p("application_x-empty--empty.pdf"), "wb").close()


# ---------------------------------------------------------------------------------------------
# samples/drop: a small school with believable students and items.

SCHOOL = {
    "schoolCode": "313302",
    "schoolName": "臺北市立範例高級中學",
    "schoolType": "general",
    "timeZone": "Asia/Taipei",
    "caps": {"courseOutcomesPerTerm": 20, "courseOutcomesPerCourse": 5},
    "windows": [
        {"academicYear": 112, "term": 1, "kind": "course-outcome",
         "opens": "2023-09-01T00:00:00+08:00", "closes": "2024-01-31T23:59:59+08:00"},
        {"academicYear": 112, "kind": "multiple-performance",
         "opens": "2023-08-01T00:00:00+08:00", "closes": "2024-07-31T23:59:59+08:00"},
    ],
    "policyOverrides": [],
    "receiptWindows": [
        {"academicYear": 112, "term": 1, "opens": "2024-03-01T00:00:00+08:00", "closes": "2024-03-05T17:00:00+08:00"},
    ],
}

STUDENTS = [
    # studentNumber, idNumber, name, birthDate, enrollmentYear, className
    ("110001", "A123456789", "王小明", "2007-05-14", "112", "101"),
    ("110002", "F231245608", "林\U0002000B華", "0960821", "112", "101"),
    ("110003", "B120000008", "陳美玲", "2004-02-03", "108", "301"),
    ("110004", "A123456788", "黃\uF9A8安", "2007-09-30", "112", "102"),
]

COURSES = [
    # studentNumber, year, term, code, name, credits, score, passed, teachers
    ("110001", 112, 1, "112313302H1010101", "自然科學探究與實作", 2, 88, "true", "T0042;T0043"),
    ("110001", 112, 1, "112313302H1020101", "國語文", 4, 91, "true", "T0007"),
    ("110002", 112, 1, "112313302H1010101", "自然科學探究與實作", 2, 76, "true", "T0042;T0043"),
    ("110003", 108, 1, "108313302H1030101", "數學", 4, 65, "true", "T0101"),
    ("110003", 108, 2, "108313302H1040201", "英語文", 4, 82, "true", "T0102"),
    ("110004", 112, 1, "112313302H1020101", "國語文", 4, 70, "true", "T0007"),
]

CADRES = [
    ("110001", 112, 1, 2, "101 班", "班長", "2023-08-30", "2024-01-20"),
    ("110004", 112, 1, 3, "天文社", "社長", "2023-09-15", ""),
]


def certified(files_in_folder, folder, teacher, at, status="passed", **extra):
    digests = [hashlib.sha256(open(os.path.join(folder, f), "rb").read()).hexdigest()
               for f in files_in_folder]
    return {"status": status, "teacherId": teacher, "at": at, "sha256": digests, **extra}


def write_item(student_dir, item, files, build, certify=None, raw=None):
    """Writes the files (with `build(name, path)`), then item.json last, as the platform does."""
    folder = os.path.join(student_dir, item["itemId"])
    os.makedirs(folder)
    for name, _role in files:
        if name is not None:
            build(name, os.path.join(folder, name))
    item = dict(item)
    item["files"] = [{"name": name, "role": role} for name, role in files if name is not None] \
        if "files" not in item else item["files"]
    if certify is not None:
        item["certification"] = certify(folder)
    elif item.get("kind") == "course-outcome" and "certification" not in item:
        # Certified by the course's teacher when the upload looked fine to them.
        names = [name for name, _ in files if name is not None]
        item["certification"] = certified(names, folder, "T0101", "2019-12-10T09:00:00+08:00")
    text = raw if raw is not None else json.dumps(item, ensure_ascii=False, indent=2) + "\n"
    open(os.path.join(folder, "item.json"), "w", encoding="utf-8").write(text)


def build_drop(drop, sniff):
    shutil.rmtree(drop, ignore_errors=True)
    os.makedirs(os.path.join(drop, "uploads"))
    s = lambda name: os.path.join(sniff, name)
    copy = lambda source: (lambda name, path: shutil.copyfile(s(source), path))

    json.dump(SCHOOL, open(os.path.join(drop, "school.json"), "w", encoding="utf-8"),
              ensure_ascii=False, indent=2)
    with open(os.path.join(drop, "students.csv"), "w", encoding="utf-8-sig", newline="") as out:
        out.write("studentNumber,idNumber,name,birthDate,enrollmentYear,className,idType\r\n")
        for number, ident, name, birth, year, klass in STUDENTS:
            out.write(f"{number},{ident},{name},{birth},{year},{klass},national-id\r\n")
    with open(os.path.join(drop, "courses.csv"), "w", encoding="utf-8", newline="") as out:
        out.write("studentNumber,academicYear,term,courseCode,courseName,credits,score,passed,teacherIds\n")
        for row in COURSES:
            out.write(",".join(str(v) for v in row) + "\n")
    with open(os.path.join(drop, "cadres.csv"), "w", encoding="utf-8", newline="") as out:
        out.write("studentNumber,academicYear,term,level,unit,title,startDate,endDate\n")
        for row in CADRES:
            out.write(",".join(str(v) for v in row) + "\n")

    up = lambda number: os.path.join(drop, "uploads", number)
    at = "2023-11-10T09:00:00+08:00"

    # --- 110001 王小明: everything accepted, every allowed type.
    d = up("110001")
    os.makedirs(d)
    write_item(d, {"itemId": "co-112-1-0001", "kind": "course-outcome", "academicYear": 112, "term": 1,
                   "courseCode": "112313302H1010101", "title": "自然科學探究與實作：雨量計",
                   "summary": "以 3D 列印製作雨量計，並比較三週的觀測資料與氣象站紀錄。",
                   "uploadedAt": "2023-11-02T21:14:05+08:00", "selected": True},
               [("雨量計報告.pdf", "document"), ("觀測說明.mp3", "media")],
               lambda name, path: shutil.copyfile(s("application_pdf--report.pdf") if name.endswith(".pdf")
                                                  else s("audio_mpeg--id3-tagged.mp3"), path),
               certify=lambda f: certified(["雨量計報告.pdf", "觀測說明.mp3"], f, "T0042", at))
    write_item(d, {"itemId": "co-112-1-0002", "kind": "course-outcome", "academicYear": 112, "term": 1,
                   "courseCode": "112313302H1020101", "title": "國語文：校園踏查攝影",
                   "summary": "用手機拍下校園老樹，寫下三段觀察筆記。",
                   "uploadedAt": "2023-12-01T19:30:00+08:00", "selected": True},
               [("IMG_2041.JPG", "document")], copy("image_jpeg--exif-phone-photo.jpg"),
               certify=lambda f: certified(["IMG_2041.JPG"], f, "T0007", "2023-12-05T08:10:00+08:00"))
    write_item(d, {"itemId": "mp-112-0001", "kind": "multiple-performance", "academicYear": 112,
                   "category": "competition", "title": "全國高中職科展 佳作",
                   "summary": "與同學合作研究雨量計誤差，獲得佳作。", "startDate": "2023-10-14",
                   "endDate": "2023-10-15", "uploadedAt": "2023-10-20T20:00:00+08:00",
                   "details": {"level": "3", "participation": "2", "organizer": "國立臺灣科學教育館",
                               "award": "佳作"}, "selected": True},
               [("獎狀.png", "document"), ("發表影片.mp4", "media")],
               lambda name, path: shutil.copyfile(s("image_png--diagram.png") if name.endswith(".png")
                                                  else s("video_mp4--clip.mp4"), path))
    write_item(d, {"itemId": "cs-112-1-0001", "kind": "consultation", "academicYear": 112, "term": 1,
                   "summary": "與諮詢教師討論二年級選修自然組課程。",
                   "uploadedAt": "2023-11-20T12:00:00+08:00"},
               [("諮詢紀錄.jpg", "document")], copy("image_jpeg--jfif-photo.jpg"))

    # --- 110002 林𠀋華 (a CJK Extension B character): phone uploads that need fixing.
    d = up("110002")
    os.makedirs(d)
    base = {"kind": "multiple-performance", "academicYear": 112, "category": "works",
            "startDate": "2023-09-10", "uploadedAt": "2023-12-20T23:50:00+08:00", "selected": False}
    write_item(d, {**base, "itemId": "mp-112-0001", "title": "攝影作品：夕陽", "summary": "用手機拍的夕陽。"},
               [("IMG_0001.jpg", "document")], copy("image_heic--iphone-photo.heic"))
    write_item(d, {**base, "itemId": "mp-112-0002", "title": "社團成果影片", "summary": "熱舞社期末成果。"},
               [("成果.mp4", "media")], copy("video_quicktime--iphone-video.mov"))
    write_item(d, {**base, "itemId": "mp-112-0003", "title": "學習心得", "summary": "讀書心得報告。"},
               [("心得.pdf", "document")], copy("application_vnd.microsoft.portable-executable--setup.exe"))
    write_item(d, {**base, "itemId": "mp-112-0004", "title": "志工證明", "summary": "淨灘志工時數證明。",
                   "category": "service-learning", "details": {"hours": "4"}},
               [("證明.pdf", "document")], lambda name, path: open(path, "wb").close())
    write_item(d, {**base, "itemId": "mp-112-0005", "title": "海報設計", "summary": "校慶海報設計稿。"},
               [("海報.jpg", "document")], copy("image_png--diagram.png"))
    write_item(d, {**base, "itemId": "mp-112-0006", "title": "自主學習紀錄",
                   "summary": "這學期我每週都到圖書館閱讀科普書籍，" * 6},
               [("紀錄.pdf", "document")], copy("application_pdf--report.pdf"))
    write_item(d, {**base, "itemId": "mp-112-0007", "title": "讀書報告", "summary": "Word 檔。"},
               [("報告.docx", "document")],
               copy("application_vnd.openxmlformats-officedocument.wordprocessingml.document--essay.docx"))
    # item.json that is not JSON (the platform crashed while writing it).
    write_item(d, {"itemId": "mp-112-0008"}, [("草稿.pdf", "document")], copy("application_pdf--report.pdf"),
               raw='{"itemId": "mp-112-0008", "kind": "multiple-performance", "title": "未完成')
    # item.json naming a file that is absent, and a file nobody listed.
    write_item(d, {**base, "itemId": "mp-112-0009", "title": "競賽照片", "summary": "比賽現場照片。",
                   "files": [{"name": "現場.jpg", "role": "document"}, {"name": "頒獎.jpg", "role": "document"}]},
               [("現場.jpg", "document"), ("備份.jpg", "document")], copy("image_jpeg--jfif-photo.jpg"))
    # Still uploading: no item.json yet. Skipped silently.
    os.makedirs(os.path.join(d, "mp-112-0010"))
    shutil.copyfile(s("image_png--diagram.png"), os.path.join(d, "mp-112-0010", "上傳中.png"))

    # --- 110003 陳美玲, enrolled 108: the 2 MiB rules and broken PDFs.
    d = up("110003")
    os.makedirs(d)
    base = {"kind": "course-outcome", "academicYear": 108, "term": 1, "courseCode": "108313302H1030101",
            "uploadedAt": "2019-12-01T20:00:00+08:00", "selected": False}
    write_item(d, {**base, "itemId": "co-108-1-0001", "title": "數學建模：手機方案比較",
                   "summary": "比較三家電信資費，建立線性模型。"},
               [("建模.jpg", "document")],
               lambda name, path: make_noise_jpeg(path, "1650x1650", 11))
    def linked(name, path):
        make_pdf(path, "Linear model, see the online sheet", links=True)
    write_item(d, {**base, "itemId": "co-108-1-0002", "title": "數學報告（含連結）",
                   "summary": "報告中附上線上試算表連結。"}, [("報告.pdf", "document")], linked)
    write_item(d, {**base, "itemId": "co-108-1-0003", "title": "加密的報告", "summary": "設了密碼的 PDF。"},
               [("報告.pdf", "document")], lambda name, path: make_pdf(path, "Protected report", password="1234"))
    write_item(d, {**base, "itemId": "co-108-1-0004", "title": "報告與附件", "summary": "PDF 後面接了壓縮檔。"},
               [("報告.pdf", "document")], lambda name, path: appended_zip(s("application_pdf--report.pdf"), path))
    write_item(d, {**base, "itemId": "co-108-1-0005", "title": "上傳中斷的報告", "summary": "檔案只傳了一半。"},
               [("報告.pdf", "document")], lambda name, path: truncated(s("application_pdf--report.pdf"), path, 0.6))
    write_item(d, {**base, "itemId": "co-108-1-0006", "title": "統計圖", "summary": "損毀的 PNG。"},
               [("統計圖.png", "document")], lambda name, path: png_with_bad_crc(s("image_png--diagram.png"), path))
    write_item(d, {**base, "itemId": "co-108-1-0007", "title": "附檔的報告", "summary": "PDF 內嵌附件。"},
               [("報告.pdf", "document")], lambda name, path: make_pdf(path, "Report with attachment", embedded=True))
    write_item(d, {"itemId": "mp-108-0001", "kind": "multiple-performance", "academicYear": 108,
                   "category": "volunteer" if False else "service-learning", "title": "國中時期志工",
                   "summary": "國中三年級的志工服務。", "startDate": "2019-03-02",
                   "uploadedAt": "2019-10-01T20:00:00+08:00", "details": {"hours": "12"}, "selected": True},
               [("時數證明.pdf", "document")], copy("application_pdf--report.pdf"))

    # --- 110004 黃林安 (a CJK compatibility ideograph): certification problems; bad ID checksum.
    d = up("110004")
    os.makedirs(d)
    base = {"kind": "course-outcome", "academicYear": 112, "term": 1, "courseCode": "112313302H1020101",
            "uploadedAt": "2023-11-15T22:00:00+08:00", "selected": True}
    write_item(d, {**base, "itemId": "co-112-1-0001", "title": "國語文：新詩創作", "summary": "三首新詩。"},
               [("新詩.pdf", "document")], copy("application_pdf--report.pdf"),
               certify=lambda f: {"status": "pending"})
    write_item(d, {**base, "itemId": "co-112-1-0002", "title": "國語文：讀書心得", "summary": "讀《小王子》心得。"},
               [("心得.pdf", "document")], copy("application_pdf--report.pdf"),
               certify=lambda f: {"status": "passed", "teacherId": "T0007", "at": at,
                                  "sha256": ["0" * 64]})
    write_item(d, {**base, "itemId": "co-112-1-0003", "title": "國語文：訪談稿", "summary": "訪談社區耆老。"},
               [("訪談.png", "document")], copy("image_png--diagram.png"),
               certify=lambda f: certified(["訪談.png"], f, "T0042", at))
    write_item(d, {**base, "itemId": "co-112-1-0004", "title": "不存在的課程", "summary": "課程代碼打錯。",
                   "courseCode": "112313302H9999999"},
               [("作業.jpg", "document")], copy("image_jpeg--jfif-photo.jpg"),
               certify=lambda f: {"status": "returned", "teacherId": "T0007", "at": at, "reasonCode": "01",
                                  "reason": "與本課程主題無關"})
    write_item(d, {**base, "itemId": "co-112-1-0005", "title": "國語文：期末報告", "summary": "寒假才補交。",
                   "uploadedAt": "2024-02-15T10:00:00+08:00"},
               [("期末.pdf", "document")], copy("application_pdf--report.pdf"),
               certify=lambda f: {"status": "pending"})

    # --- A folder for a student the school does not know.
    d = up("119999")
    os.makedirs(d)
    write_item(d, {"itemId": "mp-112-0001", "kind": "multiple-performance", "academicYear": 112,
                   "category": "other", "title": "不明", "summary": "不明學生。", "startDate": "2023-09-01",
                   "uploadedAt": "2023-09-02T10:00:00+08:00", "selected": False},
               [("a.png", "document")], copy("image_png--diagram.png"))


# ---------------------------------------------------------------------------------------------
# A large deterministic corpus for benchmarks (outside git).

def vary(data, kind, tag):
    """Makes pool files unique without breaking them: a JPEG COM segment, a PNG tEXt chunk, an
    MP4 `free` box, an ID3v2 tag in front of an MP3, a PDF trailer /ID of the same length."""
    tag = tag.encode()
    if kind == "jpg":
        com = b"\xff\xfe" + struct.pack(">H", len(tag) + 2) + tag
        return data[:2] + com + data[2:]
    if kind == "png":
        chunk = b"tEXt" + b"Comment\0" + tag
        crc = zlib.crc32(chunk) & 0xFFFFFFFF
        at = data.rfind(b"IEND") - 4
        return data[:at] + struct.pack(">I", len(chunk) - 4) + chunk + struct.pack(">I", crc) + data[at:]
    if kind == "mp4":
        return data + struct.pack(">I", 8 + len(tag)) + b"free" + tag
    if kind == "mp3":
        frame = b"TXXX" + struct.pack(">I", len(tag) + 1) + b"\0\0" + b"\0" + tag
        size = len(frame)
        syncsafe = bytes([(size >> 21) & 0x7F, (size >> 14) & 0x7F, (size >> 7) & 0x7F, size & 0x7F])
        return b"ID3\x03\x00\x00" + syncsafe + frame + data
    if kind == "pdf":
        return with_pdf_id(data, tag.decode())
    return data


def build_corpus(out, students, files_per_student, seed, small, bad_percent):
    rng = random.Random(seed)
    pool_dir = os.path.join(out, ".pool")
    os.makedirs(pool_dir, exist_ok=True)
    pool = {}
    def pooled(key, maker):
        path = os.path.join(pool_dir, key)
        if not os.path.exists(path):
            maker(path)
        pool[key] = open(path, "rb").read()
    if small:
        pooled("a.pdf", lambda p: make_pdf(p, "Short note"))
        pooled("a.jpg", lambda p: make_jpeg_jfif(p, "160x120"))
        pooled("a.png", lambda p: make_png(p, "120x90"))
        pooled("a.mp3", lambda p: make_mp3(p, 1))
        pooled("a.mp4", lambda p: make_video(p, "mp4", 1, "96x64"))
    else:
        # Realistic sizes: phone photos and scans of 1–3 MB, minutes of audio, a minute of video.
        pooled("a.pdf", lambda p: make_pdf(p, "Report", pages=12))
        pooled("b.pdf", make_scanned_pdf)
        pooled("a.jpg", lambda p: make_noise_jpeg(p, "1800x1400", 21))
        pooled("b.jpg", lambda p: make_jpeg_exif(p, "3000x2000", 22))
        pooled("a.png", make_noise_png)
        pooled("a.mp3", make_long_mp3)
        pooled("a.mp4", make_long_video)
    pooled("bad.heic", make_heic)
    pooled("bad.exe", make_exe)
    keys = sorted(k for k in pool if not k.startswith("bad"))
    os.makedirs(os.path.join(out, "drop", "uploads"), exist_ok=True)
    drop = os.path.join(out, "drop")
    json.dump({**SCHOOL, "windows": []}, open(os.path.join(drop, "school.json"), "w"), ensure_ascii=False)
    with open(os.path.join(drop, "students.csv"), "w", encoding="utf-8") as s_out, \
         open(os.path.join(drop, "courses.csv"), "w", encoding="utf-8") as c_out:
        s_out.write("studentNumber,idNumber,name,birthDate,enrollmentYear\n")
        c_out.write("studentNumber,academicYear,term,courseCode,courseName,credits,score,passed,teacherIds\n")
        for n in range(students):
            number = f"2{n:06d}"
            s_out.write(f"{number},{national_id(rng)},學生{n},2007-01-01,112\n")
            c_out.write(f"{number},112,1,112313302H1010101,探究與實作,2,80,true,T0042\n")
            student_dir = os.path.join(drop, "uploads", number)
            for i in range(files_per_student):
                item_id = f"mp-112-{i:04d}"
                folder = os.path.join(student_dir, item_id)
                os.makedirs(folder, exist_ok=True)
                bad = rng.random() * 100 < bad_percent
                key = rng.choice(["bad.heic", "bad.exe"]) if bad else rng.choice(keys)
                ext = "jpg" if key == "bad.heic" else ("pdf" if key == "bad.exe" else key.split(".")[1])
                name = f"file{i}.{ext}"
                data = vary(pool[key], key.split(".")[1], f"{seed}-{number}-{i}")
                open(os.path.join(folder, name), "wb").write(data)
                role = "media" if ext in ("mp3", "mp4") else "document"
                item = {"itemId": item_id, "kind": "multiple-performance", "academicYear": 112,
                        "category": "works", "title": f"作品 {i}", "summary": "自動產生的測試作品。",
                        "startDate": "2023-09-01", "uploadedAt": "2023-10-01T10:00:00+08:00",
                        "files": [{"name": name, "role": role}], "selected": False}
                json.dump(item, open(os.path.join(folder, "item.json"), "w"), ensure_ascii=False)
    shutil.rmtree(pool_dir)


LETTERS = "ABCDEFGHJKLMNPQRSTUVXYWZIO"


def national_id(rng):
    letter = rng.choice(LETTERS)
    code = LETTERS.index(letter) + 10
    digits = [1 if rng.random() < 0.5 else 2] + [rng.randrange(10) for _ in range(7)]
    weights = [8, 7, 6, 5, 4, 3, 2, 1]
    total = code // 10 + (code % 10) * 9 + sum(d * w for d, w in zip(digits, weights))
    check = (10 - total % 10) % 10
    return letter + "".join(map(str, digits)) + str(check)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("samples", help="rebuild samples/sniff and samples/drop")
    corpus = sub.add_parser("corpus", help="make a large deterministic corpus outside git")
    corpus.add_argument("--out", required=True)
    corpus.add_argument("--students", type=int, default=100)
    corpus.add_argument("--files-per-student", type=int, default=30)
    corpus.add_argument("--seed", type=int, default=7)
    corpus.add_argument("--small", action="store_true", help="many small files")
    corpus.add_argument("--bad-percent", type=float, default=3.0)
    args = parser.parse_args()
    if args.command == "samples":
        sniff = os.path.join(ROOT, "samples", "sniff")
        build_sniff(sniff)
        build_drop(os.path.join(ROOT, "samples", "drop"), sniff)
    else:
        build_corpus(os.path.abspath(args.out), args.students, args.files_per_student, args.seed,
                     args.small, args.bad_percent)


if __name__ == "__main__":
    main()
