#!/usr/bin/python3
"""check.py - the boot chart's test (make test, case chart/boots): a
picture is well-formed SVG and names every step of its boot.

    check.py SVG LOG MAIN_C

SVG must parse as XML (xml.etree) with an <svg> root. The names it must
hold, each as a text label and as a bar's id ("step-PART-NAME",
tests/chart/draw.py):
  - every loader step the boot printed in LOG ("timeline: NAME ..." rows
    before "timeline: kernel entry"), the firmware and the hand-off;
  - every kernel phase kmain stamps: the boot_phase_done("NAME") calls in
    MAIN_C (kernel/main.c), read from the source, not from the log; a phase
    the log lacks fails too (the kernel did not print it); and idle, the
    end.
Exits 1 naming each name missing, 0 when all are there.
"""
import os
import re
import sys
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import timeline  # noqa: E402

SVG_NS = "{http://www.w3.org/2000/svg}"
PHASE_CALL = re.compile(r'^\s*boot_phase_done\("([a-z_]+)"\);', re.M)


def svg_names(path):
    """(texts, ids) of the SVG; raises ET.ParseError when it is not XML."""
    root = ET.parse(path).getroot()
    if root.tag != SVG_NS + "svg":
        raise ET.ParseError("root element is %s, not svg" % root.tag)
    texts = {"".join(e.itertext()).strip() for e in root.iter(SVG_NS + "text")}
    ids = {e.get("id") for e in root.iter() if e.get("id")}
    return texts, ids


def wanted(boot, log, main_c):
    """[(part, name)] the picture must show; errors for phases not printed."""
    with open(main_c) as f:
        phases = PHASE_CALL.findall(f.read())
    printed = {s.name for s in boot.part("kernel")}
    errors = ["%s: kernel phase %r (boot_phase_done in %s) not printed" % (log, p, main_c)
              for p in phases if p not in printed]
    steps = [("firmware", "firmware"), ("hand-off", "hand-off")]
    steps += [("loader", s.name) for s in boot.part("loader")]
    return steps + [("kernel", p) for p in phases] + [("idle", "idle")], errors


def main():
    svg, log, main_c = sys.argv[1:4]
    try:
        texts, ids = svg_names(svg)
    except ET.ParseError as e:
        sys.exit("check: %s is not well-formed SVG: %s" % (svg, e))
    boot = timeline.parse(log)
    steps, errors = wanted(boot, log, main_c)
    if len(boot.part("loader")) < 5:        # as the ktest loader_log_and_timeline
        errors.append("%s: only %d loader steps printed" % (log, len(boot.part("loader"))))
    for part, name in steps:
        if name not in texts:
            errors.append("%s: no label %r (%s)" % (svg, name, part))
        gid = "step-idle" if part == "idle" else "step-%s-%s" % (part, name)
        if gid not in ids:
            errors.append("%s: no bar %s" % (svg, gid))
    for e in errors:
        print("check: " + e)
    if errors:
        sys.exit(1)
    print("check: %s: well-formed, %d steps named (%d loader, %d kernel phases)"
          % (svg, len(steps), len(boot.part("loader")), len(boot.part("kernel"))))


if __name__ == "__main__":
    main()
