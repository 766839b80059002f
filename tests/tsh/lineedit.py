#!/usr/bin/python3
"""lineedit.py - tsh's line editor, history and completion on a
pseudo-terminal of the host (docs/tsh.md, ptysession.py).

    lineedit.py TSH

Keys are typed as a user would and each edit is checked by what the
command then prints: ^A and ^E, the arrows, Backspace and Delete, ^K, ^U,
^W, ^C dropping a line, Up through the history, ^R searching it, Tab
completing a command name and a path; the history must then be in
$HOME/.tsh_history, and a second tsh must find it there (Up).
"""
import os
import shutil
import sys
import tempfile

from ptysession import Session

LEFT, RIGHT, UP, HOME, END, DELETE = "\x1b[D", "\x1b[C", "\x1b[A", "\x1b[H", "\x1b[F", "\x1b[3~"


def main():
    home = tempfile.mkdtemp(prefix="tsh-lineedit.")
    os.mkdir(os.path.join(home, "dir"))
    open(os.path.join(home, "dir", "uniquefile123"), "w").close()
    env = {"PATH": os.environ.get("PATH", "/bin:/usr/bin"), "HOME": home}
    t = Session(sys.argv[1], env)

    def line(keys, output):
        t.expect("$ ")
        t.send(keys)
        t.expect("\r\n" + output + "\r\n")

    line("cho at-start\x01e\r", "at-start")                           # ^A
    line("echo one two\x17three\r", "one three")                     # ^W
    line("echo abc" + LEFT + LEFT + "\x7f" + DELETE + END + "d\r", "cd")   # Backspace, Delete, End
    line("echo xbc" + HOME + "\x05" + LEFT + LEFT + "\x08" + "a\r", "abc")  # Home, ^E, ^H
    line("echo keep-cut" + LEFT * 4 + "\x0b\r", "keep")              # ^K
    line("garbage\x15echo clean\r", "clean")                         # ^U
    t.expect("$ ")
    t.send("echo never\x03")                                         # ^C drops the line
    t.expect("^C")
    line("echo after-c\r", "after-c")
    line(UP + UP + "\r", "clean")                                    # Up: the one before "after-c"
    line("\x12kee\r", "keep")                                        # ^R
    line("\x12one\x1b[Cx\r", "one threex")                           # ^R, then an arrow edits the match
    line("ech\t" + "completed\r", "completed")                       # a command
    line("echo " + home + "/di\tuniq\t\r", home + "/dir/uniquefile123")   # a folder, then a file
    t.expect("$ ")
    t.send("exit 4\r")
    t.finish(4)
    path = os.path.join(home, ".tsh_history")
    saved = open(path).read().splitlines() if os.path.exists(path) else ["(no such file)"]
    if "echo keep" not in saved or saved[-1] != "exit 4" or "echo never" in saved:
        print(f"lineedit.py: ~/.tsh_history holds {saved}")
        sys.exit(1)
    t = Session(sys.argv[1], env)
    line(UP + UP + "\r", home + "/dir/uniquefile123")               # the history of the last session
    t.expect("$ ")
    t.send("\x04")                                                   # ^D on an empty line
    t.finish(0)
    shutil.rmtree(home)
    print("lineedit.py: editing keys, ^C, history (Up, ^R, ~/.tsh_history), completion: as expected")


main()
