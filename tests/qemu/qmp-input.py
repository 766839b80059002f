#!/usr/bin/env python3
# qmp-input.py - type on the guest's PS/2 keyboard and move its PS/2 mouse through QEMU's QMP,
# and check the events the kernel decoded ("keylog" lines on serial, drivers/input/keylog.c).
#
#   qmp-input.py IMG LOG SCRIPT [boot.sh options...]
#
# Boots IMG (tests/qemu/boot.sh) with cmdline "keylog" plus what SCRIPT asks (keymap=de,
# i8042.direct) and a QMP socket beside LOG, waits for the kernel's last line, then runs the
# steps of SCRIPT: each sends keys (QMP send-key: the keys go down in order and up in reverse)
# or events (input-send-event: key, rel, btn), then waits until the serial log has the lines the
# step expects, in that order, after the previous step's lines. The expected lines come from
# Linux's evdev codes and console keymaps (docs/input.md), not from the kernel's own tables.
# SCRIPT is one of: us, de (the keymaps), mouse, direct (the keyboard with the 8042's
# translation off: set 2 decoded), bench (by hand, with --icount: prints the kernel's
# "bench: kbd_irq_to_input_report" lines, the instructions from IRQ 1's handler to input_report). A step that sees no matching line within STEP_TIMEOUT fails
# the case with the lines that did come.
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time

STEP_TIMEOUT = 20       # seconds: TCG on a loaded host


def key_line(key, value, mods="none", text=None):
    line = "[input] key %s %s mods=%s" % (key, value, mods)
    return line + (' text="%s"' % text if text is not None else "")


def tap(key, mods="none", text=None):
    """A key pressed and let go, without modifiers."""
    return [key_line(key, "down", mods, text), key_line(key, "up", mods)]


def press(qcodes):
    return ("send-key", {"keys": [{"type": "qcode", "data": q} for q in qcodes]})


def events(*evs):
    return ("input-send-event", {"events": list(evs)})


def key_ev(qcode, down):
    return {"type": "key", "data": {"down": down, "key": {"type": "qcode", "data": qcode}}}


def btn(button, down):
    return {"type": "btn", "data": {"down": down, "button": button}}


def rel(axis, value):
    return {"type": "rel", "data": {"axis": axis, "value": value}}


def held_q(mods):
    """Typematic repeat: the make code again while the key is held."""
    return [(events(key_ev("q", True)), [key_line("KEY_Q", "down", mods, "q")]),
            (events(key_ev("q", True)), [key_line("KEY_Q", "repeat", mods, "q")]),
            (events(key_ev("q", False)), [key_line("KEY_Q", "up", mods)])]


US = [
    (press(["a"]), tap("KEY_A", text="a")),
    (press(["shift", "a"]), [key_line("KEY_LEFTSHIFT", "down", "shift"),
                             key_line("KEY_A", "down", "shift", "A"),
                             key_line("KEY_A", "up", "shift"), key_line("KEY_LEFTSHIFT", "up")]),
    (press(["shift_r", "1"]), [key_line("KEY_1", "down", "shift", "!")]),
    (press(["ctrl", "c"]), [key_line("KEY_C", "down", "ctrl", "\\x03")]),
    (press(["alt", "x"]), [key_line("KEY_X", "down", "alt", "\\x1bx")]),
    (press(["ret"]), tap("KEY_ENTER", text="\\x0d")),
    (press(["backspace"]), tap("KEY_BACKSPACE", text="\\x7f")),
    # extended keys (E0 prefix)
    (press(["up"]), tap("KEY_UP", text="\\x1b[A")),
    (press(["left"]), tap("KEY_LEFT", text="\\x1b[D")),
    (press(["home"]), tap("KEY_HOME", text="\\x1b[1~")),
    (press(["end"]), tap("KEY_END", text="\\x1b[4~")),
    (press(["pgup"]), tap("KEY_PAGEUP", text="\\x1b[5~")),
    (press(["delete"]), tap("KEY_DELETE", text="\\x1b[3~")),
    (press(["kp_enter"]), tap("KEY_KPENTER", text="\\x0d")),
    (press(["kp_divide"]), tap("KEY_KPSLASH", text="/")),
    (press(["ctrl_r"]), [key_line("KEY_RIGHTCTRL", "down", "ctrl"), key_line("KEY_RIGHTCTRL", "up")]),
    (press(["meta_l"]), [key_line("KEY_LEFTMETA", "down", "meta"), key_line("KEY_LEFTMETA", "up")]),
    (press(["f1"]), tap("KEY_F1", text="\\x1b[[A")),
    (press(["f12"]), tap("KEY_F12", text="\\x1b[24~")),
    # Pause: one sequence on press, nothing on release (E1 ...)
    (press(["pause"]), [key_line("KEY_PAUSE", "down"), key_line("KEY_PAUSE", "up")]),
    # the locks and their LEDs (ED, acknowledged by QEMU's keyboard)
    (press(["caps_lock"]), [key_line("KEY_CAPSLOCK", "down", "caps"),
                            "[input] leds 0x4 acked (caps=on num=off scroll=off)"]),
    (press(["b"]), tap("KEY_B", "caps", "B")),
    (press(["shift", "b"]), [key_line("KEY_B", "down", "shift+caps", "b")]),
    (press(["caps_lock"]), [key_line("KEY_CAPSLOCK", "down"), "[input] leds 0x0 acked (caps=off num=off scroll=off)"]),
    (press(["kp_7"]), tap("KEY_KP7", text="\\x1b[1~")),
    (press(["num_lock"]), [key_line("KEY_NUMLOCK", "down", "num"), "[input] leds 0x2 acked (caps=off num=on scroll=off)"]),
    (press(["kp_7"]), tap("KEY_KP7", "num", "7")),
    (press(["scroll_lock"]), [key_line("KEY_SCROLLLOCK", "down", "num+scroll"), "[input] leds 0x3 acked (caps=off num=on scroll=on)"]),
] + held_q("num+scroll")

