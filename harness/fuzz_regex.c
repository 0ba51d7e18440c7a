/*
 * fuzz_regex - compile and match with the criteria regex engine.
 *
 * Input: [flags: 1 byte][pattern length: 1 byte][pattern][subject].
 * Oracles: the VM's step count stays within cf_re_step_bound (the linear
 * bound); leftmost-first and leftmost-longest agree on whether there is a
 * match and where it starts, and the longest match ends no earlier; a
 * span lies inside the subject; cf_re_example, when it succeeds, gives a
 * string the regex matches.
 */
#include "cf_re.h"
#include "harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cf_re *first = NULL, *longest = NULL;
	cf_re_span s1 = { 0, 0 }, s2 = { 0, 0 };
	uint64_t st1 = 0, st2 = 0;
	uint8_t example[256];
	const uint8_t *pat, *subj;
	size_t plen, slen, n;
	unsigned flags;
	int m1 = 0, m2 = 0, r1, r2;

	if (size < 2)
		return 0;
	flags = data[0] & (CF_RE_ICASE | CF_RE_DOT_NL);
	plen = data[1];
	if (plen > size - 2)
		plen = size - 2;
	pat = data + 2;
	subj = pat + plen;
	slen = size - 2 - plen;
	if (cf_re_compile(pat, plen, flags, &first, NULL) != CF_OK)
		return 0;
	if (cf_re_compile(pat, plen, flags | CF_RE_LONGEST, &longest, NULL) !=
	    CF_OK)
		cf_h_fail("fuzz_regex", "compiles only without CF_RE_LONGEST");
	r1 = cf_re_exec(first, subj, slen, &m1, &s1, &st1);
	r2 = cf_re_exec(longest, subj, slen, &m2, &s2, &st2);
	if (slen > CF_RE_MAX_SUBJECT) {
		/* Documented refusal (cf_re.h), not a finding; only reached
		 * with -max_len over 1 MiB. */
		if (r1 != CF_E_RE_SUBJECT || r2 != CF_E_RE_SUBJECT)
			cf_h_fail("fuzz_regex",
			    "subject of %zu bytes: %s / %s, want CF_E_RE_SUBJECT",
			    slen, cf_err_name(r1), cf_err_name(r2));
		cf_re_free(first);
		cf_re_free(longest);
		return 0;
	}
	if (r1 != CF_OK || r2 != CF_OK)
		cf_h_fail("fuzz_regex", "exec failed: %s / %s", cf_err_name(r1),
		    cf_err_name(r2));
	if (st1 > cf_re_step_bound(first, slen) ||
	    st2 > cf_re_step_bound(longest, slen))
		cf_h_fail("fuzz_regex", "steps over the linear bound");
	if (m1 != m2)
		cf_h_fail("fuzz_regex", "first/longest disagree on a match");
	if (m1 &&
	    (s1.start != s2.start || s2.end < s1.end || s1.end > slen ||
	        s2.end > slen || s1.start > s1.end))
		cf_h_fail("fuzz_regex", "spans [%zu,%zu) vs [%zu,%zu)",
		    s1.start, s1.end, s2.start, s2.end);
	if (cf_re_example(first, example, sizeof(example), &n) == CF_OK) {
		int m = 0;
		if (cf_re_exec(first, example, n, &m, NULL, NULL) != CF_OK ||
		    !m)
			cf_h_fail("fuzz_regex", "example does not match");
	}
	cf_re_free(first);
	cf_re_free(longest);
	return 0;
}
