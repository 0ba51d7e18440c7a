/*
 * mut_bytes.c - the mutator's byte-level edits: AFL's havoc operations
 * (bit flips, interesting bytes and integers, arithmetic, insertions,
 * deletions, copies, splices from a second input), edits of plain strings
 * (dictionary tokens, case, truncation) and integers at interesting
 * boundaries. Reference: AFL's havoc stage (afl-fuzz.c, "interesting"
 * values), libFuzzer's FuzzerMutate.cpp.
 */
#include <string.h>

#include "cf_mem.h"
#include "mut_int.h"

int
mut_ensure(uint8_t **p, size_t *cap, size_t need)
{
	uint8_t *q;

	if (need <= *cap)
		return CF_OK;
	q = cf_mem_reallocarray(*p, need, 1);
	if (q == NULL)
		return CF_E_NOMEM;
	*p = q;
	*cap = need;
	return CF_OK;
}

void
mut_bytes_insert(
    uint8_t *p, size_t *n, size_t cap, size_t pos, const uint8_t *src, size_t k)
{
	if (pos > *n)
		pos = *n;
	if (k > cap - *n)
		k = cap - *n;
	if (k == 0)
		return;
	memmove(p + pos + k, p + pos, *n - pos);
	memcpy(p + pos, src, k);
	*n += k;
}

void
mut_bytes_delete(uint8_t *p, size_t *n, size_t pos, size_t k)
{
	if (pos >= *n)
		return;
	if (k > *n - pos)
		k = *n - pos;
	memmove(p + pos, p + pos + k, *n - pos - k);
	*n -= k;
}

static const uint64_t interesting[] = { 0, 1, 2, 3, 7, 8, 0x10, 0x20, 0x7f,
	0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff, 0x10000, 0x2000, 0x7fffffff,
	0x80000000u, 0xffffffffu, 0x100000000ull, 0x7fffffffffffffffull,
	0x8000000000000000ull, 0xffffffffffffffffull };
#define NINTERESTING (sizeof(interesting) / sizeof(interesting[0]))

static const uint8_t interesting8[] = { 0, 1, 0x7f, 0x80, 0xff, 0xaa, '\\', '.',
	'*', '(', '[', 0x20, 0x0a };

uint64_t
mut_pick_int(cf_mut *m, uint64_t cur)
{
	switch (mut_below(m, 10)) {
	case 0:
	case 1:
	case 2:
	case 3:
		return interesting[mut_below(m, NINTERESTING)];
	case 4:
		return cur + 1 + mut_below(m, 16);
	case 5:
		return cur - 1 - mut_below(m, 16);
	case 6:
		return cur ^ (1ull << mut_below(m, 64));
	case 7:
		return mut_below(m, 0x10000);
	case 8:
		return mut_rnd(m);
	default: {
		uint64_t v = interesting[mut_below(m, NINTERESTING)];
		return mut_one_in(m, 2) ? v + 1 : v - 1;
	}
	}
}

/* A mask for FLAGS_ANY / FLAGS_ALL: one bit mostly, zero rarely. */
uint64_t
mut_pick_mask(cf_mut *m)
{
	switch (mut_below(m, 8)) {
	case 0:
		return mut_one_in(m, 2) ? 0 : ~0ull;
	case 1:
	case 2:
		return mut_pick_int(m, 0);
	default:
		return 1ull << mut_below(m, 64);
	}
}

