/*
 * fuzz_gate - the release gate (cf_gate.h), checked by fuzzing.
 *
 * Promise checked: whatever the gate accepts does not fault on any sensor
 * build, whatever events follow. Input: [channel file][trailing event
 * bytes] (harness.h). The gate runs on the file alone, with its checked
 * evaluation, as a release pipeline runs it. For content it accepts:
 *   1. the gate again, as built (CF_GATE_AS_BUILT): the same synthesised
 *      events, every read performed as each build performs it, so that a
 *      read past the inputs the checked run missed is an ASan report (or a
 *      guard abort); and its counts must equal the checked run's, criterion
 *      by criterion and build by build: the check changes nothing in what
 *      it accepts;
 *   2. the trailing events, which the gate never saw, on every build,
 *      through each build's integration code, with no read refused by a
 *      build's own bounds check either.
 * Invariants on every input: the gate returns a verdict (or runs out of
 * memory), its counts add up, an accepting verdict means the validator
 * accepted and no build faulted, and what the current validator accepts
 * the gate finds no fault in (the validator's promise, cross-checked by
 * running it). A broken one is cf_h_fail(), a crash for both engines.
 */
#include "cf_gate.h"
#include "harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_counts(const cf_gate_result *r)
{
	for (size_t c = 0; c < (size_t)r->ncrit * r->nbuilds; c++) {
		const cf_gate_count *x = &r->count[c];
		if (x->evaluated != x->matched + x->failed + x->refused ||
		    x->faults > x->refused)
			cf_h_fail("fuzz_gate",
			    "counts of criterion #%zu build #%zu do not add up",
			    c / r->nbuilds, c % r->nbuilds);
	}
	if (r->reached > r->live || r->nkept > r->nfaults)
		cf_h_fail("fuzz_gate", "totals out of range");
}

/* The as-built run counted exactly what the checked run counted. */
static void
check_same(const cf_gate_result *x, const cf_gate_result *y)
{
	for (size_t c = 0; c < (size_t)x->ncrit * x->nbuilds; c++) {
		const cf_gate_count *a = &x->count[c], *b = &y->count[c];
		if (a->evaluated != b->evaluated || a->matched != b->matched ||
		    a->failed != b->failed || a->refused != b->refused)
			cf_h_fail("fuzz_gate",
			    "as built, criterion #%zu build #%zu counts %llu "
			    "evaluations, checked %llu",
			    c / x->nbuilds, c % x->nbuilds,
			    (unsigned long long)b->evaluated,
			    (unsigned long long)a->evaluated);
	}
}

/* The trailing events on every build, as each build runs them. */
static void
run_tail(const cf_chan *ch, const uint8_t *tail, size_t ntail)
{
	for (size_t i = 0; i < cf_build_count(); i++) {
		const cf_build *b = cf_build_at(i);
		cf_program *p = NULL;
		cf_eval_stats st = { 0 };
		cf_event ev;
		int rc;

		if (cf_interp_compile(ch, b, &p, NULL, NULL) != CF_OK)
			continue; /* the build refuses it: nothing runs */
		for (unsigned k = 0; k < CF_H_MAX_TAIL_EVENTS; k++) {
			if (!cf_h_tail_event(
			        cf_interp_tmpl(p), tail, ntail, k, &ev))
				break;
			rc = cf_interp_run_event(p, &ev, NULL, NULL, &st);
			if (rc != CF_OK && rc != CF_E_NOMEM)
				cf_h_fail("fuzz_gate", "build %s: %s", b->name,
				    cf_err_name(rc));
		}
		cf_interp_free(p);
		if (st.bounds_refused != 0)
			cf_h_fail("fuzz_gate",
			    "gate-accepted content needed build %s's bounds "
			    "check %llu times",
			    b->name, (unsigned long long)st.bounds_refused);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const cf_gate_opts as_built = { NULL, 0, NULL,
		CF_GATE_AS_BUILT };
	size_t flen = cf_h_file_len(data, size);
	cf_gate_result *r = NULL, *r2 = NULL;
	cf_chan *ch = NULL;
	int rc;

	if (cf_chan_parse(data, flen, &ch, NULL) != CF_OK)
		return 0;
	rc = cf_gate_run(ch, NULL, &r);
	if (rc == CF_E_NOMEM)
		goto out;
	if ((rc != CF_OK && rc != CF_E_REJECTED) || r == NULL)
		cf_h_fail("fuzz_gate", "gate: %s", cf_err_name(rc));
	check_counts(r);
	if (rc == CF_OK && (r->val_rc != CF_OK || r->nfaults != 0))
		cf_h_fail("fuzz_gate", "accepted with %u faults, validator %s",
		    r->nfaults, cf_err_name(r->val_rc));
	if (r->val_rc == CF_OK && r->nfaults != 0)
		cf_h_fail("fuzz_gate",
		    "the current validator accepts content that faults on "
		    "sensor %s (field %u, %u supplied)",
		    r->builds[r->faults[0].build].build->name,
		    r->faults[0].field, r->faults[0].supplied);
	if (rc != CF_OK)
		goto out; /* rejected: the gate did its job */
	rc = cf_gate_run(ch, &as_built, &r2);
	if (rc == CF_E_NOMEM)
		goto out;
	if (rc != CF_OK || r2 == NULL)
		cf_h_fail("fuzz_gate", "as built: %s", cf_err_name(rc));
	check_same(r, r2);
	run_tail(ch, data + flen, size - flen);
out:
	cf_gate_free(r2);
	cf_gate_free(r);
	cf_chan_free(ch);
	return 0;
}
