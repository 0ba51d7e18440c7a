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
# ---- release gate (issue 19): its fuzz target (harness/fuzz_gate.c) ----
TARGETS += fuzz_gate
# ---- end release gate ----
tsrc = harness/$(if $(filter fuzz_interp_%,$(1)),fuzz_interp,$(1)).c
tdef = $(if $(filter fuzz_interp_%,$(1)),-DCF_H_BUILD='"$(subst fuzz_interp_7,7.,$(1))"') \
       $(if $(filter fuzz_regex,$(1)),-DCF_MUT_KIND=CF_MUT_REGEX)

.PHONY: all test check corpus deps clean tests harness demo FORCE
all: build/cftool build/asan/cftool build/guard/cftool

# A recipe that fails leaves no half-written target behind.
.DELETE_ON_ERROR:
# clean must not run beside the builds of the same make -j command.
ifneq ($(filter clean,$(MAKECMDGOALS)),)
.NOTPARALLEL:
endif

# stamp FILE, TEXT: FILE holds TEXT (a variant's compiler, flags and
# sources) and is rewritten only when TEXT changes. What is built with
# those flags depends on FILE: a new compiler, flag or deleted source
# rebuilds it, an edit elsewhere in this Makefile rebuilds nothing. The
# temporary file is per shell: two makes in one tree (campaigns side by
# side) must not remove each other's.
define stamp
$(1): FORCE
	+@mkdir -p $$(@D)
	+@t=$$@.$$$$$$$$.tmp; printf '%s\n' '$(2)' >$$$$t && \
	if cmp -s $$$$t $$@; then rm -f $$$$t; else mv -f $$$$t $$@; fi
endef

# $(1) = variant; objects in build/$(1)/obj, library build/$(1)/libcfmodel.a
define libvariant
$(call stamp,build/$(1)/flags,$(CC_$(1)) $(STD) $(WARN) $(CFLAGS_$(1)) $(INC) $(LIB_SRC))
build/$(1)/obj/%.o: parsers/src/%.c $(LIB_HDR) build/$(1)/flags
	@mkdir -p $$(@D)
	$$(CC_$(1)) $$(STD) $$(WARN) $$(CFLAGS_$(1)) $$(INC) -Iparsers/src -c $$< -o $$@

build/$(1)/libcfmodel.a: $(patsubst parsers/src/%.c,build/$(1)/obj/%.o,$(LIB_SRC)) build/$(1)/flags
	@rm -f $$@
	ar rcs $$@ $$(filter %.o,$$^)
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
	$(MAKE) all tests corpus harness replay
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
#                  process per target and sensor build (scripts/regress.sh;
#                  options through REGRESS_ARGS="--regression DIR ...")
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
REGRESS_ARGS ?=
regress: $(REPLAY) corpus
	@scripts/regress.sh $(REGRESS_ARGS)
# ---- end crash pipeline (issue 5) ----

# ---- OSS-Fuzz (issue 6) ----
# scripts/build.sh is the OSS-Fuzz / ClusterFuzzLite build (docs/OSSFUZZ.md);
# it stands alone, without this Makefile.
#   make ossfuzz   run it here as base-builder would for an ASan libFuzzer
#                  build (or with your CC, CFLAGS, LIB_FUZZING_ENGINE), into
#                  build/ossfuzz/out: six targets, seed zips, dicts, options
.PHONY: ossfuzz
ossfuzz:
	@rm -rf build/ossfuzz/out && mkdir -p build/ossfuzz/out
	SRC= CXX= OUT="$(CURDIR)/build/ossfuzz/out" scripts/build.sh
# ---- end OSS-Fuzz (issue 6) ----

