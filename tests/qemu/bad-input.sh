#!/bin/sh
# bad-input.sh - break one thing in a copy of an image and check that the
# loader stops with the exact message of that fault, and stops there.
#
#   bad-input.sh CASE IMG LOG [--firmware uefi]
#
# CASE is one of:
#   missing-kernel   /boot/kernel.elf deleted
#   truncated-kernel /boot/kernel.elf cut to its first 6000 bytes
#   not-elf          /boot/kernel.elf replaced by a text file
#   missing-cfg      /boot/boot.cfg deleted
#   no-fat           partition 1 retyped 0x83 (Linux): no FAT partition left
#   bad-bpb          the FAT boot sector of partition 1 zeroed
#   huge-bss         the kernel's last PT_LOAD grown to 960 MiB of memory
#                    (inside the ELF rules): more than the machine can give
#   entry-in-data    the kernel's entry point moved to the start of its last
#                    PT_LOAD (data, not executable): rule elf-entry
#   kernel-dir       (UEFI) /boot/kernel.elf is a directory
#   gpt-bad-crc      (a GPT image) one byte of the GPT header changed
#   gpt-no-esp       (a GPT image) the ESP retyped to Microsoft basic data
# Each case names the one whole line it expects (a good boot prints none of
# them: `stage2: part: ` alone would match a good boot's partition line).
# Under SeaBIOS that line must be the last the loader prints, with the
# machine halted (QEMU still running a second later: no reset, no triple
# fault). Under OVMF the loader prints it, may add the failing step's own
# error line, says it gives up, waits so a person can read it, and returns
# to the firmware, whose boot manager says so ("BdsDxe: failed to start
# Boot000N ..."); no other loader line may follow the message; and during
# the pause the screen shows at least as many text lines as the loader
# printed on COM1 (its whole log, put there when it gives up).
set -u
case=$1 img=$2 log=$3 firmware=${5:-bios}
work="$log.bad.img"
part="$work@@1048576"
export MTOOLS_SKIP_CHECK=1
cp --sparse=always "$img" "$work"

# u64 at byte $2 of file $1, and the offset of the last program header.
u64() { od -An -tu8 -j"$2" -N8 "$1" | tr -d ' '; }
last_phdr() {
    echo $(( $(u64 "$1" 32) + ($(od -An -tu2 -j56 -N2 "$1" | tr -d ' ') - 1) * 56 ))
}
# Write the u64 $3 (below 2^63) at byte $2 of file $1 (little endian).
put_u64() {
    v=$3 i=0 bytes=""
    while [ $i -lt 8 ]; do
        bytes="$bytes\\$(printf '%03o' $((v & 255)))" v=$((v >> 8)) i=$((i + 1))
    done
    printf "$bytes" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}
kernel_rule() { echo "elf: error, /boot/kernel\\.elf: $1"; }

case $case in
missing-kernel)
    mdel -i "$part" ::/boot/kernel.elf
    bios='kernel: error, /boot/kernel\.elf not found' uefi=$bios ;;
truncated-kernel)
    mcopy -i "$part" ::/boot/kernel.elf "$log.k" && head -c 6000 "$log.k" > "$log.k2"
    mcopy -o -i "$part" "$log.k2" ::/boot/kernel.elf && rm -f "$log.k" "$log.k2"
    bios=$(kernel_rule 'program header 0: PT_LOAD outside the file \(rule elf-load-file\)') uefi=$bios ;;
not-elf)
    echo "this is not an ELF file" > "$log.k"
    mcopy -o -i "$part" "$log.k" ::/boot/kernel.elf && rm -f "$log.k"
    bios=$(kernel_rule 'file too small for an ELF header \(rule elf-size\)') uefi=$bios ;;
missing-cfg)
    mdel -i "$part" ::/boot/boot.cfg
    bios='config: error, /boot/boot\.cfg not found' uefi=$bios ;;
no-fat)
    sfdisk -q --part-type "$work" 1 83 >/dev/null 2>&1
    bios='part: error, no active FAT partition \(types 04h 06h 0Bh 0Ch 0Eh\)' uefi="" ;;
bad-bpb)
    dd if=/dev/zero of="$work" bs=512 seek=2048 count=1 conv=notrunc status=none
    bios='fat: error, bad BPB: the partition holds no FAT file system' uefi="" ;;
huge-bss)
    mcopy -i "$part" ::/boot/kernel.elf "$log.k"
    put_u64 "$log.k" $(( $(last_phdr "$log.k") + 40 )) $((0x3C000000))   # p_memsz
    mcopy -o -i "$part" "$log.k" ::/boot/kernel.elf && rm -f "$log.k"
    bios='mem: error, no 2 MiB aligned room for the kernel image'
    uefi='elf: error, no memory for the kernel image \([0-9]+ KiB, out of resources\)' ;;
