#!/bin/sh
# proc.sh - run one program of tests/user/ as the first process and check
# what it did (docs/processes.md, "Tests").
#
#   proc.sh IMG LOG --init "NAME [ARGS...]" --exit N [--has REGEX]... [--lacks REGEX]...
#           [--refused] [boot.sh options...]
#
# Boots IMG (bios-proc.img or uefi-proc.img: the programs are boot modules
# /boot/NAME) with cmdline "init=/boot/NAME initexit -- ARGS". Passes when
# QEMU exits N (33: the process exited 0; 35: any other end), the serial
# log shows the process started and ended, every --has REGEX matches a
# line of the log and no --lacks REGEX does. With --refused the program
# must not start: the kernel's "cannot start it" line instead of the
# started and ended lines. Exit 0 pass, 1 fail.
set -u
img=$1 log=$2
shift 2
init="" want="" has="" lacks="" refused=""
while [ $# -gt 0 ]; do
    case $1 in
    --init) init=$2; shift 2 ;;
    --exit) want=$2; shift 2 ;;
    --has) has="$has
$2"; shift 2 ;;
    --lacks) lacks="$lacks
$2"; shift 2 ;;
    --refused) refused=1; shift ;;
    *) break ;;
    esac
done
prog=${init%% *} args=""
[ "$prog" = "$init" ] || args=${init#* }
fail() { echo "proc.sh: $log: $*" >&2; exit 1; }

sh "$(dirname "$0")/boot.sh" --img "$img" --log "$log" --cmdline "init=/boot/$prog initexit -- $args" "$@"
rc=$?
tr -d '\r' < "$log" > "$log.txt"
if [ -n "$refused" ]; then
    grep -q "^\[proc\] init=/boot/$prog: cannot start it: error -[0-9]*$" "$log.txt" || fail "no line refusing the program"
    ! grep -q "^\[proc\] init=/boot/$prog started" "$log.txt" || fail "the program started"
else
    grep -q "^\[proc\] init=/boot/$prog started as pid 1$" "$log.txt" || fail "the process did not start"
    grep -q "^\[proc\] init=/boot/$prog ended: " "$log.txt" || fail "no line saying the process ended"
fi
[ "$rc" = "$want" ] || fail "QEMU exited $rc, not $want"
echo "$has" | while IFS= read -r re; do
    [ -z "$re" ] || grep -Eq -- "$re" "$log.txt" || { echo "proc.sh: $log: no line matches: $re" >&2; exit 1; }
done || exit 1
echo "$lacks" | while IFS= read -r re; do
    [ -z "$re" ] || ! grep -Eq -- "$re" "$log.txt" || { echo "proc.sh: $log: a line matches: $re" >&2; exit 1; }
done || exit 1
exit 0
