# tests/bench/: make bench.
#
# Kernels padded with a data section of 1 and 8 MiB (loaded bytes: part of a
# PT_LOAD segment), the sizes of the GRUB anchor's kernels: the kernel's
# objects linked once more with the pad. The bench images' boot.cfg has
# cmdline "bench=boot" (the kernel exits QEMU at once) and no video= (GRUB
# is not asked for a mode either). With Debian's grub-pc-bin and
# grub-efi-amd64-bin installed (make bench installs them when run as root)
# the GRUB anchor images are built from ../shared/anchors/grub
# (tests/bench/grub-anchor.sh) and timed in the same run.
#
# Every script prints its figures as rows "bench: NAME ours=N [anchor=N
# ratio=R goal=G met|missed]" (tests/bench/row.sh); its output is kept in
# $(BENCH_DIR)/out/, and make bench ends with every row of every script, in
# one table (tests/bench/table.sh).

BENCH_DIR    := $(BUILD)/bench
BENCH_OUT    := $(BENCH_DIR)/out
BENCH_KERNEL := $(BENCH_DIR)/kernel-8m.elf
BENCH_IMG    := $(BENCH_DIR)/bios-8m.img
BENCH_SMALL  := $(BENCH_DIR)/bios-small.img
# the anchors sit beside the main checkout (../shared), two up from a worktree
GRUB_ANCHOR  ?= $(firstword $(wildcard ../shared/anchors/grub ../../shared/anchors/grub))
BENCH_RUNS   ?= 5
# tests/bench/disk-bench.sh: a disk read through each driver beside Linux's
BENCH_DISK_DRIVERS := ahci virtio-blk nvme ide

.PRECIOUS: $(BENCH_DIR)/pad-%.o $(BENCH_DIR)/kernel-%.elf
$(BENCH_DIR)/pad-%.o:
	@mkdir -p $(@D)
	head -c $$(( $(patsubst %m,%,$*) * 1048576 )) /dev/zero | tr '\0' 'T' > $(BENCH_DIR)/pad-$*.bin
	cd $(BENCH_DIR) && $(LD) -r -b binary -o pad-$*.o pad-$*.bin

$(BENCH_DIR)/kernel-%.elf: $(KERNEL_OBJS) $(KERNEL_LDS) $(KSYMS_ASM:.asm=.o) $(BENCH_DIR)/pad-%.o
	$(LD) $(KERNEL_LDFLAGS) -o $@ $(KERNEL_OBJS) $(KSYMS_ASM:.asm=.o) $(BENCH_DIR)/pad-$*.o

$(BENCH_DIR)/boot.cfg: $(BOOT_CFG)
	@mkdir -p $(@D)
	sed -e 's/^cmdline=.*/cmdline=bench=boot/' -e '/^video=/d' $< > $@

$(BENCH_IMG): disk/mkimage-bios.sh disk/boot-files.sh $(STAGE1_BIN) $(STAGE2_BIN) $(BENCH_KERNEL) $(BENCH_DIR)/boot.cfg
	sh disk/mkimage-bios.sh $@ $(STAGE1_BIN) $(STAGE2_BIN) $(BENCH_KERNEL) $(BENCH_DIR)/boot.cfg

$(BENCH_SMALL): disk/mkimage-bios.sh disk/boot-files.sh $(STAGE1_BIN) $(STAGE2_BIN) $(KERNEL_ELF) $(BENCH_DIR)/boot.cfg
	sh disk/mkimage-bios.sh $@ $(STAGE1_BIN) $(STAGE2_BIN) $(KERNEL_ELF) $(BENCH_DIR)/boot.cfg

# Per firmware: the hybrid with the 8 MiB kernel and the normal command line
# (its timeline is read), and UEFI images with the 1 and 8 MiB kernels that
# exit at once (bench=boot); the UEFI race (uefi-bench.sh) boots copies of
# these with its own kernel, the size of GRUB's.
BENCH_HYBRID  := $(BENCH_DIR)/tessera-8m.img
BENCH_UEFI_1M := $(BENCH_DIR)/uefi-1m.img
BENCH_UEFI_8M := $(BENCH_DIR)/uefi-8m.img

$(BENCH_HYBRID): disk/mkimage-gpt.sh disk/boot-files.sh $(UEFI_EFI) $(STAGE1_BIN) $(STAGE2_BIN) $(BENCH_KERNEL) $(BOOT_CFG)
	sh disk/mkimage-gpt.sh $@ $(BENCH_KERNEL) $(BOOT_CFG) --efi $(UEFI_EFI) --bios $(STAGE1_BIN) $(STAGE2_BIN)

$(BENCH_DIR)/uefi-%.img: disk/mkimage-gpt.sh disk/boot-files.sh $(UEFI_EFI) $(BENCH_DIR)/kernel-%.elf $(BENCH_DIR)/boot.cfg
	sh disk/mkimage-gpt.sh $@ $(BENCH_DIR)/kernel-$*.elf $(BENCH_DIR)/boot.cfg --efi $(UEFI_EFI)

