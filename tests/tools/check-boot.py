#!/usr/bin/env python3
"""check-boot.py LOG IMG - check the tools' output in a serial log (tests/tools/boot.sh).

The script (tests/tools/tools.sh) frames each run with "== ARGS" and
"== end ARGS (exit N)". Each tool's output is held against what does not
come from the tool: the kernel's own lines in the same log, and the image.
Prints one line per check; exits 1 when any fails.
"""
import re
import struct
import sys

failures = []


def check(ok, what):
    print(("ok     " if ok else "FAILED ") + what)
    if not ok:
        failures.append(what)


def sections(text):
    """{"ARGS": (lines, exit status)} for every "== ARGS" ... "== end ARGS (exit N)"."""
    out, name, lines = {}, None, []
    for line in text.splitlines():
        m = re.match(r"^== end (.*) \(exit (\d+)\)$", line)
        if m and name == m.group(1):
            out[name] = ([l for l in lines if not l.startswith("[")], int(m.group(2)))
            name = None
        elif line.startswith("== ") and name is None:
            name, lines = line[3:], []
        elif name is not None:
            lines.append(line)
    return out


def partitions(img):
    """The sizes in bytes of the image's disk and of its partitions, in table order (MBR or GPT)."""
    with open(img, "rb") as f:
        data = f.read(34 * 512)
        f.seek(0, 2)
        disk = f.tell()
    entries = [struct.unpack_from("<B3xBxxxII", data, 446 + 16 * i) for i in range(4)]
    if entries[0][1] == 0xEE:                     # a protective MBR: the GPT's entries
        first_lba, count, size = struct.unpack_from("<QII", data, 512 + 72)
        with open(img, "rb") as f:
            f.seek(first_lba * 512)
            table = f.read(count * size)
        sizes = []
        for i in range(count):
            e = table[i * size:(i + 1) * size]
            if e[:16] != bytes(16):
                first, last = struct.unpack_from("<QQ", e, 32)
                sizes.append((last - first + 1) * 512)
        return disk, sizes
    return disk, [e[3] * 512 for e in entries if e[1] != 0]


def check_bootinfo(out, log):
    logged = re.search(r"^bootinfo: (.*)$", log, re.M)
    check(logged is not None, "the kernel logged its bootinfo line")
    if not logged:
        return
    fields = dict(re.findall(r'(\w+)=("[^"]*"|\S+)', logged.group(1)))
    name, version = fields["loader"].split("/", 1)
    expect = [
        "firmware      " + fields["firmware"],
        "loader        %s %s" % (name, version),
        "memory        %.1f MiB usable (%s KiB)" % (int(fields["mem_usable_kib"]) / 1024, fields["mem_usable_kib"]),
        "memory map    %s entries" % fields["mem_entries"],
        "framebuffer   " + fields["fb"],
        "ACPI RSDP     " + fields["rsdp"],
        "kernel        loaded at physical " + fields["kernel_phys"],
        "command line  " + fields["cmdline"].strip('"'),
    ]
    check(out[:len(expect)] == expect, "bootinfo shows the logged bootinfo line's fields: %s" % out[:len(expect)])


def check_timeline(out, log):
    rows = re.findall(r"^timeline: (.+?)\s+(\d+) ticks\s+(\d+) us  \(at (\d+) us\)$", log, re.M)
    shown = [l for l in out if l.startswith("  ")]
    check(len(rows) > 10 and len(shown) == len(rows), "timeline shows %d rows, the kernel logged %d" % (len(shown), len(rows)))
    for (name, _, us, at), line in zip(rows, shown):
        want = "  %-24s %10.3f %10.3f" % (name, int(us) / 1000, int(at) / 1000)
        if not line.startswith(want):
            check(False, "timeline row %r, the log says %r" % (line, want))
            return
    check(True, "each timeline row's name, time and start equal the logged row's")
    longest = max(int(r[2]) for r in rows)
    bars = [l for l in shown if l.endswith("#" * 40)]
    check(len(bars) >= 1, "the longest step (%d us) has the full bar" % longest)


def check_lspci(numeric, named, log):
    logged = re.findall(r"^\[pci\] (\w\w:\w\w\.\w) (\w{4}):(\w{4}) class (\w\w)\.(\w\w)\.\w\w (\S+)$", log, re.M)
    want = ["%s %s%s: %s:%s" % (bdf, c, s, v, d) for bdf, v, d, c, s, _ in logged]
    got = [re.sub(r" \(rev \w\w\)$", "", l) for l in numeric]
    check(len(want) > 0 and sorted(got) == sorted(want), "lspci -n lists the kernel's [pci] functions: %s" % got)
    for bdf, v, d, c, s, driver in logged:
        i = next((i for i, l in enumerate(named) if l.startswith(bdf + " ")), None)
        ok = i is not None and ("[%s:%s]" % (v, d)) in named[i] and "Device " not in named[i]
        if driver != "-":
            ok = ok and i + 1 < len(named) and named[i + 1] == "\tKernel driver in use: " + driver
        check(ok, "lspci -k names %s (%s:%s) and its driver %s" % (bdf, v, d, driver))


