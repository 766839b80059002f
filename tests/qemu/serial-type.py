#!/usr/bin/env python3
# serial-type.py - type into a guest's serial port and check what comes back:
# a script of expect/send steps over the unix socket that
# tests/qemu/boot.sh --serial-socket PATH makes of COM1.
#
#   serial-type.py SOCKET [--timeout S] [--transcript FILE] STEP...
#     --expect REGEX    wait until what the guest wrote since the last match
#                       matches REGEX (Python re, MULTILINE; carriage returns
#                       dropped, so $ ends a line); the search goes on after it
#     --send TEXT       send TEXT, with backslash escapes (\r \n \t \x7f \\)
#     --send-file FILE  send the bytes of FILE, all at once (a burst)
#     --sleep S         wait S seconds
#     --script FILE     the steps of FILE, one a line: "expect REGEX",
#                       "send TEXT", "send-file FILE", "sleep S"; # comments
#
# --timeout (default 60) is the limit of each expect and of the connection
# (the socket appears once QEMU has started). Rules: a step that runs out of
# time FAILS the test (exit 1, naming the step and showing the last bytes the
# guest wrote), it never passes it; the steps run in order; exit 0 only when
# every expect matched. --transcript writes every byte received to FILE.
import re
import socket
import sys
import time


def fail(msg):
    sys.stderr.write("serial-type.py: %s\n" % msg)
    sys.exit(1)


def unescape(text):
    return text.encode("latin-1").decode("unicode_escape").encode("latin-1")


def connect(path, timeout):
    """Connect to QEMU's socket, waiting for it to appear."""
    end = time.monotonic() + timeout
    while True:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            s.connect(path)
            return s
        except OSError as e:
            s.close()
            if time.monotonic() > end:
                fail("connect %s: %s (after %d s)" % (path, e, timeout))
            time.sleep(0.05)


class Session:
    def __init__(self, sock, timeout, transcript):
        self.sock, self.timeout, self.transcript = sock, timeout, transcript
        self.text = ""          # what the guest wrote, carriage returns dropped
        self.pos = 0            # the next expect searches from here
        self.closed = False

    def receive(self, wait):
        self.sock.settimeout(wait)
        try:
            data = self.sock.recv(65536)
        except socket.timeout:
            return
        if not data:
            self.closed = True
            return
        if self.transcript:
            self.transcript.write(data)
            self.transcript.flush()
        self.text += data.decode("latin-1").replace("\r", "")

    def expect(self, step, regex):
        pat = re.compile(regex, re.MULTILINE)
        end = time.monotonic() + self.timeout
        while True:
            m = pat.search(self.text, self.pos)
            if m:
                self.pos = m.end()
                return
            left = end - time.monotonic()
            if left <= 0 or self.closed:
                why = "QEMU closed the socket" if self.closed else "no match within %d s" % self.timeout
                fail("step %d (expect %r): %s; the guest wrote last:\n%s"
                     % (step, regex, why, self.text[max(self.pos, len(self.text) - 600):]))
            self.receive(min(left, 0.2))

    def send(self, step, data):
        try:
            self.sock.sendall(data)
        except OSError as e:
            fail("step %d (send %d bytes): %s" % (step, len(data), e))


def script_steps(path):
    steps = []
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            verb, _, arg = line.partition(" ")
            steps.append(("--" + verb, arg))
    return steps


def parse(argv):
    if not argv or argv[0].startswith("--"):
        fail("usage: serial-type.py SOCKET [--timeout S] [--transcript FILE] STEP...")
    sock_path, timeout, transcript, steps = argv[0], 60.0, None, []
    args = argv[1:]
    while args:
        if len(args) < 2:
            fail("%s needs an argument" % args[0])
        opt, arg, args = args[0], args[1], args[2:]
        if opt == "--timeout":
            timeout = float(arg)
        elif opt == "--transcript":
            transcript = open(arg, "wb")
        elif opt == "--script":
            steps += script_steps(arg)
        elif opt in ("--expect", "--send", "--send-file", "--sleep"):
            steps.append((opt, arg))
        else:
            fail("unknown option %s" % opt)
    return sock_path, timeout, transcript, steps


def main():
    sock_path, timeout, transcript, steps = parse(sys.argv[1:])
    s = Session(connect(sock_path, timeout), timeout, transcript)
    for n, (verb, arg) in enumerate(steps, 1):
        if verb == "--expect":
            s.expect(n, arg)
        elif verb == "--send":
            s.send(n, unescape(arg))
        elif verb == "--send-file":
            with open(arg, "rb") as f:
                s.send(n, f.read())
        elif verb == "--sleep":
            time.sleep(float(arg))
        else:
            fail("step %d: unknown step %s" % (n, verb))
    s.sock.close()


if __name__ == "__main__":
    main()
