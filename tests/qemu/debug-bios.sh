#!/bin/sh
# debug-bios.sh - `make debug-bios`, `make walk-bios`: QEMU halted (-S) with
# its gdb stub under SeaBIOS, and gdb with a script.
#
#   debug-bios.sh IMG GDBSCRIPT [gdb arguments...]
#
# QEMU boots a copy of IMG (the gdb session must not change the image the
# tests use); gdb gets $gdb_port and runs GDBSCRIPT (build/debug-bios.gdb,
# or build/debug-bios-setup.gdb for the walk), then the extra arguments
# (the batch check passes -batch and its commands; the walk -x walk.py and
# its command). QEMU is killed when gdb ends.
# Environment: GDB_PORT (default 1234), DEBUG_BIOS_WORK (prefix of the work
# files, default beside GDBSCRIPT), QEMU_DISPLAY (default: a window when
# DISPLAY is set, else none).
set -u
img=$1 script=$2
shift 2
port=${GDB_PORT:-1234}
work=${DEBUG_BIOS_WORK:-$(dirname "$script")/debug-bios}
display=${QEMU_DISPLAY-$( [ -n "${DISPLAY:-}" ] || echo "-display none")}

cp --sparse=always "$img" "$work.img" || exit 1
# shellcheck disable=SC2086
qemu-system-x86_64 -accel tcg -machine pc -m 128 -nic none -no-reboot -monitor none \
    -drive format=raw,file="$work.img" -serial "file:$work-serial.log" \
    -S -gdb tcp:127.0.0.1:$port $display </dev/null &
qpid=$!
sleep 0.5
gdb -q -ex "set \$gdb_port = $port" -x "$script" "$@"
rc=$?
kill $qpid 2>/dev/null
wait $qpid 2>/dev/null
rm -f "$work.img"
exit $rc
