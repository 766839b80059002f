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
import json
import socket
import sys
import time

GREY = b"\x98\x98\x98"


def qmp(path, deadline):
    while True:
        try:
            s = socket.socket(socket.AF_UNIX)
            s.connect(path)
            return s.makefile("rw")
        except OSError:
            if time.time() > deadline:
                raise
            time.sleep(0.1)


def execute(f, cmd, args=None):
    msg = {"execute": cmd}
    if args:
        msg["arguments"] = args
    f.write(json.dumps(msg) + "\n")
    f.flush()
    while True:
        reply = json.loads(f.readline())
        if "return" in reply or "error" in reply:
            return reply


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
    f = qmp(sock, deadline)
    f.readline()
    execute(f, "qmp_capabilities")
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
    reply = execute(f, "screendump", {"filename": out})
    if "error" in reply:
        print("uefi-screen-lines: screendump failed:", reply["error"])
        return 1
    time.sleep(0.2)
    print(text_lines(open(out, "rb").read()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
