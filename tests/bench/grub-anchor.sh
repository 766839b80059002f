#!/bin/sh
# grub-anchor.sh ANCHOR_DIR - builds the GRUB anchor's images in the current
# folder: ANCHOR_DIR/make-images.sh (g.img, gs.img, ge.img, ges.img,
# bare.img: SeaBIOS / OVMF + GRUB 2.06 loading its multiboot2 kernel padded
# to 8 MiB or 5 KiB, see ANCHOR_DIR/README.md), then g1.img and ge1.img: the
# same with the kernel's pad section cut to 1 MiB, so the UEFI race
# (uefi-bench.sh) compares both loaders at about 1 and 8 MiB of loaded bytes.
set -eu
anchor=$1
sh "$anchor/make-images.sh"
sed 's/times 8\*1024\*1024 db/times 1024*1024 db/' "$anchor/mb2.asm" > mb2-1m.asm
grep -q 'times 1024\*1024 db' mb2-1m.asm || { echo "grub-anchor: the pad line of mb2.asm changed"; exit 1; }
nasm -f elf32 mb2-1m.asm -o mb2-1m.o
ld -m elf_i386 -T "$anchor/link.ld" mb2-1m.o -o kernel-1m.elf
cp g.img g1.img && mcopy -o -i g1.img@@1M kernel-1m.elf ::/boot/kernel.elf
cp ge.img ge1.img && mcopy -o -i ge1.img@@1M kernel-1m.elf ::/boot/kernel.elf
