#!/usr/bin/python3
"""check-names.py - every name the docs show in backticks exists in the code.

    check-names.py [FILE.md ...]      (default: README.md and docs/*.md)

A student follows the docs to the code, so a name that is not there (a
renamed function, a moved file, a label that never existed) is a bug in the
docs. Each `span` in backticks is sorted into one of:
  - a path (has a '/' or ends in a source/doc suffix): some tracked file must
    end with it ("kernel/mm/pmm.c", or "pmm.c" in a chapter about kernel/mm/);
  - a test case (boot/..., uefi/..., mutants/NAME, ...): tests/cases.sh must
    add it;
  - a name (a C identifier, NASM label or command-line word, optionally with
    "()" or a field path like bootinfo.loader_log): each part must occur as
    a whole word in a tracked source file (code, scripts, build files) or be
    a symbol of a built binary (labels made by NASM macros: isr_stub_14);
  - a file the build makes (bios.img, bootinfo.inc, build/...): the build
    files (Makefile, */build.mk, disk/*.sh) must name it;
  - anything else (commands, numbers, expressions, register names with
    spaces): not checked.
Names from outside the repository that the code never spells (UEFI protocol
names only in the docs, Linux's, GRUB's, QEMU's options) are listed with a
reason in tests/docs/outside-names.txt. Prints one line per missing name:
FILE:LINE: `name` ... and exits 1 if there is any.
"""
import fnmatch
import os
import re
import subprocess
import sys

from mdlines import md_lines

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
SUFFIXES = (".c", ".h", ".asm", ".inc", ".ld", ".md", ".sh", ".mk", ".py", ".cfg",
            ".txt", ".svg", ".png", ".gdb", ".in", ".list", ".awk", ".efi", ".elf", ".img", ".bin")
SOURCE_SUFFIXES = (".c", ".h", ".asm", ".inc", ".ld", ".sh", ".mk", ".py", ".cfg", ".in",
                   ".list", ".awk", ".txt")
NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*(\(\))?(\[\])?$")
SPAN = re.compile(r"`([^`\n]+)`")
CASE_GROUPS = ("arch", "chart", "docs", "walk", "boot", "uefi", "hybrid", "mutants", "rules", "image", "bad", "debug", "fuzz",
               "panic", "soak", "pci", "blk", "input", "tty", "term", "monitor")
CASE_GROUPS += ("ext2",)
CASE_GROUPS += ("vfs",)
CASE_GROUPS += ("session",)
CASE_GROUPS += ("fat",)
CASE_GROUPS += ("busybox",)
CASE_GROUPS += ("rootfs",)
CASE_GROUPS += ("proc",)
CASE_GROUPS += ("tsh",)
CASE_GROUPS += ("userland",)
CASE_GROUPS += ("tools",)


def tracked_files():
    out = subprocess.run(["git", "-C", ROOT, "ls-files"], capture_output=True, text=True,
                         check=True).stdout
    return [f for f in out.split("\n") if f]


def source_words(files):
    words = set()
    for f in files:
        if not (f.endswith(SOURCE_SUFFIXES) or os.path.basename(f) in ("Makefile", "run")):
            continue
        try:
            with open(os.path.join(ROOT, f), encoding="utf-8", errors="replace") as fh:
                words.update(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", fh.read()))
        except OSError:
            pass
    return words


def symbols():
    """Symbols of the built binaries: labels that NASM macros make."""
    names = set()
    for elf in ("build/kernel.elf", "build/stage1.elf", "build/stage2.elf", "build/uefi/tessera.so"):
        path = os.path.join(ROOT, elf)
        if os.path.exists(path):
            out = subprocess.run(["nm", path], capture_output=True, text=True).stdout
            names.update(line.split()[-1] for line in out.split("\n") if line.strip())
    return names


def case_names():
    """The names tests/cases.sh gives its cases (add_case NAME ..., and batch_case's
    cases inside the UEFI batches: BATCH_NAMES)."""
    script = 'add_case() { echo "$1"; }; . tests/cases.sh; echo "${BATCH_NAMES:-}"'
    out = subprocess.run(["sh", "-c", script], cwd=ROOT, capture_output=True, text=True).stdout
    return set(out.split()) | {"docs/samples"}     # run.sh runs it after the others


def build_text(files):
    """What the build files say: the names of the files the build makes."""
    text = ""
    for f in files:
        if f == "Makefile" or f.endswith((".mk", ".sh")):
            with open(os.path.join(ROOT, f), encoding="utf-8", errors="replace") as fh:
                text += fh.read()
    return text


def outside_names():
    names = set()
    path = os.path.join(ROOT, "tests", "docs", "outside-names.txt")
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            line = line.split("#", 1)[0].strip()
            if line:
                names.add(line.split()[0])
    return names


def is_path(span):
    return (" " not in span and ("/" in span or span.endswith(SUFFIXES))
            and not span.startswith(("-", "http")) and "=" not in span and "*" not in span)


def path_exists(span, files, dirs, built):
    p = span.rstrip("/")
    if p.startswith("/"):
        return True                 # on the host: not the repository's
    if p.startswith("build/"):
        p = p[len("build/"):]
        return p == "" or os.path.basename(p) in built or p.split("/")[0] in built
    if os.path.basename(p) in built and "/" not in p:
        return True
    if span.endswith("/"):
        return any(d == p or d.endswith("/" + p) for d in dirs)
    return any(f == p or f.endswith("/" + p) for f in files) or \
        any(d == p or d.endswith("/" + p) for d in dirs)


def check(md, files, dirs, words, outside, cases, built):
    bad = []
    for n, line, in_code in md_lines(md):
        if in_code:
            continue            # code and sample blocks: check-samples.py's part
        for span in SPAN.findall(line):
            span = span.strip()
            if span in outside or span.startswith(".") or "$" in span:
                continue
            pattern = span.replace("NAME", "*") + ("*" if span.endswith("/") else "")
            if span.split("/")[0] in CASE_GROUPS and "." not in span and \
                    not path_exists(span, files, dirs, built):
                if not any(fnmatch.fnmatchcase(c, pattern) for c in cases):
                    bad.append(f"{md}:{n}: `{span}`: no such test case in tests/cases.sh"
                               " (nor file)")
            elif is_path(span):
                if not path_exists(span, files, dirs, built):
                    bad.append(f"{md}:{n}: `{span}`: no such file in the repository")
            elif NAME.match(span):
                parts = re.sub(r"(\(\)|\[\])$", "", span).split(".")
                if len(parts) == 2 and span.endswith(SUFFIXES):
                    continue
                missing = [p for p in parts if p not in words and p not in outside]
                if missing:
                    bad.append(f"{md}:{n}: `{span}`: {', '.join(missing)} not in the code"
                               " (or list it in tests/docs/outside-names.txt)")
    return bad


def main(argv):
    files = tracked_files()
    dirs = {os.path.dirname(f) for f in files}
    dirs |= {d2 for d in list(dirs) for d2 in [d[:i] for i in range(len(d)) if d[i] == "/"]}
    words = source_words(files) | symbols()
    outside = outside_names()
    cases = case_names()
    built = build_text(files)
    mds = argv[1:] or ["README.md"] + sorted(f for f in files if f.startswith("docs/")
                                             and f.endswith(".md"))
    bad = []
    for md in mds:
        bad += check(os.path.join(ROOT, md) if not os.path.isabs(md) else md, files, dirs,
                     words, outside, cases, built)
    for b in bad:
        print(os.path.relpath(b, ROOT) if b.startswith("/") else b)
    print(f"check-names: {len(mds)} files, {len(bad)} names missing")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
