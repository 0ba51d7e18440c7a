/*
 * cf_mutator.c - the structure-aware mutator for channel files and regex
 * inputs (cf_mutator.h), shared by the libFuzzer and AFL++ front ends.
 *
 * Algorithm. The channel-file part of the input (harness.h layout) is
 * parsed into the cf_chan model; if it does not parse, a repaired copy
 * (cf_mut_repair) is tried. On the model a stack of 1-4 operations is
 * applied, each picked by weight from mut_ops[] below: operator wildcard
 * <-> concrete (an operator that fits the field's type, with a fitting
 * operand), field index (biased to 0, nfields-1, nfields, nfields+1 and
 * the counts that sensor builds supply), integer operands and header
 * integers moved to interesting boundaries, string and regex edits (the
 * regex by its syntax), modifiers, instance and criterion add / remove /
 * duplicate / swap, splicing from a second input, instance id, action and
 * enabled flag, template type (rarely) and the trailing event bytes
 * (rarely). Every edit keeps operand shapes valid (cf_chan_check_criterion)
 * so that cf_chan_write succeeds; the written file plus the trailing bytes
 * is the output. When it exceeds max the model is shrunk (unused strings,
 * then instances, then long strings) and written again. Input that does not
 * parse even after repair gets AFL-havoc-style byte operations followed by
 * cf_mut_repair. The regex kind ([flags][pattern length][pattern][subject],
 * harness/fuzz_regex.c) edits the pattern by syntax and the subject by
 * bytes or with a string the pattern matches (cf_re_example).
 *
 * Random numbers: splitmix64 (Steele, Lea, Flood, "Fast splittable
 * pseudorandom number generators", OOPSLA 2014), state only in cf_mut.
 * References: AFL++ docs/custom_mutators.md (API and trimming protocol);
 * AFL havoc (byte operations); libprotobuf-mutator (mutate a model, then
 * serialise).
 *
 * Model arrays edited here are reallocated to their exact new size with
 * cf_mem_reallocarray, so they never rely on the builders' power-of-two
 * growth; cf_chan_add_* is not called on a model this file has edited.
 */
#include <string.h>

#include "cf_build.h"
#include "cf_chan.h"
#include "cf_limits.h"
#include "cf_mem.h"
#include "cf_mutator.h"
#include "cf_re.h"
#include "cf_tmpl.h"
#include "harness.h"

#define PAYLOAD_START \
	(CF_HEADER_SIZE + CF_SECTION_COUNT * CF_SECTION_ENTRY_SIZE)

/* Soft caps: past them an operation that grows the model picks a
 * shrinking one instead, so chained mutation does not grow without end. */
#define MUT_SOFT_INSTANCES 48u
#define MUT_SOFT_STRINGS 128u
#define MUT_SOFT_STRLEN (CF_MAX_STRING_LEN < 256u ? CF_MAX_STRING_LEN : 256u)
#define MUT_SOFT_TAIL 1024u
/* Regex patterns may grow a little past the engine's limit, to reach it
 * (limits may be lowered in fuzz builds: cf_limits.h). */
#define MUT_MAX_PATTERN                                                        \
	(CF_RE_MAX_PATTERN + 64u < CF_MAX_STRING_LEN ? CF_RE_MAX_PATTERN + 64u \
	                                             : CF_MAX_STRING_LEN)
#define MUT_MAX_STACK 4
#define MUT_TRIES 8
#define MUT_SHRINK_ROUNDS 64
#define MUT_HAVOC_GROW 16u /* bytes one byte-level operation may insert */
/* Fields assumed for an unknown template type (the IPC count). */
#define MUT_DEFAULT_FIELDS 21u
/* Pattern of a fuzz_regex input: one length byte. */
#define MUT_RE_INPUT_PATTERN 255u
/* The edit buffer holds any string of the table or a fuzz_regex pattern. */
#define MUT_EDIT_CAP                                                  \
	(CF_MAX_STRING_LEN > MUT_RE_INPUT_PATTERN ? CF_MAX_STRING_LEN \
	                                          : MUT_RE_INPUT_PATTERN)
#define MUT_RE_SUBJECT 4096u

#define MUT_NA CF_E_ARG /* operation not applicable to this model */

struct cf_mut {
	uint64_t rng;
	enum cf_mut_kind kind;
	const char *last_op;
	cf_buf out;    /* assembled output */
	uint8_t *work; /* byte-level copy being edited */
	size_t work_cap;
	uint8_t *tail; /* trailing event bytes, or a regex subject */
	size_t tail_len, tail_cap;
	/* trimming */
	cf_chan *trim_base, *trim_cand;
	uint8_t *trim_tail;
	size_t trim_ntail, trim_tail_cap;
	size_t trim_pos, trim_done, trim_total, trim_drop;
	int trim_cand_tail;         /* the candidate drops the trailing bytes */
	uint8_t edit[MUT_EDIT_CAP]; /* a string or pattern being edited */
};

/* ---- random numbers ----------------------------------------------------- */

