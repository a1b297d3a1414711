#!/usr/bin/env python3
"""Writes the hostile uploads of issue 22 (resource bombs a student can make), for the tests
and scripts/bench-bombs.sh. Python's standard library only.

  make-hostile.py objstm-bomb OUT.pdf [--inflated-mib N]   page tree inside an object stream
                                                           that inflates to N MiB of spaces
  make-hostile.py shared-annots OUT.pdf [--pages N]        N pages sharing one /Annots array
                                                           of N link annotations
  make-hostile.py sparse OUT [--gib N]                     a sparse file of N GiB apparent size
  make-hostile.py mp4-stsz OUT.mp4 SOURCE.mp4              SOURCE with its first stsz claiming
                                                           4,294,967,295 samples
  make-hostile.py mp4-mvhd OUT.mp4 SOURCE.mp4              SOURCE (moov after mdat) with a
                                                           version-1 mvhd of 2^62 s at timescale 1
"""
import argparse
import struct
import zlib


def pdf(objects, xref_stream=None):
    """objects: list of (number, bytes body). Returns a PDF with a classic xref table, or with
    the cross-reference stream `xref_stream(offsets, at)` (returns bytes of the object)."""
    out = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number, body in objects:
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    at = len(out)
    if xref_stream is not None:
        out += xref_stream(offsets, at)
    else:
        size = max(offsets) + 1
        out += b"xref\n0 %d\n0000000000 65535 f \n" % size
        for number in range(1, size):
            out += b"%010d 00000 n \n" % offsets[number]
        out += b"trailer\n<< /Size %d /Root 1 0 R >>\n" % size
    out += b"startxref\n%d\n%%%%EOF\n" % at
    return bytes(out)


def objstm_bomb(inflated_mib):
    pages = b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>"
    header = b"2 0 "
    compressor = zlib.compressobj(9)
    data = bytearray(compressor.compress(header + pages))
    block = b" " * (1 << 20)
    for _ in range(inflated_mib):
        data += compressor.compress(block)
    data += compressor.flush()
    stream = (b"<< /Type /ObjStm /N 1 /First %d /Filter /FlateDecode /Length %d >>\nstream\n" % (len(header), len(data))
              + bytes(data) + b"\nendstream")
    objects = [
        (1, b"<< /Type /Catalog /Pages 2 0 R >>"),
        (3, stream),
        (4, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>"),
    ]

    def xref(offsets, at):
        rows = [struct.pack(">BIH", 0, 0, 0xFFFF), struct.pack(">BIH", 1, offsets[1], 0),
                struct.pack(">BIH", 2, 3, 0), struct.pack(">BIH", 1, offsets[3], 0),
                struct.pack(">BIH", 1, offsets[4], 0), struct.pack(">BIH", 1, at, 0)]
        body = b"".join(rows)
        return (b"5 0 obj\n<< /Type /XRef /Size 6 /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n" % len(body)
                + body + b"\nendstream\nendobj\n")

    return pdf(objects, xref)


def shared_annots(pages):
    first_page = 4
    first_annot = first_page + pages
    kids = b" ".join(b"%d 0 R" % (first_page + i) for i in range(pages))
    annots = b" ".join(b"%d 0 R" % (first_annot + i) for i in range(pages))
    objects = [
        (1, b"<< /Type /Catalog /Pages 2 0 R >>"),
        (2, b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % pages),
        (3, b"[" + annots + b"]"),
    ]
    for i in range(pages):
        objects.append((first_page + i, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Annots 3 0 R >>"))
    for i in range(pages):
        objects.append((first_annot + i,
                        b"<< /Type /Annot /Subtype /Link /Rect [0 0 10 10] /A << /S /GoTo /D [4 0 R /Fit] >> >>"))
    return pdf(objects)


def mp4_stsz(source):
    data = bytearray(open(source, "rb").read())
    at = data.find(b"stsz")
    if at < 0:
        raise SystemExit("no stsz box in " + source)
    # stsz body: version+flags (4), sample_size (4), sample_count (4).
    struct.pack_into(">I", data, at + 4 + 8, 0xFFFFFFFF)
    return bytes(data)


def mp4_mvhd(source):
    data = open(source, "rb").read()
    at = 0
    while at + 8 <= len(data) and data[at + 4:at + 8] != b"moov":
        at += struct.unpack(">I", data[at:at + 4])[0]
    mvhd = at + 8
    if data[mvhd + 4:mvhd + 8] != b"mvhd" or data[mvhd + 8] != 0:
        raise SystemExit("no version-0 mvhd first in moov of " + source)
    size = struct.unpack(">I", data[mvhd:mvhd + 4])[0]
    rest = data[mvhd + 28:mvhd + size]
    body = b"\x01\x00\x00\x00" + struct.pack(">QQIQ", 0, 0, 1, 1 << 62) + rest
    box = struct.pack(">I", 8 + len(body)) + b"mvhd" + body
    moov_size = struct.unpack(">I", data[at:at + 4])[0] + len(box) - size
    return data[:at] + struct.pack(">I", moov_size) + b"moov" + box + data[mvhd + size:]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("kind", choices=["objstm-bomb", "shared-annots", "sparse", "mp4-stsz", "mp4-mvhd"])
    parser.add_argument("out")
    parser.add_argument("source", nargs="?")
    parser.add_argument("--inflated-mib", type=int, default=1024)
    parser.add_argument("--pages", type=int, default=3000)
    parser.add_argument("--gib", type=int, default=8)
    args = parser.parse_args()
    if args.kind == "sparse":
        with open(args.out, "wb") as handle:
            handle.truncate(args.gib << 30)
        return
    body = {
        "objstm-bomb": lambda: objstm_bomb(args.inflated_mib),
        "shared-annots": lambda: shared_annots(args.pages),
        "mp4-stsz": lambda: mp4_stsz(args.source),
        "mp4-mvhd": lambda: mp4_mvhd(args.source),
    }[args.kind]()
    with open(args.out, "wb") as handle:
        handle.write(body)


if __name__ == "__main__":
    main()
