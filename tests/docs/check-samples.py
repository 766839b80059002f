#!/usr/bin/python3
"""check-samples.py - every sample output line in the docs is one a real boot printed.

    check-samples.py LOGDIR... [-- FILE.md ...]   (default files: README.md, docs/*.md)

The docs show what Tessera prints (code blocks: fenced or indented). A line
there that begins like Tessera's output (`stage2: `, `uefi: `, `kernel: `,
`[mm] `, `ktest: `, `panic: `, ...) must be a line that one of the boots of
`make test` printed: the serial logs and case logs under LOGDIR. Numbers,
addresses and identifiers vary from build to build and machine to machine
(sizes, TSC ticks, random disk signatures and GUIDs), so both sides are compared with
every number and GUID masked: the check proves the line exists in that shape, and
`make docs-samples`-style pasting from a real boot is what keeps the numbers
recent. Prints each line no log has, and exits 1 if any.
"""
import glob
import os
import re
import subprocess
import sys

from mdlines import md_lines

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
OUTPUT = re.compile(r"^(stage1|stage2|uefi|kernel|bootinfo|timeline|ktest|memmap|smp|panic|loader"
                    r"|backtrace|lockcheck): |^\[[a-z0-9]+\] ")
NUMBER = re.compile(r"0x[0-9a-fA-F]+|\b[0-9a-fA-F]*[0-9][0-9a-fA-F]*\b")
# A GUID whole: a random one may have a group of letters only ("fdad"), which NUMBER leaves.
GUID = re.compile(r"\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b")


def mask(line):
    line = NUMBER.sub("#", GUID.sub("#", line.rstrip("\r\n").strip()))
    return re.sub(r"\s+", " ", line)


LOG_MAX = 16 << 20     # disk images a case keeps (fs-crash's) are not logs: one "line" of 128 MiB
STAMP = re.compile(r"^\s*[0-9]+(\.[0-9]+)?\s+")   # the chart's logs: host ms, then the line


def log_lines(dirs):
    seen = set()
    for d in dirs:
        for path in glob.glob(os.path.join(d, "**", "*"), recursive=True):
            if (os.path.isfile(path) and not path.endswith(("summary", "cases", ".svg", ".img", ".ppm", ".png"))
                    and os.path.getsize(path) <= LOG_MAX):
                with open(path, encoding="utf-8", errors="replace") as fh:
                    for line in fh:
                        seen.add(mask(line))
                        seen.add(mask(STAMP.sub("", line)))
    return seen


def sample_lines(md):
    """(line number, text) of each output-like line inside a code block."""
    return [(n, line.strip()) for n, line, in_code in md_lines(md)
            if in_code and OUTPUT.match(line.strip())]


def main(argv):
    if "--" in argv:
        i = argv.index("--")
        dirs, mds = argv[1:i], argv[i + 1:]
    else:
        dirs, mds = argv[1:], []
    if not mds:
        files = subprocess.run(["git", "-C", ROOT, "ls-files", "README.md", "docs"],
                               capture_output=True, text=True, check=True).stdout.split()
        mds = [os.path.join(ROOT, f) for f in files if f.endswith(".md")]
    seen = log_lines(dirs)
    if len(seen) < 1000:
        print(f"check-samples: only {len(seen)} distinct log lines in {' '.join(dirs)}: "
              "the logs of a whole `make test` run are needed")
        return 1
    bad = checked = 0
    for md in mds:
        for n, text in sample_lines(md):
            checked += 1
            if mask(text) not in seen:
                bad += 1
                print(f"{os.path.relpath(md, ROOT)}:{n}: no boot printed: {text}")
    print(f"check-samples: {checked} sample lines in {len(mds)} files, {bad} not printed by any boot")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
