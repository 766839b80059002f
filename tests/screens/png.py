# png.py - read a PNG into rows of pixels, with python3's zlib only (no
# PIL): what tests/screens/check.py looks at in the pictures `make screens`
# took (docs/screens.md).
#
#   png_read(path) -> Image: width, height, channels (3 RGB, 4 RGBA) and
#       rows: one bytearray per scanline, the samples of each pixel in turn
#
# Enough of the PNG specification (ISO/IEC 15948, W3C PNG 2nd edition) for
# QEMU's screendump: 8-bit samples, colour type 2 (RGB) or 6 (RGBA), no
# interlace; IHDR, IDAT chunks concatenated and inflated, each scanline
# unfiltered by its filter byte (section 9: None, Sub, Up, Average,
# Paeth). Anything else raises PngError with what it found, and so does
# a chunk whose CRC is wrong: a truncated or damaged file is not a picture.
import struct
import zlib

SIGNATURE = b"\x89PNG\r\n\x1a\n"
CHANNELS = {2: 3, 6: 4}                 # colour type -> samples per pixel


class PngError(Exception):
    pass


class Image:
    def __init__(self, width, height, channels, rows):
        self.width, self.height = width, height
        self.channels = channels
        self.rows = rows                # height bytearrays, width * channels bytes each


def chunks(data, path):
    """(type, body) of each chunk, CRCs checked."""
    pos = len(SIGNATURE)
    while pos + 12 <= len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        crc, = struct.unpack(">I", data[pos + 8 + length:pos + 12 + length] or b"\0\0\0\0")
        if len(body) != length or zlib.crc32(kind + body) != crc:
            raise PngError("png_read: %s: chunk %r damaged or truncated" % (path, kind))
        yield kind, body
        pos += 12 + length


def paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def unfilter(kind, line, prev, bpp, path):
    """Scanline LINE with filter KIND undone, PREV the row above (section 9.2)."""
    out = bytearray(line)
    if kind == 0:
        return out
    if kind == 2:
        return bytearray((x + p) & 0xFF for x, p in zip(line, prev))
    for i in range(len(out)):
        a = out[i - bpp] if i >= bpp else 0
        b = prev[i]
        if kind == 1:
            out[i] = (out[i] + a) & 0xFF
        elif kind == 3:
            out[i] = (out[i] + (a + b) // 2) & 0xFF
        elif kind == 4:
            out[i] = (out[i] + paeth(a, b, prev[i - bpp] if i >= bpp else 0)) & 0xFF
        else:
            raise PngError("png_read: %s: unknown filter type %d" % (path, kind))
    return out


def png_read(path):
    with open(path, "rb") as f:
        data = f.read()
    if not data.startswith(SIGNATURE):
        raise PngError("png_read: %s: not a PNG file" % path)
    header, idat = None, []
    for kind, body in chunks(data, path):
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
    if header is None:
        raise PngError("png_read: %s: no IHDR chunk" % path)
    width, height, depth, colour, _, _, interlace = header
    if depth != 8 or colour not in CHANNELS or interlace:
        raise PngError("png_read: %s: depth %d, colour type %d, interlace %d: only 8-bit RGB/RGBA, "
                       "not interlaced" % (path, depth, colour, interlace))
    raw = zlib.decompress(b"".join(idat))
    bpp = CHANNELS[colour]
    stride = width * bpp
    if len(raw) != height * (stride + 1):
        raise PngError("png_read: %s: %d bytes of image data for %dx%d" % (path, len(raw), width, height))
    rows, prev = [], bytearray(stride)
    for y in range(height):
        line = raw[y * (stride + 1):(y + 1) * (stride + 1)]
        prev = unfilter(line[0], line[1:], prev, bpp, path)
        rows.append(prev)
    return Image(width, height, bpp, rows)
