/*
 * cf_gate.h - the content release gate: would this channel file fault any
 * sensor build, and was every criterion exercised?
 *
 * The check that was missing in July 2024. cf_gate_run() runs the current
 * Content Validator, then for every instance synthesises events that make
 * every criterion evaluate, and runs them on every sensor build of the
 * table (or those named) with a checked evaluation (cf_interp.h,
 * CF_EVAL_CHECKED): a read past the inputs a build supplies is refused and
 * recorded as a fault of that build, never performed, in any variant of
 * the library (plain, guard or sanitizer).
 *
 * Events per enabled instance, built against a reference program that
 * supplies every declared field, each value checked with the interpreter's
 * own criterion code (cf_interp_criterion_test) before it is used:
 *   - one that satisfies every criterion (the search below), else the
 *     longest prefix of criteria it can satisfy: the instance is reported
 *     unsatisfiable at the first criterion no value could add;
 *   - per non-wildcard criterion k, one that satisfies criteria 0..k-1 and
 *     fails k, so evaluation stops at each criterion in turn (where none
 *     exists, the criterion is marked never_fails);
 *   - per non-wildcard criterion, boundary values in its field on top of
 *     the satisfying event: the empty string, the operand less its last
 *     byte, a long value (CF_GATE_LONG_VALUE bytes, with the operand at
 *     the edge the operator tests) or, for a REGEX, one byte past
 *     CF_RE_MAX_SUBJECT; 0, the maximum, one either side of each integer
 *     operand, the complement of a mask;
 *   - the caller's events (an events file), against every instance.
 * Cost: per instance about 1 + criteria + 6 x criteria events per build.
 * A field's value is found by a search over candidates: what each
 * criterion on that field wants (its operand, the operand with a byte
 * before or after, a regex example from the compiled program, a value that
 * fails it), and for several criteria on one field their operands joined
 * (prefix, contained parts, regex example, suffix). The search is a
 * heuristic: "unsatisfiable" means no candidate worked, with the reason
 * when it is certain (an operator that never holds on the field's type, an
 * empty range, a negated test that always holds).
 *
 * Counts per criterion and build: evaluated, matched, failed, refused (its
 * read was refused), faults (refused by the gate where the build would
 * have read). Coverage is over the live criteria: those of instances whose
 * ENABLED flag is set.
 */
#ifndef CF_GATE_H
#define CF_GATE_H

#include <stddef.h>
#include <stdint.h>

#include "cf_build.h"
#include "cf_chan.h"
#include "cf_event.h"
#include "cf_interp.h"
#include "cf_limits.h"
#include "cf_val.h"

/* cf_gate_opts.flags */
/* Evaluate as each build does, without the gate's bounds check: a read past
 * the inputs is performed. Only for sanitizer and guard builds, where it
 * is a report or an abort: the sanitizer evidence of scripts/gate.sh and
 * the oracle of fuzz_gate. No fault is recorded in this mode. */
#define CF_GATE_AS_BUILT 1u

typedef struct cf_gate_opts {
	/* sensor builds to run; NULL: every build of the table */
	const cf_build *const *builds;
	size_t nbuilds;
	const cf_event_list *events; /* the caller's events, or NULL */
	unsigned flags;              /* CF_GATE_* */
} cf_gate_opts;

/* Per criterion and build. evaluated = matched + failed + refused. */
typedef struct cf_gate_count {
	uint64_t evaluated;
	uint64_t matched;
	uint64_t failed;
	uint64_t refused; /* its read was refused (false) */
	uint64_t faults;  /* of them, reads the build would have made */
} cf_gate_count;

/* Why a live criterion was never evaluated (cf_gate_crit.unreached). */
enum cf_gate_why {
	CF_GATE_REACHED = 0,
	CF_GATE_WHY_BAD_REGEX =
	    1,                    /* a regex of the instance does not compile */
	CF_GATE_WHY_NO_BUILD = 2, /* no build run evaluates the instance */
	CF_GATE_WHY_UNSAT = 3,    /* no event satisfies criterion `blocker` with
	                             the criteria before it */
	CF_GATE_WHY_REFUSED = 4 /* criterion `blocker` before it reads past the
	                           inputs on every build that evaluates it */
};

typedef struct cf_gate_crit {
	cf_gate_count total; /* over the builds run */
	uint32_t unreached;  /* enum cf_gate_why: for live criteria */
	uint32_t blocker; /* criterion index, for WHY_UNSAT and WHY_REFUSED */
	/* 1: no event found that satisfies the criteria before it and fails
	 * it: it always holds where it stands (a test that always holds, or
	 * one implied by those before it), so evaluation never stops there */
	uint32_t never_fails;
} cf_gate_crit;

/* Instance states (cf_gate_inst.state). */
enum cf_gate_state {
	CF_GATE_LIVE = 0,      /* ENABLED flag set, every regex compiles */
	CF_GATE_OFF_FLAG = 1,  /* ENABLED flag clear: not evaluated, not live */
	CF_GATE_OFF_REGEX = 2, /* live, but a regex does not compile: every
	                          build disables it */
	CF_GATE_UNKNOWN = 3    /* no template type to evaluate it with */
};

