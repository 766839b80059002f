#!/bin/sh
# linux-fbcon.sh OUT [--icount] - the Linux fbcon anchor of term-bench.sh:
# Linux 6.1 (Debian's kernel, read from /boot at bench time; nothing is
# downloaded) boots in the same QEMU as Tessera's bench=term (SeaBIOS, q35,
# 1 CPU, 256 MiB, -vga std) with a busybox initramfs built here, draws on
# its framebuffer console and prints its costs.
#
# The console: `vga=0x344` on the kernel command line. The kernel's real-mode
# setup asks the VGA BIOS (SeaVGABIOS on QEMU's std VGA) for VBE mode 0x144,
# 1024x768 at 32 bits per pixel, the mode Tessera's loader sets
# (video=1024x768x32); Debian's kernel has vesafb built in (CONFIG_FB_VESA=y,
# no CONFIG_SYSFB_SIMPLEFB), which takes that mode, and fbcon on it gives
# tty1 128x48 cells of the 8x16 font, as on Tessera. It scrolls by drawing
# again the cells that change ("vesafb: scrolling: redraw"): 6.1's fbcon does
# so on any driver without CONFIG_FRAMEBUFFER_CONSOLE_LEGACY_ACCELERATION,
# which Debian leaves off, and video=vesafb:ypan changes nothing here (it
# needs the VBE protected-mode interface, which SeaVGABIOS does not offer).
# No module is needed; bochs-drm would be a module and draws
# through a shadow buffer copied by a worker, which a write() does not wait
# for. The cursor's blink is turned off (fbcon/cursor_blink) so no timer
# draws during a measurement; the kernel's messages go to ttyS0 only.
#
# The guest program (fbcon-bench.c, musl-gcc -static) prints
#   bench: term_draw_screen / term_scroll_line / term_cat_line tsc_per_op=N
# and types keys through the 8042 while kprobe events with the x86-tsc
# trace clock stamp i8042_interrupt's entry and fbcon_putcs's return (the
# echoed glyph drawn) and getppid's entry and return (the probes' own cost);
# this script pairs them and prints
#   anchor: key_echo tsc_per_op=N raw=N probes=N samples=N
# N = the median of (fbcon_putcs return - i8042_interrupt entry) minus the
# median probe cost. Its other lines are the guest's, "bench:" turned to
# "anchor:". With --icount (-icount shift=0,sleep=off) every figure is guest
# instructions; without, TSC ticks of plain TCG.
#
# Skips with a clear message (exit 0, no anchor: lines) when the kernel image,
# busybox, musl-gcc or cpio is missing. The log is OUT/linux.log.
set -eu
out=$1
icount=""
[ "${2:-}" = --icount ] && icount="-icount shift=0,sleep=off"
here=$(cd "$(dirname "$0")" && pwd)
kernel=${LINUX_KERNEL:-/boot/vmlinuz-6.1.0-57-amd64}
cat_lines=96
keys=63

skip() { echo "linux-fbcon: skipped: $1"; exit 0; }
[ -r "$kernel" ] || skip "no Linux kernel at $kernel (Debian: apt-get install linux-image-amd64)"
[ -x /bin/busybox ] || skip "no /bin/busybox (Debian: apt-get install busybox-static)"
command -v musl-gcc >/dev/null || skip "no musl-gcc (Debian: apt-get install musl-tools)"
command -v cpio >/dev/null || skip "no cpio"

mkdir -p "$out"
root=$out/root
rm -rf "$root"
mkdir -p "$root/bin" "$root/proc" "$root/sys" "$root/dev" "$root/tmp"
musl-gcc -O2 -static -o "$root/bin/fbcon-bench" "$here/fbcon-bench.c"
cp /bin/busybox "$root/bin/busybox"
for a in $("$root/bin/busybox" --list); do
    [ "$a" = busybox ] || ln -s busybox "$root/bin/$a"
done
cat > "$root/init" <<EOF
#!/bin/busybox sh
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mount -t tmpfs tmp /tmp
echo 0 > /sys/class/graphics/fbcon/cursor_blink
echo "bench: linux fb0 \$(cat /sys/class/graphics/fb0/name) \$(cat /sys/class/graphics/fb0/virtual_size) \$(cat /sys/class/graphics/fb0/bits_per_pixel) bpp"
/bin/fbcon-bench screen /dev/tty1
/bin/fbcon-bench cat /dev/tty1 $cat_lines
T=/sys/kernel/tracing
mount -t tracefs tracefs \$T
if echo x86-tsc > \$T/trace_clock &&
   echo 'p:kbd_irq i8042_interrupt' > \$T/kprobe_events &&
   echo 'r:glyph fbcon_putcs' >> \$T/kprobe_events &&
   echo 'p:cal_in __x64_sys_getppid' >> \$T/kprobe_events &&
   echo 'r:cal_out __x64_sys_getppid' >> \$T/kprobe_events &&
   echo 1 > \$T/events/kprobes/enable; then
    echo 1 > \$T/tracing_on
    /bin/fbcon-bench keys /dev/tty1 $keys
    echo 0 > \$T/tracing_on
    echo TRACE-BEGIN
    cat \$T/trace
    echo TRACE-END
else
    echo "bench: linux kprobe events not available: no key echo figure"
fi
poweroff -f
EOF
chmod 755 "$root/init"
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) > "$out/initrd.gz"

log=$out/linux.log
rm -f "$log"
# shellcheck disable=SC2086
timeout 600 qemu-system-x86_64 -accel tcg -machine q35 -cpu qemu64 -m 256 -smp 1 -vga std \
    -nic none -display none -serial "file:$log" -no-reboot $icount \
    -kernel "$kernel" -initrd "$out/initrd.gz" \
    -append "console=ttyS0 vga=0x344 quiet" </dev/null || {
    echo "linux-fbcon: QEMU failed or timed out; see $log"
    exit 1
}

tr -d '\r' < "$log" | sed -n 's/^bench: /anchor: /p'

# key_echo: i8042_interrupt's entry to the next fbcon_putcs return, and the probes' cost.
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }'; }
events=$(tr -d '\r' < "$log" | sed -n '/^TRACE-BEGIN/,/^TRACE-END/p' |
    sed -nE 's/.* ([0-9]+): (kbd_irq|glyph|cal_in|cal_out):.*/\2 \1/p')
[ -n "$events" ] || exit 0
raw=$(echo "$events" | awk '$1 == "kbd_irq" { t = $2; armed = 1 }
    $1 == "glyph" && armed { print $2 - t; armed = 0 }' | median)
probes=$(echo "$events" | awk '$1 == "cal_in" { t = $2; armed = 1 }
    $1 == "cal_out" && armed { print $2 - t; armed = 0 }' | median)
samples=$(echo "$events" | awk '$1 == "kbd_irq" { armed = 1 } $1 == "glyph" && armed { n++; armed = 0 }
    END { print n + 0 }')
[ -n "$raw" ] && [ -n "$probes" ] &&
    echo "anchor: key_echo tsc_per_op=$((raw - probes)) raw=$raw probes=$probes samples=$samples"
