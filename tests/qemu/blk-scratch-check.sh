#!/bin/sh
# blk-scratch-check.sh SCRATCH_FILE [LOG] - after QEMU exits, check every
# block of a scratch disk the kernel wrote (ktest blk_scratch_write,
# kernel/test/test_block_disks.c; docs/storage.md, "Testing a driver").
#
# Block 0 must still begin with TESSERA-SCRATCH (the kernel never writes
# it); every other block b must hold the pattern: 64-bit little-endian
# words, word 0 = b, word 1 = the seed (the same in every block, never 0),
# word k >= 2 = (b * 0x9E3779B97F4A7C15 mod 2^64) XOR (seed + k). The block
# size (512 or 4096) is the one at which block 1 holds the number 1. With
# LOG, the seed and the block range must be the ones the kernel printed:
#     blk: scratch NAME blocks 1..N seed 0xSEED, ...
# A file the kernel never wrote (zeros), a block lost, torn, or written to
# the wrong place fails, naming the first bad block.
set -eu
[ $# -ge 1 ] && [ $# -le 2 ] || { echo "usage: blk-scratch-check.sh SCRATCH_FILE [LOG]"; exit 2; }
exec python3 - "$@" <<'PY'
import re, struct, sys
path = sys.argv[1]
data = open(path, "rb").read()
MULT, MASK = 0x9E3779B97F4A7C15, (1 << 64) - 1
def fail(msg):
    print("blk-scratch-check.sh: " + msg)
    sys.exit(1)
if not data.startswith(b"TESSERA-SCRATCH"):
    fail("block 0 does not begin with TESSERA-SCRATCH")
bs = next((s for s in (512, 4096) if len(data) >= 2 * s and struct.unpack_from("<Q", data, s)[0] == 1), None)
if bs is None:
    fail("block 1 does not hold its number at 512 or 4096 bytes: never written")
blocks = len(data) // bs
seed = struct.unpack_from("<Q", data, bs + 8)[0]
if seed == 0:
    fail("seed 0 in block 1")
for b in range(1, blocks):
    words = struct.unpack_from(f"<{bs // 8}Q", data, b * bs)
    base = (b * MULT) & MASK
    want = (b, seed) + tuple(base ^ ((seed + k) & MASK) for k in range(2, bs // 8))
    if words != want:
        k = next(i for i in range(len(want)) if words[i] != want[i])
        fail(f"block {b} of {blocks} (bytes {bs}): word {k} is 0x{words[k]:016x}, expected 0x{want[k]:016x}")
if len(sys.argv) > 2:
    text = open(sys.argv[2], errors="replace").read()
    m = re.search(r"^blk: scratch \S+ blocks 1\.\.(\d+) seed 0x([0-9a-f]+),", text, re.M)
    if not m:
        fail("no 'blk: scratch NAME blocks 1..N seed 0x...' line in " + sys.argv[2])
    if int(m.group(1)) != blocks - 1 or int(m.group(2), 16) != seed:
        fail(f"the log says blocks 1..{m.group(1)} seed 0x{m.group(2)}; the file has 1..{blocks - 1} seed 0x{seed:x}")
print(f"ok: {path}: blocks 1..{blocks - 1} of {bs} bytes hold the pattern, seed 0x{seed:016x}")
PY
