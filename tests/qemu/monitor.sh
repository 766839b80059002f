#!/bin/sh
# monitor.sh - the kernel monitor typed into over serial (docs/monitor.md).
#
#   monitor.sh MODE IMG LOG [boot.sh options...]
#
# Boots IMG with "monitor" on the command line and COM1 on a unix socket
# (boot.sh --serial-socket), types a script of commands into it
# (tests/qemu/serial-type.py, the bytes received kept in LOG.transcript),
# and ends with a reboot, which QEMU (-no-reboot) turns into its exit.
# Then tests/qemu/monitor-check.py checks the transcript against what the
# kernel itself logged at boot (LOG): lspci's lines are the [pci] lines,
# lsblk's the [blk] NAME: lines, bootinfo the bootinfo: line, timeline the
# timeline: rows; an unknown command and a bad argument get their one-line
# errors; Up Up Enter runs the older line again; and the reboot's last log
# line is the way expected to work.
#   MODE commands   every command (and a line edited with Left, Backspace
#                   and End), then "reboot": the ACPI reset register
#        8042       "reboot 8042": the keyboard controller's pulse
#        triple     "reboot triple": the triple fault
#        noacpi     "reboot" on a machine without ACPI: none found, then the 8042
#        keys       "keys" with the input layer's keylog on, keys pressed through
#                   QMP (tests/qemu/qmp-machine.py; this mode's --qemu replaces
#                   the cell's), then q: the monitor's lines must be the
#                   keylog's lines of the same events; then "reboot"
#        halt       "halt": then every CPU must be halted with interrupts off
#                   (QMP, qmp-machine.py halted), and QEMU is told to quit
#        tty1       "reboot triple" typed on the PS/2 keyboard (QMP), which the
#                   virtual console tty1 hands to its monitor: the triple fault
#                   must be the way logged, and the serial monitor must not have
#                   run it (no "rebooting" in the serial log)
set -u
mode=$1 img=$2 log=$3
shift 3
here=$(dirname "$0")
sock="$log.sock"
tr="$log.transcript"
rm -f "$tr" "$sock"
fail() { echo "monitor.sh: $*"; tail -n 30 "$log" 2>/dev/null; exit 1; }

P='^tessera>\s'
case $mode in
commands)
    steps="--expect $P --send lspci\\r --expect $P --send lsblk\\r --expect $P --send bootinfo\\r --expect $P
           --send timeline\\r --expect $P --send frob\\r --expect $P --send dmesg\\x20x\\r --expect $P
           --send ps\\r --expect $P --send irq\\r --expect $P --send mem\\r --expect $P --send help\\r --expect $P
           --send dmesg\\x203\\r --expect $P --send \\x1b[A\\x1b[A\\r --expect $P
           --send lqci\\x1b[D\\x1b[D\\x7fsp\\x1b[F\\r --expect $P --send reboot\\r --expect ^rebooting\\x20.*way\\)$"
    way='ACPI reset register, (port|memory) 0x' ;;
8042)   steps="--expect $P --send reboot\\x208042\\r --expect ^rebooting\\x20.*way\\)$"; way='8042 reset pulse, 0xfe to port 0x64' ;;
triple) steps="--expect $P --send reboot\\x20triple\\r --expect ^rebooting\\x20.*way\\)$"; way='triple fault' ;;
noacpi) steps="--expect $P --send reboot\\r --expect ^rebooting\\x20.*way\\)$"; way='8042 reset pulse, 0xfe to port 0x64' ;;
keys)   steps="--expect $P --send keys\\r --expect ^key\\x20events;"
        keys_then="--send \\r --expect $P --send reboot\\r --expect ^rebooting\\x20.*way\\)$"
        way='(ACPI reset register|8042 reset pulse)' ;;
halt)   steps="--expect $P --send halt\\r --expect ^halting\\x20every\\x20CPU$" way="" ;;
tty1)   steps="--expect $P" way='triple fault' ;;
*) fail "MODE must be commands, 8042, triple, noacpi, keys, halt or tty1" ;;
esac

words=monitor qmp=""
[ "$mode" != keys ] || words="monitor keylog"
case $mode in keys|halt|tty1)
    qmp="$log.qmp"
    rm -f "$qmp"
    set -- "$@" --qemu "-qmp unix:$qmp,server=on,wait=off" ;;
esac
sh "$here/boot.sh" --img "$img" --log "$log" --cmdline "$words" --serial-socket "$sock" --timeout 120 "$@" &
bpid=$!
# shellcheck disable=SC2086
python3 "$here/serial-type.py" "$sock" --timeout 60 --transcript "$tr" $steps
trc=$?
if [ "$mode" = keys ] && [ $trc -eq 0 ]; then
    python3 "$here/qmp-machine.py" "$qmp" keys shift-a b ret up q &&
        python3 "$here/serial-type.py" "$sock" --timeout 60 $keys_then
    trc=$?
fi
if [ "$mode" = tty1 ] && [ $trc -eq 0 ]; then
    python3 "$here/qmp-machine.py" "$qmp" keys r e b o o t spc t r i p l e ret
    trc=$?
fi
if [ "$mode" = halt ] && [ $trc -eq 0 ]; then
    sleep 1                             # the NMIs to the other CPUs
    python3 "$here/qmp-machine.py" "$qmp" halted
    trc=$?
fi
wait $bpid
brc=$?
[ $trc -eq 0 ] || fail "typing the script failed (above)"
[ "$mode" != tty1 ] || grep -q '^\[monitor\] on tty1' "$log" || fail "no monitor on tty1 ('[monitor] on tty1')"
# QEMU exits 0 on the guest's reset with -no-reboot (or on quit); 124 is boot.sh's timeout.
[ $brc -eq 0 ] || fail "QEMU did not end with the reset (boot.sh status $brc)"
if [ "$mode" = halt ]; then
    grep -q '^\[monitor\] halt: every CPU stops' "$log" || fail "no '[monitor] halt: every CPU stops' line"
    echo "ok: monitor halt"
    exit 0
fi
python3 "$here/monitor-check.py" "$mode" "$log" "$tr" "$way" || fail "the monitor's output disagrees with the log (above)"
echo "ok: monitor $mode"