# ---- benchmarks (issue 7) ----
# Throughput against the ceiling and time-to-bug over planted defects
# (Magma's method): scripts/bench.sh, docs/BENCH.md. The script builds what
# it needs (make bench-build for everything) and writes
# bench/results/<UTC date>[-quick].md and .json.
#   make bench         the full run (BENCH_TRIALS=20 BENCH_CAP=120: hours)
#   make bench-quick   a small run for development: under 5 minutes
#   make bench-build   every benchmark build (below)
# Options through BENCH_ARGS="--trials 5 --cap 60 ..." (scripts/bench.sh
# --help), or BENCH_TRIALS / BENCH_CAP / BENCH_TPUT in the environment;
# BENCH_ARGS="--resume build/bench/runs/<stamp>.XXXX" carries on a run that
# was interrupted (its settings, its finished sections and trials);
# BENCH_ARGS="--checkpoint bench/runs/<name>" keeps the run's state there,
# to commit and resume from another clone (a run in several sittings).
#
# Benchmark builds only: each planted defect is a -DCF_BENCH_BUG_<NAME>
# switch (parsers/src, bench/cf_bench.h), never set in a default build;
# cf291 adds only the canary to the 7.11 build. Per defect B:
#   build/bench/B/{fuzz,afl,cmplog}/<target>    CRC enforced
#   build/bench/B-nocrc/...                     -DCF_FUZZ_SKIP_CRC baseline
# with <target> fuzz_interp_711 for cf291, fuzz_interp_716 otherwise (and
# <target>_smart under fuzz/). build/bench/fuzz_noop and afl_noop are the
# do-nothing targets (the ceiling); bench_tool counts well-formed mutations
# and writes each defect's proof-of-concept input.
BENCH_BUGS     := strref count re_range typeconf stack uaf cf291
BENCH_VARIANTS := $(BENCH_BUGS) $(addsuffix -nocrc,$(BENCH_BUGS))
BENCH_UC_strref   := STRREF
BENCH_UC_count    := COUNT
BENCH_UC_re_range := RE_RANGE
BENCH_UC_typeconf := TYPECONF
BENCH_UC_stack    := STACK
BENCH_UC_uaf      := UAF
BENCH_UC_cf291    := CF291
bench_bug = $(patsubst %-nocrc,%,$(1))
bench_def = -DCF_BENCH_BUG_$(BENCH_UC_$(call bench_bug,$(1))) -Ibench \
            $(if $(filter %-nocrc,$(1)),-DCF_FUZZ_SKIP_CRC)
bench_tgt = $(if $(filter cf291,$(call bench_bug,$(1))),fuzz_interp_711,fuzz_interp_716)

# The canaries: plain compiler, no coverage instrumentation, no sanitizer.
build/bench/cf_bench.o: bench/cf_bench.c bench/cf_bench.h build/plain/flags
	@mkdir -p $(@D)
	$(CC) $(STD) $(WARN) -O2 -g -Ibench -c $< -o $@

# $(1) = variant, $(2) = engine (fuzz afl cmplog): its library.
define benchlib
$(call stamp,build/bench/$(1)/$(2)/flags,$(CC_$(2)) $(STD) $(WARN) $(CFLAGS_$(2)) $(call bench_def,$(1)) $(INC) $(LIB_SRC))
build/bench/$(1)/$(2)/obj/%.o: parsers/src/%.c $(LIB_HDR) bench/cf_bench.h build/bench/$(1)/$(2)/flags
	@mkdir -p $$(@D)
	$$(CC_$(2)) $$(STD) $$(WARN) $$(CFLAGS_$(2)) $(call bench_def,$(1)) $$(INC) -Iparsers/src -c $$< -o $$@
build/bench/$(1)/$(2)/libcfmodel.a: $(patsubst parsers/src/%.c,build/bench/$(1)/$(2)/obj/%.o,$(LIB_SRC)) build/bench/cf_bench.o build/bench/$(1)/$(2)/flags
	@rm -f $$@
	ar rcs $$@ $$(filter %.o,$$^)
endef
$(foreach v,$(BENCH_VARIANTS),$(foreach e,fuzz afl cmplog,$(eval $(call benchlib,$(v),$(e)))))

# $(1) = variant, $(2) = target.
define benchtarget
build/bench/$(1)/fuzz/$(2): $(call tsrc,$(2)) $(HSRC) build/bench/$(1)/fuzz/libcfmodel.a $(H_HDR) $(LIB_HDR)
	$$(CC_fuzz) $$(STD) $$(WARN) $$(CFLAGS_fuzz) $(call bench_def,$(1)) $(call tdef,$(2)) $$(INC) -Iharness \
		-fsanitize=fuzzer $(call tsrc,$(2)) $(HSRC) build/bench/$(1)/fuzz/libcfmodel.a $$(LIBS) -o $$@
build/bench/$(1)/fuzz/$(2)_smart: $(call tsrc,$(2)) $(HSRC) harness/cf_mutator.c harness/mutator_libfuzzer.c build/bench/$(1)/fuzz/libcfmodel.a $(H_HDR) $(LIB_HDR)
	$$(CC_fuzz) $$(STD) $$(WARN) $$(CFLAGS_fuzz) $(call bench_def,$(1)) $(call tdef,$(2)) $$(INC) -Iharness \
		-fsanitize=fuzzer $(call tsrc,$(2)) $(HSRC) harness/cf_mutator.c \
		harness/mutator_libfuzzer.c build/bench/$(1)/fuzz/libcfmodel.a $$(LIBS) -o $$@
