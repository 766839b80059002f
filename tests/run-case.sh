#!/bin/sh
# run-case.sh NAME COMMAND... - run one test case for tests/run.sh: output to
# $RESULTS/NAME.log, one line "PASS|FAIL NAME (Ns)" to the summary and stdout.
name=$1
shift
log=$RESULTS/$(echo "$name" | tr / _).log
start=$(date +%s)
if "$@" > "$log" 2>&1; then res=PASS; else res=FAIL; fi
line="$res $name ($(( $(date +%s) - start ))s)"
echo "$line" >> "$RESULTS/summary"
echo "$line"