/* Why an instance can never match (cf_gate_inst.unsat_why). */
enum cf_gate_unsat {
	CF_GATE_SAT = 0,
	CF_GATE_UNSAT_TYPE = 1,     /* operator never holds on the field type */
	CF_GATE_UNSAT_RANGE = 2,    /* INT_RANGE with low > high */
	CF_GATE_UNSAT_MASK = 3,     /* FLAGS_ANY with mask 0 */
	CF_GATE_UNSAT_ALWAYS = 4,   /* negated test that always holds */
	CF_GATE_UNSAT_NOVALUE = 5,  /* no value found for the criterion */
	CF_GATE_UNSAT_CONFLICT = 6, /* no value satisfies it together with
	                               criterion unsat_with on the same field */
	CF_GATE_UNSAT_FIELD = 7     /* its field is past the template's */
};

typedef struct cf_gate_inst {
	uint32_t state;     /* enum cf_gate_state */
	int32_t bad_regex;  /* OFF_REGEX: the criterion, else -1 */
	int bad_regex_code; /* its CF_E_RE_* code */
	int32_t unsat;      /* first criterion no event could add, or -1 */
	uint32_t unsat_why; /* enum cf_gate_unsat */
	int32_t unsat_with; /* UNSAT_CONFLICT: the earlier criterion */
	uint64_t hits;      /* events it matched, over the builds */
	uint32_t
	    first_crit; /* index of its criterion 0 in cf_gate_result.crit */
} cf_gate_inst;

/* A place where a build would read past its inputs, with the first event
 * that reaches it. Values point into the result; a string value longer
 * than CF_GATE_KEEP_VALUE is kept cut to that length (len), orig_len
 * giving its real length. */
typedef struct cf_gate_fault {
	uint32_t build; /* index into cf_gate_result.builds */
	uint32_t instance;
	uint32_t instance_id;
	uint32_t criterion;
	uint32_t field;
	uint32_t supplied;
	uint64_t times; /* events that reached it */
	/* the event: 0 synthesised, else its 1-based place in the caller's */
	uint32_t user_event;
	char label[CF_GATE_LABEL_MAX];
	cf_event event; /* name points at label */
	uint32_t orig_len[CF_MAX_FIELDS];
	uint8_t *data; /* owned: the string values */
} cf_gate_fault;

typedef struct cf_gate_build {
	const cf_build *build;
	int compile_rc; /* CF_OK, or why the build does not run the content
	                   (CF_E_TEMPLATE_UNSUPPORTED, CF_E_TEMPLATE_UNKNOWN) */
	cf_compile_stats cs;
	cf_eval_stats es;
	uint64_t events;      /* events evaluated */
	uint32_t fault_sites; /* criteria with faults on this build */
} cf_gate_build;

typedef struct cf_gate_result {
	int verdict;         /* CF_OK: accepted; CF_E_REJECTED */
	int val_rc;          /* current validator: CF_OK or CF_E_REJECTED */
	cf_val_report val;   /* its problems */
	const cf_tmpl *tmpl; /* NULL for an unknown template type */
	uint32_t nbuilds;
	cf_gate_build *builds;
	uint32_t ninstances;
	cf_gate_inst *inst;
	uint32_t ncrit; /* criteria in the file */
	cf_gate_crit *crit;
	cf_gate_count *count; /* ncrit x nbuilds: crit c on build b at
	                         c * nbuilds + b */
	uint32_t nfaults;     /* fault sites (criterion, build) */
	uint32_t nkept;       /* kept in faults (at most CF_GATE_MAX_FAULTS) */
	cf_gate_fault *faults;
	uint32_t live;       /* criteria of instances with ENABLED set */
	uint32_t reached;    /* live criteria evaluated at least once */
	uint32_t unsat;      /* live instances that can never match */
	uint32_t bad_regex;  /* live instances disabled by a regex */
	uint64_t ev_synth;   /* synthesised events */
	uint64_t ev_user;    /* caller's events of this template type */
	uint64_t ev_skipped; /* caller's events of another template type */
} cf_gate_result;

/* Run the gate on a parsed file. *out gets a result, to free with
 * cf_gate_free, whenever the return is CF_OK or CF_E_REJECTED (the
 * verdict); otherwise it is NULL: CF_E_ARG (a bad option, an unknown
 * build), CF_E_NOMEM, or a matcher error (CF_E_RE_PROGRAM, CF_E_RE_STEPS:
 * an internal invariant broken). */
int cf_gate_run(const cf_chan *ch, const cf_gate_opts *o, cf_gate_result **out);
void cf_gate_free(cf_gate_result *r);

/* One line of text for each enum value. */
const char *cf_gate_why_text(unsigned why);
const char *cf_gate_unsat_text(unsigned why);

#endif
