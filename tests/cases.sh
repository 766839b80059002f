# cases.sh - the test cases tests/run.sh runs besides the host unit tests.
# Sourced by run.sh: add_case NAME COMMAND (COMMAND is parsed by xargs: quote
# with '...'). Names are GROUP/CASE; logs go to build/test-results/.
B=${BUILD:-build}
R=${RESULTS:-$B/test-results}

# The images themselves: partition table, boot signature, file system.
add_case image/bios-fat32 sh tests/image-check.sh $B/bios.img 32 $B/root
add_case image/bios-fat16 sh tests/image-check.sh $B/bios-fat16.img 16 $B/root
add_case image/uefi sh tests/image-check-gpt.sh $B/uefi.img $B/root
add_case image/hybrid sh tests/image-check-gpt.sh $B/tessera.img $B/root $B/stage1.bin $B/stage2.bin

# The docs name only what exists: every path, label and function in backticks
# (tests/docs/check-names.py). Their sample output lines are checked after all
# other cases, against this run's logs (docs/samples, tests/run.sh): chart/boots gives the
# boots of the images as made (make run's), the other cases every other kind of line.
add_case docs/names python3 tests/docs/check-names.py

# The architecture boundary: no file outside kernel/arch/ and drivers/x86/ includes an
# arch/x86_64/ header, but for the allowed few, each with its reason (tests/arch-boundary.sh).
add_case arch/boundary sh tests/arch-boundary.sh

# The boot matrix (SeaBIOS): chipset and disk controller, memory, CPUs.
# Each cell boots with cmdline "test": the kernel runs its self tests.
add_case boot/pc-ide-128m-1cpu   sh tests/qemu/ktest.sh $B/bios.img $R/pc-ide-128m-1cpu.serial --log-has "'^stage2: disk: IDE disk \\(PCI 0:1\\.1\\), primary master: ATA DMA reads'" --machine pc --disk ide --mem 128 --smp 1
add_case boot/pc-ide-4g-4cpu     sh tests/qemu/ktest.sh $B/bios.img $R/pc-ide-4g-4cpu.serial --only @machine --machine pc --disk ide --mem 4096 --smp 4
# (INT 13h reads: the second lookup, of the kernel, finds the root and /boot directories in the disk cache.)
add_case boot/q35-ahci-128m-4cpu sh tests/qemu/ktest.sh $B/bios.img $R/q35-ahci-128m-4cpu.serial \
    --log-has "'^stage2: longmode: .* disk reads \\([0-9]+ KiB\\), 2 from the disk cache, jumping to '" --machine q35 --disk ahci --mem 128 --smp 4
add_case boot/q35-ahci-4g-1cpu   sh tests/qemu/ktest.sh $B/bios.img $R/q35-ahci-4g-1cpu.serial --only @machine --machine q35 --disk ahci --mem 4096 --smp 1
add_case boot/pc-usb-128m-1cpu   sh tests/qemu/ktest.sh $B/bios.img $R/pc-usb-128m-1cpu.serial --only @machine --machine pc --disk usb --mem 128 --smp 1
add_case boot/q35-usb-4g-4cpu    sh tests/qemu/ktest.sh $B/bios.img $R/q35-usb-4g-4cpu.serial --only @machine --machine q35 --disk usb --mem 4096 --smp 4
add_case boot/fat16-pc-ide       sh tests/qemu/ktest.sh $B/bios-fat16.img $R/fat16-pc-ide.serial --only @machine --machine pc --disk ide
# module= files, a CRLF boot.cfg, an unknown key reported and skipped, a second video mode.
add_case boot/modules-crlf sh tests/qemu/ktest.sh $B/bios-modules.img $R/modules-crlf.serial --as-is \
    --log-has "'^stage2: config: .*colour'" --log-has "'fb=800x600x32'" --log-has "'^ktest: PASS modules_loaded'"

# The boot matrix (OVMF): the same cells on uefi.img; 256 MiB is the small size
# (OVMF itself wants more than 128 MiB to be comfortable). Every UEFI boot starts from a
# variable store OVMF has booted with once (tests/qemu/ovmf-seed.sh, 1.4 s less a boot); the
# first two cells from the blank one (--first-boot: the machine's first boot).
U="--firmware uefi"
add_case uefi/pc-ide-256m-1cpu   sh tests/qemu/ktest.sh $B/uefi.img $R/uefi-pc-ide-256m-1cpu.serial $U --first-boot --machine pc --disk ide --mem 256 --smp 1
add_case uefi/pc-ide-4g-4cpu     sh tests/qemu/ktest.sh $B/uefi.img $R/uefi-pc-ide-4g-4cpu.serial --only @machine $U --machine pc --disk ide --mem 4096 --smp 4
add_case uefi/q35-ahci-256m-4cpu sh tests/qemu/ktest.sh $B/uefi.img $R/uefi-q35-ahci-256m-4cpu.serial $U --first-boot --machine q35 --disk ahci --mem 256 --smp 4
add_case uefi/q35-ahci-4g-1cpu   sh tests/qemu/ktest.sh $B/uefi.img $R/uefi-q35-ahci-4g-1cpu.serial --only @machine $U --machine q35 --disk ahci --mem 4096 --smp 1
add_case uefi/pc-usb-256m-4cpu   sh tests/qemu/ktest.sh $B/uefi.img $R/uefi-pc-usb-256m-4cpu.serial --only @machine $U --machine pc --disk usb --mem 256 --smp 4
add_case uefi/q35-usb-4g-1cpu    sh tests/qemu/ktest.sh $B/uefi.img $R/uefi-q35-usb-4g-1cpu.serial --only @machine $U --machine q35 --disk usb --mem 4096 --smp 1
add_case uefi/modules-crlf sh tests/qemu/ktest.sh $B/uefi-modules.img $R/uefi-modules-crlf.serial --as-is \
    --log-has "'^uefi: config: .*colour'" --log-has "'fb=800x600x32'" --log-has "'^ktest: PASS modules_loaded'" $U --mem 256
# No GOP at all (-vga none): the kernel runs without a screen, fb=none.
add_case uefi/q35-no-gop sh tests/qemu/ktest.sh $B/uefi.img $R/uefi-q35-no-gop.serial --only @boot,@screen --log-has "'fb=none'" --skips firmware_display,console_keeps_loader_log,console_view_scrollback,term_scripts_on_screen,term_consoles_switch,term_scrollback_keys \
    $U --machine q35 --disk ahci --mem 256 --qemu "'-vga none'"

# HPET absent (PIT channel 2 the reference), a CPU without x2APIC or TSC-deadline (qemu64) and the
# richest CPU TCG offers (max), on both firmwares.
add_case boot/pc-nohpet-128m-1cpu  sh tests/qemu/ktest.sh $B/bios.img $R/pc-nohpet-128m-1cpu.serial --only @machine --log-has "'^\\[timer\\] no HPET'" --machine pc,hpet=off --disk ide --mem 128 --smp 1
add_case boot/q35-nohpet-4g-4cpu   sh tests/qemu/ktest.sh $B/bios.img $R/q35-nohpet-4g-4cpu.serial --only @machine --log-has "'^\\[timer\\] no HPET'" --machine q35,hpet=off --disk ahci --mem 4096 --smp 4
add_case boot/q35-qemu64-128m-2cpu sh tests/qemu/ktest.sh $B/bios.img $R/q35-qemu64-128m-2cpu.serial --only @machine --log-has "'xAPIC mode'" --machine q35 --disk ahci --mem 128 --smp 2 --qemu "'-cpu qemu64'"
add_case boot/pc-max-4g-4cpu       sh tests/qemu/ktest.sh $B/bios.img $R/pc-max-4g-4cpu.serial --only @machine --machine pc --disk ide --mem 4096 --smp 4 --qemu "'-cpu max'"
add_case uefi/pc-nohpet-256m-4cpu  sh tests/qemu/ktest.sh $B/uefi.img $R/uefi-pc-nohpet-256m-4cpu.serial --only @machine --log-has "'^\\[timer\\] no HPET'" $U --machine pc,hpet=off --disk ide --mem 256 --smp 4
add_case uefi/q35-nohpet-4g-1cpu   sh tests/qemu/ktest.sh $B/uefi.img $R/uefi-q35-nohpet-4g-1cpu.serial --only @machine --log-has "'^\\[timer\\] no HPET'" $U --machine q35,hpet=off --disk ahci --mem 4096 --smp 1
add_case uefi/q35-qemu64-256m-2cpu sh tests/qemu/ktest.sh $B/uefi.img $R/uefi-q35-qemu64-256m-2cpu.serial --only @machine --log-has "'xAPIC mode'" $U --machine q35 --disk ahci --mem 256 --smp 2 --qemu "'-cpu qemu64'"
add_case uefi/pc-max-4g-4cpu       sh tests/qemu/ktest.sh $B/uefi.img $R/uefi-pc-max-4g-4cpu.serial --only @machine $U --machine pc --disk ide --mem 4096 --smp 4 --qemu "'-cpu max'"

