#!/bin/sh
# tty-burst.sh - a burst on serial input: boot with "ttyburst=N" (ttyS0 in raw
# mode, no echo, kernel/test/test_tty_tools.c), send N characters at once
# over boot.sh --serial-socket, and compare what the kernel read with what
# was sent.
#
#   tty-burst.sh IMG LOG [boot.sh options...]
#
# The kernel's line: "[tty] burst: R bytes received, crc32 C, D dropped by
# the line discipline, O overruns; I receive interrupts (T timeouts) for B
# bytes". The FIFO must have raised some interrupts at its trigger level
# (I > T: a timeout alone would mean no trigger level). Then it passes in one
# of two ways only, and
# says which: every character arrived (R = N, D = O = 0, and C is the
# CRC-32 of the bytes sent: the same bytes in the same order), or every
# character lost is counted (R + D + O = N). Anything else fails: bytes lost
# without a count, or bytes that were never sent.
set -u
img=$1 log=$2
shift 2
n=10000
here=$(dirname "$0")
sock="$log.sock" data="$log.burst"

# N printable characters, a pattern that shows a lost, doubled or reordered byte in the CRC
python3 -c "import sys; sys.stdout.write(''.join(chr(33 + (i * 7 + i // 94) % 94) for i in range($n)))" > "$data"
sent_crc=$(python3 -c "import zlib, sys; print('%08x' % zlib.crc32(open(sys.argv[1], 'rb').read()))" "$data")

sh "$here/boot.sh" --img "$img" --log "$log" --serial-socket "$sock" --cmdline "ttyburst=$n" --timeout 180 "$@" &
boot=$!
python3 "$here/serial-type.py" "$sock" --timeout 90 --expect '^\[tty\] burst: ready for [0-9]+ bytes, raw mode$' \
    --send-file "$data" --expect '^\[tty\] burst: [0-9]+ bytes received'
typed=$?
wait $boot
rc=$?

line=$(grep -a '^\[tty\] burst: [0-9]* bytes received' "$log" | tr -d '\r')
echo "$line"
set -- $(echo "$line" | sed -n 's/^\[tty\] burst: \([0-9]*\) bytes received, crc32 \([0-9a-f]*\), \([0-9]*\) dropped by the line discipline, \([0-9]*\) overruns; \([0-9]*\) receive interrupts (\([0-9]*\) timeouts).*/\1 \2 \3 \4 \5 \6/p')
if [ $typed -ne 0 ] || [ $rc -ne 33 ] || [ $# -ne 6 ]; then
    echo "FAIL tty-burst: no burst line (serial-type.py $typed, QEMU exited $rc, not 33)"
    exit 1
fi
got=$1 crc=$2 dropped=$3 overruns=$4 irqs=$5 timeouts=$6
if [ "$irqs" -le "$timeouts" ]; then
    echo "FAIL tty-burst: $irqs receive interrupts, all $timeouts of them timeouts: the FIFO's trigger level never interrupted"
    exit 1
fi
if [ "$got" -eq $n ] && [ "$dropped" -eq 0 ] && [ "$overruns" -eq 0 ]; then
    if [ "$crc" = "$sent_crc" ]; then
        echo "PASS tty-burst: all $n characters arrived, in order (crc32 $crc)"
        exit 0
    fi
    echo "FAIL tty-burst: $n characters arrived but crc32 $crc is not the sent $sent_crc"
    exit 1
fi
if [ $((got + dropped + overruns)) -eq $n ]; then
    echo "PASS tty-burst: $got of $n arrived, every lost one counted ($dropped dropped, $overruns overruns)"
    exit 0
fi
echo "FAIL tty-burst: $got of $n arrived, $dropped dropped and $overruns overruns counted: $((n - got - dropped - overruns)) lost uncounted"
exit 1
