#!/bin/sh
# blk-readback.sh IMAGE LOG DISK - check the kernel's read-back of a disk
# against the image file it was made from (ktest blk_readback,
# kernel/test/test_block_disks.c; docs/storage.md, "Testing a driver").
#
# LOG holds the boot's serial output; DISK is the name the kernel gave the
# image's disk (sda, vda, nvme0n1, ram0, ...). For DISK and each of its
# partitions (DISK1, DISKp1, ...) the log must have
#     [blk] NAME: N sectors of S bytes, ...
#     blk: readback NAME blocks A..B crc32 0xXXXXXXXX
# and the CRC-32 the host computes (Python's zlib) over the same blocks of
# IMAGE (a partition's from its start as `sfdisk -d IMAGE` gives it) must
# be the same. The whole disk's size must be the image's; every partition
# sfdisk lists (but extended containers) must have been found and read,
# and no other. Disks with 4096-byte sectors are checked as whole disks
# only (sfdisk reads image files with 512-byte sectors). A partition the
# log says the kernel mounted read-write ("[vfs] mounted sda2 (ext2) on /")
# may differ: its file system wrote its superblock at mount.
set -eu
[ $# -eq 3 ] || { echo "usage: blk-readback.sh IMAGE LOG DISK"; exit 2; }
img=$1 log=$2 disk=$3
parts=$(sfdisk -d "$img" 2>/dev/null | sed -nE 's/^.*[^0-9]([0-9]+) : start= *([0-9]+), size= *([0-9]+), type=([^,]+).*/\1 \2 \3 \4/p') || parts=""
exec python3 - "$img" "$log" "$disk" "$parts" <<'PY'
import re, sys, zlib, os
img, log, disk, parts = sys.argv[1:5]
text = open(log, errors="replace").read().replace("\r", "")
def fail(msg):
    print("blk-readback.sh: " + msg)
    sys.exit(1)
sizes = {n: (int(c), int(s)) for n, c, s in
         re.findall(r"^\[blk\] (\S+): (\d+) sectors of (\d+) bytes, ", text, re.M)}
reads = {n: (int(a), int(b), int(c, 16)) for n, a, b, c in
         re.findall(r"^blk: readback (\S+) blocks (\d+)\.\.(\d+) crc32 0x([0-9a-f]{8})$", text, re.M)}
if disk not in sizes:
    fail(f"no '[blk] {disk}: N sectors of S bytes' line: the kernel did not register the disk")
count, bs = sizes[disk]
if count * bs != os.path.getsize(img):
    fail(f"{disk}: {count} sectors of {bs} bytes, but {img} is {os.path.getsize(img)} bytes")
sep = "p" if disk[-1].isdigit() else ""
want = {disk: 0}
if bs == 512:
    for row in parts.splitlines():
        idx, start, size, ptype = row.split()
        if ptype.lower() in ("5", "f", "85"):
            continue
        want[f"{disk}{sep}{idx}"] = int(start)
        if sizes.get(f"{disk}{sep}{idx}", (None,))[0] != int(size):
            fail(f"{disk}{sep}{idx}: sfdisk says {size} sectors, the kernel {sizes.get(disk + sep + idx)}")
# Partitions the kernel mounted read-write (the root, /boot) before the read-back: a file
# system writes its superblock at mount, so their blocks may differ from the image's.
mounted_rw = {n for n, rest in re.findall(r"^\[vfs\] mounted (\S+) \((?:ext2|vfat)\) on (.*)$", text, re.M)
              if "read-only" not in rest}
found = {n for n in sizes if re.fullmatch(re.escape(disk) + sep + r"\d+", n)}
if bs == 512 and found != set(want) - {disk}:
    fail(f"partitions: the kernel registered {sorted(found)}, sfdisk lists {sorted(set(want) - {disk})}")
with open(img, "rb") as f:
    for name, start in sorted(want.items()):
        if name not in reads:
            fail(f"no 'blk: readback {name} ...' line")
        a, b, crc = reads[name]
        f.seek((start + a) * bs)
        host = zlib.crc32(f.read((b - a + 1) * bs))
        if host != crc and name in mounted_rw:
            print(f"ok: {name} blocks {a}..{b} differ, but the kernel mounted it read-write before "
                  f"reading (a superblock's mount state and times change): not compared")
            continue
        if host != crc:
            fail(f"{name} blocks {a}..{b}: kernel crc32 0x{crc:08x}, host 0x{host:08x}")
        print(f"ok: {name} blocks {a}..{b} crc32 0x{crc:08x}")
PY
