#!/bin/sh
# prompt-bench.sh - kernel entry to the first prompt (part of make bench;
# issue 17's benchmark, docs/userland.md "The time to the first read").
#
#   prompt-bench.sh BIOS_IMG UEFI_IMG [RUNS]
#
# The images as make builds them (their own boot.cfg: a normal boot to
# /sbin/init and a login shell per terminal), on make run's machines and
# QEMU command line: bios.img on pc under SeaBIOS, uefi.img on q35 under
# OVMF, 256 MiB, 1 CPU, a copy of the image each boot.
#
# 1. Virtual time: one boot per firmware under -icount shift=0,sleep=off
#    (the guest TSC counts executed instructions). The end point is the
#    kernel's "[tty] first read by PID N (NAME) at N.NNN ms since kernel
#    entry" (kernel/tty/first_read.c): the first login shell waiting at
#    its prompt. Two changes from make run, both so that the figure is
#    the guest's and not the host's disk (start_qemu says why): idle=poll
#    added to the command line and cache=unsafe on the drive. Then `dmesg`
#    is typed at the prompt, for the kernel's lines with their times.
#    Printed: the "timeline: kernel NAME" rows (kernel/boot/phases.c) as a
#    table per firmware, init..read (the last phase to the first read),
#    and the kernel's lines from /sbin/init's start to the first read with
#    their times. The anchor is Linux 6.1 in the same QEMU, 1.74 s of
#    virtual time from its start to /init (../shared/anchors/linux/
#    RESULTS.md); issue 17's goal is 0.17 s, a tenth of it: goal=0.1 on
#    the rows.
# 2. Wall time: RUNS boots per firmware (default 3) with make run's
#    command line as it is (serial to a file, no display), from QEMU's
#    start to the prompt "root@tessera:~# " on serial; the median,
#    reported with no goal.
# Rows: prompt-{bios,uefi}-icount-ms (anchor, goal) and
# prompt-{bios,uefi}-wall-ms.
set -eu
bios_img=$1 uefi_img=$2 runs=${3:-3}
here=$(dirname "$0")
out=$(dirname "$bios_img")/bench/prompt
mkdir -p "$out"
. "$here/median.sh"
. "$here/row.sh"

anchor_ms=1740          # Linux 6.1, kernel start to /init, -icount (RESULTS.md)
prompt='root@tessera:~# '
first_read='\[tty\] first read by PID [0-9]+ .* ms since kernel entry'

# add_idle_poll IMG: "idle=poll" added to the cmdline= of IMG's
# /boot/boot.cfg (the boot partition at LBA 2048, as tests/qemu/boot.sh
# has it).
add_idle_poll() {
    export MTOOLS_SKIP_CHECK=1
    mtype -i "$1@@1048576" ::/boot/boot.cfg | tr -d '\r' | sed '/^cmdline=/s/$/ idle=poll/' > "$out/boot.cfg"
    grep -q '^cmdline=.* idle=poll$' "$out/boot.cfg" || { echo "prompt-bench: no cmdline= in $1's boot.cfg"; exit 1; }
    mcopy -o -i "$1@@1048576" "$out/boot.cfg" ::/boot/boot.cfg
}

