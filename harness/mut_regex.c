/*
 * mut_regex.c - regex edits by syntax, and the fuzz_regex input kind.
 *
 * A pattern is edited as text with the grammar in mind (docs/FORMAT.md 4):
 * tokens inserted (classes, escapes, quantifiers, counted repetitions at
 * and past CF_RE_MAX_REPEAT, anchors, alternation, the byte range's
 * edges), a span wrapped in a group, groups nested past CF_RE_MAX_DEPTH,
 * metacharacters put in place of bytes, a literal from another string
 * escaped, or a pattern of the dictionary. The fuzz_regex kind
 * ([flags][pattern length][pattern][subject], harness/fuzz_regex.c)
 * edits the pattern so, the subject by bytes or with a string the pattern
 * matches (cf_re_example), and the flags.
 */
#include <string.h>

#include "mut_int.h"

/* ---- regex syntax edits ------------------------------------------------- */

static const char *const re_tokens[] = { ".*", ".", "[a-z]", "[^a]", "\\d",
	"\\w+", "\\s", "\\D", "\\W", "(", ")", "|", "+", "?", "*", "{2,5}",
	"{3}", "{0,}", "{1000}", "{1001}", "{5,2}", "^", "$", "\\.", "\\\\",
	"[", "]", "-", "\\[", "a", "x|y", "()", "{", "}", "[]a]", "[a-]", "\\n",
	"(a|b)*",
	/* the byte range's edges, in classes and ranges */
	"[\x80-\xff]", "[^\x01-\x7f]", "[\x7f-\x80]", "[ -\xff]", "\xff" };
#define NRE_TOKENS (sizeof(re_tokens) / sizeof(re_tokens[0]))

static const char *const re_dict[] = { ".*", "^a", "b$", "^$", "[a-z]+",
	"\\d{2,5}", "(a|b)*c", "\\w+\\s\\d", "^ncacn_np:.*\\[.*\\]$",
	"[^\\\\]+\\.exe$", "(((a)))", "a{1000}", "x*y*z*", "(a*)*", "[]a]",
	"a{2,", "\\.", "|", "()", "^\\\\\\\\\\.\\\\pipe\\\\(spoolss|ntsvcs)$",
	"(a|ab)(c|bcd)(d*)", "[0-9a-fA-F]{8}-", "(.*)(.*)(.*)$" };
#define NRE_DICT (sizeof(re_dict) / sizeof(re_dict[0]))

static int
is_punct(uint8_t c)
{
	return (c >= 0x21 && c <= 0x2f) || (c >= 0x3a && c <= 0x40) ||
	    (c >= 0x5b && c <= 0x60) || (c >= 0x7b && c <= 0x7e);
}

const char *
mut_re_dict(cf_mut *m)
{
	return re_dict[mut_below(m, NRE_DICT)];
}

void
mut_re_edit(cf_mut *m, uint8_t *p, size_t *n, size_t cap, const uint8_t *lit,
    size_t nlit)
{
	uint8_t tmp[128];
	const char *tok;
	size_t i = mut_below_sz(m, *n + 1), j, k;

	switch (mut_below(m, 12)) {
	case 0:
	case 1:
	case 2:
		tok = re_tokens[mut_below(m, NRE_TOKENS)];
		mut_bytes_insert(
		    p, n, cap, i, (const uint8_t *)tok, strlen(tok));
		break;
	case 3: /* wrap p[i, j) in a group, maybe quantified */
		j = i + mut_below_sz(m, *n - i + 1);
		if (cap - *n < 3)
			break;
		mut_bytes_insert(p, n, cap, j, (const uint8_t *)")", 1);
		mut_bytes_insert(p, n, cap, i, (const uint8_t *)"(", 1);
		if (mut_one_in(m, 2)) {
			tok = re_tokens[12 + mut_below(m, 9)]; /* + ? * {..} */
			mut_bytes_insert(p, n, cap, j + 2, (const uint8_t *)tok,
			    strlen(tok));
		}
		break;
	case 4:
		mut_bytes_delete(p, n, mut_below_sz(m, *n), 1);
		break;
	case 5:
		j = mut_below_sz(m, *n);
		mut_bytes_delete(p, n, j, 1 + mut_below(m, 8));
		break;
	case 6: /* duplicate a substring */
		if (*n) {
			j = mut_below_sz(m, *n);
			k = 1 + mut_below_sz(m, mut_min(*n - j, 32));
			memcpy(tmp, p + j, k);
			mut_bytes_insert(p, n, cap, i, tmp, k);
		}
		break;
	case 7: /* replace with a literal taken from lit, escaped */
		if (nlit) {
			j = mut_below_sz(m, nlit);
			k = 1 + mut_below_sz(m, mut_min(nlit - j, 48));
			*n = 0;
			for (size_t x = 0; x < k && *n + 2 <= cap; x++) {
				if (is_punct(lit[j + x]))
					p[(*n)++] = '\\';
				p[(*n)++] = lit[j + x];
			}
		}
		break;
	case 8: /* replace a byte with a metacharacter or a letter */
		if (*n) {
			static const char meta[] = "a.*+?|()[]{}^$\\-0";
			/* The byte is drawn before the place (the order
			 * clang gave the unsequenced original: pinned). */
			uint8_t c =
			    (uint8_t)meta[mut_below(m, sizeof(meta) - 1)];
			p[mut_below_sz(m, *n)] = c;
		}
		break;
	case 9: /* a quantifier after a random byte */
		tok = re_tokens[12 + mut_below(m, 9)];
		mut_bytes_insert(
		    p, n, cap, i, (const uint8_t *)tok, strlen(tok));
		break;
	case 10: /* nested groups; 1 in 8 up to twice the nesting limit */
		k = 1 +
		    mut_below(m, mut_one_in(m, 8) ? 2 * CF_RE_MAX_DEPTH : 4);
		if (cap - *n < 2 * k)
			break;
		memset(tmp, ')', mut_min(k, sizeof(tmp)));
		j = *n;
		mut_bytes_insert(p, n, cap, j, tmp, mut_min(k, sizeof(tmp)));
		memset(tmp, '(', mut_min(k, sizeof(tmp)));
		mut_bytes_insert(p, n, cap, i, tmp, mut_min(k, sizeof(tmp)));
		break;
	default:
		mut_put_cstr(p, n, cap, re_dict[mut_below(m, NRE_DICT)]);
		break;
	}
}

