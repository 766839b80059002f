#!/bin/sh
# check.sh - the walk's test: run `make walk-bios` or `make walk-uefi`
# without a person (WALK=auto, gdb in batch mode) and check that it
# stopped at every step of its chains in docs/walk/steps.txt, in the
# list's order, and at nothing else.
#
#   check.sh bios|uefi BUILD LOG [STEPS]
#
# The expected order comes from STEPS (default docs/walk/steps.txt), the
# stops from the walk's "walk: stop K/N CHAIN/ID:" lines. It fails when a
# symbol of the list is missing from the code (the walk refuses to start),
# when a step is skipped (the walk reaches the last step while waiting for
# it, or stops elsewhere), or when the walk ends early. STEPS lets the
# proof run on a broken copy of the list (docs/walk.md, "The test").
set -u
fw=$1 build=$2 log=$3
here=$(dirname "$0")
steps=${4:-$here/../../docs/walk/steps.txt}
case $fw in
bios) chains="bios kernel" limit=120 ;;
uefi) chains="uefi kernel" limit=240 ;;
*) echo "check.sh: bios or uefi, not $fw"; exit 2 ;;
esac

WALK=auto GDB_PORT=$(( 20000 + $$ % 10000 )) QEMU_DISPLAY="-display none" \
    DEBUG_BIOS_WORK=$log DEBUG_UEFI_WORK=$log WALK_VARS=$log.vars DEBUG_UEFI_TIMEOUT=120 \
    timeout $limit sh "$here/walk.sh" "$fw" "$build" "$steps" > "$log" 2>&1
rc=$?
rm -f "$log.vars"
cat "$log"

expected=$(awk -v chains=" $chains " '!/^[ \t]*(#|$)/ && index(chains, " " $1 " ") {print $1 "/" $2}' "$steps")
reached=$(sed -n 's|^walk: stop [0-9]*/[0-9]* \([a-z0-9_]*/[^:]*\):.*|\1|p' "$log")
n=$(echo "$expected" | wc -l)
fail() { echo "walk-check: $fw: $*"; exit 1; }
[ $rc -eq 124 ] && fail "timed out after $limit s"
if [ "$reached" != "$expected" ]; then
    echo "$expected" > "$log.expected"
    echo "$reached" > "$log.reached"
    diff "$log.expected" "$log.reached" | sed 's/^/  /'
    rm -f "$log.expected" "$log.reached"
    fail "the stops differ from the list ($n steps expected, $(echo "$reached" | grep -c .) reached; < expected, > reached)"
fi
grep -q "^walk: all $n steps reached, in order$" "$log" || fail "no 'all $n steps reached' line"
echo "ok: $fw walk stopped at all $n steps of $chains, in order ($(echo "$reached" | head -n 1) .. $(echo "$reached" | tail -n 1))"
