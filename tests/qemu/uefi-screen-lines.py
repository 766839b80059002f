#!/usr/bin/env python3
# uefi-screen-lines.py - how many text lines OVMF's console shows when the
# UEFI loader gives up (tests/qemu/bad-input.sh).
#
#   uefi-screen-lines.py QMP_SOCKET SERIAL_LOG OUT_PPM
#
# Waits (up to 90 s) for "uefi: giving up" in the serial log, takes QEMU's
# screendump through QMP during the loader's pause, and prints the number of
# text lines on it: runs of pixel rows holding OVMF's text grey (0x989898,
# EFI_LIGHTGRAY on its graphics console). A failing loader shows its whole
# log there (bootloader-uefi/console.c, console_screens_live), so the count
# is at least its number of "uefi:" lines; a loader that leaves the screens
# alone shows only the firmware's own lines.
import importlib.util
import os
import sys
import time

GREY = b"\x98\x98\x98"


def qmp_machine():
    """tests/qemu/qmp-machine.py as a module: its execute() and the socket helper it uses."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "qmp-machine.py")
    spec = importlib.util.spec_from_file_location("qmp_machine", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def text_lines(ppm):
    head = ppm.split(b"\n", 3)
    width, height = map(int, head[1].split())
    pixels = head[3]
    lines, inside = 0, False
    for y in range(height):
        row = pixels[y * width * 3:(y + 1) * width * 3]
        has = any(row[x:x + 3] == GREY for x in range(0, width * 3, 3))
        lines += has and not inside
        inside = has
    return lines


def main():
    sock, serial, out = sys.argv[1:4]
    deadline = time.time() + 90
    qm = qmp_machine()
    s = qm.serial_type().connect(sock, 90)          # waits for QEMU's socket to appear
    f = s.makefile("rw")
    f.readline()                                    # the greeting
    qm.execute(f, "qmp_capabilities")               # exits with the error on a refused command
    while time.time() < deadline:
        try:
            if b"uefi: giving up" in open(serial, "rb").read():
                break
        except OSError:
            pass
        time.sleep(0.1)
    else:
        print("uefi-screen-lines: the loader never gave up")
        return 1
    qm.execute(f, "screendump", {"filename": out})
    time.sleep(0.2)
    print(text_lines(open(out, "rb").read()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
