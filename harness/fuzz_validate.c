/*
 * fuzz_validate - both Content Validators on a parsed file.
 *
 * Oracle: the current validator is strictly stronger than the 2024 one,
 * so whatever it accepts the 2024 validator accepts too; a report never
 * stores more problems than it counts.
 */
#include <stdlib.h>

#include "cf_mem.h"
#include "cf_val.h"
#include "harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cf_val_report *r24, *rcur;
	cf_chan *ch = NULL;
	int v24, vcur;

	if (cf_chan_parse(data, cf_h_file_len(data, size), &ch, NULL) != CF_OK)
		return 0;
	r24 = cf_mem_alloc(sizeof(*r24));
	rcur = cf_mem_alloc(sizeof(*rcur));
	if (r24 == NULL || rcur == NULL)
		goto out;
	v24 = cf_val_check(ch, CF_VAL_2024, r24);
	vcur = cf_val_check(ch, CF_VAL_CURRENT, rcur);
	if (v24 == CF_E_NOMEM || vcur == CF_E_NOMEM)
		goto out;
	if ((v24 != CF_OK && v24 != CF_E_REJECTED) ||
	    (vcur != CF_OK && vcur != CF_E_REJECTED))
		cf_h_fail(
		    "fuzz_validate", "unexpected codes %d / %d", v24, vcur);
	if (vcur == CF_OK && v24 != CF_OK)
		cf_h_fail("fuzz_validate",
		    "current accepts what 2024 rejects (%s)", r24->p[0].why);
	if (rcur->nstored > rcur->nproblems || r24->nstored > r24->nproblems ||
	    (vcur == CF_E_REJECTED) != (rcur->nproblems > 0))
		cf_h_fail("fuzz_validate", "inconsistent report counts");
out:
	cf_mem_free(r24);
	cf_mem_free(rcur);
	cf_chan_free(ch);
	return 0;
}
