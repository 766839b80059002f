#!/bin/sh
# interactive.sh - tsh as an interactive first process on Tessera: IMG booted
# with `init=/bin/tsh initexit` and COM1 as a socket (tests/qemu/boot.sh
# --serial-socket); tests/tsh/interactive.txt's lines typed into it and each
# answer checked (tests/qemu/serial-type.py). Passes when every step matched
# and QEMU exited 33 (tsh's `exit 0`).
#
#   interactive.sh IMG LOG [boot.sh options...]
set -u
img=$1 log=$2
shift 2
here=$(dirname "$0")
sock="$log.sock"

sh "$here/../qemu/boot.sh" --img "$img" --log "$log" --serial-socket "$sock" --cmdline "init=/bin/tsh initexit" \
    --timeout 180 "$@" &
boot=$!
python3 "$here/../qemu/serial-type.py" "$sock" --timeout 90 --transcript "$log.typed" --script "$here/interactive.txt"
typed=$?
wait $boot
rc=$?
[ $typed -eq 0 ] || { echo "interactive.sh: a step of interactive.txt did not match (above)"; exit 1; }
[ $rc -eq 33 ] || { echo "interactive.sh: QEMU exited $rc, not 33 (tsh's exit 0)"; exit 1; }
echo "interactive.sh: every step of interactive.txt matched"
