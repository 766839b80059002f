#!/usr/bin/env python3
# vt-keys.py - the virtual consoles from the keyboard: Alt+F1..F4 and typing, seen on the screen.
#
#   vt-keys.py IMG LOG [boot.sh options...]
#
# Boots IMG (tests/qemu/boot.sh) with cmdline "keylog" and a QMP socket beside LOG, waits for the
# kernel's last line, then presses keys on the PS/2 keyboard (QMP send-key) and after each step
# reads screendumps (PNG) until the screen shows what the step expects (at most STEP_TIMEOUT s; the
# same again 0.3 s later, so a late extra glyph is caught): which 8x16 cells of the 1024x768
# screen hold a glyph (tests/screens/cells.py, as make screens does; the cursor's scanlines are not
# a glyph):
#   Alt+F2, "hello!"   tty2 shown: one text row, six glyphs (the tty's echo of what was typed)
#   Alt+F1             tty1 shown again: the boot's lines, at least MIN_LOG_ROWS text rows
#   Alt+F3             tty3: nothing typed there, no text
#   Alt+F2             tty2 again, with what it had (each console keeps its own screen)
# Needs the input layer (drivers/input/) and the terminals (kernel/tty/): tests/cases.sh adds the
# cases only when they are in the tree.
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "screens"))
from cells import Geometry, cells_read    # noqa: E402
from png import png_read                  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from qmp_client import Qmp                # noqa: E402

BOOT_TIMEOUT = 90       # seconds: TCG on a loaded host
STEP_TIMEOUT = 10       # seconds for a step's screen
MIN_LOG_ROWS = 40
GEOMETRY = Geometry(8, 16, 128, 48, cursor=True)
HELLO_ROW = "######" + "." * 122


def wait_for(log, text, timeout):
    end = time.time() + timeout
    while time.time() < end:
        if os.path.exists(log) and text in open(log, errors="replace").read():
            return True
        time.sleep(0.1)
    return False


class Keyboard(Qmp):
    """Qmp whose keys are held 10 ms and followed by 50 ms: its events out before the next one's."""

    def keys(self, *qcodes):
        super().keys(*qcodes, hold_ms=10)
        time.sleep(0.05)


def text_rows(qmp, path):
    """The screen's rows of '#'/'.', empty rows left out."""
    qmp.cmd("screendump", {"filename": path, "format": "png"})
    return [r for r in cells_read(png_read(path), GEOMETRY).rows if "#" in r]


def rows_until(qmp, path, good):
    """The screen's text rows once good(rows) holds and still holds 0.3 s later, or the last
    ones read when STEP_TIMEOUT s passed first."""
    end = time.monotonic() + STEP_TIMEOUT
    while True:
        rows = text_rows(qmp, path)
        if good(rows):
            time.sleep(0.3)
            rows = text_rows(qmp, path)
            if good(rows):
                return rows
        if time.monotonic() > end:
            return rows
        time.sleep(0.1)


def main():
    img, log = sys.argv[1], sys.argv[2]
    sock = log + ".qmp"
    for f in (log, sock):
        if os.path.exists(f):
            os.remove(f)
    boot = subprocess.Popen(["sh", os.path.join(os.path.dirname(__file__), "boot.sh"), "--img", img,
                             "--log", log, "--cmdline", "keylog", "--timeout", str(BOOT_TIMEOUT),
                             "--qemu", "-qmp unix:%s,server=on,wait=off" % sock] + sys.argv[3:])
    failures = []
    try:
        if not wait_for(log, "kernel: nothing more to do yet", BOOT_TIMEOUT):
            raise RuntimeError("the kernel did not reach its last line; see " + log)
        qmp = Keyboard(sock)
        shot = log + ".%d.png"
        qmp.keys("alt", "f2")
        for k in "hello":
            qmp.keys(k)
        qmp.keys("shift", "1")
        rows = rows_until(qmp, shot % 1, lambda rows: rows == [HELLO_ROW])
        if rows != [HELLO_ROW]:
            failures.append("Alt+F2, hello!: expected one row %s, the screen has %s" % (HELLO_ROW, rows))
        qmp.keys("alt", "f1")
        rows = rows_until(qmp, shot % 2, lambda rows: len(rows) >= MIN_LOG_ROWS)
        if len(rows) < MIN_LOG_ROWS:
            failures.append("Alt+F1: tty1's log expected (%d rows or more), the screen has %d text rows"
                            % (MIN_LOG_ROWS, len(rows)))
        qmp.keys("alt", "f3")
        rows = rows_until(qmp, shot % 3, lambda rows: not rows)
        if rows:
            failures.append("Alt+F3: an empty tty3 expected, the screen has %s" % rows)
        qmp.keys("alt", "f2")
        rows = rows_until(qmp, shot % 4, lambda rows: rows == [HELLO_ROW])
        if rows != [HELLO_ROW]:
            failures.append("Alt+F2 again: tty2's row %s expected, the screen has %s" % (HELLO_ROW, rows))
        qmp.cmd("quit")
    except (OSError, RuntimeError, ValueError) as e:
        failures.append(str(e))
    finally:
        try:
            boot.wait(timeout=30)
        except subprocess.TimeoutExpired:
            boot.kill()
    for f in failures:
        print("FAIL: term: keys: " + f)
    if not failures:
        print("ok: term: keys: Alt+F2 showed tty2 with the echo of hello!, Alt+F1 tty1's log, "
              "Alt+F3 an empty tty3, Alt+F2 tty2 as it was")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
