# disk/: how images are made and what goes on them.

BIOS_IMG := $(BUILD)/bios.img
BOOT_CFG := disk/boot.cfg

$(BIOS_IMG): disk/mkimage-bios.sh $(STAGE1_BIN) $(STAGE2_BIN) $(KERNEL_ELF) $(BOOT_CFG) $(wildcard disk/root/*)
	sh disk/mkimage-bios.sh $@ $(STAGE1_BIN) $(STAGE2_BIN) $(KERNEL_ELF) $(BOOT_CFG)
