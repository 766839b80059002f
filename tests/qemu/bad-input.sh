#!/bin/sh
# bad-input.sh - break one thing in a copy of an image and check that the
# loader stops with a message naming the step, within seconds.
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
#   gpt-bad-crc      (a GPT image) one byte of the GPT header changed
#   gpt-no-esp       (a GPT image) the ESP retyped to Microsoft basic data
# Under SeaBIOS the loader must stop at its message: halted, QEMU still
# running (no reset, no triple fault). Under OVMF it must print its message,
# wait so a person can read it, and return an error to the firmware, whose
# boot manager says so ("BdsDxe: failed to start Boot000N ...") and goes on.
set -u
case=$1 img=$2 log=$3 firmware=${5:-bios}
work="$log.bad.img"
part="$work@@1048576"
export MTOOLS_SKIP_CHECK=1
cp --sparse=always "$img" "$work"

case $case in
missing-kernel)
    mdel -i "$part" ::/boot/kernel.elf
    expect='^stage2: [a-z0-9]+: .*kernel\.elf.*not found' ;;
truncated-kernel)
    mcopy -i "$part" ::/boot/kernel.elf "$log.k" && head -c 6000 "$log.k" > "$log.k2"
    mcopy -o -i "$part" "$log.k2" ::/boot/kernel.elf && rm -f "$log.k" "$log.k2"
    expect='^stage2: elf: ' ;;
not-elf)
    echo "this is not an ELF file" > "$log.k"
    mcopy -o -i "$part" "$log.k" ::/boot/kernel.elf && rm -f "$log.k"
    expect='^stage2: elf: .*(not|bad)' ;;
missing-cfg)
    mdel -i "$part" ::/boot/boot.cfg
    expect='^stage2: [a-z0-9]+: .*boot\.cfg.*not found' ;;
no-fat)
    sfdisk -q --part-type "$work" 1 83 >/dev/null 2>&1
    expect='^stage2: part: ' ;;
bad-bpb)
    dd if=/dev/zero of="$work" bs=512 seek=2048 count=1 conv=notrunc status=none
    expect='^stage2: fat: ' ;;
huge-bss)
    mcopy -i "$part" ::/boot/kernel.elf "$log.k"
    phoff=$(od -An -tu8 -j32 -N8 "$log.k" | tr -d ' ')
    phnum=$(od -An -tu2 -j56 -N2 "$log.k" | tr -d ' ')
    # p_memsz (offset 40 in a 56-byte program header) of the last one: 0x3C000000
    printf '\000\000\000\074\000\000\000\000' |
        dd of="$log.k" bs=1 seek=$(( phoff + (phnum - 1) * 56 + 40 )) conv=notrunc status=none
    mcopy -o -i "$part" "$log.k" ::/boot/kernel.elf && rm -f "$log.k"
    expect='^stage2: (elf|mem): ' ;;
gpt-bad-crc)
    printf 'X' | dd of="$work" bs=1 seek=$(( 512 + 60 )) conv=notrunc status=none   # in the disk GUID
    expect='^stage2: part: .*GPT header: CRC32 mismatch' ;;
gpt-no-esp)
    sgdisk -t 1:0700 "$work" >/dev/null
    expect='^stage2: part: .*without an EFI System Partition' ;;
*) echo "bad-input.sh: unknown case $case"; exit 2 ;;
esac

if [ "$firmware" = uefi ]; then
    case $case in
    missing-kernel) expect='^uefi: kernel: error, /boot/kernel\.elf not found' ;;
    truncated-kernel) expect='^uefi: elf: error, /boot/kernel\.elf: ' ;;
    not-elf) expect='^uefi: elf: error, /boot/kernel\.elf: .*(not an ELF|too small)' ;;
    missing-cfg) expect='^uefi: config: error, /boot/boot\.cfg not found' ;;
    huge-bss) expect='^uefi: elf: error, no memory for the kernel image' ;;
    *) echo "bad-input.sh: $case is not a UEFI case"; exit 2 ;;
    esac
    sh "$(dirname "$0")/boot.sh" --img "$work" --log "$log.serial" --timeout 60 --firmware uefi \
        --expect 'BdsDxe: failed to start Boot[0-9A-F]+ .*: [A-Z]' --settle 0
    rc=$?
    rm -f "$work"
    out=$(tr -d '\r' < "$log.serial")
    echo "$out" | grep -a -v 'Shell>' | tail -n 20
    [ $rc -eq 0 ] || { echo "bad-input.sh: $case: the firmware never said the loader failed (boot.sh exit $rc)"; exit 1; }
    msg=$(echo "$out" | grep -a -E "$expect" | head -n 1)
    [ -n "$msg" ] || { echo "bad-input.sh: $case: no line matching '$expect'"; exit 1; }
    echo "$out" | grep -a -Eq '^uefi: giving up .*returning to the firmware' ||
        { echo "bad-input.sh: $case: no 'giving up' line"; exit 1; }
    if echo "$out" | grep -a -q '^kernel: '; then
        echo "bad-input.sh: $case: the kernel ran anyway"; exit 1
    fi
    echo "ok: $case stopped with: $msg, and the loader returned to the firmware"
    exit 0
fi

sh "$(dirname "$0")/boot.sh" --img "$work" --log "$log.serial" --timeout 20 --expect "$expect"
rc=$?
rm -f "$work"
tr -d '\r' < "$log.serial"
# The loader must stop at the message: halted (QEMU still running a second
# later, so no reset or triple fault) and no kernel line.
[ $rc -ne 125 ] || { echo "bad-input.sh: $case: QEMU ended after the message (reset or triple fault)"; exit 1; }
[ $rc -eq 0 ] || { echo "bad-input.sh: $case: no line matching '$expect' (boot.sh exit $rc)"; exit 1; }
if grep -q '^kernel: ' "$log.serial"; then
    echo "bad-input.sh: $case: the kernel ran anyway"; exit 1
fi
echo "ok: $case stopped with: $(tr -d '\r' < "$log.serial" | grep -E "$expect" | head -n 1)"
