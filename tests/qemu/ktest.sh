#!/bin/sh
# ktest.sh - one cell of the boot matrix: boot an image with "test" on the
# kernel command line and check what it printed.
#
#   ktest.sh IMG LOG [--as-is] [--words "W ..."] [--log-has REGEX]... [--skips NAME,...] [--scratch] [--badsector]
#            [--only NAME,GROUP_*,...]
#            [boot.sh options...]
#
# --as-is leaves the image's boot.cfg alone (it must say cmdline=test);
# otherwise cmdline= is set to "test cpus=N" (N from --smp: the kernel checks
# its ACPI CPU count against it). --log-has adds a line the serial log must
# contain. --words adds words to the command line (e.g. "heapdebug").
# --held MIB: the image's module files take that much of the guest's memory.
# --only: run only these ktests ("ktest=" on the command line; "smp_*" is a
# group, "@cpu" a named set of groups, below): a cell made for one part of
# the machine (a second disk, a late CPU) runs that part's tests, most of
# the machine matrix @machine, and a few full cells every test. Such a cell also
# passes loglevel=warn: the screen shows warnings and errors only (every line still
# goes to the serial log, which is what is checked), as drawing and scrolling some
# 400 lines of the framebuffer costs a sixth of a boot under TCG; the full cells draw
# them all.
#
# Skips: the ktests this cell must skip, and only those, with a reason
# ("ktest: SKIP name: reason"); any other skip fails the cell, and so does a
# listed test that ran (the machine has what the cell says it lacks). The
# list is derived from the cell's options, plus what --skips names:
#   lapic_timer_tsc_deadline  always: QEMU's TCG offers no TSC-deadline
#                             mode, not even with -cpu max (boot.sh runs TCG)
#   modules_loaded            when the loader's config line says "0 module(s)"
#   hpet_matches_table        when --machine has hpet=off
#   smp_sched_placement,      with one CPU online (--smp 1, or a late AP left
#   smp_sched_steal,          out: "smp: 1 CPUs online"; nowhere else to place,
#   smp_cpu_offline_threads,  nobody to steal, no CPU but the boot CPU to take
#   pci_edu_cpu_offline,      offline)
#   pci_msix_e1000e_offline
#   pci_edu_msi, pci_edu_intx unless --qemu adds "-device edu" (QEMU's test
#   pci_edu_cpu_offline       device: an MSI and an interrupt-raise register)
#   dma_bounce_above_4g       with less than 4096 MiB (no memory above 4 GiB)
#   blk_readback              when the kernel registered no block device (no
#                             "[blk] NAME: N sectors of" line: no disk driver
#                             for the machine's controllers, no .img module)
#   fat_reads_host_files, ... without the FAT module RAM disks (no "[blk] ramN: ...,
#                             /boot/fat16.img (ramdisk)" line: tests/qemu/fat-images.sh)
#   fat_writes_for_host       without the disk tests/qemu/fat-host-check.sh adds
#   blk_scratch_write         unless --scratch: the cell gives a scratch disk
#                             (block 0 "TESSERA-SCRATCH", docs/storage.md)
#   pci_msix_e1000e,          unless --qemu adds "-device e1000e" (MSI-X); the
#   pci_msix_e1000e_offline   second with one CPU online too
#   ahci_ncq_in_flight,       without an AHCI disk (see the AHCI lines below)
#   ahci_timeout_retry
#   ahci_read_error_reported  without ahci_bad_sector= in --words
#   virtio_blk_*              without a virtio-blk-pci device (--qemu, --disk
#                             virtio*); virtio_blk_read_error without one
#                             whose serial is ioerr-SECTOR (docs/storage-virtio.md)
#   nvme_queues_per_cpu,      without an NVMe disk (--disk nvme, or -device
#   nvme_prp_paths_agree      nvme in --qemu)
#   smp_cpu_offline_threads,  with an NVMe disk: its completion threads are
#   pci_edu_cpu_offline       pinned, one per CPU, and a CPU with a pinned
#                             thread refuses to go offline (docs/smp.md)
#   nvme_read_error_reported  without nvme_bad_block= in --words (a blkdebug disk)
#   ext2_read_image,          without the module /boot/ext2-1k.img (ext2-4k.img) as a RAM
#   ext2_write_image          disk ("[blk] ramN: ... /boot/ext2-1k.img (ramdisk)"; tests/qemu/ext2-ktest.sh)
#   ext2_write_order          without the module /boot/ext2-1k.img (it writes a copy of it)
#   ext2_corrupt_volumes      without the module /boot/e2baddir.img
#   ext2_disk_write           without a disk file named *ext2w.img in the options (tests/qemu/ext2-disk.sh)
#   ide_read_error            unless --badsector: the cell gives an IDE disk whose
#                             block 0 says "TESSERA-BADSECTOR N" and QEMU fails
#                             reads of N (tests/qemu/ide-disks.sh)
#   ide_dma_above_4g          with less than 4096 MiB, or no IDE disk registered
#                             (no "[blk] sdX: ... (ata)" line)
# So an HPET cell must run the HPET test, a module image the module test,
# and every cell the rest.
#
# Passes when QEMU exits 33 (the kernel wrote 0x10 to isa-debug-exit: all its
# self tests passed) and the serial log has
#   - the loader's step lines ("stage2: ..." under SeaBIOS, "uefi: ..." under
#     OVMF, --firmware uefi), each once,
#   - the summary line in its exact form, with mem_usable_kib within 85 % to
#     100 % of the guest's memory,
#   - "ktest: N passed, 0 failed, M skipped", the skipped ones as listed.
set -u
img=$1 log=$2
shift 2
as_is="" musts="" words="" skips="" held=0 scratch="" badsector="" only=""
while [ $# -gt 0 ]; do
    case $1 in
    --as-is) as_is=1; shift ;;
    --skips) skips="$skips,$2"; shift 2 ;;
    --held) held=$2; shift 2 ;;
    --scratch) scratch=1; shift ;;
    --badsector) badsector=1; shift ;;
    --only) only=$2; shift 2 ;;
    --words) words=" $2"; shift 2 ;;
    --log-has) musts="$musts
