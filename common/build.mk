# common/: what the loaders and the kernel share.
#
# COMMON_SRCS are freestanding C files compiled into the kernel (and the UEFI
# loader later) and, with sanitizers, into the host unit tests.

COMMON_SRCS := $(wildcard common/*.c)
COMMON_SRCS := $(filter-out common/gen_bootinfo_inc.c,$(COMMON_SRCS))

BOOTINFO_INC := $(GEN)/bootinfo.inc

# bootinfo.inc: NASM's view of common/bootinfo.h, generated, never copied.
$(GEN)/gen_bootinfo_inc: common/gen_bootinfo_inc.c common/bootinfo.h | $(GEN)
	$(CC) -std=c11 $(WARN) -Icommon $< -o $@

$(BOOTINFO_INC): $(GEN)/gen_bootinfo_inc
	$< > $@.tmp && mv $@.tmp $@
