#!/usr/bin/env python3
# qmp-keys.py - press keys on the guest's PS/2 keyboard through QEMU's QMP
# (send-key: the keys of one combination go down in order, then up in
# reverse), for tests/qemu/monitor.sh's keys mode.
#
#   qmp-keys.py SOCKET COMBO...      e.g. shift-a b up q
#
# A COMBO is QEMU qcodes joined by '-'. Waits GAP seconds after each, so
# each combination's events come out before the next one's. Exit 1 on any
# QMP error (the socket missing after TIMEOUT, a refused key).
import importlib.util
import json
import os
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
            return                                      # events in between are skipped


def main():
    if len(sys.argv) < 3:
        sys.exit("usage: qmp-keys.py SOCKET COMBO...")
    s = serial_type().connect(sys.argv[1], TIMEOUT)
    s.settimeout(TIMEOUT)
    f = s.makefile("rw")
    json.loads(f.readline())                            # the greeting
    execute(f, "qmp_capabilities")
    for combo in sys.argv[2:]:
        keys = [{"type": "qcode", "data": q} for q in combo.split("-")]
        execute(f, "send-key", {"keys": keys})
        time.sleep(GAP)


main()
