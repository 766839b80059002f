"""labels.py - what each step on the chart is for: the one-line purposes of
the boot's single step list, docs/walk/steps.txt (also read by the walk and
the docs' step tables), looked up by the name the timeline prints.

steps.txt has one step a line: chain id symbol source timeline purpose...
A loader step (chain bios or uefi) is found by its timeline column (which
may list several names, "kernel,elf"); a kernel phase by the kernel chain's
timeline column, else by its id. A name found nowhere gets no purpose: the
chart still shows it, by the name the boot printed.
"""
import os


def read_steps(path):
    """[(chain, id, timeline names, purpose)] from steps.txt; [] if absent."""
    if not path or not os.path.exists(path):
        return []
    out = []
    with open(path) as f:
        for line in f:
            if not line.strip() or line.startswith("#"):
                continue
            fields = line.split(None, 5)
            if len(fields) < 6:
                raise ValueError("%s: short line: %r" % (path, line.rstrip()))
            chain, ident, _, _, timeline, purpose = fields
            names = [] if timeline == "-" else timeline.split(",")
            out.append((chain, ident, names, purpose.strip()))
    return out


def purposes(steps, firmware):
    """{(part, name): purpose} for one boot: its loader's chain and the kernel's."""
    out = {}
    for chain, ident, names, purpose in steps:
        if chain == firmware:
            for n in names:
                out.setdefault(("loader", n), purpose)
        elif chain == "kernel":
            for n in names or [ident]:
                out.setdefault(("kernel", n), purpose)
    return out
