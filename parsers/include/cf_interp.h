/*
 * cf_interp.h - the Content Interpreter of a modelled sensor build.
 *
 * cf_interp_compile() binds a parsed channel file to a sensor build: it
 * resolves the template type, compiles every REGEX criterion, and (in builds
 * with CF_CHECK_COMPILE_FIELDS) disables instances that test a field the
 * build does not supply. cf_interp_eval() evaluates one array of input
 * values against every enabled instance: criteria are ANDed in order and
 * evaluation of an instance stops at the first criterion that fails.
 * A WILDCARD criterion does not read its input at all - exactly how the
 * 2024 defect stayed dormant until a non-wildcard criterion reached field 21.
 *
 * Input reads: in builds without CF_CHECK_RUNTIME_BOUNDS (7.11) the
 * interpreter reads inputs[field] unchecked, faithfully reproducing the
 * out-of-bounds read; under AddressSanitizer that read aborts with a report.
 * Compiled with -DCF_GUARD (build/guard), every read is first checked
 * against the supplied count and an out-of-bounds one prints one
 * structured line on stderr and aborts:
 *   chanfuzz-guard: out-of-bounds input read: build=7.11 template=IPC
 *   instance=1002 criterion=1 field=20 supplied=20 declared=21 op=regex
 * (one line; declared is the template's field count, op the criterion's
 * operator). Builds with the runtime check refuse the read instead: the
 * criterion fails and stats.bounds_refused counts it.
 *
 * Checked evaluation (cf_interp_run_event_obs with CF_EVAL_CHECKED): every
 * read is checked against the supplied count whatever the build and the
 * variant (plain, guard, sanitizer), and a read the build would have made
 * past its inputs is refused and reported to the observer instead of
 * performed. This is how the release gate (cf_gate.h) finds the CF-291
 * read in a plain release build of cftool. The observer lives in a view of
 * the program on the caller's stack: no global state.
 *
 * Without CF_EVAL_CHECKED the observer decides: it sees every read past
 * the inputs before it happens, and refuses it by returning nonzero (a fuzz
 * target told that the read's root cause is known refuses it, so that the
 * fuzzer looks past it: cf_eval_stats.oob_refused counts those); returning
 * 0 lets the build do what it does (read past the array).
 */
#ifndef CF_INTERP_H
#define CF_INTERP_H

#include <stddef.h>
#include <stdint.h>

#include "cf_build.h"
#include "cf_chan.h"
#include "cf_event.h"
#include "cf_re.h"

typedef struct cf_program cf_program;

typedef struct cf_hit {
	uint32_t instance_index;
	uint32_t instance_id;
	uint16_t action;
} cf_hit;

typedef void (*cf_hit_fn)(void *ctx, const cf_hit *hit);

typedef struct cf_compile_stats {
	uint32_t instances;       /* in the file */
	uint32_t enabled;         /* evaluated */
	uint32_t disabled_flag;   /* instance flag ENABLED clear */
	uint32_t rejected_regex;  /* a REGEX did not compile */
	uint32_t rejected_fields; /* compile-time field check (7.16) */
} cf_compile_stats;

typedef struct cf_eval_stats {
	uint64_t instances;      /* instances evaluated */
	uint64_t criteria;       /* criteria evaluated (wildcards included) */
	uint64_t inputs_read;    /* input values read */
	uint64_t bounds_refused; /* reads refused by the runtime check */
	uint64_t oob_refused;    /* reads refused by the observer */
	uint64_t hits;           /* instances that matched */
	uint64_t re_steps;       /* regex VM steps */
	/* reads past the inputs that the build would have made, refused by a
	 * checked evaluation (CF_EVAL_CHECKED) instead */
	uint64_t checked_refused;
} cf_eval_stats;

/* Evaluation options (cf_eval_obs.flags). */
#define CF_EVAL_CHECKED 1u /* refuse and report every read past the inputs */

/* Instance argument of cf_interp_run_event_obs: every enabled instance. */
#define CF_INTERP_ALL UINT32_MAX

/* A read of inputs[field] with field >= supplied, seen by an observer. */
typedef struct cf_oob_read {
	const cf_build *build;
	const cf_tmpl *tmpl;
	uint32_t instance; /* index into the file's instances */
	uint32_t instance_id;
	uint32_t criterion; /* index in the instance */
	uint32_t field;     /* the index it reads */
	uint32_t supplied;  /* inputs the build supplied */
	unsigned op;        /* the criterion's CF_OP_* */
	/* 1: the build has no runtime bounds check: only CF_EVAL_CHECKED
	 * stopped the read (a fault: ASan report, guard abort, or a read of
	 * whatever lies past the array); 0: the build's own check refused it */
	int fault;
} cf_oob_read;

