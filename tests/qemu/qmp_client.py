"""qmp_client.py - a small client of QEMU's QMP socket for the test scripts
(tests/qemu/session.py, tests/qemu/vt-keys.py): connect (waiting for QEMU to
make the socket), leave capabilities negotiation, run commands, press keys.

    qmp = Qmp(path, timeout=10)      # RuntimeError when no socket in time
    qmp.cmd("screendump", {"filename": f})
    qmp.keys("ctrl", "c")            # one send-key: down in order, up in reverse
    qmp.keys("a", hold_ms=5)         # held 5 ms instead of QEMU's 100
"""
import json
import socket
import time


class Qmp:
    def __init__(self, path, timeout=10):
        end = time.monotonic() + timeout
        while True:
            self.sock = socket.socket(socket.AF_UNIX)
            try:
                self.sock.connect(path)
                break
            except OSError:
                self.sock.close()
                if time.monotonic() > end:
                    raise RuntimeError("no QMP socket at %s" % path)
                time.sleep(0.1)
        self.file = self.sock.makefile("rw")
        self.file.readline()                    # the greeting
        self.cmd("qmp_capabilities")

    def cmd(self, name, args=None):
        """Run a command; its "return", or RuntimeError with QEMU's error."""
        msg = {"execute": name}
        if args:
            msg["arguments"] = args
        self.file.write(json.dumps(msg) + "\n")
        self.file.flush()
        while True:                             # events may come first
            reply = json.loads(self.file.readline())
            if "error" in reply:
                raise RuntimeError("%s: %s" % (name, reply["error"]))
            if "return" in reply:
                return reply["return"]

    def keys(self, *qcodes, hold_ms=None):
        """One key combination on the keyboard (QEMU qcodes), held hold_ms (QEMU's default: 100)."""
        args = {"keys": [{"type": "qcode", "data": q} for q in qcodes]}
        if hold_ms is not None:
            args["hold-time"] = hold_ms
        return self.cmd("send-key", args)
