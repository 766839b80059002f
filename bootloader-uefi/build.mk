# bootloader-uefi/: the gnu-efi loader, build/BOOTX64.EFI.
#
#   $(BUILD)/BOOTX64.EFI        the PE32+ application the firmware runs
#   $(BUILD)/uefi/bootx64.so    the same code as an ELF with symbols, for gdb
#                               (linked at 0: add-symbol-file -o IMAGE_BASE)
#
# Debian's gnu-efi: crt0-efi-x86_64.o (_start: self-relocation, then
# efi_main), elf_x86_64_efi.lds, libgnuefi.a (_relocate). The headers are
# included with -isystem: efiapi.h has a declaration without a prototype
# that -Wstrict-prototypes would refuse; -isystem keeps all of $(WARN) on
# our own code. libefi.a is not linked: the loader needs none of its
# helpers, and its init.o brings a memcpy/memset of its own, while
# kernel/lib/string.c supplies the string functions common/ needs.
# GNU_EFI_USE_MS_ABI: firmware calls are plain calls through ms_abi
# function pointers (no uefi_call_wrapper).
#
# The loader is compiled from its own files, the freestanding common/*.c
# and kernel/lib/string.c, all with UEFI_CFLAGS into $(BUILD)/uefi/.

UEFI_EFI     := $(BUILD)/BOOTX64.EFI
UEFI_SO      := $(BUILD)/uefi/bootx64.so
UEFI_OBJDIR  := $(BUILD)/uefi

GNUEFI_INC   := /usr/include/efi
GNUEFI_LIB   := /usr/lib
GNUEFI_CRT0  := $(GNUEFI_LIB)/crt0-efi-x86_64.o
GNUEFI_LDS   := $(GNUEFI_LIB)/elf_x86_64_efi.lds

UEFI_CFLAGS  := -std=c11 -O2 -g $(WARN) -ffreestanding -fno-builtin -fpic -fshort-wchar \
                -mno-red-zone -fno-stack-protector -fno-strict-aliasing \
                -fno-asynchronous-unwind-tables -DGNU_EFI_USE_MS_ABI \
                -nostdinc -isystem $(shell $(CC) -print-file-name=include) \
                -isystem $(GNUEFI_INC) -isystem $(GNUEFI_INC)/x86_64 \
                -Ikernel/include -Icommon -Ikernel -Ibootloader-uefi -MMD -MP
UEFI_LDFLAGS := -shared -Bsymbolic -nostdlib -znocombreloc -T $(GNUEFI_LDS)

UEFI_SRCS    := $(sort $(wildcard bootloader-uefi/*.c)) $(COMMON_SRCS) kernel/lib/string.c
UEFI_OBJS    := $(patsubst %.c,$(UEFI_OBJDIR)/%.o,$(UEFI_SRCS))

# Sections the PE keeps (gnu-efi's recipe): code, data, the dynamic
# relocation tables _relocate applies, and .reloc for the PE loader.
UEFI_SECTIONS := -j .text -j .sdata -j .data -j .dynamic -j .dynsym -j .rel -j .rela \
                 -j '.rel.*' -j '.rela.*' -j .reloc

$(UEFI_OBJDIR)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(UEFI_CFLAGS) -c $< -o $@

$(UEFI_SO): $(UEFI_OBJS) $(GNUEFI_CRT0) $(GNUEFI_LDS)
	$(LD) $(UEFI_LDFLAGS) $(GNUEFI_CRT0) $(UEFI_OBJS) -o $@ -L$(GNUEFI_LIB) -lgnuefi
	@! $(NM) -u $@ | grep . || { echo "uefi: undefined symbols in $@"; exit 1; }

$(UEFI_EFI): $(UEFI_SO)
	$(OBJCOPY) $(UEFI_SECTIONS) --target efi-app-x86_64 --subsystem=10 $< $@

-include $(UEFI_OBJS:.o=.d)
