#!/bin/sh
# boot.sh - tsh as the first process on Tessera (docs/tsh.md):
#
#   boot.sh IMG LOG SCRIPT EXPECTED [tests/qemu/boot.sh options...]
#
# A copy of IMG (whose root holds /bin/tsh) with SCRIPT put on its boot
# partition, booted with `init=/bin/tsh initexit -- /boot/boot/SCRIPT`; the
# lines between the kernel's "started" and "ended" lines for init, less
# the kernel's own "[...]" lines and the terminal's CRs, must equal
# EXPECTED, and tsh must exit 0 (QEMU's exit 33). Exit 0 when both hold.
set -u
img=$1 log=$2 script=$3 expected=$4
shift 4
here=$(dirname "$0")
name=$(basename "$script")

sh "$here/../qemu/boot-script.sh" "$img" "$log" "$script" /bin/tsh "$@"
rc=$?
tr -d '\r' < "$log" | sed -n '/^\[proc\] init=\/bin\/tsh started/,/^\[proc\] init=\/bin\/tsh ended/p' |
    grep -v '^\[' > "$log.tessera"
diff -u "$expected" "$log.tessera" || { echo "boot.sh: $name: Tessera's output differs from $(basename "$expected")"; exit 1; }
[ $rc -eq 33 ] || { echo "boot.sh: $name: QEMU exited $rc, not 33 (tsh's exit status 0)"; exit 1; }
echo "boot.sh: $name: $(wc -l < "$expected") lines as expected"
