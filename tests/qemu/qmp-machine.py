#!/usr/bin/env python3
# qmp-machine.py - act on the guest machine through QEMU's QMP, for
# tests/qemu/monitor.sh:
#
#   qmp-machine.py SOCKET keys COMBO...   press keys on the PS/2 keyboard (send-key:
#                                         the keys of one combination go down in
#                                         order, then up in reverse), e.g. shift-a b up q;
#                                         a COMBO is QEMU qcodes joined by '-'; GAP
#                                         seconds after each, so each one's events
#                                         come out before the next one's
#   qmp-machine.py SOCKET halted          every CPU halted with interrupts off (HMP's
#                                         "info registers -a": HLT=1, RFLAGS.IF clear),
#                                         then QEMU told to quit
#
# Exit 1 on any QMP error (the socket missing after TIMEOUT, a refused key)
# or, for halted, a CPU running or halted with interrupts on (an idle CPU).
import importlib.util
import json
import os
import re
import sys
import time

GAP = 0.4
TIMEOUT = 30


def serial_type():
    """tests/qemu/serial-type.py as a module: its connect() waits for a socket to appear."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "serial-type.py")
    spec = importlib.util.spec_from_file_location("serial_type", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def execute(f, cmd, args=None):
    msg = {"execute": cmd}
    if args:
        msg["arguments"] = args
    f.write(json.dumps(msg) + "\n")
    f.flush()
    while True:
        reply = json.loads(f.readline())
        if "error" in reply:
            sys.exit("qmp-keys.py: %s %s: %s" % (cmd, args, reply["error"]))
        if "return" in reply:
            return reply["return"]                      # events in between are skipped


def keys(f, combos):
    for combo in combos:
        execute(f, "send-key", {"keys": [{"type": "qcode", "data": q} for q in combo.split("-")]})
        time.sleep(GAP)


def halted(f):
    """HLT=1 and IF (RFLAGS bit 9) clear on every CPU; then quit."""
    regs = execute(f, "human-monitor-command", {"command-line": "info registers -a"})
    cpus = re.findall(r"RFL=([0-9a-f]+) .*? HLT=(\d)", regs)
    execute(f, "quit")
    if not cpus:
        sys.exit("qmp-machine.py: no CPU state in 'info registers -a':\n" + regs[:2000])
    bad = [i for i, (efl, hlt) in enumerate(cpus) if hlt != "1" or int(efl, 16) & 0x200]
    if bad:
        sys.exit("qmp-machine.py: CPUs %s not halted with interrupts off: %s" % (bad, cpus))
    print("ok: %d CPUs halted with interrupts off" % len(cpus))


def main():
    if len(sys.argv) < 3 or sys.argv[2] not in ("keys", "halted"):
        sys.exit("usage: qmp-machine.py SOCKET keys COMBO... | qmp-machine.py SOCKET halted")
    s = serial_type().connect(sys.argv[1], TIMEOUT)
    s.settimeout(TIMEOUT)
    f = s.makefile("rw")
    json.loads(f.readline())                            # the greeting
    execute(f, "qmp_capabilities")
    if sys.argv[2] == "keys":
        keys(f, sys.argv[3:])
    else:
        halted(f)


if __name__ == "__main__":         # uefi-screen-lines.py imports execute
    main()
