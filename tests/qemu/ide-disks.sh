#!/bin/sh
# ide-disks.sh KIND IMG LOG [ktest.sh options] - the IDE driver
# (drivers/ata/ide*.c) on the pc machine's PIIX3 IDE, with disks the host
# makes beside LOG; every ktest runs (tests/qemu/ktest.sh), then the host
# checks what the kernel read and wrote. KIND:
#
#   four    the boot image as primary master, a scratch disk as primary
#           slave, a data disk (random bytes, one MBR partition) as
#           secondary master, and a 200 GiB sparse disk as secondary slave
#           whose one partition starts at sector 300000000 (above LBA28's
#           2^28 sectors: only LBA48 commands reach it), random bytes there:
#             - blk-readback.sh for sda, sdc and sdd and their partitions:
#               the kernel's CRCs equal the host's over the image files;
#             - blk-scratch-check.sh: every block of the scratch disk, written
#               by several threads on several CPUs and flushed, holds the
#               pattern after QEMU exits.
#   pio     `ide=pio`: the boot image and the scratch disk, every command
#           by PIO ("PIO only (ide=pio)"): read-back and scratch; and an
#           empty CD drive as secondary master: ATAPI, logged and skipped.
#   error   a disk as secondary master whose block 0 says
#           "TESSERA-BADSECTOR 3000" and QEMU's blkdebug failing every read
#           of sector 3000: the ktest ide_read_error reads 2999, 3000 and
#           3001 (only 3000 fails) and the driver's log names sector 3000.
#   stall   `ide_stall=3`: the secondary channel leaves its first three
#           commands unsent, as to a drive that stops answering; a data disk (random
#           bytes, no partition table) as its master. Its first command (the
#           partition table's read) times out, is retried after a reset,
#           times out again and fails with BLOCK_ETIMEDOUT ("giving up"); the
#           next one times out once and succeeds on its retry: blk-readback.sh
#           then finds the disk's bytes read right.
set -u
kind=$1 img=$2 log=$3
shift 3
dir=$(dirname "$0")
work=$log.disks
rm -rf "$work" && mkdir -p "$work" || exit 1
hd() { echo "-drive file=$1,if=none,id=$2,format=raw -device ide-hd,drive=$2,bus=ide.$3,unit=$4"; }

# A disk of N MiB with random bytes and one MBR partition from sector 2048.
data_disk() {
    head -c $(($2 * 1024 * 1024)) /dev/urandom > "$1"
    printf 'label: dos\nstart=2048, type=83\n' | sfdisk -q "$1" > /dev/null
}
scratch_disk() {
    head -c $((2 * 1024 * 1024)) /dev/zero > "$1"
    printf 'TESSERA-SCRATCH' | dd of="$1" conv=notrunc status=none
}
# 200 GiB, sparse: one partition at sector 300000000 holding 1 MiB of random bytes.
big_disk() {
    truncate -s 200G "$1"
    printf 'label: dos\nstart=300000000, size=2048, type=83\n' | sfdisk -q "$1" > /dev/null
    head -c 1048576 /dev/urandom | dd of="$1" bs=512 seek=300000000 conv=notrunc status=none
}

