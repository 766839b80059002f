#!/bin/sh
# userland.sh - the normal boot ends at a shell prompt, and a first process
# that cannot start is said clearly (docs/userland.md).
#
#   userland.sh MODE IMG LOG [boot.sh options...]
#     prompt     IMG with its own command line (make run's boot): COM1 on a
#                unix socket (boot.sh --serial-socket), typed into with
#                tests/qemu/serial-type.py (the bytes received kept in
#                LOG.transcript): the prompt of root's login shell on ttyS0,
#                then `echo hi | tr a-z A-Z > /tmp/x; cat /tmp/x` must print
#                HI (a pipe, a tmpfs file), `ps -o pid,user,args` (Tessera's ps,
#                docs/tools.md) must list /sbin/init as pid 1, and a login shell on each of the 5 terminals (ttyS0, tty1..tty4),
#                an orphan (`sh -c 'sleep 3 &'`) must have pid 1 as parent and,
#                once it ended, be reaped by init (no zombie, Z, in ps),
#                `exit` must bring a new login shell (init starts another: the
#                motd of /etc/profile and the prompt again), and `poweroff`
#                (busybox's, a signal to pid 1) must end QEMU by itself
#                through ACPI S5: QEMU's exit 0, not boot.sh's time limit
#                (124). The log must have /sbin/init started as pid 1,
#                one "[tty] first read by PID" line, and init's and the
#                kernel's power-off lines.
#     missing    command line "loglevel=info root=tmpfs": the root is an
#                empty tmpfs, so there is no /sbin/init; the kernel must say so
#                in its one line and go on to its halting line, with no panic.
#     notexec    command line "init=/etc/motd": a file without execute
#                permission as the first process: error -13 (EACCES), no panic.
set -u
mode=$1 img=$2 log=$3 here=$(dirname "$0")
shift 3
sock="$log.sock" tr="$log.transcript"         # the prompt mode's socket and what came through it
rm -f "$tr" "$sock" "$log.txt"
fail() { echo "userland.sh: $mode: $*"; tail -n 30 "$log.txt" 2>/dev/null || tail -n 30 "$log"; exit 1; }
has() { grep -Eq "$1" "$log.txt" || fail "no line matching '$1' in $log"; }

# boot_to_halt CMDLINE [boot.sh options...]: boot until the kernel's halting line; the log as text in LOG.txt.
boot_to_halt() {
    words=$1
    shift
    sh "$here/boot.sh" --img "$img" --log "$log" --cmdline "$words" --timeout 180 \
        --expect '^kernel: nothing more to do yet; halting' "$@"
    rc=$?
    tr -d '\r' < "$log" > "$log.txt"
    [ $rc -eq 0 ] || fail "no halting line (boot.sh status $rc)"
    ! grep -q '^panic' "$log.txt" || fail "the kernel panicked"
}

case $mode in
missing)
    boot_to_halt "loglevel=info root=tmpfs" "$@"
    has '^\[proc\] /sbin/init: cannot start it: no such file \(error -2\); no first process, the kernel goes on without one \(init=PATH on the command line names another program\)$'
    echo "ok: userland missing: the kernel said /sbin/init is missing and halted"
    exit 0 ;;
notexec)
    boot_to_halt "loglevel=info init=/etc/motd" "$@"
    has '^\[proc\] init=/etc/motd: cannot start it: error -13$'
    echo "ok: userland notexec: a file without execute permission refused"
    exit 0 ;;
prompt) ;;
*) fail "MODE must be prompt, missing or notexec" ;;
esac

# The prompt: PS1 of /etc/profile, root in its home folder (busybox may send a
# cursor-position request, ESC [ 6 n, after it).
P='^root@tessera:~#\x20'
steps="--expect $P --send echo\\x20hi\\x20|\\x20tr\\x20a-z\\x20A-Z\\x20>\\x20/tmp/x;\\x20cat\\x20/tmp/x\\r --expect ^HI$
       --expect $P --send ps\\x20-o\\x20pid,user,args\\r --expect ^\\s+1\\s+root\\s+/sbin/init$
       --expect $P --send sh\\x20-c\\x20\\x27sleep\\x203\\x20\\x26\\x27\\x3b\\x20sleep\\x201\\x3b\\x20ps\\x20-o\\x20ppid,comm\\x20|\\x20grep\\x20sleep\\r
       --expect ^\\s+1\\x20sleep$
       --expect $P --send sleep\\x203\\x3b\\x20ps\\x20-o\\x20stat,comm\\x20|\\x20grep\\x20-c\\x20^Z\\r --expect ^0$
       --expect $P --send exit\\r --expect ^Welcome\\x20to\\x20Tessera
       --expect $P --send poweroff\\r --expect power\\x20off:\\x20ACPI\\x20S5"
sh "$here/boot.sh" --img "$img" --log "$log" --serial-socket "$sock" --timeout 240 "$@" &
bpid=$!
# shellcheck disable=SC2086
python3 "$here/serial-type.py" "$sock" --timeout 150 --transcript "$tr" $steps
trc=$?
wait $bpid
brc=$?
tr -d '\r' < "$log" > "$log.txt"
[ $trc -eq 0 ] || fail "typing the script failed (above)"
! grep -q '^panic' "$log.txt" || fail "the kernel panicked"
has '^\[proc\] /sbin/init started as pid 1$'
# ps listed a login shell per terminal: ttyS0's and the four consoles' of the screen.
shells=$(tr -d '\r' < "$tr" | grep -cE '^\s+[0-9]+\s+root\s+-tsh$')
[ "$shells" -eq 5 ] || fail "ps listed $shells login shells, not 5 (ttyS0 and tty1..tty4)"
! grep -q 'not implemented: -ENOSYS' "$log.txt" || fail "a system call the boot to a prompt needs is missing: $(grep 'not implemented' "$log.txt" | head -n 3)"
! grep -q 'no such terminal here' "$log.txt" || fail "init found a terminal missing: $(grep 'no such terminal' "$log.txt")"

has '^init: login shells /bin/tsh on ttyS0 and tty1\.\.tty4$'
has '\[tty\] first read by PID [0-9]+ \([^)]+\) at [0-9]+\.[0-9]{3} ms since kernel entry$'
[ "$(grep -c '\[tty\] first read by PID' "$log.txt")" = 1 ] || fail "not exactly one '[tty] first read' line"
has '^init: power off: sending SIGTERM to every process$'
has '^\[linux\] pid 1 \(init\): reboot: power off$'
has '^\[linux\] power off: ACPI S5'
[ $brc -eq 0 ] || fail "QEMU did not end by itself with the power-off (boot.sh status $brc; 124: the time limit)"
echo "ok: userland prompt: $(grep -o 'first read by PID.*' "$log.txt")"
