#!/usr/bin/env python3
"""Builds samples/real/: files made by the real programs students and phones use, each named by
the answer `validate` must give it.

    scripts/make-real-corpus.py [--out samples/real]

Names are `{answer}--{format}--{label}.{ext}`:
  answer  `accept`, or the finding codes the file must get, joined by `+`
          (`accept+trailing-data` is accepted with that warning);
  format  what the file really is (pdf, jpeg, png, mp4, mp3, 3gp, docx, …);
  label   how it was made; a label ending in `-Npages` also fixes the page count, `-Nx M`
          (`-320x240`) the image size.
The committed files are what the tests read (`RealCorpusTests`); this script is how they were
made, with Debian's libreoffice-writer-nogui, libreoffice-impress-nogui, ghostscript, qpdf,
img2pdf, libjpeg-turbo-progs, libimage-exiftool-perl, pngcrush, imagemagick, ffmpeg, lame and
PyPI's mutagen and pypdf.
"""
import argparse
import io
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib

QUIET = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
SRGB = "/usr/share/color/icc/ghostscript/srgb.icc"


def run(*args, cwd=None):
    subprocess.run([str(a) for a in args], check=True, cwd=cwd, **QUIET)


class Corpus:
    def __init__(self, out, work):
        self.out = out
        self.work = work
        os.makedirs(out, exist_ok=True)

    def tmp(self, name):
        return os.path.join(self.work, name)

    def keep(self, source, name):
        shutil.copyfile(source, os.path.join(self.out, name))

    def write(self, name, data):
        with open(os.path.join(self.out, name), "wb") as handle:
            handle.write(data)


def read(path):
    with open(path, "rb") as handle:
        return handle.read()


# ---------------------------------------------------------------------------------------------
# Inputs: a picture, a ppm, an HTML document and a flat ODF presentation.

def picture(c, name, size="320x240", extra=()):
    path = c.tmp(name)
    run("convert", "-size", size, "gradient:skyblue-navy", "-fill", "white", "-draw", "circle 160,120 160,70",
        "-fill", "orange", "-draw", "rectangle 20,20 90,60", *extra, path)
    return path


HTML = """<html><head><meta charset="utf-8"><title>雨量計報告</title></head><body>
<h1>自然科學探究與實作：雨量計</h1><p>以 3D 列印製作雨量計並比較三週觀測資料。</p>
<p style="page-break-before: always">第二頁：觀測結果與討論。</p></body></html>"""

