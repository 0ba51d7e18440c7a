/*
 * fuzz_interp_<build> - load the input as a channel file for one sensor
 * build and evaluate events (docs/HARNESS.md for the input layout).
 *
 * Compiled once per build with -DCF_H_BUILD='"7.11"' (fuzz_interp_711) or
 * '"7.16"' (fuzz_interp_716). There is no validator in front: this is the
 * sensor's view of whatever content arrives. In 7.11 a non-wildcard
 * criterion on IPC field 21 reads past the input array - ASan reports it,
 * the guard build prints the structured finding.
 */
#include "cf_build.h"
#include "harness.h"

#ifndef CF_H_BUILD
#error "build with -DCF_H_BUILD='\"7.11\"' or similar"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const cf_build *b = cf_build_by_name(CF_H_BUILD);
	size_t flen = cf_h_file_len(data, size);
	cf_eval_stats st = { 0 };
	cf_h_run run = { CF_H_ORACLE_INTERP, 0, { 0 } };
	cf_chan *ch = NULL;
	int rc;

	if (b == NULL)
		cf_h_fail("fuzz_interp", "no sensor build %s", CF_H_BUILD);
	if (cf_chan_parse(data, flen, &ch, NULL) != CF_OK)
		return 0;
	rc = cf_h_run_build(&run, ch, b, data + flen, size - flen, &st);
	if (rc != CF_OK && rc != CF_E_NOMEM)
		cf_h_fail(
		    "fuzz_interp", "evaluation failed: %s", cf_err_name(rc));
	cf_chan_free(ch);
	return 0;
}
