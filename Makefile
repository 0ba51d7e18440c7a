# chanfuzz - the one entry point. Builds go to build/, one folder per variant.
#
#   make            the model library and cftool in three variants:
#                   build/cftool (plain), build/asan/cftool (ASan+UBSan),
#                   build/guard/cftool (no sanitizer, guarded input reads)
#   make test       install what is missing, build, check, run every test
#   make check      clang-format and the banned-function source check
#   make corpus     compile corpus/src/*.cft into build/corpus/*.cf
#   make deps       install the Debian packages the project needs
#   make clean      remove build/

CC       ?= clang
ifeq ($(origin CC),default)
CC       := clang
endif
STD      := -std=c11 -D_DEFAULT_SOURCE
WARN     := -Wall -Wextra -Werror
INC      := -Iparsers/include
LIBS     := -lbsd

CFLAGS_plain := -O2 -g
CFLAGS_asan  := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all \
                -fno-omit-frame-pointer
CFLAGS_guard := -O2 -g -DCF_GUARD

LIB_SRC := $(sort $(wildcard parsers/src/*.c))
LIB_HDR := $(wildcard parsers/include/*.h parsers/src/*.h)
TESTS   := $(patsubst tests/%.c,%,$(sort $(wildcard tests/test_*.c)))
CFT     := $(sort $(wildcard corpus/src/*.cft))
CORPUS  := $(patsubst corpus/src/%.cft,build/corpus/%.cf,$(CFT))

.PHONY: all test check corpus deps clean tests
all: build/cftool build/asan/cftool build/guard/cftool

# $(1) = variant; objects in build/$(1)/obj, library build/$(1)/libcfmodel.a
define variant
build/$(1)/obj/%.o: parsers/src/%.c $(LIB_HDR) Makefile
	@mkdir -p $$(@D)
	$$(CC) $$(STD) $$(WARN) $$(CFLAGS_$(1)) $$(INC) -Iparsers/src -c $$< -o $$@

build/$(1)/libcfmodel.a: $(patsubst parsers/src/%.c,build/$(1)/obj/%.o,$(LIB_SRC))
	@rm -f $$@
	ar rcs $$@ $$^

build/$(1)/cftool: tools/cftool.c build/$(1)/libcfmodel.a $(LIB_HDR)
	$$(CC) $$(STD) $$(WARN) $$(CFLAGS_$(1)) $$(INC) $$< build/$(1)/libcfmodel.a $$(LIBS) -o $$@
endef
$(foreach v,plain asan guard,$(eval $(call variant,$(v))))

build/cftool: build/plain/cftool
	cp $< $@

# Unit tests run on the ASan+UBSan build.
build/asan/tests/%: tests/%.c tests/cf_test.h build/asan/libcfmodel.a $(LIB_HDR)
	@mkdir -p $(@D)
	$(CC) $(STD) $(WARN) $(CFLAGS_asan) $(INC) -Iparsers/src -Itests $< \
		build/asan/libcfmodel.a $(LIBS) -o $@
build/asan/tests/cfpatch: tests/cfpatch.c build/asan/libcfmodel.a $(LIB_HDR)
	@mkdir -p $(@D)
	$(CC) $(STD) $(WARN) $(CFLAGS_asan) $(INC) $< build/asan/libcfmodel.a $(LIBS) -o $@

tests: $(addprefix build/asan/tests/,$(TESTS)) build/asan/tests/cfpatch

build/corpus/%.cf: corpus/src/%.cft build/cftool
	@mkdir -p $(@D)
	build/cftool asm $< -o $@
corpus: $(CORPUS)

deps:
	@scripts/deps.sh

check:
	@scripts/check-source.sh

# tests/run.sh runs `make check` as one of its suites and ends with the
# closing line "N passed, N failed".
test: deps
	$(MAKE) all tests corpus
	@tests/run.sh

clean:
	rm -rf build
