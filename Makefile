# Tessera: the one entry point.
#
#   make            build the loaders, the kernel and the three images
#   make run        boot build/bios.img in QEMU (SeaBIOS, TCG) to a shell prompt, serial on this terminal
#   make run-uefi   boot build/uefi.img in QEMU (OVMF)
#   make test       install what is missing, build, run every test; ends with "N passed, N failed"
#   make bios-img   build/bios.img: MBR disk, BIOS only
#   make uefi-img   build/uefi.img: GPT disk with an EFI System Partition, UEFI only
#   make img        build/tessera.img: the hybrid, BIOS and UEFI; for dd to a USB stick (README.md)
#   make debug-bios QEMU halted with its gdb stub, and gdb with stage2 and kernel symbols
#   make debug-uefi the same under OVMF, with the UEFI loader's symbols where OVMF put it
#   make walk-bios  gdb stops at every step of the BIOS boot and the kernel's start (WALK=auto: no pauses)
#   make walk-uefi  the same for the UEFI boot (docs/walk.md)
#   make walk-tables the step tables in docs/ from docs/walk/steps.txt
#   make bench      benchmarks (loader read calls, boot time)
#   make chart      boot each image and draw where its time goes (build/ and docs/boot-chart-*.svg)
#   make screens    pictures of the screen at chosen moments of both boots (build/screens/, docs/screens/)
#   make mutants    each feature of tests/mutants.list switched off in a kernel of its own: its tests must fail
#   make decode LOG=f  a kernel panic report with the source line of every frame
#   make pagetables-bios  the page-table trees of a real BIOS boot, dumped by gdb (docs/paging.md)
#   make deps       check the Debian packages; install the missing ones when root
#   make clean      remove build/
#
# Each part keeps its own rules in a build.mk beside its sources; this file
# holds what they share: tools, flags and the top-level targets. Everything
# built goes under build/.

BUILD   := build
GEN     := $(BUILD)/gen

CC      := gcc
LD      := ld
NASM    := nasm
OBJCOPY := objcopy
OBJDUMP := objdump
NM      := nm
QEMU    := qemu-system-x86_64

# Warnings are errors everywhere.
WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes

# The kernel: freestanding, higher half (-mcmodel=kernel), no red zone (interrupts
# push onto the current stack), no SIMD (its registers are not saved on kernel
# entry), frame pointers kept for backtraces. -nostdinc: only the compiler's
# freestanding headers and kernel/include/ (the kernel's own <string.h>).
KCFLAGS := -std=c11 -O2 -g $(WARN) -ffreestanding -fno-builtin -nostdlib \
           -fno-stack-protector -fno-pic -fno-pie -fno-asynchronous-unwind-tables \
           -mcmodel=kernel -mno-red-zone -mno-mmx -mno-sse -mno-sse2 -mno-avx \
           -mgeneral-regs-only -fno-omit-frame-pointer -mno-omit-leaf-frame-pointer \
           -nostdinc -isystem $(shell $(CC) -print-file-name=include) -Ikernel/include \
           -Icommon -Ikernel -Idrivers -I$(GEN) -MMD -MP

# make mutants builds kernels with MUTANT=NAME: kernel/mutant.h's MUTANT_ENABLED(NAME) is 1 there.
ifneq ($(MUTANT),)
KCFLAGS += -DMUTANT_$(MUTANT)=1
endif

# Host builds of shared code (tests, tools): sanitizers on.
HOSTCFLAGS := -std=c11 -O1 -g $(WARN) -fsanitize=address,undefined \
              -fno-sanitize-recover=all -fno-omit-frame-pointer \
              -Icommon -Ikernel -Idrivers -I$(GEN) -MMD -MP

# A window when there is a display, otherwise serial only.
QEMU_DISPLAY ?= $(if $(DISPLAY),,-display none)


.PHONY: all run run-uefi test test-host test-build bios-img uefi-img img debug-bios debug-uefi walk-bios walk-uefi walk-tables bench chart screens decode deps clean mutants
all: bios-img uefi-img img

# OVMF, Debian's UEFI firmware for QEMU: the code read-only, the variable
# store copied to build/ (the firmware writes to it).
OVMF_CODE := /usr/share/OVMF/OVMF_CODE_4M.fd
OVMF_VARS := $(BUILD)/OVMF_VARS.fd

include common/build.mk
include bootloader-bios/build.mk
-include bootloader-uefi/build.mk
include kernel/build.mk
include user/tsh/build.mk
include user/init/build.mk
include user/tools/build.mk
include disk/build.mk
include tests/build.mk
include tests/bench/build.mk
include tests/chart/build.mk

bios-img: $(BIOS_IMG)
uefi-img: $(UEFI_IMG)
img: $(HYBRID_IMG)

$(OVMF_VARS): /usr/share/OVMF/OVMF_VARS_4M.fd | $(BUILD)
	cp $< $@

