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
# The write workload over a shim of the VFS on the host's file system; zlib checks its CRCs.
HOST_LINK_test_fsstress := kernel/fs/fsstress.c drivers/block/crc32.c -lz
$(BUILD)/tests/host/test_fsstress: kernel/fs/fsstress.c kernel/fs/fsstress.h kernel/fs/vfs.h drivers/block/crc32.c
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
HOST_LINK_test_psf := drivers/fb/psf.c -DFONT_PATH='"$(KERNEL_FONT)"'
$(BUILD)/tests/host/test_psf: drivers/fb/psf.c drivers/fb/psf.h $(KERNEL_FONT)
HOST_LINK_test_lineedit := kernel/monitor/lineedit.c
$(BUILD)/tests/host/test_lineedit: kernel/monitor/lineedit.c kernel/monitor/lineedit.h
# FAT: the on-disk core (not the VFS glue) over the host's fs_io; the tests run mkfs.fat, mtools, fsck.fat.
FAT_SRCS := $(filter-out %/fat_vfs.c,$(wildcard kernel/fs/fat/*.c))
HOST_LINK_test_fat := $(FAT_SRCS) tests/host/fsio_file.c
$(BUILD)/tests/host/test_fat: $(FAT_SRCS) $(wildcard kernel/fs/fat/*.h) tests/host/fsio_file.c tests/host/fsio_file.h tests/host/fat_host.h kernel/fs/fsio.h
HOST_LINK_test_fat_edge := $(FAT_SRCS) tests/host/fsio_file.c
$(BUILD)/tests/host/test_fat_edge: $(FAT_SRCS) $(wildcard kernel/fs/fat/*.h) tests/host/fsio_file.c tests/host/fsio_file.h tests/host/fat_host.h kernel/fs/fsio.h
HOST_LINK_test_fat_crash := $(FAT_SRCS) tests/host/fsio_file.c
$(BUILD)/tests/host/test_fat_crash: $(FAT_SRCS) $(wildcard kernel/fs/fat/*.h) tests/host/fsio_file.c tests/host/fsio_file.h tests/host/fat_host.h kernel/fs/fsio.h
# ext2: the on-disk core (not its VFS glue) over the host's fs_io, images made by mke2fs.
EXT2_SRCS := $(filter-out %/ext2_vfs.c,$(wildcard kernel/fs/ext2/*.c))
EXT2_HOST_SRCS := $(EXT2_SRCS) tests/host/fsio_file.c tests/host/ext2_host.c
EXT2_HOST_DEPS := $(EXT2_HOST_SRCS) $(wildcard kernel/fs/ext2/*.h) kernel/fs/fsio.h \
                  tests/host/fsio_file.h tests/host/ext2_host.h
HOST_LINK_test_ext2 := $(EXT2_HOST_SRCS)
$(BUILD)/tests/host/test_ext2: $(EXT2_HOST_DEPS)
HOST_LINK_test_ext2_write := $(EXT2_HOST_SRCS)
$(BUILD)/tests/host/test_ext2_write: $(EXT2_HOST_DEPS)
HOST_LINK_test_ext2_crash := $(EXT2_HOST_SRCS)
$(BUILD)/tests/host/test_ext2_crash: $(EXT2_HOST_DEPS)

# The same content on a FAT16 partition: stage2 must read both FAT types.
BIOS_FAT16_IMG := $(BUILD)/bios-fat16.img
$(BIOS_FAT16_IMG): disk/mkimage-bios.sh $(STAGE1_BIN) $(STAGE2_BIN) $(IMAGE_DEPS)
	sh disk/mkimage-bios.sh $@ $(STAGE1_BIN) $(STAGE2_BIN) $(KERNEL_ELF) $(BOOT_CFG) --fat 16 $(IMAGE_ROOT)

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

$(BUILD)/fuzz/fuzz_fat: tests/fuzz/fuzz_fat.c $(FAT_SRCS) $(wildcard kernel/fs/fat/*.h) tests/host/fsio_file.c tests/host/fsio_file.h
	@mkdir -p $(@D)
	clang $(FUZZ_CFLAGS) -Ikernel -Itests/host $< $(FAT_SRCS) tests/host/fsio_file.c common/format.c -o $@

$(BUILD)/fuzz/fuzz_ext2: tests/fuzz/fuzz_ext2.c $(EXT2_SRCS) tests/host/fsio_file.c common/format.c \
                         $(wildcard kernel/fs/ext2/*.h) kernel/fs/fsio.h tests/host/fsio_file.h
	@mkdir -p $(@D)
	clang $(FUZZ_CFLAGS) -Ikernel -Itests/host $< $(EXT2_SRCS) tests/host/fsio_file.c common/format.c -o $@

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

# Issue 15, the root file systems (helper rootfs): the newc cpio reader on the host
# (tests/host/test_cpio.c) and under libFuzzer (tests/fuzz/fuzz_cpio.c).
CPIO_SRCS := kernel/fs/cpio/cpio.c
HOST_LINK_test_cpio := $(CPIO_SRCS)
$(BUILD)/tests/host/test_cpio: $(CPIO_SRCS) kernel/fs/cpio/cpio.h
$(BUILD)/fuzz/fuzz_cpio: tests/fuzz/fuzz_cpio.c $(CPIO_SRCS) common/format.c kernel/fs/cpio/cpio.h
	@mkdir -p $(@D)
	clang $(FUZZ_CFLAGS) -Ikernel $< $(CPIO_SRCS) common/format.c -o $@
# An initramfs module (a tree made here: nested directories, files around the page size and a
# large one of random bytes, an empty file, set-id modes, a name with spaces and UTF-8, relative
# and absolute symbolic links, two hard links; archived by the host's cpio as root:root) on a BIOS
# and a UEFI image whose boot.cfg names it (/boot/initrd under BIOS, whose loader reads 8.3 names
# only: found by its magic; /boot/initramfs.cpio under UEFI: found by its name): the root is then
# the initramfs (kernel/fs/root.c) and
# the initramfs_ ktests compare the tree with the archive (tests/cases.sh, rootfs/).
ROOTFS_DIR := $(BUILD)/tests/rootfs
ROOTFS_CPIO := $(ROOTFS_DIR)/initramfs.cpio
ROOTFS_CFG := $(ROOTFS_DIR)/rootfs.cfg
ROOTFS_CFG_BIOS := $(ROOTFS_DIR)/rootfs-bios.cfg
$(ROOTFS_CFG): tests/build.mk
	@mkdir -p $(@D)
	printf 'cmdline=test\nvideo=1024x768x32\nmodule=/boot/initramfs.cpio\n' > $@
$(ROOTFS_CFG_BIOS): tests/build.mk
	@mkdir -p $(@D)
	printf 'cmdline=test\nvideo=1024x768x32\nmodule=/boot/initrd\n' > $@
$(ROOTFS_CPIO): tests/build.mk
	rm -rf $(ROOTFS_DIR)/tree && mkdir -p $(ROOTFS_DIR)/tree/etc $(ROOTFS_DIR)/tree/bin $(ROOTFS_DIR)/tree/data/sub/deeper
	cd $(ROOTFS_DIR)/tree && printf 'tessera\n' > etc/hostname && seq -f 'motd line %g' 1 500 > etc/motd && \
	    head -c 4096 /dev/urandom > bin/page && head -c 4097 /dev/urandom > bin/page-and-one && \
	    head -c 300001 /dev/urandom > data/big.bin && : > data/empty && printf 'set-id' > data/sub/deeper/setid && \
	    chmod 0755 bin/page && chmod 04755 data/sub/deeper/setid && chmod 0700 data/sub/deeper && \
	    printf 'spaces' > 'data/a name with spaces \303\251' && printf 'linked twice' > data/a && ln data/a data/sub/b && \
	    ln -s ../etc/hostname bin/hostname-link && ln -s /etc/motd data/motd-link && \
	    find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet > ../initramfs.cpio.tmp
	mv $@.tmp $@
ROOTFS_MODULES := --module $(ROOTFS_CPIO)=/boot/initramfs.cpio
BIOS_ROOTFS_IMG := $(BUILD)/bios-rootfs.img
$(BIOS_ROOTFS_IMG): disk/mkimage-bios.sh disk/boot-files.sh $(STAGE1_BIN) $(STAGE2_BIN) $(KERNEL_ELF) $(ROOTFS_CFG_BIOS) $(ROOTFS_CPIO)
	sh disk/mkimage-bios.sh $@ $(STAGE1_BIN) $(STAGE2_BIN) $(KERNEL_ELF) $(ROOTFS_CFG_BIOS) --module $(ROOTFS_CPIO)=/boot/initrd
UEFI_ROOTFS_IMG := $(BUILD)/uefi-rootfs.img
$(UEFI_ROOTFS_IMG): disk/mkimage-gpt.sh disk/boot-files.sh $(UEFI_EFI) $(KERNEL_ELF) $(ROOTFS_CFG) $(ROOTFS_CPIO)
	sh disk/mkimage-gpt.sh $@ $(KERNEL_ELF) $(ROOTFS_CFG) --efi $(UEFI_EFI) $(ROOTFS_MODULES)
# The same archive cut in the middle of data/big.bin: the kernel must name the entry and go on
# (tests/qemu/rootfs-damaged.sh).
ROOTFS_DAMAGED := $(ROOTFS_DIR)/damaged.cpio
$(ROOTFS_DAMAGED): $(ROOTFS_CPIO)
	python3 -c 'import sys; d = open(sys.argv[1], "rb").read(); i = d.index(b"data/big.bin\0"); open(sys.argv[2], "wb").write(d[:i + 150000])' $< $@
BIOS_ROOTFS_DAMAGED_IMG := $(BUILD)/bios-rootfs-damaged.img
$(BIOS_ROOTFS_DAMAGED_IMG): disk/mkimage-bios.sh disk/boot-files.sh $(STAGE1_BIN) $(STAGE2_BIN) $(KERNEL_ELF) $(ROOTFS_CFG_BIOS) $(ROOTFS_DAMAGED)
	sh disk/mkimage-bios.sh $@ $(STAGE1_BIN) $(STAGE2_BIN) $(KERNEL_ELF) $(ROOTFS_CFG_BIOS) --module $(ROOTFS_DAMAGED)=/boot/initrd
ROOTFS_IMGS := $(BIOS_ROOTFS_IMG) $(UEFI_ROOTFS_IMG) $(BIOS_ROOTFS_DAMAGED_IMG)

# FAT volumes for the fat_ ktests (kernel/test/test_fat.c): FAT12, FAT16 and FAT32 made
# by mkfs.fat and filled by mtools, one with its boot sector damaged, one with a chain that
# leaves the volume (tests/qemu/fat-images.sh), as module RAM disks ram0..ram4.
FATKT_DIR := $(BUILD)/tests/fat
FATKT_NAMES := fat12 fat16 fat32 fat-bad fat-leak
FATKT_CFG := $(FATKT_DIR)/fat-modules.cfg
$(FATKT_CFG): tests/build.mk
	@mkdir -p $(@D)
	printf 'cmdline=test\nvideo=1024x768x32\n' > $@
	for n in $(FATKT_NAMES); do printf 'module=/boot/%s.img\n' $$n >> $@; done
$(FATKT_DIR)/stamp: tests/qemu/fat-images.sh
	sh tests/qemu/fat-images.sh $(FATKT_DIR) && touch $@
FATKT_MODULES := $(foreach n,$(FATKT_NAMES),--module $(FATKT_DIR)/$(n).img=/boot/$(n).img)
BIOS_FATKT_IMG := $(BUILD)/bios-fat-ktest.img
$(BIOS_FATKT_IMG): disk/mkimage-bios.sh disk/boot-files.sh $(STAGE1_BIN) $(STAGE2_BIN) $(KERNEL_ELF) $(FATKT_CFG) $(FATKT_DIR)/stamp
	sh disk/mkimage-bios.sh $@ $(STAGE1_BIN) $(STAGE2_BIN) $(KERNEL_ELF) $(FATKT_CFG) --size 128 $(FATKT_MODULES)
# ext2 in the kernel (kernel/test/test_ext2.c): two volumes made by mke2fs -d as
# RAM-disk modules: ext2-1k.img (1 KiB blocks, 4 groups: the pattern file
# (i * 7 + 13) & 255, a sparse file ending in a triple-indirect block,
# symlinks, a hard link) and ext2-4k.img (4 KiB blocks, 4 groups, empty: the
# write test's). tests/qemu/ext2-ktest.sh boots them.
EXT2_KT_DIR := $(BUILD)/tests/ext2
EXT2_KT_CFG := $(EXT2_KT_DIR)/ext2-modules.cfg
EXT2_KT_1K := $(EXT2_KT_DIR)/ext2-1k.img
EXT2_KT_4K := $(EXT2_KT_DIR)/ext2-4k.img
$(EXT2_KT_CFG): tests/build.mk
	@mkdir -p $(@D)
	printf 'cmdline=test\nvideo=1024x768x32\nmodule=/boot/ext2-1k.img\nmodule=/boot/ext2-4k.img\n' > $@
	printf 'module=/boot/e2incomp.img\nmodule=/boot/e2rocomp.img\nmodule=/boot/e2baddir.img\n' >> $@
$(EXT2_KT_1K): tests/build.mk
	@mkdir -p $(@D)
	rm -rf $@.d && mkdir -p $@.d/dir/sub/deep
	python3 -c 'import sys; sys.stdout.buffer.write(bytes((i * 7 + 13) & 255 for i in range(300000)))' > $@.d/pattern.bin
	printf 'tessera ext2\n' > $@.d/dir/sub/deep/file.txt
	ln -s dir/sub/deep/file.txt $@.d/fast
	ln -s $$(python3 -c 'print("s" * 100)') $@.d/slow
	ln $@.d/pattern.bin $@.d/hard
	truncate -s 70M $@.d/sparse && printf 'END\n' >> $@.d/sparse
	mke2fs -q -F -t ext2 -b 1024 -g 2048 -d $@.d $@.tmp 8192 >/dev/null
	rm -rf $@.d && mv $@.tmp $@
$(EXT2_KT_4K): tests/build.mk
	@mkdir -p $(@D)
	mke2fs -q -F -t ext2 -b 4096 -g 1024 $@.tmp 16M >/dev/null
	mv $@.tmp $@
# Three damaged 1 MiB volumes (8.3 names: the loaders read short names only): an unknown incompatible feature (refused), an unknown
# read-only-compatible one (mounted read-only), a root directory whose first entry
# has rec_len 0 (mounted; reading the directory is -EIO with a log line).
EXT2_KT_BAD := $(EXT2_KT_DIR)/e2incomp.img $(EXT2_KT_DIR)/e2rocomp.img $(EXT2_KT_DIR)/e2baddir.img
$(EXT2_KT_DIR)/ext2-base.img: tests/build.mk
	@mkdir -p $(@D)
	rm -rf $@.d && mkdir -p $@.d && printf 'damaged volumes\n' > $@.d/file
	mke2fs -q -F -t ext2 -b 1024 -d $@.d $@.tmp 1024 >/dev/null
	rm -rf $@.d && mv $@.tmp $@
$(EXT2_KT_DIR)/e2incomp.img: $(EXT2_KT_DIR)/ext2-base.img
	python3 -c 'import sys; d = bytearray(open(sys.argv[1], "rb").read()); d[1024 + 96] |= 0x40; open(sys.argv[2], "wb").write(d)' $< $@
$(EXT2_KT_DIR)/e2rocomp.img: $(EXT2_KT_DIR)/ext2-base.img
	python3 -c 'import sys; d = bytearray(open(sys.argv[1], "rb").read()); d[1024 + 101] |= 0x04; open(sys.argv[2], "wb").write(d)' $< $@
$(EXT2_KT_DIR)/e2baddir.img: $(EXT2_KT_DIR)/ext2-base.img
	cp $< $@.tmp
	root=$$(debugfs -R 'blocks /' $@.tmp 2>/dev/null | awk '{print $$1}'); \
	    printf '\000\000' | dd of=$@.tmp bs=1 seek=$$((root * 1024 + 4)) conv=notrunc status=none
	mv $@.tmp $@
EXT2_KT_DEPS := $(EXT2_KT_CFG) $(EXT2_KT_1K) $(EXT2_KT_4K) $(EXT2_KT_BAD)
EXT2_KT_MODULES := --module $(EXT2_KT_1K)=/boot/ext2-1k.img --module $(EXT2_KT_4K)=/boot/ext2-4k.img \
                   $(foreach f,$(EXT2_KT_BAD),--module $(f)=/boot/$(notdir $(f)))
BIOS_EXT2_IMG := $(BUILD)/bios-ext2.img
$(BIOS_EXT2_IMG): disk/mkimage-bios.sh disk/boot-files.sh $(STAGE1_BIN) $(STAGE2_BIN) $(KERNEL_ELF) $(EXT2_KT_DEPS)
	sh disk/mkimage-bios.sh $@ $(STAGE1_BIN) $(STAGE2_BIN) $(KERNEL_ELF) $(EXT2_KT_CFG) $(EXT2_KT_MODULES)
UEFI_EXT2_IMG := $(BUILD)/uefi-ext2.img
$(UEFI_EXT2_IMG): disk/mkimage-gpt.sh disk/boot-files.sh $(UEFI_EFI) $(KERNEL_ELF) $(EXT2_KT_DEPS)
	sh disk/mkimage-gpt.sh $@ $(KERNEL_ELF) $(EXT2_KT_CFG) --efi $(UEFI_EFI) $(EXT2_KT_MODULES)

TEST_DEPS := $(BIOS_BLK_IMG) $(UEFI_BLK_IMG) $(BUILD)/debug-bios.gdb $(BUILD)/debug-uefi.gdb $(BUILD)/debug-bios-setup.gdb $(BUILD)/debug-uefi-setup.gdb $(UEFI_SO) $(UEFI_IMG) $(HYBRID_IMG) \
             $(UEFI_MODULES_IMG) $(BIOS_EDGE_IMG) $(UEFI_EDGE_IMG) $(HOST_TESTS) $(FUZZ_TARGETS) $(BIOS_IMG) $(BIOS_FAT16_IMG) $(MODULES_IMG) \
             $(BIOS_FATKT_IMG)

TEST_DEPS += $(BIOS_EXT2_IMG) $(UEFI_EXT2_IMG)
TEST_DEPS += $(ROOTFS_IMGS)
# OVMF's variable store after one boot, per machine type, for the UEFI test boots
# (tests/qemu/ovmf-seed.sh; tests/qemu/boot.sh copies it for each boot).
$(BUILD)/ovmf/vars-%.fd: tests/qemu/ovmf-seed.sh
	@mkdir -p $(@D)
	sh $< $* $@
TEST_DEPS += $(BUILD)/ovmf/vars-pc.fd $(BUILD)/ovmf/vars-q35.fd
test-build: $(TEST_DEPS)
test-host: $(HOST_TESTS)
	sh tests/run.sh host/

# make test: install what is missing, build (a job per host CPU), run everything.
test:
	@sh tests/deps.sh
	$(MAKE) --no-print-directory -j$$(nproc) test-build
	sh tests/run.sh $(T)


# Processes (issue 16, docs/processes.md): the programs of tests/user/, built
# with musl-gcc -static (hellopie with gcc -static-pie: glibc's static-pie,
# an ET_DYN loaded at a bias), given to the kernel as boot modules named
# /boot/NAME (kernel/proc/exec_file.c reads a module when the VFS has no
# such file); each case sets cmdline= to "init=/boot/NAME initexit".
# Module names stay 8.3: the BIOS loader reads short names only.
USER_PROGS := hello args brkmmap efault segv files fork
# Descriptors, names and pipes (issue 16, the files helper; docs/files.md): one program,
# fdtests NAME ARGS (tests/user/fdtests.c), for the loaders' 16 modules.
USER_PROGS += fdtests
FDTESTS := file_fd file_dir file_tty pipe_one pipe_two
$(BUILD)/user/fdtests: tests/user/fdtests.c $(patsubst %,tests/user/%.c,$(FDTESTS))
	@mkdir -p $(@D)/fdtests.o
	for p in $(FDTESTS); do musl-gcc -O2 -Wall -Werror -Dmain=$${p}_main -c tests/user/$$p.c -o $(@D)/fdtests.o/$$p.o || exit 1; done
	musl-gcc -static -O2 -Wall -Werror -o $@ $< $(patsubst %,$(@D)/fdtests.o/%.o,$(FDTESTS))
USER_PROGS += sig_base sig_flt sig_kill
# The runner that runs many of them in one boot (tests/user/batch.c, tests/qemu/proc-batch.sh), on both pairs.
USER_PROGS += batch
USER_BINS := $(patsubst %,$(BUILD)/user/%,$(USER_PROGS)) $(BUILD)/user/hellopie $(BUILD)/user/notelf
# A second pair of images for the rest (the loaders take 16 modules: BOOTCFG_MODULES_MAX):
# /proc, address spaces, credentials, and the misc helper's time, futexes and the rest (docs/time.md).
USER_PROGS2 := procself mem_prot mem_file mem_fork creds limits time_all futex_st misc_all
USER_PROGS2 += sig_thr robust procrest oom batch
USER_BINS2 := $(patsubst %,$(BUILD)/user/%,$(USER_PROGS2))
$(BUILD)/user/%: tests/user/%.c
	@mkdir -p $(@D)
	musl-gcc -static -O2 -Wall -Werror -o $@ $<
$(BUILD)/user/hellopie: tests/user/hello.c
	@mkdir -p $(@D)
	gcc -static-pie -O2 -Wall -Werror -o $@ $<
$(BUILD)/user/notelf: tests/build.mk
	@mkdir -p $(@D)
	echo 'not a program: init= must refuse it with -ENOEXEC, and one line saying why (no ELF magic)' > $@
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
PROC2_CFG := $(BUILD)/tests/proc2.cfg
$(PROC2_CFG): tests/build.mk
	@mkdir -p $(@D)
	printf 'cmdline=initexit\n' > $@
	for b in $(notdir $(USER_BINS2)); do printf 'module=/boot/%s\n' $$b >> $@; done
PROC2_MODULES = $(foreach b,$(USER_BINS2),--module $(b)=/boot/$(notdir $(b)))
BIOS_PROC2_IMG := $(BUILD)/bios-proc2.img
$(BIOS_PROC2_IMG): disk/mkimage-bios.sh disk/boot-files.sh $(STAGE1_BIN) $(STAGE2_BIN) $(KERNEL_ELF) $(PROC2_CFG) $(USER_BINS2)
	sh disk/mkimage-bios.sh $@ $(STAGE1_BIN) $(STAGE2_BIN) $(KERNEL_ELF) $(PROC2_CFG) $(PROC2_MODULES)
UEFI_PROC2_IMG := $(BUILD)/uefi-proc2.img
$(UEFI_PROC2_IMG): disk/mkimage-gpt.sh disk/boot-files.sh $(UEFI_EFI) $(KERNEL_ELF) $(PROC2_CFG) $(USER_BINS2)
	sh disk/mkimage-gpt.sh $@ $(KERNEL_ELF) $(PROC2_CFG) --efi $(UEFI_EFI) $(PROC2_MODULES)
test-build: $(BIOS_PROC_IMG) $(UEFI_PROC_IMG) $(BIOS_PROC2_IMG) $(UEFI_PROC2_IMG)
# The same programs built with glibc (gcc -static) into $(BUILD)/user-glibc/ (docs/processes.md,
# "glibc"): the differential ones, clone3 (glibc's first choice for threads; clone3.c, here only),
# and segv, files, limits and oom for their checks on Tessera alone. They are
# no boot modules: they lie on the boot partition in /glibc/ (the kernel's /boot/glibc/NAME), read
# through the VFS, so the 16 modules of the loaders do not bound them. The runner is musl's
# $(BUILD)/user/batch, the one module. One pair of images, bios-glibc.img and uefi-glibc.img,
# one batch boot each (tests/cases.sh, proc/glibc-*).
GLIBC_PROGS := hello args brkmmap efault segv files fork fdtests sig_base sig_flt sig_kill procself \
               mem_prot mem_file mem_fork creds time_all futex_st misc_all sig_thr robust procrest clone3 \
               limits oom
GLIBC_BINS := $(patsubst %,$(BUILD)/user-glibc/%,$(GLIBC_PROGS))
$(BUILD)/user-glibc/%: tests/user/%.c
	@mkdir -p $(@D)
	gcc -static -O2 -Wall -Werror -o $@ $<
$(BUILD)/user-glibc/fdtests: tests/user/fdtests.c $(patsubst %,tests/user/%.c,$(FDTESTS))
	@mkdir -p $(@D)/fdtests.o
	for p in $(FDTESTS); do gcc -O2 -Wall -Werror -Dmain=$${p}_main -c tests/user/$$p.c -o $(@D)/fdtests.o/$$p.o || exit 1; done
	gcc -static -O2 -Wall -Werror -o $@ $< $(patsubst %,$(@D)/fdtests.o/%.o,$(FDTESTS))
GLIBC_CFG := $(BUILD)/tests/glibc.cfg
$(GLIBC_CFG): tests/build.mk
	@mkdir -p $(@D)
	printf 'cmdline=initexit\nmodule=/boot/batch\n' > $@
GLIBC_FILES = --module $(BUILD)/user/batch=/boot/batch $(foreach b,$(GLIBC_BINS),--module $(b)=/glibc/$(notdir $(b)))
BIOS_GLIBC_IMG := $(BUILD)/bios-glibc.img
$(BIOS_GLIBC_IMG): disk/mkimage-bios.sh disk/boot-files.sh $(STAGE1_BIN) $(STAGE2_BIN) $(KERNEL_ELF) $(GLIBC_CFG) $(BUILD)/user/batch $(GLIBC_BINS)
	sh disk/mkimage-bios.sh $@ $(STAGE1_BIN) $(STAGE2_BIN) $(KERNEL_ELF) $(GLIBC_CFG) $(GLIBC_FILES)
UEFI_GLIBC_IMG := $(BUILD)/uefi-glibc.img
$(UEFI_GLIBC_IMG): disk/mkimage-gpt.sh disk/boot-files.sh $(UEFI_EFI) $(KERNEL_ELF) $(GLIBC_CFG) $(BUILD)/user/batch $(GLIBC_BINS)
	sh disk/mkimage-gpt.sh $@ $(KERNEL_ELF) $(GLIBC_CFG) --efi $(UEFI_EFI) $(GLIBC_FILES)
test-build: $(BIOS_GLIBC_IMG) $(UEFI_GLIBC_IMG)
# The ELF loader's checks (kernel/proc/elf.c) over a stand-in address space (tests/fuzz/fuzz_exec.c),
# seeded with the programs of tests/user/ (tests/fuzz/run.sh).
$(BUILD)/fuzz/fuzz_exec: tests/fuzz/fuzz_exec.c kernel/proc/elf.c kernel/proc/exec.h kernel/mm/uspace.h
	@mkdir -p $(@D)
	clang $(FUZZ_CFLAGS) -Ikernel -Icommon $< kernel/proc/elf.c -o $@
# tsh, Tessera's shell (user/tsh/, docs/tsh.md): its lexer and parser on the host
# (tests/host/test_tsh_parse.c) and under libFuzzer (tests/fuzz/fuzz_tsh_parse.c).
HOST_LINK_test_tsh_parse := -Iuser/tsh $(TSH_PARSE_SRCS)
$(BUILD)/tests/host/test_tsh_parse: $(TSH_PARSE_SRCS) $(wildcard user/tsh/*.h)
$(BUILD)/fuzz/fuzz_tsh_parse: tests/fuzz/fuzz_tsh_parse.c $(TSH_PARSE_SRCS) $(wildcard user/tsh/*.h)
	@mkdir -p $(@D)
	clang $(FUZZ_CFLAGS) -Iuser/tsh $< $(TSH_PARSE_SRCS) -o $@
test-build: $(TSH)
HOST_LINK_test_tsh_glob := -Iuser/tsh user/tsh/glob.c user/tsh/ast.c user/tsh/mem.c
$(BUILD)/tests/host/test_tsh_glob: user/tsh/glob.c user/tsh/glob.h user/tsh/ast.c user/tsh/mem.c