# start_qemu FW IMG MACHINE SERIAL [ICOUNT]: make run's QEMU command line
# (no display) on a copy of IMG, in the background (qpid); SERIAL is its
# -serial option. The copy is written to the host's disk before QEMU
# starts. Under -icount the drive has cache=unsafe: the guest's FLUSH
# CACHE then costs the guest's work, not the host's fsync (which, under
# -icount sleep=off, the idle guest skips through tick by tick: seconds of
# virtual time; docs/userland.md), and the command line gets idle=poll
# (kernel/sched/idle.c): a CPU waiting for a disk spins, so the wait costs
# the instructions spun while the host reads, not a jump to the next tick
# for every halt (a jump of up to 1 ms per halt, as many as the loaded
# host's latency allows: the figure would measure the host). A sleep
# still costs its full length either way.
start_qemu() {
    copy=$out/copy-$1.img
    cp --sparse=always "$2" "$copy"
    [ -z "${5:-}" ] || add_idle_poll "$copy"
    sync "$copy"
    fw=""
    if [ "$1" = uefi ]; then
        cp /usr/share/OVMF/OVMF_VARS_4M.fd "$out/vars.fd"
        fw="-drive if=pflash,format=raw,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd"
        fw="$fw -drive if=pflash,format=raw,file=$out/vars.fd"
    fi
    # shellcheck disable=SC2086
    qemu-system-x86_64 -accel tcg -machine "$3" -m 256 -nic none -no-reboot $fw ${5:+-icount shift=0,sleep=off} \
        -drive format=raw,file="$copy"${5:+,cache=unsafe} $4 \
        -device isa-debug-exit,iobase=0xf4,iosize=0x04 -display none -monitor none </dev/null &
    qpid=$!
}

stop_qemu() {
    kill $qpid 2>/dev/null || true
    wait $qpid 2>/dev/null || true
    rm -f "$out/copy-"*.img "$out/vars.fd"
}

# wall_boot FW IMG MACHINE LOG: QEMU start to the prompt on serial (LOG), in ms, or "-" after 300 s.
wall_boot() {
    : > "$4"
    t0=$(date +%s%N)
    start_qemu "$1" "$2" "$3" "-serial file:$4"
    ms=-
    while kill -0 $qpid 2>/dev/null; do
        if grep -q "$prompt" "$4"; then
            ms=$(( ($(date +%s%N) - t0) / 1000000 ))
            break
        fi
        [ $(( ($(date +%s%N) - t0) / 1000000000 )) -lt 300 ] || break
        sleep 0.02
    done
    stop_qemu
    echo "$ms"
}

# icount_boot FW IMG MACHINE: one boot under -icount to the first read,
# then `dmesg` typed at the prompt (the kernel's lines with their times);
# the serial log in out/icount-FW.txt.
icount_boot() {
    log=$out/icount-$1.log sock=$out/serial.sock
    rm -f "$log" "$sock"
    start_qemu "$1" "$2" "$3" "-chardev socket,id=com1,path=$sock,server=on,wait=off,logfile=$log -serial chardev:com1" icount
    rc=0
    python3 "$here/../qemu/serial-type.py" "$sock" --timeout 300 --expect "$first_read" \
        --send 'dmesg; echo DMESG-\x45ND\r' --expect '^DMESG-END' >/dev/null 2>"$out/icount-$1.err" || rc=$?
    stop_qemu
    rm -f "$sock"
    tr -d '\r' < "$log" > "$out/icount-$1.txt"
    [ "$rc" -eq 0 ] || { echo "prompt-bench: $1: no first read, or no dmesg after it; see $out/icount-$1.txt"
                         cat "$out/icount-$1.err"; tail -n 20 "$out/icount-$1.txt"; exit 1; }
}

# first_read_ms FW: the ms of the first-read line of that boot.
first_read_ms() {
    sed -nE 's/.*\[tty\] first read by PID [0-9]+ \(.*\) at ([0-9.]+) ms since kernel entry$/\1/p' "$out/icount-$1.txt" | head -n 1
}

# after_init FW: the kernel's lines (dmesg's, with their times) from
# /sbin/init's start to the first read: "ms +ms text" (ms since kernel entry;
# Tessera's dmesg, tsh's at the prompt, puts each line's level first).
# (A character of dmesg's long output is sometimes doubled on the serial
# line, "sstarted": the patterns leave such words out.)
after_init() {
    sed -nE 's/^([a-z]+ +)?\[ *([0-9]+\.[0-9]+)\] (.*)/\2 \3/p' "$out/icount-$1.txt" |
        awk '/\/sbin\/init .*as pid 1$/ { on = 1 } on { ms = $1 * 1000; $1 = ""
             printf "    %9.3f %+9.3f %s\n", ms, prev ? ms - prev : 0, substr($0, 2); prev = ms }
             on && /first read by PID/ { exit }'
}

