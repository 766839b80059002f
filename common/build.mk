# common/: what the loaders and the kernel share.
#
# COMMON_SRCS are freestanding C files compiled into the kernel (and the UEFI
# loader) and, with sanitizers, into the host unit tests. gen_*.c are host
# programs that write NASM's view of the shared headers.

COMMON_SRCS := $(wildcard common/*.c)
COMMON_SRCS := $(filter-out common/gen_%.c,$(COMMON_SRCS))

BOOTINFO_INC  := $(GEN)/bootinfo.inc
BOOTRULES_INC := $(GEN)/bootrules.inc

# bootinfo.inc: NASM's view of common/bootinfo.h, generated, never copied.
$(GEN)/gen_bootinfo_inc: common/gen_bootinfo_inc.c common/bootinfo.h | $(GEN)
	$(CC) -std=c11 $(WARN) -Icommon $< -o $@

$(BOOTINFO_INC): $(GEN)/gen_bootinfo_inc
	$< > $@.tmp && mv $@.tmp $@

# bootrules.inc: the loaders' limits and rules (common/bootrules.h) and the
# memory types' overlap priorities (common/memmap.h), for the BIOS loader.
$(GEN)/gen_bootrules_inc: common/gen_bootrules_inc.c common/bootrules.h common/memmap.h common/bootinfo.h | $(GEN)
	$(CC) -std=c11 $(WARN) -Icommon $< -o $@

$(BOOTRULES_INC): $(GEN)/gen_bootrules_inc
	$< > $@.tmp && mv $@.tmp $@

# Whatever asks for NASM's view of the ABI (stage2, the host tests) gets the
# rules' view too.
$(BOOTINFO_INC): | $(BOOTRULES_INC)
