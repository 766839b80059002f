#!/bin/sh
# blk-scratch-selftest.sh - blk-scratch-check.sh must pass a scratch file
# that holds the pattern (docs/storage.md, "Testing a driver") and fail
# every way a disk can get it wrong. The good file is made here with
# Python's own arithmetic from the rule the kernel follows
# (kernel/test/test_block_disks.c, scratch_pattern), then damaged:
#   - never written (zeros after the magic), one byte changed, two blocks
#     swapped (a write to the wrong place), the last block lost, block 0's
#     magic overwritten, and a log whose seed is not the file's.
# Each case must give the expected verdict; the RAM-disk cells cannot check
# a file (their writes stay in guest memory), the disk drivers' cells do.
set -u
dir=$(dirname "$0") tmp=${BUILD:-build}/tests/blk/selftest
mkdir -p "$tmp"
python3 - "$tmp" <<'PY'
import os, struct, sys
tmp = sys.argv[1]
seed, bs, blocks = 0x1234ABCD5678EF01, 512, 128
def block(b):
    words = [b, seed] + [((b * 0x9E3779B97F4A7C15) % 2**64) ^ ((seed + k) % 2**64) for k in range(2, bs // 8)]
    return struct.pack(f"<{bs // 8}Q", *words)
good = bytearray(b"TESSERA-SCRATCH".ljust(bs, b"\0") + b"".join(block(b) for b in range(1, blocks)))
def put(name, data):
    open(os.path.join(tmp, name), "wb").write(data)
put("good.img", good)
put("zeros.img", bytearray(b"TESSERA-SCRATCH".ljust(bs * blocks, b"\0")))
d = bytearray(good); d[77 * bs + 100] ^= 1; put("byte.img", d)
d = bytearray(good); d[5 * bs:6 * bs], d[9 * bs:10 * bs] = good[9 * bs:10 * bs], good[5 * bs:6 * bs]; put("swap.img", d)
d = bytearray(good); d[(blocks - 1) * bs:] = bytes(bs); put("last.img", d)
d = bytearray(good); d[0:7] = b"XXXXXXX"; put("magic.img", d)
open(os.path.join(tmp, "good.log"), "w").write(f"blk: scratch vdb blocks 1..{blocks - 1} seed 0x{seed:016x}, 2 threads on 2 CPUs\n")
open(os.path.join(tmp, "other.log"), "w").write(f"blk: scratch vdb blocks 1..{blocks - 1} seed 0x{seed + 1:016x}, 2 threads on 2 CPUs\n")
PY
bad=0
expect() {      # expect VERDICT FILE [LOG]
    want=$1
    shift
    if sh "$dir/blk-scratch-check.sh" "$@" > "$tmp/out" 2>&1; then got=pass; else got=fail; fi
    echo "$want/$got: $* : $(cat "$tmp/out")"
    [ "$got" = "$want" ] || bad=1
}
expect pass "$tmp/good.img"
expect pass "$tmp/good.img" "$tmp/good.log"
expect fail "$tmp/good.img" "$tmp/other.log"
for f in zeros byte swap last magic; do
    expect fail "$tmp/$f.img"
done
[ $bad -eq 0 ] || { echo "blk-scratch-selftest.sh: a verdict was wrong"; exit 1; }
echo "ok: blk-scratch-check.sh passes the pattern and fails each damage"
