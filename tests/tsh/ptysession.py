"""ptysession.py - tsh as an interactive shell on a pseudo-terminal of the
host, for tests that type keys as a user would (jobs.py, lineedit.py).

Session(tsh, env) starts it (pty.fork: the child is a session leader and
the pty its controlling terminal); expect(text) waits at most TIMEOUT s for
text in what the terminal shows and fails the test with the screen's bytes
otherwise; send(keys) types after a short pause (the shell is back in its
read, a job has started); finish(status) types nothing more and checks how
tsh ended.
"""
import os
import pty
import select
import sys
import time

TIMEOUT = 10


class Session:
    def __init__(self, tsh, env):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.execve(tsh, [tsh], env)
        self.seen = b""

    def expect(self, text):
        end = time.time() + TIMEOUT
        while text.encode() not in self.seen:
            left = end - time.time()
            if left <= 0 or not select.select([self.fd], [], [], left)[0]:
                print(f"{sys.argv[0]}: waited {TIMEOUT} s for {text!r}; the terminal showed:")
                print(repr(self.seen.decode(errors="replace")))
                sys.exit(1)
            try:
                self.seen += os.read(self.fd, 4096)
            except OSError:
                break
        self.seen = self.seen[self.seen.index(text.encode()) + len(text):]

    def send(self, keys):
        time.sleep(0.3)
        os.write(self.fd, keys.encode())

    def finish(self, status):
        _, st = os.waitpid(self.pid, 0)
        if not os.WIFEXITED(st) or os.WEXITSTATUS(st) != status:
            print(f"{sys.argv[0]}: tsh ended with {st:#x}, not exit {status}")
            sys.exit(1)
