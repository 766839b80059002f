# bootloader-bios/: stage1 (the MBR) and stage2, NASM only.
#
# Each stage is assembled to an ELF object with DWARF line info, linked at
# its run address (stage1 at 0x0600 where it moves itself, stage2 at 0x8000)
# into build/stageN.elf for gdb (make debug-bios), and flattened with
# objcopy into build/stageN.bin for the disk image. NASM warnings are errors.
# The boot-info offsets come from the generated $(BOOTINFO_INC), the loaders'
# limits and rules from $(BOOTRULES_INC) (common/bootrules.h).

STAGE1_BIN := $(BUILD)/stage1.bin
STAGE2_BIN := $(BUILD)/stage2.bin
STAGE1_ELF := $(BUILD)/stage1.elf
STAGE2_ELF := $(BUILD)/stage2.elf

BIOS_DIR     := bootloader-bios
BIOS_ASFLAGS := -f elf64 -g -F dwarf -w+all -w+error -I $(BIOS_DIR)/ -I $(GEN)/
BIOS_SRCS    := $(wildcard $(BIOS_DIR)/*.asm $(BIOS_DIR)/*.inc)
STAGE1_ADDR  := 0x0600
STAGE2_ADDR  := 0x8000

$(BUILD)/bios/%.o: $(BIOS_DIR)/%.asm $(BIOS_SRCS) $(BOOTINFO_INC) $(BOOTRULES_INC)
	@mkdir -p $(@D)
	$(NASM) $(BIOS_ASFLAGS) -o $@ $<

$(STAGE1_ELF): $(BUILD)/bios/stage1.o
	$(LD) -m elf_x86_64 -N --no-warn-rwx-segments -e stage1_start -Ttext=$(STAGE1_ADDR) -o $@ $<

$(STAGE2_ELF): $(BUILD)/bios/stage2.o $(BIOS_DIR)/stage2.ld
	$(LD) -m elf_x86_64 --no-warn-rwx-segments -T $(BIOS_DIR)/stage2.ld -o $@ $<

# The MBR must be exactly one sector; stage2 must fit below 0x10000.
$(STAGE1_BIN): $(STAGE1_ELF)
	$(OBJCOPY) -O binary -j .text $< $@
	@test $$(stat -c %s $@) -eq 512 || { echo "$@ is not 512 bytes"; rm -f $@; exit 1; }

$(STAGE2_BIN): $(STAGE2_ELF)
	$(OBJCOPY) -O binary -j .text -j .data $< $@
	@test $$(stat -c %s $@) -le 32768 || { echo "$@ is over 32 KiB"; rm -f $@; exit 1; }

.PHONY: bios-loader
bios-loader: $(STAGE1_BIN) $(STAGE2_BIN)