/* Criterion outcomes reported to cf_eval_obs.criterion. */
enum cf_crit_result {
	CF_CRIT_FALSE = 0,
	CF_CRIT_TRUE = 1,
	CF_CRIT_REFUSED =
	    2 /* its read was refused: false, NEGATE not applied */
};

/* An evaluation's options and observer; callbacks may be NULL. */
typedef struct cf_eval_obs {
	unsigned flags; /* CF_EVAL_* */
	/* every criterion evaluated, wildcards included, in order */
	void (*criterion)(
	    void *ctx, uint32_t instance, uint32_t criterion, int result);
	/* every read past the inputs, before it happens and before the
	 * criterion's own report: refused by the build's check (fault 0), by
	 * CF_EVAL_CHECKED, or else by this callback returning nonzero */
	int (*oob)(void *ctx, const cf_oob_read *r);
	void *ctx;
} cf_eval_obs;

/* The program borrows ch: ch must outlive it. Errors: CF_E_TEMPLATE_UNKNOWN,
 * CF_E_TEMPLATE_UNSUPPORTED, CF_E_NOMEM, CF_E_ARG. */
int cf_interp_compile(const cf_chan *ch, const cf_build *b, cf_program **out,
    cf_compile_stats *st, cf_diag *d);
void cf_interp_free(cf_program *p);

uint32_t cf_interp_supplied(const cf_program *p);
const cf_tmpl *cf_interp_tmpl(const cf_program *p);

/* 1 when instance i (index into the file's instances) is evaluated, 0 when
 * the build disabled it or i is out of range. */
int cf_interp_enabled(const cf_program *p, uint32_t i);

/* The compiled REGEX criteria of enabled instance i, indexed by criterion
 * (NULL where the criterion is not REGEX); NULL for a disabled instance or
 * i out of range. Owned by p, valid while p is: for cf_synth_event_re, so
 * that a pattern is compiled once per program, not again per event. */
const cf_re *const *cf_interp_regexes(const cf_program *p, uint32_t i);

/* Evaluate inputs[0..supplied) against every enabled instance; fn (may be
 * NULL) is called once per matching instance; st (may be NULL) accumulates.
 * Returns CF_OK or CF_E_NOMEM / CF_E_RE_* from the matcher. */
int cf_interp_eval(const cf_program *p, const cf_value *inputs, size_t supplied,
    cf_hit_fn fn, void *ctx, cf_eval_stats *st);

/* The build's integration code: build the input array the build supplies
 * for ev's template type (exactly cf_interp_supplied() values, copied from
 * the event, on the heap) and evaluate it. Events of another template type
 * are ignored (CF_OK, nothing evaluated). */
int cf_interp_run_event(const cf_program *p, const cf_event *ev, cf_hit_fn fn,
    void *ctx, cf_eval_stats *st);

/* The same for one instance (index into the file's instances) only, as a
 * release gate or fuzz target does with the event synthesised for that
 * instance: one evaluation per instance instead of one per pair. A disabled
 * instance evaluates nothing. Errors as above, and CF_E_ARG when instance is
 * out of range. */
int cf_interp_run_event_on(const cf_program *p, const cf_event *ev,
    uint32_t instance, cf_hit_fn fn, void *ctx, cf_eval_stats *st);

/* cf_interp_run_event (instance CF_INTERP_ALL) or cf_interp_run_event_on
 * (one instance) with an observer and options; obs may be NULL. The same
 * integration code and evaluation, hence the same frames in a fault
 * report, as those two. Errors as cf_interp_run_event_on. */
int cf_interp_run_event_obs(const cf_program *p, const cf_event *ev,
    uint32_t instance, const cf_eval_obs *obs, cf_hit_fn fn, void *ctx,
    cf_eval_stats *st);

/* Evaluate criterion k of enabled instance i on the value v alone, as the
 * interpreter would with v as inputs[field] (no input array is involved,
 * so there is no bounds question): *result gets 1 or 0. For event
 * synthesis that checks its candidates with the interpreter's own code.
 * Errors: CF_E_ARG (i disabled or out of range, k out of range), the
 * matcher's CF_E_RE_* and CF_E_NOMEM. */
int cf_interp_criterion_test(const cf_program *p, uint32_t i, uint32_t k,
    const cf_value *v, int *result);

#endif
