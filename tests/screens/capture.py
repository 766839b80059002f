# capture.py - gdb's `screens` command: stop the boot at the moments of
# tests/screens/moments.txt and take QEMU's picture of the screen there
# (make screens, docs/screens.md).
#
# gdb loads tests/walk/walk.py first (-x), then this file; it reuses the
# walk's pieces: the step list reader (steps_read), the resolution of a
# step's symbol in its chain's ELF (step_resolve) and the walk's way of
# running to a step with one hardware breakpoint (Walk.run_to, with
# attach=FUNC:VAR for the UEFI loader waiting in efi_main), then checks the
# stop is the step's address as the walk does. Then:
#     screens MOMENTS STEPS FIRMWARE OUTDIR [attach=FUNC:VAR]
# for each moment of FIRMWARE, in order: run to its step, run its `then`
# commands (to get from the step to the moment: to vbe_set, out of
# mm_report), then `monitor screendump OUTDIR/NAME.png -f png` (QEMU 7.2's
# monitor writes PNG itself; gdb passes the command through its stub).
# A moment whose step is not in the list, or lies before the previous
# moment's, ends the command with an error naming it.
import os
import sys

import gdb

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from moments import MomentError, moments_read  # noqa: E402

CHAINS = {"bios": ["bios", "kernel"], "uefi": ["uefi", "kernel"]}


def moment_steps(moments, steps_path, firmware, attach):
    """The walk's steps to stop at: the attach step first (when attaching), then each moment's."""
    steps = steps_read(steps_path, CHAINS[firmware])
    index = {s.name(): i for i, s in enumerate(steps)}
    picked = [0] if attach else []
    for m in moments:
        if m.step not in index:
            raise WalkError("screens: moment %s: no step %s in %s (chains %s)"
                            % (m.name, m.step, steps_path, " ".join(CHAINS[firmware])))
        if picked and index[m.step] <= picked[-1]:
            raise WalkError("screens: moment %s: step %s is not after the previous moment's"
                            % (m.name, m.step))
        picked.append(index[m.step])
    chosen = [steps[i] for i in picked]
    for s in chosen:
        step_resolve(s)
    return chosen


def screendump(path):
    if os.path.exists(path):
        os.remove(path)
    out = gdb.execute("monitor screendump %s -f png" % path, to_string=True)
    if not os.path.exists(path):
        raise WalkError("screens: QEMU wrote no %s (%s)" % (path, out.strip() or "no answer"))


def capture(moments, walk, outdir):
    first = 1 if walk.attach else 0
    if walk.attach:
        walk.run_to(0)
    for i, m in enumerate(moments, first):
        target, _ = walk.run_to(i)
        pc = linear_pc(state_read())
        if pc != target:
            raise WalkError("screens: moment %s: stopped at pc %#x, not at step %s (%#x)"
                            % (m.name, pc, m.step, target))
        for command in m.then:
            gdb.execute(command, to_string=True)
        path = os.path.join(outdir, m.name + ".png")
        screendump(path)
        print("screens: %s: at %s%s: %s" % (m.name, m.step,
                                            ", then " + "; ".join(m.then) if m.then else "", path))


class ScreensCommand(gdb.Command):
    """screens MOMENTS STEPS FIRMWARE OUTDIR [attach=FUNC:VAR]: a picture at each moment."""

    def __init__(self):
        super().__init__("screens", gdb.COMMAND_RUNNING)

    def invoke(self, arg, from_tty):
        self.dont_repeat()
        args = gdb.string_to_argv(arg)
        if len(args) not in (4, 5) or args[2] not in CHAINS:
            raise gdb.GdbError("screens: usage: screens MOMENTS STEPS bios|uefi OUTDIR [attach=FUNC:VAR]")
        moments_path, steps_path, firmware, outdir = args[:4]
        attach = tuple(args[4][len("attach="):].split(":", 1)) if len(args) == 5 else None
        try:
            moments = moments_read(moments_path, firmware)
            gdb.execute("set breakpoint pending off", to_string=True)
            steps = moment_steps(moments, steps_path, firmware, attach)
            capture(moments, Walk(steps, attach), outdir)
        except (WalkError, MomentError) as e:
            raise gdb.GdbError(str(e))


ScreensCommand()