DE = [
    (press(["y"]), tap("KEY_Y", text="z")),
    (press(["z"]), tap("KEY_Z", text="y")),
    (press(["alt_r", "q"]), [key_line("KEY_RIGHTALT", "down", "altgr"),
                             key_line("KEY_Q", "down", "altgr", "@")]),
    (press(["alt_r", "7"]), [key_line("KEY_7", "down", "altgr", "{")]),
    (press(["shift", "2"]), [key_line("KEY_2", "down", "shift", '\\"')]),
    (press(["shift", "7"]), [key_line("KEY_7", "down", "shift", "/")]),
    (press(["semicolon"]), tap("KEY_SEMICOLON", text="ö")),
    (press(["shift", "apostrophe"]), [key_line("KEY_APOSTROPHE", "down", "shift", "Ä")]),
    (press(["minus"]), tap("KEY_MINUS", text="ß")),
    (press(["less"]), tap("KEY_102ND", text="<")),
    (press(["alt_r", "less"]), [key_line("KEY_102ND", "down", "altgr", "|")]),
    (press(["slash"]), tap("KEY_SLASH", text="-")),
    (press(["caps_lock"]), [key_line("KEY_CAPSLOCK", "down", "caps")]),
    (press(["bracket_left"]), tap("KEY_LEFTBRACE", "caps", "Ü")),
]

MOUSE = [
    (events(rel("x", 5), rel("y", -3)), ["[input] rel x=5", "[input] rel y=-3"]),
    (events(rel("x", -100)), ["[input] rel x=-100"]),
    (events(rel("y", 40)), ["[input] rel y=40"]),
    (events(btn("left", True)), ["[input] btn BTN_LEFT down"]),
    (events(btn("left", False)), ["[input] btn BTN_LEFT up"]),
    (events(btn("right", True), btn("middle", True)),
     ["[input] btn BTN_RIGHT down", "[input] btn BTN_MIDDLE down"]),
    (events(btn("right", False), btn("middle", False)),
     ["[input] btn BTN_RIGHT up", "[input] btn BTN_MIDDLE up"]),
    (events(btn("side", True)), ["[input] btn BTN_SIDE down"]),
    (events(btn("side", False), btn("extra", True)),
     ["[input] btn BTN_SIDE up", "[input] btn BTN_EXTRA down"]),
    (events(btn("extra", False)), ["[input] btn BTN_EXTRA up"]),
    (events(btn("wheel-up", True), btn("wheel-up", False)), ["[input] rel wheel=1"]),
    (events(btn("wheel-down", True), btn("wheel-down", False)), ["[input] rel wheel=-1"]),
    (events(btn("left", True), rel("x", 7)), ["[input] btn BTN_LEFT down", "[input] rel x=7"]),
]

# The 8042's translation off: the keyboard's set 2 arrives as it is.
DIRECT = US[:2] + US[7:20] + held_q("none")

