#!/bin/sh
# boot-script.sh - boot an image with a script as the first process's argument:
#
#   boot-script.sh IMG LOG SCRIPT PROGRAM [tests/qemu/boot.sh options...]
#
# A copy of IMG gets SCRIPT on its boot partition (the FAT partition at
# 1 MiB) as /boot/NAME, which the kernel mounts at /boot, and boots with
# `init=PROGRAM initexit -- /boot/boot/NAME`: PROGRAM (a shell on the root,
# /bin/sh or /bin/tsh) runs the script as pid 1 and QEMU exits 33 when it
# exits 0, 35 otherwise. The copy is removed after; boot-script.sh exits
# with boot.sh's status. LOG is the serial log, as boot.sh's --log.
# Used by tests/busybox/diff.sh, tests/tsh/boot.sh and tests/tools/boot.sh.
set -u
img=$1 log=$2 script=$3 program=$4
shift 4
name=$(basename "$script")

cp --sparse=always "$img" "$log.script.img" || exit 1
MTOOLS_SKIP_CHECK=1 mcopy -o -i "$log.script.img@@1048576" "$script" "::/boot/$name" || exit 1
sh "$(dirname "$0")/boot.sh" --img "$log.script.img" --log "$log" \
    --cmdline "init=$program initexit -- /boot/boot/$name" "$@"
rc=$?
rm -f "$log.script.img"
exit $rc
