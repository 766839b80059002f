# check.py - does each picture of `make screens` show what it should?
# (tests/screens/moments.txt names the moments, docs/screens.md shows them.)
#
#   check.py MOMENTS OUTDIR FONT
#
# For each moment: OUTDIR/NAME.png (tests/screens/png.py reads it) against
# OUTDIR/FIRMWARE-serial.log, the serial log of the boot it was taken in.
# The expected text is the serial log's lines up to the moment's `last`
# line (after the last clear-screen escape the firmware sent, escapes
# removed), each wrapped at the screen's width. The picture must
#   - have the screen's size: 720x400 for VGA text, the mode the loader
#     set for the kernel's console (its vbe: or gop: line), room for OVMF's
#     console on the GOP;
#   - not be blank: a background and a text colour;
#   - read back (tests/screens/cells.py: which cells hold a glyph) as the
#     expected text: its last text row is the last row of the `last` line,
#     and the rows above it, one by one upwards, are the rows above that
#     line in the log. So a picture taken before or after the moment
#     (another last line), a blank one or one of another screen fails.
# Allowed, each for a reason: on the VGA text screen two rows above the
# loader's lines that serial never saw (SeaBIOS's banner and "Booting from
# Hard Disk..."); on the kernel's console, log lines that are missing from
# the screen (below its loglevel: the [mm] slab lines are debug). FONT is
# the kernel's console font (build/kernel/font.psf): its cell size.
import os
import re
import struct
import sys
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cells import Geometry, cells_read  # noqa: E402
from moments import moments_read  # noqa: E402
from png import PngError, png_read  # noqa: E402

ESCAPE = re.compile(r"\x1b\[[0-9;=?]*[A-Za-z]")
CLEAR = "\x1b[2J"
MIN_ROWS = 8                    # text rows a real screen of this boot shows at least
GOP_CELL = (8, 19)              # UEFI 2.10, 34.8.2: EFI_GLYPH_WIDTH x EFI_GLYPH_HEIGHT
GOP_TEXT = (100, 31)            # OVMF's console mode (PcdConOutColumn, PcdConOutRow), centred
PSF1_MAGIC = b"\x36\x04"
PSF2_MAGIC = b"\x72\xb5\x4a\x86"


class CheckError(Exception):
    pass


class Screen:
    """How to read one kind of screen: geometry, rows allowed above, lines allowed missing."""

    def __init__(self, geometry, extra_top=0, skips=False):
        self.geometry, self.extra_top, self.skips = geometry, extra_top, skips


def psf_cell(path):
    """(width, height) of the PSF font at PATH (PSF1: 8 wide; PSF2: its header)."""
    with open(path, "rb") as f:
        head = f.read(32)
    if head[:2] == PSF1_MAGIC:
        return 8, head[3]
    if head[:4] == PSF2_MAGIC:
        height, width = struct.unpack("<II", head[24:32])
        return width, height
    raise CheckError("psf_cell: %s is not a PSF font" % path)


def log_lines(path):
    """The lines on the screen's side of the log: after the last clear, without escapes."""
    with open(path, encoding="latin-1") as f:
        text = f.read().replace("\r", "")
    return ESCAPE.sub("", text.split(CLEAR)[-1]).split("\n")


def fb_size(lines):
    """The framebuffer's size, from the loader's line about the mode it set."""
    for line in lines:
        m = re.search(r"^(stage2: vbe|uefi: gop): mode [^,]*, (\d+)x(\d+)x\d+", line)
        if m:
            return int(m.group(2)), int(m.group(3))
    raise CheckError("no 'stage2: vbe: mode ..., WxHxBPP' or 'uefi: gop: ...' line in the serial log")


def screen_of(kind, image, lines, font):
    """The Screen for KIND; CheckError when the picture's size is not that screen's."""
    w, h = image.width, image.height
    if kind == "vga-text":              # mode 3 as QEMU draws it: 80x25 cells of 9x16 pixels
        want = (720, 400)
        screen = Screen(Geometry(9, 16, 80, 25, cursor=True), extra_top=2)
    elif kind == "fbcon":
        want = fb_size(lines)
        cw, ch = psf_cell(font)
        screen = Screen(Geometry(cw, ch, w // cw, h // ch), skips=True)
    else:
        cw, ch = GOP_CELL
        cols, rows = GOP_TEXT
        want = (max(w, cols * cw), max(h, rows * ch))
        screen = Screen(Geometry(cw, ch, cols, rows, (w - cols * cw) // 2, (h - rows * ch) // 2))
    if (w, h) != want:
        raise CheckError("the picture is %dx%d, the %s screen is %dx%d" % (w, h, kind, *want))
    return screen


def expected_rows(lines, last, cols):
    """The rows the log's lines up to the first LAST line fill at COLS wide, '#' per glyph."""
    for n, line in enumerate(lines):
        if last.search(line):
            break
    else:
        raise CheckError("no line matching %r in the serial log" % last.pattern)
    rows = []
    for line in lines[:n + 1]:
        line = line.rstrip()
        for i in range(0, max(len(line), 1), cols):
            rows.append("".join("." if c == " " else "#" for c in line[i:i + cols]).ljust(cols, "."))
    return rows, lines[n]


def match(shown, expected, screen):
    """How many rows of SHOWN, from its last text row up, are EXPECTED's rows (in order)."""
    while shown and "#" not in shown[-1]:
        shown = shown[:-1]
    if not shown or shown[-1] != expected[-1]:
        raise CheckError("the last text row on the screen is not the last row of the moment's last line:\n"
                         "  screen:   %s\n  expected: %s" % (shown[-1] if shown else "(none)", expected[-1]))
    j, matched = len(expected) - 1, 1
    for row in reversed(shown[:-1]):
        k = j - 1
        while screen.skips and k >= 0 and expected[k] != row:
            k -= 1
        if k < 0 or expected[k] != row:
            break
        j, matched = k, matched + 1
    return matched, len(shown)


def check(moment, outdir, font):
    image = png_read(os.path.join(outdir, moment.name + ".png"))
    lines = log_lines(os.path.join(outdir, moment.firmware + "-serial.log"))
    screen = screen_of(moment.screen, image, lines, font)
    cells = cells_read(image, screen.geometry)
    if cells.text is None or cells.text_pixels < image.width * image.height // 500:
        raise CheckError("blank: %s" % ("one colour" if cells.text is None else
                                        "%d pixels of text colour" % cells.text_pixels))
    expected, last = expected_rows(lines, moment.last, screen.geometry.cols)
    matched, shown = match(cells.rows, expected, screen)
    if shown - matched > screen.extra_top or matched < MIN_ROWS:
        raise CheckError("%d of the screen's %d text rows are the log's, from the last up; %d may "
                         "differ at the top, %d must match; the first that differs (from the bottom):\n"
                         "  screen: %s" % (matched, shown, screen.extra_top, MIN_ROWS,
                                           cells.rows[shown - matched - 1] if shown > matched else "-"))
    return "%dx%d, %d text rows read back as the serial log's, ending with %r" % (
        image.width, image.height, matched, last[:60])


def main(argv):
    if len(argv) != 4:
        print("usage: check.py MOMENTS OUTDIR FONT")
        return 2
    failed = 0
    for moment in moments_read(argv[1]):
        try:
            print("ok: screens: %s: %s" % (moment.name, check(moment, argv[2], argv[3])))
        except (CheckError, PngError, OSError, ValueError, zlib.error) as e:
            print("FAIL: screens: %s: %s" % (moment.name, e))
            failed += 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
