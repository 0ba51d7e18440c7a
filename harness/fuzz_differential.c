/*
 * fuzz_differential - the validators against the sensor builds.
 *
 * Promise checked: whatever the current validator accepts is safe in every
 * sensor build; whatever the 2024 validator accepts is safe in 7.16. "Safe"
 * means no fault (ASan, or the guard build's abort) and no read refused by
 * a runtime bounds check, which is asserted here so that even a build
 * without a sanitizer or guard sees a broken promise.
 * Content only the 2024 validator accepts is not run on 7.11: that is the
 * known CF-291 defect, which fuzz_interp_711 covers.
 *
 * A fault here is a validator defect, not an interpreter one: its root
 * cause names the validator that accepted the content (harness.h), so it
 * never merges with the same read found by fuzz_interp_711, where no
 * validator was asked.
 */
#include <stdlib.h>

#include "cf_mem.h"
#include "cf_val.h"
#include "harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t flen = cf_h_file_len(data, size);
	cf_val_report *rep;
	cf_chan *ch = NULL;
	int cur, v24;

	if (cf_chan_parse(data, flen, &ch, NULL) != CF_OK)
		return 0;
	if ((rep = cf_mem_alloc(sizeof(*rep))) == NULL)
		goto out;
	cur = cf_val_check(ch, CF_VAL_CURRENT, rep);
	v24 = cf_val_check(ch, CF_VAL_2024, rep);
	for (size_t i = 0; i < cf_build_count(); i++) {
		const cf_build *b = cf_build_at(i);
		int fixed = (b->checks & CF_CHECK_RUNTIME_BOUNDS) != 0;
		cf_h_run run = { cur == CF_OK ? CF_H_ORACLE_VAL_CURRENT
			                      : CF_H_ORACLE_VAL_2024,
			0, { 0 } };
		cf_eval_stats st = { 0 };
		const cf_oob_read *r = &run.checked;
		int rc;

		if (!(cur == CF_OK || (v24 == CF_OK && fixed)))
			continue;
		rc = cf_h_run_build(&run, ch, b, data + flen, size - flen, &st);
		if (rc != CF_OK && rc != CF_E_NOMEM)
			cf_h_fail("fuzz_differential", "build %s: %s", b->name,
			    cf_err_name(rc));
		if (run.have_checked)
			cf_h_fail("fuzz_differential",
			    "content the %s validator accepts reads past the inputs of build %s (refused by its bounds check %llu times): build=%s template=%s instance=%u criterion=%u field=%u supplied=%u declared=%u op=%s oracle=%s",
			    cur == CF_OK ? "current" : "2024", b->name,
			    (unsigned long long)st.bounds_refused, b->name,
			    r->tmpl->name, r->instance_id, r->criterion,
			    r->field, r->supplied, r->tmpl->nfields,
			    cf_op_name(r->op), run.oracle);
	}
out:
	cf_mem_free(rep);
	cf_chan_free(ch);
	return 0;
}