# The start marker of the UEFI race under -icount (uefi-bench.sh), an EFI
# application that starts the loader, built as the loader is
# (bootloader-uefi/build.mk), with gnu-efi's libefi.
BENCH_RACE_START := $(BENCH_DIR)/race-start.efi
$(BENCH_DIR)/race-start.so: tests/bench/race-start.c $(GNUEFI_CRT0) $(GNUEFI_LDS)
	@mkdir -p $(@D)
	$(CC) $(UEFI_CFLAGS) -c $< -o $(BENCH_DIR)/race-start.o
	$(LD) $(UEFI_LDFLAGS) $(GNUEFI_CRT0) $(BENCH_DIR)/race-start.o -o $@ -L$(GNUEFI_LIB) -lefi -lgnuefi

$(BENCH_RACE_START): $(BENCH_DIR)/race-start.so
	$(OBJCOPY) $(UEFI_SECTIONS) --target efi-app-x86_64 --subsystem=10 $< $@

$(BENCH_DIR)/grub/g.img: tests/bench/grub-anchor.sh tests/bench/race-tsc.inc
	@command -v grub-mkimage >/dev/null && [ -d /usr/lib/grub/x86_64-efi ] || [ "$$(id -u)" -ne 0 ] || \
	    apt-get install -y --no-install-recommends grub-pc-bin grub-efi-amd64-bin >/dev/null
	@mkdir -p $(@D)
	cd $(@D) && sh $(abspath tests/bench/grub-anchor.sh) $(abspath $(GRUB_ANCHOR)) >/dev/null 2>&1 || \
	    { echo "bench: GRUB anchor not built (needs grub-pc-bin and grub-efi-amd64-bin)"; rm -f g.img; }

# Memory: the kernel's allocators built for the host, counted by callgrind.
MM_BENCH := $(BENCH_DIR)/mm-bench
$(MM_BENCH): tests/bench/mm-bench.c kernel/mm/pmm.c kernel/mm/slab.c kernel/mm/heap.c $(wildcard kernel/mm/*.h) tests/mm_arena.h
	@mkdir -p $(@D)
	$(CC) -std=c11 -O2 -g -Icommon -Ikernel $(filter %.c,$^) -o $@

# tests/bench/prompt-bench.sh: the images as made (bios.img, uefi.img) from
# the kernel's entry to the first prompt under -icount, and make run's boot
# to the prompt in wall time (issue 17).
# Each script's output goes to the screen and to $(BENCH_OUT)/NAME.txt
# (pipefail: a script that fails fails make bench); the table comes last.
# tests/bench/fs-bench.sh: the file systems on the Linux anchor's kind of disk (fs-disk.sh)
BENCH_FS_DISK := $(BENCH_DIR)/fs-disk.img
$(BENCH_FS_DISK): tests/bench/fs-disk.sh
	@mkdir -p $(@D)
	sh tests/bench/fs-disk.sh $@

bench: SHELL := /bin/bash
bench: .SHELLFLAGS := -o pipefail -c
bench: $(MM_BENCH) $(BIOS_IMG) $(UEFI_IMG) $(BENCH_FS_DISK) $(BENCH_IMG) $(BENCH_SMALL) $(BENCH_HYBRID) $(BENCH_UEFI_1M) $(BENCH_UEFI_8M) \
       $(BENCH_RACE_START) $(if $(GRUB_ANCHOR),$(BENCH_DIR)/grub/g.img)
	@rm -rf $(BENCH_OUT) && mkdir -p $(BENCH_OUT)
	sh tests/bench/boot-bench.sh $(BENCH_IMG) $(BENCH_SMALL) $(BENCH_RUNS) \
	    $(if $(GRUB_ANCHOR),$$(test -f $(BENCH_DIR)/grub/g.img && echo $(BENCH_DIR)/grub)) | tee $(BENCH_OUT)/boot.txt
	@command -v valgrind >/dev/null || [ "$$(id -u)" -ne 0 ] || apt-get install -y --no-install-recommends valgrind >/dev/null
	sh tests/bench/mm-bench.sh $(MM_BENCH) $(BIOS_IMG) | tee $(BENCH_OUT)/mm.txt
	sh tests/bench/kernel-bench.sh $(BIOS_IMG) 3 | tee $(BENCH_OUT)/kernel.txt
	sh tests/bench/term-bench.sh $(BIOS_IMG) 3 | tee $(BENCH_OUT)/term.txt
	sh tests/bench/fs-bench.sh $(BIOS_IMG) $(BENCH_FS_DISK) 1 | tee $(BENCH_OUT)/fs.txt
	sh tests/bench/proc-bench.sh $(BIOS_IMG) 3 | tee $(BENCH_OUT)/proc.txt
	sh tests/bench/abi-bench.sh $(BUILD) $(BENCH_DIR)/abi | tee $(BENCH_OUT)/abi.txt
	sh tests/bench/prompt-bench.sh $(BIOS_IMG) $(UEFI_IMG) 3 | tee $(BENCH_OUT)/prompt.txt
	for d in $(BENCH_DISK_DRIVERS); do \
	    sh tests/bench/disk-bench.sh $(BIOS_IMG) $$d 3 | tee $(BENCH_OUT)/disk-$$d.txt || exit 1; \
	done
	bash tests/bench/uefi-bench.sh $(BENCH_HYBRID) $(BENCH_UEFI_1M) $(BENCH_UEFI_8M) $(BENCH_RUNS) \
	    $(if $(GRUB_ANCHOR),$$(test -f $(BENCH_DIR)/grub/ge1.img && echo $(BENCH_DIR)/grub)) | tee $(BENCH_OUT)/uefi.txt
	@sh tests/bench/table.sh $(BENCH_OUT)
