#!/bin/sh
# boot.sh - boot a copy of a Tessera image in QEMU (TCG) and report how it ended.
#
#   boot.sh --img IMG --log LOG [options]
#     --cmdline TEXT   set cmdline= in the copy's /boot/boot.cfg (mtools)
#     --cfg FILE       replace the copy's /boot/boot.cfg with FILE
#     --firmware F     bios (SeaBIOS, default) or uefi (OVMF, with a private
#                      copy of a variable store beside the log: the one OVMF
#                      has booted with once, $BUILD/ovmf/vars-MACHINE.fd of
#                      tests/qemu/ovmf-seed.sh, with the image's disk first in
#                      QEMU's boot order (bootindex=0); Debian's blank store
#                      when there is none)
#     --first-boot     under OVMF, the blank store and no boot order: the
#                      machine's first boot, its boot manager making its boot
#                      options and trying them in its own order (0.75 s more)
#     --machine M      pc (i440fx, default) or q35
#     --disk D         ide (default), ahci, usb (qemu-xhci + usb-storage), or
#                      nvme (an NVMe controller, serial tessera-boot);
#                      virtio: virtio-blk-pci (transitional, QEMU's default),
#                      virtio-modern: the same with disable-legacy=on;
#                      ide-slave: the primary channel's slave;
#                      ide-slave2: the image as the secondary channel's slave,
#                      booted first, behind an empty disk as primary master
#                      (the BIOS loader must find its boot disk among them);
#                      ide-flaky: IDE, with QEMU's blkdebug failing the first
#                      read of the FAT's first sector once (the BIOS loader's
#                      DMA read must fail over to INT 13h)
#     --decoy TEXT     a second disk: another copy of the image whose cmdline=
#                      is TEXT, on the i440fx's IDE channel (primary master, or
#                      primary slave when the image is there), booted after
#                      the image (bootindex): the loader must read its own
#                      disk, not this one with the same LBA 0
#     --boot-first     the image's disk gets bootindex=0 (when --qemu adds
#                      disks that the firmware would otherwise try first)
#     --mem MIB        guest memory (default 128)
#     --smp N          CPUs (default 1)
#     --timeout S      host-side limit (default 180: it bounds a hang only, and a
#                      busy host may run a boot several times slower than usual)
#     --expect REGEX   stop once the serial log matches and the guest then
#                      stays alive for --settle seconds (default 1): exit 0;
#                      exit 125 if QEMU ended in that time (a reset or
#                      triple fault after the message, since -no-reboot)
#     --icount         -icount shift=0,sleep=off: the guest TSC counts instructions
#     --qemu "ARGS"    more QEMU arguments (e.g. "-vga none")
#     --keep           keep the image copy beside the log
#     --serial-socket PATH  COM1 becomes a unix socket server at PATH (a test
#                      types into it with tests/qemu/serial-type.py; QEMU
#                      does not wait for the client), the log still records
#                      all the guest writes (the chardev's logfile); PATH
#                      without commas (QEMU's option syntax)
#
# Exit status: QEMU's own (33 = the guest wrote 0x10 to isa-debug-exit,
# 35 = it wrote 0x11), 0 when --expect matched, 125 when QEMU ended right
# after the match, 124 on timeout.
# The guest gets no network (-nic none) and never reboots (-no-reboot).
set -eu

