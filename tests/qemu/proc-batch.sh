#!/bin/sh
# proc-batch.sh - many programs of tests/user/ in one boot, each checked as
# its own test case (docs/processes.md, "Tests").
#
#   proc-batch.sh IMG LOG [--dir DIR HOSTDIR] ENTRY... -- [boot.sh options...]
#
#   --dir DIR HOSTDIR   the programs are DIR/PROG on Tessera and HOSTDIR/PROG on
#                       the host (default: /boot and build/user, the boot modules
#                       of musl's programs; the glibc ones are /boot/glibc and
#                       build/user-glibc)
#   ENTRY:  --case NAME "PROG [ARGS...]"   a case: DIR/PROG run with ARGS, then
#           --exit N                        it must exit with status N (the default: 0)
#           --signal N                      it must be killed by signal N
#           --refused E                     execve must refuse it with error E (-8, -2)
#           --has REGEX / --lacks REGEX     a line of its section must / must not match
#           --diff                          its output must equal the same program's
#                                           on the host's Linux (tests/user/diff.sh's
#                                           rules), and it must exit 0 unless the
#                                           host's run ended with a FAILED line
#
# One boot of a copy of IMG (a proc image: the programs are boot modules
# /boot/NAME, /boot/batch among them; or a glibc image: the programs are
# files of the boot partition, /boot/glibc/NAME) with a list of the cases on its boot
# partition and cmdline "init=/boot/batch initexit -- /boot/boot/batch.lst":
# tests/user/batch.c forks each program in turn and frames it with
# "[batch] NAME: running ..." and "[batch] NAME: PATH ended: ..." lines.
# A case's section is the log from its "running" line to its end line,
# kernel lines included; its checks look only there. Kernel lines naming
# a pid match any pid: the programs are not pid 1 here.
#
# With RESULTS set (tests/run-case.sh), each case adds its own line
# "PASS NAME" or "FAIL NAME" to $RESULTS/summary and writes its section and
# its checks' messages to $RESULTS/NAME.log (/ as _); a case whose section
# is missing or cut (the runner died, the boot timed out) is a FAIL. Exit 0
# when every case passed, the runner said "done" for all and QEMU exited
# 33; 1 otherwise.
set -u
img=$1 log=$2
shift 2
B=${BUILD:-build}
here=$(dirname "$0")
dir=/boot hostdir=$B/user
if [ "${1:-}" = --dir ]; then
    dir=$2 hostdir=$3
    shift 3
fi
work=$log.batch
rm -rf "$work" && mkdir -p "$work"
n=0
while [ $# -gt 0 ]; do
    case $1 in
    --) shift; break ;;
    --case) n=$((n + 1)); mkdir "$work/$n"
            printf '%s\n' "$2" > "$work/$n/name"; printf '%s\n' "$3" > "$work/$n/run"
            echo "exit status 0" > "$work/$n/want"; : > "$work/$n/has"; : > "$work/$n/lacks"
            shift 3 ;;
    --exit) echo "exit status $2" > "$work/$n/want"; shift 2 ;;
    --signal) echo "killed by signal $2" > "$work/$n/want"; shift 2 ;;
    --refused) echo "cannot start it: error $2" > "$work/$n/want"; shift 2 ;;
    --has) printf '%s\n' "$2" >> "$work/$n/has"; shift 2 ;;
    --lacks) printf '%s\n' "$2" >> "$work/$n/lacks"; shift 2 ;;
    --diff) : > "$work/$n/diff"; shift ;;
    *) echo "proc-batch.sh: unknown option $1" >&2; exit 1 ;;
    esac
done
[ $n -gt 0 ] || { echo "proc-batch.sh: no case" >&2; exit 1; }

# The list, on a copy of the image.
: > "$work/batch.lst"
i=1
while [ $i -le $n ]; do
    echo "$(cat "$work/$i/name") $dir/$(cat "$work/$i/run")" >> "$work/batch.lst"
    i=$((i + 1))
done
cp --sparse=always "$img" "$work/img"
MTOOLS_SKIP_CHECK=1 mcopy -o -i "$work/img@@1048576" "$work/batch.lst" ::/boot/batch.lst || exit 1
sh "$here/boot.sh" --img "$work/img" --log "$log" --cmdline "init=/boot/batch initexit -- /boot/boot/batch.lst" \
    --timeout 900 "$@"