# Memory sizes for the memory manager: small, middling, and 8 GiB (most of it above 4 GiB).
add_case boot/pc-ide-64m-1cpu     sh tests/qemu/ktest.sh $B/bios.img $R/pc-ide-64m-1cpu.serial --machine pc --disk ide --mem 64 --smp 1
add_case boot/q35-ahci-512m-2cpu  sh tests/qemu/ktest.sh $B/bios.img $R/q35-ahci-512m-2cpu.serial --only @machine --machine q35 --disk ahci --mem 512 --smp 2
add_case boot/q35-ahci-8g-2cpu    sh tests/qemu/ktest.sh $B/bios.img $R/q35-ahci-8g-2cpu.serial --only @machine --machine q35 --disk ahci --mem 8192 --smp 2
add_case uefi/q35-ahci-64m-1cpu    sh tests/qemu/ktest.sh $B/uefi.img $R/uefi-q35-ahci-64m-1cpu.serial $U --machine q35 --disk ahci --mem 64 --smp 1
# The BIOS loader's ATA DMA path must find its disk as the secondary slave, behind a decoy.
add_case boot/pc-ide-secondary-slave sh tests/qemu/ktest.sh $B/bios.img $R/pc-ide-secondary-slave.serial --only @boot,@disk --log-has "'^stage2: disk: IDE disk \\(PCI 0:1\\.1\\), secondary slave: ATA DMA reads'" --machine pc --disk ide-slave2 --mem 128 --smp 1
# A disk error during a DMA read: the message, then INT 13h reads the rest.
add_case boot/pc-ide-dma-error sh tests/qemu/ktest.sh $B/bios.img $R/pc-ide-dma-error.serial --only @boot,@disk --log-has "'^stage2: disk: ATA DMA read failed at LBA [0-9]+, drive status 0x[0-9a-f]{2}: INT 13h from here on$'" --machine pc --disk ide-flaky --mem 128 --smp 1
# Eight CPUs: the application processors started, each on its own stacks and tables (docs/smp.md).
add_case boot/q35-ahci-512m-8cpu  sh tests/qemu/ktest.sh $B/bios.img $R/q35-ahci-512m-8cpu.serial --log-has "'^smp: 8 CPUs online'" --machine q35 --disk ahci --mem 512 --smp 8
add_case uefi/q35-ahci-512m-8cpu  sh tests/qemu/ktest.sh $B/uefi.img $R/uefi-q35-ahci-512m-8cpu.serial --log-has "'^smp: 8 CPUs online'" $U --machine q35 --disk ahci --mem 512 --smp 8
# Coming online is a handshake (docs/smp.md): the first AP claims its start-up
# block 1.5 s late (left out and parked in the start-up page, where an NMI the
# ktest sends it must leave it; the next AP comes in on the same block), at the
# limit (in or out, never half), or claims it and then takes 1.5 s to set up
# (never reset: counted). The ktest smp_cpus_online checks each from the knob.
# The late AP under OVMF too: another low page, another firmware's reset vector.
add_case boot/q35-late-ap-3cpu sh tests/qemu/ktest.sh $B/bios.img $R/q35-late-ap-3cpu.serial --only @boot,@cpu,@mem --words smp_delay_ap=1500 --log-has "'^smp: 2 CPUs online'" --log-has "'did not answer within 1000 ms: left out, parked in the start-up page$'" --machine q35 --disk ahci --mem 128 --smp 3
add_case uefi/q35-late-ap-3cpu sh tests/qemu/ktest.sh $B/uefi.img $R/uefi-q35-late-ap-3cpu.serial --only @boot,@cpu,@mem --words smp_delay_ap=1500 --log-has "'^smp: 2 CPUs online'" --log-has "'did not answer within 1000 ms: left out, parked in the start-up page$'" $U --machine q35 --disk ahci --mem 256 --smp 3
add_case boot/q35-late-ap-edge-2cpu sh tests/qemu/ktest.sh $B/bios.img $R/q35-late-ap-edge-2cpu.serial --only @boot,@cpu,@mem --words smp_delay_ap=1000 --machine q35 --disk ahci --mem 128 --smp 2
add_case boot/q35-slow-ap-2cpu sh tests/qemu/ktest.sh $B/bios.img $R/q35-slow-ap-2cpu.serial --only @boot,@cpu,@mem --words smp_delay_ap_setup=1500 --log-has "'^smp: 2 CPUs online'" --machine q35 --disk ahci --mem 128 --smp 2

# The heap's debug mode (red zones, poison) under every ktest, the million allocations included.
add_case boot/q35-heapdebug-512m   sh tests/qemu/ktest.sh $B/bios.img $R/q35-heapdebug-512m.serial --words heapdebug --log-has "'^\\[mm\\] heapdebug: red zones'" --machine q35 --disk ahci --mem 512
add_case uefi/pc-heapdebug-256m    sh tests/qemu/ktest.sh $B/uefi.img $R/uefi-pc-heapdebug-256m.serial --words heapdebug --log-has "'^\\[mm\\] heapdebug: red zones'" $U --machine pc --disk ide --mem 256
add_case uefi/pc-ide-512m-1cpu    sh tests/qemu/ktest.sh $B/uefi.img $R/uefi-pc-ide-512m-1cpu.serial --only @machine $U --machine pc --disk ide --mem 512 --smp 1
add_case uefi/q35-ahci-8g-2cpu    sh tests/qemu/ktest.sh $B/uefi.img $R/uefi-q35-ahci-8g-2cpu.serial --only @machine $U --machine q35 --disk ahci --mem 8192 --smp 2
# Two disks with the same image (the same LBA 0) but another boot.cfg: the BIOS loader must read
# the disk it was booted from (its EDD device path), never the decoy (docs/boot-bios.md).
K="--words booted --log-has 'cmdline=\"test cpus=1 booted ktest=[^\"]*\"\$'"
D="--machine pc --mem 128 --decoy 'test cpus=1 decoy'"
add_case boot/two-disks-ide-master sh tests/qemu/ktest.sh $B/bios.img $R/two-disks-ide-master.serial --only @boot,blk_*,block_* $K \
    --log-has "'^stage2: disk: IDE disk \\(PCI 0:1\\.1\\), primary master: ATA DMA reads, .*, found by its EDD 3\\.0 device path$'" $D --disk ide
add_case boot/two-disks-ide-slave sh tests/qemu/ktest.sh $B/bios.img $R/two-disks-ide-slave.serial --only @boot,blk_*,block_* $K \
    --log-has "'^stage2: disk: IDE disk \\(PCI 0:1\\.1\\), primary slave: ATA DMA reads, .*, found by its EDD 3\\.0 device path$'" $D --disk ide-slave
add_case boot/two-disks-usb sh tests/qemu/ktest.sh $B/bios.img $R/two-disks-usb.serial --only @boot,blk_*,block_* $K \
    --log-has "'^stage2: disk: INT 13h reads \\(no EDD 3\\.0 device path\\)$'" $D --disk usb
add_case boot/two-disks-ahci sh tests/qemu/ktest.sh $B/bios.img $R/two-disks-ahci.serial --only @boot,blk_*,block_* $K \
    --log-has "'^stage2: disk: INT 13h reads \\(no EDD 3\\.0 device path\\)$'" $D --disk ahci

# Self tests on any PC: machines and inputs QEMU does not give by default, each with the ktests it
# must skip (and only those, with a reason: tests/qemu/ktest.sh). A CPU without NX (or a firmware
# that hides it); no ACPI at all (SeaBIOS only: OVMF does not boot without it), so the 8259s and
# one CPU; a CMOS clock that reads 2001 (a dead battery); an empty module and a 40 MiB one on a
# small machine, in text mode. The tests read the MADT, the HPET table, CPUID and the APIC base
# MSR, not QEMU's addresses, so a board with other addresses or IRQ 0 on another GSI passes too.
# The no-ACPI cell carries QEMU's edu device: its INTx through the 8259s, MSI refused there.
NONX="mm_heap_is_not_executable,kernel_segment_permissions"
NOACPI="acpi_tables_parsed,acpi_madt_matches_machine,smp_cpus_online,lapic_timer_oneshot,firmware_acpi_rsdp,hpet_matches_table,smp_sched_placement,smp_sched_steal"
add_case boot/pc-nonx-128m-2cpu   sh tests/qemu/ktest.sh $B/bios.img $R/pc-nonx-128m-2cpu.serial --only @machine --skips $NONX --log-has "'^\\[vmm\\] NX absent'" --machine pc --disk ide --mem 128 --smp 2 --qemu "'-cpu qemu64,-nx'"
add_case uefi/q35-nonx-256m-2cpu  sh tests/qemu/ktest.sh $B/uefi.img $R/uefi-q35-nonx-256m-2cpu.serial --only @machine --skips $NONX --log-has "'^\\[vmm\\] NX absent'" $U --machine q35 --disk ahci --mem 256 --smp 2 --qemu "'-cpu qemu64,-nx'"
add_case boot/pc-noacpi-128m-2cpu sh tests/qemu/ktest.sh $B/bios.img $R/pc-noacpi-128m-2cpu.serial --skips $NOACPI --log-has "'rsdp=0x0 '" --machine pc,acpi=off --disk ide --mem 128 --smp 2 --qemu "'-device edu'"
# The LAPIC timer refused (nolapic_timer) in APIC mode: the tick falls to the PIT's IRQ 0 through the
# IOAPIC (timer_clockevent_choice checks the choice and its route; the timing tests its rate). One CPU:
# with no per-CPU clock event device the other CPUs would have no tick.
add_case boot/q35-nolapictimer-128m-1cpu sh tests/qemu/ktest.sh $B/bios.img $R/q35-nolapictimer-128m-1cpu.serial --only @machine --words nolapic_timer --skips lapic_timer_oneshot --log-has "'^\\[timer\\] tick: pit at 1000 Hz, boot CPU only'" --machine q35 --disk ahci --mem 128 --smp 1
# idle=poll (the I/O benches' idle, kernel/sched/idle.c): every ktest with idle CPUs spinning, the AP's
# callouts and sleepers included.
add_case boot/q35-idlepoll-256m-2cpu sh tests/qemu/ktest.sh $B/bios.img $R/q35-idlepoll-256m-2cpu.serial --only @machine --words idle=poll --log-has "'^\\[sched\\] idle=poll: idle CPUs spin instead of halting'" --machine q35 --disk ahci --mem 256 --smp 2
add_case boot/q35-oldrtc-128m-2cpu sh tests/qemu/ktest.sh $B/bios.img $R/q35-oldrtc-128m-2cpu.serial --only @machine --skips rtc_boot_time_sane --machine q35 --disk ahci --mem 128 --smp 2 --qemu "'-rtc base=2001-01-01'"
add_case uefi/pc-oldrtc-256m-1cpu sh tests/qemu/ktest.sh $B/uefi.img $R/uefi-pc-oldrtc-256m-1cpu.serial --only @machine --skips rtc_boot_time_sane $U --machine pc --disk ide --mem 256 --smp 1 --qemu "'-rtc base=2001-01-01'"
add_case boot/modules-edge-64m sh tests/qemu/ktest.sh $B/bios-modules-edge.img $R/modules-edge-64m.serial --as-is --held 40 --skips firmware_display \
    --log-has "'^stage2: module: /boot/empty.bin, 0 bytes'" --log-has "'^ktest: PASS modules_loaded'" --machine pc --disk ide --mem 64
add_case uefi/modules-edge-192m sh tests/qemu/ktest.sh $B/uefi-modules-edge.img $R/uefi-modules-edge-192m.serial --as-is --held 40 \
    --log-has "'^uefi: module: /boot/empty.bin, 0 bytes'" --log-has "'^ktest: PASS modules_loaded'" $U --machine q35 --disk ahci --mem 192 --timeout 180

