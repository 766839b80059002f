#!/bin/sh
# grub-anchor.sh ANCHOR_DIR - builds the GRUB anchor's images in the current
# folder: ANCHOR_DIR/make-images.sh (g.img, gs.img, ge.img, ges.img,
# bare.img: SeaBIOS / OVMF + GRUB 2.06 loading its multiboot2 kernel padded
# to 8 MiB or 5 KiB, see ANCHOR_DIR/README.md), then the two images of the
# UEFI race (uefi-bench.sh), ge.img with GRUB's race kernel:
#   ge1.img  kernel-1m.elf: the anchor's mb2.asm with its pad cut to 1 MiB
#   ge8.img  kernel-8m.elf: the same with the anchor's 8 MiB pad
# Both race kernels begin with race-tsc.inc's TSC line (RACE_TSC_LINE, as
# our race kernel does) before the anchor's own code: under -icount it
# gives the guest time at the kernel's entry. uefi-bench.sh reads their
# PT_LOAD bytes off these images and builds ours with the same count.
set -eu
anchor=$1
here=$(cd "$(dirname "$0")" && pwd)
sh "$anchor/make-images.sh"
for size in 1 8; do
    sed -e "s/times 8\*1024\*1024 db/times $size*1024*1024 db/" \
        -e 's/^bits 32$/bits 32\n%include "race-tsc.inc"/' \
        -e 's/^_start:$/_start:\n  RACE_TSC_LINE/' "$anchor/mb2.asm" > "mb2-${size}m.asm"
    grep -q "times $size\*1024\*1024 db" "mb2-${size}m.asm" && grep -q '^  RACE_TSC_LINE' "mb2-${size}m.asm" &&
        grep -q '^%include' "mb2-${size}m.asm" || { echo "grub-anchor: mb2.asm changed (bits 32, _start: or the pad line)"; exit 1; }
    nasm -I "$here/" -f elf32 "mb2-${size}m.asm" -o "mb2-${size}m.o"
    ld -m elf_i386 -T "$anchor/link.ld" "mb2-${size}m.o" -o "kernel-${size}m.elf"
    cp ge.img "ge$size.img" && mcopy -o -i "ge$size.img@@1M" "kernel-${size}m.elf" ::/boot/kernel.elf
done
