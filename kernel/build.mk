# kernel/ and drivers/: the higher-half ELF64 kernel.
#
#   build/kernel.elf   the kernel the loaders load (/boot/kernel.elf)
#   build/kernel.sym   its symbols by address (nm -n), to look up a log address
#   build/kernel.asm   disassembly with the source interleaved
#
# Every C file under kernel/ and drivers/, plus the freestanding common/*.c,
# is compiled with $(KCFLAGS) to build/kernel/<source path>.o; NASM files
# under kernel/ become build/kernel/<source path>.o too (suffix .asm.o).
# The console font is gunzipped at build time from the Debian package
# console-setup-linux into build/kernel/font.psf and embedded by font.asm.

KERNEL_ELF  := $(BUILD)/kernel.elf
KERNEL_SYM  := $(BUILD)/kernel.sym
KERNEL_DIS  := $(BUILD)/kernel.asm
KERNEL_LDS  := kernel/arch/x86_64/kernel.ld
KERNEL_OBJDIR := $(BUILD)/kernel

# The console font (PSF1 or PSF2, gzipped). Override on the command line.
KERNEL_FONT_GZ ?= /usr/share/consolefonts/Lat15-Terminus16.psf.gz
KERNEL_FONT := $(KERNEL_OBJDIR)/font.psf

KERNEL_CSRCS := $(sort $(shell find kernel drivers -name '*.c')) $(COMMON_SRCS)
KERNEL_ASRCS := $(sort $(shell find kernel -name '*.asm'))
KERNEL_OBJS  := $(patsubst %.c,$(KERNEL_OBJDIR)/%.o,$(KERNEL_CSRCS)) \
                $(patsubst %.asm,$(KERNEL_OBJDIR)/%.asm.o,$(KERNEL_ASRCS))

KERNEL_LDFLAGS := -nostdlib -static --no-pie -z max-page-size=0x1000 \
                  -z noexecstack --no-warn-rwx-segments -T $(KERNEL_LDS)

$(KERNEL_OBJDIR)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(KCFLAGS) -c $< -o $@

$(KERNEL_OBJDIR)/%.asm.o: %.asm
	@mkdir -p $(@D)
	$(NASM) -f elf64 -g -F dwarf -Werror -i $(KERNEL_OBJDIR)/ -MD $(@:.o=.d) -MP $< -o $@

# font.asm incbins the font from build/kernel/.
$(KERNEL_OBJDIR)/kernel/arch/x86_64/font.asm.o: $(KERNEL_FONT)

$(KERNEL_FONT): $(KERNEL_FONT_GZ)
	@mkdir -p $(@D)
	@test -r $< || { echo "kernel: $< missing: install the Debian package console-setup-linux"; exit 1; }
	gzip -dc $< > $@.tmp && mv $@.tmp $@

$(KERNEL_ELF): $(KERNEL_OBJS) $(KERNEL_LDS)
	$(LD) $(KERNEL_LDFLAGS) -o $@ $(KERNEL_OBJS)
	$(NM) -n $@ > $(KERNEL_SYM)
	$(OBJDUMP) -d -S -l --no-show-raw-insn $@ > $(KERNEL_DIS)

$(KERNEL_SYM) $(KERNEL_DIS): $(KERNEL_ELF)

-include $(KERNEL_OBJS:.o=.d)
