#!/usr/bin/python3
"""chart.py - make chart: boot each image, draw where its time goes
(docs/boot-chart.md).

    chart.py --build DIR [--out DIR] [--docs DIR] [--runs N] [--steps FILE] [--logs-only]

Boots, one after the other (capture.py):
    bios-pc-ide     bios.img (of --build), SeaBIOS, i440fx with the disk on IDE
    bios-q35-ahci   bios.img, SeaBIOS, q35 with the disk on AHCI
    uefi-q35-ahci   uefi.img, OVMF, q35 with the disk on AHCI
each --runs times (default 3, the boots taken in turn, so a spell of host
load falls on different steps; the picture shows each step's median), and
writes, in --out (default: --build), chart/NAME-RUN.log (the stamped serial
logs), boot-chart-NAME.svg (one boot) and boot-chart-compare.svg (all of
them on one scale), and copies the SVGs to --docs. --logs-only draws from the logs of an earlier
run. --steps names the step list whose purposes label the bars
(default docs/walk/steps.txt, skipped with a note when absent).
"""
import argparse
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import draw  # noqa: E402
import labels  # noqa: E402
import timeline  # noqa: E402

BOOTS = [
    ("bios-pc-ide", "bios.img", ["--firmware", "bios", "--machine", "pc", "--disk", "ide"],
     "bios.img, SeaBIOS, pc (i440fx) + IDE"),
    ("bios-q35-ahci", "bios.img", ["--firmware", "bios", "--machine", "q35", "--disk", "ahci"],
     "bios.img, SeaBIOS, q35 + AHCI"),
    ("uefi-q35-ahci", "uefi.img", ["--firmware", "uefi", "--machine", "q35", "--disk", "ahci"],
     "uefi.img, OVMF, q35 + AHCI"),
]


def capture(img, log, args):
    here = os.path.dirname(os.path.abspath(__file__))
    subprocess.run([sys.executable, os.path.join(here, "capture.py"), "--img", img,
                    "--out", log] + args, check=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", required=True)
    ap.add_argument("--out")
    ap.add_argument("--docs")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--steps", default="docs/walk/steps.txt")
    ap.add_argument("--logs-only", action="store_true")
    opt = ap.parse_args()
    out = opt.out or opt.build
    os.makedirs(os.path.join(out, "chart"), exist_ok=True)
    steps = labels.read_steps(opt.steps)
    if not steps:
        print("chart: no step list at %s: bars labelled by the names the boot printed" % opt.steps)
    logs = {name: [] for name, _, _, _ in BOOTS}
    for run in range(1, opt.runs + 1):
        for name, img, args, _ in BOOTS:
            logs[name].append(os.path.join(out, "chart", "%s-%d.log" % (name, run)))
            if not opt.logs_only:
                capture(os.path.join(opt.build, img), logs[name][-1], args)
    boots = [(name, title, timeline.median_boot([timeline.parse(log) for log in logs[name]]))
             for name, _, _, title in BOOTS]
    scale = draw.Scale([b for _, _, b in boots])
    svgs = [os.path.join(out, "boot-chart-compare.svg")]
    draw.draw_compare([(t, b) for _, t, b in boots], svgs[0], scale)
    for name, title, boot in boots:
        svgs.append(os.path.join(out, "boot-chart-%s.svg" % name))
        draw.draw_boot(boot, title, labels.purposes(steps, boot.firmware), scale, svgs[-1])
        print("chart: %-14s firmware %6.0f ms, loader %5.0f ms, hand-off %4.1f ms, kernel %5.0f ms: %s"
              % (name, *(sum(s.ms for s in boot.part(p)) for p in draw.COLOURS), svgs[-1]))
    for svg in svgs if opt.docs else []:
        shutil.copy(svg, opt.docs)
        print("chart: copied to %s" % os.path.join(opt.docs, os.path.basename(svg)))


if __name__ == "__main__":
    main()