FODP = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:presentation="urn:oasis:names:tc:opendocument:xmlns:presentation:1.0"
 xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.presentation">
 <office:body><office:presentation>
  <draw:page draw:name="p1"><draw:frame svg:x="2cm" svg:y="2cm" svg:width="20cm" svg:height="3cm">
   <draw:text-box><text:p>小組報告：雨量計</text:p></draw:text-box></draw:frame></draw:page>
  <draw:page draw:name="p2"><draw:frame svg:x="2cm" svg:y="2cm" svg:width="20cm" svg:height="3cm">
   <draw:text-box><text:p>結論與心得</text:p></draw:text-box></draw:frame></draw:page>
 </office:presentation></office:body></office:document>"""


def libreoffice(c, source, target_ext, filter_name=None):
    out = c.tmp("lo-out")
    os.makedirs(out, exist_ok=True)
    convert = target_ext if filter_name is None else f"{target_ext}:{filter_name}"
    run("soffice", f"-env:UserInstallation=file://{c.tmp('lo-profile')}", "--headless", "--convert-to", convert,
        "--outdir", out, source)
    base = os.path.splitext(os.path.basename(source))[0]
    return os.path.join(out, base + "." + target_ext)


# ---------------------------------------------------------------------------------------------
# PDF

def pdfs(c):
    html = c.tmp("report.html")
    with open(html, "w", encoding="utf-8") as handle:
        handle.write(HTML)
    writer = libreoffice(c, html, "pdf", "writer_pdf_Export")
    c.keep(writer, "accept--pdf--libreoffice-writer-export-2pages.pdf")
    fodp = c.tmp("slides.fodp")
    with open(fodp, "w", encoding="utf-8") as handle:
        handle.write(FODP)
    c.keep(libreoffice(c, fodp, "pdf", "impress_pdf_Export"), "accept--pdf--libreoffice-impress-export-2pages.pdf")
    c.keep(libreoffice(c, html, "docx", "MS Word 2007 XML"), "format-not-allowed--docx--libreoffice-writer.docx")

    ps = c.tmp("page.ps")
    with open(ps, "w") as handle:
        handle.write("%!PS\n/Helvetica findfont 24 scalefont setfont 72 700 moveto (Rain gauge) show showpage\n"
                     "72 700 moveto (Page two) show showpage\n")
    pdfa = c.tmp("pdfa.pdf")
    run("gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-dPDFA=2", "-dPDFACompatibilityPolicy=1",
        "-sColorConversionStrategy=RGB", "-sDEVICE=pdfwrite", f"-sOutputFile={pdfa}", ps)
    c.keep(pdfa, "accept--pdf--ghostscript-pdfa-2pages.pdf")

    linear = c.tmp("linear.pdf")
    run("qpdf", "--linearize", writer, linear)
    c.keep(linear, "accept--pdf--qpdf-linearized-2pages.pdf")
    objstm = c.tmp("objstm.pdf")
    run("qpdf", "--object-streams=generate", writer, objstm)
    c.keep(objstm, "accept--pdf--qpdf-object-streams-2pages.pdf")
    owner = c.tmp("owner.pdf")
    run("qpdf", "--encrypt", "", "teacher-owner", "256", "--print=none", "--modify=none", "--", writer, owner)
    c.keep(owner, "accept+restricted-document--pdf--qpdf-owner-password-aes256-2pages.pdf")
    owner128 = c.tmp("owner128.pdf")
    run("qpdf", "--allow-weak-crypto", "--encrypt", "", "teacher-owner", "128", "--use-aes=n", "--", writer,
        owner128)
    c.keep(owner128, "accept+restricted-document--pdf--qpdf-owner-password-rc4-2pages.pdf")
    user = c.tmp("user.pdf")
    run("qpdf", "--encrypt", "student", "teacher-owner", "256", "--", writer, user)
    c.keep(user, "encrypted-document--pdf--qpdf-user-password.pdf")
    note = c.tmp("note.txt")
    with open(note, "w") as handle:
        handle.write("attached data\n")
    attached = c.tmp("attached.pdf")
    run("qpdf", writer, "--add-attachment", note, "--", attached)
    c.keep(attached, "accept+embedded-content--pdf--qpdf-attachment.pdf")
    merged = c.tmp("merged.pdf")
    run("qpdf", "--empty", "--pages", writer, pdfa, "--", merged)
    c.keep(merged, "accept--pdf--qpdf-merged-4pages.pdf")

    jpeg = picture(c, "scan.jpg", "600x800")
    img = c.tmp("img2pdf.pdf")
    run("img2pdf", "-o", img, jpeg)
    c.keep(img, "accept--pdf--img2pdf-scan-1pages.pdf")

    # Saved again (an incremental update, as Acrobat or a form filler does): the page objects are
    # written a second time, so counting "/Type /Page" would say 4; the page tree says 2.
    from pypdf import PdfWriter
    from pypdf.generic import NameObject, NumberObject
    updated = c.tmp("updated.pdf")
    pdf = PdfWriter(writer, incremental=True)
    for page in pdf.pages:
        page[NameObject("/Rotate")] = NumberObject(0)
    pdf.add_metadata({"/Title": "雨量計報告（修訂）"})
    with open(updated, "wb") as handle:
        pdf.write(handle)
    data = read(updated)
    assert data.startswith(read(writer)), "pypdf did not write an incremental update"
    c.write("accept--pdf--pypdf-incremental-update-2pages.pdf", data)
    # The same upload interrupted in the middle of its update.
    original = len(read(writer))
    c.write("corrupt-file--pdf--incremental-update-cut-mid-upload.pdf", data[: original + (len(data) - original) // 2])
    c.write("corrupt-file--pdf--writer-export-cut-in-half.pdf", read(writer)[: original // 2])


# ---------------------------------------------------------------------------------------------
# JPEG

def ppm(c):
    path = c.tmp("photo.ppm")
    run("convert", picture(c, "photo-src.png"), path)
    return path


def jpegs(c):
    source = ppm(c)
    base = c.tmp("baseline.jpg")
    with open(base, "wb") as handle:
        subprocess.run(["cjpeg", "-quality", "85", source], check=True, stdout=handle)
    c.keep(base, "accept--jpeg--cjpeg-baseline-320x240.jpg")
    progressive = c.tmp("progressive.jpg")
    with open(progressive, "wb") as handle:
        subprocess.run(["cjpeg", "-progressive", "-optimize", source], check=True, stdout=handle)
    c.keep(progressive, "accept--jpeg--cjpeg-progressive-320x240.jpg")
    arithmetic = c.tmp("arithmetic.jpg")
    with open(arithmetic, "wb") as handle:
        subprocess.run(["cjpeg", "-arithmetic", source], check=True, stdout=handle)
    c.keep(arithmetic, "format-not-allowed--jpeg--cjpeg-arithmetic-coded.jpg")
    restart = c.tmp("restart.jpg")
    with open(restart, "wb") as handle:
        subprocess.run(["cjpeg", "-restart", "2", "-sample", "1x1", source], check=True, stdout=handle)
    c.keep(restart, "accept--jpeg--cjpeg-restart-markers-444.jpg")
    gray = c.tmp("gray.jpg")
    with open(gray, "wb") as handle:
        subprocess.run(["cjpeg", "-grayscale", source], check=True, stdout=handle)
    c.keep(gray, "accept--jpeg--cjpeg-grayscale.jpg")

    # A phone-style photo: EXIF with a thumbnail and an sRGB ICC profile, written by exiftool.
    thumb = c.tmp("thumb.jpg")
    run("convert", base, "-resize", "160x120", thumb)
    icc = c.tmp("srgb.icc")
    shutil.copyfile(SRGB, icc)  # the sRGB profile Ghostscript ships
    phone = c.tmp("phone.jpg")
    shutil.copyfile(base, phone)
    run("exiftool", "-q", "-overwrite_original", "-Make=Google", "-Model=Pixel 8", "-DateTimeOriginal=2023:10:14 09:30:00",
        f"-ThumbnailImage<={thumb}", phone)
    run("exiftool", "-q", "-overwrite_original", f"-ICC_Profile<={icc}", phone)
    c.keep(phone, "accept--jpeg--exiftool-exif-thumbnail-icc-320x240.jpg")

    # MPF: a primary image and a secondary image (as a gain map or depth map) indexed by APP2 MPF.
    secondary = read(thumb)
    c.write("accept--jpeg--mpf-secondary-image-320x240.jpg", mpf(read(base), secondary))
    # The same file with a ZIP after the declared image: still a second format.
    zipped = c.tmp("hidden.zip")
    run("zip", "-q", "-j", zipped, c.tmp("note.txt"))
    c.write("polyglot--jpeg--mpf-then-zip-archive.jpg", mpf(read(base), secondary) + read(zipped))

    # A motion photo: the video declared in XMP by length from the end (GCamera:MicroVideoOffset).
    video = c.tmp("motion.mp4")
    ffmpeg(video, "-f", "lavfi", "-i", "testsrc=size=160x120:rate=15:duration=1", "-c:v", "libx264",
           "-pix_fmt", "yuv420p", "-movflags", "+faststart")
    motion = c.tmp("motion.jpg")
    shutil.copyfile(base, motion)
    clip = read(video)
    run("exiftool", "-q", "-overwrite_original", "-XMP-GCamera:MicroVideo=1", "-XMP-GCamera:MicroVideoVersion=1",
        f"-XMP-GCamera:MicroVideoOffset={len(clip)}", "-XMP-GCamera:MicroVideoPresentationTimestampUs=0", motion)
    c.write("accept--jpeg--motion-photo-xmp-video.jpg", read(motion) + clip)
    # A preview JPEG nothing declares: accepted, with the warning.
    c.write("accept+trailing-data--jpeg--undeclared-preview-appended.jpg", read(base) + secondary)
    c.write("corrupt-file--jpeg--cut-mid-scan.jpg", read(base)[: os.path.getsize(base) * 2 // 3])
    c.write("polyglot--jpeg--zip-appended.jpg", read(base) + read(zipped))


def mpf(primary, secondary):
    """Inserts an APP2 MPF segment (CIPA DC-007, big-endian) after the primary's SOI."""
    def entries(primary_size, second_offset):
        return (struct.pack(">IIIHH", 0x20030000, primary_size, 0, 0, 0)
                + struct.pack(">IIIHH", 0x00020000, len(secondary), second_offset, 0, 0))
    ifd_entries = 3
    ifd = 8
    mp_entries_at = ifd + 2 + ifd_entries * 12 + 4

    def segment(primary_size, second_offset):
        tiff = b"MM\x00\x2a" + struct.pack(">I", ifd)
        tiff += struct.pack(">H", ifd_entries)
        tiff += struct.pack(">HHI", 0xB000, 7, 4) + b"0100"
        tiff += struct.pack(">HHII", 0xB001, 4, 1, 2)
        tiff += struct.pack(">HHII", 0xB002, 7, 32, mp_entries_at)
        tiff += struct.pack(">I", 0)
        tiff += entries(primary_size, second_offset)
        body = b"MPF\x00" + tiff
        return b"\xff\xe2" + struct.pack(">H", len(body) + 2) + body

    placeholder = segment(0, 0)
    total_primary = len(primary) + len(placeholder)
    header_at = 2 + 4 + 4  # SOI, APP2 marker and length, "MPF\0": where the TIFF header starts
    final = segment(total_primary, total_primary - header_at)
    return primary[:2] + final + primary[2:] + secondary