# Boot the image to a shell prompt (docs/userland.md); the guest's COM1 is this
# terminal (Ctrl-A X leaves QEMU, poweroff in the guest too).
run: $(BIOS_IMG)
	$(QEMU) -accel tcg -machine pc -m 256 -nic none -no-reboot \
	    -drive format=raw,file=$(BIOS_IMG) -serial mon:stdio \
	    -device isa-debug-exit,iobase=0xf4,iosize=0x04 $(QEMU_DISPLAY)

run-uefi: $(UEFI_IMG) $(OVMF_VARS)
	$(QEMU) -accel tcg -machine q35 -m 256 -nic none -no-reboot \
	    -drive if=pflash,format=raw,readonly=on,file=$(OVMF_CODE) \
	    -drive if=pflash,format=raw,file=$(OVMF_VARS) \
	    -drive format=raw,file=$(UEFI_IMG) -serial mon:stdio \
	    -device isa-debug-exit,iobase=0xf4,iosize=0x04 $(QEMU_DISPLAY)

# QEMU halted with its gdb stub on :1234, then gdb with the script below.
debug-bios: $(BIOS_IMG) $(BUILD)/debug-bios.gdb $(BUILD)/debug-bios-setup.gdb
	QEMU_DISPLAY='$(QEMU_DISPLAY)' sh tests/qemu/debug-bios.sh $(BIOS_IMG) $(BUILD)/debug-bios.gdb

$(BUILD)/debug-%.gdb: tests/debug-%.gdb.in | $(BUILD)
	sed -e 's|@BUILD@|$(abspath $(BUILD))|g' $< > $@

# Under OVMF the firmware chooses where the loader lands, so gdb comes second:
# the script boots a copy whose /boot/debug-uefi makes the loader wait after
# printing its image base, then starts gdb with the loader's symbols there.
debug-uefi: $(UEFI_IMG) $(OVMF_VARS) $(BUILD)/debug-uefi.gdb $(BUILD)/debug-uefi-setup.gdb $(UEFI_SO) $(KERNEL_ELF)
	QEMU_DISPLAY='$(QEMU_DISPLAY)' sh tests/qemu/debug-uefi.sh $(UEFI_IMG) $(OVMF_CODE) $(OVMF_VARS) $(BUILD)/debug-uefi.gdb

# The walk: gdb stops at every step of docs/walk/steps.txt, in order, and
# shows the mode, the control registers and what the step changed
# (docs/walk.md). WALK=auto runs through without waiting for Enter.
WALK_DOCS := docs/walk/steps.txt docs/boot-bios.md docs/boot-uefi.md docs/walk.md
WALK_DEPS := tests/walk/walk.sh tests/walk/walk.py docs/walk/steps.txt
walk-bios: $(BIOS_IMG) $(BUILD)/debug-bios-setup.gdb $(WALK_DEPS)
	WALK='$(WALK)' QEMU_DISPLAY='$(QEMU_DISPLAY)' sh tests/walk/walk.sh bios $(BUILD)
walk-uefi: $(UEFI_IMG) $(BUILD)/debug-uefi-setup.gdb $(UEFI_SO) $(KERNEL_ELF) $(WALK_DEPS)
	WALK='$(WALK)' QEMU_DISPLAY='$(QEMU_DISPLAY)' sh tests/walk/walk.sh uefi $(BUILD)

# Pictures of the screen at the moments of tests/screens/moments.txt (a step
# of the walk's list, then gdb commands): QEMU's screendump as PNG in
# build/screens/, each checked against the boot's serial log, then copied
# to docs/screens/ (docs/screens.md).
screens: $(BIOS_IMG) $(UEFI_IMG) $(BUILD)/debug-bios-setup.gdb $(BUILD)/debug-uefi-setup.gdb $(UEFI_SO) $(KERNEL_ELF) $(WALK_DEPS)
	sh tests/screens/screens.sh $(BUILD) $(BUILD)/screens docs/screens

# The step tables in docs/boot-bios.md, docs/boot-uefi.md and docs/walk.md,
# made from docs/walk/steps.txt (make test checks they are up to date).
walk-tables:
	python3 tests/walk/tables.py $(WALK_DOCS)

# A panic report (serial log or a file with the lines from the screen) with
# the source line under every backtrace frame: make decode LOG=file
decode: $(KERNEL_ELF)
	@sh kernel/decode-backtrace.sh $(KERNEL_ELF) $(or $(LOG),-)

# Each feature of tests/mutants.list switched off in a kernel of its own
# (build/mutant-NAME/): its tests must fail. M="aging slice" runs only those.
mutants: $(BIOS_IMG) $(UEFI_IMG)
	sh tests/mutants.sh $(M)

# The page-table trees of a real boot (stage2's at the kernel's entry, the
# kernel's own after vmm_init), dumped by docs/walk/pagetables.py in gdb.
.PHONY: pagetables-bios
pagetables-bios: $(BIOS_IMG) docs/walk/pagetables.py docs/walk/pagetables-bios.sh
	MEM=$(MEM) sh docs/walk/pagetables-bios.sh $(BIOS_IMG) $(BUILD) $(BUILD)/pagetables-bios.txt

deps:
	@sh tests/deps.sh

clean:
	rm -rf $(BUILD)

$(BUILD) $(GEN):
	mkdir -p $@