build/bench/$(1)/afl/$(2) build/bench/$(1)/cmplog/$(2): build/bench/$(1)/%/$(2): $(call tsrc,$(2)) $(HSRC) harness/afl_driver.c build/bench/$(1)/%/libcfmodel.a $(H_HDR) $(LIB_HDR)
	$$(CC_$$*) $$(STD) $$(WARN) $$(CFLAGS_$$*) $(call bench_def,$(1)) $(call tdef,$(2)) $$(INC) -Iharness \
		$(call tsrc,$(2)) $(HSRC) harness/afl_driver.c build/bench/$(1)/$$*/libcfmodel.a $$(LIBS) -o $$@
endef
$(foreach v,$(BENCH_VARIANTS),$(eval $(call benchtarget,$(v),$(call bench_tgt,$(v)))))

# The ceiling: a target that does nothing, built as the targets are (and
# rebuilt when their flags change: the stamps).
build/bench/fuzz_noop: harness/fuzz_noop.c build/fuzz/flags
	@mkdir -p $(@D)
	$(CC_fuzz) $(STD) $(WARN) $(CFLAGS_fuzz) -fsanitize=fuzzer $< -o $@
build/bench/afl_noop: harness/fuzz_noop.c harness/afl_driver.c build/afl/flags
	@mkdir -p $(@D)
	$(CC_afl) $(STD) $(WARN) $(CFLAGS_afl) $(filter %.c,$^) -o $@
build/bench/bench_tool: bench/bench_tool.c harness/cf_mutator.c $(HSRC) build/plain/libcfmodel.a $(H_HDR) $(LIB_HDR)
	@mkdir -p $(@D)
	$(CC) $(STD) $(WARN) $(CFLAGS_plain) $(INC) -Iharness $(filter %.c,$^) \
		build/plain/libcfmodel.a $(LIBS) -o $@

BENCH_BIN := $(foreach v,$(BENCH_VARIANTS),$(addprefix build/bench/$(v)/,\
               fuzz/$(call bench_tgt,$(v)) fuzz/$(call bench_tgt,$(v))_smart \
               afl/$(call bench_tgt,$(v)) cmplog/$(call bench_tgt,$(v)))) \
             build/bench/fuzz_noop build/bench/afl_noop build/bench/bench_tool
.PHONY: bench bench-quick bench-build
bench-build: $(BENCH_BIN) $(foreach t,$(TARGETS),build/fuzz/$(t) \
               build/fuzz/$(t)_smart build/afl/$(t)) build/afl/cf_mutator.so
BENCH_ARGS ?=
bench: deps
	@scripts/bench.sh $(BENCH_ARGS)
bench-quick: deps
	@scripts/bench.sh --quick $(BENCH_ARGS)
# ---- end benchmarks (issue 7) ----

# ---- campaign (issue 6) ----
# The nightly campaign (scripts/campaign.sh, docs/CAMPAIGN.md) and the
# source-coverage build its report uses.
#   make fuzz       a campaign with the defaults (5 minutes, every core, every
#                   target) into campaigns/<UTC time>/; more options through
#                   FUZZ_ARGS, e.g. make fuzz FUZZ_ARGS="--budget 8h"
#   make coverage-build
#                   build/coverage/<t>: each target with clang's source-based
#                   coverage (-fprofile-instr-generate -fcoverage-mapping), no
#                   sanitizer, replaying its file arguments (harness/afl_driver.c
#                   built without AFL++)
CC_coverage     = $(CC)
CFLAGS_coverage := -O0 -g -fprofile-instr-generate -fcoverage-mapping $(FUZZDEF)
$(eval $(call libvariant,coverage))
define covtarget
build/coverage/$(1): $(call tsrc,$(1)) $(HSRC) harness/afl_driver.c build/coverage/libcfmodel.a $(H_HDR) $(LIB_HDR)
	@mkdir -p $$(@D)
	$$(CC_coverage) $$(STD) $$(WARN) $$(CFLAGS_coverage) $(call tdef,$(1)) $$(INC) -Iharness \
		$(call tsrc,$(1)) $(HSRC) harness/afl_driver.c build/coverage/libcfmodel.a $$(LIBS) -o $$@
endef
$(foreach t,$(TARGETS),$(eval $(call covtarget,$(t))))
.PHONY: coverage-build fuzz
coverage-build: $(addprefix build/coverage/,$(TARGETS))
fuzz: deps
	@scripts/campaign.sh $(FUZZ_ARGS)
# ---- end campaign (issue 6) ----
