#!/bin/sh
# run.sh - run every Tessera test and end with one line "N passed, N failed".
#
#   sh tests/run.sh [PATTERN]     only the cases whose name contains PATTERN
#
# Three kinds of case:
#   - host unit tests: each build/tests/host/test_* binary (cmocka, ASan +
#     UBSan: tests/run-host.sh); every cmocka test inside counts as one
#     case (TAP output);
#   - the cases listed in tests/cases.sh (image checks, QEMU boots, bad
#     input), run two at a time (each on a host CPU of its own:
#     run-case.sh); a case passes when its command exits 0;
#   - each case's output goes to build/test-results/NAME.log.
# Exit status: 0 when nothing failed, 1 otherwise (also when PATTERN matches
# no case: a typo must not pass as "0 passed, 0 failed").
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
RESULTS=$BUILD/test-results
JOBS=${JOBS:-2}
filter=${1:-}
rm -rf "$RESULTS"
mkdir -p "$RESULTS"

# Host unit tests, one result per cmocka test, $JOBS binaries at a time
# (tests/run-host.sh), before the QEMU cases so that they do not compete.
for t in "$BUILD"/tests/host/test_*; do
    [ -x "$t" ] || continue
    case host/$(basename "$t") in *"$filter"*) printf '%s\n' "$t" ;; esac
done | RESULTS=$RESULTS BUILD=$BUILD xargs -r -P "$JOBS" -n 1 sh tests/run-host.sh

# The listed cases, $JOBS at a time.
: > "$RESULTS/cases"
add_case() {
    case $1 in *"$filter"*) printf '%s\n' "$*" >> "$RESULTS/cases" ;; esac
}
. tests/cases.sh

if [ -s "$RESULTS/cases" ]; then
    RESULTS=$RESULTS JOBS=$JOBS xargs -P "$JOBS" -L 1 sh tests/run-case.sh < "$RESULTS/cases"
fi

# Last, the docs' sample lines against every log of this run: they must be
# lines a real boot printed (tests/docs/check-samples.py). A whole run keeps
# its logs in $BUILD/test-logs, so a filtered run (T=docs) checks against the
# last whole run's logs.
if [ -z "$filter" ]; then
    rm -rf "$BUILD/test-logs"
    cp -r "$RESULTS" "$BUILD/test-logs"
fi
case docs/samples in
*"$filter"*) RESULTS=$RESULTS JOBS=$JOBS sh tests/run-case.sh docs/samples \
                 python3 tests/docs/check-samples.py "$RESULTS" "$BUILD/test-logs" ;;
esac

touch "$RESULTS/summary"
if ! [ -s "$RESULTS/summary" ]; then
    echo "run.sh: no test case matches '$filter'"
    echo "0 passed, 1 failed"
    exit 1
fi
grep '^FAIL' "$RESULTS/summary" | while read -r _ name _; do
    log=$RESULTS/$(echo "$name" | cut -d/ -f1-2 | tr / _).log
    # Why it failed first (a checker's reason, a failed ktest, a panic:
    # CI shows only this report), then the end of the log.
    echo "--- FAIL $name: why, from $log"
    grep -E -m 20 '^[a-z0-9_./-]+\.(sh|py): |FAIL|[Pp]anic|PANIC|assert' "$log" 2>/dev/null
    echo "--- the end of $log"
    tail -n 12 "$log" 2>/dev/null
done
echo "host unit tests: $(grep -c '^PASS host/' "$RESULTS/summary") passed, $(grep -c '^FAIL host/' "$RESULTS/summary") failed"
passed=$(grep -c '^PASS' "$RESULTS/summary")
failed=$(grep -c '^FAIL' "$RESULTS/summary")
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
