# tests/: host unit tests, test images, and the test target.
#
# Every tests/host/test_NAME.c becomes build/tests/host/test_NAME, linked with
# all of common/ (the freestanding code the loaders and kernel share), under
# ASan and UBSan, with cmocka.

HOST_TESTS := $(patsubst tests/host/%.c,$(BUILD)/tests/host/%,$(wildcard tests/host/test_*.c))

$(BUILD)/tests/host/%: tests/host/%.c $(COMMON_SRCS) $(BOOTINFO_INC)
	@mkdir -p $(@D)
	$(CC) $(HOSTCFLAGS) $< $(COMMON_SRCS) $(HOST_LINK_$*) -lcmocka -o $@

# Driver code that also runs on the host: a test names what it links.
ACPI_SRCS := $(filter-out %_kernel.c,$(wildcard drivers/acpi/*.c))   # the parsers, not the kernel glue
HOST_LINK_test_acpi := $(ACPI_SRCS)
$(BUILD)/tests/host/test_acpi: $(ACPI_SRCS) $(wildcard drivers/acpi/*.h)
TERM_SRCS := kernel/term/vtemu.c kernel/term/vtscreen.c kernel/term/vtscript.c
HOST_LINK_test_term := $(TERM_SRCS)
$(BUILD)/tests/host/test_term: $(TERM_SRCS) $(wildcard kernel/term/*.h)
HOST_LINK_test_madt := $(ACPI_SRCS) drivers/apic/irq_route.c
$(BUILD)/tests/host/test_madt: $(HOST_LINK_test_madt) $(wildcard drivers/acpi/*.h) drivers/apic/irq_route.h
HOST_LINK_test_pmm := kernel/mm/pmm.c
$(BUILD)/tests/host/test_pmm: kernel/mm/pmm.c kernel/mm/pmm.h
HOST_LINK_test_nvme_prp := drivers/nvme/nvme_prp.c
$(BUILD)/tests/host/test_nvme_prp: drivers/nvme/nvme_prp.c drivers/nvme/nvme_prp.h drivers/nvme/nvme_spec.h
HOST_LINK_test_heap := kernel/mm/pmm.c kernel/mm/slab.c kernel/mm/heap.c
$(BUILD)/tests/host/test_heap: $(HOST_LINK_test_heap) $(wildcard kernel/mm/*.h) tests/mm_arena.h
PARTITION_SRCS := drivers/block/partition.c drivers/block/crc32.c
HOST_LINK_test_partition := $(PARTITION_SRCS)
$(BUILD)/tests/host/test_partition: $(PARTITION_SRCS) drivers/block/partition.h drivers/block/crc32.h
INPUT_PURE_SRCS := drivers/input/scancode.c drivers/input/kbdstate.c drivers/input/keynames.c
HOST_LINK_test_scancode := $(INPUT_PURE_SRCS)
$(BUILD)/tests/host/test_scancode: $(INPUT_PURE_SRCS) $(wildcard drivers/input/*.h)
HOST_LINK_test_keymap := drivers/input/keymap.c drivers/input/keymap_us.c drivers/input/keymap_de.c
$(BUILD)/tests/host/test_keymap: $(HOST_LINK_test_keymap) $(wildcard drivers/input/*.h)
HOST_LINK_test_mousepacket := drivers/input/mousepacket.c
$(BUILD)/tests/host/test_mousepacket: drivers/input/mousepacket.c $(wildcard drivers/input/*.h)
TTY_LDISC_SRCS := kernel/tty/termios.c kernel/tty/ldisc.c kernel/tty/ldisc_read.c kernel/tty/ldisc_output.c
HOST_LINK_test_tty_ldisc := $(TTY_LDISC_SRCS)
$(BUILD)/tests/host/test_tty_ldisc: $(TTY_LDISC_SRCS) $(wildcard kernel/tty/*.h) kernel/mutant.h
HOST_LINK_test_ata_identify := drivers/ata/ata_identify.c
$(BUILD)/tests/host/test_ata_identify: drivers/ata/ata_identify.c drivers/ata/ata_identify.h drivers/ata/ata.h
HOST_LINK_test_lineedit := kernel/monitor/lineedit.c
$(BUILD)/tests/host/test_lineedit: kernel/monitor/lineedit.c kernel/monitor/lineedit.h

# The same content on a FAT16 partition: stage2 must read both FAT types.
BIOS_FAT16_IMG := $(BUILD)/bios-fat16.img
$(BIOS_FAT16_IMG): disk/mkimage-bios.sh disk/boot-files.sh $(STAGE1_BIN) $(STAGE2_BIN) $(KERNEL_ELF) $(BOOT_CFG)
	sh disk/mkimage-bios.sh $@ $(STAGE1_BIN) $(STAGE2_BIN) $(KERNEL_ELF) $(BOOT_CFG) --fat 16

# libFuzzer targets (clang), one per parser of outside data. make test runs
# each for FUZZ_SECONDS from the corpus in tests/fuzz/corpus/.
FUZZ_CFLAGS := -std=c11 -g -O1 -Wall -Wextra -Werror -fsanitize=fuzzer,address,undefined \
               -Icommon -I$(GEN)
FUZZ_TARGETS := $(patsubst tests/fuzz/fuzz_%.c,$(BUILD)/fuzz/fuzz_%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_SECONDS ?= 10

$(BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c common/%.c $(wildcard common/*.h)
	@mkdir -p $(@D)
	clang $(FUZZ_CFLAGS) $< common/$*.c -o $@

$(BUILD)/fuzz/fuzz_acpi: tests/fuzz/fuzz_acpi.c $(ACPI_SRCS) $(wildcard drivers/acpi/*.h)
	@mkdir -p $(@D)
	clang $(FUZZ_CFLAGS) -DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION -Idrivers $< $(ACPI_SRCS) -o $@

$(BUILD)/fuzz/fuzz_partition: tests/fuzz/fuzz_partition.c $(PARTITION_SRCS) common/format.c drivers/block/partition.h
	@mkdir -p $(@D)
	clang $(FUZZ_CFLAGS) -Idrivers $< $(PARTITION_SRCS) common/format.c -o $@


# An image with module= files and a CRLF boot.cfg with an unknown key.
MODULES_IMG := $(BUILD)/bios-modules.img
TEST_MODULE := $(BUILD)/tests/ktestmod.txt
$(TEST_MODULE):
	@mkdir -p $(@D)
	seq -f 'tessera module test, line %05g' 0 3199 > $@
$(BUILD)/tests/modules.cfg: tests/qemu/modules.cfg
	@mkdir -p $(@D)
	sed 's/$$/\r/' $< > $@
$(MODULES_IMG): disk/mkimage-bios.sh disk/boot-files.sh $(STAGE1_BIN) $(STAGE2_BIN) $(KERNEL_ELF) $(BUILD)/tests/modules.cfg $(TEST_MODULE)
	sh disk/mkimage-bios.sh $@ $(STAGE1_BIN) $(STAGE2_BIN) $(KERNEL_ELF) $(BUILD)/tests/modules.cfg \
	    --module $(TEST_MODULE)=/boot/ktestmod.txt

# The same module test on a GPT disk, for the UEFI loader.
UEFI_MODULES_IMG := $(BUILD)/uefi-modules.img
$(UEFI_MODULES_IMG): disk/mkimage-gpt.sh disk/boot-files.sh $(UEFI_EFI) $(KERNEL_ELF) $(BUILD)/tests/modules.cfg $(TEST_MODULE)
	sh disk/mkimage-gpt.sh $@ $(KERNEL_ELF) $(BUILD)/tests/modules.cfg --efi $(UEFI_EFI) \
	    --module $(TEST_MODULE)=/boot/ktestmod.txt

# Modules a real user may give: an empty file and a large one (40 MiB, on a
# machine of 64 MiB under SeaBIOS and 128 MiB under OVMF): the loaders must
# load both, the ktests must pass beside them (tests/cases.sh, "Self tests on
# any PC"). The images are 128 MiB to hold the large file.
EDGE_CFG := $(BUILD)/tests/modules-edge.cfg
EDGE_EMPTY := $(BUILD)/tests/empty.bin
EDGE_BIG := $(BUILD)/tests/big.bin
$(EDGE_CFG):
	@mkdir -p $(@D)
	printf 'cmdline=test\nmodule=/boot/empty.bin\nmodule=/boot/big.bin\n' > $@
$(EDGE_EMPTY):
	@mkdir -p $(@D)
	: > $@
$(EDGE_BIG):
	@mkdir -p $(@D)
	head -c 41943040 /dev/urandom > $@
EDGE_DEPS := $(EDGE_CFG) $(EDGE_EMPTY) $(EDGE_BIG)
EDGE_MODULES := --module $(EDGE_EMPTY)=/boot/empty.bin --module $(EDGE_BIG)=/boot/big.bin
BIOS_EDGE_IMG := $(BUILD)/bios-modules-edge.img
$(BIOS_EDGE_IMG): disk/mkimage-bios.sh disk/boot-files.sh $(STAGE1_BIN) $(STAGE2_BIN) $(KERNEL_ELF) $(EDGE_DEPS)
	sh disk/mkimage-bios.sh $@ $(STAGE1_BIN) $(STAGE2_BIN) $(KERNEL_ELF) $(EDGE_CFG) --size 128 $(EDGE_MODULES)
UEFI_EDGE_IMG := $(BUILD)/uefi-modules-edge.img
$(UEFI_EDGE_IMG): disk/mkimage-gpt.sh disk/boot-files.sh $(UEFI_EFI) $(KERNEL_ELF) $(EDGE_DEPS)
	sh disk/mkimage-gpt.sh $@ $(KERNEL_ELF) $(EDGE_CFG) --efi $(UEFI_EFI) --size 128 $(EDGE_MODULES)

# RAM disks from boot modules (drivers/block/storage.c: a module whose name
# ends in .img is a disk): an MBR disk with an extended partition, a GPT
# disk (both random bytes under their tables, so a read-back CRC means
# something), a scratch disk (block 0 "TESSERA-SCRATCH", the rest zero) and
# the GPT disk again with a byte of its primary header flipped (the backup
# must be used), on a BIOS and a UEFI image (tests/qemu/blk-ramdisk.sh).
BLK_DIR := $(BUILD)/tests/blk
BLK_CFG := $(BLK_DIR)/blk-modules.cfg
BLK_MBR := $(BLK_DIR)/disk-mbr.img
BLK_GPT := $(BLK_DIR)/disk-gpt.img
BLK_SCRATCH := $(BLK_DIR)/scratch.img
BLK_GPT_BAD := $(BLK_DIR)/gpt-bad.img
$(BLK_CFG): tests/build.mk
	@mkdir -p $(@D)
	printf 'cmdline=test\nvideo=1024x768x32\nmodule=/boot/disk-mbr.img\nmodule=/boot/disk-gpt.img\nmodule=/boot/scratch.img\nmodule=/boot/gpt-bad.img\n' > $@
$(BLK_MBR): tests/build.mk
	@mkdir -p $(@D)
	head -c 4194304 /dev/urandom > $@.tmp
	printf 'label: dos\nstart=2048, size=2048, type=83\nstart=4096, size=4096, type=5\nstart=4160, size=1024, type=c\nstart=5248, size=2048, type=83\n' | sfdisk -q $@.tmp
	mv $@.tmp $@
$(BLK_GPT): tests/build.mk
	@mkdir -p $(@D)
	head -c 4194304 /dev/urandom > $@.tmp
	sgdisk -o -n 1:2048:+1M -t 1:ef00 -n 3:0:+1M -t 3:8300 $@.tmp >/dev/null
	mv $@.tmp $@
$(BLK_SCRATCH): tests/build.mk
	@mkdir -p $(@D)
	head -c 262144 /dev/zero > $@.tmp
	printf 'TESSERA-SCRATCH' | dd of=$@.tmp conv=notrunc status=none
	mv $@.tmp $@
$(BLK_GPT_BAD): $(BLK_GPT)
	python3 -c 'import sys; d = bytearray(open(sys.argv[1], "rb").read()); d[512 + 60] ^= 0xFF; open(sys.argv[2], "wb").write(d)' $< $@
BLK_DEPS := $(BLK_CFG) $(BLK_MBR) $(BLK_GPT) $(BLK_SCRATCH) $(BLK_GPT_BAD)
BLK_MODULES := --module $(BLK_MBR)=/boot/disk-mbr.img --module $(BLK_GPT)=/boot/disk-gpt.img \
               --module $(BLK_SCRATCH)=/boot/scratch.img --module $(BLK_GPT_BAD)=/boot/gpt-bad.img
BIOS_BLK_IMG := $(BUILD)/bios-blk.img
$(BIOS_BLK_IMG): disk/mkimage-bios.sh disk/boot-files.sh $(STAGE1_BIN) $(STAGE2_BIN) $(KERNEL_ELF) $(BLK_DEPS)
	sh disk/mkimage-bios.sh $@ $(STAGE1_BIN) $(STAGE2_BIN) $(KERNEL_ELF) $(BLK_CFG) $(BLK_MODULES)
UEFI_BLK_IMG := $(BUILD)/uefi-blk.img
$(UEFI_BLK_IMG): disk/mkimage-gpt.sh disk/boot-files.sh $(UEFI_EFI) $(KERNEL_ELF) $(BLK_DEPS)
	sh disk/mkimage-gpt.sh $@ $(KERNEL_ELF) $(BLK_CFG) --efi $(UEFI_EFI) $(BLK_MODULES)

TEST_DEPS := $(BIOS_BLK_IMG) $(UEFI_BLK_IMG) $(BUILD)/debug-bios.gdb $(BUILD)/debug-uefi.gdb $(BUILD)/debug-bios-setup.gdb $(BUILD)/debug-uefi-setup.gdb $(UEFI_SO) $(UEFI_IMG) $(HYBRID_IMG) \
             $(UEFI_MODULES_IMG) $(BIOS_EDGE_IMG) $(UEFI_EDGE_IMG) $(HOST_TESTS) $(FUZZ_TARGETS) $(BIOS_IMG) $(BIOS_FAT16_IMG) $(MODULES_IMG)

test-build: $(TEST_DEPS)
test-host: $(HOST_TESTS)
	sh tests/run.sh host/

# make test: install what is missing, build, run everything.
test:
	@sh tests/deps.sh
	$(MAKE) --no-print-directory test-build
	sh tests/run.sh $(T)


# Processes (issue 16, docs/processes.md): the programs of tests/user/, built
# with musl-gcc -static (hellopie with gcc -static-pie: glibc's static-pie,
# an ET_DYN loaded at a bias), given to the kernel as boot modules named
# /boot/NAME (kernel/proc/exec_file.c reads a module when the VFS has no
# such file); each case sets cmdline= to "init=/boot/NAME initexit".
# Module names stay 8.3: the BIOS loader reads short names only.
USER_PROGS := hello args brkmmap efault segv files
USER_BINS := $(patsubst %,$(BUILD)/user/%,$(USER_PROGS)) $(BUILD)/user/hellopie
$(BUILD)/user/%: tests/user/%.c
	@mkdir -p $(@D)
	musl-gcc -static -O2 -Wall -Werror -o $@ $<
$(BUILD)/user/hellopie: tests/user/hello.c
	@mkdir -p $(@D)
	gcc -static-pie -O2 -Wall -Werror -o $@ $<
PROC_CFG := $(BUILD)/tests/proc.cfg
$(PROC_CFG): tests/build.mk
	@mkdir -p $(@D)
	printf 'cmdline=initexit\n' > $@
	for b in $(notdir $(USER_BINS)); do printf 'module=/boot/%s\n' $$b >> $@; done
PROC_MODULES = $(foreach b,$(USER_BINS),--module $(b)=/boot/$(notdir $(b)))
BIOS_PROC_IMG := $(BUILD)/bios-proc.img
$(BIOS_PROC_IMG): disk/mkimage-bios.sh disk/boot-files.sh $(STAGE1_BIN) $(STAGE2_BIN) $(KERNEL_ELF) $(PROC_CFG) $(USER_BINS)
	sh disk/mkimage-bios.sh $@ $(STAGE1_BIN) $(STAGE2_BIN) $(KERNEL_ELF) $(PROC_CFG) $(PROC_MODULES)
UEFI_PROC_IMG := $(BUILD)/uefi-proc.img
$(UEFI_PROC_IMG): disk/mkimage-gpt.sh disk/boot-files.sh $(UEFI_EFI) $(KERNEL_ELF) $(PROC_CFG) $(USER_BINS)
	sh disk/mkimage-gpt.sh $@ $(KERNEL_ELF) $(PROC_CFG) --efi $(UEFI_EFI) $(PROC_MODULES)
test-build: $(BIOS_PROC_IMG) $(UEFI_PROC_IMG)
