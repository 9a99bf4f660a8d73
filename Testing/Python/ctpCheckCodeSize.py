#!/usr/bin/env python3
"""The size rule of ../shared/STYLE.md, checked: no function in Modules/ or Applications/ longer than
MAX_FUNCTION lines, no source file longer than MAX_FILE lines.

Sources are clang-formatted (Utilities/clang-format), so a function body is a line holding only `{`
after its signature and ends at the first `}` line with the same indentation. Lambdas and initializer
lists open their brace on the signature's line and count towards the function holding them. Prints
every offender, file:line name (lines), and exits 1 when there is one.

Usage: ctpCheckCodeSize.py [ROOT]   (ROOT: the project root, default: this script's ../..)
"""
import pathlib
import re
import sys

MAX_FUNCTION = 120
MAX_FILE = 600
SUFFIXES = {".cxx", ".h", ".hxx", ".txx"}
NOT_FUNCTION = re.compile(r"^\s*(namespace|class|struct|enum|union|extern)\b|=\s*$|^\s*(template\s*<.*>\s*)?(class|struct)\b")


def signature_before(lines, index):
    """The statement that ends just before line `index` (joined back to its start), or ''."""
    parts = []
    i = index - 1
    while i >= 0:
        text = lines[i].rstrip()
        if not text.strip():
            break
        stripped = text.strip()
        if stripped.endswith((";", "}", "{")) or stripped.startswith(("//", "/*", "*", "#")) or stripped == "{":
            break
        parts.insert(0, stripped)
        if not text.startswith(" " * (len(lines[index]) - len(lines[index].lstrip()) + 1)) and "(" in stripped:
            # the signature's first line (continuations are indented deeper)
            pass
        i -= 1
    return " ".join(parts)


def functions(path):
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    for index, line in enumerate(lines):
        if line.strip() != "{":
            continue
        indent = line[: len(line) - len(line.lstrip())]
        signature = signature_before(lines, index)
        if "(" not in signature or NOT_FUNCTION.search(signature):
            continue
        end = index + 1
        while end < len(lines) and lines[end].rstrip() not in (indent + "}", indent + "};"):
            end += 1
        name = re.sub(r"\s*\(.*", "", signature).split()[-1] if signature.split() else "?"
        yield index + 1, name, end - index + 1


def main():
    root = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else pathlib.Path(__file__).resolve().parents[2]
    offenders = []
    checked = 0
    for folder in ("Modules", "Applications"):
        for path in sorted((root / folder).rglob("*")):
            if path.suffix not in SUFFIXES or not path.is_file():
                continue
            checked += 1
            relative = path.relative_to(root)
            length = len(path.read_text(encoding="utf-8", errors="replace").splitlines())
            if length > MAX_FILE:
                offenders.append(f"{relative}: file of {length} lines (limit {MAX_FILE})")
            for line, name, body in functions(path):
                if body > MAX_FUNCTION:
                    offenders.append(f"{relative}:{line} {name}: {body} lines (limit {MAX_FUNCTION})")
    for offender in offenders:
        print(offender)
    print(f"{checked} files checked: {len(offenders)} over the limits")
    return 1 if offenders else 0


if __name__ == "__main__":
    sys.exit(main())
