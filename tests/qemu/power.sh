#!/bin/sh
# power.sh - reboot(2) from the first process ends the machine: boots IMG
# (bios-proc2.img or uefi-proc2.img) with "init=/boot/misc_all initexit -- WHAT" (off or
# restart), so the process never ends by itself. Passes when QEMU exits
# 0 by itself (power off: QEMU quits on S5; restart: -no-reboot makes a
# reset quit too) within the time limit, the log has the kernel's lines
# for that way, and not the process's "it came back" line.
#
#   power.sh IMG LOG off|restart [boot.sh options...]
set -u
img=$1 log=$2 what=$3
shift 3
fail() { echo "power.sh: $log: $*" >&2; exit 1; }
sh "$(dirname "$0")/boot.sh" --img "$img" --log "$log" --cmdline "init=/boot/misc_all initexit -- $what" --timeout 120 "$@"
rc=$?
tr -d '\r' < "$log" > "$log.txt"
grep -q "^misc_all: reboot($what)$" "$log.txt" || fail "the program did not ask"
! grep -q '^reboot: ' "$log.txt" || fail "reboot(2) returned: $(grep '^reboot: ' "$log.txt")"
case $what in
off) grep -Eq '^\[linux\] power off: ACPI S5, SLP_TYPa [0-9]+ SLP_TYPb [0-9]+, PM1a_CNT 0x[0-9a-f]+ <- 0x[0-9a-f]+$' "$log.txt" ||
         fail "no '[linux] power off: ACPI S5' line" ;;
restart) grep -Eq '^\[linux\] reboot: (ACPI reset register|8042 reset pulse)' "$log.txt" || fail "no '[linux] reboot:' way line" ;;
esac
[ "$rc" = 0 ] || fail "QEMU ended with $rc, not 0 (124: it stayed on)"
echo "power.sh: $what: QEMU ended by itself"
