# disk/: how images are made and what goes on them.

BIOS_IMG := $(BUILD)/bios.img
BOOT_CFG := disk/boot.cfg

$(BIOS_IMG): disk/mkimage-bios.sh disk/boot-files.sh $(STAGE1_BIN) $(STAGE2_BIN) $(KERNEL_ELF) $(BOOT_CFG) $(wildcard disk/root/*)
	sh disk/mkimage-bios.sh $@ $(STAGE1_BIN) $(STAGE2_BIN) $(KERNEL_ELF) $(BOOT_CFG)

# The UEFI image: GPT with one EFI System Partition (FAT32).
UEFI_IMG := $(BUILD)/uefi.img
$(UEFI_IMG): disk/mkimage-gpt.sh disk/boot-files.sh $(UEFI_EFI) $(KERNEL_ELF) $(BOOT_CFG) $(wildcard disk/root/*)
	sh disk/mkimage-gpt.sh $@ $(KERNEL_ELF) $(BOOT_CFG) --efi $(UEFI_EFI)

# The hybrid for USB sticks: the same GPT disk, plus stage1 in the protective
# MBR and stage2 in a BIOS boot partition. Boots under BIOS and UEFI.
HYBRID_IMG := $(BUILD)/tessera.img
$(HYBRID_IMG): disk/mkimage-gpt.sh disk/boot-files.sh $(UEFI_EFI) $(STAGE1_BIN) $(STAGE2_BIN) $(KERNEL_ELF) $(BOOT_CFG) $(wildcard disk/root/*)
	sh disk/mkimage-gpt.sh $@ $(KERNEL_ELF) $(BOOT_CFG) --efi $(UEFI_EFI) --bios $(STAGE1_BIN) $(STAGE2_BIN)
