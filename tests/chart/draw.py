"""draw.py - the boot chart's pictures, with matplotlib (Debian's
python3-matplotlib; make chart, docs/boot-chart.md).

  draw_boot(boot, title, purposes, scale, path)
      one boot: a row per step (the firmware, each loader step, the
      hand-off, each kernel phase, then idle), a bar from the step's start
      to its end, its duration and purpose beside it. Two panels: the
      firmware from QEMU's start, and the rest from the loader's first
      line (under TCG OVMF takes seconds, the rest well under one: on one
      axis the loader's steps would be hairlines).
  draw_compare(boots, path, scale)
      the boots one above the other, each split into its four parts: from
      QEMU's start, and from the loader's first line.
Every picture of one make chart run has the same scales (Scale), so BIOS
and UEFI can be read side by side.

Rules: the SVG keeps its text as text (svg.fonttype "none") and each bar has
the id "step-PART-NAME", so tests/chart/check.py can find every step; the
output carries no date and fixed ids, so a new run changes only the figures.
"""
import matplotlib

matplotlib.use("svg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

from timeline import Step  # noqa: E402

matplotlib.rcParams["svg.fonttype"] = "none"
matplotlib.rcParams["svg.hashsalt"] = "tessera-boot-chart"
matplotlib.rcParams["font.size"] = 9

COLOURS = {"firmware": "#9e9e9e", "loader": "#1f77b4", "hand-off": "#d62728",
           "kernel": "#2ca02c"}
PART_TITLES = {"firmware": "firmware (host clock: QEMU start to the loader's first line)",
               "loader": "loader steps (TSC)", "hand-off": "hand-off to the kernel (TSC)",
               "kernel": "kernel phases (TSC)"}
TCG_NOTE = ("QEMU TCG (emulation, no KVM): these are emulated times, slower and shaped "
            "otherwise than on hardware; compare the steps with each other, not with a PC.")


def label(step):
    return "hand-off" if step.part == "hand-off" else step.name


def annotate(ax, x0, x1, y, text, x_max):
    """Text right of the bar [x0, x1], or left of it near the right edge."""
    if x1 < 0.55 * x_max:
        ax.text(x1 + x_max * 0.005, y, text, va="center", ha="left", fontsize=7)
    else:
        ax.text(x0 - x_max * 0.005, y, text, va="center", ha="right", fontsize=7)


def step_text(step, purposes):
    purpose = purposes.get((step.part, step.name), "")
    return "%.1f ms" % step.ms + ("  " + purpose if purpose else "")


def bar(ax, x0, width, y, part, gid, height=0.8):
    ax.broken_barh([(x0, width)], (y - height / 2, height), facecolors=COLOURS[part],
                   edgecolors="white", linewidth=0.5, gid=gid)


def draw_rows(axes, boot, purposes, scale):
    """The firmware in axes[0] (from QEMU's start), the rest in axes[1]
    (from the loader's first line), one row per step, idle last."""
    fw_ax, ax = axes
    first = boot.part("firmware")[0].end_ms
    for y, step in enumerate(boot.steps):
        gid = "step-%s-%s" % (step.part, step.name)
        if step.part == "firmware":
            bar(fw_ax, 0, step.ms, y, step.part, gid)
            ax.text(scale.rest * 0.005, y, "firmware: %.0f ms from QEMU's start to the loader's "
                    "first line (host clock)" % step.ms, va="center", fontsize=7)
            continue
        x0 = step.start_ms - first
        bar(ax, x0, max(step.ms, scale.rest * 0.001), y, step.part, gid)
        annotate(ax, x0, x0 + step.ms, y, step_text(step, purposes), scale.rest)
    idle, end = len(boot.steps), boot.end_ms - first
    ax.plot([end], [idle], marker=">", color=COLOURS["kernel"], gid="step-idle")
    annotate(ax, end, end, idle, "idle: kmain halts (the host saw its last line %.0f ms "
             "after the loader's first)" % (boot.host_end_ms - first), scale.rest)
    fw_ax.set_yticks(range(idle + 1), [label(s) for s in boot.steps] + ["idle"])
    fw_ax.set_ylim(idle + 0.7, -0.7)


class Scale:
    """One x scale for every picture of a run: the firmware's panel up to
    firmware ms, the rest's panel up to rest ms after the loader's first line."""

    def __init__(self, boots):
        self.firmware = max(b.part("firmware")[0].ms for b in boots) * 1.02
        self.rest = max(b.end_ms - b.part("firmware")[0].end_ms for b in boots) * 1.02
        self.whole = max(b.end_ms for b in boots) * 1.02


def panels(rows, ratio):
    narrow_left = ratio[0] < ratio[1]           # no tick labels meet between the panels
    fig, axes = plt.subplots(1, 2, sharey=True, figsize=(13, 1.3 + 0.2 * rows),
                             gridspec_kw={"width_ratios": ratio, "wspace": 0.03 if narrow_left else 0.1})
    for ax in axes:
        ax.grid(axis="x", color="#dddddd")
        ax.set_axisbelow(True)
        ax.xaxis.set_major_locator(MaxNLocator(nbins=3 if ax is axes[0] and narrow_left else 8))
    return fig, axes


def save(fig, note, path, left=0.1):
    fig.text(0.01, 0.005, note, fontsize=7, style="italic")
    fig.subplots_adjust(left=left, right=0.99, bottom=0.35 / fig.get_figheight() + 0.06,
                        top=1 - 0.45 / fig.get_figheight())
    fig.savefig(path, metadata={"Date": None})
    plt.close(fig)


def draw_boot(boot, title, purposes, scale, path):
    fig, axes = panels(len(boot.steps) + 1, (1, 6))
    draw_rows(axes, boot, purposes, scale)
    axes[0].set_xlim(0, scale.firmware)
    axes[0].set_xlabel("ms from QEMU's start")
    axes[1].set_xlim(0, scale.rest)
    axes[1].set_xlabel("ms from the loader's first line")
    runs = ", the median of %d runs step by step" % boot.runs if boot.runs > 1 else ""
    fig.suptitle("%s: %.0f ms from QEMU's start to the kernel's idle%s" % (title, boot.end_ms, runs))
    handles = [plt.Rectangle((0, 0), 1, 1, color=c) for c in COLOURS.values()]
    axes[1].legend(handles, PART_TITLES.values(), loc="upper right", fontsize=7)
    save(fig, TCG_NOTE + " TSC %d kHz (%s)." % (boot.tsc_khz, boot.tsc_source), path)


def draw_parts(ax, y, boot, origin, x_max, gid):
    """One boot as a bar of its parts, origin ms taken off every time."""
    for part in COLOURS:
        steps = boot.part(part)
        start, end = steps[0].start_ms - origin, steps[-1].end_ms - origin
        if end <= 0:
            continue
        bar(ax, start, end - start, y, part, "%s-%s" % (gid, part), 0.7)
        if end - start > x_max * 0.08:
            ax.text((start + end) / 2, y, "%s\n%.0f ms" % (part, end - start),
                    ha="center", va="center", fontsize=7, color="white")
    ax.text(boot.end_ms - origin + x_max * 0.005, y, "%.0f ms" % (boot.end_ms - origin),
            va="center", fontsize=8)


def draw_compare(boots, path, scale):
    """boots: [(title, Boot)]; left from QEMU's start, right from the loader's first line."""
    fig, axes = panels(3 * len(boots), (1, 1))
    for y, (title, boot) in enumerate(boots):
        draw_parts(axes[0], y, boot, 0, scale.whole, "whole-%d" % y)
        first = boot.part("firmware")[0].end_ms
        draw_parts(axes[1], y, boot, first, scale.rest, "rest-%d" % y)
    axes[0].set_yticks(range(len(boots)), [t for t, _ in boots])
    axes[0].set_ylim(len(boots) - 0.5, -0.5)
    axes[0].set_xlim(0, scale.whole * 1.1)         # room for the totals
    axes[0].set_xlabel("ms from QEMU's start")
    axes[1].set_xlim(0, scale.rest * 1.1)
    axes[1].set_xlabel("ms from the loader's first line (the firmware left out)")
    fig.suptitle("Where the boot's time goes: firmware, loader, hand-off, kernel (one scale per side)")
    save(fig, TCG_NOTE, path, left=0.19)