case $kind in
four)
    scratch_disk "$work/scratch.img"
    data_disk "$work/data.img" 4
    big_disk "$work/big.img"
    extra="$(hd "$work/scratch.img" s 0 1) $(hd "$work/data.img" c 1 0) $(hd "$work/big.img" b 1 1)"
    sh "$dir/ktest.sh" "$img" "$log" --only "@boot,@disk" --scratch \
        --log-has '^\[ide\] 00:01\.1 primary: compatibility mode, ports 0x1f0/0x3f6, IRQ 14, bus master 0x' \
        --log-has '^\[ide\] 00:01\.1 secondary: compatibility mode, ports 0x170/0x376, IRQ 15, bus master 0x' \
        --log-has '^\[ide\] secondary slave: QEMU HARDDISK, 419430400 sectors, LBA48, bus-master DMA$' \
        --log-has '^\[blk\] sdd1: 2048 sectors of 512 bytes, ' \
        --log-has '^blk: scratch sdb blocks 1\.\.4095 seed ' --keep --qemu "$extra" "$@" || exit 1
    sh "$dir/blk-readback.sh" "$log.img" "$log" sda || exit 1
    sh "$dir/blk-readback.sh" "$work/data.img" "$log" sdc || exit 1
    sh "$dir/blk-readback.sh" "$work/big.img" "$log" sdd || exit 1
    sh "$dir/blk-scratch-check.sh" "$work/scratch.img" "$log" || exit 1 ;;
pio)
    scratch_disk "$work/scratch.img"
    sh "$dir/ktest.sh" "$img" "$log" --only "@boot,@disk" --scratch --words ide=pio \
        --log-has '^\[ide\] 00:01\.1 primary: .*, PIO only \(ide=pio\)$' \
        --log-has '^\[ide\] primary slave: QEMU HARDDISK, 4096 sectors, LBA48, PIO$' \
        --log-has '^\[ide\] secondary master: ATAPI device: skipped$' \
        --log-has '^blk: scratch sdb blocks 1\.\.4095 seed ' \
        --keep --qemu "$(hd "$work/scratch.img" s 0 1) -device ide-cd,bus=ide.1,unit=0" "$@" || exit 1
    sh "$dir/blk-readback.sh" "$log.img" "$log" sda || exit 1
    sh "$dir/blk-scratch-check.sh" "$work/scratch.img" "$log" || exit 1 ;;
error)
    head -c $((4 * 1024 * 1024)) /dev/zero > "$work/bad.img"
    printf 'TESSERA-BADSECTOR 3000\n' | dd of="$work/bad.img" conv=notrunc status=none
    printf '[inject-error]\nevent = "read_aio"\nerrno = "5"\nsector = "3000"\nonce = "off"\n' > "$work/blkdebug.cfg"
    sh "$dir/ktest.sh" "$img" "$log" --only "@boot,@disk" --badsector \
        --log-has '^\[ide\] sdb: read error at sector 3000 \(request 3000\+1\): status 0x[0-9a-f]{2} error 0x[0-9a-f]{2} \(' \
        --log-has '^ktest: PASS ide_read_error$' --qemu "$(hd "blkdebug:$work/blkdebug.cfg:$work/bad.img" e 1 0)" "$@" || exit 1 ;;
stall)
    head -c $((4 * 1024 * 1024)) /dev/urandom > "$work/data.img"
    dd if=/dev/zero of="$work/data.img" bs=512 count=1 conv=notrunc status=none
    t='timed out, status 0x[0-9a-f]{2}: '
    sh "$dir/ktest.sh" "$img" "$log" --only "@boot,@disk" --words ide_stall=3 \
        --log-has "^\\[ide\\] sdb: read of sectors 0\\+[0-9]+ \\(command 0x[0-9a-f]{2}\\) ${t}resetting the channel and retrying\$" \
        --log-has "^\\[ide\\] sdb: read of sectors 0\\+[0-9]+ \\(command 0x[0-9a-f]{2}\\) ${t}giving up\$" \
        --log-has '^\[blk\] sdb: partition table not read: error -110$' \
        --qemu "$(hd "$work/data.img" c 1 0)" "$@" || exit 1
    [ "$(tr -d '\r' < "$log" | grep -c 'resetting the channel and retrying$')" -eq 2 ] || { echo "ide-disks.sh: expected two retries"; exit 1; }
    sh "$dir/blk-readback.sh" "$work/data.img" "$log" sdb || exit 1 ;;
*)
    echo "ide-disks.sh: KIND must be four, pio, error or stall"; exit 2 ;;
esac
rm -rf "$work" "$log.img"