$2"; shift 2 ;;
    *) break ;;
    esac
done
mem=128 firmware=bios smp=1 machine=pc disk=ide qemu_args="" prev=""
for a in "$@"; do
    [ "$prev" = --mem ] && mem=$a
    [ "$prev" = --smp ] && smp=$a
    [ "$prev" = --firmware ] && firmware=$a
    [ "$prev" = --machine ] && machine=$a
    [ "$prev" = --disk ] && disk=$a
    [ "$prev" = --qemu ] && qemu_args=$a
    prev=$a
done
skips="$skips,lapic_timer_tsc_deadline"
case ",$machine," in *,hpet=off,*) skips="$skips,hpet_matches_table" ;; esac
case " $* " in *"-device edu"*) ;; *) skips="$skips,pci_edu_msi,pci_edu_intx,pci_edu_cpu_offline" ;; esac
[ "$mem" -ge 4096 ] || skips="$skips,dma_bounce_above_4g"
[ -n "$scratch" ] || skips="$skips,blk_scratch_write"
case " $* " in *"-device e1000e"*) ;; *) skips="$skips,pci_msix_e1000e,pci_msix_e1000e_offline" ;; esac
# AHCI (drivers/ata/): a disk on an AHCI port when --disk ahci (an ahci device), or on q35 a
# disk on its own AHCI controller (--disk ide*, whose bus=ide.N is the ICH9 AHCI's port N, or
# an ide-hd in --qemu); the blkdebug error test only with ahci_bad_sector= (tests/qemu/ahci-disks.sh).
ahci_disk=""
case $disk in ahci) ahci_disk=1 ;; esac
case $machine,$disk in q35*,ide*) ahci_disk=1 ;; esac
case $machine,$qemu_args in q35*,*bus=ide.*) ahci_disk=1 ;; esac
[ -n "$ahci_disk" ] || skips="$skips,ahci_ncq_in_flight,ahci_timeout_retry"
case "$words" in *ahci_bad_sector=*) ;; *) skips="$skips,ahci_read_error_reported" ;; esac
case " $* " in *virtio-blk-pci*|*" --disk virtio"*) ;; *) skips="$skips,virtio_blk_many_segments,virtio_blk_timeout_reset" ;; esac
case " $* " in *serial=ioerr-*) ;; *) skips="$skips,virtio_blk_read_error" ;; esac
case " $* " in *" --disk nvme "*|*"-device nvme"*) skips="$skips,smp_cpu_offline_threads,pci_edu_cpu_offline" ;;
*) skips="$skips,nvme_queues_per_cpu,nvme_prp_paths_agree" ;; esac
case "$words" in *nvme_bad_block=*) ;; *) skips="$skips,nvme_read_error_reported" ;; esac
[ -n "$badsector" ] || skips="$skips,ide_read_error"
case $firmware in bios) prefix=stage2 ;; uefi) prefix=uefi ;; esac
# --only: the command line's ktest= (the kernel knows the @sets: kernel/test/ktest_sets.h).
# For the skips below, the same list with each @SET replaced by its entries, read off that file.
if [ -n "$only" ]; then
    [ -z "$as_is" ] || { echo "ktest.sh: --only needs the command line ktest.sh writes (not --as-is)"; exit 2; }
    sets=$(dirname "$0")/../../kernel/test/ktest_sets.h
    patterns=$only
    while :; do
        set_name=$(echo "$patterns" | sed -nE 's/.*@([a-z]+).*/\1/p')
        [ -n "$set_name" ] || break
        entries=$(sed -nE "s/^KTEST_SET\($set_name, \"([^\"]*)\"\)\$/\1/p" "$sets")
        [ -n "$entries" ] || { echo "ktest.sh: --only: no set @$set_name in $sets"; exit 2; }
        patterns=$(echo "$patterns" | sed "s/@$set_name/$entries/")
    done
    words="$words ktest=$only loglevel=warn"
