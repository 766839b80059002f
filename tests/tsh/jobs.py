#!/usr/bin/python3
"""jobs.py - tsh's job control on a pseudo-terminal of the host (docs/tsh.md).

    jobs.py TSH

TSH runs as an interactive shell on a new pty, its controlling terminal
(pty.fork makes the child a session leader). Keys are typed as a user
would: ^Z stops the foreground job (the shell reports it, `jobs` lists it),
`bg` lets it run on, `fg` brings it back, ^C ends it and not the shell
($? is 130); ^C ends a whole pipeline; a background job's end is reported
before the next prompt. Each step waits for the text it expects
(ptysession.py); exit 0 when all came, 1 with what the terminal showed.
"""
import os
import sys
import time

from ptysession import Session


def main():
    t = Session(sys.argv[1], {"PATH": os.environ.get("PATH", "/bin:/usr/bin"), "HOME": "/nonexistent"})
    expect, send = t.expect, t.send
    expect("$ ")
    send("sleep 30\n")
    send("\x1a")
    expect("[1]+  Stopped  sleep 30")
    send("jobs\n")
    expect("[1]   Stopped  sleep 30")
    send("bg\n")
    expect("[1] sleep 30 &")
    send("jobs\n")
    expect("[1]   Running  sleep 30")
    send("fg %1\n")
    expect("sleep 30")
    send("\x03")
    send("echo after-fg $?\n")
    expect("after-fg 130")
    send("sleep 30 | cat\n")
    send("\x03")
    send("echo after-pipe $?\n")
    expect("after-pipe 130")
    send("sleep 0.2 &\n")
    expect("[1] ")
    time.sleep(0.5)
    send("\n")
    expect("[1]   Done(0)  sleep 0.2")
    send("exit 3\n")
    t.finish(3)
    print("jobs.py: ^Z, jobs, bg, fg, ^C on a job and a pipeline, a background job's end: as expected")


main()