/* ---- the fuzz_regex input kind ------------------------------------------ */

size_t
mut_regex_input(cf_mut *m, const uint8_t *in, size_t n, const uint8_t *other,
    size_t on, uint8_t *out, size_t max, int cross)
{
	uint8_t flags = 0;
	size_t plen = 0, slen = 0, cap = MUT_RE_SUBJECT, len;
	int nops = 1;

	if (n > cap) /* keep a long subject whole */
		cap = n;
	if (mut_ensure(&m->tail, &m->tail_cap, cap) != CF_OK)
		return mut_mutate_bytes(m, in, n, other, on, out, max);
	if (n >= 2) {
		flags = in[0];
		plen = mut_min(in[1], n - 2);
		memcpy(m->edit, in + 2, plen);
		slen = n - 2 - plen;
		memcpy(m->tail, in + 2 + plen, slen);
	} else {
		mut_put_cstr(m->edit, &plen, MUT_RE_INPUT_PATTERN,
		    re_dict[mut_below(m, NRE_DICT)]);
	}
	m->last_op = "regex";
	m->ntrace = 0;
	while (nops < MUT_MAX_STACK && mut_one_in(m, 2))
		nops++;
	for (int i = 0; i < nops; i++) {
		unsigned r = cross && i == 0 ? 9 : mut_below(m, 10);
		cf_re *re = NULL;

		switch (r) {
		case 0:
		case 1:
		case 2:
		case 3:
		case 4:
			mut_re_edit(m, m->edit, &plen, MUT_RE_INPUT_PATTERN,
			    m->tail, slen);
			break;
		case 5:
			flags = mut_one_in(m, 4) ? (uint8_t)mut_below(m, 256)
			                         : (uint8_t)mut_below(m, 4);
			break;
		case 6:
		case 7:
			mut_havoc(m, m->tail, &slen, cap, other, on);
			break;
		case 8: /* a subject the pattern matches */
			if (cf_re_compile(m->edit, plen,
			        flags & (CF_RE_ICASE | CF_RE_DOT_NL), &re,
			        NULL) == CF_OK) {
				size_t k = 0;
				if (cf_re_example(re, m->tail, cap, &k) ==
				    CF_OK)
					slen = k;
				cf_re_free(re);
			}
			break;
		default: /* the other input's pattern or subject */
			if (other != NULL && on >= 2) {
				size_t op = mut_min(other[1], on - 2);
				if (mut_one_in(m, 2)) {
					memcpy(m->edit, other + 2, op);
					plen = op;
				} else {
					slen = mut_min(on - 2 - op, cap);
					memcpy(m->tail, other + 2 + op, slen);
				}
			}
			break;
		}
	}
	if (max < 2) {
		out[0] = flags;
		return 1;
	}
	plen = mut_min(plen, max - 2);
	slen = mut_min(slen, max - 2 - plen);
	out[0] = flags;
	out[1] = (uint8_t)plen;
	memcpy(out + 2, m->edit, plen);
	memcpy(out + 2 + plen, m->tail, slen);
	len = 2 + plen + slen;
	return len;
}
