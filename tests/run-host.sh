#!/bin/sh
# run-host.sh BINARY - run one host unit test for tests/run.sh (cmocka, ASan +
# UBSan; TAP output to $RESULTS/host_NAME.log) and add one line per cmocka
# test to $RESULTS/summary: "PASS host/NAME/TEST" or "FAIL host/NAME/TEST".
# A binary that exits non-zero without a failed test (a sanitizer's report,
# a crash) adds "FAIL host/NAME (exit N, see LOG)".
t=$1
name=host/$(basename "$t")
log=$RESULTS/$(echo "$name" | tr / _).log
BOOTINFO_INC=$BUILD/gen/bootinfo.inc CMOCKA_MESSAGE_OUTPUT=TAP "$t" > "$log" 2>&1
rc=$?
grep -E '^(not )?ok [0-9]+ - ' "$log" | while read -r status rest; do
    case $status in
    ok) res=PASS; id=${rest#* - } ;;
    *) res=FAIL; id=${rest#ok * - } ;;
    esac
    echo "$res $name/$id" >> "$RESULTS/summary"
done
if [ $rc -ne 0 ] && ! grep -q '^not ok' "$log"; then
    echo "FAIL $name (exit $rc, see $log)" >> "$RESULTS/summary"
fi
exit 0
