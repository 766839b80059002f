#!/bin/sh
# ext2-disk.sh IMG LOG [ktest.sh options] - files Tessera writes on ext2,
# judged by the host's tools. Makes a 64 MiB ext2 volume (1 KiB blocks, 8
# groups, label TESSERA-EXT2W) as a disk file LOG.ext2w.img, boots IMG with
# it as a second disk on q35's AHCI; the ktest ext2_disk_write
# (kernel/test/test_ext2.c) mounts it through the VFS, writes a tree, moves,
# unlinks, truncates, links, a file past 4 GiB, and unmounts. Then, on the
# host:
#   - e2fsck -fn finds nothing to fix, and the volume says it is clean;
#   - debugfs rdump of /tree, /moved and /links equals the same tree made by
#     the host (every byte, symlink targets, the hard link's bytes);
#   - /big5g is 5 GiB + 4 bytes, and the block debugfs bmap names for its
#     last block holds "TAIL".
set -u
img=$1 log=$2
shift 2
dir=$(dirname "$0")
disk=$log.ext2w.img exp=$log.expect out=$log.rdump
rm -rf "$disk" "$exp" "$out"
mke2fs -q -F -t ext2 -b 1024 -g 8192 -L TESSERA-EXT2W "$disk" 64M >/dev/null || exit 1
sh "$dir/ktest.sh" "$img" "$log" --as-is --log-has '^ktest: PASS ext2_disk_write$' \
    --qemu "-drive file=$disk,if=none,id=ext2w,format=raw -device ide-hd,drive=ext2w,bus=ide.1" "$@" || exit 1
fail() { echo "ext2-disk.sh: $*"; exit 1; }
e2fsck -fn "$disk" > "$log.fsck" 2>&1 || { cat "$log.fsck"; fail "e2fsck -fn found problems"; }
dumpe2fs -h "$disk" 2>/dev/null | grep -q '^Filesystem state: *clean$' || fail "the volume is not marked clean"
# The tree as test_ext2.c's ext2_disk_write leaves it.
python3 - "$exp" <<'PY' || exit 1
import os, sys
root = sys.argv[1]
sizes = [0, 100, 5000, 70000, 300000]
for j in range(20):
    os.makedirs(f"{root}/tree/d{j:02d}")
    for k in range(5):
        n = sizes[(j + k) % 5]
        with open(f"{root}/tree/d{j:02d}/f{k}", "wb") as f:
            f.write(bytes((i * 7 + 13 + j * 31 + k) & 255 for i in range(n)))
os.makedirs(f"{root}/moved")
os.rename(f"{root}/tree/d00", f"{root}/moved/d00")
os.unlink(f"{root}/tree/d01/f0")
os.truncate(f"{root}/tree/d04/f3", 1234)
os.makedirs(f"{root}/links")
os.symlink("../tree/d02/f1", f"{root}/links/fast")
os.symlink("x" * 100, f"{root}/links/slow")
os.link(f"{root}/tree/d03/f2", f"{root}/links/hard")
PY
mkdir -p "$out"
for d in tree moved links; do
    debugfs -R "rdump /$d $out" "$disk" >/dev/null 2>&1 || fail "debugfs rdump /$d failed"
done
diff -r --no-dereference "$exp" "$out" || fail "the tree read by debugfs differs from the host's"
debugfs -R 'stat /big5g' "$disk" 2>/dev/null | grep -q 'Size: 5368709124$' || fail "/big5g is not 5 GiB + 4 bytes"
block=$(debugfs -R 'bmap /big5g 5242880' "$disk" 2>/dev/null)
[ -n "$block" ] && [ "$block" != 0 ] || fail "/big5g has no block at 5 GiB"
tail=$(dd if="$disk" bs=1024 skip="$block" count=1 status=none | head -c 4)
[ "$tail" = TAIL ] || fail "block $block of /big5g holds '$tail', not TAIL"
rm -rf "$exp" "$out" "$disk"
echo "ext2-disk.sh: e2fsck clean, debugfs reads back every file Tessera wrote"