static uint64_t
rnd(cf_mut *m)
{
	uint64_t z = (m->rng += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* Uniform in [0, n) by multiply-shift (Lemire); 0 when n is 0. */
static uint32_t
below(cf_mut *m, uint32_t n)
{
	return (uint32_t)(((rnd(m) >> 32) * (uint64_t)n) >> 32);
}

static size_t
below_sz(cf_mut *m, size_t n)
{
	return n == 0 ? 0 : (size_t)(rnd(m) % n);
}

static int
one_in(cf_mut *m, uint32_t n)
{
	return below(m, n) == 0;
}

/* ---- buffers and bytes -------------------------------------------------- */

/* Grow *p to at least need bytes (need <= CF_MUT_MAX_OUT + slack). */
static int
ensure(uint8_t **p, size_t *cap, size_t need)
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

static void
st16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void
st32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static size_t
min_sz(size_t a, size_t b)
{
	return a < b ? a : b;
}

/* Insert src[0..k) at pos of p[0..*n), capacity cap (*n <= cap); k is cut
 * to fit. src must not point into p. */
static void
bytes_insert(
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

static void
bytes_delete(uint8_t *p, size_t *n, size_t pos, size_t k)
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

static uint64_t
pick_int(cf_mut *m, uint64_t cur)
{
	switch (below(m, 10)) {
	case 0:
	case 1:
	case 2:
	case 3:
		return interesting[below(m, NINTERESTING)];
	case 4:
		return cur + 1 + below(m, 16);
	case 5:
		return cur - 1 - below(m, 16);
	case 6:
		return cur ^ (1ull << below(m, 64));
	case 7:
		return below(m, 0x10000);
	case 8:
		return rnd(m);
	default:
		return interesting[below(m, NINTERESTING)] +
		    (one_in(m, 2) ? 1 : -1);
	}
}

/* A mask for FLAGS_ANY / FLAGS_ALL: one bit mostly, zero rarely. */
static uint64_t
pick_mask(cf_mut *m)
{
	switch (below(m, 8)) {
	case 0:
		return one_in(m, 2) ? 0 : ~0ull;
	case 1:
	case 2:
		return pick_int(m, 0);
	default:
		return 1ull << below(m, 64);
	}
}

/* One AFL-havoc-style edit of p[0..*n), capacity cap; other may splice. */
static void
havoc_bytes(cf_mut *m, uint8_t *p, size_t *n, size_t cap, const uint8_t *other,
    size_t on)
{
	uint8_t tmp[64];
	size_t i, k, src;

	i = below_sz(m, *n);
	switch (below(m, 9)) {
	case 0:
		if (*n)
			p[i] ^= (uint8_t)(1u << below(m, 8));
		break;
	case 1:
		if (*n)
			p[i] = interesting8[below(m, sizeof(interesting8))];
		break;
	case 2: /* an interesting integer, little-endian */
		if (*n >= 4) {
			uint64_t v = interesting[below(m, NINTERESTING)];
			i = below_sz(m, *n - 3);
			if (one_in(m, 2))
				st16(p + i, (uint16_t)v);
			else
				st32(p + i, (uint32_t)v);
		}
		break;
	case 3:
		if (*n)
			p[i] = (uint8_t)(p[i] + 1 + below(m, 35) - 18);
		break;
	case 4:
		k = 1 + below(m, MUT_HAVOC_GROW);
		if (one_in(m, 2))
			memset(tmp, (int)below(m, 256), k);
		else
			for (size_t j = 0; j < k; j++)
				tmp[j] = (uint8_t)below(m, 256);
		bytes_insert(p, n, cap, below_sz(m, *n + 1), tmp, k);
		break;
	case 5:
		bytes_delete(p, n, i, 1 + below(m, MUT_HAVOC_GROW));
		break;
	case 6: /* copy a chunk over another place */
		if (*n >= 2) {
			k = 1 + below_sz(m, min_sz(*n / 2, 64));
			src = below_sz(m, *n - k + 1);
			memmove(p + below_sz(m, *n - k + 1), p + src, k);
		}
		break;
	case 7: /* duplicate a chunk */
		if (*n) {
			k = 1 + below_sz(m, min_sz(*n - i, MUT_HAVOC_GROW));
			memcpy(tmp, p + i, k);
			bytes_insert(p, n, cap, below_sz(m, *n + 1), tmp, k);
		}
		break;
	default: /* splice a chunk of the other input */
		if (other != NULL && on > 0) {
			k = 1 + below_sz(m, min_sz(on, sizeof(tmp)));
			src = below_sz(m, on - k + 1);
			memcpy(tmp, other + src, k);
			if (one_in(m, 2) && k <= *n) {
				memcpy(p + below_sz(m, *n - k + 1), tmp, k);
			} else {
				bytes_insert(p, n, cap, below_sz(m, *n + 1),
				    tmp, min_sz(k, MUT_HAVOC_GROW));
			}
		}
		break;
	}
}

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

static const char *const str_dict[] = { "\\\\.\\pipe\\", "msrpc", "ncacn_np",
	"\\lsass.exe", "\\rundll32.exe", "cmd.exe", "powershell",
	"C:\\Windows\\System32\\", "HKLM\\Software\\", "", "A", "0",
	"127.0.0.1", ":443", "%s%n", "ncacn_np:host[\\pipe\\spoolss]",
	"S-1-5-18", "spoolss", "\xff\xfe", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" };
#define NSTR_DICT (sizeof(str_dict) / sizeof(str_dict[0]))

static int
is_punct(uint8_t c)
{
	return (c >= 0x21 && c <= 0x2f) || (c >= 0x3a && c <= 0x40) ||
	    (c >= 0x5b && c <= 0x60) || (c >= 0x7b && c <= 0x7e);
}

static void
put_cstr(uint8_t *p, size_t *n, size_t cap, const char *s)
{
	*n = 0;
	bytes_insert(p, n, cap, 0, (const uint8_t *)s, strlen(s));
}

/* One syntax edit of the pattern p[0..*n), capacity cap. lit[0..nlit) is
 * a source of literal text (a string-table entry or the subject). */
static void
re_edit(cf_mut *m, uint8_t *p, size_t *n, size_t cap, const uint8_t *lit,
    size_t nlit)
{
	uint8_t tmp[128];
	const char *tok;
	size_t i = below_sz(m, *n + 1), j, k;

	switch (below(m, 12)) {
	case 0:
	case 1:
	case 2:
		tok = re_tokens[below(m, NRE_TOKENS)];
		bytes_insert(p, n, cap, i, (const uint8_t *)tok, strlen(tok));
		break;
	case 3: /* wrap p[i, j) in a group, maybe quantified */
		j = i + below_sz(m, *n - i + 1);
		if (cap - *n < 3)
			break;
		bytes_insert(p, n, cap, j, (const uint8_t *)")", 1);
		bytes_insert(p, n, cap, i, (const uint8_t *)"(", 1);
		if (one_in(m, 2)) {
			tok = re_tokens[12 + below(m, 9)]; /* + ? * {..} */
			bytes_insert(p, n, cap, j + 2, (const uint8_t *)tok,
			    strlen(tok));
		}
		break;
	case 4:
		bytes_delete(p, n, below_sz(m, *n), 1);
		break;
	case 5:
		bytes_delete(p, n, below_sz(m, *n), 1 + below(m, 8));
		break;
	case 6: /* duplicate a substring */
		if (*n) {
			j = below_sz(m, *n);
			k = 1 + below_sz(m, min_sz(*n - j, 32));
			memcpy(tmp, p + j, k);
			bytes_insert(p, n, cap, i, tmp, k);
		}
		break;
	case 7: /* replace with a literal taken from lit, escaped */
		if (nlit) {
			j = below_sz(m, nlit);
			k = 1 + below_sz(m, min_sz(nlit - j, 48));
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
			p[below_sz(m, *n)] =
			    (uint8_t)meta[below(m, sizeof(meta) - 1)];
		}
		break;
	case 9: /* a quantifier after a random byte */
		tok = re_tokens[12 + below(m, 9)];
		bytes_insert(p, n, cap, i, (const uint8_t *)tok, strlen(tok));
		break;
	case 10: /* nested groups; 1 in 8 up to twice the nesting limit */
		k = 1 + below(m, one_in(m, 8) ? 2 * CF_RE_MAX_DEPTH : 4);
		if (cap - *n < 2 * k)
			break;
		memset(tmp, ')', min_sz(k, sizeof(tmp)));
		j = *n;
		bytes_insert(p, n, cap, j, tmp, min_sz(k, sizeof(tmp)));
		memset(tmp, '(', min_sz(k, sizeof(tmp)));
		bytes_insert(p, n, cap, i, tmp, min_sz(k, sizeof(tmp)));
		break;
	default:
		put_cstr(p, n, cap, re_dict[below(m, NRE_DICT)]);
		break;
	}
}

/* One edit of a plain string p[0..*n), capacity cap. */
static void
str_edit(cf_mut *m, uint8_t *p, size_t *n, size_t cap)
{
	const char *s;

	switch (below(m, 8)) {
	case 0: /* truncate */
		*n = below_sz(m, *n + 1);
		break;
	case 1: /* append a dictionary token */
	case 2: /* insert one */
		s = str_dict[below(m, NSTR_DICT)];
		bytes_insert(p, n, cap, below(m, 2) ? *n : below_sz(m, *n + 1),
		    (const uint8_t *)s, strlen(s));
		break;
	case 3: /* toggle the case of a letter */
		for (size_t t = 0, i = below_sz(m, *n); t < 8 && *n; t++) {
			uint8_t c = p[(i + t) % *n] | 0x20;
			if (c >= 'a' && c <= 'z') {
				p[(i + t) % *n] ^= 0x20;
				break;
			}
		}
		break;
	case 4: /* empty (CF_E_EMPTY_OPERAND in the validator) */
		if (one_in(m, 4))
			*n = 0;
		else
			havoc_bytes(m, p, n, cap, NULL, 0);
		break;
	default:
		havoc_bytes(m, p, n, cap, NULL, 0);
		break;
	}
}

/* ---- the model ---------------------------------------------------------- */

static const cf_tmpl *
tmpl_of(const cf_chan *ch)
{
	return cf_tmpl_by_id(ch->template_type);
}

static uint32_t
nfields_of(const cf_chan *ch)
{
	const cf_tmpl *t = tmpl_of(ch);
	return t ? t->nfields : MUT_DEFAULT_FIELDS;
}

/* The field's type, or 0 when the template or the field is unknown. */
static unsigned
ftype_of(const cf_chan *ch, uint32_t field)
{
	const cf_tmpl *t = tmpl_of(ch);
	return t && field < t->nfields ? t->fields[field].type : 0;
}

static int
is_str_op(unsigned op)
{
	return cf_op_operand(op) == CF_OPND_STR;
}

static int
str_add(cf_chan *ch, const uint8_t *p, size_t n, uint32_t *idx)
{
	cf_str *s;
	uint8_t *d;

	if (ch->nstrings >= CF_MAX_STRINGS || n > CF_MAX_STRING_LEN)
		return MUT_NA;
	if ((d = cf_mem_alloc(n ? n : 1)) == NULL)
		return CF_E_NOMEM;
	s = cf_mem_reallocarray(
	    ch->strings, (size_t)ch->nstrings + 1, sizeof(*s));
	if (s == NULL) {
		cf_mem_free(d);
		return CF_E_NOMEM;
	}
	if (n)
		memcpy(d, p, n);
	ch->strings = s;
	s[ch->nstrings].data = d;
	s[ch->nstrings].len = (uint32_t)n;
	*idx = ch->nstrings++;
	return CF_OK;
}

static int
str_set(cf_str *s, const uint8_t *p, size_t n)
{
	uint8_t *d;

	if (n > CF_MAX_STRING_LEN)
		return MUT_NA;
	if ((d = cf_mem_alloc(n ? n : 1)) == NULL)
		return CF_E_NOMEM;
	if (n)
		memcpy(d, p, n);
	cf_mem_free(s->data);
	s->data = d;
	s->len = (uint32_t)n;
	return CF_OK;
}

/* Remove strings no criterion refers to; *removed gets their number. */
static int
str_gc(cf_chan *ch, uint32_t *removed)
{
	uint32_t *map, j = 0;

	*removed = 0;
	if (ch->nstrings == 0)
		return CF_OK;
	if ((map = cf_mem_calloc(ch->nstrings, sizeof(*map))) == NULL)
		return CF_E_NOMEM;
	for (uint32_t i = 0; i < ch->ninstances; i++)
		for (uint16_t k = 0; k < ch->instances[i].ncrit; k++) {
			const cf_criterion *c = &ch->instances[i].crit[k];
			if (is_str_op(c->op) && c->str < ch->nstrings)
				map[c->str] = 1;
		}
	for (uint32_t i = 0; i < ch->nstrings; i++) {
		if (map[i]) {
			ch->strings[j] = ch->strings[i];
			map[i] = j++;
		} else {
			cf_mem_free(ch->strings[i].data);
		}
	}
	for (uint32_t i = 0; i < ch->ninstances; i++)
		for (uint16_t k = 0; k < ch->instances[i].ncrit; k++) {
			cf_criterion *c = &ch->instances[i].crit[k];
			if (is_str_op(c->op) && c->str < ch->nstrings)
				c->str = map[c->str];
		}
	*removed = ch->nstrings - j;
	ch->nstrings = j;
	cf_mem_free(map);
	return CF_OK;
}

/* Insert *in (which owns its criteria) at pos; on failure the caller still
 * owns in->crit. */
static int
inst_insert(cf_chan *ch, uint32_t pos, const cf_instance *in)
{
	cf_instance *p;

	if (ch->ninstances >= CF_MAX_INSTANCES)
		return MUT_NA;
	p = cf_mem_reallocarray(
	    ch->instances, (size_t)ch->ninstances + 1, sizeof(*p));
	if (p == NULL)
		return CF_E_NOMEM;
	ch->instances = p;
	if (pos > ch->ninstances)
		pos = ch->ninstances;
	memmove(p + pos + 1, p + pos, (ch->ninstances - pos) * sizeof(*p));
	p[pos] = *in;
	ch->ninstances++;
	return CF_OK;
}

static void
inst_remove(cf_chan *ch, uint32_t pos)
{
	if (pos >= ch->ninstances)
		return;
	cf_mem_free(ch->instances[pos].crit);
	memmove(ch->instances + pos, ch->instances + pos + 1,
	    (ch->ninstances - pos - 1) * sizeof(cf_instance));
	ch->ninstances--;
}

/* A deep copy of src's criteria into dst (same id, action, flags). */
static int
inst_copy(const cf_instance *src, cf_instance *dst)
{
	*dst = *src;
	dst->crit = NULL;
	if (src->ncrit == 0)
		return CF_OK;
	dst->crit = cf_mem_calloc(src->ncrit, sizeof(cf_criterion));
	if (dst->crit == NULL)
		return CF_E_NOMEM;
	memcpy(dst->crit, src->crit, src->ncrit * sizeof(cf_criterion));
	return CF_OK;
}

static int
crit_insert(cf_instance *in, uint32_t pos, const cf_criterion *c)
{
	cf_criterion *p;

	if (in->ncrit >= CF_MAX_CRITERIA)
		return MUT_NA;
	p = cf_mem_reallocarray(in->crit, (size_t)in->ncrit + 1, sizeof(*p));
	if (p == NULL)
		return CF_E_NOMEM;
	in->crit = p;
	if (pos > in->ncrit)
		pos = in->ncrit;
	memmove(p + pos + 1, p + pos, (in->ncrit - pos) * sizeof(*p));
	p[pos] = *c;
	in->ncrit++;
	return CF_OK;
}

static void
crit_remove(cf_instance *in, uint32_t pos)
{
	if (pos >= in->ncrit)
		return;
	memmove(in->crit + pos, in->crit + pos + 1,
	    (in->ncrit - pos - 1) * sizeof(cf_criterion));
	in->ncrit--;
}

typedef int (*crit_pred)(const cf_criterion *c);

/* A random criterion satisfying pred (any when NULL); 0 when none. */
static int
pick_crit(
    cf_mut *m, cf_chan *ch, crit_pred pred, cf_criterion **out, uint32_t *inst)
{
	size_t count = 0, k;

	for (uint32_t i = 0; i < ch->ninstances; i++)
		for (uint16_t j = 0; j < ch->instances[i].ncrit; j++)
			if (pred == NULL || pred(&ch->instances[i].crit[j]))
				count++;
	if (count == 0)
		return 0;
	k = below_sz(m, count);
	for (uint32_t i = 0; i < ch->ninstances; i++)
		for (uint16_t j = 0; j < ch->instances[i].ncrit; j++) {
			cf_criterion *c = &ch->instances[i].crit[j];
			if (pred != NULL && !pred(c))
				continue;
			if (k-- == 0) {
				*out = c;
				if (inst)
					*inst = i;
				return 1;
			}
		}
	return 0;
}

static int
pred_regex(const cf_criterion *c)
{
	return c->op == CF_OP_REGEX;
}

static int
pred_int(const cf_criterion *c)
{
	enum cf_operand o = cf_op_operand(c->op);
	return o == CF_OPND_INT || o == CF_OPND_RANGE;
}

static int
pred_str(const cf_criterion *c)
{
	return is_str_op(c->op);
}

static uint32_t
max_id(const cf_chan *ch)
{
	uint32_t id = 0;
	for (uint32_t i = 0; i < ch->ninstances; i++)
		if (ch->instances[i].id > id)
			id = ch->instances[i].id;
	return id;
}

/* A field index biased to the boundaries that matter: the template's
 * count and the counts each sensor build supplies (CF-291: 20 vs 21). */
static uint16_t
pick_field(cf_mut *m, const cf_chan *ch)
{
	uint32_t nf = nfields_of(ch), s;
	const cf_build *b;

	switch (below(m, 16)) {
	case 8:
		return 0;
	case 9:
		return (uint16_t)(nf - 1);
	case 10:
		return (uint16_t)nf;
	case 11:
		return (uint16_t)(nf + 1);
	case 12:
	case 13:
		b = cf_build_at(below(m, (uint32_t)cf_build_count()));
		s = cf_build_supplied(b, ch->template_type);
		if (s == 0)
			s = nf;
		return (uint16_t)(s - 1 + below(m, 3));
	case 14:
		return (uint16_t)below(m, 2 * CF_MAX_FIELDS);
	case 15: {
		static const uint16_t rare[] = { 0xffff, 0x7fff, 0x8000, 0x100,
			CF_MAX_FIELDS, CF_MAX_FIELDS - 1 };
		return rare[below(m, sizeof(rare) / sizeof(rare[0]))];
	}
	default:
		return (uint16_t)below(m, nf);
	}
}

/* A concrete operator that fits ftype; any operator when ftype is unknown
 * or, unless strict, once in 16 (CF_E_FIELD_TYPE for the validator). */
static uint8_t
pick_op_for(cf_mut *m, unsigned ftype, int strict)
{
	uint8_t fit[CF_OP_COUNT];
	uint32_t k = 0;

	if (ftype == 0 || (!strict && one_in(m, 16)))
		return (uint8_t)(1 + below(m, CF_OP_COUNT - 1));
	for (unsigned op = 1; op < CF_OP_COUNT; op++)
		if (cf_tmpl_op_fits(op, ftype))
			fit[k++] = (uint8_t)op;
	return k ? fit[below(m, k)] : (uint8_t)(1 + below(m, CF_OP_COUNT - 1));
}

/* A string operand: an existing entry or a new one. */
static int
pick_string(cf_mut *m, cf_chan *ch, int regex, uint32_t *idx)
{
	size_t n = 0;

	if (ch->nstrings > 0 &&
	    (ch->nstrings >= MUT_SOFT_STRINGS || one_in(m, 2))) {
		*idx = below(m, ch->nstrings);
		return CF_OK;
	}
	if (regex) {
		put_cstr(
		    m->edit, &n, MUT_MAX_PATTERN, re_dict[below(m, NRE_DICT)]);
	} else if (ch->nstrings > 0 && one_in(m, 3)) {
		const cf_str *s = &ch->strings[below(m, ch->nstrings)];
		n = min_sz(s->len, MUT_SOFT_STRLEN);
		memcpy(m->edit, s->data, n);
		str_edit(m, m->edit, &n, MUT_SOFT_STRLEN);
	} else if (one_in(m, 4)) {
		n = 1 + below(m, 16);
		for (size_t i = 0; i < n; i++)
			m->edit[i] = (uint8_t)(0x20 + below(m, 0x5f));
	} else {
		put_cstr(m->edit, &n, MUT_SOFT_STRLEN,
		    str_dict[below(m, NSTR_DICT)]);
	}
	return str_add(ch, m->edit, n, idx);
}

/* Give c an operand of its operator's shape (docs/FORMAT.md 1.5). */
static int
set_operand(cf_mut *m, cf_chan *ch, cf_criterion *c)
{
	int rc = CF_OK;

	c->str = CF_NO_STRING;
	c->a = c->b = 0;
	switch (cf_op_operand(c->op)) {
	case CF_OPND_NONE:
		break;
	case CF_OPND_STR:
		rc = pick_string(m, ch, c->op == CF_OP_REGEX, &c->str);
		break;
	case CF_OPND_INT:
		if (c->op == CF_OP_FLAGS_ANY || c->op == CF_OP_FLAGS_ALL)
			c->a = pick_mask(m);
		else
			c->a = pick_int(m, 0);
		break;
	case CF_OPND_RANGE:
		c->a = pick_int(m, 0);
		if (one_in(m, 8)) {
			c->b = pick_int(m, c->a); /* maybe a > b */
		} else {
			uint64_t d = below(m, 0x1000);
			c->b = c->a > UINT64_MAX - d ? UINT64_MAX : c->a + d;
		}
		break;
	}
	if (rc != CF_OK) { /* keep the criterion valid */
		c->op = CF_OP_WILDCARD;
		c->str = CF_NO_STRING;
	}
	/* ICASE is meant for string operators; keep it elsewhere rarely. */
	if (!is_str_op(c->op) && (c->mods & CF_MOD_ICASE) && !one_in(m, 8))
		c->mods &= (uint8_t)~CF_MOD_ICASE;
	return rc == MUT_NA ? CF_OK : rc;
}

static int
new_criterion(cf_mut *m, cf_chan *ch, cf_criterion *c)
{
	memset(c, 0, sizeof(*c));
	c->field = one_in(m, 8) ? pick_field(m, ch)
	                        : (uint16_t)below(m, nfields_of(ch));
	c->op = one_in(m, 4) ? CF_OP_WILDCARD
	                     : pick_op_for(m, ftype_of(ch, c->field), 0);
	if (is_str_op(c->op) && one_in(m, 4))
		c->mods |= CF_MOD_ICASE;
	if (one_in(m, 8))
		c->mods |= CF_MOD_NEGATE;
	return set_operand(m, ch, c);
}

static int
new_instance(cf_mut *m, cf_chan *ch, uint32_t pos)
{
	cf_instance in;
	cf_criterion c;
	uint32_t ncrit = one_in(m, 8) ? 0 : 1 + below(m, 4);
	int rc;

	memset(&in, 0, sizeof(in));
	switch (below(m, 4)) {
	case 0:
		in.id = (uint32_t)pick_int(m, max_id(ch));
		break;
	case 1: /* a duplicate id (CF_E_DUP_INSTANCE), when there is one */
		in.id = ch->ninstances
		    ? ch->instances[below(m, ch->ninstances)].id
		    : 1;
		break;
	default:
		in.id = max_id(ch) + 1;
		break;
	}
	in.action = (uint16_t)below(m, CF_ACT_COUNT);
	in.flags = one_in(m, 8) ? 0 : CF_INST_ENABLED;
	for (uint32_t k = 0; k < ncrit; k++) {
		if ((rc = new_criterion(m, ch, &c)) != CF_OK ||
		    (rc = crit_insert(&in, k, &c)) != CF_OK) {
			cf_mem_free(in.crit);
			return rc;
		}
	}
	if ((rc = inst_insert(ch, pos, &in)) != CF_OK)
		cf_mem_free(in.crit);
	return rc;
}

/* A fresh small model of a random template type. */
static int
gen_model(cf_mut *m, cf_chan **out)
{
	const cf_tmpl *t = cf_tmpl_at(below(m, (uint32_t)cf_tmpl_count()));
	cf_chan *ch = cf_chan_new();
	uint32_t n = 1 + below(m, 3);
	int rc = CF_OK;

	*out = NULL;
	if (ch == NULL)
		return CF_E_NOMEM;
	ch->template_type = t->id;
	ch->channel = t->channel;
	ch->content_version = (uint32_t)pick_int(m, 20240719);
	for (uint32_t i = 0; i < n && rc == CF_OK; i++)
		rc = new_instance(m, ch, i);
	if (rc != CF_OK) {
		cf_chan_free(ch);
		return rc;
	}
	*out = ch;
	return CF_OK;
}

/* ---- structure operations ----------------------------------------------- */

struct mut_ctx {
	const uint8_t *other; /* the splice partner's bytes */
	size_t on;
	cf_chan *oth; /* parsed lazily */
	int oth_tried;
};

static int op_crit_add(cf_mut *m, cf_chan *ch, struct mut_ctx *x);
static int op_inst_del(cf_mut *m, cf_chan *ch, struct mut_ctx *x);

static int
op_switch(cf_mut *m, cf_chan *ch, struct mut_ctx *x)
{
	cf_criterion *c;

	if (!pick_crit(m, ch, NULL, &c, NULL))
		return op_crit_add(m, ch, x);
	if (c->op == CF_OP_WILDCARD || one_in(m, 2))
		c->op = pick_op_for(m, ftype_of(ch, c->field), 0);
	else
		c->op = CF_OP_WILDCARD;
	return set_operand(m, ch, c);
}

static int
op_field(cf_mut *m, cf_chan *ch, struct mut_ctx *x)
{
	cf_criterion *c;
	unsigned ft;

	(void)x;
	if (!pick_crit(m, ch, NULL, &c, NULL))
		return MUT_NA;
	c->field = pick_field(m, ch);
	ft = ftype_of(ch, c->field);
	/* Mostly keep the operator fitting the new field's type. */
	if (c->op != CF_OP_WILDCARD && ft != 0 && !cf_tmpl_op_fits(c->op, ft) &&
	    !one_in(m, 4)) {
		c->op = pick_op_for(m, ft, 1);
		return set_operand(m, ch, c);
	}
	return CF_OK;
}

static int
op_int(cf_mut *m, cf_chan *ch, struct mut_ctx *x)
{
	cf_criterion *c;

	(void)x;
	if (!pick_crit(m, ch, pred_int, &c, NULL))
		return MUT_NA;
	if (cf_op_operand(c->op) == CF_OPND_RANGE && one_in(m, 2)) {
		c->b = pick_int(m, one_in(m, 2) ? c->b : c->a);
		return CF_OK;
	}
	if ((c->op == CF_OP_FLAGS_ANY || c->op == CF_OP_FLAGS_ALL) &&
	    one_in(m, 2))
		c->a = pick_mask(m) | (one_in(m, 2) ? c->a : 0);
	else
		c->a = pick_int(m, c->a);
	return CF_OK;
}

static int
op_string(cf_mut *m, cf_chan *ch, struct mut_ctx *x)
{
	cf_str *s;
	size_t n, cap;

	(void)x;
	if (ch->nstrings == 0)
		return MUT_NA;
	s = &ch->strings[below(m, ch->nstrings)];
	n = s->len; /* <= CF_MAX_STRING_LEN <= MUT_EDIT_CAP */
	memcpy(m->edit, s->data, n);
	cap = n > MUT_SOFT_STRLEN ? n : MUT_SOFT_STRLEN;
	if (n > 0 && one_in(m, 128)) { /* exactly the length limit */
		for (size_t i = n; i < CF_MAX_STRING_LEN; i++)
			m->edit[i] = m->edit[i % n];
		n = CF_MAX_STRING_LEN;
	} else {
		for (uint32_t k = 1 + below(m, 3); k > 0; k--)
			str_edit(m, m->edit, &n, cap);
	}
	return str_set(s, m->edit, n);
}

static int
op_regex(cf_mut *m, cf_chan *ch, struct mut_ctx *x)
{
	cf_criterion *c;
	const cf_tmpl *t = tmpl_of(ch);
	const cf_str *lit;
	uint32_t idx;
	size_t n, cap;
	int rc;

	(void)x;
	if (!pick_crit(m, ch, pred_regex, &c, NULL)) {
		if (!pick_crit(m, ch, NULL, &c, NULL))
			return MUT_NA;
		/* Make it a regex, mostly on a string field. */
		if (t != NULL && !one_in(m, 4)) {
			uint32_t f = below(m, t->nfields);
			for (uint32_t i = 0; i < t->nfields; i++)
				if (t->fields[(f + i) % t->nfields].type ==
				    CF_FT_STR) {
					c->field =
					    (uint16_t)((f + i) % t->nfields);
					break;
				}
		}
		c->op = CF_OP_REGEX;
		if ((rc = set_operand(m, ch, c)) != CF_OK ||
		    c->op != CF_OP_REGEX)
			return rc;
	}
	n = ch->strings[c->str].len;
	memcpy(m->edit, ch->strings[c->str].data, n);
	cap = n > MUT_MAX_PATTERN ? n : MUT_MAX_PATTERN;
	lit = &ch->strings[below(m, ch->nstrings)];
	for (uint32_t k = 1 + below(m, 3); k > 0; k--)
		re_edit(m, m->edit, &n, cap, lit->data, lit->len);
	if (one_in(m, 4))
		c->mods ^= CF_MOD_ICASE;
	if (ch->nstrings < MUT_SOFT_STRINGS && one_in(m, 2)) {
		if ((rc = str_add(ch, m->edit, n, &idx)) != CF_OK)
			return rc;
		c->str = idx;
		return CF_OK;
	}
	return str_set(&ch->strings[c->str], m->edit, n);
}

static int
op_strref(cf_mut *m, cf_chan *ch, struct mut_ctx *x)
{
	cf_criterion *c;

	(void)x;
	if (!pick_crit(m, ch, pred_str, &c, NULL))
		return MUT_NA;
	return pick_string(m, ch, c->op == CF_OP_REGEX, &c->str);
}

static int
op_mods(cf_mut *m, cf_chan *ch, struct mut_ctx *x)
{
	cf_criterion *c;

	(void)x;
	if (!pick_crit(m, ch, NULL, &c, NULL))
		return MUT_NA;
	c->mods ^= one_in(m, 2) ? CF_MOD_ICASE : CF_MOD_NEGATE;
	return CF_OK;
}

static int
op_inst_add(cf_mut *m, cf_chan *ch, struct mut_ctx *x)
{
	if (ch->ninstances >= MUT_SOFT_INSTANCES)
		return op_inst_del(m, ch, x);
	return new_instance(m, ch, below(m, ch->ninstances + 1));
}

static int
op_inst_del(cf_mut *m, cf_chan *ch, struct mut_ctx *x)
{
	(void)x;
	if (ch->ninstances == 0)
		return MUT_NA;
	inst_remove(ch, below(m, ch->ninstances));
	return CF_OK;
}

static int
op_inst_dup(cf_mut *m, cf_chan *ch, struct mut_ctx *x)
{
	cf_instance in;
	int rc;

	if (ch->ninstances == 0)
		return MUT_NA;
	if (ch->ninstances >= MUT_SOFT_INSTANCES)
		return op_inst_del(m, ch, x);
	if ((rc = inst_copy(&ch->instances[below(m, ch->ninstances)], &in)) !=
	    CF_OK)
		return rc;
	if (one_in(m, 2))
		in.id = max_id(ch) + 1;
	if ((rc = inst_insert(ch, below(m, ch->ninstances + 1), &in)) != CF_OK)
		cf_mem_free(in.crit);
	return rc;
}

static int
op_crit_add(cf_mut *m, cf_chan *ch, struct mut_ctx *x)
{
	cf_instance *in;
	cf_criterion c;
	int rc;

	(void)x;
	if (ch->ninstances == 0)
		return new_instance(m, ch, 0);
	in = &ch->instances[below(m, ch->ninstances)];
	if (in->ncrit >= CF_MAX_CRITERIA) {
		crit_remove(in, below(m, in->ncrit));
		return CF_OK;
	}
	if ((rc = new_criterion(m, ch, &c)) != CF_OK)
		return rc;
	return crit_insert(in, below(m, in->ncrit + 1u), &c);
}

static int
op_crit_del(cf_mut *m, cf_chan *ch, struct mut_ctx *x)
{
	cf_criterion *c;
	uint32_t i;
	cf_instance *in;

	(void)x;
	if (!pick_crit(m, ch, NULL, &c, &i))
		return MUT_NA;
	in = &ch->instances[i];
	crit_remove(in, (uint32_t)(c - in->crit));
	return CF_OK;
}

static int
op_crit_dup(cf_mut *m, cf_chan *ch, struct mut_ctx *x)
{
	cf_criterion *c, copy;
	cf_instance *to;
	uint32_t i;

	(void)x;
	if (!pick_crit(m, ch, NULL, &c, &i))
		return MUT_NA;
	copy = *c;
	to = one_in(m, 2) ? &ch->instances[i]
	                  : &ch->instances[below(m, ch->ninstances)];
	return crit_insert(to, below(m, to->ncrit + 1u), &copy);
}

static int
op_swap(cf_mut *m, cf_chan *ch, struct mut_ctx *x)
{
	(void)x;
	if (ch->ninstances == 0)
		return MUT_NA;
	if (one_in(m, 2)) {
		cf_instance *in = &ch->instances[below(m, ch->ninstances)];
		uint32_t a = below(m, in->ncrit), b = below(m, in->ncrit);
		cf_criterion t;
		if (in->ncrit < 2 || a == b)
			return MUT_NA;
		t = in->crit[a];
		in->crit[a] = in->crit[b];
		in->crit[b] = t;
	} else {
		uint32_t a = below(m, ch->ninstances),
		         b = below(m, ch->ninstances);
		cf_instance t;
		if (a == b)
			return MUT_NA;
		t = ch->instances[a];
		ch->instances[a] = ch->instances[b];
		ch->instances[b] = t;
	}
	return CF_OK;
}

/* The index in ch of string s of oth: an equal entry, else a new one. */
static int
remap_string(cf_chan *ch, const cf_chan *oth, uint32_t s, uint32_t *idx)
{
	const cf_str *src = &oth->strings[s];

	for (uint32_t i = 0; i < ch->nstrings; i++)
		if (ch->strings[i].len == src->len &&
		    memcmp(ch->strings[i].data, src->data, src->len) == 0) {
			*idx = i;
			return CF_OK;
		}
	return str_add(ch, src->data, src->len, idx);
}

static int
remap_criteria(cf_chan *ch, const cf_chan *oth, cf_criterion *c, uint16_t n)
{
	int rc;

	for (uint16_t k = 0; k < n; k++)
		if (is_str_op(c[k].op) &&
		    (rc = remap_string(ch, oth, c[k].str, &c[k].str)) != CF_OK)
			return rc;
	return CF_OK;
}

static int
op_splice(cf_mut *m, cf_chan *ch, struct mut_ctx *x)
{
	const cf_instance *src;
	cf_instance in;
	cf_chan *oth;
	int rc;

	if (!x->oth_tried) {
		x->oth_tried = 1;
		if (x->other != NULL && x->on > 0 &&
		    cf_chan_parse(x->other, cf_h_file_len(x->other, x->on),
		        &x->oth, NULL) != CF_OK)
			x->oth = NULL;
	}
	if ((oth = x->oth) == NULL || oth->ninstances == 0)
		return MUT_NA;
	src = &oth->instances[below(m, oth->ninstances)];
	switch (below(m, 8)) {
	case 0:
	case 1:
	case 2: /* criteria of the other into one of ours */
		if (ch->ninstances == 0 || src->ncrit == 0)
			return MUT_NA;
		{
			cf_instance *to =
			    &ch->instances[below(m, ch->ninstances)];
			uint32_t k = 1 + below(m, 3),
			         from = below(m, src->ncrit);
			for (; k > 0 && from < src->ncrit; k--, from++) {
				cf_criterion c = src->crit[from];
				if ((rc = remap_criteria(ch, oth, &c, 1)) !=
				        CF_OK ||
				    (rc = crit_insert(
				         to, below(m, to->ncrit + 1u), &c)) !=
				        CF_OK)
					return rc;
			}
		}
		return CF_OK;
	case 3: /* our first instances, then the other's last ones */
	{
		uint32_t keep = below(m, ch->ninstances + 1);
		uint32_t from = below(m, oth->ninstances);
		while (ch->ninstances > keep)
			inst_remove(ch, ch->ninstances - 1);
		for (; from < oth->ninstances &&
		     ch->ninstances < MUT_SOFT_INSTANCES;
		     from++) {
			if ((rc = inst_copy(&oth->instances[from], &in)) !=
			    CF_OK)
				return rc;
			if ((rc = remap_criteria(ch, oth, in.crit, in.ncrit)) !=
			        CF_OK ||
			    (rc = inst_insert(ch, ch->ninstances, &in)) !=
			        CF_OK) {
				cf_mem_free(in.crit);
				return rc;
			}
		}
	}
		return CF_OK;
	case 4: /* the other's header */
		ch->template_type = oth->template_type;
		ch->channel = oth->channel;
		return CF_OK;
	default: /* one instance of the other */
		if (ch->ninstances >= MUT_SOFT_INSTANCES)
			inst_remove(ch, below(m, ch->ninstances));
		if ((rc = inst_copy(src, &in)) != CF_OK)
			return rc;
		if ((rc = remap_criteria(ch, oth, in.crit, in.ncrit)) !=
		        CF_OK ||
		    (rc = inst_insert(ch, below(m, ch->ninstances + 1), &in)) !=
		        CF_OK)
			cf_mem_free(in.crit);
		return rc;
	}
}

static int
op_inst_fields(cf_mut *m, cf_chan *ch, struct mut_ctx *x)
{
	cf_instance *in;

	(void)x;
	if (ch->ninstances == 0)
		return MUT_NA;
	in = &ch->instances[below(m, ch->ninstances)];
	switch (below(m, 3)) {
	case 0:
		in->id = one_in(m, 2)
		    ? ch->instances[below(m, ch->ninstances)].id
		    : (uint32_t)pick_int(m, in->id);
		break;
	case 1:
		in->action =
		    (uint16_t)((in->action + 1 + below(m, 3)) % CF_ACT_COUNT);
		break;
	default:
		in->flags ^= CF_INST_ENABLED;
		break;
	}
	return CF_OK;
}

static int
op_header(cf_mut *m, cf_chan *ch, struct mut_ctx *x)
{
	const cf_tmpl *t;

	(void)x;
	if (one_in(m, 2)) {
		ch->content_version =
		    (uint32_t)pick_int(m, ch->content_version);
		return CF_OK;
	}
	switch (below(m, 3)) {
	case 0:
		t = tmpl_of(ch);
		ch->channel = t ? t->channel : 291;
		break;
	case 1:
		t = cf_tmpl_at(below(m, (uint32_t)cf_tmpl_count()));
		ch->channel = t->channel;
		break;
	default:
		ch->channel = (uint32_t)pick_int(m, ch->channel);
		break;
	}
	return CF_OK;
}

/* Another template type; mostly also its channel, and criteria whose field
 * or operator no longer fit moved to fitting ones, so that every template's
 * fields get exercised. */
static int
op_template(cf_mut *m, cf_chan *ch, struct mut_ctx *x)
{
	const cf_tmpl *t = cf_tmpl_at(below(m, (uint32_t)cf_tmpl_count()));
	int rc;

	(void)x;
	if (one_in(m, 16)) {
		static const uint32_t bad[] = { 0, CF_TMPL_MAX_ID + 1,
			0xffffffffu };
		ch->template_type = bad[below(m, 3)];
		return CF_OK;
	}
	ch->template_type = t->id;
	if (!one_in(m, 4))
		ch->channel = t->channel;
	if (one_in(m, 4))
		return CF_OK;
	for (uint32_t i = 0; i < ch->ninstances; i++)
		for (uint16_t k = 0; k < ch->instances[i].ncrit; k++) {
			cf_criterion *c = &ch->instances[i].crit[k];
			if (c->field >= t->nfields)
				c->field = (uint16_t)below(m, t->nfields);
			if (c->op != CF_OP_WILDCARD &&
			    !cf_tmpl_op_fits(c->op, t->fields[c->field].type)) {
				c->op =
				    pick_op_for(m, t->fields[c->field].type, 1);
				if ((rc = set_operand(m, ch, c)) != CF_OK)
					return rc;
			}
		}
	return CF_OK;
}

/* Trailing event bytes (harness.h): byte edits, or one more event encoded
 * field by field from the string table and interesting integers. */
static int
op_tail(cf_mut *m, cf_chan *ch, struct mut_ctx *x)
{
	const cf_tmpl *t = tmpl_of(ch);
	size_t cap = MUT_SOFT_TAIL;
	int rc;

	if (m->tail_len > cap)
		cap = m->tail_len;
	if ((rc = ensure(&m->tail, &m->tail_cap, cap)) != CF_OK)
		return rc;
	switch (below(m, 6)) {
	case 0:
		m->tail_len = 0;
		break;
	case 1:
	case 2: {
		uint32_t nf = t ? t->nfields : MUT_DEFAULT_FIELDS;
		for (uint32_t f = 0; f < nf && cap - m->tail_len >= 9; f++) {
			uint8_t v[8];
			size_t n;
			if (t != NULL && t->fields[f].type != CF_FT_STR) {
				uint64_t u = pick_int(m, 0);
				for (int i = 0; i < 8; i++)
					v[i] = (uint8_t)(u >> (8 * i));
				m->tail[m->tail_len++] = 8;
				bytes_insert(m->tail, &m->tail_len, cap,
				    m->tail_len, v, 8);
			} else if (ch->nstrings > 0 && !one_in(m, 4)) {
				const cf_str *s =
				    &ch->strings[below(m, ch->nstrings)];
				n = min_sz(
				    min_sz(s->len, 255), cap - m->tail_len - 1);
				m->tail[m->tail_len++] = (uint8_t)n;
				bytes_insert(m->tail, &m->tail_len, cap,
				    m->tail_len, s->data, n);
			} else {
				m->tail[m->tail_len++] = 0;
			}
		}
		break;
	}
	default:
		havoc_bytes(m, m->tail, &m->tail_len, cap, x->other, x->on);
		break;
	}
	return CF_OK;
}

typedef int (*mut_fn)(cf_mut *m, cf_chan *ch, struct mut_ctx *x);

/* The operations and their weights, in percent (they add up to 100).
 * An operation that does not apply (MUT_NA) gives way to another pick. */
static const struct {
	const char *name;
	unsigned weight;
	mut_fn fn;
} mut_ops[] = {
	{ "op-switch", 16, op_switch },
	{ "field", 12, op_field },
	{ "int", 8, op_int },
	{ "string", 6, op_string },
	{ "regex", 9, op_regex },
	{ "strref", 3, op_strref },
	{ "mods", 5, op_mods },
	{ "inst-add", 4, op_inst_add },
	{ "inst-del", 3, op_inst_del },
	{ "inst-dup", 3, op_inst_dup },
	{ "crit-add", 6, op_crit_add },
	{ "crit-del", 4, op_crit_del },
	{ "crit-dup", 3, op_crit_dup },
	{ "swap", 2, op_swap },
	{ "splice", 6, op_splice },
	{ "inst-fields", 4, op_inst_fields },
	{ "header", 2, op_header },
	{ "template", 2, op_template },
	{ "tail", 2, op_tail },
};
#define NMUT_OPS (sizeof(mut_ops) / sizeof(mut_ops[0]))

/* The position of fn in mut_ops (0 when absent). */
static int
op_index(mut_fn fn)
{
	for (size_t i = 0; i < NMUT_OPS; i++)
		if (mut_ops[i].fn == fn)
			return (int)i;
	return 0;
}

static unsigned
pick_op(cf_mut *m)
{
	unsigned total = 0, r;

	for (size_t i = 0; i < NMUT_OPS; i++)
		total += mut_ops[i].weight;
	r = below(m, total);
	for (unsigned i = 0; i < NMUT_OPS; i++) {
		if (r < mut_ops[i].weight)
			return i;
		r -= mut_ops[i].weight;
	}
	return 0;
}

/* Apply 1..MUT_MAX_STACK operations (the first forced when force >= 0). */
static int
apply_ops(cf_mut *m, cf_chan *ch, struct mut_ctx *x, int force)
{
	int nops = 1, rc;

	while (nops < MUT_MAX_STACK && one_in(m, 2))
		nops++;
	for (int i = 0; i < nops; i++) {
		for (int t = 0; t < MUT_TRIES; t++) {
			unsigned op = (i == 0 && t == 0 && force >= 0)
			    ? (unsigned)force
			    : pick_op(m);
			rc = mut_ops[op].fn(m, ch, x);
			if (rc == CF_OK) {
				if (i == 0)
					m->last_op = mut_ops[op].name;
				break;
			}
			if (rc != MUT_NA)
				return rc;
		}
	}
	return CF_OK;
}

/* ---- output ------------------------------------------------------------- */

/* Make the model smaller; 0 when nothing is left to remove. */
static int
shrink(cf_mut *m, cf_chan *ch)
{
	uint32_t removed, longest = 0;

	if (str_gc(ch, &removed) != CF_OK)
		return 0;
	if (removed > 0)
		return 1;
	if (ch->ninstances > 0) {
		uint32_t k = ch->ninstances / 4 ? ch->ninstances / 4 : 1;
		while (k-- > 0)
			inst_remove(ch, below(m, ch->ninstances));
		return 1;
	}
	for (uint32_t i = 1; i < ch->nstrings; i++)
		if (ch->strings[i].len > ch->strings[longest].len)
			longest = i;
	if (ch->nstrings > 0 && ch->strings[longest].len > 8) {
		ch->strings[longest].len /= 2;
		return 1;
	}
	return 0;
}

/* Write ch and the trailing bytes into m->out, at most max bytes. */
static int
emit(cf_mut *m, cf_chan *ch, size_t max)
{
	int rc;

	for (int round = 0; round < MUT_SHRINK_ROUNDS; round++) {
		m->out.len = 0;
		rc = cf_chan_write(ch, &m->out);
		if (rc == CF_OK && m->out.len <= max)
			return cf_buf_put(&m->out, m->tail,
			    min_sz(m->tail_len, max - m->out.len));
		if (rc != CF_OK && rc != CF_E_LIMIT)
			return rc;
		if (!shrink(m, ch))
			return CF_E_LIMIT;
	}
	return CF_E_LIMIT;
}

/* Byte-level mutation of in, then repair. */
static size_t
mutate_bytes(cf_mut *m, const uint8_t *in, size_t n, const uint8_t *other,
    size_t on, uint8_t *out, size_t max)
{
	size_t len = min_sz(n, max),
	       cap = min_sz(max, len + MUT_MAX_STACK * MUT_HAVOC_GROW);
	int nops = 1;

	if (ensure(&m->work, &m->work_cap, cap ? cap : 1) != CF_OK) {
		if (len == 0)
			out[len++] = CF_MAGIC_BYTE;
		else
			memmove(out, in, len); /* unchanged: out may alias in */
		return len;
	}
	if (len)
		memcpy(m->work, in, len);
	m->last_op = "bytes";
	while (nops < MUT_MAX_STACK && one_in(m, 2))
		nops++;
	for (int i = 0; i < nops; i++)
		havoc_bytes(m, m->work, &len, cap, other, on);
	if (len == 0)
		m->work[len++] = CF_MAGIC_BYTE;
	if (m->kind == CF_MUT_CHANNEL)
		cf_mut_repair(m, m->work, len);
	memcpy(out, m->work, len);
	return len;
}

static size_t
mutate_channel(cf_mut *m, const uint8_t *in, size_t n, const uint8_t *other,
    size_t on, uint8_t *out, size_t max, int force)
{
	struct mut_ctx x = { other, on, NULL, 0 };
	cf_chan *ch = NULL;
	size_t flen = n ? cf_h_file_len(in, n) : 0, len = 0;
	int rc;

	if (n > 0 && cf_chan_parse(in, flen, &ch, NULL) != CF_OK) {
		ch = NULL;
		/* Engine byte mutations often break only the frame. */
		if (ensure(&m->work, &m->work_cap, n) == CF_OK) {
			memcpy(m->work, in, n);
			cf_mut_repair(m, m->work, n);
			flen = cf_h_file_len(m->work, n);
			if (cf_chan_parse(m->work, flen, &ch, NULL) != CF_OK)
				ch = NULL;
		}
	}
	if (ch == NULL && (n == 0 || one_in(m, 4))) {
		if (gen_model(m, &ch) != CF_OK)
			ch = NULL;
		flen = n;
	}
	if (ch == NULL)
		return mutate_bytes(m, in, n, other, on, out, max);
	/* Copy the trailing bytes before out (maybe in) is written. */
	m->tail_len = 0;
	if (n - flen > 0 && ensure(&m->tail, &m->tail_cap, n - flen) == CF_OK) {
		memcpy(m->tail, in + flen, n - flen);
		m->tail_len = n - flen;
	}
	if (ch->nstrings > MUT_SOFT_STRINGS || one_in(m, 16)) {
		uint32_t removed;
		rc = str_gc(ch, &removed);
	} else {
		rc = CF_OK;
	}
	if (rc == CF_OK)
		rc = apply_ops(m, ch, &x, force);
	if (rc == CF_OK)
		rc = emit(m, ch, max);
	cf_chan_free(ch);
	cf_chan_free(x.oth);
	if (rc != CF_OK)
		return mutate_bytes(m, in, n, other, on, out, max);
	len = m->out.len;
	memcpy(out, m->out.data, len);
	return len;
}

/* ---- regex inputs ------------------------------------------------------- */

static size_t
mutate_regex(cf_mut *m, const uint8_t *in, size_t n, const uint8_t *other,
    size_t on, uint8_t *out, size_t max, int cross)
{
	uint8_t flags = 0;
	size_t plen = 0, slen = 0, cap = MUT_RE_SUBJECT, len;
	int nops = 1;

	if (n > cap) /* keep a long subject whole */
		cap = n;
	if (ensure(&m->tail, &m->tail_cap, cap) != CF_OK)
		return mutate_bytes(m, in, n, other, on, out, max);
	if (n >= 2) {
		flags = in[0];
		plen = min_sz(in[1], n - 2);
		memcpy(m->edit, in + 2, plen);
		slen = n - 2 - plen;
		memcpy(m->tail, in + 2 + plen, slen);
	} else {
		put_cstr(m->edit, &plen, MUT_RE_INPUT_PATTERN,
		    re_dict[below(m, NRE_DICT)]);
	}
	m->last_op = "regex";
	while (nops < MUT_MAX_STACK && one_in(m, 2))
		nops++;
	for (int i = 0; i < nops; i++) {
		unsigned r = cross && i == 0 ? 9 : below(m, 10);
		cf_re *re = NULL;

		switch (r) {
		case 0:
		case 1:
		case 2:
		case 3:
		case 4:
			re_edit(m, m->edit, &plen, MUT_RE_INPUT_PATTERN,
			    m->tail, slen);
			break;
		case 5:
			flags = one_in(m, 4) ? (uint8_t)below(m, 256)
			                     : (uint8_t)below(m, 4);
			break;
		case 6:
		case 7:
			havoc_bytes(m, m->tail, &slen, cap, other, on);
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
				size_t op = min_sz(other[1], on - 2);
				if (one_in(m, 2)) {
					memcpy(m->edit, other + 2, op);
					plen = op;
				} else {
					slen = min_sz(on - 2 - op, cap);
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
	plen = min_sz(plen, max - 2);
	slen = min_sz(slen, max - 2 - plen);
	out[0] = flags;
	out[1] = (uint8_t)plen;
	memcpy(out + 2, m->edit, plen);
	memcpy(out + 2 + plen, m->tail, slen);
	len = 2 + plen + slen;
	return len;
}

/* ---- public API --------------------------------------------------------- */

cf_mut *
cf_mut_new(uint64_t seed, enum cf_mut_kind kind)
{
	cf_mut *m = cf_mem_calloc(1, sizeof(*m));

	if (m == NULL)
		return NULL;
	m->kind = kind;
	m->last_op = "none";
	cf_buf_init(&m->out, 0);
	cf_mut_reseed(m, seed);
	return m;
}

static void
trim_reset(cf_mut *m)
{
	cf_chan_free(m->trim_base);
	cf_chan_free(m->trim_cand);
	m->trim_base = m->trim_cand = NULL;
	m->trim_pos = m->trim_done = m->trim_total = m->trim_drop = 0;
	m->trim_ntail = 0;
	m->trim_cand_tail = 0;
}

void
cf_mut_free(cf_mut *m)
{
	if (m == NULL)
		return;
	trim_reset(m);
	cf_buf_free(&m->out);
	cf_mem_free(m->work);
	cf_mem_free(m->tail);
	cf_mem_free(m->trim_tail);
	cf_mem_free(m);
}

void
cf_mut_reseed(cf_mut *m, uint64_t seed)
{
	m->rng = seed;
}

const char *
cf_mut_describe(const cf_mut *m)
{
	return m ? m->last_op : "none";
}

size_t
cf_mut_mutate(cf_mut *m, const uint8_t *in, size_t n, const uint8_t *other,
    size_t on, uint8_t *out, size_t max)
{
	if (m == NULL || out == NULL || max == 0)
		return 0;
	if (in == NULL)
		n = 0;
	if (other == NULL)
		on = 0;
	if (max > CF_MUT_MAX_OUT)
		max = CF_MUT_MAX_OUT;
	if (n > CF_MUT_MAX_OUT)
		n = CF_MUT_MAX_OUT;
	if (m->kind == CF_MUT_REGEX)
		return mutate_regex(m, in, n, other, on, out, max, 0);
	return mutate_channel(m, in, n, other, on, out, max, -1);
}

size_t
cf_mut_crossover(cf_mut *m, const uint8_t *a, size_t an, const uint8_t *b,
    size_t bn, uint8_t *out, size_t max)
{
	if (m == NULL || out == NULL || max == 0)
		return 0;
	if (a == NULL)
		an = 0;
	if (b == NULL)
		bn = 0;
	if (max > CF_MUT_MAX_OUT)
		max = CF_MUT_MAX_OUT;
	if (an > CF_MUT_MAX_OUT)
		an = CF_MUT_MAX_OUT;
	if (m->kind == CF_MUT_REGEX)
		return mutate_regex(m, a, an, b, bn, out, max, 1);
	return mutate_channel(m, a, an, b, bn, out, max, op_index(op_splice));
}

/* ---- repair ------------------------------------------------------------- */

struct sect {
	uint16_t kind, reserved;
	uint32_t off, len;
};

static struct sect
ld_sect(const uint8_t *p)
{
	struct sect s = { cf_ld_u16le(p), cf_ld_u16le(p + 2),
		cf_ld_u32le(p + 4), cf_ld_u32le(p + 8) };
	return s;
}

/* The parser's section-table checks (docs/FORMAT.md 1.2), plus room for
 * each section's count. */
static int
table_ok(const struct sect *s, uint32_t total)
{
	const struct sect *lo, *hi;

	for (int i = 0; i < 2; i++)
		if (s[i].reserved != 0 || s[i].len < 4 ||
		    s[i].off < PAYLOAD_START || s[i].len > total ||
		    s[i].off > total - s[i].len)
			return 0;
	if (!((s[0].kind == CF_SECT_STRINGS &&
	          s[1].kind == CF_SECT_INSTANCES) ||
	        (s[0].kind == CF_SECT_INSTANCES &&
	            s[1].kind == CF_SECT_STRINGS)))
		return 0;
	lo = s[0].off <= s[1].off ? &s[0] : &s[1];
	hi = lo == &s[0] ? &s[1] : &s[0];
	return lo->off == PAYLOAD_START && lo->len == hi->off - lo->off &&
	    hi->len == total - hi->off;
}

/* STRINGS length derived from its entries, placed at off with room for
 * room bytes; 0 when they do not add up. */
static uint32_t
strings_len(const uint8_t *buf, uint32_t off, uint32_t room)
{
	uint32_t count;
	uint64_t len;

	if (room < 4)
		return 0;
	count = cf_ld_u32le(buf + off);
	if (count > CF_MAX_STRINGS || count > (room - 4) / CF_STRING_ENTRY_SIZE)
		return 0;
	len = 4 + (uint64_t)count * CF_STRING_ENTRY_SIZE;
	for (uint32_t i = 0; i < count; i++) {
		uint32_t l =
		    cf_ld_u32le(buf + off + 4 + i * CF_STRING_ENTRY_SIZE + 4);
		if (l > CF_MAX_STRING_LEN)
			return 0;
		len += l;
	}
	return len <= room ? (uint32_t)len : 0;
}

/* INSTANCES length found by walking its records; 0 when they run out. */
static uint32_t
instances_len(const uint8_t *buf, uint32_t off, uint32_t room)
{
	uint32_t count, pos = 4;

	if (room < 4)
		return 0;
	count = cf_ld_u32le(buf + off);
	if (count > CF_MAX_INSTANCES)
		return 0;
	for (uint32_t i = 0; i < count; i++) {
		uint32_t ncrit;
		if (room - pos < CF_INSTANCE_HEADER_SIZE)
			return 0;
		ncrit = cf_ld_u16le(buf + off + pos + 8);
		if (ncrit > CF_MAX_CRITERIA)
			return 0;
		pos += CF_INSTANCE_HEADER_SIZE;
		if ((room - pos) / CF_CRITERION_SIZE < ncrit)
			return 0;
		pos += ncrit * CF_CRITERION_SIZE;
	}
	return pos;
}

static void
repair_sections(uint8_t *buf, uint32_t total)
{
	struct sect s[2] = { ld_sect(buf + CF_HEADER_SIZE),
		ld_sect(buf + CF_HEADER_SIZE + CF_SECTION_ENTRY_SIZE) };
	uint32_t payload = total - PAYLOAD_START, first = CF_SECT_STRINGS, l1;
	uint32_t old = 0;
	uint8_t *e = buf + CF_HEADER_SIZE;

	if (table_ok(s, total) || payload < 8)
		return;
	/* Keep the kind the table places first, when it says. */
	for (int i = 0; i < 2; i++)
		if (s[i].off == PAYLOAD_START &&
		    (s[i].kind == CF_SECT_STRINGS ||
		        s[i].kind == CF_SECT_INSTANCES))
			first = s[i].kind;
	for (int i = 0; i < 2; i++)
		if (s[i].kind == first)
			old = s[i].len;
	if (first == CF_SECT_STRINGS)
		l1 = strings_len(buf, PAYLOAD_START, payload - 4);
	else
		l1 = instances_len(buf, PAYLOAD_START, payload - 4);
	if (l1 == 0)
		l1 = old >= 4 && old <= payload - 4 ? old : payload - 4;
	st16(e, (uint16_t)first);
	st16(e + 2, 0);
	st32(e + 4, PAYLOAD_START);
	st32(e + 8, l1);
	e += CF_SECTION_ENTRY_SIZE;
	st16(e,
	    (uint16_t)(first == CF_SECT_STRINGS ? CF_SECT_INSTANCES
	                                        : CF_SECT_STRINGS));
	st16(e + 2, 0);
	st32(e + 4, PAYLOAD_START + l1);
	st32(e + 8, payload - l1);
}

size_t
cf_mut_repair(cf_mut *m, uint8_t *buf, size_t n)
{
	size_t limit = n < CF_MAX_FILE_SIZE ? n : CF_MAX_FILE_SIZE;
	uint32_t total;

	(void)m;
	if (buf == NULL || n < 4)
		return n;
	memset(buf, CF_MAGIC_BYTE, 4);
	if (n < CF_HEADER_SIZE)
		return n;
	st16(buf + 4, CF_FORMAT_VERSION);
	st16(buf + 6, CF_HEADER_SIZE);
	st16(buf + 28, CF_SECTION_COUNT);
	st16(buf + 30, 0);
	st32(buf + 32, CF_HEADER_SIZE);
	st32(buf + 36, 0);
	total = cf_ld_u32le(buf + 20);
	if (total < PAYLOAD_START || total > limit)
		total = (uint32_t)limit;
	st32(buf + 20, total);
	if (total >= PAYLOAD_START)
		repair_sections(buf, total);
	st32(buf + 24,
	    cf_crc32(0, buf + CF_HEADER_SIZE, total - CF_HEADER_SIZE));
	return n;
}

/* ---- boundary edits of the frame ---------------------------------------- */

/* Added to a count, they make count x record size (8, 12 or 24 bytes) wrap
 * around 2^32 back to near the true product: 2^32 / 8 x k, 2^32 / 12 and
 * 2^32 / 24 rounded up, and their multiples. */
static const uint32_t wrap32[] = { 0x20000000u, 0x40000000u, 0x60000000u,
	0x80000000u, 0xA0000000u, 0xC0000000u, 0xE0000000u, 0x15555556u,
	0x2AAAAAABu, 0x0AAAAAABu };

/* A value at or past the edge of a field holding v whose largest valid
 * value is limit - 1: one either side of v, limit and limit + 1, a wrap
 * point, the sign bit's edges, all ones. */
static uint32_t
edge32(cf_mut *m, uint32_t v, uint32_t limit)
{
	switch (below(m, 7)) {
	case 0:
		return v + 1;
	case 1:
		return v - 1;
	case 2:
		return limit;
	case 3:
		return limit + 1;
	case 4:
	case 5:
		return v + wrap32[below(m, sizeof(wrap32) / sizeof(wrap32[0]))];
	default:
		return one_in(m, 2)
		    ? 0xFFFFFFFFu
		    : (one_in(m, 2) ? 0x7FFFFFFFu : 0x80000000u);
	}
}

int
cf_mut_frame(cf_mut *m, uint8_t *buf, size_t n)
{
	struct sect s[2], *st, *in;
	uint32_t total, nstr, ninst, pos, pick, seen = 0, crit = 0;
	uint32_t at, v;
	cf_chan *ch = NULL;
	int kind;

	if (m == NULL || buf == NULL || n < PAYLOAD_START)
		return CF_MUT_FRAME_NONE;
	total = cf_ld_u32le(buf + 20);
	if (total < PAYLOAD_START || total > n ||
	    cf_chan_parse(buf, total, &ch, NULL) != CF_OK)
		return CF_MUT_FRAME_NONE;
	cf_chan_free(ch);
	/* Parsed: the table is valid and every record is where it says. */
	s[0] = ld_sect(buf + CF_HEADER_SIZE);
	s[1] = ld_sect(buf + CF_HEADER_SIZE + CF_SECTION_ENTRY_SIZE);
	st = s[0].kind == CF_SECT_STRINGS ? &s[0] : &s[1];
	in = st == &s[0] ? &s[1] : &s[0];
	nstr = cf_ld_u32le(buf + st->off);
	ninst = cf_ld_u32le(buf + in->off);
	/* A criterion with a string operand, uniformly (reservoir). */
	pos = in->off + 4;
	for (uint32_t i = 0; i < ninst; i++) {
		uint16_t nc = cf_ld_u16le(buf + pos + 8);

		pos += CF_INSTANCE_HEADER_SIZE;
		for (uint16_t k = 0; k < nc; k++, pos += CF_CRITERION_SIZE)
			if (is_str_op(buf[pos + 2]) && below(m, ++seen) == 0)
				crit = pos;
	}
	kind = 1 + (int)below(m, 6);
	if (kind == CF_MUT_FRAME_STRREF && crit == 0)
		kind = CF_MUT_FRAME_STRINGS_COUNT;
	if (kind == CF_MUT_FRAME_STRING_ENTRY && nstr == 0)
		kind = CF_MUT_FRAME_STRINGS_COUNT;
	if (kind == CF_MUT_FRAME_CRIT_COUNT && ninst == 0)
		kind = CF_MUT_FRAME_INSTANCES_COUNT;
	switch (kind) {
	case CF_MUT_FRAME_STRREF:
		at = crit + 4;
		st32(buf + at, edge32(m, cf_ld_u32le(buf + at), nstr));
		break;
	case CF_MUT_FRAME_STRING_ENTRY:
		pick = below(m, nstr);
		at = st->off + 4 + pick * CF_STRING_ENTRY_SIZE +
		    (one_in(m, 2) ? 4u : 0u);
		st32(buf + at,
		    edge32(m, cf_ld_u32le(buf + at),
		        st->len - 4 - nstr * CF_STRING_ENTRY_SIZE));
		break;
	case CF_MUT_FRAME_INSTANCES_COUNT:
		st32(buf + in->off,
		    edge32(m, ninst, (in->len - 4) / CF_INSTANCE_HEADER_SIZE));
		break;
	case CF_MUT_FRAME_CRIT_COUNT:
		pick = below(m, ninst);
		pos = in->off + 4;
		for (uint32_t i = 0; i < pick; i++)
			pos += CF_INSTANCE_HEADER_SIZE +
			    cf_ld_u16le(buf + pos + 8) * CF_CRITERION_SIZE;
		v = cf_ld_u16le(buf + pos + 8);
		v = one_in(m, 4)
		    ? 0xFFFFu
		    : (one_in(m, 2) ? v + 1 : CF_MAX_CRITERIA + 1u);
		st16(buf + pos + 8, (uint16_t)v);
		break;
	case CF_MUT_FRAME_SECTION:
		at = CF_HEADER_SIZE +
		    (one_in(m, 2) ? 0u : CF_SECTION_ENTRY_SIZE) +
		    (one_in(m, 2) ? 4u : 8u);
		st32(buf + at, edge32(m, cf_ld_u32le(buf + at), total));
		break;
	default: /* CF_MUT_FRAME_STRINGS_COUNT */
		kind = CF_MUT_FRAME_STRINGS_COUNT;
		st32(buf + st->off,
		    edge32(m, nstr, (st->len - 4) / CF_STRING_ENTRY_SIZE + 1));
		break;
	}
	st32(buf + 24,
	    cf_crc32(0, buf + CF_HEADER_SIZE, total - CF_HEADER_SIZE));
	m->last_op = "frame";
	return kind;
}

/* ---- trimming ----------------------------------------------------------- */

size_t
cf_mut_trim_init(cf_mut *m, const uint8_t *in, size_t n)
{
	cf_chan *ch = NULL;
	size_t flen, total;

	if (m == NULL)
		return 0;
	trim_reset(m);
	if (m->kind != CF_MUT_CHANNEL || in == NULL || n == 0)
		return 0;
	flen = cf_h_file_len(in, n);
	if (cf_chan_parse(in, flen, &ch, NULL) != CF_OK)
		return 0;
	if (ensure(&m->trim_tail, &m->trim_tail_cap, n - flen) != CF_OK) {
		cf_chan_free(ch);
		return 0;
	}
	if (n > flen)
		memcpy(m->trim_tail, in + flen, n - flen);
	m->trim_ntail = n - flen;
	total = m->trim_ntail ? 1 : 0;
	for (uint32_t i = 0; i < ch->ninstances; i++)
		total += 1 + (size_t)ch->instances[i].ncrit;
	m->trim_base = ch;
	m->trim_total = total;
	return total;
}

size_t
cf_mut_trim_step(cf_mut *m, const uint8_t **out)
{
	cf_chan *c = NULL;
	size_t idx = 0;
	int found = 0;

	*out = NULL;
	if (m == NULL || m->trim_base == NULL)
		return 0;
	cf_chan_free(m->trim_cand);
	m->trim_cand = NULL;
	m->trim_cand_tail = 0;
	if (m->trim_done >= m->trim_total ||
	    cf_chan_clone(m->trim_base, &c) != CF_OK)
		return 0;
	/* The element at trim_pos, instances before their criteria. */
	for (uint32_t i = 0; i < c->ninstances && !found; i++) {
		uint16_t nc = c->instances[i].ncrit;
		if (idx == m->trim_pos) {
			m->trim_drop = 1 + (size_t)nc;
			inst_remove(c, i);
			found = 1;
		} else if (m->trim_pos - idx - 1 < nc) {
			crit_remove(&c->instances[i],
			    (uint32_t)(m->trim_pos - idx - 1));
			m->trim_drop = 1;
			found = 1;
		}
		idx += 1 + (size_t)nc;
	}
	if (!found && idx == m->trim_pos && m->trim_ntail > 0) {
		m->trim_drop = 1;
		m->trim_cand_tail = 1;
		found = 1;
	}
	m->out.len = 0;
	if (!found || cf_chan_write(c, &m->out) != CF_OK ||
	    (!m->trim_cand_tail &&
	        cf_buf_put(&m->out, m->trim_tail, m->trim_ntail) != CF_OK)) {
		cf_chan_free(c);
		m->trim_cand_tail = 0;
		return 0;
	}
	m->trim_cand = c;
	*out = m->out.data;
	return m->out.len;
}

size_t
cf_mut_trim_done(cf_mut *m, int success)
{
	if (m == NULL || m->trim_base == NULL)
		return 0;
	if (success && m->trim_cand != NULL) {
		cf_chan_free(m->trim_base);
		m->trim_base = m->trim_cand;
		m->trim_cand = NULL;
		if (m->trim_cand_tail)
			m->trim_ntail = 0;
		m->trim_done += m->trim_drop;
	} else {
		cf_chan_free(m->trim_cand);
		m->trim_cand = NULL;
		m->trim_pos++;
		m->trim_done++;
	}
	m->trim_cand_tail = 0;
	if (m->trim_done > m->trim_total)
		m->trim_done = m->trim_total;
	return m->trim_done;
}
