#!/usr/bin/env python3
# monitor-check.py - check what the kernel monitor answered over serial (a
# transcript from tests/qemu/serial-type.py) against what the kernel logged
# at boot (the serial log), for tests/qemu/monitor.sh.
#
#   monitor-check.py MODE LOG TRANSCRIPT WAY_REGEX
#
# The transcript is cut at each prompt ("tessera> " at a line's start): each
# piece is the line typed (as echoed) and the command's output. MODE
# "commands" expects the pieces of monitor.sh's command script, in order;
# the other modes only the reboot. The log's part before the first prompt
# is the boot's (after it, the monitor's answers are in the log too). Every mode: the last "[monitor] reboot:"
# line of the log matches WAY_REGEX and no way before it was found not to
# work ("still running"). Prints each disagreement; exit 1 if any.
import re
import sys

PROMPT = re.compile(r"(?m)^tessera> ")
ESC = re.compile(r"\x1b\[[0-9;]*[A-Za-z]|\x07")
errors = []


def check(cond, what):
    if not cond:
        errors.append(what)
    return cond


def read(path):
    with open(path, "rb") as f:
        return f.read().decode("latin-1").replace("\r", "")


def pieces(transcript):
    """(typed line, output lines) after each prompt."""
    parts = PROMPT.split(transcript)[1:]
    out = []
    for p in parts:
        typed, _, rest = p.partition("\n")
        out.append((ESC.sub("", typed), [l for l in rest.split("\n") if l != ""]))
    return out


def log_lines(log, regex, strip=""):
    r = re.compile(regex)
    return [l[len(strip):] for l in log.split("\n") if r.search(l)]


def same(name, got, want):
    if got == want:
        return
    errors.append("%s: the monitor printed %d lines, the log has %d; first difference:" % (name, len(got), len(want)))
    for g, w in zip(got + [""] * len(want), want + [""] * len(got)):
        if g != w:
            errors.append("  monitor: %r\n  log:     %r" % (g, w))
            break


def commands_in_table():
    with open("kernel/monitor/commands.h") as f:
        return re.findall(r"^\s+X\((\w+),", f.read(), re.M)


def check_commands(log, p):
    names = ["lspci", "lsblk", "bootinfo", "timeline", "frob", "dmesg x", "ps", "irq", "mem", "help",
             "dmesg 3", "(Up Up)", "(edited lspci)", "reboot"]
    if not check(len(p) >= len(names), "%d prompts answered, %d expected" % (len(p), len(names))):
        return
    out = dict(zip(names, [o for _, o in p]))
    same("lspci", out["lspci"], log_lines(log, r"^\[pci\] [0-9a-f]{2}:[0-9a-f]{2}\.[0-7] ", "[pci] "))
    check(out["lspci"], "lspci printed nothing")
    same("lsblk", out["lsblk"], log_lines(log, r"^\[blk\] [a-z0-9]+: [0-9]+ sectors of ", "[blk] "))
    same("bootinfo", out["bootinfo"], log_lines(log, r"^bootinfo: firmware="))
    same("timeline", out["timeline"], log_lines(log, r"^timeline: (?!TSC )"))
    same("frob", out["frob"], ["monitor: unknown command 'frob' (help lists the commands)"])
    same("dmesg x", out["dmesg x"], ["dmesg: 'x' is not a count of lines (1 or more)"])
    check(any(re.match(r"^\s*\d+ monitor ttyS0\s+run\s", l) for l in out["ps"]),
          "ps shows no 'monitor ttyS0' thread running: %r" % out["ps"])
    irq = out["irq"]
    m = re.match(r"^(\d+) lines and vectors claimed \((APIC|8259 PIC) mode\)$", irq[-1] if irq else "")
    check(m and int(m.group(1)) == len(irq) - 2 and irq[0].split()[:3] == ["handle", "line", "vec"],
          "irq: not a header, one row per claim and the count: %r" % irq)
    managed = log_lines(log, r"^\[mm\] meminfo: frames [0-9]+ free of [0-9]+ managed")
    m = re.match(r"^frames: \d+ free of (\d+) managed", out["mem"][0] if out["mem"] else "")
    check(m and managed and ("of %s managed" % m.group(1)) in managed[-1],
          "mem: managed frames %r disagree with the log's %r" % (out["mem"][:1], managed[-1:]))
    helped = [l.split()[0] for l in out["help"]]
    same("help", helped, commands_in_table())
    check(len(out["dmesg 3"]) == 3 and all(re.match(r"^\[\s*\d+\.\d{6}\] ", l) and
                                             l.split("] ", 1)[1] in log for l in out["dmesg 3"]),
          "dmesg 3: not three held log lines: %r" % out["dmesg 3"])
    check(p[11][0].endswith("help"), "Up Up did not bring back 'help': the line shown was %r" % p[11][0])
    same("Up Up Enter (help again)", out["(Up Up)"], out["help"])
    check(p[12][0].endswith("lspci"), "the edited line is %r, not 'lspci'" % p[12][0])
    same("the edited line (lspci again)", out["(edited lspci)"], out["lspci"])
    same("reboot", out["reboot"][:1], ["rebooting (from the acpi way)"])


def check_keys(log):
    """The monitor's event lines after its header equal the keylog's up to q."""
    after = log.split("\nkey events; q or ^C ends\n", 1)
    if not check(len(after) == 2, "no 'key events; q or ^C ends' line"):
        return
    shown, logged = [], []
    for l in after[1].split("\n"):
        if l.startswith("tessera> "):
            break
        if re.match(r"^(key|btn|rel) ", l):
            shown.append(l)
    for l in log_lines(after[1], r"^\[input\] (key|btn|rel) ", "[input] "):
        if l.startswith("key KEY_Q down"):
            break
        logged.append(l)
    same("keys", shown, logged)
    for want in ('key KEY_A down mods=shift text="A"', 'key KEY_B down mods=none text="b"',
                 'key KEY_ENTER down mods=none text="\\x0d"', 'key KEY_UP down mods=none text="\\x1b[A"'):
        check(want in shown, "keys: no line %r among %r" % (want, shown))


def check_reboot(log, way):
    # A log line may follow a prompt on the same line (the serial monitor's, waiting).
    steps = log_lines(re.sub(r"(?m)^(tessera> )+", "", log), r"^\[monitor\] reboot: ")
    if not check(steps, "no [monitor] reboot: line in the log"):
        return
    check(re.search(way, steps[-1]), "the last reboot line is %r, not /%s/" % (steps[-1], way))
    check(not any("still running" in s for s in steps), "a way failed: %r" % steps)


def main():
    mode, log_path, tr_path, way = sys.argv[1:5]
    log, transcript = read(log_path), read(tr_path)
    p = pieces(transcript)
    # What the kernel logged before the monitor started: as it came over the socket when the
    # transcript has the kernel's first line (QEMU's logfile of a socket chardev has been seen
    # to double a character), else from the log.
    boot = PROMPT.split(transcript)[0]
    if not re.search(r"(?m)^kernel: Tessera ", boot):
        boot = PROMPT.split(log)[0]
    if mode == "commands":
        check_commands(boot, p)
    elif mode == "keys":
        check_keys(log)
    elif mode == "tty1":
        check(not re.search(r"(?m)^rebooting ", log), "the serial monitor ran a reboot: the keys went to ttyS0")
    elif mode == "noacpi":
        check(log_lines(log, r"^\[monitor\] reboot: no ACPI reset register"), "no 'no ACPI reset register' line")
    check_reboot(log, way)
    for e in errors:
        print("monitor-check.py: " + e)
    sys.exit(1 if errors else 0)


main()