# The hybrid tessera.img: the same disk under each firmware, a USB stick on xHCI
# as people will use it, and one kernel view: the two summaries compared.
add_case hybrid/bios-q35-usb-4g-4cpu sh tests/qemu/ktest.sh $B/tessera.img $R/hybrid-bios.serial --only @machine \
    --log-has "'^stage2: part: GPT, partition 1 \\(EFI System\\)'" --machine q35 --disk usb --mem 4096 --smp 4
add_case hybrid/uefi-pc-usb-256m-1cpu sh tests/qemu/ktest.sh $B/tessera.img $R/hybrid-uefi.serial --only @machine $U --machine pc --disk usb --mem 256 --smp 1
add_case hybrid/one-kernel-view sh tests/qemu/compare-summaries.sh $B/tessera.img $R --machine q35 --disk ahci --mem 256 --smp 2

# The boot chart (make chart, docs/boot-chart.md): bios.img on pc + IDE and q35 + AHCI, uefi.img on
# q35; each picture must be well-formed SVG naming every loader step printed and every kernel phase.
add_case chart/boots sh tests/chart/test.sh $B $R/chart

# Bad input: each stops in the loader with a message naming the step.
for c in missing-kernel truncated-kernel not-elf missing-cfg no-fat bad-bpb huge-bss entry-in-data; do
    add_case bad/$c sh tests/qemu/bad-input.sh $c $B/bios.img $R/bad-$c
done
for c in gpt-bad-crc gpt-no-esp; do
    add_case bad/$c sh tests/qemu/bad-input.sh $c $B/tessera.img $R/bad-$c
done
# Under OVMF: the message, a pause, then back to the firmware's boot manager.
for c in missing-kernel truncated-kernel not-elf missing-cfg huge-bss entry-in-data kernel-dir; do
    add_case bad/uefi-$c sh tests/qemu/bad-input.sh $c $B/uefi.img $R/bad-uefi-$c --firmware uefi
done
# One rule list (tests/rules/): a corpus row per rule at least booted under SeaBIOS (marked bios
# or qemu), the rows marked qemu under OVMF too: the same verdict and the same words from both.
for k in cfg elf; do
    for r in $(awk '!/^#/ && ($5 == "qemu" || $5 == "bios") { print $1 }' tests/rules/$k.txt); do
        add_case rules/$k-$r sh tests/rules/boot.sh $k $r $R/rules-$k-$r
    done
done

# The block layer (drivers/block/, docs/storage.md) on RAM disks from boot modules: an MBR disk with
# logical partitions, a GPT disk and a scratch disk; every ktest, the blk_ ones included, then the
# read-back CRCs of each disk and partition against the module files (tests/qemu/blk-ramdisk.sh).
add_case blk/ramdisk-bios sh tests/qemu/blk-ramdisk.sh $B/bios-blk.img $R/blk-ramdisk-bios.serial --machine q35 --disk ahci --mem 256 --smp 2 --timeout 180
add_case blk/ramdisk-uefi sh tests/qemu/blk-ramdisk.sh $B/uefi-blk.img $R/blk-ramdisk-uefi.serial $U --machine q35 --disk ahci --mem 256 --smp 2 --timeout 180
# ext2 (kernel/fs/ext2/, docs/files-ext2.md) through the VFS on RAM disks made by mke2fs -d: read
# byte for byte, then written, unmounted (clean), mounted again and read back (tests/qemu/ext2-ktest.sh).
add_case ext2/ktest-bios sh tests/qemu/ext2-ktest.sh $B/bios-ext2.img $R/ext2-ktest-bios.serial --machine q35 --mem 256 --smp 2 --timeout 240
add_case ext2/ktest-uefi sh tests/qemu/ext2-ktest.sh $B/uefi-ext2.img $R/ext2-ktest-uefi.serial $U --machine q35 --mem 256 --smp 2 --timeout 240
# Files Tessera writes on an ext2 disk (AHCI), judged by e2fsck -fn and debugfs rdump on the host.
add_case ext2/disk-bios sh tests/qemu/ext2-disk.sh $B/bios-ext2.img $R/ext2-disk-bios.serial --machine q35 --mem 256 --smp 2 --timeout 240
# Empty controllers: an AHCI controller with no disk on any port and an NVMe controller with no
# namespace are reported as such ("no devices", "no namespace to serve") and the boot goes on.
EMPTY="--log-has '^\[ahci\] [0-9a-f]{2}:[0-9a-f]{2}\.[0-9a-f]: no devices on its 6 ports\$' --log-has '^\[nvme\] nvme[0-9]+: no namespace to serve\$' --skips nvme_queues_per_cpu,nvme_prp_paths_agree"
add_case blk/empty-controllers-bios sh tests/qemu/ktest.sh $B/bios.img $R/blk-empty-bios.serial --only @machine $EMPTY --machine q35 --disk ahci --mem 256 --smp 2 --qemu "'-device ahci,id=empty -device nvme,serial=empty'"
add_case blk/empty-controllers-uefi sh tests/qemu/ktest.sh $B/uefi.img $R/blk-empty-uefi.serial --only @machine $EMPTY $U --machine q35 --disk ahci --mem 256 --smp 2 --qemu "'-device ahci,id=empty -device nvme,serial=empty'"
# A USB-booted image (no USB driver yet) found as the boot device on another controller: the same
# image file on q35's AHCI (tests/qemu/usb-boot-seen.sh).
add_case blk/usb-boot-seen-on-ahci-bios sh tests/qemu/usb-boot-seen.sh $B/bios.img $R/blk-usb-seen-bios.serial --machine q35 --mem 256 --smp 2
add_case blk/usb-boot-seen-on-ahci-uefi sh tests/qemu/usb-boot-seen.sh $B/uefi.img $R/blk-usb-seen-uefi.serial $U --machine q35 --mem 256 --smp 2
# The scratch checker the disk drivers' cells use must pass the pattern and fail each way a disk can break it.
add_case blk/scratch-check sh tests/qemu/blk-scratch-selftest.sh

# The VFS and the page cache (kernel/fs/, docs/files.md): their ktests alone with heapdebug, on 4
# CPUs and on 1 with 64 MiB (every boot cell runs them among the others too).
add_case vfs/ktest-q35-4cpu sh tests/qemu/vfs-ktest.sh $B/bios.img $R/vfs-ktest-q35-4cpu.serial --machine q35 --disk ahci --mem 256 --smp 4
add_case vfs/ktest-pc-64m-1cpu sh tests/qemu/vfs-ktest.sh $B/bios.img $R/vfs-ktest-pc-64m-1cpu.serial --machine pc --disk ide --mem 64 --smp 1

# Terminals (kernel/tty/, drivers/serial/, docs/tty.md): lines typed into COM1 over a socket
# (boot.sh --serial-socket, serial-type.py) with erase, kill, word erase, ^D and ^C, checked
# as ttyecho reads them; four ports found on a machine that has them; a burst of 10,000
# characters in raw mode: all of them in order, or every lost one counted.
add_case tty/type-bios sh tests/qemu/tty-type.sh $B/bios.img $R/tty-type-bios.serial
add_case tty/type-uefi-4ports sh tests/qemu/tty-type.sh $B/uefi.img $R/tty-type-uefi-4ports.serial --ports 4 \
    $U --machine q35 --mem 256 --qemu "'-serial null -serial null -serial null'"
add_case tty/burst-bios sh tests/qemu/tty-burst.sh $B/bios.img $R/tty-burst-bios.serial
add_case tty/burst-uefi-2cpu sh tests/qemu/tty-burst.sh $B/uefi.img $R/tty-burst-uefi.serial $U --machine q35 --mem 256 --smp 2

# FAT (kernel/fs/fat/, docs/files-fat.md): FAT12, FAT16 and FAT32 volumes mkfs.fat and mtools made,
# as module RAM disks; the file systems' ktests (@fs), the fat_ ones included; the damaged volumes
# named in one line each.
add_case fat/ramdisk-bios sh tests/qemu/ktest.sh $B/bios-fat-ktest.img $R/fat-ramdisk-bios.serial --only @boot,@fs --held 70 \
    --log-has "'^\\[fat\\] ram3: no boot sector signature 55 AA: not mounted\$'" \
    --log-has "'^\\[fat\\] ram4: file chain leaves the volume '" --machine q35 --mem 256 --smp 2 --timeout 300
# What the kernel writes on a FAT32 disk through AHCI, then fsck.fat -n and mtype on the host.
add_case fat/host-reads-back sh tests/qemu/fat-host-check.sh $B/bios.img $R/fat-host-reads-back.serial \
    --machine q35 --disk ahci --mem 256 --smp 2 --timeout 300

# Fuzz the parsers of outside data for a short while each.
for f in bootcfg elf64 memmap acpi partition fat; do
    add_case fuzz/$f sh tests/fuzz/run.sh $f ${FUZZ_SECONDS:-5}
done
# ext2's on-disk core (kernel/fs/ext2/) over images in memory: mount, walk, read, change.
add_case fuzz/ext2 sh tests/fuzz/run.sh ext2 ${FUZZ_SECONDS:-5}

# make debug-bios: its gdb script stops at stage1, stage2_entry and _start.
add_case debug/bios-gdb sh tests/qemu/debug-check.sh $B/bios.img $B/debug-bios.gdb $R/debug-bios-gdb.out
# make debug-uefi: the loader waits, gdb loads its symbols at its image base,
# then stops at exit_boot_services_and_jump and at _start.
add_case debug/uefi-gdb sh tests/qemu/debug-uefi-check.sh $B/uefi.img $B/debug-uefi.gdb $R/debug-uefi-gdb.out
# make pagetables-bios: docs/walk/pagetables.py prints the page-table trees the
# boot built (stage2's and the kernel's, docs/paging.md), checked against the boot's lines.
add_case debug/bios-pagetables sh tests/qemu/pagetables-check.sh $B/bios.img $B $R/pagetables-bios.txt

# make walk-bios, make walk-uefi: gdb stops at every step of docs/walk/steps.txt, in order;
# the docs' step tables are the ones made from that list.
add_case walk/bios sh tests/walk/check.sh bios $B $R/walk-bios.out
add_case walk/uefi sh tests/walk/check.sh uefi $B $R/walk-uefi.out
add_case walk/tables python3 tests/walk/tables.py --check docs/walk/steps.txt docs/boot-bios.md docs/boot-uefi.md docs/walk.md

# make screens: a picture of the screen at each moment of tests/screens/moments.txt, each read
# back as text cells and checked against the serial log up to the moment's last line (docs/screens.md).
add_case screens/capture sh tests/screens/screens.sh $B $R/screens

