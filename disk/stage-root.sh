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
# /bin/busybox, when staged, gets a symbolic link per applet (below).
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

ROOT_DIRS="bin boot dev proc tmp home root"

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
# /bin/busybox: a symbolic link to it for each of its applets (its --list-full: bin/ls,
# usr/bin/tr, sbin/...), where no file of that name is staged. Busybox picks the applet by
# the name it was started as. It is a static x86_64 program, so the build machine runs it.
if [ -x "$out/bin/busybox" ]; then
    "$out/bin/busybox" --list-full > "$out.applets" || die "bin/busybox --list-full failed"
    while read -r applet; do
        [ -e "$out/$applet" ] || [ -L "$out/$applet" ] && continue
        mkdir -p "$out/$(dirname "$applet")"
        ln -s /bin/busybox "$out/$applet"
    done < "$out.applets"
    rm -f "$out.applets"
fi
find "$out" -type d -exec chmod 0755 {} +
find "$out" -type f ! -perm -u+x -exec chmod 0644 {} +
find "$out" -type f -perm -u+x -exec chmod 0755 {} +
chmod 1777 "$out/tmp"
