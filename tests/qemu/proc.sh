#!/bin/sh
# proc.sh - run one program of tests/user/ as the first process and check
# what it did (docs/processes.md, "Tests").
#
#   proc.sh IMG LOG --init "NAME [ARGS...]" --exit N [--has REGEX]... [--lacks REGEX]...
#           [boot.sh options...]
#
# Boots IMG (bios-proc.img or uefi-proc.img: the programs are boot modules
# /boot/NAME) with cmdline "init=/boot/NAME initexit -- ARGS". Passes when
# QEMU exits N (33: the process exited 0; 35: any other end), the serial
# log shows the process started and ended, every --has REGEX matches a
# line of the log and no --lacks REGEX does. Exit 0 pass, 1 fail.
set -u
img=$1 log=$2
shift 2
init="" want="" has="" lacks=""
while [ $# -gt 0 ]; do
    case $1 in
    --init) init=$2; shift 2 ;;
    --exit) want=$2; shift 2 ;;
    --has) has="$has
$2"; shift 2 ;;
    --lacks) lacks="$lacks
$2"; shift 2 ;;
    *) break ;;
    esac
done
prog=${init%% *} args=""
[ "$prog" = "$init" ] || args=${init#* }
fail() { echo "proc.sh: $log: $*" >&2; exit 1; }

sh "$(dirname "$0")/boot.sh" --img "$img" --log "$log" --cmdline "init=/boot/$prog initexit -- $args" "$@"
rc=$?
tr -d '\r' < "$log" > "$log.txt"
grep -q "^\[proc\] init=/boot/$prog started as pid 1$" "$log.txt" || fail "the process did not start"
grep -q "^\[proc\] init=/boot/$prog ended: " "$log.txt" || fail "no line saying the process ended"
[ "$rc" = "$want" ] || fail "QEMU exited $rc, not $want"
echo "$has" | while IFS= read -r re; do
    [ -z "$re" ] || grep -Eq -- "$re" "$log.txt" || { echo "proc.sh: $log: no line matches: $re" >&2; exit 1; }
done || exit 1
echo "$lacks" | while IFS= read -r re; do
    [ -z "$re" ] || ! grep -Eq -- "$re" "$log.txt" || { echo "proc.sh: $log: a line matches: $re" >&2; exit 1; }
done || exit 1
exit 0