# The panic path, a boot each: a page fault in the kernel and a panic() call
# must give a report with the exception, the registers and a named backtrace.
for fw in bios uefi; do
    for k in fault panic overflow; do
        add_case panic/$fw-$k sh tests/qemu/panic.sh $k $B/$fw.img $R/panic-$fw-$k.serial --firmware $fw --mem 256
    done
    add_case panic/$fw-panic-cpu-4cpu sh tests/qemu/panic.sh panic-cpu $B/$fw.img $R/panic-$fw-panic-cpu.serial --firmware $fw --mem 256 --machine q35 --smp 4
done

# PCI (drivers/pci/, docs/pci.md): the kernel's [pci] lines against QEMU's own query-pci on each
# chipset and firmware, with QEMU's edu test device on bus 0 and another behind a PCI-to-PCI bridge,
# and an e1000e (MSI-X; no option ROM); and two ktest cells with them (edu: MSI to each CPU in turn,
# INTx on a shared line; e1000e: MSI-X vectors masked, then delivered where spread; ktest.sh expects
# pci_edu_* and pci_msix_e1000e to run only where those devices are given).
PCI_DEVS="-device edu -device pci-bridge,id=br1,chassis_nr=1 -device edu,bus=br1,addr=5 -device e1000e,romfile="
add_case pci/pc-bios  sh tests/qemu/pci-check.sh $B/bios.img $R/pci-pc-bios.serial --machine pc --disk ide --qemu "'$PCI_DEVS'"
add_case pci/q35-bios sh tests/qemu/pci-check.sh $B/bios.img $R/pci-q35-bios.serial --machine q35 --disk ahci --qemu "'$PCI_DEVS'"
add_case pci/pc-uefi  sh tests/qemu/pci-check.sh $B/uefi.img $R/pci-pc-uefi.serial $U --machine pc --disk ide --mem 256 --qemu "'$PCI_DEVS'"
add_case pci/q35-uefi sh tests/qemu/pci-check.sh $B/uefi.img $R/pci-q35-uefi.serial $U --machine q35 --disk ahci --mem 256 --qemu "'$PCI_DEVS'"
add_case boot/q35-pci-128m-2cpu sh tests/qemu/ktest.sh $B/bios.img $R/q35-pci-128m-2cpu.serial --only @machine --machine q35 --disk ahci --mem 128 --smp 2 --qemu "'$PCI_DEVS'"
add_case uefi/pc-pci-256m-2cpu  sh tests/qemu/ktest.sh $B/uefi.img $R/uefi-pc-pci-256m-2cpu.serial --only @machine $U --machine pc --disk ide --mem 256 --smp 2 --qemu "'$PCI_DEVS'"

# A short soak: the thread, lock and memory tests in a loop for 15 s, in which at least 3 rounds
# must complete (a round takes 2 to 3 s under TCG: 14 and 9 in 30 s in the last runs); longer by
# hand: soak.sh IMG LOG 600 30 ...
add_case soak/bios-q35-2cpu-15s sh tests/qemu/soak.sh $B/bios.img $R/soak-bios.serial 15 3 --machine q35 --disk ahci --mem 512 --smp 2
add_case soak/uefi-q35-4cpu-15s sh tests/qemu/soak.sh $B/uefi.img $R/soak-uefi.serial 15 3 $U --machine q35 --disk ahci --mem 512 --smp 4

# The BIOS loader's FAT checks: a chain longer than its file, a FAT-size check that must not wrap
# round 2^32, the FAT32 cluster cap; each must stop at its own line of fat.asm.
for c in chain-too-long fat-size-overflow fat32-max-clusters; do
    add_case bad/fat-$c sh tests/qemu/bad-fat.sh $c $B/bios.img $R/bad-fat-$c
done

# The tests can fail: the mutants of tests/mutants.list, a case each: a kernel with the feature
# switched off must fail the tests named for it (about 4 s a mutant, its build included). make test
# runs one in MUTANT_SHARE (default 3) of them, which ones turning with the commit (the count of
# commits to HEAD picks the remainder), so that consecutive commits cover them all;
# MUTANT_SHARE=1 runs every one, as `make mutants` does.
share=${MUTANT_SHARE:-3}
turn=$(git rev-list --count HEAD 2>/dev/null || echo 0)
i=0
for m in $(sed -nE 's/^([a-z0-9_]+)[[:space:]]*\|.*/\1/p' tests/mutants.list); do
    [ $((i % share)) -eq $((turn % share)) ] && add_case mutants/$m sh tests/mutants.sh $m
    i=$((i + 1))
done

# AHCI (drivers/ata/), on q35, both firmwares: the boot image read back through an AHCI
# controller, and on q35's own AHCI a read error injected by blkdebug (reported with its sector,
# the kernel going on), an ATAPI drive logged and skipped, a 3 TiB disk with a partition above
# sector 2^32 read back (tests/qemu/ahci-disks.sh); a scratch disk written from 4 CPUs at once,
# every block checked on the host (tests/qemu/ahci-scratch.sh). The ahci_* ktests also run in
# every cell with an AHCI disk (tests/qemu/ktest.sh).
add_case ahci/bios-q35-disks   sh tests/qemu/ahci-disks.sh $B/bios.img $R/ahci-bios-disks.serial 5000 --mem 256 --smp 2 --timeout 180
add_case ahci/uefi-q35-disks   sh tests/qemu/ahci-disks.sh $B/uefi.img $R/ahci-uefi-disks.serial 5000 $U --mem 256 --smp 2 --timeout 180
add_case ahci/bios-q35-scratch sh tests/qemu/ahci-scratch.sh $B/bios.img $R/ahci-bios-scratch.serial --mem 256 --smp 4 --timeout 240
add_case ahci/uefi-q35-scratch sh tests/qemu/ahci-scratch.sh $B/uefi.img $R/ahci-uefi-scratch.serial $U --mem 256 --smp 4 --timeout 240
# virtio-blk (drivers/virtio/): tests/qemu/virtio-blk.sh makes the virtio disk of each cell, boots with
# ktest.sh and checks on the host what the kernel read (blk-readback.sh against the disk's file) or
# wrote (blk-scratch-check.sh). A copy of the boot image on virtio beside the boot disk, under each
# firmware, transitional (QEMU's default) and modern only; OVMF booting from virtio-blk itself; 4096-byte
# blocks; the INTx line without MSI-X, indirect descriptors, event index or FLUSH; a scratch disk written
# from 4 CPUs; a read error injected by blkdebug; a legacy-only device refused.
V="sh tests/qemu/virtio-blk.sh"
VB="'^\\[virtio-blk\\] virtio-blk [0-9a-f:.]+: "
add_case virtio/bios-q35-copy $V copy $B/bios.img $R/virtio-bios-q35-copy.serial \
    --log-has "${VB}transitional, queue of 256, MSI-X, .*, depth 256, indirect descriptors, event index, flush\$'" --machine q35 --disk ahci --mem 256 --smp 2
add_case virtio/bios-q35-modern $V copy-modern $B/bios.img $R/virtio-bios-q35-modern.serial \
    --log-has "'^\\[pci\\] [0-9a-f:.]+ 1af4:1042 class 01\\.00\\.00 virtio-blk\$'" --machine q35 --disk ahci --mem 256 --smp 2
add_case virtio/uefi-q35-copy $V copy $B/uefi.img $R/virtio-uefi-q35-copy.serial $U --machine q35 --disk ahci --mem 256 --smp 2
add_case virtio/uefi-q35-boot $V none $B/uefi.img $R/virtio-uefi-q35-boot.serial \
    --log-has "'^\\[blk\\] boot device: vda1\$'" $U --machine q35 --disk virtio-modern --mem 256 --smp 2
add_case virtio/bios-pc-4k $V 4k $B/bios.img $R/virtio-bios-pc-4k.serial \
    --log-has "'^\\[blk\\] vda: 32768 sectors of 4096 bytes, '" --machine pc --disk ide --mem 256 --smp 2
add_case virtio/uefi-pc-intx $V intx $B/uefi.img $R/virtio-uefi-pc-intx.serial \
    --log-has "${VB}transitional, queue of 256, INTx, 32 segments, 248 blocks a request, depth 7\$'" $U --machine pc --disk ide --mem 256 --smp 1
add_case virtio/bios-q35-scratch-4cpu $V scratch $B/bios.img $R/virtio-bios-q35-scratch.serial --machine q35 --disk ahci --mem 256 --smp 4
add_case virtio/bios-q35-ioerr $V ioerr $B/bios.img $R/virtio-bios-q35-ioerr.serial \
    --log-has "'^\\[virtio-blk\\] vda: read error at sector 20000 \\(blocks 20000\\.\\.20000\\): the device answered IOERR\$'" --machine q35 --disk ahci --mem 256 --smp 2
add_case virtio/uefi-q35-legacy $V legacy $B/uefi.img $R/virtio-uefi-q35-legacy.serial --skips virtio_blk_many_segments,virtio_blk_timeout_reset \
    --log-has "'^virtio_pci_attach: virtio-blk [0-9a-f:.]+: a legacy-only device \\(no virtio 1\\.0 capabilities\\): not supported'" $U --machine q35 --disk ahci --mem 256 --smp 1
