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
#   make test-deps  ... and those only the tests need (a browser)
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
CC_asan-guard = $(CC)
CC_fuzz      = $(CC)
CC_pic       = $(CC)
CC_afl       = $(AFLCC)
CC_afl-asan  = AFL_USE_ASAN=1 $(AFLCC)
CC_cmplog    = AFL_LLVM_CMPLOG=1 $(AFLCC)
CFLAGS_plain    := -O2 -g
CFLAGS_asan     := -O1 -g $(SAN)
CFLAGS_guard    := -O2 -g -DCF_GUARD
# ASan + UBSan with the guard's checked reads: the first fault an input
# meets, whichever detector sees it (the replay-guard builds: crash identity)
CFLAGS_asan-guard := -O1 -g $(SAN) -DCF_GUARD
CFLAGS_fuzz     := -O1 -g $(SAN) -fsanitize=fuzzer-no-link $(FUZZDEF)
CFLAGS_pic      := -O2 -g -fPIC $(FUZZDEF)
CFLAGS_afl      := -O2 -g -DCF_GUARD $(FUZZDEF)
CFLAGS_afl-asan := -O1 -g -fno-omit-frame-pointer $(FUZZDEF)
CFLAGS_cmplog   := -O2 -g -DCF_GUARD $(FUZZDEF)

