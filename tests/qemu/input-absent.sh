#!/bin/sh
# input-absent.sh - a machine without an 8042 (QEMU's i8042=off): the kernel must say so in one
# line, naming how it knew, and boot on to its last line: no hang, no keyboard or mouse line.
#
#   input-absent.sh IMG LOG REGEX [boot.sh options...]
#
# REGEX is the [input] line expected: "ACPI FADT ..." where the FADT (revision 3 and up, q35)
# clears IAPC_BOOT_ARCH's 8042 flag, "status port 0x64 reads 0xff" where an older FADT (pc's
# revision 1) cannot say and nothing answers the port.
set -u
img=$1 log=$2 want=$3
shift 3
fail() { echo "input-absent.sh: $*"; tail -n 20 "$log" 2>/dev/null; exit 1; }

sh "$(dirname "$0")/boot.sh" --img "$img" --log "$log" --expect '^kernel: nothing more to do' "$@"
rc=$?
[ $rc -eq 0 ] || fail "the boot did not reach 'kernel: nothing more to do' (boot.sh exit $rc)"
tr -d '\r' < "$log" | grep -Eq "$want" || fail "no line matching $want"
! tr -d '\r' < "$log" | grep -Eq '^\[input\] i8042: (keyboard|no keyboard)' ||
    fail "a device line on a machine without an 8042"
echo "ok: $(tr -d '\r' < "$log" | grep -E "$want")"
