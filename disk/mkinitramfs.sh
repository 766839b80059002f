#!/bin/sh
# mkinitramfs.sh - pack a staged root tree (disk/stage-root.sh) into an
# initramfs: a cpio archive in the "newc" format (the SVR4 format without
# checksums, magic 070701, as Linux's initramfs and Tessera's unpacker,
# kernel/fs/cpio/, read it). No root needed: cpio -R 0:0 writes every
# owner as root whoever runs it.
#
#   mkinitramfs.sh OUT TREE
#
# Names are relative ("etc/motd", never "./etc/motd"), sorted, folders before
# what they hold, so an unpacker that makes each entry in order always finds
# the parent already there. `--reproducible` numbers the inodes from 0 and
# sets the device numbers to 0: the same tree gives the same archive but for
# the modification times. The archive ends with the TRAILER!!! entry and is
# padded to 512 bytes, as cpio writes it.
set -eu
die() { echo "mkinitramfs: $*" >&2; exit 1; }
[ $# -eq 2 ] || die "usage: mkinitramfs.sh OUT TREE"
out=$1 tree=$2
[ -d "$tree" ] || die "$tree is not a folder"
abs=$(cd "$(dirname "$out")" && pwd)/$(basename "$out")
(cd "$tree" && find . -mindepth 1 | sed 's|^\./||' | LC_ALL=C sort |
    cpio -o -H newc -R 0:0 --reproducible --quiet) > "$abs.tmp"
mv "$abs.tmp" "$abs"