# phases FW: the kernel's phases of that boot as "NAME:us" lines (the us
# column of each "timeline: kernel NAME" row).
phases() {
    sed -nE 's/^timeline: kernel ([a-z0-9 _-]+[a-z0-9]) +[0-9]+ ticks +([0-9]+) us .*/\1:\2/p' "$out/icount-$1.txt" | grep -v '^entry:'
}

icount_boot bios "$bios_img" pc
icount_boot uefi "$uefi_img" q35
for fw in bios uefi; do
    : > "$out/wall-$fw.ms"
done
for i in $(seq 1 "$runs"); do
    wall_boot bios "$bios_img" pc "$out/wall-bios-$i.log" >> "$out/wall-bios.ms"
    wall_boot uefi "$uefi_img" q35 "$out/wall-uefi-$i.log" >> "$out/wall-uefi.ms"
done

echo "Kernel entry to the first prompt (make run's machines, 256 MiB, 1 CPU; -icount shift=0,sleep=off: virtual ms):"
for fw in bios uefi; do
    grep -oE "$first_read" "$out/icount-$fw.txt" | head -n 1 | sed "s/^/  $fw.img: /"
done
echo "  where the time went, virtual ms (the kernel's timeline rows; init: the last phase to the first read):"
printf '  %-12s %10s %10s\n' phase bios uefi
phases bios > "$out/phases-bios"
phases uefi > "$out/phases-uefi"
for name in $(cut -d: -f1 "$out/phases-bios" | tr ' ' '_'); do
    n=$(echo "$name" | tr '_' ' ')
    b=$(grep "^$n:" "$out/phases-bios" | head -n 1 | cut -d: -f2)
    u=$(grep "^$n:" "$out/phases-uefi" | head -n 1 | cut -d: -f2)
    printf '  %-12s %10s %10s\n' "$n" "$(awk -v v="${b:-}" 'BEGIN { print v == "" ? "-" : sprintf("%.3f", v / 1000) }')" \
        "$(awk -v v="${u:-}" 'BEGIN { print v == "" ? "-" : sprintf("%.3f", v / 1000) }')"
done
for fw in bios uefi; do
    kernel=$(cut -d: -f2 "$out/phases-$fw" | awk '{ t += $1 } END { print t + 0 }')
    awk -v f="$(first_read_ms $fw)" -v k="$kernel" 'BEGIN { printf "%.3f\n", f - k / 1000 }' > "$out/init-$fw"
done
printf '  %-12s %10s %10s\n' "init..read" "$(cat "$out/init-bios")" "$(cat "$out/init-uefi")"
printf '  %-12s %10s %10s\n' "total" "$(first_read_ms bios)" "$(first_read_ms uefi)"
for fw in bios uefi; do
    echo "  $fw, the kernel's lines from /sbin/init's start to the first read (ms since kernel entry, +ms since the line before):"
    after_init $fw
done
echo "  (anchor: Linux 6.1, its start to /init, 1.74 s under -icount; goal 0.17 s: ratio 0.1)"
echo "make run's boot to the prompt on serial, wall ms from QEMU's start (TCG, median of $runs):"
for fw in bios uefi; do
    echo "  $fw.img: $(tr '\n' ' ' < "$out/wall-$fw.ms")"
done
bench_row prompt-bios-icount-ms "$(first_read_ms bios)" $anchor_ms 0.1
bench_row prompt-uefi-icount-ms "$(first_read_ms uefi)" $anchor_ms 0.1
bench_row prompt-bios-wall-ms "$(grep -E '^[0-9]+$' "$out/wall-bios.ms" | median)"
bench_row prompt-uefi-wall-ms "$(grep -E '^[0-9]+$' "$out/wall-uefi.ms" | median)"
