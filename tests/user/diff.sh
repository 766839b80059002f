#!/bin/sh
# diff.sh - a differential test: one program of tests/user/ run on the
# host's Linux and on Tessera (as the first process, tests/qemu/proc.sh),
# the two outputs compared line by line.
#
#   diff.sh IMG LOG "NAME [ARGS...]" [boot.sh options...]
#
# Both runs get the same arguments and environment (init.c's: HOME=/
# TERM=linux PATH=/bin:/sbin:/usr/bin). Documented differences, removed
# before the comparison: the program's path (build/user/NAME on the host,
# /boot/NAME on Tessera: argv[0] and AT_EXECFN) and process ids ("pid N").
# Tessera's lines are those between the kernel's "started" and "ended"
# lines, without the kernel's own "[...]" lines and the CRs the terminal
# adds. Exit 0 when equal, 1 with the diff otherwise.
set -u
img=$1 log=$2 init=$3
shift 3
B=${BUILD:-build}
prog=${init%% *} args=""
[ "$prog" = "$init" ] || args=${init#* }
norm() { sed -e "s|$B/user/$prog|/boot/$prog|g" -e 's/pid [0-9][0-9]*/pid N/g'; }
# shellcheck disable=SC2086 # the arguments are words
env -i HOME=/ TERM=linux PATH=/bin:/sbin:/usr/bin "$B/user/$prog" $args 2>&1 | norm > "$log.host"
want=33
if [ "$(sed -n '$p' "$log.host" | grep -c FAILED)" != 0 ]; then
    want=35
    grep FAILED "$log.host" | sed "s/^/diff.sh: $prog on the host: /" >&2
fi
# Tessera's exit status first, but the diff in any case: it shows which line differs.
sh "$(dirname "$0")/../qemu/proc.sh" "$img" "$log" --init "$init" --exit "$want" "$@"
rc=$?
[ -f "$log" ] || exit 1
tr -d '\r' < "$log" | sed -n "/^\[proc\] init=\/boot\/$prog started/,/^\[proc\] init=\/boot\/$prog ended/p" |
    grep -v '^\[' | norm > "$log.tessera"
diff -u "$log.host" "$log.tessera" || { echo "diff.sh: $prog: Linux and Tessera differ" >&2; exit 1; }
exit $rc
