#!/bin/sh
# virtio-blk.sh - a virtio-blk cell (tests/cases.sh, "# virtio-blk"): make the
# virtio disk the cell needs, boot with ktest.sh (the boot disk as its
# options say), then check on the host what the kernel read or wrote.
#
#   virtio-blk.sh KIND IMG LOG [ktest.sh options...]
#
# KIND (the virtio disk, always a second disk beside the boot disk):
#   copy         a copy of IMG on virtio-blk-pci as QEMU makes it by default
#                (transitional, PCI ID 1af4:1001, MSI-X, indirect descriptors,
#                event index); its identity changed (MBR disk signature, GPT
#                GUIDs) so that it is never taken for the boot disk; every
#                "blk: readback" line of it is checked against the copy
#   copy-modern  the same with disable-legacy=on (modern only, 1af4:1042)
#   4k           the same with 4096-byte logical and physical blocks
#   intx         the same without MSI-X (vectors=0: the INTx line and the ISR),
#                indirect descriptors, event index and write cache (no FLUSH)
#   scratch      a 4 MiB scratch disk (block 0 "TESSERA-SCRATCH"): the kernel
#                writes it from several threads (ktest blk_scratch_write);
#                every block checked after (blk-scratch-check.sh)
#   ioerr        a 16 MiB disk of zeros whose sector 20000 fails every read
#                (QEMU's blkdebug), serial ioerr-20000 (ktest virtio_blk_read_error)
#   legacy       a legacy-only device (disable-modern=on): refused with a message
# The ktest.sh options choose the firmware and the boot disk; --disk virtio
# boots from virtio itself (boot.sh), with no second disk: KIND none.
set -eu
kind=$1 img=$2 log=$3
shift 3
here=$(dirname "$0")
disk="$log.vd.img"

# copy_disk FILE: IMG copied to FILE with an identity of its own.
copy_disk() {
    cp --sparse=always "$img" "$1"
    if sfdisk -d "$1" 2>/dev/null | grep -q '^label: gpt'; then
        sgdisk -G "$1" >/dev/null 2>&1
    else                                # MBR: a disk signature of its own (bytes 440..443)
        printf 'VIRT' | dd of="$1" bs=1 seek=440 conv=notrunc status=none
    fi
}

drive="-drive if=none,id=vd,format=raw,file=$disk"
check=readback
case $kind in
copy)        copy_disk "$disk"; dev="virtio-blk-pci,drive=vd" ;;
copy-modern) copy_disk "$disk"; dev="virtio-blk-pci,drive=vd,disable-legacy=on" ;;
4k)          copy_disk "$disk"; dev="virtio-blk-pci,drive=vd,logical_block_size=4096,physical_block_size=4096" ;;
intx)        copy_disk "$disk"; dev="virtio-blk-pci,drive=vd,vectors=0,indirect_desc=off,event_idx=off,write-cache=off,config-wce=off" ;;
scratch)
    truncate -s 4M "$disk"
    printf 'TESSERA-SCRATCH' | dd of="$disk" conv=notrunc status=none
    dev="virtio-blk-pci,drive=vd"; check=scratch; set -- --scratch "$@" ;;
ioerr)
    truncate -s 16M "$disk"
    printf '[inject-error]\nevent = "read_aio"\nerrno = "5"\nsector = "20000"\n' > "$log.blkdebug"
    drive="-drive if=none,id=vd,format=raw,file=blkdebug:$log.blkdebug:$disk"
    dev="virtio-blk-pci,drive=vd,serial=ioerr-20000"; check=none ;;
legacy)
    truncate -s 1M "$disk"
    dev="virtio-blk-pci,drive=vd,disable-modern=on"; check=none ;;
none) drive="" dev=""; check=readback-boot ;;
*) echo "virtio-blk.sh: unknown kind $kind" >&2; exit 2 ;;
esac
qemu=""
[ -z "$dev" ] || qemu="$drive -device $dev"

rc=0
if [ -n "$qemu" ]; then
    sh "$here/ktest.sh" "$img" "$log" --only "@boot,@disk" "$@" --qemu "$qemu" || rc=$?
else
    sh "$here/ktest.sh" "$img" "$log" --only "@boot,@disk" "$@" --keep || rc=$?
fi
if [ $rc -eq 0 ]; then
    case $check in
    readback) sh "$here/blk-readback.sh" "$disk" "$log" vda || rc=$? ;;
    readback-boot) sh "$here/blk-readback.sh" "$log.img" "$log" vda || rc=$? ;;
    scratch) sh "$here/blk-scratch-check.sh" "$disk" "$log" || rc=$? ;;
    esac
fi
[ $rc -ne 0 ] || rm -f "$disk" "$log.blkdebug" "$log.img"
exit $rc
