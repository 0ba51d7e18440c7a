# chanfuzz - the one entry point. Builds go to build/, one folder per variant.
#
#   make            the model library and cftool in three variants:
#                   build/cftool (plain), build/asan/cftool (ASan+UBSan),
#                   build/guard/cftool (no sanitizer, guarded input reads)
#   make test       install what is missing, build, check, run every test
#   make check      clang-format and the banned-function source check
#   make corpus     compile corpus/src/*.cft into build/corpus/*.cf
#   make harness    every fuzz target for libFuzzer (build/fuzz, plain and
#                   _smart) and AFL++ (build/afl guard, build/afl-asan,
#                   build/cmplog) and the AFL++ custom mutator
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

# Library variants: compiler and flags. The fuzzing variants define
# FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION as OSS-Fuzz does (it changes
# nothing by itself; see docs/HARNESS.md on CF_FUZZ_SKIP_CRC).
FUZZDEF      := -DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
SAN          := -fsanitize=address,undefined -fno-sanitize-recover=all \
                -fno-omit-frame-pointer
AFLCC        := AFL_QUIET=1 afl-clang-fast
CC_plain     = $(CC)
CC_asan      = $(CC)
CC_guard     = $(CC)
CC_fuzz      = $(CC)
CC_pic       = $(CC)
CC_afl       = $(AFLCC)
CC_afl-asan  = AFL_USE_ASAN=1 $(AFLCC)
CC_cmplog    = AFL_LLVM_CMPLOG=1 $(AFLCC)
CFLAGS_plain    := -O2 -g
CFLAGS_asan     := -O1 -g $(SAN)
CFLAGS_guard    := -O2 -g -DCF_GUARD
CFLAGS_fuzz     := -O1 -g $(SAN) -fsanitize=fuzzer-no-link $(FUZZDEF)
CFLAGS_pic      := -O2 -g -fPIC $(FUZZDEF)
CFLAGS_afl      := -O2 -g -DCF_GUARD $(FUZZDEF)
CFLAGS_afl-asan := -O1 -g -fno-omit-frame-pointer $(FUZZDEF)
CFLAGS_cmplog   := -O2 -g -DCF_GUARD $(FUZZDEF)

