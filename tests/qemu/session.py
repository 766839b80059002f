#!/usr/bin/env python3
# session.py - a person's session with root's login shell (tsh) on Tessera's own terminals,
# from the normal boot (/sbin/init, /etc/passwd) to the end (docs/userland.md).
#
#   session.py MODE IMG LOG [boot.sh options...]
#     serial   COM1 as a unix socket (boot.sh --serial-socket): the steps' keys are typed as
#              the bytes a terminal sends; each step's answer is read from what ttyS0 writes.
#     keys     the PS/2 keyboard through QMP send-key, on tty1 (the screen's first console):
#              each step's answer is read from the screen itself, QEMU's screendump read
#              back as text (tests/qemu/session_screen.py, with the kernel's own font).
#
# The steps (STEPS below), the same in both modes: a pipeline with redirection; job control
# (sleep 100, ^Z, jobs, fg, ^C, the prompt back, $? 130; cat & stopped by SIGTTIN, then fg and
# a line typed to it, ^D; with stty tostop, echo & stopped by SIGTTOU, then fg); line editing
# (Left, Right, ^A, ^E, ^K, ^U, ^W, Delete, Backspace); history (Up, ^R); tab completion of a
# command and of a path; a here-document; a script starting #!/bin/tsh; busybox vi writing a file with :wq,
# then cat of it. A step passes when its output appears after its command; on the screen the
# command's row must also show the edited line as it was entered. Each step waits at most
# STEP_TIMEOUT s; the first that fails ends the case (exit 1) with what was seen.
import importlib.util
import os
import re
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from qmp_client import Qmp           # noqa: E402
from session_screen import Screen   # noqa: E402

BOOT_TIMEOUT = 150          # seconds to the first prompt: TCG on a loaded host
STEP_TIMEOUT = 30
PROMPT = "root@tessera:~# "
PS2 = "> "


class Step:
    """Keys to type; the command row the screen must show; the output that must follow."""

    def __init__(self, keys, shown, out, prompt=True, pause=0.0):
        self.keys, self.shown, self.out = keys, shown, out
        self.prompt = prompt            # the prompt that comes back after it: PS1 (True), PS2, or none
        self.pause = pause              # seconds to let a program start before the next step


# {name} is a key: enter, tab, esc, bs, del, up, down, left, right, or ^X (Ctrl+X).
STEPS = [
    Step("echo hi | tr a-z A-Z > /tmp/x; cat /tmp/x{enter}",
         "echo hi | tr a-z A-Z > /tmp/x; cat /tmp/x", r"^HI$"),
    # job control: ^Z stops the foreground job, jobs lists it, fg continues it, ^C ends it
    Step("sleep 100{enter}", "sleep 100", None, prompt=False, pause=2),
    Step("{^Z}", None, r"^\[1\]\+ +Stopped +sleep 100$"),
    Step("jobs{enter}", "jobs", r"^\[1\]\+? +Stopped +sleep 100$"),
    Step("fg{enter}", "fg", r"^sleep 100$", prompt=False, pause=2),
    Step("{^C}", None, None),
    Step("echo status $?{enter}", "echo status $?", r"^status 130$"),
    # a background job that reads the terminal is stopped by SIGTTIN; fg gives it the terminal
    Step("cat &{enter}", "cat &", r"^\[\d+\] \d+$", pause=1),
    Step("true{enter}", "true", None),
    Step("jobs{enter}", "jobs", r"^\[\d+\]\+? +Stopped +cat$"),
    Step("fg{enter}", "fg", r"^cat$", prompt=False, pause=0.5),
    Step("by hand{enter}", None, r"^by hand\nby hand$", prompt=False),
    Step("{^D}", None, None),
    # with TOSTOP, a background job's write to the terminal stops it with SIGTTOU
    Step("stty tostop; echo written later &{enter}", "stty tostop; echo written later &", r"^\[\d+\] \d+$",
         pause=1),
    Step("jobs{enter}", "jobs", r"^\[\d+\]\+? +Stopped +echo written later$"),
    Step("fg{enter}", "fg", r"^echo written later\nwritten later$"),
    Step("stty -tostop{enter}", "stty -tostop", None),
    # line editing: ^A, Delete, ^E, ^W, Left, ^K, Right, Backspace, ^U
    Step("xx echo abc def{^A}{del}{del}{del}{^E}{^W}ghi{enter}", "echo abc ghi", r"^abc ghi$"),
    Step("echo keep dropped{left}{left}{left}{left}{left}{left}{left}{^K}{left}{right}"
         "{bs}{enter}", "echo keep", r"^keep$"),
    Step("junk words{^U}echo clean{enter}", "echo clean", r"^clean$"),
    # history: Up brings the last line back, ^R finds an older one; each is then edited
    Step("{up} again{enter}", "echo clean again", r"^clean again$"),
    Step("{^R}abc{^E} too{enter}", "echo abc ghi too", r"^abc ghi too$"),
    # tab completion: a command (ech -> echo) and a path (/etc/hostn -> /etc/hostname)
    Step("ech{tab}completed{enter}", "echo completed", r"^completed$"),
    Step("cat /etc/hostn{tab}{enter}", "cat /etc/hostname", r"^tessera$"),
    # a here-document, with an expansion in its body
    Step("cat <<END{enter}", "cat <<END", None, prompt=PS2),
    Step("line $((6 * 7)){enter}", None, r"> line \$\(\(6 \* 7\)\)", prompt=PS2),
    Step("END{enter}", None, r"^line 42$"),
    # a script run through its #!/bin/tsh line
    Step("printf '#!/bin/tsh\\necho script $1 $((3 * 4))\\n' > /tmp/s; chmod +x /tmp/s; /tmp/s arg{enter}",
         "printf '#!/bin/tsh\\necho script $1 $((3 * 4))\\n' > /tmp/s; chmod +x /tmp/s; /tmp/s arg",
         r"^script arg 12$"),
    # busybox vi: insert a line, :wq, then cat shows it
    Step("vi /tmp/v{enter}", None, r"- /tmp/v \d+/\d+ \d+%", prompt=False, pause=1),
    Step("iwritten in vi{esc}:wq{enter}", None, None),
    Step("cat /tmp/v{enter}", "cat /tmp/v", r"^written in vi$"),
]

