#!/usr/bin/env python3
# pci-query.py - QEMU's own list of PCI functions, from its QMP socket:
# one line per function, "BB:DD.F VVVV:DDDD class CC.SS", sorted, the form
# tests/qemu/pci-check.sh cuts the kernel's [pci] lines down to.
#
#   pci-query.py SOCKET
#
# query-pci is what the monitor's `info pci` prints (HMP formats the same
# answer); functions behind a PCI-to-PCI bridge come in the bridge's
# pci_bridge.devices, walked here recursively. QEMU does not report the
# programming interface, so the comparison stops at class and subclass.
# Then it sends `quit`: the check has what it needs, QEMU need not run on.
import json
import socket
import sys


def qmp(sock_path):
    """Connect, leave negotiation mode, ask for query-pci; its answer."""
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(10)
    s.connect(sock_path)
    f = s.makefile("rw")
    json.loads(f.readline())                            # the greeting
    answer = None
    for cmd in ("qmp_capabilities", "query-pci", "quit"):
        f.write(json.dumps({"execute": cmd}) + "\n")
        f.flush()
        while True:
            reply = json.loads(f.readline())
            if "return" in reply or "error" in reply:
                break                                   # events in between are skipped
        if "error" in reply:
            sys.exit("pci-query.py: %s: %s" % (cmd, reply["error"]))
        if cmd == "query-pci":
            answer = reply["return"]
    return answer


def functions(devices):
    for d in devices:
        yield "%02x:%02x.%x %04x:%04x class %02x.%02x" % (
            d["bus"], d["slot"], d["function"], d["id"]["vendor"], d["id"]["device"],
            d["class_info"]["class"] >> 8, d["class_info"]["class"] & 0xFF)
        yield from functions(d.get("pci_bridge", {}).get("devices", []))


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: pci-query.py SOCKET")
    lines = []
    for bus in qmp(sys.argv[1]):
        lines.extend(functions(bus["devices"]))
    print("\n".join(sorted(lines)))


main()
