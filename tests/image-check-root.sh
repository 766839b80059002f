#!/bin/sh
# image-check-root.sh - sourced by tests/image-check.sh and image-check-gpt.sh:
# the checks of what issue 15 added to every image, the way a user's tools
# would see it (docs/files-images.md).
#
#   check_root_fs IMG START SECTORS TREE
#     the ext2 root partition (START, SECTORS in 512-byte sectors, from
#     sfdisk or sgdisk), copied out with dd: e2fsck -fn clean, ext2 (no
#     journal), revision 1, the label tessera-root, a UUID (random, mke2fs's),
#     and debugfs's rdump of it
#     equal to the staged TREE (build/root): the same names, bytes and modes,
#     every inode owned by root.
#   check_initramfs FATPART TREE
#     /boot/initrd on the boot partition (a file of its own, FATPART):
#     newc (magic 070701), and unpacked with cpio -i the same tree as TREE.
# Both call fail (the caller's) with what is wrong.

# tree_listing DIR: one line per entry: path, type, and the bytes' checksum
# for files (cksum), sorted: two trees with the same listing hold the same
# names and bytes.
tree_listing() {
    (cd "$1" && find . -mindepth 1 ! -path './lost+found' ! -path './lost+found/*' \
        -printf '%P %y\n' | LC_ALL=C sort |
        while read -r _p _y; do
            if [ "$_y" = f ]; then
                echo "$_p $_y $(cksum < "$_p")"
            else
                echo "$_p $_y"
            fi
        done)
}

check_root_fs() {
    _img=$1 _start=$2 _sectors=$3 _tree=$4
    [ -d "$_tree" ] || fail "no staged root tree $_tree to compare with"
    _rp=$(mktemp) _rd=$(mktemp -d)
    dd if="$_img" of="$_rp" bs=512 skip="$_start" count="$_sectors" status=none
    e2fsck -fn "$_rp" || { rm -rf "$_rp" "$_rd"; fail "e2fsck -fn found problems on the root partition"; }
    _sb=$(dumpe2fs -h "$_rp" 2>/dev/null)
    echo "$_sb" | grep -Eq '^Filesystem revision #: +1 ' || fail "the root file system is not ext2 revision 1"
    echo "$_sb" | grep -q 'has_journal' && fail "the root file system has a journal: ext3, not ext2"
    echo "$_sb" | grep -Eq '^Filesystem volume name: +tessera-root$' || fail "the root file system's label is not tessera-root"
    _uuid=$(echo "$_sb" | sed -nE 's/^Filesystem UUID: +//p')
    case $_uuid in ''|00000000-0000-0000-0000-000000000000|"<none>") fail "the root file system has no UUID of its own ($_uuid)" ;; esac
    debugfs -R "rdump / $_rd" "$_rp" 2>/dev/null
    [ -d "$_rd/etc" ] || fail "debugfs could not copy the root file system out"
    tree_listing "$_tree" > "$_rd.want"
    tree_listing "$_rd" > "$_rd.got"
    if ! diff -u "$_rd.want" "$_rd.got"; then
        rm -rf "$_rp" "$_rd" "$_rd".*
        fail "the root file system differs from $_tree (above: - staged, + on the image)"
    fi
    # Modes and owners from the inodes themselves (rdump drops the sticky
    # bit): debugfs "ls -p DIR" prints /ino/mode/uid/gid/name/size/ per entry.
    (cd "$_rd" && find . -type d ! -path './lost+found' | sed 's|^\.||; s|^$|/|' |
        sed 's|.*|ls -p "&"|') > "$_rd.cmds"
    debugfs -f "$_rd.cmds" "$_rp" 2>/dev/null | awk -F/ '
        /^debugfs: ls -p / { dir = $0; sub(/^debugfs: ls -p "/, "", dir); sub(/"$/, "", dir)
                             sub(/^\//, "", dir); next }
        NF > 6 && $6 != "." && $6 != ".." && !(dir == "" && $6 == "lost+found") {
            path = (dir == "" ? $6 : dir "/" $6)
            m = substr($3, length($3) - 3); sub(/^0+/, "", m)   # octal: the low 12 bits
            printf "%s %s %s:%s\n", path, m, $4, $5 }' |
        LC_ALL=C sort > "$_rd.modes"
    (cd "$_tree" && find . -mindepth 1 -printf '%P %m 0:0\n' | LC_ALL=C sort) > "$_rd.wantmodes"
    if ! diff -u "$_rd.wantmodes" "$_rd.modes"; then
        rm -rf "$_rp" "$_rd" "$_rd".*
        fail "modes or owners on the root file system differ from $_tree, owned by root (- staged, + on the image)"
    fi
    echo "root partition: $(echo "$_sb" | sed -nE 's/^Block size: +//p')-byte blocks," \
        "$(wc -l < "$_rd.want") entries as staged, owned by root, e2fsck clean"
    rm -rf "$_rp" "$_rd" "$_rd".*
}

check_initramfs() {
    _part=$1 _tree=$2
    _cd=$(mktemp -d)
    MTOOLS_SKIP_CHECK=1 mcopy -i "$_part" ::/boot/initrd "$_cd.cpio" ||
        { rm -rf "$_cd"; fail "no /boot/initrd on the boot partition"; }
    [ "$(head -c 6 "$_cd.cpio")" = 070701 ] || fail "/boot/initrd is not a newc cpio (magic 070701)"
    (cd "$_cd" && cpio -idm --quiet --no-absolute-filenames < "$_cd.cpio") ||
        fail "cpio could not unpack /boot/initrd"
    if ! diff -u "$(tree_listing "$_tree" > "$_cd.want"; echo "$_cd.want")" \
            "$(tree_listing "$_cd" > "$_cd.got"; echo "$_cd.got")"; then
        fail "/boot/initrd differs from $_tree (above: - staged, + in the archive)"
    fi
    echo "initramfs: $(stat -c %s "$_cd.cpio") bytes, $(wc -l < "$_cd.want") entries as staged"
    rm -rf "$_cd" "$_cd.cpio" "$_cd.want" "$_cd.got"
}