img="" log="" cmdline="" cfg="" firmware=bios machine=pc disk=ide mem=128 smp=1 timeout=180
expect="" settle=1 icount="" keep="" extra="" decoy="" first="" sersock="" first_boot=""
while [ $# -gt 0 ]; do
    case $1 in
    --img) img=$2; shift 2 ;;
    --log) log=$2; shift 2 ;;
    --cmdline) cmdline=$2; shift 2 ;;
    --cfg) cfg=$2; shift 2 ;;
    --firmware) firmware=$2; shift 2 ;;
    --machine) machine=$2; shift 2 ;;
    --disk) disk=$2; shift 2 ;;
    --decoy) decoy=$2; shift 2 ;;
    --boot-first) first=1; shift ;;
    --first-boot) first_boot=1; shift ;;
    --mem) mem=$2; shift 2 ;;
    --smp) smp=$2; shift 2 ;;
    --timeout) timeout=$2; shift 2 ;;
    --expect) expect=$2; shift 2 ;;
    --settle) settle=$2; shift 2 ;;
    --icount) icount="-icount shift=0,sleep=off"; shift ;;
    --keep) keep=1; shift ;;
    --serial-socket) sersock=$2; shift 2 ;;
    --qemu) extra=$2; shift 2 ;;
    *) echo "boot.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
[ -n "$img" ] && [ -n "$log" ] || { echo "boot.sh: --img and --log are required" >&2; exit 2; }

copy="$log.img"
cp --sparse=always "$img" "$copy"
export MTOOLS_SKIP_CHECK=1
part="$copy@@1048576"           # the boot partition starts at LBA 2048
if [ -n "$cfg" ]; then
    mcopy -o -i "$part" "$cfg" ::/boot/boot.cfg
fi
# set_cmdline PART TEXT: cmdline=TEXT in that partition's /boot/boot.cfg
set_cmdline() {
    mtype -i "$1" ::/boot/boot.cfg | tr -d '\r' | grep -v '^cmdline=' > "$log.cfg" || true
    printf 'cmdline=%s\n' "$2" >> "$log.cfg"
    mcopy -o -i "$1" "$log.cfg" ::/boot/boot.cfg
    rm -f "$log.cfg"
}
[ -z "$cmdline" ] || set_cmdline "$part" "$cmdline"

if [ -n "$decoy" ]; then
    cp --sparse=always "$img" "$log.decoy"
    set_cmdline "$log.decoy@@1048576" "$decoy"
fi
# Under OVMF, a variable store it has booted with before, and the image first in
# the boot order (the stored options were made with no disk; --first-boot: neither).
vars=/usr/share/OVMF/OVMF_VARS_4M.fd
seed=${BUILD:-build}/ovmf/vars-${machine%%,*}.fd
if [ "$firmware" = uefi ] && [ -z "$first_boot" ] && [ -f "$seed" ]; then
    vars=$seed first=1
fi
boot1=""                        # -device options that make the image boot first
[ -z "$decoy$first" ] || boot1=",bootindex=0"
case $disk in
ide)  drive="-drive if=none,id=d0,format=raw,file=$copy -device ide-hd,drive=d0,bus=ide.0,unit=0$boot1" ;;
ide-slave) drive="-drive if=none,id=d0,format=raw,file=$copy -device ide-hd,drive=d0,bus=ide.0,unit=1$boot1" ;;
ahci) drive="-drive if=none,id=d0,format=raw,file=$copy -device ahci,id=ahci0 -device ide-hd,drive=d0,bus=ahci0.0$boot1" ;;
usb)  drive="-drive if=none,id=d0,format=raw,file=$copy -device qemu-xhci,id=xhci -device usb-storage,drive=d0,bus=xhci.0$boot1" ;;
virtio) drive="-drive if=none,id=d0,format=raw,file=$copy -device virtio-blk-pci,drive=d0$boot1" ;;
virtio-modern) drive="-drive if=none,id=d0,format=raw,file=$copy -device virtio-blk-pci,drive=d0,disable-legacy=on$boot1" ;;
nvme) drive="-drive if=none,id=d0,format=raw,file=$copy -device nvme,drive=d0,serial=tessera-boot$boot1" ;;
ide-slave2)
    head -c 1048576 /dev/zero > "$log.decoy"
    drive="-drive if=none,id=d0,format=raw,file=$copy -device ide-hd,drive=d0,bus=ide.1,unit=1,bootindex=0"
    drive="$drive -drive if=none,id=d1,format=raw,file=$log.decoy -device ide-hd,drive=d1,bus=ide.0,unit=0,bootindex=1" ;;