def check_lsblk(out, img):
    disk, parts = partitions(img)
    rows = [l.split() for l in out[1:]]
    sizes = [int(r[2]) for r in rows if len(r) >= 4]
    check(len(sizes) == 1 + len(parts) and sizes[0] == disk and sizes[1:] == parts,
          "lsblk -b gives the disk %d bytes and the partitions %s; it shows %s" % (disk, parts, sizes))
    check(rows[0][3] == "disk" and all(r[3] == "part" for r in rows[1:]), "lsblk: one disk, its partitions under it")


def check_free(out, log):
    managed = re.search(r"^\[mm\] frames: (\d+) MiB managed", log, re.M)
    mem = out[1].split() if len(out) > 1 else []
    ok = managed and len(mem) == 7 and mem[0] == "Mem:" and abs(int(mem[1]) // 1024 - int(managed.group(1))) <= 1
    check(bool(ok), "free's total is the allocator's %s MiB managed: %s" % (managed and managed.group(1), mem))
    check(bool(ok) and int(mem[2]) + int(mem[3]) + int(mem[5]) == int(mem[1]), "free: used + free + buff/cache = total")


def check_ps(out):
    rows = [l.split(None, 6) for l in out[1:]]
    check(any(r[0] == "1" and r[1] == "0" and r[6] == "/bin/sh /boot/boot/tools.sh" for r in rows),
          "ps shows the script's own process, pid 1, with its arguments")
    check(any(r[1] == "1" and r[3] == "R" and r[6] == "/bin/ps" for r in rows), "ps shows itself running, child of pid 1")


def check_ctty(out):
    rows = [l.split(None, 6) for l in out[1:]]
    check(any(r[4] == "ttyS0" and r[6] == "/bin/ps" for r in rows),
          "ps under setsid -c shows its controlling terminal, ttyS0 (/proc/N/stat's tty_nr)")


def check_top(out, smp):
    frames = [l for l in out if l.startswith("top - up ")]
    cpus = [l for l in out if re.match(r"^cpu\d+ +\d+\.\d% \[#* *\]$", l)]
    check(len(frames) == 2, "top -n 2 gave 2 frames")
    check(len(cpus) == 2 * smp, "top shows each of the %d CPUs in each frame (%d lines)" % (smp, len(cpus)))
    check(sum(" /bin/top -b -n 2" in l for l in out) == 2, "top lists itself in each frame")


def check_dmesg(errwarn, info, log):
    check(all(re.match(r"^(err|warn) +\[", l) for l in errwarn), "dmesg -l err,warn shows only err and warn lines")
    logged = re.search(r"^bootinfo: .*$", log, re.M)
    check(logged is not None and any(re.match(r"^info +\[ *\d+\.\d{6}\] ", l) and l.endswith("] " + logged.group(0))
                                     for l in info), "dmesg -l info holds the logged bootinfo line")
    pci = len(re.findall(r"^\[pci\] \w\w:", log, re.M))
    check(sum(" [pci] " in l and re.search(r"\] \[pci\] \w\w:", l) is not None for l in info) == pci,
          "dmesg -l info holds every [pci] function line (%d)" % pci)


def main():
    log_path, img = sys.argv[1], sys.argv[2]
    log = open(log_path, errors="replace").read().replace("\r", "")
    smp = int(re.search(r"^smp: (\d+) CPUs? online", log, re.M).group(1)) if re.search(r"^smp: \d+ CPU", log, re.M) else 1
    s = sections(log)
    for name in ("bootinfo", "timeline", "lspci -n", "lspci -k", "lsblk -b", "free", "ps",
                 "top -b -n 2 -d 0.2 -m 5", "dmesg -l err,warn", "dmesg -l info", "setsid -c ps"):
        check(name in s and s[name][1] == 0, "%s ran and exited 0" % name)
        if name not in s:
            s[name] = ([], 1)
    check_bootinfo(s["bootinfo"][0], log)
    check_timeline(s["timeline"][0], log)
    check_lspci(s["lspci -n"][0], s["lspci -k"][0], log)
    check_lsblk(s["lsblk -b"][0], img)
    check_free(s["free"][0], log)
    check_ps(s["ps"][0])
    check_ctty(s["setsid -c ps"][0])
    check_top(s["top -b -n 2 -d 0.2 -m 5"][0], smp)
    check_dmesg(s["dmesg -l err,warn"][0], s["dmesg -l info"][0], log)
    print("check-boot: %d failed" % len(failures))
    sys.exit(1 if failures else 0)


main()