SCRIPTS = {
    "us": ("keylog keymap=us", US, "^\\[input\\] i8042: keyboard on port 1 \\(set 2, translated"),
    "de": ("keylog keymap=de", DE, "^\\[input\\] keymap de$"),
    "mouse": ("keylog", MOUSE,
              "mouse on port 2 \\(IntelliMouse Explorer, 5 buttons\\)$"),
    "direct": ("keylog i8042.direct", DIRECT, "keyboard on port 1 \\(set 2, id ab83\\)"),
    # by hand, with --icount: the driver's instructions per key event (ps2kbd.c, bench=input)
    "bench": ("keylog bench=input", US[:2] + US[7:14], "keyboard on port 1"),
}
READY = "kernel: nothing more to do yet; keylog"


class Log:
    """The serial log, read as it grows; lines are matched after a position."""

    def __init__(self, path):
        self.path, self.pos = path, 0

    def lines(self):
        with open(self.path, "rb") as f:
            return [l.decode("utf-8", "replace").rstrip("\r") for l in f.read().split(b"\n")]

    def expect(self, wanted, timeout):
        """Each wanted line, in order, after self.pos; None, or what was missing."""
        end = time.time() + timeout
        while True:
            lines, pos, missing = self.lines(), self.pos, None
            for w in wanted:
                while pos < len(lines) and lines[pos] != w:
                    pos += 1
                if pos == len(lines):
                    missing = w
                    break
                pos += 1
            if missing is None:
                self.pos = pos
                return None
            if time.time() > end:
                return missing
            time.sleep(0.1)


class Qmp:
    def __init__(self, path):
        self.s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.s.settimeout(10)
        self.s.connect(path)
        self.f = self.s.makefile("rw")
        json.loads(self.f.readline())
        self.run("qmp_capabilities", {})

    def run(self, cmd, args):
        self.f.write(json.dumps({"execute": cmd, "arguments": args}) + "\n")
        self.f.flush()
        while True:
            reply = json.loads(self.f.readline())
            if "return" in reply:
                return reply["return"]
            if "error" in reply:
                sys.exit("qmp-input.py: %s: %s" % (cmd, reply["error"]))


def wait_for(pred, timeout, what, boot):
    end = time.time() + timeout
    while not pred():
        if boot.poll() is not None:
            sys.exit("qmp-input.py: QEMU ended before %s" % what)
        if time.time() > end:
            sys.exit("qmp-input.py: no %s in %d s" % (what, timeout))
        time.sleep(0.1)


def main():
    if len(sys.argv) < 4 or sys.argv[3] not in SCRIPTS:
        sys.exit("usage: qmp-input.py IMG LOG us|de|mouse|direct|bench [boot.sh options...]")
    img, log_path, name, rest = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
    cmdline, steps, found_re = SCRIPTS[name]
    sock = log_path + ".qmp"
    here = os.path.dirname(os.path.abspath(__file__))
    extra = ""
    if "--qemu" in rest:
        i = rest.index("--qemu")
        extra = rest[i + 1]
        del rest[i:i + 2]
    for p in (sock, log_path):
        if os.path.exists(p):
            os.unlink(p)
    boot = subprocess.Popen(["sh", os.path.join(here, "boot.sh"), "--img", img, "--log", log_path,
                             "--cmdline", cmdline, "--timeout", "600"] + rest +
                            ["--qemu", "-qmp unix:%s,server=on,wait=off %s" % (sock, extra)],
                            start_new_session=True)
    try:
        log = Log(log_path)
        wait_for(lambda: os.path.exists(log_path) and any(READY in l for l in log.lines()),
                 300, "'%s' line" % READY, boot)
        if not any(re.search(found_re, l) for l in log.lines()):
            sys.exit("qmp-input.py: no line matching %s" % found_re)
        log.pos = len(log.lines()) - 1
        qmp = Qmp(sock)
        for i, ((cmd, args), wanted) in enumerate(steps):
            qmp.run(cmd, args)
            missing = log.expect(wanted, STEP_TIMEOUT)
            if missing is not None:
                got = [l for l in log.lines()[log.pos:] if l.startswith("[input]")]
                sys.exit("qmp-input.py: step %d (%s %s): no line %r after the last step's; got:\n%s"
                         % (i + 1, cmd, json.dumps(args), missing, "\n".join(got[-12:])))
        print("ok: %d steps of %s, each decoded as expected" % (len(steps), name))
        for l in log.lines():
            if l.startswith("bench: "):
                print(l)
        qmp.run("quit", {})
    finally:
        if boot.poll() is None:
            time.sleep(1)
        if boot.poll() is None:
            os.killpg(boot.pid, signal.SIGTERM)     # boot.sh and its QEMU
        boot.wait()
        if os.path.exists(sock):
            os.unlink(sock)


main()
