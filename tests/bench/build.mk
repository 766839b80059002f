# tests/bench/: make bench.
#
# The BIOS boot benchmark needs a kernel padded to 8 MiB (the GRUB anchor's size):
# the kernel's objects linked once more with 8 MiB of data, on an image whose
# cmdline is "bench=boot". With Debian's grub-pc-bin installed (make bench
# installs it when run as root) the GRUB anchor images are built from
# ../shared/anchors/grub and timed in the same run.

BENCH_DIR    := $(BUILD)/bench
BENCH_KERNEL := $(BENCH_DIR)/kernel-8m.elf
BENCH_IMG    := $(BENCH_DIR)/bios-8m.img
BENCH_SMALL  := $(BENCH_DIR)/bios-small.img
GRUB_ANCHOR  ?= $(wildcard ../shared/anchors/grub)
BENCH_RUNS   ?= 5

$(BENCH_DIR)/pad.o:
	@mkdir -p $(@D)
	head -c 8388608 /dev/zero | tr '\0' 'T' > $(BENCH_DIR)/pad.bin
	cd $(BENCH_DIR) && $(LD) -r -b binary -o pad.o pad.bin

$(BENCH_KERNEL): $(KERNEL_OBJS) $(KERNEL_LDS) $(KSYMS_ASM:.asm=.o) $(BENCH_DIR)/pad.o
	$(LD) $(KERNEL_LDFLAGS) -o $@ $(KERNEL_OBJS) $(KSYMS_ASM:.asm=.o) $(BENCH_DIR)/pad.o

$(BENCH_DIR)/boot.cfg: $(BOOT_CFG)
	@mkdir -p $(@D)
	sed 's/^cmdline=.*/cmdline=bench=boot/' $< > $@

$(BENCH_IMG): disk/mkimage-bios.sh disk/boot-files.sh $(STAGE1_BIN) $(STAGE2_BIN) $(BENCH_KERNEL) $(BENCH_DIR)/boot.cfg
	sh disk/mkimage-bios.sh $@ $(STAGE1_BIN) $(STAGE2_BIN) $(BENCH_KERNEL) $(BENCH_DIR)/boot.cfg

$(BENCH_SMALL): disk/mkimage-bios.sh disk/boot-files.sh $(STAGE1_BIN) $(STAGE2_BIN) $(KERNEL_ELF) $(BENCH_DIR)/boot.cfg
	sh disk/mkimage-bios.sh $@ $(STAGE1_BIN) $(STAGE2_BIN) $(KERNEL_ELF) $(BENCH_DIR)/boot.cfg

# Per firmware: the hybrid with the 8 MiB kernel and the normal command line
# (its timeline is read), and UEFI images that exit at once (bench=boot).
BENCH_HYBRID     := $(BENCH_DIR)/tessera-8m.img
BENCH_UEFI       := $(BENCH_DIR)/uefi-8m.img
BENCH_UEFI_SMALL := $(BENCH_DIR)/uefi-small.img

$(BENCH_HYBRID): disk/mkimage-gpt.sh disk/boot-files.sh $(UEFI_EFI) $(STAGE1_BIN) $(STAGE2_BIN) $(BENCH_KERNEL) $(BOOT_CFG)
	sh disk/mkimage-gpt.sh $@ $(BENCH_KERNEL) $(BOOT_CFG) --efi $(UEFI_EFI) --bios $(STAGE1_BIN) $(STAGE2_BIN)

$(BENCH_UEFI): disk/mkimage-gpt.sh disk/boot-files.sh $(UEFI_EFI) $(BENCH_KERNEL) $(BENCH_DIR)/boot.cfg
	sh disk/mkimage-gpt.sh $@ $(BENCH_KERNEL) $(BENCH_DIR)/boot.cfg --efi $(UEFI_EFI)

$(BENCH_UEFI_SMALL): disk/mkimage-gpt.sh disk/boot-files.sh $(UEFI_EFI) $(KERNEL_ELF) $(BENCH_DIR)/boot.cfg
	sh disk/mkimage-gpt.sh $@ $(KERNEL_ELF) $(BENCH_DIR)/boot.cfg --efi $(UEFI_EFI)

$(BENCH_DIR)/grub/g.img:
	@command -v grub-mkimage >/dev/null && [ -d /usr/lib/grub/x86_64-efi ] || [ "$$(id -u)" -ne 0 ] || \
	    apt-get install -y --no-install-recommends grub-pc-bin grub-efi-amd64-bin >/dev/null
	@mkdir -p $(@D)
	cd $(@D) && sh $(abspath $(GRUB_ANCHOR))/make-images.sh >/dev/null 2>&1 || \
	    { echo "bench: GRUB anchor not built (needs grub-pc-bin and grub-efi-amd64-bin)"; rm -f g.img; }

# Memory: the kernel's allocators built for the host, counted by callgrind.
MM_BENCH := $(BENCH_DIR)/mm-bench
$(MM_BENCH): tests/bench/mm-bench.c kernel/mm/pmm.c kernel/mm/slab.c kernel/mm/heap.c $(wildcard kernel/mm/*.h) tests/mm_arena.h
	@mkdir -p $(@D)
	$(CC) -std=c11 -O2 -g -Icommon -Ikernel $(filter %.c,$^) -o $@

bench: $(MM_BENCH) $(BIOS_IMG) $(BENCH_IMG) $(BENCH_SMALL) $(BENCH_HYBRID) $(BENCH_UEFI) $(BENCH_UEFI_SMALL) \
       $(if $(GRUB_ANCHOR),$(BENCH_DIR)/grub/g.img)
	sh tests/bench/boot-bench.sh $(BENCH_IMG) $(BENCH_SMALL) $(BENCH_RUNS) \
	    $(if $(GRUB_ANCHOR),$$(test -f $(BENCH_DIR)/grub/g.img && echo $(BENCH_DIR)/grub))
	@command -v valgrind >/dev/null || [ "$$(id -u)" -ne 0 ] || apt-get install -y --no-install-recommends valgrind >/dev/null
	sh tests/bench/mm-bench.sh $(MM_BENCH) $(BIOS_IMG)
	sh tests/bench/kernel-bench.sh $(BIOS_IMG) 3
	bash tests/bench/uefi-bench.sh $(BENCH_HYBRID) $(BENCH_UEFI) $(BENCH_UEFI_SMALL) $(BENCH_RUNS) \
	    $(if $(GRUB_ANCHOR),$$(test -f $(BENCH_DIR)/grub/ge.img && echo $(BENCH_DIR)/grub))