# NVMe (drivers/nvme/, docs/storage-nvme.md; tests/qemu/nvme.sh makes each cell's disks and runs the host's
# checks): each image booted from an NVMe disk on its firmware and read back (blk-readback.sh); namespaces
# and controllers named nvme0n1, nvme0n2 (4096-byte LBAs), nvme1n1 and read back; a scratch disk of 512-
# and of 4096-byte LBAs written from threads on every CPU and checked block by block on the host; a read
# error injected by QEMU's blkdebug, reported with its sector; a disk that answers after 3 s: reset, one
# retry, then BLOCK_ETIMEDOUT and the boot goes on (under SeaBIOS: OVMF's own NVMe driver reads that
# disk too, 3 s a read, 43 s in all).
add_case nvme/bios-boot-q35-2cpu sh tests/qemu/nvme.sh boot $B/bios.img $R/nvme-bios-boot.serial --machine q35 --mem 256 --smp 2 --timeout 120
add_case nvme/uefi-boot-q35-4cpu sh tests/qemu/nvme.sh boot $B/uefi.img $R/nvme-uefi-boot.serial $U --machine q35 --mem 256 --smp 4 --timeout 120
add_case nvme/names-4k-q35-1cpu sh tests/qemu/nvme.sh names $B/bios.img $R/nvme-names.serial --machine q35 --disk ahci --mem 256 --smp 1 --timeout 120
add_case nvme/scratch-q35-4cpu sh tests/qemu/nvme.sh scratch $B/bios.img $R/nvme-scratch.serial --machine q35 --disk ahci --mem 256 --smp 4 --timeout 120
add_case nvme/scratch4k-uefi-q35-2cpu sh tests/qemu/nvme.sh scratch4k $B/uefi.img $R/nvme-scratch4k.serial $U --machine q35 --disk ahci --mem 256 --smp 2 --timeout 120
add_case nvme/read-error-q35-2cpu sh tests/qemu/nvme.sh error $B/bios.img $R/nvme-read-error.serial --machine q35 --disk ahci --mem 128 --smp 2 --timeout 120
add_case nvme/timeout-bios-q35-2cpu sh tests/qemu/nvme.sh timeout $B/bios.img $R/nvme-timeout.serial --machine q35 --disk ahci --mem 256 --smp 2 --timeout 150
# IDE (drivers/ata/ide*): the pc machine's PIIX3 IDE (tests/qemu/ide-disks.sh, docs/storage-ide.md).
# Both channels, master and slave, by bus-master DMA on each firmware: the boot image, a data disk and
# a 200 GiB sparse disk (a partition above LBA28's reach) read back and compared with the host's CRCs,
# a scratch disk written by several threads on several CPUs and checked block by block on the host;
# the same by PIO (ide=pio); a read error injected by blkdebug, reported with its sector; a channel
# whose commands go unanswered (ide_stall=3): timeouts, reset and retry, BLOCK_ETIMEDOUT, never a hang.
add_case ide/bios-four-disks sh tests/qemu/ide-disks.sh four $B/bios.img $R/ide-bios-four-disks.serial --machine pc --disk ide --mem 256 --smp 3 --timeout 180
add_case ide/uefi-four-disks sh tests/qemu/ide-disks.sh four $B/uefi.img $R/ide-uefi-four-disks.serial $U --machine pc --disk ide --mem 256 --smp 3 --timeout 240
add_case ide/bios-pio sh tests/qemu/ide-disks.sh pio $B/bios.img $R/ide-bios-pio.serial --machine pc --disk ide --mem 256 --smp 2 --timeout 180
add_case ide/bios-read-error sh tests/qemu/ide-disks.sh error $B/bios.img $R/ide-bios-read-error.serial --machine pc --disk ide --mem 256 --smp 2 --timeout 180
add_case ide/bios-stall sh tests/qemu/ide-disks.sh stall $B/bios.img $R/ide-bios-stall.serial --machine pc --disk ide --mem 256 --smp 2 --timeout 180

# Input (drivers/input/, docs/input.md): QEMU's QMP types on the PS/2 keyboard (send-key,
# input-send-event) and moves the PS/2 mouse; the kernel, booted with "keylog", prints one line per
# decoded event, which tests/qemu/qmp-input.py checks step by step: the US layout with modifiers,
# extended keys, Pause, the locks with their LEDs and typematic repeat; the German layout (QEMU's
# "y" types z, AltGr+q @); the mouse's motion, five buttons and wheel; the keyboard's own set 2
# with the 8042's translation off (i8042.direct). Both firmwares. And machines without an 8042
# (QEMU's i8042=off): one line saying so and how it knew, and the boot goes on.
QI="python3 tests/qemu/qmp-input.py"
add_case input/bios-pc-us       $QI $B/bios.img $R/input-bios-pc-us.serial us --machine pc
add_case input/bios-q35-de      $QI $B/bios.img $R/input-bios-q35-de.serial de --machine q35 --disk ahci
add_case input/bios-pc-mouse    $QI $B/bios.img $R/input-bios-pc-mouse.serial mouse --machine pc
add_case input/bios-q35-direct  $QI $B/bios.img $R/input-bios-q35-direct.serial direct --machine q35 --disk ahci
add_case input/uefi-q35-us      $QI $B/uefi.img $R/input-uefi-q35-us.serial us $U --machine q35 --disk ahci --mem 256
add_case input/uefi-pc-de       $QI $B/uefi.img $R/input-uefi-pc-de.serial de $U --machine pc --mem 256
add_case input/uefi-q35-mouse   $QI $B/uefi.img $R/input-uefi-q35-mouse.serial mouse $U --machine q35 --disk ahci --mem 256
add_case input/uefi-pc-direct   $QI $B/uefi.img $R/input-uefi-pc-direct.serial direct $U --machine pc --mem 256
IA="sh tests/qemu/input-absent.sh"
add_case input/bios-q35-no-i8042 $IA $B/bios.img $R/input-bios-q35-no-i8042.serial "'^\\[input\\] i8042: none \\(ACPI FADT IAPC_BOOT_ARCH has no 8042 flag\\)\$'" --machine q35,i8042=off --disk ahci
add_case input/bios-pc-no-i8042  $IA $B/bios.img $R/input-bios-pc-no-i8042.serial "'^\\[input\\] i8042: none \\(status port 0x64 reads 0xff\\)\$'" --machine pc,i8042=off
add_case input/uefi-q35-no-i8042 $IA $B/uefi.img $R/input-uefi-q35-no-i8042.serial "'^\\[input\\] i8042: none \\(ACPI FADT IAPC_BOOT_ARCH has no 8042 flag\\)\$'" $U --machine q35,i8042=off --disk ahci --mem 256
# The terminal emulator (kernel/term/, docs/vt.md): every script of tests/term/ run by the kernel on
# the screen's renderer, its cells checked against the script and read back from the screen (the
# framebuffer's pixels, or VGA text memory with stage2 left in text mode), on both firmwares;
# Alt+F1/F2 switch consoles, Shift+PgUp/PgDn browse the scrollback (tests/qemu/term.sh).
add_case term/bios-fb  sh tests/qemu/term.sh $B/bios.img $R/term-bios-fb.serial fb --machine q35 --mem 128
add_case term/bios-vga sh tests/qemu/term.sh $B/bios.img $R/term-bios-vga.serial vga --machine pc --mem 128
add_case term/uefi-fb  sh tests/qemu/term.sh $B/uefi.img $R/term-uefi-fb.serial fb $U --machine q35 --mem 256
# The same from the keyboard (tests/qemu/vt-keys.py: QMP send-key, the screen read back from
# screendumps): Alt+F2 and typing on tty2 (the tty's echo), Alt+F1, Alt+F3, Alt+F2 again.
add_case term/keys-bios python3 tests/qemu/vt-keys.py $B/bios.img $R/term-keys-bios.serial --machine q35 --mem 128
add_case term/keys-uefi python3 tests/qemu/vt-keys.py $B/uefi.img $R/term-keys-uefi.serial $U --machine q35 --mem 256
# The kernel monitor (kernel/monitor/, docs/monitor.md), typed into over COM1 on a unix socket
# (tests/qemu/monitor.sh): each command's answer against what the kernel logged at boot (lspci =
# the [pci] lines, lsblk = the [blk] lines, bootinfo, timeline), an unknown command's and a bad
# argument's one-line errors, Up recalling an older line, a line edited with Left, Backspace and
# End; then reboot, which QEMU (-no-reboot) turns into its exit: the ACPI reset register on each
# firmware, the 8042 pulse and the triple fault asked for, the 8042 when there is no ACPI.
# The command table in docs/monitor.md is the one of kernel/monitor/commands.h.
add_case monitor/bios-q35-commands sh tests/qemu/monitor.sh commands $B/bios.img $R/monitor-bios-q35.serial --machine q35 --disk ahci --mem 256 --smp 2
add_case monitor/uefi-q35-commands sh tests/qemu/monitor.sh commands $B/uefi.img $R/monitor-uefi-q35.serial $U --machine q35 --disk ahci --mem 256 --smp 2
add_case monitor/uefi-pc-reboot-8042 sh tests/qemu/monitor.sh 8042 $B/uefi.img $R/monitor-uefi-8042.serial $U --machine pc --disk ide --mem 256
add_case monitor/bios-pc-reboot-triple sh tests/qemu/monitor.sh triple $B/bios.img $R/monitor-bios-triple.serial --machine pc --disk ide --mem 128
add_case monitor/bios-noacpi-reboot sh tests/qemu/monitor.sh noacpi $B/bios.img $R/monitor-bios-noacpi.serial --machine pc,acpi=off --disk ide --mem 128
# halt: every CPU then halted with interrupts off, as QEMU's own register dump shows (QMP).
add_case monitor/uefi-q35-halt-4cpu sh tests/qemu/monitor.sh halt $B/uefi.img $R/monitor-uefi-halt.serial $U --machine q35 --disk ahci --mem 256 --smp 4
add_case monitor/docs-commands python3 tests/docs/monitor-commands.py --check docs/monitor.md
# keys: keys pressed through QMP while the
# monitor's keys command runs must give the lines the input layer's keylog prints for them.
add_case monitor/bios-pc-keys sh tests/qemu/monitor.sh keys $B/bios.img $R/monitor-bios-keys.serial --machine pc --disk ide --mem 128
add_case monitor/uefi-q35-keys sh tests/qemu/monitor.sh keys $B/uefi.img $R/monitor-uefi-keys.serial $U --machine q35 --disk ahci --mem 256
# The monitor on the first virtual console: "reboot triple" typed on the PS/2 keyboard (QMP) reaches tty1's monitor.
add_case monitor/bios-q35-tty1 sh tests/qemu/monitor.sh tty1 $B/bios.img $R/monitor-bios-tty1.serial --machine q35 --disk ahci --mem 256
add_case monitor/uefi-q35-tty1 sh tests/qemu/monitor.sh tty1 $B/uefi.img $R/monitor-uefi-tty1.serial $U --machine q35 --disk ahci --mem 256

# Issue 15, the root file systems (kernel/fs/cpio/, devfs/, procfs/, root.c; docs/files-root.md):
# booted with an initramfs module and no root=, the root is the initramfs; every ktest passes, the
# initramfs_ ones comparing the tree with the archive the host's cpio made. Then the cpio reader
# under libFuzzer.
RL="--log-has '^\\[vfs\\] root: initramfs \\(tmpfs\\)\$' --log-has '^ktest: PASS initramfs_matches_archive'"
RF="'^\\[initramfs\\] [0-9]+ files, [0-9]+ bytes from /boot/"
add_case rootfs/initramfs-bios sh tests/qemu/ktest.sh $B/bios-rootfs.img $R/rootfs-initramfs-bios.serial --as-is $RL \
    --log-has "${RF}initrd\$'" --machine q35 --disk ahci --mem 256 --smp 2