LIB_SRC := $(sort $(wildcard parsers/src/*.c))
LIB_HDR := $(wildcard parsers/include/*.h parsers/src/*.h)
H_HDR   := $(wildcard harness/*.h)
TESTS   := $(patsubst tests/%.c,%,$(sort $(wildcard tests/test_*.c)))

# Fuzz targets; fuzz_interp_<build> are fuzz_interp.c for one sensor build.
TARGETS := fuzz_parse fuzz_validate fuzz_interp_711 fuzz_interp_716 \
           fuzz_regex fuzz_differential
tsrc = harness/$(if $(filter fuzz_interp_%,$(1)),fuzz_interp,$(1)).c
tdef = $(if $(filter fuzz_interp_%,$(1)),-DCF_H_BUILD='"$(subst fuzz_interp_7,7.,$(1))"') \
       $(if $(filter fuzz_regex,$(1)),-DCF_MUT_KIND=CF_MUT_REGEX)

.PHONY: all test check corpus deps clean tests harness demo
all: build/cftool build/asan/cftool build/guard/cftool

# $(1) = variant; objects in build/$(1)/obj, library build/$(1)/libcfmodel.a
define libvariant
build/$(1)/obj/%.o: parsers/src/%.c $(LIB_HDR) Makefile
	@mkdir -p $$(@D)
	$$(CC_$(1)) $$(STD) $$(WARN) $$(CFLAGS_$(1)) $$(INC) -Iparsers/src -c $$< -o $$@

build/$(1)/libcfmodel.a: $(patsubst parsers/src/%.c,build/$(1)/obj/%.o,$(LIB_SRC))
	@rm -f $$@
	ar rcs $$@ $$^
endef
$(foreach v,plain asan guard fuzz pic afl afl-asan cmplog,$(eval $(call libvariant,$(v))))

define toolvariant
build/$(1)/cftool: tools/cftool.c build/$(1)/libcfmodel.a $(LIB_HDR)
	$$(CC_$(1)) $$(STD) $$(WARN) $$(CFLAGS_$(1)) $$(INC) $$< build/$(1)/libcfmodel.a $$(LIBS) -o $$@
endef
$(foreach v,plain asan guard,$(eval $(call toolvariant,$(v))))

# Harness builds. $(1) = target.
HSRC = harness/harness.c
define target
build/fuzz/$(1): $(call tsrc,$(1)) $(HSRC) build/fuzz/libcfmodel.a $(H_HDR) $(LIB_HDR)
	$$(CC_fuzz) $$(STD) $$(WARN) $$(CFLAGS_fuzz) $(call tdef,$(1)) $$(INC) -Iharness \
		-fsanitize=fuzzer $(call tsrc,$(1)) $(HSRC) build/fuzz/libcfmodel.a $$(LIBS) -o $$@
build/fuzz/$(1)_smart: $(call tsrc,$(1)) $(HSRC) harness/cf_mutator.c harness/mutator_libfuzzer.c build/fuzz/libcfmodel.a $(H_HDR) $(LIB_HDR)
	$$(CC_fuzz) $$(STD) $$(WARN) $$(CFLAGS_fuzz) $(call tdef,$(1)) $$(INC) -Iharness \
		-fsanitize=fuzzer $(call tsrc,$(1)) $(HSRC) harness/cf_mutator.c \
		harness/mutator_libfuzzer.c build/fuzz/libcfmodel.a $$(LIBS) -o $$@
build/afl/$(1) build/afl-asan/$(1) build/cmplog/$(1): build/%/$(1): $(call tsrc,$(1)) $(HSRC) harness/afl_driver.c build/%/libcfmodel.a $(H_HDR) $(LIB_HDR)
	$$(CC_$$*) $$(STD) $$(WARN) $$(CFLAGS_$$*) $(call tdef,$(1)) $$(INC) -Iharness \
		$(call tsrc,$(1)) $(HSRC) harness/afl_driver.c build/$$*/libcfmodel.a $$(LIBS) -o $$@
endef
$(foreach t,$(TARGETS),$(eval $(call target,$(t))))

build/afl/cf_mutator.so: harness/mutator_afl.c harness/cf_mutator.c $(HSRC) build/pic/libcfmodel.a $(H_HDR) $(LIB_HDR)
	@mkdir -p $(@D)
	$(CC) $(STD) $(WARN) $(CFLAGS_pic) $(INC) -Iharness -shared $(filter %.c,$^) \
		build/pic/libcfmodel.a $(LIBS) -o $@

HARNESS := $(foreach t,$(TARGETS),build/fuzz/$(t) build/fuzz/$(t)_smart \
             build/afl/$(t) build/afl-asan/$(t) build/cmplog/$(t)) build/afl/cf_mutator.so
harness: $(HARNESS)

build/cftool: build/plain/cftool
	cp $< $@

# Unit tests run on the ASan+UBSan build.
build/asan/tests/%: tests/%.c tests/cf_test.h build/asan/libcfmodel.a $(LIB_HDR)
	@mkdir -p $(@D)
	$(CC) $(STD) $(WARN) $(CFLAGS_asan) $(INC) -Iparsers/src -Itests $< \
		build/asan/libcfmodel.a $(LIBS) -o $@
# The mutator test links the mutator itself (harness/ depends on parsers/).
build/asan/tests/test_mutator: tests/test_mutator.c harness/cf_mutator.c $(HSRC) tests/cf_test.h build/asan/libcfmodel.a $(H_HDR) $(LIB_HDR)
	@mkdir -p $(@D)
	$(CC) $(STD) $(WARN) $(CFLAGS_asan) $(INC) -Iharness -Itests $(filter %.c,$^) \
		build/asan/libcfmodel.a $(LIBS) -o $@

build/asan/tests/cfpatch: tests/cfpatch.c build/asan/libcfmodel.a $(LIB_HDR)
	@mkdir -p $(@D)
	$(CC) $(STD) $(WARN) $(CFLAGS_asan) $(INC) $< build/asan/libcfmodel.a $(LIBS) -o $@

tests: $(addprefix build/asan/tests/,$(TESTS)) build/asan/tests/cfpatch

# corpus/src/*.cft -> build/corpus/*.cf and corpus/<target>/ (seed rules in
# scripts/corpus.sh: which seeds each target gets).
corpus: build/cftool
	@scripts/corpus.sh

deps:
	@scripts/deps.sh

demo: deps
	$(MAKE) all corpus
	@scripts/demo.sh

check:
	@scripts/check-source.sh

# tests/run.sh runs `make check` as one of its suites and ends with the
# closing line "N passed, N failed".
test: deps
	$(MAKE) all tests corpus harness
	@tests/run.sh

clean:
	rm -rf build

# ---- crash pipeline (issue 5) ----
# Replay builds of every target without a fuzzing engine (harness/replay.c,
# docs/CRASHES.md): build/replay/<t> (ASan+UBSan: triage, regress, repro,
# gdb), build/replay-guard/<t> (guard: the structured out-of-bounds line)
# and build/replay-plain/<t> (no checks: what a release build does).
#   make replay    all three variants of every target
#   make regress   replay every seed and every regression input
#                  (corpus/regression/) against the ASan replay builds, one
#                  process per target and sensor build (scripts/regress.sh)
RP_VARIANTS := replay:asan replay-guard:guard replay-plain:plain
# $(1) = output folder, $(2) = library variant, $(3) = target
define replaytarget
build/$(1)/$(3): $(call tsrc,$(3)) $(HSRC) harness/replay.c build/$(2)/libcfmodel.a $(H_HDR) $(LIB_HDR)
	@mkdir -p $$(@D)
	$$(CC) $$(STD) $$(WARN) $$(CFLAGS_$(2)) $(call tdef,$(3)) $$(INC) -Iharness \
		$(call tsrc,$(3)) $(HSRC) harness/replay.c build/$(2)/libcfmodel.a $$(LIBS) -o $$@
endef
$(foreach v,$(RP_VARIANTS),$(foreach t,$(TARGETS),$(eval $(call replaytarget,$(word 1,$(subst :, ,$(v))),$(word 2,$(subst :, ,$(v))),$(t)))))
REPLAY := $(addprefix build/replay/,$(TARGETS))
.PHONY: replay regress
replay: $(REPLAY) $(addprefix build/replay-guard/,$(TARGETS)) \
        $(addprefix build/replay-plain/,$(TARGETS))
regress: $(REPLAY) corpus
	@scripts/regress.sh
# ---- end crash pipeline (issue 5) ----
