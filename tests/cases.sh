# cases.sh - the test cases tests/run.sh runs besides the host unit tests.
# Sourced by run.sh: add_case NAME COMMAND (COMMAND is parsed by xargs: quote
# with '...'). Names are GROUP/CASE; logs go to build/test-results/.
B=${BUILD:-build}
R=${RESULTS:-$B/test-results}

# The images themselves: partition table, boot signature, file system.
add_case image/bios-fat32 sh tests/image-check.sh $B/bios.img 32
add_case image/bios-fat16 sh tests/image-check.sh $B/bios-fat16.img 16

# The boot matrix (SeaBIOS): chipset and disk controller, memory, CPUs.
# Each cell boots with cmdline "test": the kernel runs its self tests.
add_case boot/pc-ide-128m-1cpu   sh tests/qemu/ktest.sh $B/bios.img $R/pc-ide-128m-1cpu.serial --machine pc --disk ide --mem 128 --smp 1
add_case boot/pc-ide-4g-4cpu     sh tests/qemu/ktest.sh $B/bios.img $R/pc-ide-4g-4cpu.serial --machine pc --disk ide --mem 4096 --smp 4
add_case boot/q35-ahci-128m-4cpu sh tests/qemu/ktest.sh $B/bios.img $R/q35-ahci-128m-4cpu.serial --machine q35 --disk ahci --mem 128 --smp 4
add_case boot/q35-ahci-4g-1cpu   sh tests/qemu/ktest.sh $B/bios.img $R/q35-ahci-4g-1cpu.serial --machine q35 --disk ahci --mem 4096 --smp 1
add_case boot/pc-usb-128m-1cpu   sh tests/qemu/ktest.sh $B/bios.img $R/pc-usb-128m-1cpu.serial --machine pc --disk usb --mem 128 --smp 1
add_case boot/q35-usb-4g-4cpu    sh tests/qemu/ktest.sh $B/bios.img $R/q35-usb-4g-4cpu.serial --machine q35 --disk usb --mem 4096 --smp 4
add_case boot/fat16-pc-ide       sh tests/qemu/ktest.sh $B/bios-fat16.img $R/fat16-pc-ide.serial --machine pc --disk ide
# module= files, a CRLF boot.cfg, an unknown key reported and skipped, a second video mode.
add_case boot/modules-crlf sh tests/qemu/ktest.sh $B/bios-modules.img $R/modules-crlf.serial --as-is \
    --log-has "'^stage2: config: .*colour'" --log-has "'fb=800x600x32'" --log-has "'^ktest: PASS modules_loaded'"

# Bad input: each stops in the loader with a message naming the step.
for c in missing-kernel truncated-kernel not-elf missing-cfg no-fat bad-bpb; do
    add_case bad/$c sh tests/qemu/bad-input.sh $c $B/bios.img $R/bad-$c
done

# Fuzz the parsers of outside data for a short while each.
for f in bootcfg elf64 memmap acpi; do
    add_case fuzz/$f sh tests/fuzz/run.sh $f ${FUZZ_SECONDS:-10}
done

# make debug-bios: its gdb script stops at stage1, stage2_entry and _start.
add_case debug/bios-gdb sh tests/qemu/debug-check.sh $B/bios.img $B/debug-bios.gdb $R/debug-bios-gdb.out
