#!/bin/sh
# mkimage-gpt.sh - make a GPT disk image with one EFI System Partition,
# without root: build/uefi.img, and with --bios the hybrid build/tessera.img
# that boots under BIOS and UEFI alike.
#
#   mkimage-gpt.sh OUT KERNEL CFG --efi BOOTX64.EFI [options]
#     --bios S1 S2      also make it BIOS-bootable: stage1 in the protective
#                       MBR, stage2 in a BIOS boot partition before the ESP
#     --size MIB        the ESP's part of the image (default 64: the ESP is
#                       2 MiB less, for the alignment and the backup GPT)
#     --module SRC=DST  copy SRC to DST on the ESP (repeatable)
#     --boot-tree DIR   copy DIR's tree to the ESP's root (default disk/bootfs)
#     --root DIR        add partition 2, an ext2 root file system made from
#                       the staged tree DIR (disk/stage-root.sh)
#     --root-size MIB   its size (default 64); the image is --size + this
#
# Layout (docs/boot-uefi.md, docs/boot-compare.md, docs/files-images.md):
#   LBA 0            protective MBR: one partition of type 0xEE over the disk
#                    (sgdisk); with --bios, bytes 0..439 are stage1, and
#                    bytes 436..439 of it hold stage2's first LBA (34)
#   LBA 1            GPT header;  LBA 2..33  the 128 partition entries
#   LBA 34..2047     --bios only: partition 3, type EF02 (BIOS boot, as GRUB
#                    uses it), holding stage2, so no partitioning tool sees
#                    the sectors as free (entry 3, not 2: the root is
#                    partition 2 on every image, sda2)
#   LBA 2048..       partition 1, type EF00 (EFI System Partition), FAT32
#                    by mkfs.fat: \EFI\BOOT\BOOTX64.EFI, /boot/boot.cfg,
#                    /boot/kernel.elf, the boot tree
#   then, --root:    partition 2, type 8300 (Linux filesystem), ext2 made by
#                    mke2fs -d: the root file system
#   last 33 sectors  the backup GPT entries and header (a free MiB before)
# Every image gets GUIDs of its own (disk, ESP, root, BIOS boot partition),
# random, made when the image is made (sgdisk's R), as a partitioning tool
# gives them; the ESP's FAT volume id is random too.
set -eu
. "$(dirname "$0")/boot-files.sh"

die() { echo "mkimage-gpt: $*" >&2; exit 1; }

[ $# -ge 3 ] || die "usage: mkimage-gpt.sh OUT KERNEL CFG --efi BOOTX64.EFI [--bios S1 S2] [--size MIB] [--module SRC=DST] [--boot-tree DIR] [--root DIR] [--root-size MIB]"
out=$1 kernel=$2 cfg=$3
shift 3
efi="" stage1="" stage2="" size_mib=64 tree=disk/bootfs root="" root_mib=64 modules=""
while [ $# -gt 0 ]; do
    case $1 in
    --efi) efi=$2; shift 2 ;;
    --bios) stage1=$2 stage2=$3; shift 3 ;;
    --size) size_mib=$2; shift 2 ;;
    --boot-tree) tree=$2; shift 2 ;;
    --root) root=$2; shift 2 ;;
    --root-size) root_mib=$2; shift 2 ;;
    --module) modules="$modules $2"; shift 2 ;;
    *) die "unknown option $1" ;;
    esac
done
[ -n "$efi" ] || die "--efi BOOTX64.EFI is required"

RANDOM_GUID=R                   # sgdisk -U/-u: a random (version 4) GUID
ESP_START=2048                  # 1 MiB, the usual alignment
STAGE2_LBA=34                   # the first sector after the 128 GPT entries
STAGE1_STAGE2_LBA=436           # where stage1 keeps stage2's LBA (layout.inc)
esp_end=$(( size_mib * 2048 - 2048 - 1 )) # ends on a 1 MiB boundary
esp_sectors=$(( esp_end - ESP_START + 1 ))
root_start=$(( esp_end + 1 ))
root_sectors=0
if [ -n "$root" ]; then
    [ -d "$root" ] || die "--root $root is not a folder"
    root_sectors=$(( root_mib * 2048 ))
fi
total=$(( size_mib * 2048 + root_sectors ))  # the last MiB: clear of the backup GPT

tmp="$out.tmp" part="$out.part"
rm -f "$tmp" "$part"
truncate -s $(( total * 512 )) "$tmp"

# The partition table. sgdisk writes the protective MBR, both headers and
# both entry arrays with their CRC32s.
set -- -U $RANDOM_GUID \
    -n 1:$ESP_START:$esp_end -t 1:EF00 -c 1:"EFI system partition" -u 1:$RANDOM_GUID
[ -z "$root" ] || set -- "$@" \
    -n 2:$root_start:$(( root_start + root_sectors - 1 )) -t 2:8300 -c 2:"Tessera root" -u 2:$RANDOM_GUID
if [ -n "$stage1" ]; then
    s1=$(stat -c %s "$stage1") s2=$(stat -c %s "$stage2")
    [ "$s1" -eq 512 ] || die "$stage1 is $s1 bytes, not 512"
    [ $(( STAGE2_LBA * 512 + s2 )) -le $(( ESP_START * 512 )) ] ||
        die "$stage2 is $s2 bytes; it does not fit between the GPT entries and the ESP"
    set -- "$@" -a 1 -n 3:$STAGE2_LBA:$(( ESP_START - 1 )) -t 3:EF02 -c 3:"BIOS boot" -u 3:$RANDOM_GUID
fi
sgdisk "$@" "$tmp" >/dev/null || die "sgdisk failed"

# The file system, in its own file, then copied in (no loop device, no root).
truncate -s $(( esp_sectors * 512 )) "$part"
mkfs.fat -F 32 -s 1 -h $ESP_START -i "$(od -An -tx4 -N4 /dev/urandom | tr -d ' ')" -n TESSERA "$part" >/dev/null
export MTOOLS_SKIP_CHECK=1
mmd -i "$part" ::/EFI ::/EFI/BOOT
mcopy -i "$part" "$efi" ::/EFI/BOOT/BOOTX64.EFI
copy_boot_files "$part" "$cfg" "$kernel" "$tree" "$modules"
dd if="$part" of="$tmp" bs=1M seek=$(( ESP_START / 2048 )) conv=notrunc,sparse status=none
rm -f "$part"
if [ -n "$root" ]; then
    make_root_fs "$part" $root_sectors "$root"
    dd if="$part" of="$tmp" bs=1M seek=$(( root_start / 2048 )) conv=notrunc,sparse status=none
    rm -f "$part"
fi

if [ -n "$stage1" ]; then
    # stage1's code only (0..439): the protective MBR entry and 0xAA55 stay.
    dd if="$stage1" of="$tmp" bs=440 count=1 conv=notrunc status=none
    printf "$(printf '\\%03o\\%03o\\%03o\\%03o' $(( STAGE2_LBA & 255 )) $(( STAGE2_LBA >> 8 & 255 )) 0 0)" |
        dd of="$tmp" bs=1 seek=$STAGE1_STAGE2_LBA conv=notrunc status=none
    dd if="$stage2" of="$tmp" bs=512 seek=$STAGE2_LBA conv=notrunc status=none
fi
mv "$tmp" "$out"
