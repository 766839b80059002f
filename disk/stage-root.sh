#!/bin/sh
# stage-root.sh - stage the root file system's tree in a folder of the build,
# from which disk/mkimage-*.sh make the ext2 root partition (mke2fs -d) and
# disk/mkinitramfs.sh the initramfs (cpio -o -H newc); no root needed.
#
#   stage-root.sh OUT SRC [FILE=DST ...]
#     OUT        the staged tree, made anew (build/root)
#     SRC        the tree kept in git (disk/root): copied as it is
#     FILE=DST   a build output (a user program of issue 17, say) put at
#                DST, an absolute path in the tree; mode 0755 when FILE is
#                executable, else 0644
#
# Git keeps no empty folders, so the mount points and the other empty
# folders every root has are made here (ROOT_DIRS); /tmp gets mode 1777
# (anyone may write, only the owner may remove, as on every Unix). Modes are
# set, not copied from the checkout, so a umask of the build machine does
# not reach the image: folders 0755, files 0644 (0755 when executable).
# Owners are set to root by the mkimage scripts and by cpio -R, not here.
set -eu
die() { echo "stage-root: $*" >&2; exit 1; }
[ $# -ge 2 ] || die "usage: stage-root.sh OUT SRC [FILE=DST ...]"
out=$1 src=$2
shift 2
[ -d "$src" ] || die "$src is not a folder"

ROOT_DIRS="bin boot dev proc tmp home"

rm -rf "$out"
mkdir -p "$out"
cp -R "$src"/. "$out"/
for d in $ROOT_DIRS; do
    mkdir -p "$out/$d"
done
for f in "$@"; do
    file=${f%%=*} dst=${f#*=}
    [ -f "$file" ] || die "$file: no such file"
    case $dst in /*) ;; *) die "$dst: not an absolute path" ;; esac
    mkdir -p "$out$(dirname "$dst")"
    cp "$file" "$out$dst"
done
find "$out" -type d -exec chmod 0755 {} +
find "$out" -type f ! -perm -u+x -exec chmod 0644 {} +
find "$out" -type f -perm -u+x -exec chmod 0755 {} +
chmod 1777 "$out/tmp"
