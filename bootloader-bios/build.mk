# bootloader-bios/: stage1 (MBR) and stage2, NASM only. (placeholder: being written)
STAGE1_BIN := $(BUILD)/stage1.bin
STAGE2_BIN := $(BUILD)/stage2.bin
