# user/tools/: Tessera's own small tools (docs/tools.md), static musl programs,
# one file per tool (NAME.c) linked with the shared helpers (tools.c,
# timeline_rows.c, procs.c), put in /bin on the root file system. A tool of the same
# name as a busybox applet (ps, free, dmesg, top, lspci, lsblk) takes the
# applet's place: disk/stage-root.sh links an applet only where no file of
# its name is staged.

TOOLS_NAMES := bootinfo timeline lspci lsblk free ps top dmesg
TOOLS_SHARED := user/tools/tools.c user/tools/timeline_rows.c user/tools/procs.c
TOOLS_DIR := $(BUILD)/user/tools
TOOLS_BINS := $(addprefix $(TOOLS_DIR)/,$(TOOLS_NAMES))

$(TOOLS_DIR)/%: user/tools/%.c $(TOOLS_SHARED) $(wildcard user/tools/*.h) user/tools/build.mk
	@mkdir -p $(@D)
	musl-gcc -static -O2 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	    -o $@ $< $(TOOLS_SHARED)

tools: $(TOOLS_BINS)
.PHONY: tools

ROOT_FILES += $(foreach t,$(TOOLS_NAMES),$(TOOLS_DIR)/$(t)=/bin/$(t))
test-build: $(TOOLS_BINS)