add_case rootfs/initramfs-uefi sh tests/qemu/ktest.sh $B/uefi-rootfs.img $R/rootfs-initramfs-uefi.serial --as-is $RL \
    --log-has "${RF}initramfs\\.cpio\$'" $U --machine q35 --disk ahci --mem 256 --smp 2
add_case rootfs/root-missing-bios sh tests/qemu/ktest.sh $B/bios.img $R/rootfs-root-missing-bios.serial --only @machine --words root=nosuch \
    --log-has "'^\\[vfs\\] root=nosuch: no such block device \\(error -6\\): the root stays an empty tmpfs\$'" \
    --log-has "'^\\[vfs\\] root: tmpfs \\(tmpfs\\)\$'" --machine q35 --disk ahci --mem 256 --smp 2
add_case rootfs/initramfs-damaged-bios sh tests/qemu/rootfs-damaged.sh $B/bios-rootfs-damaged.img $R/rootfs-initramfs-damaged-bios.serial \
    --machine q35 --disk ahci --mem 256 --smp 2
# The default root of the images (disk/: an ext2 partition after the boot partition): sda2 as ext2
# on "/", the boot partition as vfat on /boot, the root's ktests passing there.
RT=root_standard_mounts,procfs_mounts_lists_mounts,procfs_kernel_entries,devfs_memory_devices,devfs_block_matches_block_read
RE="--log-has '^\\[vfs\\] root: sda2 \\(ext2\\)\$' --log-has '^\\[vfs\\] mounted sda1 \\(vfat\\) on /boot\$'"
add_case rootfs/ext2-root-bios sh tests/qemu/rootfs-boot.sh $B/bios.img $R/rootfs-ext2-root-bios.serial $RT $RE --machine q35 --disk ahci --mem 256 --smp 2
add_case rootfs/ext2-root-uefi sh tests/qemu/rootfs-boot.sh $B/uefi.img $R/rootfs-ext2-root-uefi.serial $RT $RE $U --machine q35 --disk ahci --mem 256 --smp 2
add_case fuzz/cpio sh tests/fuzz/run.sh cpio ${FUZZ_SECONDS:-5}
# Crash tests of the file systems (issue 15; tests/qemu/fs-crash.sh, docs/files-images.md): the
# checker's model of a workload log (what a later operation may have changed since a file was
# synced) on a recorded log, and the checker against files put on an image by the host's tools
# (a changed byte, a missing file, an ext2 error e2fsck -p must ask about: each must fail).
add_case fs-crash/checker-model python3 tests/qemu/fs-crash-check.py --self-test
add_case fs-crash/checker-bios python3 tests/qemu/fs-crash-check.py --fixture-test $B/bios.img
# The crash tests themselves: the workload (test=fsstress) on the root (ext2, sda2) and /boot (FAT,
# sda1), QEMU killed three times per seed at moments drawn from it, each disk judged by fsck.fat -n,
# e2fsck -fp and the synced files (seen failing with vfs_fsync made a no-op: synced files missing or
# short); the same with a FAT16 boot partition; and one run of 2000 operations to its end, after
# which both must be clean without repair.
add_case fs-crash/bios-ide-seed1 sh tests/qemu/fs-crash.sh $B/bios.img $R/fs-crash-bios-ide-seed1 --seed 1 --kills 3 --machine pc --disk ide --mem 256
add_case fs-crash/uefi-ahci-2cpu-seed2 sh tests/qemu/fs-crash.sh $B/uefi.img $R/fs-crash-uefi-ahci-seed2 --seed 2 --kills 3 $U --machine q35 --disk ahci --mem 256 --smp 2
add_case fs-crash/fat16-ide-seed4 sh tests/qemu/fs-crash.sh $B/bios-fat16.img $R/fs-crash-fat16-ide-seed4 --seed 4 --kills 2 --machine pc --disk ide --mem 256
add_case fs-crash/bios-ahci-finish-seed3 sh tests/qemu/fs-crash.sh $B/bios.img $R/fs-crash-bios-finish-seed3 --seed 3 --ops 2000 --machine q35 --disk ahci --mem 256
# Processes (issue 16, docs/processes.md): each program of tests/user/ on both firmwares. Under
# SeaBIOS (1 CPU) each program is the first process of a boot of its own (init=/boot/NAME
# initexit): tests/qemu/proc.sh checks QEMU's exit (33: the process exited 0), the kernel's
# "started as pid 1" and "ended" lines and the program's lines on serial. Under OVMF (4 CPUs: the
# APs arm SYSCALL too and the process may run on any of them) a boot costs 5.5 s of firmware, so
# the same programs run in two boots, one per image (proc/uefi-batch1 on uefi-proc.img,
# proc/uefi-batch2 on uefi-proc2.img): tests/user/batch.c, the first process, forks each in
# turn as the leader of a session of its own and frames it with "[batch] NAME: running ..." and
# "[batch] NAME: PATH ended: exit status N | killed by signal N" lines; tests/qemu/proc-batch.sh
# gives each case its own PASS or FAIL line and log (a case whose section is missing fails) with
# the checks its boot of its own had: the same program and arguments, its end (exit status or
# signal), the same lines in its section, the same comparison with the host's Linux for the
# diff-uefi-* ones. What changes there: the program is not pid 1 (hello's "pid 1" line matches any
# pid, the kernel's fault lines any pid; the BIOS cases keep pid 1), and notelf and missing are
# refused by execve, the runner's "cannot start it: error -8/-2" line standing for the kernel's
# init= line (the [exec] line is the same). A pattern of run.sh picks cases inside a batch
# (T=uefi-hello boots once for that one).
batch_case() {  # batch_case 1|2 NAME PROGRAM-AND-ARGS [proc-batch.sh options]: a case of proc/uefi-batchN
    bn=$1; shift
    BATCH_NAMES="${BATCH_NAMES:-} $1"
    case $1 in *"${filter:-}"*) ;; *) case proc/uefi-batch$bn in *"${filter:-}"*) ;; *) return ;; esac ;; esac
    eval "batch_$bn=\"\${batch_$bn:-} --case \$*\""
}
for fw in bios uefi; do
    P="sh tests/qemu/proc.sh $B/$fw-proc.img"
    O="--firmware $fw --machine pc --disk ide --mem 128 --smp 1"
    if [ $fw = uefi ]; then
        # hellopie first: the kernel names at most 32 missing calls a boot, and its --lacks needs them.
        batch_case 1 proc/uefi-hellopie hellopie --has "'^hello from ring 3$'" \
            --has "'^hello through stdio, pid [0-9]+$'" --lacks "'system call 318 \\(getrandom\\) not implemented'"
        batch_case 1 proc/uefi-hello hello --has "'^hello from ring 3$'" --has "'^hello through stdio, pid [0-9]+$'"
        batch_case 1 proc/uefi-args "'args one two'" \
            --has "'^argc=3$'" --has "'^argv\\[2\\]=two$'" --has "'^env TERM=linux$'" \
            --has "'^AT_PAGESZ=4096 AT_PHENT=56 AT_CLKTCK=100$'" --has "'^AT_PHDR: 7 program headers, 4 PT_LOAD$'" \
            --has "'^AT_RANDOM: 16 bytes$'" --has "'^AT_PLATFORM=x86_64 AT_EXECFN=/boot/args$'" \
            --has "'^tls_value=42$'" --has "'^tls_value after \\+\\+=43$'"
        batch_case 1 proc/uefi-notelf notelf --refused -8 \
            --has "'^\\[exec\\] /boot/notelf: not a program this kernel runs: no ELF magic \\(0x6e\\)$'"
        batch_case 1 proc/uefi-missing nosuch --refused -2
        batch_case 1 proc/uefi-brkmmap brkmmap --has "'^brkmmap: all passed$'"
        batch_case 1 proc/uefi-files "'files /files-test.txt'" --has "'^files: all passed$'"
        batch_case 1 proc/uefi-efault efault --has "'^efault: all passed$'" --lacks "'NOT EFAULT'"
        batch_case 1 proc/uefi-fork fork --has "'^fork: all passed$'"
        batch_case 2 proc/uefi-procself "'procself one two'" --has "'^procself: all passed$'"
        for f in "null page.fault...PF. 11" "kernel page.fault...PF. 11" "nx page.fault...PF. 11" \
                 "ro page.fault...PF. 11" "guard page.fault...PF. 11" \
                 "gp general.protection...GP. 11" "ud invalid.opcode...UD. 4" "div divide.error...DE. 8"; do
            how=${f%% *} what=${f#* }
            sig=${what##* } what=${what% *}
            batch_case 1 proc/uefi-segv-$how "'segv $how'" --signal $sig \
                --has "'^\\[proc\\] pid [0-9]+ \\(segv\\): $what at 0x[0-9a-f]+, rip 0x[0-9a-f]+: killed by signal $sig$'" \
                --lacks "'still alive'"
        done
        continue
    fi
    add_case proc/$fw-hello $P $R/proc-$fw-hello.serial --init hello --exit 33 \
        --has "'^hello from ring 3$'" --has "'^hello through stdio, pid 1$'" $O
    add_case proc/$fw-hellopie $P $R/proc-$fw-hellopie.serial --init hellopie --exit 33 \
        --has "'^hello from ring 3$'" --has "'^hello through stdio, pid 1$'" \
        --lacks "'system call 318 \\(getrandom\\) not implemented'" $O
    add_case proc/$fw-args $P $R/proc-$fw-args.serial --init "'args one two'" --exit 33 \
        --has "'^argc=3$'" --has "'^argv\\[2\\]=two$'" --has "'^env TERM=linux$'" \
        --has "'^AT_PAGESZ=4096 AT_PHENT=56 AT_CLKTCK=100$'" --has "'^AT_PHDR: 7 program headers, 4 PT_LOAD$'" \
        --has "'^AT_RANDOM: 16 bytes$'" --has "'^AT_PLATFORM=x86_64 AT_EXECFN=/boot/args$'" \
        --has "'^tls_value=42$'" --has "'^tls_value after \\+\\+=43$'" $O
    add_case proc/$fw-notelf $P $R/proc-$fw-notelf.serial --init notelf --exit 35 --refused \
        --has "'^\\[exec\\] /boot/notelf: not a program this kernel runs: no ELF magic \\(0x6e\\)$'" \
        --has "'^\\[proc\\] init=/boot/notelf: cannot start it: error -8$'" $O
    add_case proc/$fw-missing $P $R/proc-$fw-missing.serial --init nosuch --exit 35 --refused \
        --has "'^\\[proc\\] init=/boot/nosuch: cannot start it: error -2$'" $O
    add_case proc/$fw-brkmmap $P $R/proc-$fw-brkmmap.serial --init brkmmap --exit 33 --has "'^brkmmap: all passed$'" $O
    add_case proc/$fw-files $P $R/proc-$fw-files.serial --init "'files /files-test.txt'" --exit 33 \
        --has "'^files: all passed$'" $O
    add_case proc/$fw-efault $P $R/proc-$fw-efault.serial --init efault --exit 33 --has "'^efault: all passed$'" \
        --lacks "'NOT EFAULT'" $O
    add_case proc/$fw-fork $P $R/proc-$fw-fork.serial --init fork --exit 33 --has "'^fork: all passed$'" $O
    add_case proc/$fw-procself sh tests/qemu/proc.sh $B/$fw-proc2.img $R/proc-$fw-procself.serial --init "'procself one two'" --exit 33 \
        --has "'^procself: all passed$'" $O
    for how in null kernel nx ro guard; do
        add_case proc/$fw-segv-$how $P $R/proc-$fw-segv-$how.serial --init "'segv $how'" --exit 35 \
            --has "'^\\[proc\\] pid 1 \\(segv\\): page fault \\(#PF\\) at 0x[0-9a-f]+, rip 0x[0-9a-f]+: killed by signal 11$'" \
            --has "'^\\[proc\\] init=/boot/segv ended: killed by signal 11$'" --lacks "'still alive'" $O
    done
    for f in "gp general.protection...GP. 11" "ud invalid.opcode...UD. 4" "div divide.error...DE. 8"; do
        how=${f%% *} what=${f#* }
        sig=${what##* } what=${what% *}
        add_case proc/$fw-segv-$how $P $R/proc-$fw-segv-$how.serial --init "'segv $how'" --exit 35 \
            --has "'^\\[proc\\] pid 1 \\(segv\\): $what at 0x[0-9a-f]+, rip 0x[0-9a-f]+: killed by signal $sig$'" \
            --has "'^\\[proc\\] init=/boot/segv ended: killed by signal $sig$'" --lacks "'still alive'" $O
    done
done
# The same programs on the host's Linux and on Tessera, outputs compared (tests/user/diff.sh).
for p in hello "'args one two'" brkmmap efault fork; do
    n=$(echo "$p" | tr -d "'" | cut -d' ' -f1)
    add_case proc/diff-$n sh tests/user/diff.sh $B/bios-proc.img $R/proc-diff-$n.serial "$p" --mem 128
done
# A fork bomb stops at RLIMIT_NPROC, and every way to die gives back every page (Tessera only:
# Linux lets root fork past RLIMIT_NPROC). In the batch the runner is one more of root's
# processes: limits.c counts those /proc lists and expects that many fewer children.
add_case proc/bios-limits sh tests/qemu/proc.sh $B/bios-proc2.img $R/proc-bios-limits.serial --init limits --exit 33 \
    --has "'^limits: all passed$'" --has "'^fork bomb: 47 children, then a refusal \\(0 other processes\\)$'" \
    --firmware bios --machine pc --disk ide --mem 128 --smp 1
batch_case 2 proc/uefi-limits limits --has "'^limits: all passed$'" \
    --has "'^fork bomb: 46 children, then a refusal \\(1 other processes\\)$'"
for p in "'procself one two'" creds; do
    n=$(echo "$p" | tr -d "'" | cut -d' ' -f1)
    add_case proc/diff-$n sh tests/user/diff.sh $B/bios-proc2.img $R/proc-diff-$n.serial "$p" --mem 128
    batch_case 2 proc/diff-uefi-$n "$p" --diff
done
# Descriptors, names and pipes (the files helper of issue 16; one program, fdtests NAME ARGS, as
# the loaders take 16 modules): on Linux and Tessera, outputs compared, on the BIOS image; the same
# on both firmwares, checked for their last line. file_tty on Tessera only (no terminal on the host).
for p in "file_fd /tmp" "file_dir /tmp" pipe_one "pipe_two /tmp" file_tty; do
    n=${p%% *}
    [ $n = file_tty ] ||
        add_case proc/diff-$n sh tests/user/diff.sh $B/bios-proc.img $R/proc-diff-$n.serial "'fdtests $p'" --mem 128
    H=""
    [ $n = file_tty ] && H="--has '^file_tty: through /dev/tty$'"
    add_case proc/bios-$n sh tests/qemu/proc.sh $B/bios-proc.img $R/proc-bios-$n.serial --init "'fdtests $p'" \
        --exit 33 $H --has "'^$n: all passed$'" --firmware bios --machine pc --disk ide --mem 128 --smp 1
    batch_case 1 proc/uefi-$n "'fdtests $p'" $H --has "'^$n: all passed$'"
done
# Address spaces (issue 16, the mm helper): mprotect, madvise, msync, MAP_SHARED anonymous memory
# (tests/user/mem_*.c) on both firmwares, and compared with the host's Linux.
for p in mem_prot mem_file mem_fork; do
    add_case proc/bios-$p sh tests/qemu/proc.sh $B/bios-proc2.img $R/proc-bios-$p.serial --init $p --exit 33 \
        --has "'^$p: all passed$'" --firmware bios --machine pc --disk ide --mem 128 --smp 1
    batch_case 2 proc/uefi-$p $p --has "'^$p: all passed$'"
done
for p in mem_prot mem_file mem_fork; do
    add_case proc/diff-$p sh tests/user/diff.sh $B/bios-proc2.img $R/proc-diff-$p.serial "$p" --mem 128
done
# Signals (docs/signals.md): the same comparison, on both firmwares; and a default action.
for p in sig_base sig_flt sig_kill; do
    add_case proc/diff-$p sh tests/user/diff.sh $B/bios-proc.img $R/proc-diff-$p.serial "$p" --mem 128 --smp 1
    batch_case 1 proc/diff-uefi-$p $p --diff
done
# threads: on the second pair of images
add_case proc/diff-bios-sig_thr sh tests/user/diff.sh $B/bios-proc2.img $R/proc-diff-bios-sig_thr.serial sig_thr --mem 128 --smp 1
batch_case 2 proc/diff-uefi-sig_thr sig_thr --diff
add_case proc/bios-sig-term sh tests/qemu/proc.sh $B/bios-proc.img $R/proc-bios-sig-term.serial --init "'sig_base term'" \
    --exit 35 --has "'^sig_base: raising SIGTERM with its default action$'" \
    --has "'^\\[proc\\] init=/boot/sig_base ended: killed by signal 15$'" --lacks "'still alive'" \
    --firmware bios --machine pc --disk ide --mem 128 --smp 1
# Time and the rest (issue 16's misc helper, docs/time.md), robust futexes and prctl's names
# (robust.c): differential, on both firmwares.
for p in time_all futex_st misc_all robust; do
    add_case proc/diff-bios-$p sh tests/user/diff.sh $B/bios-proc2.img $R/proc-diff-bios-$p.serial "$p" \
        --firmware bios --machine pc --disk ide --mem 128 --smp 1
    batch_case 2 proc/diff-uefi-$p $p --diff
done
# execve with other threads alive, a table of files shared by CLONE_FILES (kernel/proc/exec_threads.c),
# /proc/N/maps and /proc/N/fd (procfs_maps.c, procfs_fd.c), statx: tests/user/procrest.c, differential,
# the BIOS cases on 2 CPUs, the UEFI ones on 4.
for p in exec "maps /tmp" "fd /tmp" "statx /tmp"; do
    n=${p%% *}
    add_case proc/diff-bios-procrest-$n sh tests/user/diff.sh $B/bios-proc2.img $R/proc-diff-bios-procrest-$n.serial \
        "'procrest $p'" --firmware bios --machine pc --disk ide --mem 128 --smp 2
    batch_case 2 proc/diff-uefi-procrest-$n "'procrest $p'" --diff
done
# Out of memory (kernel/proc/oom.c): a child touching memory for ever is the one killed, with the
# line; the parent lives on and gets the memory back (Tessera only: it would eat the host's
# memory). Last in its batch: it fills the memory.
add_case proc/bios-oom sh tests/qemu/proc.sh $B/bios-proc2.img $R/proc-bios-oom.serial --init oom --exit 33 \
    --has "'^oom: all passed$'" --has "'^\\[mm\\] out of memory: killed pid [0-9]+ \\(oom\\), [0-9]+ kB resident$'" \
    --firmware bios --machine pc --disk ide --mem 128 --smp 1
batch_case 2 proc/uefi-oom oom --has "'^oom: all passed$'" \
    --has "'^\\[mm\\] out of memory: killed pid [0-9]+ \\(oom\\), [0-9]+ kB resident$'"
# The two UEFI batches (q35, AHCI, 256 MiB, 4 CPUs). The batch's own line comes on top of its cases'
# lines; add_case's filter is by-passed, as its cases were picked by batch_case above.
uefi_o="--firmware uefi --machine q35 --disk ahci --mem 256 --smp 4"
filter_was=${filter:-}
filter=""
for bn in 1 2; do
    bimg=$B/uefi-proc.img
    [ $bn = 2 ] && bimg=$B/uefi-proc2.img
    eval "cs=\${batch_$bn:-}"
    [ -z "$cs" ] || add_case proc/uefi-batch$bn sh tests/qemu/proc-batch.sh $bimg $R/proc-uefi-batch$bn.serial "$cs" -- $uefi_o
done
filter=$filter_was
# The same programs built with glibc (gcc -static: build/user-glibc/, on the boot partition of
# bios-glibc.img and uefi-glibc.img as /boot/glibc/NAME), in one batch boot per firmware:
# proc/glibc-bios-batch (pc, IDE, 128 MiB, 2 CPUs) and proc/glibc-uefi-batch (q35, AHCI, 256 MiB,
# 4 CPUs). Each differential case compares the glibc program's lines on Tessera with the same
# binary's on the host (glibc's own error strings and buffering are the reference, not musl's);
# segv, files, file_tty, limits and oom are checked on Tessera alone, as their musl cases are.
glibc_case() {  # glibc_case NAME PROGRAM-AND-ARGS [proc-batch.sh options]: proc/glibc-{bios,uefi}-NAME
    for gfw in bios uefi; do
        BATCH_NAMES="${BATCH_NAMES:-} proc/glibc-$gfw-$1"
        case proc/glibc-$gfw-$1 in *"${filter:-}"*) ;; *) case proc/glibc-$gfw-batch in *"${filter:-}"*) ;; *) continue ;; esac ;; esac
        eval "glibc_$gfw=\"\${glibc_$gfw:-} --case proc/glibc-$gfw-\$*\""
    done
}
glibc_case hello hello --diff --has "'^hello through stdio, pid [0-9]+$'"
glibc_case args "'args one two'" --diff --has "'^AT_PLATFORM=x86_64 AT_EXECFN=/boot/glibc/args$'"
for p in brkmmap efault fork "'procself one two'" creds mem_prot mem_file mem_fork sig_base sig_flt sig_kill sig_thr \
         time_all futex_st misc_all robust clone3; do
    glibc_case "$(echo "$p" | tr -d "'" | cut -d' ' -f1)" "$p" --diff
