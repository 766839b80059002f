#!/bin/sh
# run-case.sh NAME COMMAND... - run one test case for tests/run.sh: output to
# $RESULTS/NAME.log, one line "PASS|FAIL NAME (Ns)" to the summary and stdout.
#
# Each case runs on a host CPU of its own when the host has one per job
# (JOBS, from run.sh): it takes a free slot (a lock file held with flock
# while it runs) and runs under `taskset -c SLOT`. A case that keeps eight
# virtual CPUs busy then cannot starve the timing checks of the case beside
# it (a tick that finds its virtual CPU descheduled is merged by QEMU).
# The slots' lock files live in SLOTS (default /tmp/tessera-slots), one set
# for the machine, so two checkouts testing at once share the host CPUs too.
name=$1
shift
log=$RESULTS/$(echo "$name" | tr / _).log
jobs=${JOBS:-2}
pin=""
if command -v taskset > /dev/null && command -v flock > /dev/null && [ "$(nproc)" -ge "$jobs" ]; then
    slots=${SLOTS:-/tmp/tessera-slots}
    mkdir -p "$slots"
    slot=0 tries=0
    while :; do
        exec 9> "$slots/slot.$slot"
        flock -n 9 && break
        slot=$(( (slot + 1) % jobs )) tries=$((tries + 1))
        [ $((tries % jobs)) -eq 0 ] && sleep 0.1     # the last case in a slot is still leaving
    done
    pin="taskset -c $slot"
fi
start=$(date +%s)
if $pin "$@" > "$log" 2>&1; then res=PASS; else res=FAIL; fi
line="$res $name ($(( $(date +%s) - start ))s)"
echo "$line" >> "$RESULTS/summary"
echo "$line"
