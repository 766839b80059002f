"""timeline.py - one boot's timeline from a stamped serial log (capture.py):
the firmware's part, each loader step, the hand-off and each kernel phase,
in milliseconds from QEMU's start (make chart, docs/boot-chart.md).

Two clocks meet here:
  - the host's: QEMU's start to the loader's first serial line ("stage2:
    tessera-bios ..." or "uefi: tessera-uefi ...") is the firmware's part
    (for BIOS it includes stage1, which prints nothing);
  - the guest's TSC: the loader stamps each step as it ends
    (bootinfo.steps[], from its own start), the kernel stamps its entry
    and each phase (kernel/boot/phases.c) and prints them all as
    "timeline: NAME N ticks N us  (at N us)" once it knows the TSC's rate.
The TSC rows are placed from the loader's first line on: the loader stamps
its start a few instructions before it prints that line.

Several runs of one boot become one (median_boot): each step's median
duration, the steps laid end to end again; the host load that stretches one
run's step rarely stretches the same step in the others.

Rules: parse() refuses a log without the loader's first line, the TSC line,
the "kernel entry" row or any kernel phase, naming what is missing.
"""
import re
import statistics
from dataclasses import dataclass

FIRST_LINE = re.compile(r"^(stage2: tessera-bios|uefi: tessera-uefi)")
TSC_LINE = re.compile(r"^timeline: TSC (\d+) kHz \((.*)\)")
ROW = re.compile(r"^timeline: (\S+(?: \S+)?)\s+(\d+) ticks\s+(\d+) us\s+\(at (\d+) us\)")
HANDOFF = "kernel entry"
KERNEL = "kernel "


@dataclass
class Step:
    part: str           # "firmware", "loader", "hand-off", "kernel"
    name: str           # the timeline name: "a20", "memory" (a kernel phase), ...
    start_ms: float     # from QEMU's start
    end_ms: float

    @property
    def ms(self):
        return self.end_ms - self.start_ms


@dataclass
class Boot:
    firmware: str       # "bios" or "uefi"
    tsc_khz: int
    tsc_source: str
    steps: list
    host_end_ms: float  # when the host saw the kernel's last line
    runs: int = 1       # how many runs' medians these are

    def part(self, part):
        return [s for s in self.steps if s.part == part]

    @property
    def end_ms(self):
        return self.steps[-1].end_ms


def read_log(path):
    """[(host_ms, line)] from a capture.py log."""
    out = []
    with open(path, errors="replace") as f:
        for raw in f:
            ms, _, line = raw.rstrip("\n").partition("\t")
            out.append((float(ms), line))
    return out


def rows(lines):
    """The "timeline:" rows as (name, at_us), in order, and the TSC line."""
    tsc, found = None, []
    for _, line in lines:
        m = TSC_LINE.match(line)
        if m:
            tsc = (int(m.group(1)), m.group(2))
        m = ROW.match(line)
        if m:
            found.append((m.group(1), int(m.group(4))))
    return tsc, found


def steps_from_rows(first_ms, found):
    """Loader rows up to the hand-off row, then "kernel NAME" rows."""
    steps, prev, part = [Step("firmware", "firmware", 0.0, first_ms)], 0, "loader"
    for name, at_us in found:
        if name == HANDOFF:
            step, part = Step("hand-off", "hand-off", 0, 0), "kernel"
        elif part == "kernel" and name.startswith(KERNEL):
            step = Step("kernel", name[len(KERNEL):], 0, 0)
        elif part == "loader":
            step = Step("loader", name, 0, 0)
        else:
            raise ValueError("timeline: row %r after the hand-off is not a kernel phase" % name)
        step.start_ms, step.end_ms = first_ms + prev / 1000, first_ms + at_us / 1000
        steps.append(step)
        prev = at_us
    return steps


def parse(path):
    lines = read_log(path)
    first = next(((ms, l) for ms, l in lines if FIRST_LINE.match(l)), None)
    if first is None:
        raise ValueError("%s: no loader first line (stage2: tessera-bios / uefi: tessera-uefi)" % path)
    tsc, found = rows(lines)
    if tsc is None:
        raise ValueError("%s: no 'timeline: TSC N kHz' line" % path)
    steps = steps_from_rows(first[0], found)
    names = [s.part for s in steps]
    if "hand-off" not in names or "kernel" not in names:
        raise ValueError("%s: no '%s' row or no kernel phase rows" % (path, HANDOFF))
    firmware = "bios" if first[1].startswith("stage2") else "uefi"
    return Boot(firmware, tsc[0], tsc[1], steps, lines[-1][0])


def median_boot(boots):
    """One Boot from runs of the same boot: step by step, the median duration."""
    names = [(s.part, s.name) for s in boots[0].steps]
    for b in boots[1:]:
        if [(s.part, s.name) for s in b.steps] != names:
            raise ValueError("timeline: the runs of one boot printed other steps")
    steps, t = [], 0.0
    for i, (part, name) in enumerate(names):
        ms = statistics.median(b.steps[i].ms for b in boots)
        steps.append(Step(part, name, t, t + ms))
        t += ms
    late = statistics.median(b.host_end_ms - b.end_ms for b in boots)
    khz = int(statistics.median(b.tsc_khz for b in boots))
    return Boot(boots[0].firmware, khz, boots[0].tsc_source, steps, t + late, len(boots))
