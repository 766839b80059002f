#!/bin/sh
# compare-summaries.sh IMG LOGDIR [boot.sh options] - one kernel view: boot
# the same image (the hybrid tessera.img) under SeaBIOS and under OVMF, with
# the same machine, and compare the kernel's two `bootinfo:` summary lines
# field by field. Each boot runs the hand-off's ktests (`@boot`); the full
# cells run the rest.
#
# What must be equal: fb= (both loaders pick the mode nearest video=) and
# cmdline= (the same /boot/boot.cfg). What may differ, by design:
# firmware= and loader= (who booted), rsdp= (each firmware puts its tables
# elsewhere), kernel_phys= (the UEFI loader takes pages wherever the firmware
# gives them), mem_entries= (the count of firmware map entries: E820 gives a
# handful, the UEFI map dozens) and mem_usable_kib= by the firmware's own
# reservations: OVMF keeps its runtime services and variable store, so it
# must stay within 10 % of the BIOS figure.
set -u
img=$1 dir=$2
shift 2
here=$(dirname "$0")
fail() { echo "compare-summaries: $*"; exit 1; }

for fw in bios uefi; do
    sh "$here/ktest.sh" "$img" "$dir/compare-$fw.serial" --only @boot --firmware $fw "$@" > "$dir/compare-$fw.out" 2>&1 ||
        { cat "$dir/compare-$fw.out"; fail "the $fw boot failed"; }
done
field() { tr -d '\r' < "$dir/compare-$1.serial" | grep '^bootinfo: ' | sed -E "s/.* $2=(\"[^\"]*\"|[^ ]*).*/\1/"; }

printf '%-16s %-24s %-24s\n' field bios uefi
for f in firmware loader mem_usable_kib mem_entries fb rsdp kernel_phys cmdline; do
    printf '%-16s %-24s %-24s\n' "$f" "$(field bios $f)" "$(field uefi $f)"
done
[ "$(field bios firmware)" = bios ] && [ "$(field uefi firmware)" = uefi ] || fail "firmware= is not bios and uefi"
[ "$(field bios loader)" != "$(field uefi loader)" ] || fail "the same loader= both ways"
for f in fb cmdline; do
    [ "$(field bios $f)" = "$(field uefi $f)" ] || fail "$f= differs"
done
b=$(field bios mem_usable_kib) u=$(field uefi mem_usable_kib)
[ "$u" -le "$b" ] && [ "$u" -ge $(( b * 90 / 100 )) ] ||
    fail "mem_usable_kib: uefi $u is not within 90..100 % of bios $b"
echo "ok: the two summaries agree (usable memory: bios $b KiB, uefi $u KiB, firmware keeps $(( b - u )) KiB)"
