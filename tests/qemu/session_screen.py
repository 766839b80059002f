# session_screen.py - the screen read back as text, for tests/qemu/session.py: QEMU's
# screendump (PPM) cut into the console's 8x16 cells, each cell's lit pixels compared with
# the glyphs of the font the kernel draws with (build/kernel/font.psf, the PSF that
# kernel/build.mk takes from console-setup and kernel/arch/x86_64/font.asm embeds).
#
#   Screen(font=None).read(ppm) -> the text rows, trailing blanks dropped
#
# A pixel is lit when it differs from the cell's commonest colour, so any foreground and
# background pair reads the same (reverse video too). Scanlines lit across the whole cell
# are the VGA-style cursor and are ignored when the cell does not match as it is. A cell
# that matches no printable ASCII glyph reads as '?'. The text area is 128 x 48 cells at the
# top-left of the 1024x768 picture, as both loaders set the screen up (tests/qemu/vt-keys.py).
import os
from collections import Counter

CELL_W, CELL_H, COLS, ROWS = 8, 16, 128, 48
FONT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "build", "kernel", "font.psf")


def psf_ascii(path):
    """{16-byte bitmap: character} for the printable ASCII characters of a PSF1 or PSF2 font."""
    data = open(path, "rb").read()
    if data[:2] == b"\x36\x04":
        mode, height = data[2], data[3]
        count, size, start, width = (512 if mode & 1 else 256), height, 4, 8
        table = start + count * size if mode & 6 else None
    elif data[:4] == b"\x72\xb5\x4a\x86":
        fields = [int.from_bytes(data[i:i + 4], "little") for i in range(4, 32, 4)]
        _, start, flags, count, size, height, width = fields
        table = start + count * size if flags & 1 else None
    else:
        raise ValueError("%s: not a PSF font" % path)
    if width != CELL_W or height != CELL_H:
        raise ValueError("%s: %dx%d glyphs, not %dx%d" % (path, width, height, CELL_W, CELL_H))
    glyph_of = {}                                       # code point -> glyph index
    if table is None:
        glyph_of = {c: c for c in range(min(count, 256))}
    elif data[:2] == b"\x36\x04":
        g, i = 0, table
        while g < count and i + 1 < len(data):
            u = int.from_bytes(data[i:i + 2], "little")
            i += 2
            if u == 0xFFFF:
                g += 1
            elif u != 0xFFFE:
                glyph_of.setdefault(u, g)
    else:
        for g, entry in enumerate(data[table:].split(b"\xff")[:count]):
            for ch in entry.split(b"\xfe")[0].decode("utf-8", "replace"):
                glyph_of.setdefault(ord(ch), g)
    font = {}
    for c in range(0x20, 0x7f):
        if c in glyph_of:
            g = glyph_of[c]
            font.setdefault(data[start + g * size:start + (g + 1) * size], chr(c))
    return font


class Screen:
    def __init__(self, font=None):
        self.font = psf_ascii(font or FONT)
        self.blank = bytes(CELL_H)
        self.cells = {}                                 # a cell's pixels -> its character (they repeat)

    def cell_char(self, bitmap):
        if bitmap == self.blank:
            return " "
        c = self.font.get(bitmap)
        if c:
            return c
        cursor = [i for i in range(CELL_H) if bitmap[i] == 0xFF]
        if cursor:                                      # the cursor's scanlines over a glyph
            for glyph, ch in self.font.items():
                if all(glyph[i] == bitmap[i] for i in range(CELL_H) if i not in cursor):
                    return ch
            return " "
        return "?"

    def cell_text(self, cell):
        """The character of one cell's pixels (CELL_H rows of CELL_W RGB triples)."""
        if cell == cell[:3] * (CELL_W * CELL_H):
            return " "                                  # one colour: an empty cell
        pixels = [[cell[(y * CELL_W + x) * 3:(y * CELL_W + x) * 3 + 3] for x in range(CELL_W)]
                  for y in range(CELL_H)]
        back = Counter(p for line in pixels for p in line).most_common(1)[0][0]
        bitmap = bytes(sum(0x80 >> x for x in range(CELL_W) if row[x] != back) for row in pixels)
        return self.cell_char(bitmap)

    def read(self, path):
        data = open(path, "rb").read()
        parts = data.split(b"\n", 3)                    # P6, width height, maxval, pixels
        if parts[0] != b"P6":
            raise ValueError("%s: not a binary PPM" % path)
        width, height = map(int, parts[1].split())
        pix = parts[3]
        band_len = CELL_H * width * 3
        rows = []
        for r in range(min(ROWS, height // CELL_H)):
            band = pix[r * band_len:(r + 1) * band_len]
            if band == band[:3] * (width * CELL_H):
                rows.append("")                         # one colour: an empty row
                continue
            cols, span = min(COLS, width // CELL_W), CELL_W * 3
            scanlines = [[band[y * width * 3 + c * span:y * width * 3 + (c + 1) * span] for c in range(cols)]
                         for y in range(CELL_H)]
            line = []
            for cell in map(b"".join, zip(*scanlines)):    # a cell: its CELL_H spans, top to bottom
                ch = self.cells.get(cell)
                if ch is None:
                    ch = self.cells[cell] = self.cell_text(cell)
                line.append(ch)
            rows.append("".join(line).rstrip())
        return rows
