#!/bin/sh
# fat-images.sh DIR - the FAT volumes the fat_ ktests mount (kernel/test/test_fat.c),
# made by mkfs.fat and filled by mtools, given to the kernel as module RAM disks
# (drivers/block/storage.c; the cell fat/ramdisk-* in tests/cases.sh):
#   fat12.img   1.4 MiB FAT12; fat16.img 16 MiB FAT16 (2 KiB clusters);
#   fat32.img   33 MiB FAT32 (512-byte clusters), each holding
#                 HELLO.TXT                      "hello from mtools\n"
#                 A long file name – ünï.txt     lines 0..999 of "tessera fat line %05d\n"
#                 deep/er/big.bin                lines 0..19999 of the same
#   fat-bad.img fat12.img with its boot sector signature wiped: refused
#   fat-leak.img fat16.img plus LEAK.BIN, whose first cluster links to 0xFFF0,
#               a cluster outside the volume: reading it is -EIO, the mount read-only
set -eu
dir=$1
mkdir -p "$dir"
export MTOOLS_SKIP_CHECK=1 LC_ALL=C.UTF-8
src=$(mktemp -d)
trap 'rm -rf "$src"' EXIT
printf 'hello from mtools\n' > "$src/HELLO.TXT"
awk 'BEGIN { for (i = 0; i < 1000; i++) printf "tessera fat line %05d\n", i }' > "$src/long"
awk 'BEGIN { for (i = 0; i < 20000; i++) printf "tessera fat line %05d\n", i }' > "$src/big.bin"
cp "$src/long" "$src/A long file name – ünï.txt"
make_one() {  # NAME MKFS-OPTIONS KIB
    rm -f "$dir/$1.tmp"
    # shellcheck disable=SC2086
    mkfs.fat -C $2 -i 7e55e4a0 "$dir/$1.tmp" "$3" >/dev/null
    mcopy -i "$dir/$1.tmp" "$src/HELLO.TXT" "$src/A long file name – ünï.txt" ::
    mmd -i "$dir/$1.tmp" ::deep ::deep/er
    mcopy -i "$dir/$1.tmp" "$src/big.bin" ::deep/er/big.bin
}
make_one fat12 "-F 12" 1440
make_one fat16 "-F 16 -s 4" 16384
make_one fat32 "-F 32 -s 1" 33792
cp "$dir/fat12.tmp" "$dir/fat-bad.tmp"
printf '\000\000' | dd of="$dir/fat-bad.tmp" bs=1 seek=510 conv=notrunc 2>/dev/null
cp "$dir/fat16.tmp" "$dir/fat-leak.tmp"
head -c 12000 /dev/zero > "$src/LEAK.BIN"
mcopy -i "$dir/fat-leak.tmp" "$src/LEAK.BIN" ::
python3 - "$dir/fat-leak.tmp" <<'EOF'
import sys
f = open(sys.argv[1], 'r+b')
bs = f.read(512)
rd = lambda o, n: int.from_bytes(bs[o:o + n], 'little')
bps, rsvd, nfats, roots, fatsz = rd(11, 2), rd(14, 2), bs[16], rd(17, 2), rd(22, 2)
f.seek((rsvd + nfats * fatsz) * bps)
root = f.read(roots * 32)
for i in range(0, len(root), 32):
    if root[i:i + 11] == b'LEAK    BIN':
        first = int.from_bytes(root[i + 26:i + 28], 'little')
        for n in range(nfats):
            f.seek((rsvd + n * fatsz) * bps + 2 * first)
            f.write((0xFFF0).to_bytes(2, 'little'))
        break
else:
    sys.exit('LEAK.BIN not found')
EOF
for n in fat12 fat16 fat32 fat-bad fat-leak; do mv "$dir/$n.tmp" "$dir/$n.img"; done
