# cells.py - which character cells of a screen picture hold a glyph: the
# picture read back as text rows, for tests/screens/check.py.
#
#   cells_read(image, geometry) -> Cells: rows (one string per text row,
#       '#' where a cell holds a glyph, '.' where it is empty), colours
#
# The background is the picture's commonest colour, the text colour the
# commonest other one; a cell holds a glyph when one of its pixels has the
# text colour (other colours, such as the TianoCore logo OVMF draws, are
# not text). Geometry: the cell's width and height in pixels, the text
# area's columns and rows, its top-left corner. With cursor=True a cell
# whose text-colour pixels are only whole cell-wide lines is the VGA
# cursor (a block of scanlines), not a glyph: no character fills its
# cell's whole width on those lines, and the cursor blinks, so a picture
# may show it or not.
from collections import Counter


class Geometry:
    def __init__(self, cell_w, cell_h, cols, rows, x0=0, y0=0, cursor=False):
        self.cell_w, self.cell_h = cell_w, cell_h
        self.cols, self.rows = cols, rows
        self.x0, self.y0 = x0, y0
        self.cursor = cursor


class Cells:
    def __init__(self, rows, background, text, text_pixels):
        self.rows = rows
        self.background, self.text = background, text
        self.text_pixels = text_pixels        # pixels of the text colour in the whole picture


def colours(image):
    """(background, text colour, pixels of the text colour)."""
    count = Counter()
    step = image.channels
    for row in image.rows:
        for i in range(0, len(row), step):
            count[bytes(row[i:i + 3])] += 1
    common = count.most_common(2)
    if len(common) < 2:
        return common[0][0], None, 0
    return common[0][0], common[1][0], common[1][1]


def lit_columns(row, colour, step, x0, x1):
    """The x in [x0, x1) where ROW has COLOUR."""
    return [x for x in range(x0, x1) if row[x * step:x * step + 3] == colour]


def cell_glyphs(image, g, colour, top):
    """'#'/'.' for each cell of the text row whose top pixel row is TOP."""
    lines = {}                          # column -> text-colour pixels per scanline
    for y in range(top, min(top + g.cell_h, image.height)):
        for x in lit_columns(image.rows[y], colour, image.channels, g.x0,
                             min(g.x0 + g.cols * g.cell_w, image.width)):
            col = (x - g.x0) // g.cell_w
            lines.setdefault(col, Counter())[y] += 1
    out = []
    for col in range(g.cols):
        counts = lines.get(col)
        glyph = counts is not None and not (
            g.cursor and all(n == g.cell_w for n in counts.values()))
        out.append("#" if glyph else ".")
    return "".join(out)


def cells_read(image, g):
    background, text, n = colours(image)
    rows = []
    if text is not None:
        for r in range(g.rows):
            rows.append(cell_glyphs(image, g, text, g.y0 + r * g.cell_h))
    return Cells(rows, background, text, n)