LIB_SRC := $(sort $(wildcard parsers/src/*.c))
LIB_HDR := $(wildcard parsers/include/*.h parsers/src/*.h)
H_HDR   := $(wildcard harness/*.h)
TESTS   := $(patsubst tests/%.c,%,$(sort $(wildcard tests/test_*.c)))

# The fuzz targets: harness/targets.tsv, the one list (docs/HARNESS.md),
# read once into one word per target, NAME:SOURCE:SENSOR:MUTATOR:DEFINES.
# tsrc T is its source, tdef T its preprocessor flags: the sensor build it
# runs (CF_H_BUILD), the mutator kind of its _smart build (CF_MUT_KIND)
# and the list's own defines.
comma   := ,
TARGET_ROWS := $(shell awk -F'\t' '/^[a-z]/ { print $$1 ":" $$2 ":" $$4 ":" $$5 ":" $$6 }' harness/targets.tsv)
TARGETS := $(foreach r,$(TARGET_ROWS),$(firstword $(subst :, ,$(r))))
$(if $(TARGETS),,$(error harness/targets.tsv lists no targets))
tcol = $(filter-out -,$(word $(2),$(subst :, ,$(filter $(1):%,$(TARGET_ROWS)))))
tsrc = harness/$(call tcol,$(1),2)
tdef = $(if $(call tcol,$(1),3),-DCF_H_BUILD='"$(call tcol,$(1),3)"') \
       $(if $(filter regex,$(call tcol,$(1),4)),-DCF_MUT_KIND=CF_MUT_REGEX) \
       $(subst $(comma), ,$(call tcol,$(1),5))
# tsmart T: its _smart build, none for mutator kind none.
tsmart = $(if $(filter none,$(call tcol,$(1),4)),,build/fuzz/$(1)_smart)
# What a build of target T depends on: its source and build/tflags/T,
# which holds its source and flags (a changed line in the list rebuilds
# that target alone; the stamp is defined below).
tdeps = $(call tsrc,$(1)) build/tflags/$(1)

.PHONY: all test check corpus deps test-deps clean tests harness demo FORCE
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
$(foreach v,plain asan guard asan-guard fuzz pic afl afl-asan cmplog,$(eval $(call libvariant,$(v))))
$(foreach t,$(TARGETS),$(eval $(call stamp,build/tflags/$(t),$(filter $(t):%,$(TARGET_ROWS)))))

define toolvariant
build/$(1)/cftool: tools/cftool.c build/$(1)/libcfmodel.a $(LIB_HDR)
	$$(CC_$(1)) $$(STD) $$(WARN) $$(CFLAGS_$(1)) $$(INC) $$< build/$(1)/libcfmodel.a $$(LIBS) -o $$@
endef
$(foreach v,plain asan guard,$(eval $(call toolvariant,$(v))))

# Harness builds. $(1) = target.
HSRC = harness/harness.c
# The structure-aware mutator: its API file and its modules (harness/mut_*.c
# behind the private harness/mut_int.h; docs/HARNESS.md). scripts/build.sh
# finds them by the same names.
MUT_SRC := harness/cf_mutator.c $(sort $(wildcard harness/mut_*.c))

# The mutator inside the libFuzzer _smart builds (issue 18): it, and the
# copy of the model it parses, edits and writes channel files with, run
# without coverage, comparison tracing or sanitizers; only the code under
# test is instrumented. Its sources and the model are compiled as the pic
# variant is (no instrumentation: build/pic/libcfmodel.a is that model),
# linked into one relocatable object, build/fuzz/mut-KIND.o (one per
# mutator kind, CF_MUT_KIND), in which every symbol but the two libFuzzer
# hooks is then made local: the binary's code under test keeps its own,
# instrumented model, and the mutator's calls stay inside its copy. The
# AFL++ library (build/afl/cf_mutator.so) is built without instrumentation
# already. tests/sh/mut_noinst.sh checks it; scripts/build-mut.sh does the
# same for build.sh.
OBJCOPY   ?= objcopy
MUT_HOOKS := LLVMFuzzerCustomMutator LLVMFuzzerCustomCrossOver
MUT_OBJ   := $(patsubst harness/%.c,build/pic/mut/%.o,$(MUT_SRC) $(HSRC))
$(MUT_OBJ): build/pic/mut/%.o: harness/%.c $(H_HDR) $(LIB_HDR) build/pic/flags
	@mkdir -p $(@D)
	$(CC_pic) $(STD) $(WARN) $(CFLAGS_pic) $(INC) -Iharness -c $< -o $@
build/pic/mut/hooks-channel.o build/pic/mut/hooks-regex.o: build/pic/mut/hooks-%.o: harness/mutator_libfuzzer.c $(H_HDR) build/pic/flags
	@mkdir -p $(@D)
	$(CC_pic) $(STD) $(WARN) $(CFLAGS_pic) $(INC) -Iharness \
		-DCF_MUT_KIND=$(if $(filter regex,$*),CF_MUT_REGEX,CF_MUT_CHANNEL) -c $< -o $@
build/fuzz/mut-channel.o build/fuzz/mut-regex.o: build/fuzz/mut-%.o: build/pic/mut/hooks-%.o $(MUT_OBJ) build/pic/libcfmodel.a
	@mkdir -p $(@D)
	$(LD) -r -o $@.tmp $(filter %.o,$^) build/pic/libcfmodel.a
	$(OBJCOPY) $(addprefix --keep-global-symbol=,$(MUT_HOOKS)) $@.tmp $@
	@rm -f $@.tmp
# tmut T: the mutator object of target T's _smart build.
tmut = build/fuzz/mut-$(call tcol,$(1),4).o

define target
build/fuzz/$(1): $(call tdeps,$(1)) $(HSRC) build/fuzz/libcfmodel.a $(H_HDR) $(LIB_HDR)
	$$(CC_fuzz) $$(STD) $$(WARN) $$(CFLAGS_fuzz) $(call tdef,$(1)) $$(INC) -Iharness \
		-fsanitize=fuzzer $(call tsrc,$(1)) $(HSRC) build/fuzz/libcfmodel.a $$(LIBS) -o $$@
build/fuzz/$(1)_smart: $(call tdeps,$(1)) $(HSRC) $(call tmut,$(1)) build/fuzz/libcfmodel.a $(H_HDR) $(LIB_HDR)
	$$(CC_fuzz) $$(STD) $$(WARN) $$(CFLAGS_fuzz) $(call tdef,$(1)) $$(INC) -Iharness \
		-fsanitize=fuzzer $(call tsrc,$(1)) $(HSRC) $(call tmut,$(1)) \
		build/fuzz/libcfmodel.a $$(LIBS) -o $$@
build/afl/$(1) build/afl-asan/$(1) build/cmplog/$(1): build/%/$(1): $(call tdeps,$(1)) $(HSRC) harness/afl_driver.c build/%/libcfmodel.a $(H_HDR) $(LIB_HDR)
	$$(CC_$$*) $$(STD) $$(WARN) $$(CFLAGS_$$*) $(call tdef,$(1)) $$(INC) -Iharness \
		$(call tsrc,$(1)) $(HSRC) harness/afl_driver.c build/$$*/libcfmodel.a $$(LIBS) -o $$@
endef
$(foreach t,$(TARGETS),$(eval $(call target,$(t))))

build/afl/cf_mutator.so: harness/mutator_afl.c $(MUT_SRC) $(HSRC) build/pic/libcfmodel.a $(H_HDR) $(LIB_HDR)
	@mkdir -p $(@D)
	$(CC) $(STD) $(WARN) $(CFLAGS_pic) $(INC) -Iharness -shared $(filter %.c,$^) \
		build/pic/libcfmodel.a $(LIBS) -o $@

HARNESS := $(foreach t,$(TARGETS),build/fuzz/$(t) $(call tsmart,$(t)) \
             build/afl/$(t) build/afl-asan/$(t) build/cmplog/$(t)) build/afl/cf_mutator.so
harness: $(HARNESS)

build/cftool: build/plain/cftool
	cp $< $@

# Unit tests run on the ASan+UBSan build.
build/asan/tests/%: tests/%.c tests/cf_test.h build/asan/libcfmodel.a $(LIB_HDR)
	@mkdir -p $(@D)
	$(CC) $(STD) $(WARN) $(CFLAGS_asan) $(INC) -Iparsers/src -Itests $< \
		build/asan/libcfmodel.a $(LIBS) -o $@
# The mutator tests link the mutator itself (harness/ depends on parsers/).
build/asan/tests/test_mutator build/asan/tests/test_mut_golden: build/asan/tests/%: tests/%.c $(MUT_SRC) $(HSRC) tests/cf_test.h build/asan/libcfmodel.a $(H_HDR) $(LIB_HDR)
	@mkdir -p $(@D)
	$(CC) $(STD) $(WARN) $(CFLAGS_asan) $(INC) -Iharness -Itests $(filter %.c,$^) \
		build/asan/libcfmodel.a $(LIBS) -o $@

build/asan/tests/cfpatch: tests/cfpatch.c build/asan/libcfmodel.a $(LIB_HDR)
	@mkdir -p $(@D)
	$(CC) $(STD) $(WARN) $(CFLAGS_asan) $(INC) $< build/asan/libcfmodel.a $(LIBS) -o $@

tests: $(addprefix build/asan/tests/,$(TESTS)) build/asan/tests/cfpatch

# corpus/src/*.cft -> build/corpus/*.cf and corpus/<target>/ (seed rules in
# scripts/lib/chanfuzz/corpus.py: which seeds each target gets).
corpus: build/cftool
	@scripts/corpus.sh

deps:
	@scripts/deps.sh
test-deps:
	@scripts/deps.sh --test

demo: deps
	$(MAKE) all corpus
	@scripts/demo.sh

check: test-deps
	@scripts/check-source.sh

# tests/run.sh runs `make check` as one of its suites and ends with the
# closing line "N passed, N failed".
test: test-deps
	$(MAKE) all tests corpus harness replay
	@tests/run.sh

clean:
	rm -rf build

# ---- crash pipeline (issue 5) ----
# Replay builds of every target without a fuzzing engine (harness/replay.c,
# docs/CRASHES.md): build/replay/<t> (ASan+UBSan: triage, regress, repro,
# gdb), build/replay-guard/<t> (ASan+UBSan and the guard: the first fault
# an input meets, the structured out-of-bounds line for a content read)
# and build/replay-plain/<t> (no checks: what a release build does).
#   make replay    all three variants of every target
#   make regress   replay every seed and every regression input
#                  (corpus/regression/) against the ASan replay builds, one
#                  process per target and sensor build (scripts/regress.sh;
#                  options through REGRESS_ARGS="--regression DIR ...")
RP_VARIANTS := replay:asan replay-guard:asan-guard replay-plain:plain
# $(1) = output folder, $(2) = library variant, $(3) = target
define replaytarget
build/$(1)/$(3): $(call tdeps,$(3)) $(HSRC) harness/replay.c build/$(2)/libcfmodel.a $(H_HDR) $(LIB_HDR)
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
regress: $(REPLAY) $(addprefix build/replay-guard/,$(TARGETS)) corpus
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
# (Magma's method): scripts/bench.sh (scripts/chanfuzz bench), docs/BENCH.md.
# It builds what it needs (make bench-build for everything) and writes
# bench/results/<UTC date>[-quick].md and .json.
#   make bench         the full run (BENCH_TRIALS=20 BENCH_CAP=120: hours)
#   make bench-quick   a small run for development: about 10 minutes (a 5-minute default campaign among them)
#   make bench-build   every benchmark build (below)
# Options through BENCH_ARGS="--trials 5 --cap 60 ..." (scripts/bench.sh
# --help), or BENCH_TRIALS / BENCH_CAP / BENCH_TPUT in the environment;
# BENCH_ARGS="--resume build/bench/runs/<stamp>.XXXXXXXX" carries on a run
# that was interrupted (its settings, its finished sections and trials);
# BENCH_ARGS="--checkpoint bench/runs/<name>" keeps the run's state there,
# to commit and resume from another clone (a run in several sittings).
#
# The bug zoo (docs/BENCH.md): bench/bugs/zoo.tsv lists the planted
# defects, read once into one word per defect, NAME:TARGET. Each defect B is
# bench/bugs/B.patch (the defect and its canaries), applied to a copy of
# parsers/ at build time, never to parsers/ itself:
#   build/bench/B/tree/parsers/                 the patched copy
#   build/bench/B/{fuzz,afl,cmplog}/<target>    built from it, CRC enforced
#   build/bench/B-nocrc/...                     -DCF_FUZZ_SKIP_CRC baseline
# with <target> the list's (and <target>_smart under fuzz/). `make check`
# applies every patch to the tree with --dry-run (scripts/check-source.sh).
# build/bench/fuzz_noop and afl_noop are the do-nothing targets (the
# ceiling); bench_tool counts well-formed mutations and writes the
# defects' proof-of-concept inputs.
ZOO_ROWS       := $(shell awk -F'\t' '/^[a-z]/ { print $$1 ":" $$2 }' bench/bugs/zoo.tsv)
BENCH_BUGS     := $(foreach r,$(ZOO_ROWS),$(firstword $(subst :, ,$(r))))
BENCH_VARIANTS := $(BENCH_BUGS) $(addsuffix -nocrc,$(BENCH_BUGS))
bench_bug  = $(patsubst %-nocrc,%,$(1))
bench_def  = -Ibench $(if $(filter %-nocrc,$(1)),-DCF_FUZZ_SKIP_CRC)
bench_tgt  = $(word 2,$(subst :, ,$(filter $(call bench_bug,$(1)):%,$(ZOO_ROWS))))
bench_tree = build/bench/$(call bench_bug,$(1))/tree/parsers
bench_inc  = -I$(call bench_tree,$(1))/include
# --fuzz=0: a patch whose context no longer matches fails, it is not
# applied somewhere near.
BENCH_PATCH := patch -p1 --fuzz=0 --no-backup-if-mismatch --quiet --force

# The canaries: plain compiler, no coverage instrumentation, no sanitizer.
build/bench/cf_bench.o: bench/cf_bench.c bench/cf_bench.h build/plain/flags
	@mkdir -p $(@D)
	$(CC) $(STD) $(WARN) -O2 -g -Ibench -c $< -o $@

# $(1) = defect: the patched copy. cp -p keeps the times of the files the
# patch leaves alone, so after a change elsewhere in parsers/ only what
# changed is compiled again.
define benchtree
build/bench/$(1)/tree/.patched: bench/bugs/$(1).patch $(LIB_SRC) $(LIB_HDR)
	@rm -rf build/bench/$(1)/tree build/bench/$(1)/tree.tmp
	@mkdir -p build/bench/$(1)/tree.tmp
	cp -pR parsers build/bench/$(1)/tree.tmp/
	$(BENCH_PATCH) -d build/bench/$(1)/tree.tmp <bench/bugs/$(1).patch
	@touch build/bench/$(1)/tree.tmp/.patched
	@mv build/bench/$(1)/tree.tmp build/bench/$(1)/tree
$(addprefix build/bench/$(1)/tree/,$(LIB_SRC) $(LIB_HDR)): build/bench/$(1)/tree/.patched ;
endef
$(foreach b,$(BENCH_BUGS),$(eval $(call benchtree,$(b))))

# $(1) = variant, $(2) = engine (fuzz afl cmplog): its library.
define benchlib
$(call stamp,build/bench/$(1)/$(2)/flags,$(CC_$(2)) $(STD) $(WARN) $(CFLAGS_$(2)) $(call bench_def,$(1)) $(call bench_inc,$(1)) $(LIB_SRC))
build/bench/$(1)/$(2)/obj/%.o: $(call bench_tree,$(1))/src/%.c $(addprefix build/bench/$(call bench_bug,$(1))/tree/,$(LIB_HDR)) bench/cf_bench.h build/bench/$(1)/$(2)/flags
	@mkdir -p $$(@D)
	$$(CC_$(2)) $$(STD) $$(WARN) $$(CFLAGS_$(2)) $(call bench_def,$(1)) $(call bench_inc,$(1)) -I$(call bench_tree,$(1))/src -c $$< -o $$@
build/bench/$(1)/$(2)/libcfmodel.a: $(patsubst parsers/src/%.c,build/bench/$(1)/$(2)/obj/%.o,$(LIB_SRC)) build/bench/cf_bench.o build/bench/$(1)/$(2)/flags
	@rm -f $$@
	ar rcs $$@ $$(filter %.o,$$^)
endef
$(foreach v,$(BENCH_VARIANTS),$(foreach e,fuzz afl cmplog,$(eval $(call benchlib,$(v),$(e)))))

# $(1) = variant, $(2) = target: the harness compiled against the patched
# headers. The _smart builds link the default build's uninstrumented
# mutator object (build/fuzz/mut-KIND.o: the mutator with its own copy of
# the unpatched model), as the campaign's do: the planted defect and its
# canaries are in the code under test only, never in the mutator's parse.
define benchtarget
build/bench/$(1)/fuzz/$(2): $(call tdeps,$(2)) $(HSRC) build/bench/$(1)/fuzz/libcfmodel.a $(H_HDR) $(LIB_HDR)
	$$(CC_fuzz) $$(STD) $$(WARN) $$(CFLAGS_fuzz) $(call bench_def,$(1)) $(call tdef,$(2)) $(call bench_inc,$(1)) -Iharness \
		-fsanitize=fuzzer $(call tsrc,$(2)) $(HSRC) build/bench/$(1)/fuzz/libcfmodel.a $$(LIBS) -o $$@
build/bench/$(1)/fuzz/$(2)_smart: $(call tdeps,$(2)) $(HSRC) $(call tmut,$(2)) build/bench/$(1)/fuzz/libcfmodel.a $(H_HDR) $(LIB_HDR)
	$$(CC_fuzz) $$(STD) $$(WARN) $$(CFLAGS_fuzz) $(call bench_def,$(1)) $(call tdef,$(2)) $(call bench_inc,$(1)) -Iharness \
		-fsanitize=fuzzer $(call tsrc,$(2)) $(HSRC) $(call tmut,$(2)) \
		build/bench/$(1)/fuzz/libcfmodel.a $$(LIBS) -o $$@
build/bench/$(1)/afl/$(2) build/bench/$(1)/cmplog/$(2): build/bench/$(1)/%/$(2): $(call tdeps,$(2)) $(HSRC) harness/afl_driver.c build/bench/$(1)/%/libcfmodel.a $(H_HDR) $(LIB_HDR)
	$$(CC_$$*) $$(STD) $$(WARN) $$(CFLAGS_$$*) $(call bench_def,$(1)) $(call tdef,$(2)) $(call bench_inc,$(1)) -Iharness \
		$(call tsrc,$(2)) $(HSRC) harness/afl_driver.c build/bench/$(1)/$$*/libcfmodel.a $$(LIBS) -o $$@
endef
$(foreach v,$(BENCH_VARIANTS),$(eval $(call benchtarget,$(v),$(call bench_tgt,$(v)))))

# The ceiling: a target that does nothing, built as the targets are (and
# rebuilt when their flags change: the stamps).
build/bench/fuzz_noop: harness/fuzz_noop.c build/fuzz/flags
	@mkdir -p $(@D)
	$(CC_fuzz) $(STD) $(WARN) $(CFLAGS_fuzz) -fsanitize=fuzzer $< -o $@
build/bench/afl_noop: harness/fuzz_noop.c harness/afl_driver.c build/afl/libcfmodel.a build/afl/flags
	@mkdir -p $(@D)
	$(CC_afl) $(STD) $(WARN) $(CFLAGS_afl) $(INC) $(filter %.c,$^) build/afl/libcfmodel.a $(LIBS) -o $@
build/bench/bench_tool: bench/bench_tool.c bench/bench_util.c bench/bench_util.h $(MUT_SRC) $(HSRC) build/plain/libcfmodel.a $(H_HDR) $(LIB_HDR)
	@mkdir -p $(@D)
	$(CC) $(STD) $(WARN) $(CFLAGS_plain) $(INC) -Iharness $(filter %.c,$^) \
		build/plain/libcfmodel.a $(LIBS) -o $@

# What each operation of the mutator finds (docs/HARNESS.md, "What each
# operation finds"): bench/opcov.c linked with OPCOV_TARGETS (their rows of
# harness/targets.tsv: sources and defines), each entry point renamed, the
# targets and the model instrumented with 8-bit edge counters and no
# sanitizer, the mutator not. fuzz_interp_711 is left out: it faults by
# design on the CF-291 class, and fuzz_interp_716 runs the same code.
#   make opcov     build it and print the table (a few minutes);
#                  options through OPCOV_ARGS="--reps 10 --runs 20000 ..."
OPCOV_TARGETS := fuzz_parse fuzz_validate fuzz_interp_716 fuzz_differential
CC_opcov      = $(CC)
CFLAGS_opcov := -O1 -g -fsanitize-coverage=inline-8bit-counters $(FUZZDEF)
$(eval $(call libvariant,opcov))
define opcovtarget
build/opcov/t/$(1).o: $(call tdeps,$(1)) $(H_HDR) $(LIB_HDR) build/opcov/flags
	@mkdir -p $$(@D)
	$$(CC_opcov) $$(STD) $$(WARN) $$(CFLAGS_opcov) $(call tdef,$(1)) \
		-DLLVMFuzzerTestOneInput=opcov_$(1) $$(INC) -Iharness -c $(call tsrc,$(1)) -o $$@
endef
$(foreach t,$(OPCOV_TARGETS),$(eval $(call opcovtarget,$(t))))
build/opcov/t/harness.o: $(HSRC) $(H_HDR) $(LIB_HDR) build/opcov/flags
	@mkdir -p $(@D)
	$(CC_opcov) $(STD) $(WARN) $(CFLAGS_opcov) $(INC) -Iharness -c $(HSRC) -o $@
build/bench/opcov: bench/opcov.c bench/bench_util.c bench/bench_util.h $(MUT_SRC) $(addprefix build/opcov/t/,$(addsuffix .o,$(OPCOV_TARGETS)) harness.o) \
                   build/opcov/libcfmodel.a $(H_HDR) $(LIB_HDR)
	@mkdir -p $(@D)
	$(CC) $(STD) $(WARN) -O2 -g $(INC) -Iharness -Ibench \
		-DOPCOV_LIST='$(foreach t,$(OPCOV_TARGETS),X($(t)))' \
		$(filter %.c %.o,$^) build/opcov/libcfmodel.a $(LIBS) -o $@
OPCOV_ARGS ?=
.PHONY: opcov
opcov: build/bench/opcov
	build/bench/opcov $(OPCOV_ARGS) corpus

BENCH_BIN := $(foreach v,$(BENCH_VARIANTS),$(addprefix build/bench/$(v)/,\
               fuzz/$(call bench_tgt,$(v)) fuzz/$(call bench_tgt,$(v))_smart \
               afl/$(call bench_tgt,$(v)) cmplog/$(call bench_tgt,$(v)))) \
             build/bench/fuzz_noop build/bench/afl_noop build/bench/bench_tool
.PHONY: bench bench-quick bench-build
bench-build: $(BENCH_BIN) $(foreach t,$(TARGETS),build/fuzz/$(t) \
               $(call tsmart,$(t)) build/afl/$(t)) build/afl/cf_mutator.so
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
build/coverage/$(1): $(call tdeps,$(1)) $(HSRC) harness/afl_driver.c build/coverage/libcfmodel.a $(H_HDR) $(LIB_HDR)
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
