#!/bin/sh
# ahci-disks.sh - the AHCI driver on the disks of one q35 machine: the boot
# image on an AHCI controller (sda) and, on q35's own AHCI (00:1f.2):
#   port 1  sdb, 8 MiB, "TESSERA-BADDISK" in block 0, through QEMU's
#           blkdebug, which fails every read covering SECTOR with EIO
#           (not a scratch disk: the block layer's scratch test would write it)
#   port 2  an empty CD drive: must be logged as ATAPI and skipped
#   port 3  sdc, 3 TiB (a sparse file), GPT, partition 1 at sector
#           4999999488 (above 2^32: the LBA's upper bytes) holding random bytes
#
#   ahci-disks.sh IMG LOG SECTOR [ktest.sh options...]
#
# Passes when the ktests pass (ahci_read_error_reported, with
# ahci_bad_sector=SECTOR, reads SECTOR among three other reads in flight:
# only that one fails, and the kernel goes on), the log has
#   [ahci] sdb: read of sectors SECTOR..SECTOR failed: task-file error (...)
#   [ahci] port 2: ATAPI device (CD/DVD), signature 0xeb140101: skipped
#   [blk] sdc: 6442450944 sectors of 512 bytes, ...
# and what the kernel read back (blk_readback: the first MiB of each disk
# and partition) matches the files: the boot image as sda (the copy QEMU
# booted, which boot.sh --keep leaves: its boot.cfg holds the cell's
# command line), the 3 TiB disk as sdc (tests/qemu/blk-readback.sh). SECTOR must lie beyond the first
# MiB of sdb (blk_readback reads that far).
set -eu
img=$1 log=$2 sector=$3
shift 3
here=$(dirname "$0")
bad=$log.baddisk conf=$log.blkdebug big=$log.big
mkdir -p "$(dirname "$log")"
rm -f "$bad" "$big"
truncate -s 8M "$bad"
printf 'TESSERA-BADDISK' | dd of="$bad" conv=notrunc status=none
printf '[inject-error]\nevent = "read_aio"\nerrno = "5"\nsector = "%s"\n' "$sector" > "$conf"
truncate -s 3T "$big"
sgdisk -n 1:4999999488:+2559 -t 1:8300 "$big" > /dev/null
head -c $((2560 * 512)) /dev/urandom | dd of="$big" bs=512 seek=4999999488 conv=notrunc status=none
sh "$here/ktest.sh" "$img" "$log" --only "@boot,@disk" --words "ahci_bad_sector=$sector" \
    --log-has "^\\[ahci\\] sdb: read of sectors $sector\\.\\.$sector failed: task-file error" \
    --log-has "^\\[ahci\\] port 2: ATAPI device \\(CD/DVD\\), signature 0xeb140101: skipped" \
    --log-has "^\\[blk\\] sdc: 6442450944 sectors of 512 bytes, QEMU HARDDISK \\(ahci\\)" \
    --qemu "-drive file=blkdebug:$conf:$bad,if=none,id=bad,format=raw -device ide-hd,drive=bad,bus=ide.1 -device ide-cd,bus=ide.2 -drive file=$big,if=none,id=big,format=raw -device ide-hd,drive=big,bus=ide.3" \
    --machine q35 --disk ahci --keep "$@"
sh "$here/blk-readback.sh" "$log.img" "$log" sda
sh "$here/blk-readback.sh" "$big" "$log" sdc
rm -f "$big" "$bad" "$log.img"