rc=$?
rm -f "$work/img"
tr -d '\r' < "$log" > "$log.txt"

failed=0
i=1
while [ $i -le $n ]; do
    d=$work/$i
    name=$(cat "$d/name") run=$(cat "$d/run")
    prog=${run%% *} args=""
    [ "$prog" = "$run" ] || args=${run#* }
    elog=$d/log
    [ -n "${RESULTS:-}" ] && elog=$RESULTS/$(echo "$name" | tr / _).log
    {
        bad=0
        fail() { echo "proc-batch.sh: $name ($dir/$run): $*"; bad=1; }
        echo "proc-batch.sh: $name: $dir/$run, one of $n programs in the boot logged in $log"
        # Its section: from its "running" line to its end line.
        awk -v h="[batch] $name: " 'index($0, h "running ") == 1 { on = 1 }
                                     on { print }
                                     on && index($0, h) == 1 && index($0, h "running ") != 1 { exit }' \
            "$log.txt" > "$d/section"
        last=$(sed -n '$p' "$d/section")
        want=$(cat "$d/want")
        if [ -f "$d/diff" ]; then
            norm() { sed -e "s|$hostdir/$prog|$dir/$prog|g" -e 's/pid [0-9][0-9]*/pid N/g'; }
            # shellcheck disable=SC2086 # the arguments are words
            env -i HOME=/ TERM=linux PATH=/bin:/sbin:/usr/bin "$hostdir/$prog" $args 2>&1 | norm > "$d/host"
            if [ "$(sed -n '$p' "$d/host" | grep -c FAILED)" != 0 ]; then
                want="not exit status 0"
                grep FAILED "$d/host" | sed "s/^/proc-batch.sh: $prog on the host: /"
            fi
        fi
        if ! [ -s "$d/section" ]; then
            fail "no section: the runner did not start it (QEMU exited $rc)"
        else
            echo "--- its section of the log:"
            cat "$d/section"
            echo "---"
            case $want in
            "cannot start it: "*) end="[batch] $name: $dir/$prog: $want" ;;
            *) end="[batch] $name: $dir/$prog ended: $want" ;;
            esac
            case $want:$last in
            "not exit status 0:[batch] $name: $dir/$prog ended: "*)
                [ "$last" != "[batch] $name: $dir/$prog ended: exit status 0" ] || fail "it exited 0, the host's run did not" ;;
            "not exit status 0:"*) fail "no line saying it ended: the section is cut" ;;
            *) [ "$last" = "$end" ] || fail "its end is \"$last\", not \"$end\"" ;;
            esac
            while IFS= read -r re; do
                [ -z "$re" ] || grep -Eq -- "$re" "$d/section" || fail "no line matches: $re"
            done < "$d/has"
            while IFS= read -r re; do
                [ -z "$re" ] || ! grep -Eq -- "$re" "$d/section" || fail "a line matches: $re"
            done < "$d/lacks"
            if [ -f "$d/diff" ]; then
                sed '1d;$d' "$d/section" | grep -v '^\[' | norm > "$d/tessera"
                diff -u "$d/host" "$d/tessera" || fail "Linux and Tessera differ"
            fi
        fi
        [ $bad -eq 0 ] && echo "proc-batch.sh: $name: PASS"
        echo $bad > "$d/bad"
    } > "$elog" 2>&1
    if [ "$(cat "$d/bad")" = 0 ]; then res=PASS; else res=FAIL failed=$((failed + 1)); fi
    [ -n "${RESULTS:-}" ] && echo "$res $name (batch)" >> "$RESULTS/summary"
    echo "$res $name"
    [ $res = PASS ] || grep '^proc-batch.sh: ' "$elog" | sed 1d
    i=$((i + 1))
done
grep -q "^\[batch\] done: $n programs$" "$log.txt" || { echo "proc-batch.sh: no line \"[batch] done: $n programs\""; failed=$((failed + 1)); }
[ "$rc" = 33 ] || { echo "proc-batch.sh: QEMU exited $rc, not 33 (the runner exits 0)"; failed=$((failed + 1)); }
echo "proc-batch.sh: $n cases, $failed failures"
[ $failed -eq 0 ]
