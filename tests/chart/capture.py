#!/usr/bin/python3
"""capture.py - boot one image in QEMU and stamp each serial line with the
host's clock (make chart, docs/boot-chart.md).

    capture.py --img IMG --firmware bios|uefi --machine pc|q35 --disk ide|ahci
               --out LOG [--mem MIB] [--smp N] [--timeout S]

LOG gets one line per serial line: milliseconds since QEMU was started (the
host's monotonic clock, read as each line arrives through a pipe), a tab,
the line. The boot ends at the kernel's "kernel: nothing more to do yet;
..." line, the last before /sbin/init starts (the default boot.cfg asks for
no tests; docs/userland.md): QEMU is then stopped.
The disk is opened with snapshot=on, so the image is never written and
needs no copy. Exit status 1 (with the log kept) when QEMU ends first or
the time limit passes.

Rules: one boot per call, on one host CPU's worth of work (TCG, -smp 2 by
default so "other CPUs" has one to start); nothing here reads the guest's
clock: the TSC timeline is in the log itself (timeline.py).
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

OVMF_CODE = "/usr/share/OVMF/OVMF_CODE_4M.fd"
OVMF_VARS = "/usr/share/OVMF/OVMF_VARS_4M.fd"
DONE = "kernel: nothing more to do yet; "   # then "halting", or "/sbin/init takes over"
# The disk controllers, as tests/qemu/boot.sh wires them.
DISKS = {
    "ide": ["-device", "ide-hd,drive=d0,bus=ide.0,unit=0"],
    "ahci": ["-device", "ahci,id=ahci0", "-device", "ide-hd,drive=d0,bus=ahci0.0"],
}
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def qemu_args(opt, vars_copy):
    args = ["qemu-system-x86_64", "-accel", "tcg", "-machine", opt.machine,
            "-m", str(opt.mem), "-smp", str(opt.smp), "-nic", "none", "-no-reboot",
            "-display", "none", "-monitor", "none", "-serial", "stdio",
            "-drive", "if=none,id=d0,format=raw,snapshot=on,file=" + opt.img]
    args += DISKS[opt.disk]
    if opt.firmware == "uefi":
        args += ["-drive", "if=pflash,format=raw,readonly=on,file=" + OVMF_CODE,
                 "-drive", "if=pflash,format=raw,file=" + vars_copy]
    return args


def stamp_lines(proc, out, timeout, t0):
    """Copy QEMU's serial lines to out with their host time; True at DONE."""
    pending = b""
    fd = proc.stdout.fileno()
    while time.monotonic() - t0 < timeout:
        chunk = os.read(fd, 4096)
        now_ms = (time.monotonic() - t0) * 1000
        if not chunk:
            return False
        pending += chunk
        while b"\n" in pending:
            raw, pending = pending.split(b"\n", 1)
            line = ANSI.sub("", raw.decode("utf-8", "replace")).rstrip("\r")
            out.write("%.3f\t%s\n" % (now_ms, line))
            if line.startswith(DONE):
                return True
    return False


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--img", required=True)
    ap.add_argument("--firmware", choices=["bios", "uefi"], required=True)
    ap.add_argument("--machine", choices=["pc", "q35"], required=True)
    ap.add_argument("--disk", choices=sorted(DISKS), required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--mem", type=int, default=0)
    ap.add_argument("--smp", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=120)
    opt = ap.parse_args()
    opt.mem = opt.mem or (256 if opt.firmware == "uefi" else 128)
    with tempfile.TemporaryDirectory() as tmp:
        vars_copy = os.path.join(tmp, "vars.fd")
        if opt.firmware == "uefi":
            shutil.copy(OVMF_VARS, vars_copy)
        with open(opt.out, "w") as out:
            t0 = time.monotonic()
            proc = subprocess.Popen(qemu_args(opt, vars_copy), stdin=subprocess.DEVNULL,
                                    stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
            try:
                ok = stamp_lines(proc, out, opt.timeout, t0)
            finally:
                proc.kill()
                proc.wait()
    if not ok:
        sys.exit("capture: %s did not reach %r within %g s (log: %s)"
                 % (opt.img, DONE, opt.timeout, opt.out))


if __name__ == "__main__":
    main()