ide-flaky)
    # the FAT starts after the reserved sectors of the partition at LBA 2048 (BPB offset 14)
    fat=$(( 2048 + $(od -An -tu2 -j $((2048 * 512 + 14)) -N2 "$copy" | tr -d ' ') ))
    printf '[inject-error]\nevent = "read_aio"\nerrno = "5"\nsector = "%s"\nonce = "on"\n' "$fat" > "$log.blkdebug"
    drive="-drive if=ide,format=raw,file=blkdebug:$log.blkdebug:$copy" ;;
*) echo "boot.sh: --disk must be ide, ide-slave, ide-slave2, ide-flaky, ahci, usb, nvme, virtio or virtio-modern" >&2; exit 2 ;;
esac
if [ -n "$decoy" ]; then
    unit=0
    [ "$disk" != ide ] || unit=1
    case $disk in ide|ide-slave|ahci|usb) ;; *) echo "boot.sh: --decoy goes with --disk ide, ide-slave, ahci or usb" >&2; exit 2 ;; esac
    drive="$drive -drive if=none,id=decoy,format=raw,file=$log.decoy -device ide-hd,drive=decoy,bus=ide.0,unit=$unit,bootindex=1"
fi
case $firmware in
bios) fw="" ;;
uefi)
    cp "$vars" "$log.vars"
    fw="-drive if=pflash,format=raw,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd"
    fw="$fw -drive if=pflash,format=raw,file=$log.vars" ;;
*) echo "boot.sh: --firmware must be bios or uefi" >&2; exit 2 ;;
esac

: > "$log"
serial="-serial file:$log"
if [ -n "$sersock" ]; then
    rm -f "$sersock"
    serial="-chardev socket,id=com1,path=$sersock,server=on,wait=off,logfile=$log -serial chardev:com1"
fi
# TCG: one thread per virtual CPU; but on a single host CPU (run-case.sh pins each case to
# one) one thread for them all, QEMU's round robin, which moves to the next CPU at each PAUSE
# and HLT where host threads would contend for the CPU (an 8-CPU cell 14 -> 8 s; the race
# mutants are killed either way).
accel=tcg
[ "$(nproc)" -gt 1 ] || accel=tcg,thread=single
# shellcheck disable=SC2086
qemu-system-x86_64 -accel $accel -machine "$machine" -m "$mem" -smp "$smp" \
    -nic none -no-reboot -display none -monitor none $serial \
    -device isa-debug-exit,iobase=0xf4,iosize=0x04 $icount $fw $drive $extra </dev/null &
qpid=$!

# Wait for QEMU to exit, the expected line, or the time limit.
rc=124 start=$(date +%s)
while :; do
    if ! kill -0 $qpid 2>/dev/null; then
        set +e; wait $qpid; rc=$?; set -e
        break
    fi
    if [ -n "$expect" ] && grep -Eq "$expect" "$log"; then
        # --settle: QEMU must stay alive that long (checked every 0.1 s: one that ends
        # early, by a reset or by a QMP quit, is reported at once)
        tenths=$(awk "BEGIN { print int($settle * 10) }")
        while [ "$tenths" -gt 0 ] && kill -0 $qpid 2>/dev/null; do
            sleep 0.1
            tenths=$((tenths - 1))
        done
        if kill $qpid 2>/dev/null; then rc=0; else rc=125; fi
        wait $qpid 2>/dev/null || true
        break
    fi
    if [ $(( $(date +%s) - start )) -ge "$timeout" ]; then
        kill $qpid 2>/dev/null; wait $qpid 2>/dev/null || true
        echo "boot.sh: timeout after ${timeout}s" >> "$log"
        rc=124
        break
    fi
    sleep 0.1
done
[ -n "$keep" ] || rm -f "$copy" "$log.decoy"
rm -f "$log.vars"
[ -z "$sersock" ] || rm -f "$sersock"
exit $rc
