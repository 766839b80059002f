#!/bin/sh
# halts.sh IMG LOG LINE - boot IMG under SeaBIOS and check that the BIOS loader
# stops at exactly LINE (the whole serial line, compared as a fixed string):
# the line is there, QEMU is still running a second later (halted: no reset,
# no triple fault), and no kernel line follows. A loader that goes on past
# the broken input, or stops with another message, fails.
set -u
img=$1 log=$2 line=$3
here=$(dirname "$0")
# boot.sh waits for a regular expression: the line with its specials escaped.
re="^$(printf '%s' "$line" | sed 's/[].[^$*+?(){}|\\/]/\\&/g')"
sh "$here/boot.sh" --img "$img" --log "$log" --timeout 20 --expect "$re"
rc=$?
out=$(tr -d '\r' < "$log")
echo "$out"
[ $rc -ne 125 ] || { echo "halts.sh: QEMU ended after the message (reset or triple fault)"; exit 1; }
[ $rc -eq 0 ] || { echo "halts.sh: no line '$line' (boot.sh exit $rc)"; exit 1; }
echo "$out" | grep -a -Fxq "$line" || { echo "halts.sh: '$line' is not a whole line"; exit 1; }
if echo "$out" | grep -a -q '^kernel: '; then
    echo "halts.sh: the kernel ran anyway"; exit 1
fi
echo "ok: stopped with: $line"