# ---------------------------------------------------------------------------------------------
# PNG

def pngs(c):
    plain = picture(c, "plain.png", extra=("-define", "png:color-type=2"))
    c.keep(plain, "accept--png--imagemagick-rgb-320x240.png")
    interlaced = c.tmp("interlaced.png")
    run("convert", plain, "-interlace", "PNG", interlaced)
    c.keep(interlaced, "accept--png--imagemagick-adam7-interlaced-320x240.png")
    crushed = c.tmp("crushed.png")
    run("pngcrush", "-q", "-brute", plain, crushed)
    c.keep(crushed, "accept--png--pngcrush-optimized-320x240.png")
    palette = c.tmp("palette.png")
    run("convert", plain, "-colors", "16", "PNG8:" + palette)
    c.keep(palette, "accept--png--imagemagick-palette-320x240.png")
    deep = c.tmp("deep.png")
    run("convert", plain, "-colorspace", "Gray", "-alpha", "on", "-depth", "16", "PNG64:" + deep)
    c.keep(deep, "accept--png--imagemagick-16bit-320x240.png")
    icc = c.tmp("icc.png")
    run("convert", plain, "-profile", c.tmp("srgb.icc"), icc)
    run("exiftool", "-q", "-overwrite_original", "-Make=Apple", "-Model=iPhone 15", icc)
    c.keep(icc, "accept--png--iccp-and-exif-320x240.png")
    webp = c.tmp("sticker.webp")
    run("convert", plain, webp)
    c.keep(webp, "format-not-allowed--webp--imagemagick-sticker.webp")
    gif = c.tmp("anim.gif")
    run("convert", plain, gif)
    c.keep(gif, "format-not-allowed--gif--imagemagick.gif")
    heic = c.tmp("photo.heic")
    run("heif-enc", "-q", "50", "-o", heic, c.tmp("baseline.jpg"))
    c.keep(heic, "format-not-allowed--heic--heif-enc-iphone-style.heic")
    data = read(plain)
    c.write("accept+trailing-data--png--junk-after-iend.png", data + b"\x42" * 300)
    c.write("polyglot--png--zip-after-iend.png", data + read(c.tmp("hidden.zip")))
    c.write("corrupt-file--png--idat-short.png", shorten_idat(data))
    c.write("corrupt-file--png--cut-in-half.png", data[: len(data) // 2])


def shorten_idat(png):
    """Rewrites the image data as a valid zlib stream that holds half the rows (CRCs correct)."""
    chunks, at = [], 8
    while at < len(png):
        length = struct.unpack(">I", png[at:at + 4])[0]
        kind = png[at + 4:at + 8]
        chunks.append((kind, png[at + 8:at + 8 + length]))
        at += 12 + length
    raw = zlib.decompress(b"".join(body for kind, body in chunks if kind == b"IDAT"))
    short = zlib.compress(raw[: len(raw) // 2])
    out, written = png[:8], False
    for kind, body in chunks:
        if kind == b"IDAT":
            if written:
                continue
            body, written = short, True
        out += struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    return out


# ---------------------------------------------------------------------------------------------
# MP4 and MP3

def ffmpeg(out, *args):
    run("ffmpeg", "-y", "-loglevel", "error", "-fflags", "+bitexact", *args, "-map_metadata", "-1", out)


VIDEO = ("-f", "lavfi", "-i", "testsrc=size=160x120:rate=15:duration=2")
AUDIO = ("-f", "lavfi", "-i", "sine=frequency=440:duration=2")


def mp4s(c):
    def make(name, *args):
        path = c.tmp(name)
        ffmpeg(path, *args)
        c.keep(path, name)
        return path

    h264 = make("accept--mp4--ffmpeg-h264-aac-faststart.mp4", *VIDEO, *AUDIO, "-c:v", "libx264", "-pix_fmt", "yuv420p",
                "-c:a", "aac", "-b:a", "32k", "-shortest", "-movflags", "+faststart")
    make("accept--mp4--ffmpeg-fragmented.mp4", *VIDEO, *AUDIO, "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac",
         "-b:a", "32k", "-shortest", "-movflags", "frag_keyframe+empty_moov+default_base_moof")
    make("accept--mp4--ffmpeg-hevc-hvc1.mp4", *VIDEO, "-c:v", "libx265", "-x265-params", "log-level=none",
         "-tag:v", "hvc1", "-pix_fmt", "yuv420p")
    make("accept--mp4--ffmpeg-m4v-brand.mp4", *VIDEO, "-c:v", "libx264", "-pix_fmt", "yuv420p", "-brand", "M4V ")
    make("accept--mp4--ffmpeg-vp9-opus.mp4", *VIDEO, *AUDIO, "-c:v", "libvpx-vp9", "-b:v", "100k", "-c:a", "libopus",
         "-shortest")
    make("accept--mp4--ffmpeg-av1.mp4", *VIDEO, "-c:v", "libaom-av1", "-cpu-used", "8", "-b:v", "100k")
    make("format-not-allowed--mp4--ffmpeg-ac3-audio.mp4", *VIDEO, *AUDIO, "-c:v", "libx264", "-pix_fmt", "yuv420p",
         "-c:a", "ac3", "-shortest")
    make("format-not-allowed--mp4--ffmpeg-mpeg4-part2.mp4", *VIDEO, "-c:v", "mpeg4")
    make("format-not-allowed--3gp--ffmpeg-phone-video.3gp", *VIDEO, *AUDIO, "-c:v", "libx264", "-pix_fmt", "yuv420p",
         "-c:a", "aac", "-b:a", "32k", "-shortest", "-f", "3gp")
    make("accept--mp4--ffmpeg-moov-at-end.mp4", *VIDEO, *AUDIO, "-c:v", "libx264", "-pix_fmt", "yuv420p",
         "-c:a", "aac", "-b:a", "32k", "-shortest")
    make("format-not-allowed--mov--ffmpeg-quicktime.mov", *VIDEO, "-c:v", "libx264", "-pix_fmt", "yuv420p", "-f", "mov")
    make("format-not-allowed--m4a--ffmpeg-voice-memo.m4a", *AUDIO, "-c:a", "aac", "-b:a", "32k", "-f", "ipod")
    data = read(h264)
    c.write("corrupt-file--mp4--faststart-cut-mid-mdat.mp4", data[: len(data) * 2 // 3])
    # A recorder that wrote the mdat size it reserved, not what it filled: every sample is inside.
    at = data.index(b"mdat") - 4
    size = struct.unpack(">I", data[at:at + 4])[0]
    c.write("accept--mp4--mdat-size-past-end-samples-inside.mp4",
            data[:at] + struct.pack(">I", size + 65536) + data[at + 4:])


def mp3s(c):
    wav = c.tmp("voice.wav")
    ffmpeg(wav, "-f", "lavfi", "-i", "sine=frequency=330:duration=3")
    cbr = c.tmp("cbr.mp3")
    run("lame", "--quiet", "-b", "64", wav, cbr)
    c.keep(cbr, "accept--mp3--lame-cbr.mp3")
    vbr = c.tmp("vbr.mp3")
    run("lame", "--quiet", "-V", "6", wav, vbr)
    c.keep(vbr, "accept--mp3--lame-vbr-xing.mp3")
    v1 = c.tmp("v1.mp3")
    run("lame", "--quiet", "-b", "64", "--id3v1-only", "--tt", "lesson", "--ta", "student", wav, v1)
    c.keep(v1, "accept--mp3--lame-id3v1-tag.mp3")
    from mutagen.id3 import ID3, TIT2, TPE1, APIC
    for version in (3, 4):
        path = c.tmp(f"v2{version}.mp3")
        shutil.copyfile(cbr, path)
        tags = ID3()
        tags.add(TIT2(encoding=1 if version == 3 else 3, text="口說練習"))
        tags.add(TPE1(encoding=1 if version == 3 else 3, text="王小明"))
        tags.save(path, v2_version=version, padding=lambda info: 8192)
        c.keep(path, f"accept--mp3--mutagen-id3v2{version}-8KB-padding.mp3")
    cover = c.tmp("cover.mp3")
    shutil.copyfile(cbr, cover)
    tags = ID3()
    tags.add(APIC(encoding=3, mime="image/jpeg", type=3, desc="cover", data=read(c.tmp("thumb.jpg"))))
    tags.save(cover, v2_version=3, padding=lambda info: 2048)
    c.keep(cover, "accept--mp3--mutagen-cover-art.mp3")
    # ID3v2.2 (three-letter frames, as old iTunes wrote): mutagen reads but never writes it.
    frame = b"TT2" + struct.pack(">I", 7)[1:] + b"\x00lesson"
    body = frame + b"\x00" * 4000
    size = bytes([(len(body) >> shift) & 0x7F for shift in (21, 14, 7, 0)])
    c.write("accept--mp3--id3v22-with-padding.mp3", b"ID3\x02\x00\x00" + size + body + read(cbr))
    # A tag and two frames is not a recording.
    frames = read(cbr)
    c.write("corrupt-file--mp3--tag-and-two-frames.mp3", read(c.tmp("v23.mp3"))[: len(read(c.tmp("v23.mp3"))) - len(frames)] + first_frames(frames, 2))


def first_frames(data, count):
    """The first `count` MPEG audio frames of a CBR MP3 without tags (64 kbit/s, 44.1 kHz)."""
    at = 0
    while not (data[at] == 0xFF and data[at + 1] & 0xE0 == 0xE0):
        at += 1
    start = at
    for _ in range(count):
        header = struct.unpack(">I", data[at:at + 4])[0]
        bitrate = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320][(header >> 12) & 0xF]
        rate = [44100, 48000, 32000][(header >> 10) & 3]
        padding = (header >> 9) & 1
        at += 144000 * bitrate // rate + padding
    return data[start:at]


# ---------------------------------------------------------------------------------------------
# Verdicts at the edges (issue 28): what real players and viewers play or show is accepted, what
# they refuse is refused, for the true reason. Each input comes from a real program; the edit that
# makes the case is the one devices, taggers and cut uploads make, and each file's answer was
# checked against ffmpeg/ffprobe, djpeg, pdfinfo/pdftoppm and qpdf.

def unsynchronised(tag):
    """An ID3v2.3 tag with the unsynchronisation scheme applied (FF followed by E0+ or 00 gets a
    00 inserted) and its header flag set, as old taggers write it; mutagen never writes it."""
    size = (tag[6] & 0x7F) << 21 | (tag[7] & 0x7F) << 14 | (tag[8] & 0x7F) << 7 | (tag[9] & 0x7F)
    body, out = tag[10:10 + size], bytearray()
    for i, b in enumerate(body):
        out.append(b)
        if b == 0xFF and (i + 1 == len(body) or body[i + 1] >= 0xE0 or body[i + 1] == 0):
            out.append(0)
    header = bytearray(tag[:10])
    header[5] |= 0x80
    n = len(out)
    header[6:10] = bytes([(n >> 21) & 0x7F, (n >> 14) & 0x7F, (n >> 7) & 0x7F, n & 0x7F])
    return bytes(header) + bytes(out), tag[10 + size:]


def jpeg_segments(data):
    """(marker, offset, length) of each segment before the first scan."""
    at, out = 2, []
    while at < len(data):
        marker, length = data[at + 1], struct.unpack(">H", data[at + 2:at + 4])[0]
        out.append((marker, at, length))
        if marker == 0xDA:
            break
        at += 2 + length
    return out


def edge_mp3s(c):
    wav = c.tmp("edge.wav")
    ffmpeg(wav, "-f", "lavfi", "-i", "sine=frequency=330:duration=3")
    cbr = c.tmp("edge.mp3")
    run("lame", "--quiet", "-b", "64", wav, cbr)
    cover = c.tmp("cover.jpg")
    run("convert", "-size", "480x360", "plasma:fractal", "-quality", "90", cover)  # > 32 KiB of cover art
    from mutagen.id3 import ID3, TIT2, APIC
    tagged = c.tmp("edge-tagged.mp3")
    shutil.copyfile(cbr, tagged)
    tags = ID3()
    tags.add(TIT2(encoding=1, text="口說練習"))
    tags.add(APIC(encoding=3, mime="image/jpeg", type=3, desc="cover", data=read(cover)))
    tags.save(tagged, v2_version=3, padding=lambda info: 0)
    tag, audio = unsynchronised(read(tagged))
    # Junk an encoder or a broken tagger left between the tag and the first frame: ffmpeg skips it.
    junk = bytes((i * 37 + 11) % 251 + 1 for i in range(517))
    c.write("accept--mp3--id3v23-unsynchronised-cover-art-junk-before-frames.mp3", tag + junk + audio)
    c.write("corrupt-file--mp3--id3v23-cover-art-junk-and-3-frames.mp3", tag + junk + first_frames(audio, 3))
    # A Windows program between the tag and the frames is no junk a decoder skips: a second format.
    exe = read(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "samples", "sniff",
                            "application_vnd.microsoft.portable-executable--setup.exe"))
    c.write("polyglot--mp3--id3v23-windows-program-before-frames.mp3", tag + exe + audio)


def edge_jpegs(c):
    source = c.tmp("edge.ppm")
    run("convert", "-size", "320x240", "gradient:skyblue-navy", source)
    base, progressive = c.tmp("edge-base.jpg"), c.tmp("edge-progressive.jpg")
    for path, options in ((base, ["-quality", "85"]), (progressive, ["-progressive", "-optimize"])):
        with open(path, "wb") as handle:
            subprocess.run(["cjpeg", *options, source], check=True, stdout=handle)
    data = read(base)
    segments = jpeg_segments(data)
    dqt = next(at for marker, at, _ in segments if marker == 0xDB)
    # djpeg: "Corrupt JPEG data: 5 extraneous bytes before marker 0xdb", and it decodes.
    c.write("accept--jpeg--extraneous-bytes-before-marker-320x240.jpg", data[:dqt] + b"\x00\x13\x37\xa5\x5a" + data[dqt:])
    # djpeg: "Bogus Huffman table definition" (three codes of length 1 cannot exist).
    dht = next(at for marker, at, _ in segments if marker == 0xC4) + 4
    counts = list(data[dht + 1:dht + 17])
    bogus = bytearray(data)
    bogus[dht + 1:dht + 17] = bytes([3] + [0] * 14 + [sum(counts) - 3])
    c.write("corrupt-file--jpeg--bogus-huffman-table.jpg", bytes(bogus))
    # djpeg: "Invalid progressive parameters Ss=1 Se=70 Ah=0 Al=2" (the second scan's end > 63).
    prog = bytearray(read(progressive))
    scans = [i for i in range(len(prog) - 1) if prog[i] == 0xFF and prog[i + 1] == 0xDA]
    at = scans[1]
    count = prog[at + 4]
    prog[at + 6 + 2 * count] = 70
    c.write("corrupt-file--jpeg--progressive-invalid-scan-parameters.jpg", bytes(prog))
    # An undeclared trailer whose HTML does not start at its first byte is still a second format.
    page = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
    c.write("polyglot--jpeg--html-inside-undeclared-trailer.jpg", data + bytes(range(1, 201)) + page)
    # A ZIP inside the trailer whose end record is not in the last 64 KiB: its central directory
    # entry (fields and file name holding together) still proves it.
    note, archive = c.tmp("edge-note.txt"), c.tmp("edge-note.zip")
    with open(note, "w") as handle:
        handle.write("attached data\n")
    run("zip", "-q", "-j", archive, note)
    c.write("polyglot--jpeg--zip-central-directory-inside-trailer.jpg",
            data + bytes(range(1, 201)) + read(archive) + bytes((i * 7 + 3) % 251 + 1 for i in range(70_000)))
    # A camera's preview after the image, declared in the Exif maker note (Pentax's layout:
    # "AOC\0" + byte order, then an IFD with PreviewImageLength 0x0003 and PreviewImageStart
    # 0x0004, relative to the TIFF header). The Exif block is built here; both images are cjpeg's.
    preview = c.tmp("edge-preview.jpg")
    run("convert", source, "-resize", "160x120", c.tmp("edge-preview.ppm"))
    with open(preview, "wb") as handle:
        subprocess.run(["cjpeg", "-quality", "70", c.tmp("edge-preview.ppm")], check=True, stdout=handle)
    c.write("accept--jpeg--maker-note-declared-preview-320x240.jpg", with_maker_note_preview(data, read(preview)))


def with_maker_note_preview(jpeg, preview):
    """`jpeg` with an Exif APP1 whose maker note declares `preview`, appended after its end."""
    def ifd(entries):
        return struct.pack(">H", len(entries)) + b"".join(struct.pack(">HHII", *e) for e in entries) + b"\0\0\0\0"
    note_ifd_at = 6  # after "AOC\0MM"
    exif_ifd_at = 8 + 18  # after the header and IFD0 (1 entry)
    note_at = exif_ifd_at + 18  # after the Exif IFD (1 entry)
    note_length = note_ifd_at + 2 + 2 * 12 + 4
    app1_length = 2 + 6 + note_at + note_length
    tiff_start = 2 + 2 + 2 + 6
    preview_start = len(jpeg) + 2 + app1_length - tiff_start
    note = b"AOC\0MM" + ifd([(0x0003, 4, 1, len(preview)), (0x0004, 4, 1, preview_start)])
    tiff = b"MM\0*" + struct.pack(">I", 8) + ifd([(0x8769, 4, 1, exif_ifd_at)]) \
        + ifd([(0x927C, 7, 1 * len(note), note_at)]) + note
    app1 = b"\xff\xe1" + struct.pack(">H", 2 + 6 + len(tiff)) + b"Exif\0\0" + tiff
    assert len(app1) == 2 + app1_length
    return jpeg[:2] + app1 + jpeg[2:] + preview


def edge_pdfs(c):
    ps = c.tmp("edge.ps")
    with open(ps, "w") as handle:
        handle.write("%!PS\n/Helvetica findfont 24 scalefont setfont 72 700 moveto (Rain gauge) show showpage\n"
                     "72 700 moveto (Page two) show showpage\n")
    pdf = c.tmp("edge.pdf")
    run("gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=pdfwrite", f"-sOutputFile={pdf}", ps)
    data = read(pdf)
    eof = data.rindex(b"%%EOF")
    # Trailer and startxref complete, only the end marker missing or cut: poppler and qpdf open them.
    c.write("accept--pdf--ghostscript-without-eof-marker-2pages.pdf", data[:eof])
    c.write("accept--pdf--ghostscript-eof-marker-cut-2pages.pdf", data[:eof + 4])
    import re
    offset = list(re.finditer(rb"startxref\s+(\d+)", data))[-1]
    wrong = str(int(offset.group(1)) + 137).encode()
    c.write("accept--pdf--ghostscript-wrong-startxref-2pages.pdf", data[:offset.start(1)] + wrong + data[offset.end(1):])
    # A page tree whose /Count says 7 for its 2 pages: the pages are what the tree reaches.
    counted = c.tmp("edge-count-qdf.pdf")
    run("qpdf", "--qdf", "--object-streams=disable", pdf, counted)
    text = read(counted).replace(b"/Count 2", b"/Count 7", 1)
    with open(counted, "wb") as handle:
        handle.write(text)
    recounted = c.tmp("edge-count.pdf")
    with open(recounted, "wb") as handle:
        subprocess.run(["fix-qdf", counted], check=True, stdout=handle)
    c.keep(recounted, "accept--pdf--ghostscript-page-tree-count-wrong-2pages.pdf")
    # The page tree's root without /Kids: pdfinfo "Kids object (page 1) is wrong type (null)".
    qdf, edited, fixed = c.tmp("edge-qdf.pdf"), c.tmp("edge-nokids-qdf.pdf"), c.tmp("edge-nokids.pdf")
    run("qpdf", "--qdf", "--object-streams=disable", pdf, qdf)
    text = read(qdf)
    start = text.index(b"/Kids [")
    end = text.index(b"]", start) + 1
    with open(edited, "wb") as handle:
        handle.write(text[:start] + text[end:])
    with open(fixed, "wb") as handle:
        subprocess.run(["fix-qdf", edited], check=True, stdout=handle)
    c.keep(fixed, "corrupt-file--pdf--pages-without-kids.pdf")


def edge_mp4s(c):
    h264 = ("-c:v", "libx264", "-pix_fmt", "yuv420p")
    ianb = c.tmp("edge-ianb.mp4")
    ffmpeg(ianb, *VIDEO, *AUDIO, *h264, "-c:a", "aac", "-b:a", "32k", "-shortest", "-brand", "ianb")
    c.keep(ianb, "accept--mp4--ffmpeg-unknown-major-brand-ianb.mp4")  # libmagic: application/octet-stream
    fragmented = c.tmp("edge-fragmented.mp4")
    ffmpeg(fragmented, *VIDEO, *h264, "-brand", "cmfc", "-movflags", "frag_keyframe+empty_moov+default_base_moof")
    data = read(fragmented)
    c.write("corrupt-file--mp4--cmaf-init-segment-cmfc-brand.mp4", data[:data.index(b"moof") - 4])
    faststart = c.tmp("edge-faststart.mp4")
    ffmpeg(faststart, *VIDEO, *h264, "-movflags", "+faststart")
    data = read(faststart)
    at = data.index(b"mdat") - 4
    keep = (len(data) - at) // 2  # half of the samples gone, the box size rewritten to match
    c.write("corrupt-file--mp4--sample-tables-past-end.mp4", data[:at] + struct.pack(">I", keep) + data[at + 4:at + keep])
    encrypted = c.tmp("edge-cenc.mp4")
    ffmpeg(encrypted, *VIDEO, *h264, "-encryption_scheme", "cenc-aes-ctr",
           "-encryption_key", "76a6c65c5ea762046bd749a2e632ccbb", "-encryption_kid", "a7e61c373e219033c21091fa607bf3b8")
    data = bytearray(read(encrypted))
    entry = data.index(b"encv")
    data[entry:entry + 4] = b"avc1"  # the sample entry says clear; tenc and senc say encrypted
    c.write("drm-protected--mp4--cenc-boxes-beside-clear-avc1.mp4", bytes(data))


EDGES = (edge_mp3s, edge_jpegs, edge_pdfs, edge_mp4s)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                                      "samples", "real"))
    parser.add_argument("--only-edges", action="store_true",
                        help="(re)write only the edge cases of issue 28, keeping every other file")
    args = parser.parse_args()
    if os.path.isdir(args.out) and not args.only_edges:
        shutil.rmtree(args.out)
    with tempfile.TemporaryDirectory() as work:
        c = Corpus(args.out, work)
        for make in EDGES if args.only_edges else (pdfs, jpegs, pngs, mp4s, mp3s) + EDGES:
            make(c)
            print(f"{make.__name__}: done", file=sys.stderr)
    names = sorted(os.listdir(args.out))
    total = sum(os.path.getsize(os.path.join(args.out, n)) for n in names)
    print(f"{len(names)} files, {total} bytes in {args.out}")


if __name__ == "__main__":
    main()