fi

# shellcheck disable=SC2086
if [ -n "$as_is" ]; then
    sh "$(dirname "$0")/boot.sh" --img "$img" --log "$log" --mem 128 "$@"
else
    sh "$(dirname "$0")/boot.sh" --img "$img" --log "$log" --cmdline "test cpus=$smp$words" --mem 128 "$@"
fi
rc=$?
out=$(tr -d '\r' < "$log")
# On failure: the reason, then the serial's failed ktests and panic lines
# wherever they are (CI shows the first lines of this log), then its end.
fail() {
    echo "ktest.sh: $*"
    echo "$out" | grep -E -m 10 '^ktest: FAIL |[Pp]anic|PANIC' | sed 's/^/serial: /'
    echo "--- serial log:"; echo "$out" | tail -n 30; exit 1
}
# The one-CPU skips go by the CPUs the kernel brought online ("smp: N CPUs online"): a cell whose
# late AP may be left out (smp_delay_ap at the limit) runs on one. A CPU lost anywhere else fails
# smp_cpus_online, which knows from the command line which CPUs must be in.
online=$(echo "$out" | sed -nE 's/^smp: ([0-9]+) CPUs online$/\1/p' | head -n 1)
[ "${online:-$smp}" -gt 1 ] || skips="$skips,smp_sched_placement,smp_sched_steal,smp_cpu_offline_threads,pci_edu_cpu_offline,pci_msix_e1000e_offline"
echo "$out" | grep -Eq '^\[blk\] [a-z0-9]+: [0-9]+ sectors of [0-9]+ bytes, ' || skips="$skips,blk_readback"
echo "$out" | grep -Eq '^\[blk\] ram[0-9]+: .*, /boot/fat16\.img \(ramdisk\)$' ||
    skips="$skips,fat_reads_host_files,fat_writes_read_back,fat_full_disk,fat_damaged_volumes"
case " $* " in *fat-host-disk*) ;; *) skips="$skips,fat_writes_for_host" ;; esac
echo "$out" | grep -Eq '^\[blk\] ram[0-9]+: .*/boot/ext2-1k\.img \(ramdisk\)$' || skips="$skips,ext2_read_image,ext2_write_order"
echo "$out" | grep -Eq '^\[blk\] ram[0-9]+: .*/boot/ext2-4k\.img \(ramdisk\)$' || skips="$skips,ext2_write_image"
echo "$out" | grep -Eq '^\[blk\] ram[0-9]+: .*/boot/e2baddir\.img \(ramdisk\)$' || skips="$skips,ext2_corrupt_volumes"
case " $* " in *ext2w.img*) ;; *) skips="$skips,ext2_disk_write" ;; esac
{ [ "$mem" -ge 4096 ] && echo "$out" | grep -Eq '^\[blk\] sd[a-z]+: [0-9]+ sectors of [0-9]+ bytes, .* \(ata\)$'; } ||
    skips="$skips,ide_dma_above_4g"
