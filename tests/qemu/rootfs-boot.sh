#!/bin/sh
# rootfs-boot.sh IMG LOG TESTS [--log-has REGEX]... [boot.sh options] - boot
# IMG with "test ktest=TESTS" (only those ktests run: the root's own, so a
# test of another part that assumes a tmpfs root cannot hide the result)
# and check that
#   - QEMU exits 33 (every listed test passed) and each listed test PASSed,
#   - the serial log has every --log-has line (the root and the mounts).
# The cells: the default root of bios.img and uefi.img, the ext2 partition
# after the boot partition (tests/cases.sh, rootfs/ext2-root-*).
set -u
img=$1 log=$2 tests=$3
shift 3
musts=""
while [ "${1:-}" = --log-has ]; do
    musts="$musts
$2"
    shift 2
done
sh "$(dirname "$0")/boot.sh" --img "$img" --log "$log" --cmdline "test ktest=$tests" "$@"
rc=$?
out=$(tr -d '\r' < "$log")
fail() { echo "rootfs-boot.sh: $*"; echo "--- serial log:"; echo "$out" | tail -n 30; exit 1; }
[ $rc -eq 33 ] || fail "QEMU exited $rc, expected 33 (the listed ktests passed)"
for t in $(echo "$tests" | tr , ' '); do
    echo "$out" | grep -aq "^ktest: PASS $t\$" || fail "no 'ktest: PASS $t'"
done
echo "$musts" | while IFS= read -r re; do
    [ -z "$re" ] || echo "$out" | grep -aEq "$re" || { echo "rootfs-boot.sh: no line matching '$re'"; exit 1; }
done || fail "a required line is missing"
echo "ok: $(echo "$out" | grep -a '^\[vfs\] root: ')"