void
mut_havoc(cf_mut *m, uint8_t *p, size_t *n, size_t cap, const uint8_t *other,
    size_t on)
{
	uint8_t tmp[64];
	size_t i, k, src;

	i = mut_below_sz(m, *n);
	switch (mut_below(m, 9)) {
	case 0:
		if (*n)
			p[i] ^= (uint8_t)(1u << mut_below(m, 8));
		break;
	case 1:
		if (*n)
			p[i] = interesting8[mut_below(m, sizeof(interesting8))];
		break;
	case 2: /* an interesting integer, little-endian */
		if (*n >= 4) {
			uint64_t v = interesting[mut_below(m, NINTERESTING)];
			i = mut_below_sz(m, *n - 3);
			if (mut_one_in(m, 2))
				mut_st16(p + i, (uint16_t)v);
			else
				mut_st32(p + i, (uint32_t)v);
		}
		break;
	case 3:
		if (*n)
			p[i] = (uint8_t)(p[i] + 1 + mut_below(m, 35) - 18);
		break;
	case 4:
		k = 1 + mut_below(m, MUT_HAVOC_GROW);
		if (mut_one_in(m, 2))
			memset(tmp, (int)mut_below(m, 256), k);
		else
			for (size_t j = 0; j < k; j++)
				tmp[j] = (uint8_t)mut_below(m, 256);
		mut_bytes_insert(p, n, cap, mut_below_sz(m, *n + 1), tmp, k);
		break;
	case 5:
		mut_bytes_delete(p, n, i, 1 + mut_below(m, MUT_HAVOC_GROW));
		break;
	case 6: /* copy a chunk over another place */
		if (*n >= 2) {
			k = 1 + mut_below_sz(m, mut_min(*n / 2, 64));
			src = mut_below_sz(m, *n - k + 1);
			memmove(p + mut_below_sz(m, *n - k + 1), p + src, k);
		}
		break;
	case 7: /* duplicate a chunk */
		if (*n) {
			k = 1 +
			    mut_below_sz(m, mut_min(*n - i, MUT_HAVOC_GROW));
			memcpy(tmp, p + i, k);
			mut_bytes_insert(
			    p, n, cap, mut_below_sz(m, *n + 1), tmp, k);
		}
		break;
	default: /* splice a chunk of the other input */
		if (other != NULL && on > 0) {
			k = 1 + mut_below_sz(m, mut_min(on, sizeof(tmp)));
			src = mut_below_sz(m, on - k + 1);
			memcpy(tmp, other + src, k);
			if (mut_one_in(m, 2) && k <= *n) {
				memcpy(p + mut_below_sz(m, *n - k + 1), tmp, k);
			} else {
				mut_bytes_insert(p, n, cap,
				    mut_below_sz(m, *n + 1), tmp,
				    mut_min(k, MUT_HAVOC_GROW));
			}
		}
		break;
	}
}

/* ---- regex syntax edits ------------------------------------------------- */

void
mut_put_cstr(uint8_t *p, size_t *n, size_t cap, const char *s)
{
	*n = 0;
	mut_bytes_insert(p, n, cap, 0, (const uint8_t *)s, strlen(s));
}

/* ---- strings ------------------------------------------------------------ */

static const char *const str_dict[] = { "\\\\.\\pipe\\", "msrpc", "ncacn_np",
	"\\lsass.exe", "\\rundll32.exe", "cmd.exe", "powershell",
	"C:\\Windows\\System32\\", "HKLM\\Software\\", "", "A", "0",
	"127.0.0.1", ":443", "%s%n", "ncacn_np:host[\\pipe\\spoolss]",
	"S-1-5-18", "spoolss", "\xff\xfe", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" };
#define NSTR_DICT (sizeof(str_dict) / sizeof(str_dict[0]))

const char *
mut_str_dict(cf_mut *m)
{
	return str_dict[mut_below(m, NSTR_DICT)];
}

void
mut_str_edit(cf_mut *m, uint8_t *p, size_t *n, size_t cap)
{
	const char *s;

	switch (mut_below(m, 8)) {
	case 0: /* truncate */
		*n = mut_below_sz(m, *n + 1);
		break;
	case 1: /* append a dictionary token */
	case 2: /* insert one */
		s = str_dict[mut_below(m, NSTR_DICT)];
		mut_bytes_insert(p, n, cap,
		    mut_below(m, 2) ? *n : mut_below_sz(m, *n + 1),
		    (const uint8_t *)s, strlen(s));
		break;
	case 3: /* toggle the case of a letter */
		for (size_t t = 0, i = mut_below_sz(m, *n); t < 8 && *n; t++) {
			uint8_t c = p[(i + t) % *n] | 0x20;
			if (c >= 'a' && c <= 'z') {
				p[(i + t) % *n] ^= 0x20;
				break;
			}
		}
		break;
	case 4: /* empty (CF_E_EMPTY_OPERAND in the validator) */
		if (mut_one_in(m, 4))
			*n = 0;
		else
			mut_havoc(m, p, n, cap, NULL, 0);
		break;
	default:
		mut_havoc(m, p, n, cap, NULL, 0);
		break;
	}
}
