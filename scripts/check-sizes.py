#!/usr/bin/env python3
"""Fails when a Swift file under Sources is over 400 lines or a function over 80 lines.

Functions are measured from their `func`/`init` line to the brace that closes them (braces
inside string literals and comments are ignored)."""
import re
import sys
from pathlib import Path

MAX_FILE, MAX_FUNCTION = 400, 80


def code_only(line: str) -> str:
    line = re.sub(r'"(?:\\.|[^"\\])*"', '""', line)
    return line.split("//", 1)[0]


def problems(root: Path):
    for path in sorted(root.rglob("*.swift")):
        lines = path.read_text(encoding="utf-8").split("\n")
        if len(lines) > MAX_FILE:
            yield f"{path}: {len(lines)} lines (at most {MAX_FILE})"
        in_block = False
        for start, line in enumerate(lines):
            if '"""' in line:
                in_block = not in_block if line.count('"""') % 2 else in_block
            if in_block or not re.search(r"^\s*(?:@\w+\s+)*(?:(?:public|private|fileprivate|internal|static|mutating|override|final|nonisolated)\s+)*(?:func\s+\w+|init[?!]?)\s*[(<]", line):
                continue
            depth, opened, block = 0, False, False
            for end in range(start, len(lines)):
                text = lines[end]
                if '"""' in text and text.count('"""') % 2:
                    block = not block
                    continue
                if block:
                    continue
                code = code_only(text)
                depth += code.count("{") - code.count("}")
                opened = opened or "{" in code
                if opened and depth <= 0:
                    if end - start + 1 > MAX_FUNCTION:
                        yield f"{path}:{start + 1}: function of {end - start + 1} lines (at most {MAX_FUNCTION})"
                    break


found = list(problems(Path(sys.argv[1] if len(sys.argv) > 1 else "Sources")))
print("\n".join(found) or "sizes ok")
sys.exit(1 if found else 0)
