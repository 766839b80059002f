#!/usr/bin/python3
"""monitor-commands.py - the monitor's command list in docs/monitor.md comes
from the one table of kernel/monitor/commands.h (MONITOR_COMMANDS).

    monitor-commands.py --check docs/monitor.md   exit 1 if the doc's table differs
    monitor-commands.py --write docs/monitor.md   write the table into the doc

The table sits between the lines BEGIN and END below; everything else in the
doc is left alone.
"""
import re
import sys

TABLE_H = "kernel/monitor/commands.h"
BEGIN = "<!-- monitor-commands: begin (tests/docs/monitor-commands.py writes this table from kernel/monitor/commands.h) -->"
END = "<!-- monitor-commands: end -->"
ENTRY = re.compile(r'^\s+X\((\w+),\s*(\d+),\s*(\d+),\s*"([^"]*)",\s*"([^"]*)"\)', re.M)


def table():
    with open(TABLE_H) as f:
        rows = ENTRY.findall(f.read())
    if not rows:
        sys.exit("monitor-commands.py: no X(...) entries in " + TABLE_H)
    lines = ["| command | arguments | what it does |", "| --- | --- | --- |"]
    for name, _lo, _hi, usage, text in rows:
        lines.append("| `%s` | %s | %s |" % (name, "`%s`" % usage.replace("|", "\\|") if usage else "none", text))
    return "\n".join(lines)


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("--check", "--write"):
        sys.exit(__doc__)
    mode, path = sys.argv[1:]
    with open(path) as f:
        doc = f.read()
    m = re.search(re.escape(BEGIN) + r"\n(.*?)\n?" + re.escape(END), doc, re.S)
    if not m:
        sys.exit("monitor-commands.py: %s has no table between the marker lines" % path)
    want = table()
    if mode == "--write":
        with open(path, "w") as f:
            f.write(doc[:m.start(1)] + want + "\n" + doc[m.end(1):].lstrip("\n"))
        return
    if m.group(1).strip() != want:
        print("monitor-commands.py: %s's command table differs from %s; run\n"
              "  python3 tests/docs/monitor-commands.py --write %s\nwant:\n%s" % (path, TABLE_H, path, want))
        sys.exit(1)
    print("ok: %s lists the %d commands of %s" % (path, want.count("\n") - 1, TABLE_H))


main()