SERIAL_KEYS = {"enter": b"\r", "tab": b"\t", "esc": b"\x1b", "bs": b"\x7f", "del": b"\x1b[3~",
               "up": b"\x1b[A", "down": b"\x1b[B", "right": b"\x1b[C", "left": b"\x1b[D"}
QCODE_KEYS = {"enter": ["ret"], "tab": ["tab"], "esc": ["esc"], "bs": ["backspace"], "del": ["delete"],
              "up": ["up"], "down": ["down"], "right": ["right"], "left": ["left"]}
QCODE_CHARS = {" ": "spc", "-": "minus", "=": "equal", "[": "bracket_left", "]": "bracket_right",
               ";": "semicolon", "'": "apostrophe", "`": "grave_accent", "\\": "backslash",
               ",": "comma", ".": "dot", "/": "slash"}
QCODE_SHIFTED = {"!": "1", "@": "2", "#": "3", "$": "4", "%": "5", "^": "6", "&": "7", "*": "8",
                 "(": "9", ")": "0", "_": "minus", "+": "equal", "{": "bracket_left",
                 "}": "bracket_right", ":": "semicolon", '"': "apostrophe", "~": "grave_accent",
                 "|": "backslash", "<": "comma", ">": "dot", "?": "slash"}


def keys_split(keys):
    """The step's keys: ('char', c) and ('key', name) in order."""
    out, i = [], 0
    while i < len(keys):
        if keys[i] == "{":
            end = keys.index("}", i)
            out.append(("key", keys[i + 1:end]))
            i = end + 1
        else:
            out.append(("char", keys[i]))
            i += 1
    return out


def key_pause(key):
    """Seconds after a key: a lone Esc is told from an escape sequence by the pause after it
    (busybox vi waits 50 ms for the rest of a sequence), as a person's typing gives it."""
    return 0.3 if key == ("key", "esc") else 0.003


def serial_bytes(keys):
    """The bytes a terminal sends for KEYS (keys_split's pairs)."""
    data = b""
    for kind, k in keys:
        if kind == "char":
            data += k.encode()
        elif k.startswith("^"):
            data += bytes([ord(k[1].upper()) & 0x1f])
        else:
            data += SERIAL_KEYS[k]
    return data


def qcodes(kind, k):
    """The QMP send-key qcodes (pressed together) for one character or key."""
    if kind == "key":
        return ["ctrl", k[1].lower()] if k.startswith("^") else QCODE_KEYS[k]
    if k.isalpha():
        return ["shift", k.lower()] if k.isupper() else [k]
    if k.isdigit():
        return [k]
    if k in QCODE_CHARS:
        return [QCODE_CHARS[k]]
    return ["shift", QCODE_SHIFTED[k]]


class Failure(Exception):
    pass


class SerialTerminal:
    """ttyS0 through the socket: keys as bytes; answers searched in what came back since."""

    def __init__(self, path, transcript):
        spec = importlib.util.spec_from_file_location("serial_type", os.path.join(HERE, "serial-type.py"))
        st = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(st)
        self.session = st.Session(st.connect(path, BOOT_TIMEOUT), STEP_TIMEOUT, open(transcript, "wb"))

    def wait(self, what, regex, timeout):
        s, end = self.session, time.monotonic() + timeout
        pat = re.compile(regex, re.MULTILINE)
        while True:
            m = pat.search(s.text, s.pos)
            if m:
                s.pos = m.end()
                return
            if time.monotonic() > end or s.closed:
                raise Failure("%s: no match for %r within %d s; ttyS0 wrote last:\n%s"
                              % (what, regex, timeout, s.text[max(s.pos, len(s.text) - 800):]))
            s.receive(0.2)

    def ready(self):
        # The line editor draws the prompt, then ESC [ K, once it is in raw mode.
        self.wait("the first prompt", re.escape(PROMPT) + r"\x1b\[K", BOOT_TIMEOUT)

    def run(self, n, step):
        for key in keys_split(step.keys):       # a key at a time, as a person types
            self.session.send(n, serial_bytes([key]))
            time.sleep(key_pause(key))
        if step.shown is not None:
            self.wait("step %d: the command echoed" % n, re.escape(step.shown), STEP_TIMEOUT)
        if step.out is not None:
            self.wait("step %d: its output" % n, step.out, STEP_TIMEOUT)
        if step.prompt:
            ps = PS2 if step.prompt == PS2 else PROMPT
            self.wait("step %d: the prompt back" % n, re.escape(ps) + r"\x1b\[K$", STEP_TIMEOUT)