# Issue 15, the root file systems: the initramfs tests when the root is the initramfs (a .cpio
# module: the "[initramfs] N files" line); /dev's block tests as the blk_ ones (a block device; a
# scratch disk with --scratch).
echo "$out" | grep -Eq '^\[initramfs\] [0-9]+ files, ' ||
    skips="$skips,initramfs_matches_archive,initramfs_damaged_archive"
echo "$out" | grep -Eq '^\[blk\] [a-z0-9]+: [0-9]+ sectors of [0-9]+ bytes, ' || skips="$skips,devfs_block_matches_block_read"
[ -n "$scratch" ] || skips="$skips,devfs_block_write_scratch"
# modules_loaded when the loader says it loaded none (its config line).
echo "$out" | grep -Eq "^$prefix: config: .*, 0 module\(s\)\$" && skips="$skips,modules_loaded"
# With --only, the skips of the tests that run: the others are not run at all.
if [ -n "$only" ]; then
    set -f                      # the patterns are for case, not for file names
    kept=""
    for s in $(echo "$skips" | tr , ' '); do
        for pat in $(echo "$patterns" | tr , ' '); do
            case $s in $pat) kept="$kept,$s"; break ;; esac
        done
    done
    set +f
    skips=$kept
fi
skips=$(echo "$skips" | tr , '\n' | grep -v '^$' | sort -u)

[ $rc -eq 33 ] || fail "QEMU exited $rc, expected 33 (ktest all passed)"
echo "$out" | grep -Eq "^$prefix: " || fail "no $prefix: line"
dups=$(echo "$out" | grep -E "^$prefix: " | sort | uniq -d)
[ -z "$dups" ] || fail "loader lines printed more than once: $dups"
summary=$(echo "$out" | grep -E '^bootinfo: ')
[ "$(echo "$summary" | wc -l)" -eq 1 ] || fail "expected exactly one bootinfo: line"
re='^bootinfo: firmware=(bios|uefi) loader=[a-z0-9-]+/[0-9.]+ mem_usable_kib=[0-9]+ mem_entries=[0-9]+ fb=([0-9]+x[0-9]+x[0-9]+|text|none) rsdp=0x[0-9a-f]+ kernel_phys=0x[0-9a-f]+ cmdline="[^"]*"$'
echo "$summary" | grep -Eq "$re" || fail "summary line not in the fixed form: $summary"
echo "$summary" | grep -q 'cmdline="test' || fail "cmdline not passed through: $summary"
echo "$summary" | grep -q "firmware=$firmware " || fail "expected firmware=$firmware: $summary"
kib=$(echo "$summary" | sed -E 's/.*mem_usable_kib=([0-9]+).*/\1/')
total=$(( mem * 1024 ))
[ "$kib" -le "$total" ] && [ "$kib" -ge $(( (total - held * 1024) * 85 / 100 )) ] ||
    fail "mem_usable_kib=$kib is not within 85..100 % of ${mem} MiB less ${held} MiB of modules"
nskips=$(echo "$skips" | grep -c .)
echo "$out" | grep -Eq "^ktest: [0-9]+ passed, 0 failed, $nskips skipped\$" ||
    fail "no 'ktest: N passed, 0 failed, $nskips skipped' line"
skipped=$(echo "$out" | sed -nE 's/^ktest: SKIP ([a-z0-9_]+): .+$/\1/p' | sort -u)
[ "$skipped" = "$skips" ] || fail "skipped: $(echo $skipped); this cell must skip exactly: $(echo $skips)"
echo "$musts" | while IFS= read -r re; do
    [ -z "$re" ] || echo "$out" | grep -Eq "$re" || { echo "ktest.sh: no line matching '$re'"; exit 1; }
done || fail "a required line is missing"
echo "ok: $summary"
