# kernel/ and drivers/: the higher-half ELF64 kernel. (placeholder: being written)
KERNEL_ELF := $(BUILD)/kernel.elf
