# disk/: how images are made and what goes on them (docs/files-images.md).

BOOT_CFG := disk/boot.cfg

# The root file system's tree, staged in build/root/ from disk/root/ plus the
# build outputs listed in ROOT_FILES (FILE=DST pairs: a user program of issue
# 17 adds itself here, e.g. user/init/build.mk: ROOT_FILES += $(INIT_BIN)=/sbin/init;
# such a build.mk is included before this one).
# The stamp stands for the folder: make cannot date a tree.
ROOT_TREE  := $(BUILD)/root
ROOT_STAMP := $(BUILD)/root.stamp
ROOT_FILES ?=
# Debian's static busybox (package busybox-static, tests/deps.sh), unmodified, with a link in
# the tree for each of its applets (stage-root.sh): the first outside program on the root.
BUSYBOX ?= /bin/busybox
ROOT_FILES += $(BUSYBOX)=/bin/busybox
ROOT_SRC   := $(shell find disk/root -type f 2>/dev/null)
$(ROOT_STAMP): disk/stage-root.sh $(ROOT_SRC) $(foreach f,$(ROOT_FILES),$(firstword $(subst =, ,$(f)))) | $(BUILD)
	sh disk/stage-root.sh $(ROOT_TREE) disk/root $(ROOT_FILES)
	touch $@

# The same tree as an initramfs (cpio, newc), put on every image's boot
# partition as /boot/initrd: a boot.cfg line module=/boot/initrd makes the
# kernel run from it (root= in docs/files-images.md). An 8.3 name, as the
# BIOS loader reads no long names; the kernel knows it by its newc magic.
INITRAMFS := $(BUILD)/initramfs.cpio
$(INITRAMFS): disk/mkinitramfs.sh $(ROOT_STAMP)
	sh disk/mkinitramfs.sh $@ $(ROOT_TREE)
initramfs: $(INITRAMFS)
.PHONY: initramfs

# What every image made here holds beside the loaders: the boot tree, the
# initramfs on the boot partition, and the ext2 root partition.
IMAGE_DEPS := disk/build.mk disk/boot-files.sh $(KERNEL_ELF) $(BOOT_CFG) $(wildcard disk/bootfs/*) $(ROOT_STAMP) $(INITRAMFS)
IMAGE_ROOT := --root $(ROOT_TREE) --module $(INITRAMFS)=/boot/initrd

BIOS_IMG := $(BUILD)/bios.img
$(BIOS_IMG): disk/mkimage-bios.sh $(STAGE1_BIN) $(STAGE2_BIN) $(IMAGE_DEPS)
	sh disk/mkimage-bios.sh $@ $(STAGE1_BIN) $(STAGE2_BIN) $(KERNEL_ELF) $(BOOT_CFG) $(IMAGE_ROOT)

# The UEFI image: GPT with an EFI System Partition (FAT32) and the root (ext2).
UEFI_IMG := $(BUILD)/uefi.img
$(UEFI_IMG): disk/mkimage-gpt.sh $(UEFI_EFI) $(IMAGE_DEPS)
	sh disk/mkimage-gpt.sh $@ $(KERNEL_ELF) $(BOOT_CFG) --efi $(UEFI_EFI) $(IMAGE_ROOT)

# The hybrid for USB sticks: the same GPT disk, plus stage1 in the protective
# MBR and stage2 in a BIOS boot partition. Boots under BIOS and UEFI.
HYBRID_IMG := $(BUILD)/tessera.img
$(HYBRID_IMG): disk/mkimage-gpt.sh $(UEFI_EFI) $(STAGE1_BIN) $(STAGE2_BIN) $(IMAGE_DEPS)
	sh disk/mkimage-gpt.sh $@ $(KERNEL_ELF) $(BOOT_CFG) --efi $(UEFI_EFI) --bios $(STAGE1_BIN) $(STAGE2_BIN) $(IMAGE_ROOT)
