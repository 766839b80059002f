#!/bin/sh
# soak.sh IMG LOG SECONDS ROUNDS [boot.sh options...] - test=soak: the
# thread, lock and memory tests in a loop for SECONDS, in which at least
# ROUNDS rounds must complete (kernel/test/soak.c: "soak=S soak_rounds=R").
# Passes when QEMU exits 33 and the verdict says ROUNDS or more rounds,
# 0 failed, 0 slow rounds, no leak; a hang (a lost wake-up that never ends)
# hits boot.sh's timeout.
set -u
img=$1 log=$2 secs=$3 rounds=$4
shift 4
sh "$(dirname "$0")/boot.sh" --img "$img" --log "$log" --cmdline "test=soak soak=$secs soak_rounds=$rounds" \
    --timeout $(( secs * 3 + 60 )) "$@"
rc=$?
verdict=$(tr -d '\r' < "$log" | grep -a '^soak: [0-9]* s, ')
tr -d '\r' < "$log" | grep -a '^soak: ' | tail -n 5
[ $rc -eq 33 ] || { echo "soak.sh: QEMU exited $rc, expected 33"; exit 1; }
done=$(echo "$verdict" | sed -nE "s/^soak: [0-9]+ s, ([0-9]+) rounds of $rounds asked, .*/\\1/p")
[ -n "$done" ] && [ "$done" -ge "$rounds" ] || { echo "soak.sh: fewer than $rounds rounds: $verdict"; exit 1; }
echo "$verdict" | grep -q ': 0 failed, 0 slow rounds, no leak' || { echo "soak.sh: verdict: $verdict"; exit 1; }
echo "ok: $verdict"