entry-in-data)
    mcopy -i "$part" ::/boot/kernel.elf "$log.k"
    dd if="$log.k" bs=1 skip=$(( $(last_phdr "$log.k") + 16 )) count=8 status=none |
        dd of="$log.k" bs=1 seek=24 conv=notrunc status=none                  # e_entry = p_vaddr
    mcopy -o -i "$part" "$log.k" ::/boot/kernel.elf && rm -f "$log.k"
    bios=$(kernel_rule 'entry point not in the file bytes of an executable PT_LOAD \(rule elf-entry\)')
    uefi=$bios ;;
kernel-dir)
    mdel -i "$part" ::/boot/kernel.elf && mmd -i "$part" ::/boot/kernel.elf
    bios="" uefi='file: error, /boot/kernel\.elf is a directory, not a file' ;;
gpt-bad-crc)
    printf 'X' | dd of="$work" bs=1 seek=$(( 512 + 60 )) conv=notrunc status=none   # in the disk GUID
    bios='part: error, GPT header: CRC32 mismatch' uefi="" ;;
gpt-no-esp)
    sgdisk -t 1:0700 "$work" >/dev/null
    bios='part: error, GPT without an EFI System Partition' uefi="" ;;
*) echo "bad-input.sh: unknown case $case"; exit 2 ;;
esac

if [ "$firmware" = uefi ]; then
    [ -n "$uefi" ] || { echo "bad-input.sh: $case is not a UEFI case"; exit 2; }
    expect="^uefi: $uefi\$"
    # The screen while the loader pauses: its whole log must be there (uefi-screen-lines.py).
    rm -f "$log.qmp" "$log.serial"
    python3 "$(dirname "$0")/uefi-screen-lines.py" "$log.qmp" "$log.serial" "$log.ppm" > "$log.screen" 2>&1 &
    shot=$!
    sh "$(dirname "$0")/boot.sh" --img "$work" --log "$log.serial" --timeout 120 --firmware uefi \
        --expect 'BdsDxe: failed to start Boot[0-9A-F]+ .*: [A-Z]' --settle 0 \
        --qemu "-qmp unix:$log.qmp,server,nowait"
    rc=$?
    wait $shot
    rm -f "$work" "$log.ppm"
    out=$(tr -d '\r' < "$log.serial")
    echo "$out" | grep -a -v 'Shell>' | tail -n 20
    [ $rc -eq 0 ] || { echo "bad-input.sh: $case: the firmware never said the loader failed (boot.sh exit $rc)"; exit 1; }
    msg=$(echo "$out" | grep -a -E "$expect" | head -n 1)
    [ -n "$msg" ] || { echo "bad-input.sh: $case: no line matching '$expect'"; exit 1; }
    # After the message: only error lines of the failing step, then "giving up".
    after=$(echo "$out" | sed -n "/$(echo "$msg" | sed 's/[][\/.*^$]/\\&/g')/,\$p" | sed 1d | grep -a '^uefi: ')
    echo "$after" | head -n 1 | grep -Eq '^uefi: ([a-z]+: error, |giving up)' &&
        ! echo "$after" | sed -n '/^uefi: giving up/q;p' | grep -a -v -Eq '^uefi: [a-z]+: error, ' ||
        { echo "bad-input.sh: $case: the loader went on after the message:"; echo "$after" | head -n 3; exit 1; }
    echo "$after" | grep -a -Eq '^uefi: giving up .*returning to the firmware' ||
        { echo "bad-input.sh: $case: no 'giving up' line"; exit 1; }
    if echo "$out" | grep -a -q '^kernel: '; then
        echo "bad-input.sh: $case: the kernel ran anyway"; exit 1
    fi
    ours=$(echo "$out" | grep -a -c '^uefi: ')
    shown=$(cat "$log.screen")
    [ "$shown" -ge "$ours" ] 2>/dev/null ||
        { echo "bad-input.sh: $case: the screen shows $shown text lines, fewer than the loader's $ours: its log was not put on the screen"; exit 1; }
    echo "ok: $case stopped with: $msg, and the loader returned to the firmware"
    exit 0
fi

[ -n "$bios" ] || { echo "bad-input.sh: $case is not a BIOS case"; exit 2; }
expect="^stage2: $bios[[:cntrl:]]*\$"
sh "$(dirname "$0")/boot.sh" --img "$work" --log "$log.serial" --timeout 60 --expect "$expect"
rc=$?
rm -f "$work"
tr -d '\r' < "$log.serial"
# The loader must stop at the message: halted (QEMU still running a second
# later, so no reset or triple fault), the message its last line.
[ $rc -ne 125 ] || { echo "bad-input.sh: $case: QEMU ended after the message (reset or triple fault)"; exit 1; }
tr -d '\r' < "$log.serial" | grep -a -Eq "$expect" ||
    { echo "bad-input.sh: $case: no line matching '$expect' (boot.sh exit $rc)"; exit 1; }
[ $rc -eq 0 ] || { echo "bad-input.sh: $case: QEMU ended or timed out (boot.sh exit $rc)"; exit 1; }
last=$(tr -d '\r' < "$log.serial" | grep -a -v '^$' | tail -n 1)
echo "$last" | grep -a -Eq "$expect" ||
    { echo "bad-input.sh: $case: the loader went on after the message, to: $last"; exit 1; }
echo "ok: $case stopped with: $last"
