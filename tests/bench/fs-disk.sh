#!/bin/sh
# fs-disk.sh - the file-system bench's disk, made as the Linux anchor makes
# its disk.img (../shared/anchors/linux/mkdiskkit.sh), without root:
#
#   fs-disk.sh OUT.img
#
# 400 MiB, MBR (disk signature 0x7e55e4a0): partition 1 ext2 with 4 KiB
# blocks (96 MiB at sector 2048, made by mke2fs -d), partition 2 FAT32 with
# 4 KiB clusters (300 MiB at sector 198656, mkfs.vfat + mcopy); both hold
# file32m, 32 MiB of the pattern (i * 7 + 13) & 255 repeated every 4 KiB.
# Fixed volume ids and hash seed, so every run reads the same bytes.
set -eu
out=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 -c "import sys; b=bytes((i*7+13)&255 for i in range(4096)); sys.stdout.buffer.write(b*8192)" > "$tmp/file32m"
mkdir "$tmp/root"
cp "$tmp/file32m" "$tmp/root/file32m"
mke2fs -q -F -t ext2 -b 4096 -L anchorext2 -U 7e55e4a0-0000-4000-8000-000000000001 \
    -E root_owner=0:0,hash_seed=7e55e4a0-0000-4000-8000-000000000002 -d "$tmp/root" "$tmp/p1.img" 96M >/dev/null
mkfs.vfat -C -F 32 -s 8 -S 512 -n ANCHORFAT -i 7e55e4a0 "$tmp/p2.img" 307200 >/dev/null
mcopy -i "$tmp/p2.img" "$tmp/file32m" ::file32m
rm -f "$out.tmp"
truncate -s 400M "$out.tmp"
printf 'label: dos\nlabel-id: 0x7e55e4a0\nstart=2048, size=196608, type=83\nstart=198656, size=614400, type=c\n' |
    sfdisk -q "$out.tmp"
dd if="$tmp/p1.img" of="$out.tmp" bs=512 seek=2048 conv=notrunc,sparse status=none
dd if="$tmp/p2.img" of="$out.tmp" bs=512 seek=198656 conv=notrunc,sparse status=none
mv "$out.tmp" "$out"
