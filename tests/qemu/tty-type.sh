#!/bin/sh
# tty-type.sh - serial input end to end: boot with "ttyecho" on the command
# line (a kernel thread reads ttyS0 in canonical mode, kernel/test/
# test_tty_tools.c), type tests/qemu/tty-type.txt's lines into COM1 over
# boot.sh --serial-socket (tests/qemu/serial-type.py), check each echo and
# each "[tty] read N bytes: ..." line as it comes.
#
#   tty-type.sh IMG LOG [--ports N] [boot.sh options...]
#
# --ports N: the serial ports the kernel must find (default 1: COM1, and
# COM2..COM4 reported absent); give QEMU the other N-1 with --qemu "-serial
# null ...". Passes when every step matched, the port lines are right, and
# QEMU exited 33 (ttyecho reached end of file, kernel/test/dispatch.c).
set -u
img=$1 log=$2
shift 2
ports=1
if [ "${1:-}" = --ports ]; then ports=$2; shift 2; fi
here=$(dirname "$0")
sock="$log.sock"

sh "$here/boot.sh" --img "$img" --log "$log" --serial-socket "$sock" --cmdline ttyecho --timeout 180 "$@" &
boot=$!
python3 "$here/serial-type.py" "$sock" --timeout 90 --transcript "$log.typed" --script "$here/tty-type.txt"
typed=$?
wait $boot
rc=$?

fail=""
[ $typed -eq 0 ] || fail="$fail; a step of tty-type.txt did not match (above)"
[ $rc -eq 33 ] || fail="$fail; QEMU exited $rc, not 33 (ttyecho did not reach end of file)"
found=$(grep -ac '^\[serial\] COM[1-4] at 0x[0-9a-f]*, IRQ [34]: 16550A, receive trigger 8 bytes: ttyS[0-3]' "$log")
[ "$found" -eq "$ports" ] || fail="$fail; $found serial ports found, not $ports"
absent=$(grep -ac '^\[serial\] COM[1-4] at 0x[0-9a-f]*: absent' "$log")
[ "$absent" -eq $((4 - ports)) ] || fail="$fail; $absent ports reported absent, not $((4 - ports))"
if [ -n "$fail" ]; then
    echo "FAIL tty-type: ${fail#; }"
    grep -a '^\[serial\]\|^\[tty\]' "$log"
    exit 1
fi
echo "PASS tty-type: every line typed came back as the line discipline makes it; $ports port(s) found"
