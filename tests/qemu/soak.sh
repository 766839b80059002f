#!/bin/sh
# soak.sh IMG LOG SECONDS [boot.sh options...] - test=soak for SECONDS: the
# thread, lock and memory tests in a loop (kernel/test/soak.c). Passes when
# QEMU exits 33 and the verdict says 0 failed, 0 slow rounds, no leak; a
# hang (a lost wake-up that never ends) hits boot.sh's timeout.
set -u
img=$1 log=$2 secs=$3
shift 3
sh "$(dirname "$0")/boot.sh" --img "$img" --log "$log" --cmdline "test=soak soak=$secs" \
    --timeout $(( secs * 3 + 60 )) "$@"
rc=$?
verdict=$(tr -d '\r' < "$log" | grep -a '^soak: [0-9]* s, ')
tr -d '\r' < "$log" | grep -a '^soak: ' | tail -n 5
[ $rc -eq 33 ] || { echo "soak.sh: QEMU exited $rc, expected 33"; exit 1; }
echo "$verdict" | grep -q ': 0 failed, 0 slow rounds, no leak' || { echo "soak.sh: verdict: $verdict"; exit 1; }
echo "ok: $verdict"
