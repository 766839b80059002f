# user/init/: /sbin/init, the first process (docs/userland.md): a static
# musl program, one concept per file, staged on the root as /sbin/init.

INIT_SRCS := $(wildcard user/init/*.c)
INIT_BIN  := $(BUILD)/user/init

$(INIT_BIN): $(INIT_SRCS) user/init/init.h user/init/build.mk
	@mkdir -p $(@D)
	musl-gcc -static -O2 -Wall -Werror -o $@ $(INIT_SRCS)

ROOT_FILES += $(INIT_BIN)=/sbin/init