done
for p in "file_fd /tmp" "file_dir /tmp" pipe_one "pipe_two /tmp"; do
    glibc_case ${p%% *} "'fdtests $p'" --diff
done
for p in exec "maps /tmp" "fd /tmp" "statx /tmp"; do
    glibc_case procrest-${p%% *} "'procrest $p'" --diff
done
glibc_case file_tty "'fdtests file_tty'" --has "'^file_tty: through /dev/tty$'" --has "'^file_tty: all passed$'"
glibc_case files "'files /files-test.txt'" --has "'^files: all passed$'"
for f in "null page.fault...PF. 11" "gp general.protection...GP. 11" "ud invalid.opcode...UD. 4"; do
    how=${f%% *} what=${f#* }
    sig=${what##* } what=${what% *}
    glibc_case segv-$how "'segv $how'" --signal $sig --lacks "'still alive'" \
        --has "'^\\[proc\\] pid [0-9]+ \\(segv\\): $what at 0x[0-9a-f]+, rip 0x[0-9a-f]+: killed by signal $sig$'"
done
glibc_case limits limits --has "'^limits: all passed$'" \
    --has "'^fork bomb: 46 children, then a refusal \\(1 other processes\\)$'"
# oom last: it fills the memory.
glibc_case oom oom --has "'^oom: all passed$'" \
    --has "'^\\[mm\\] out of memory: killed pid [0-9]+ \\(oom\\), [0-9]+ kB resident$'"
filter=""
[ -z "${glibc_bios:-}" ] || add_case proc/glibc-bios-batch sh tests/qemu/proc-batch.sh $B/bios-glibc.img \
    $R/proc-glibc-bios-batch.serial --dir /boot/glibc $B/user-glibc "$glibc_bios" -- \
    --firmware bios --machine pc --disk ide --mem 128 --smp 2
[ -z "${glibc_uefi:-}" ] || add_case proc/glibc-uefi-batch sh tests/qemu/proc-batch.sh $B/uefi-glibc.img \
    $R/proc-glibc-uefi-batch.serial --dir /boot/glibc $B/user-glibc "$glibc_uefi" -- $uefi_o
filter=$filter_was
# reboot(2) from the first process: QEMU ends by itself (S5; a reset under -no-reboot), with the way
# logged. These end the machine, so each has a UEFI boot of its own.
add_case proc/bios-poweroff sh tests/qemu/power.sh $B/bios-proc2.img $R/proc-bios-poweroff.serial off --mem 128
add_case proc/bios-restart sh tests/qemu/power.sh $B/bios-proc2.img $R/proc-bios-restart.serial restart --mem 128
add_case proc/uefi-poweroff sh tests/qemu/power.sh $B/uefi-proc2.img $R/proc-uefi-poweroff.serial off \
    --firmware uefi --machine q35 --disk ahci --mem 256 --smp 4
add_case proc/uefi-restart sh tests/qemu/power.sh $B/uefi-proc2.img $R/proc-uefi-restart.serial restart \
    --firmware uefi --machine q35 --disk ahci --mem 256 --smp 4
# strace=1: each call of the first process on the log, errors by name, exit_group before it runs.
add_case proc/bios-strace sh tests/qemu/proc.sh $B/bios-proc.img $R/proc-bios-strace.serial --init efault --exit 33 \
    --has "'^\\[strace\\] tracing the system calls of pid 1$'" \
    --has "'^\\[strace\\] pid 1: write\\(1, 4096, 10\\) = -14 EFAULT$'" \
    --has "'^\\[strace\\] pid 1: uname\\(0x[0-9a-f]+\\) = -14 EFAULT$'" \
    --has "'^\\[strace\\] pid 1: exit_group\\(0\\) = \\?$'" \
    --has "'^efault: all passed$'" --cmdline "'strace=1 init=/boot/efault initexit --'" --mem 128
# docs/syscalls.md's table is the one the syscall list prints (tests/docs/gen-syscalls.c).
add_case docs/syscalls sh tests/docs/syscalls.sh
# The ELF loader's checks (kernel/proc/elf.c), seeded with tests/user/'s programs.
add_case fuzz/exec sh tests/fuzz/run.sh exec ${FUZZ_SECONDS:-5}
# Debian's unmodified static busybox on the root file system (/bin/busybox and its applet links, an
# ext2 root): a shell session run by its sh on the host's Linux and on Tessera, outputs compared line
# by line (tests/busybox/diff.sh, docs/busybox.md), on both firmwares.
add_case busybox/bios-basics sh tests/busybox/diff.sh $B/bios.img $R/busybox-bios-basics.serial tests/busybox/basics.sh \
    --machine q35 --disk ahci --mem 256 --smp 2
add_case busybox/uefi-basics sh tests/busybox/diff.sh $B/uefi.img $R/busybox-uefi-basics.serial tests/busybox/basics.sh \
    --firmware uefi --machine pc --disk ide --mem 256 --smp 4
# tsh, Tessera's shell (user/tsh/, docs/tsh.md): its scripts on the host's Linux against their
# expected outputs and, for the POSIX ones, against dash (tests/tsh/host.sh); its parser under
# libFuzzer; and as the first process on both firmwares, running a script from the boot partition
# (tests/tsh/boot.sh: pipes, redirections to /tmp, a here-document, $( ), loops, a function, $?, #!).
add_case tsh/host-scripts sh tests/tsh/host.sh
add_case fuzz/tsh_parse sh tests/fuzz/run.sh tsh_parse ${FUZZ_SECONDS:-5}
add_case tsh/bios-script sh tests/tsh/boot.sh $B/bios.img $R/tsh-bios-script.serial tests/tsh/boot-script.sh \
    tests/tsh/boot-script.expected --machine q35 --disk ahci --mem 256 --smp 2
add_case tsh/uefi-script sh tests/tsh/boot.sh $B/uefi.img $R/tsh-uefi-script.serial tests/tsh/boot-script.sh \
    tests/tsh/boot-script.expected --firmware uefi --machine pc --disk ide --mem 256 --smp 2
# tsh's job control on a pseudo-terminal of the host: ^Z, jobs, bg, fg, ^C (tests/tsh/jobs.py).
add_case tsh/host-jobs python3 tests/tsh/jobs.py $B/user/tsh
# Its line editor, history (~/.tsh_history, ^R) and tab completion, on a pty too (tests/tsh/lineedit.py).
add_case tsh/host-lineedit python3 tests/tsh/lineedit.py $B/user/tsh
# tsh as an interactive first process on the serial terminal: answers, a syntax error it survives,
# PS2, editing keys in raw mode, history and completion, typed over a socket (tests/tsh/interactive.sh).
add_case tsh/bios-interactive sh tests/tsh/interactive.sh $B/bios.img $R/tsh-bios-interactive.serial --mem 256
# The normal boot: the kernel starts /sbin/init (user/init/), which gives each terminal a login shell;
# typed into over serial: a pipe into a tmpfs file, ps with init as pid 1, then poweroff ends QEMU
# through ACPI S5 (tests/qemu/userland.sh, docs/userland.md), on both firmwares with make run's
# machines. No /sbin/init (an empty tmpfs root) and a first process without execute permission:
# one clear line each, no panic.
add_case userland/bios-prompt sh tests/qemu/userland.sh prompt $B/bios.img $R/userland-bios-prompt.serial --machine pc --mem 256
add_case userland/uefi-prompt sh tests/qemu/userland.sh prompt $B/uefi.img $R/userland-uefi-prompt.serial --firmware uefi --machine q35 --mem 256
add_case userland/bios-init-missing sh tests/qemu/userland.sh missing $B/bios.img $R/userland-bios-init-missing.serial --mem 256
add_case userland/uefi-init-notexec sh tests/qemu/userland.sh notexec $B/uefi.img $R/userland-uefi-init-notexec.serial --firmware uefi --mem 256
# Tessera's own tools (user/tools/, docs/tools.md): each run against fabricated /proc trees on the
# host (TESSERA_PROC; tests/tools/host.sh), and each run once on a booted image, its output held
# against the kernel's own lines in the same serial log and against the image (tests/tools/boot.sh).
add_case tools/host sh tests/tools/host.sh
add_case tools/bios sh tests/tools/boot.sh $B/bios.img $R/tools-bios.serial --machine q35 --disk ahci --mem 256 --smp 2
add_case tools/uefi sh tests/tools/boot.sh $B/uefi.img $R/tools-uefi.serial --firmware uefi --machine pc --disk ide --mem 256 --smp 1

# A person's session with root's login shell, tsh, from the normal boot (tests/qemu/session.py,
# docs/userland.md): a pipeline into a file, job control (^Z, jobs, fg, ^C), line editing, history,
# completion, a here-document, a #!/bin/tsh script, busybox vi and :wq. Typed over ttyS0, and on
# tty1 through the PS/2 keyboard (QMP send-key) with the screen read back as text, on both firmwares.
add_case session/bios-serial python3 tests/qemu/session.py serial $B/bios.img $R/session-bios-serial.serial --machine pc --mem 256
add_case session/uefi-serial python3 tests/qemu/session.py serial $B/uefi.img $R/session-uefi-serial.serial --firmware uefi --machine q35 --mem 256
add_case session/bios-keys python3 tests/qemu/session.py keys $B/bios.img $R/session-bios-keys.serial --machine pc --mem 256
add_case session/uefi-keys python3 tests/qemu/session.py keys $B/uefi.img $R/session-uefi-keys.serial --firmware uefi --machine q35 --mem 256
