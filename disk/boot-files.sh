# boot-files.sh - sourced by the mkimage scripts: fill a freshly made FAT
# file system (a file of its own, not yet in the image) with what every
# Tessera image holds, using mtools (no root, no loop device).
#
#   copy_boot_files PART CFG KERNEL ROOT "SRC=DST ..."
#     /boot/boot.cfg, /boot/kernel.elf, ROOT's tree at the root (when ROOT
#     is a non-empty folder), then each module SRC to DST.
copy_boot_files() {
    _part=$1 _cfg=$2 _kernel=$3 _root=$4 _modules=$5
    export MTOOLS_SKIP_CHECK=1
    mmd -D s -i "$_part" ::/boot 2>/dev/null || true
    mcopy -i "$_part" "$_cfg" ::/boot/boot.cfg
    mcopy -i "$_part" "$_kernel" ::/boot/kernel.elf
    if [ -d "$_root" ] && [ -n "$(ls -A "$_root")" ]; then
        mcopy -s -i "$_part" "$_root"/* ::/
    fi
    for _m in $_modules; do
        _src=${_m%%=*} _dst=${_m#*=}
        mmd -D s -i "$_part" "::$(dirname "$_dst")" 2>/dev/null || true
        mcopy -o -i "$_part" "$_src" "::$_dst"
    done
}

# make_root_fs PART SECTORS TREE
#   The ext2 root partition, in a file of its own of SECTORS 512-byte
#   sectors, filled from the staged TREE (disk/stage-root.sh) by mke2fs -d:
#   revision 1, 4 KiB blocks, without the features ext2 drivers may skip
#   (resize_inode's reserved blocks, dir_index's hashed directories), label
#   "tessera-root", a random UUID (each image its own, as with the FAT volume
#   id and the GPT GUIDs). mke2fs -d copies owners from TREE; every inode is
#   then given to root with debugfs -w, so a user's build makes the same image
#   as root's.
make_root_fs() {
    _part=$1 _sectors=$2 _tree=$3
    rm -f "$_part"
    truncate -s $(( _sectors * 512 )) "$_part"
    mke2fs -q -F -t ext2 -b 4096 -O ^resize_inode,^dir_index -L tessera-root \
        -E root_owner=0:0 -d "$_tree" "$_part" >/dev/null
    if [ -n "$(find "$_tree" \( ! -user 0 -o ! -group 0 \) -print | head -1)" ]; then
        (cd "$_tree" && find . -mindepth 1) | sed 's|^\.||' |
            while IFS= read -r _p; do
                printf 'sif "%s" uid 0\nsif "%s" gid 0\n' "$_p" "$_p"
            done > "$_part.owners"
        debugfs -w -f "$_part.owners" "$_part" >/dev/null 2>&1
        rm -f "$_part.owners"
    fi
}
