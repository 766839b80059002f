# moments.py - the one reader of tests/screens/moments.txt (the moments
# `make screens` photographs), for the capture in gdb (capture.py) and the
# check (check.py). See moments.txt for the fields.
import re

FIRMWARES = ("bios", "uefi")
SCREENS = ("vga-text", "gop", "fbcon")


class MomentError(Exception):
    pass


class Moment:
    def __init__(self, fields):
        self.name, self.firmware, self.step, then, self.screen, last = fields
        self.then = [] if then == "-" else [c.strip() for c in then.split(";") if c.strip()]
        self.last = re.compile(last)


def moments_read(path, firmware=None):
    """The moments of PATH (of FIRMWARE only, when given), in the file's order."""
    moments = []
    with open(path) as f:
        for n, line in enumerate(f, 1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            fields = [x.strip() for x in line.rstrip("\n").split(" | ")]
            if len(fields) != 6:
                raise MomentError("moments_read: %s:%d: 6 fields separated by ' | ', found %d"
                                  % (path, n, len(fields)))
            m = Moment(fields)
            if m.firmware not in FIRMWARES or m.screen not in SCREENS or "/" not in m.step:
                raise MomentError("moments_read: %s:%d: firmware %s, screen %s, step %s: "
                                  "firmware is one of %s, screen one of %s, step CHAIN/ID"
                                  % (path, n, m.firmware, m.screen, m.step,
                                     " ".join(FIRMWARES), " ".join(SCREENS)))
            if firmware is None or m.firmware == firmware:
                moments.append(m)
    if not moments:
        raise MomentError("moments_read: %s: no moments%s" % (path, " for " + firmware if firmware else ""))
    return moments
