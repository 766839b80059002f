#!/bin/sh
# bad-fat.sh - break the FAT32 file system of a copy of a BIOS image in one
# way and check that stage2 refuses it with exactly the line of fat.asm that
# names the fault, and halts (halts.sh).
#
#   bad-fat.sh CASE IMG LOG
#
# CASE is one of:
#   chain-too-long      /boot/boot.cfg's cluster chain goes on for one more
#                       cluster after the file's last (the size says one
#                       cluster; the FAT says two)
#   fat-size-overflow   the BPB claims 2^30 + 100 clusters with an 8-sector
#                       FAT: (clusters + 2) * 4 bytes wraps round 2^32 to a
#                       few bytes, which a 32-bit check lets pass
#   fat32-max-clusters  the BPB claims 0FFFFFF6h clusters (one more than FAT32
#                       allows) with a FAT big enough for them
# The numbers come from the image (the BPB as mkfs.fat wrote it, the chain as
# mtools' mshowfat sees it), not from the loader.
set -u
case=$1 img=$2 log=$3
work="$log.bad.img"
PART=2048                               # the partition's first sector (mkimage-bios.sh)
BPB=$(( PART * 512 ))                   # byte offsets of the BPB fields (FAT specification)
export MTOOLS_SKIP_CHECK=1
cp --sparse=always "$img" "$work"
trap 'rm -f "$work"' EXIT

# get OFFSET BYTES: a little-endian number of the copy; put OFFSET BYTES VALUE writes one.
get() { od -An -tu"$2" -j"$1" -N"$2" "$work" | tr -d ' '; }
put() {
    v=$3 bytes=""
    for _ in $(seq "$2"); do bytes="$bytes$(printf '\\%03o' $(( v & 255 )))"; v=$(( v >> 8 )); done
    printf "$bytes" | dd of="$work" bs=1 seek="$1" conv=notrunc status=none
}
rsvd=$(get $(( BPB + 14 )) 2) nfats=$(get $(( BPB + 16 )) 1) fatsz=$(get $(( BPB + 36 )) 4)
[ "$(get $(( BPB + 17 )) 2)" = 0 ] || { echo "bad-fat.sh: $img is not FAT32"; exit 2; }
fat_at=$(( BPB + rsvd * 512 ))          # the first FAT's first byte
MBR_PART1_SIZE=458                      # MBR: entry 1 at 446, its sector count at +12

case $case in
chain-too-long)
    first=$(mshowfat -i "$work@@$BPB" ::/boot/boot.cfg | sed -nE 's/.*<([0-9]+)>$/\1/p')
    [ -n "$first" ] || { echo "bad-fat.sh: /boot/boot.cfg is not one cluster"; exit 2; }
    total=$(get $(( BPB + 32 )) 4)
    last=$(( total - rsvd - nfats * fatsz + 1 ))    # the volume's last cluster: free
    for f in $(seq 0 $(( nfats - 1 ))); do
        put $(( fat_at + f * fatsz * 512 + first * 4 )) 4 "$last"
        put $(( fat_at + f * fatsz * 512 + last * 4 )) 4 $(( 0x0FFFFFFF ))
    done
    expect='stage2: fat: error, a cluster chain goes on past the end of its file' ;;
fat-size-overflow)
    clusters=$(( (1 << 30) + 100 )) fatsz=8
    put $(( BPB + 36 )) 4 $fatsz
    put $(( BPB + 32 )) 4 $(( rsvd + nfats * fatsz + clusters ))
    put $MBR_PART1_SIZE 4 $(( 0x7FFFFFFF ))
    expect='stage2: fat: error, bad BPB: the FAT has fewer entries than the volume has clusters' ;;
fat32-max-clusters)
    clusters=$(( 0x0FFFFFF6 ))
    fatsz=$(( ((clusters + 2) * 4 + 511) / 512 ))
    put $(( BPB + 36 )) 4 $fatsz
    put $(( BPB + 32 )) 4 $(( rsvd + nfats * fatsz + clusters ))
    put $MBR_PART1_SIZE 4 $(( 0x7FFFFFFF ))
    expect='stage2: fat: error, bad BPB: more than 0FFFFFF5h clusters, the FAT32 maximum' ;;
*) echo "bad-fat.sh: unknown case $case"; exit 2 ;;
esac

sh "$(dirname "$0")/halts.sh" "$work" "$log.serial" "$expect"