class ScreenTerminal:
    """tty1 through the keyboard: keys as QMP send-key; answers read from the screen."""

    def __init__(self, qmp, log):
        self.qmp, self.shot = qmp, log + ".ppm"
        self.screen = Screen()
        self.rows = []

    def read(self):
        self.qmp.cmd("screendump", {"filename": self.shot})
        self.rows = self.screen.read(self.shot)
        return self.rows

    def until(self, what, test, timeout):
        end = time.monotonic() + timeout
        while True:
            if test(self.read()):
                return
            if time.monotonic() > end:
                raise Failure("%s: not on the screen within %d s; tty1 shows:\n%s"
                              % (what, timeout, "\n".join(r for r in self.rows if r)))
            time.sleep(0.05)

    @staticmethod
    def last_row(rows):
        filled = [r for r in rows if r]
        return filled[-1] if filled else ""

    @staticmethod
    def is_prompt(row, ps):
        """PS alone on the row, or followed by a kernel line that came after it was drawn (the
        [linux] note of a program started in the background)."""
        return row == ps.rstrip() or row.startswith(ps + "[linux] ")

    def ready(self):
        # The kernel's "[tty] first read" line may land after the prompt on tty1, so once a
        # prompt is there, Enter on the empty line asks for a clean one.
        self.until("the first prompt", lambda rows: self.last_row(rows).startswith(PROMPT.rstrip()),
                   BOOT_TIMEOUT)
        self.qmp.keys("ret")
        self.until("a prompt after Enter", lambda rows: self.last_row(rows) == PROMPT.rstrip(), STEP_TIMEOUT)

    def answer_ok(self, step, rows):
        """The command's row as entered, then OUT in the rows after it, then the prompt."""
        start = 0
        if step.shown is not None:
            where = [i for i, r in enumerate(rows) if r == PROMPT + step.shown]
            if not where:
                return False
            start = where[-1] + 1
        after = rows[start:]
        if step.out is not None and not re.search(step.out, "\n".join(after), re.MULTILINE):
            return False
        ps = PS2 if step.prompt == PS2 else PROMPT
        return not step.prompt or self.is_prompt(self.last_row(after), ps)

    def run(self, n, step):
        for kind, k in keys_split(step.keys):
            self.qmp.keys(*qcodes(kind, k), hold_ms=5)
            time.sleep(key_pause((kind, k)))
        self.until("step %d (%s)" % (n, step.keys), lambda rows: self.answer_ok(step, rows), STEP_TIMEOUT)


def main():
    if len(sys.argv) < 4 or sys.argv[1] not in ("serial", "keys"):
        print("usage: session.py serial|keys IMG LOG [boot.sh options...]")
        return 2
    mode, img, log = sys.argv[1:4]
    qmp_path, ser_path = log + ".qmp", log + ".sock"
    for f in (log, qmp_path, ser_path):
        if os.path.exists(f):
            os.remove(f)
    extra = ["--serial-socket", ser_path] if mode == "serial" else []
    boot = subprocess.Popen(["sh", os.path.join(HERE, "boot.sh"), "--img", img, "--log", log,
                             "--timeout", str(BOOT_TIMEOUT + len(STEPS) * STEP_TIMEOUT),
                             "--qemu", "-qmp unix:%s,server=on,wait=off" % qmp_path] + extra + sys.argv[4:])
    started, failure, qmp = time.monotonic(), None, None
    try:
        term = SerialTerminal(ser_path, log + ".transcript") if mode == "serial" else None
        qmp = Qmp(qmp_path, BOOT_TIMEOUT)
        if term is None:
            term = ScreenTerminal(qmp, log)
        term.ready()
        at_prompt = time.monotonic()
        for n, step in enumerate(STEPS, 1):
            term.run(n, step)
            time.sleep(step.pause)
        done = time.monotonic()
    except (Failure, RuntimeError, OSError) as e:
        failure = str(e)
    finally:
        try:
            if qmp:
                qmp.cmd("quit")                 # QEMU ends now, passed or not
        except (RuntimeError, OSError, ValueError):
            pass
        try:
            boot.wait(timeout=30)
        except subprocess.TimeoutExpired:
            boot.kill()
    if failure:
        print("FAIL: session %s: %s" % (mode, failure))
        return 1
    if mode == "keys":
        print("\n".join(r for r in term.rows if r))
    print("ok: session %s: %d steps; the prompt after %.1f s, the steps took %.1f s"
          % (mode, len(STEPS), at_prompt - started, done - at_prompt))
    return 0


if __name__ == "__main__":
    sys.exit(main())
