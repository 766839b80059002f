# user/tsh/: tsh, Tessera's shell (docs/tsh.md): a static musl program,
# /bin/tsh on the root file system. The lexer and parser also build for the
# host tests (tests/host/test_tsh_*.c) and the fuzzer (tests/fuzz/fuzz_tsh_parse.c).

TSH_SRCS := $(wildcard user/tsh/*.c)
TSH_PARSE_SRCS := user/tsh/lex.c user/tsh/parse.c user/tsh/ast.c user/tsh/mem.c
TSH := $(BUILD)/user/tsh

$(TSH): $(TSH_SRCS) $(wildcard user/tsh/*.h) user/tsh/build.mk
	@mkdir -p $(@D)
	musl-gcc -static -O2 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	    -o $@ $(TSH_SRCS)

ROOT_FILES += $(TSH)=/bin/tsh
