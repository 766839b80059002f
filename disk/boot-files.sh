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
