/*
 * test_arena - the per-input scratch arena (cf_mem.h) and the regex code
 * that uses it (cf_re_compile_in, cf_re_exec_in in cf_re.h).
 *
 * Table tests of the arena: sizes, alignment, zeroing, exhaustion (NULL,
 * the arena still usable), release in stack order, ownership, and under
 * AddressSanitizer the poisoned redzones. Then the regex code with an
 * arena gives what it gives without one: on a table of patterns, with an
 * arena big enough, one too small (the heap fallback) and none; and with
 * each argument a directory, on every REGEX criterion of every seed in it.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cf_buf.h"
#include "cf_chan.h"
#include "cf_limits.h"
#include "cf_mem.h"
#include "cf_re.h"
#include "cf_test.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HAVE_ASAN 1
#endif
#endif
#if !defined(HAVE_ASAN) && defined(__SANITIZE_ADDRESS__)
#define HAVE_ASAN 1
#endif
#ifdef HAVE_ASAN
#include <sanitizer/asan_interface.h>
#endif

struct alloc_case {
	int line;
	size_t cap;
	size_t n, size;
	int ok; /* 1: the allocation succeeds */
};

static const struct alloc_case alloc_cases[] = {
	{ __LINE__, 64, 1, 1, 1 },
	{ __LINE__, 64, 48, 1, 1 },               /* 48 + 16 redzone = 64 */
	{ __LINE__, 64, 49, 1, 0 },               /* 49 + 16 rounds to 80 */
	{ __LINE__, 64, 0, 1, 0 },                /* nothing asked */
	{ __LINE__, 64, 1, 0, 0 },                /* nothing asked */
	{ __LINE__, 64, 2, SIZE_MAX / 2 + 1, 0 }, /* n*size overflows */
	{ __LINE__, 4096, 1000, 4, 1 },
	{ __LINE__, 4096, 1020, 4, 1 }, /* 4080 + 16 = 4096 */
	{ __LINE__, 4096, 1021, 4, 0 },
};

static void
test_alloc(void)
{
	for (size_t i = 0; i < sizeof(alloc_cases) / sizeof(alloc_cases[0]);
	     i++) {
		const struct alloc_case *c = &alloc_cases[i];
		cf_arena *a = cf_arena_new(c->cap);
		unsigned char *p;
		int zero = 1;

		CF_EXPECT(a != NULL, "line %d: arena of %zu", c->line, c->cap);
		if (a == NULL)
			continue;
		p = cf_arena_calloc(a, c->n, c->size);
		CF_EXPECT((p != NULL) == c->ok, "line %d: %zu x %zu in %zu",
		    c->line, c->n, c->size, c->cap);
		if (p != NULL) {
			CF_EXPECT((uintptr_t)p % CF_ARENA_ALIGN == 0,
			    "line %d: aligned", c->line);
			for (size_t k = 0; k < c->n * c->size; k++)
				zero &= p[k] == 0;
			CF_EXPECT(zero, "line %d: zeroed", c->line);
			CF_EXPECT(
			    cf_arena_owns(a, p), "line %d: owns", c->line);
			CF_EXPECT(
			    cf_arena_used(a) == cf_arena_need(c->n, c->size),
			    "line %d: used %zu", c->line, cf_arena_used(a));
		} else {
			CF_EXPECT_EQ(cf_arena_used(a), 0, "nothing used");
		}
		cf_arena_free(a);
	}
	CF_EXPECT(cf_arena_new(0) == NULL, "arena of 0 bytes");
	CF_EXPECT(cf_arena_new((size_t)CF_MAX_ALLOC + 1) == NULL,
	    "arena over CF_MAX_ALLOC");
	CF_EXPECT(cf_arena_calloc(NULL, 1, 1) == NULL, "no arena: NULL");
	CF_EXPECT_EQ(cf_arena_mark(NULL), 0, "mark of no arena");
	cf_arena_release(NULL, 0);
	cf_arena_free(NULL);
	CF_EXPECT_EQ(cf_arena_need(0, 1), 0, "need of nothing");
	CF_EXPECT_EQ(cf_arena_need(1, 1), 32, "need of one byte");
	CF_EXPECT_EQ(cf_arena_need(16, 1), 32, "need of 16 bytes");
	CF_EXPECT_EQ(cf_arena_need(17, 1), 48, "need of 17 bytes");
}

/* Exhaustion is NULL, not a crash, and the arena stays usable; release
 * gives the memory back, zeroed again when allocated again. */
static void
test_exhaust_release(void)
{
	cf_arena *a = cf_arena_new(256);
	unsigned char *p, *q, *r;
	size_t mark, n = 0;

	CF_EXPECT(a != NULL, "arena of 256");
	if (a == NULL)
		return;
	CF_EXPECT_EQ(cf_arena_cap(a), 256, "capacity");
	while (cf_arena_calloc(a, 1, 16) != NULL)
		n++;
	CF_EXPECT_EQ(n, 256 / 32, "16-byte allocations in 256 bytes");
	CF_EXPECT(cf_arena_calloc(a, 1, 1) == NULL, "full: NULL");
	cf_arena_release(a, 0);
	CF_EXPECT_EQ(cf_arena_used(a), 0, "released to 0");
	p = cf_arena_calloc(a, 1, 64);
	CF_EXPECT(p != NULL, "usable after exhaustion");
	if (p != NULL)
		memset(p, 0xAA, 64);
	mark = cf_arena_mark(a);
	q = cf_arena_calloc(a, 1, 40);
	CF_EXPECT(q != NULL && q > p, "second allocation after the first");
	if (q != NULL)
		memset(q, 0xBB, 40);
	cf_arena_release(a, mark);
	r = cf_arena_calloc(a, 1, 40);
	CF_EXPECT(r == q, "released memory is reused");
	CF_EXPECT(r != NULL && r[0] == 0 && r[39] == 0, "and zeroed again");
	CF_EXPECT(p != NULL && p[63] == 0xAA, "the first is untouched");
	CF_EXPECT(!cf_arena_owns(a, &n), "a stack address is not owned");
	CF_EXPECT(!cf_arena_owns(a, NULL), "NULL is not owned");
	/* A release to a mark past the top changes nothing. */
	cf_arena_release(a, cf_arena_used(a) + 64);
	CF_EXPECT_EQ(cf_arena_used(a),
	    cf_arena_need(1, 64) + cf_arena_need(1, 40),
	    "release past the top");
#ifdef HAVE_ASAN
	CF_EXPECT(__asan_address_is_poisoned(r + 40),
	    "the byte past an allocation is poisoned");
	CF_EXPECT(__asan_address_is_poisoned(p + 64),
	    "the redzone after the first is poisoned");
	CF_EXPECT(!__asan_address_is_poisoned(r + 39),
	    "the last byte of an allocation is not");
	cf_arena_release(a, mark);
	CF_EXPECT(__asan_address_is_poisoned(r), "released memory is poisoned");
	printf("arena: redzones checked under AddressSanitizer\n");
#endif
	cf_arena_free(a);
}

/* Compile and match pat on each subject with arena a (may be NULL) and
 * without; every result must be the same. */
static void
same_regex(cf_arena *a, const uint8_t *pat, size_t len, unsigned flags,
    const uint8_t *const *subj, const size_t *nsubj, size_t count,
    const char *where)
{
	cf_re *x = NULL, *y = NULL;
	size_t used = cf_arena_used(a);
	int rx = cf_re_compile(pat, len, flags, &x, NULL);
	int ry = cf_re_compile_in(pat, len, flags, a, &y, NULL);

	CF_EXPECT(rx == ry, "%s: compile %s / %s", where, cf_err_name(rx),
	    cf_err_name(ry));
	CF_EXPECT_EQ(cf_arena_used(a), used, "compile released its scratch");
	if (rx == CF_OK && ry == CF_OK) {
		CF_EXPECT_EQ(cf_re_ninst(x), cf_re_ninst(y), "instructions");
		CF_EXPECT(cf_re_exec_scratch(y) > 0, "%s: scratch", where);
		for (size_t k = 0; k < count; k++) {
			int mx = -1, my = -1;
			cf_re_span sx, sy;
			uint64_t tx = 0, ty = 0;
			int ex =
			    cf_re_exec(x, subj[k], nsubj[k], &mx, &sx, &tx);
			int ey = cf_re_exec_in(
			    y, a, subj[k], nsubj[k], &my, &sy, &ty);

			CF_EXPECT(ex == ey && mx == my && tx == ty &&
			        (!mx ||
			            (sx.start == sy.start && sx.end == sy.end)),
			    "%s: subject %zu: %s/%s matched %d/%d steps %llu/%llu",
			    where, k, cf_err_name(ex), cf_err_name(ey), mx, my,
			    (unsigned long long)tx, (unsigned long long)ty);
			CF_EXPECT_EQ(cf_arena_used(a), used,
			    "exec released its scratch");
		}
	}
	cf_re_free(x);
	cf_re_free(y);
}

static const char *const patterns[] = { "", "a", "abc", "a*b+c?",
	"(foo|bar)+baz", "[a-z0-9_]{2,5}x", "^\\d+$", "(a|b)*c{3}", "[^x]+",
	".*\\.exe$", "(((a)))", "a{1000}", "(", "a**", "[z-a]", "x{3,2}" };

static void
test_regex_table(void)
{
	static const uint8_t s0[] = "", s1[] = "xxfoobarbazyy", s2[] = "ab_9x",
	                     s3[] = "12345", s4[] = "C:\\evil.exe",
	                     s5[] = "abbaccc";
	const uint8_t *subj[] = { s0, s1, s2, s3, s4, s5 };
	const size_t nsubj[] = { 0, sizeof(s1) - 1, sizeof(s2) - 1,
		sizeof(s3) - 1, sizeof(s4) - 1, sizeof(s5) - 1 };
	size_t big = 0;

	for (size_t i = 0; i < sizeof(patterns) / sizeof(patterns[0]); i++) {
		size_t need = cf_re_compile_scratch(strlen(patterns[i]));
		if (need > big)
			big = need;
	}
	big += 300000; /* room for the largest exec block too */
	for (int mode = 0; mode < 3; mode++) {
		/* 0: no arena; 1: an arena for everything; 2: one far too
		 * small, so that everything falls back to the heap. */
		cf_arena *a =
		    mode == 0 ? NULL : cf_arena_new(mode == 1 ? big : 64);
		char where[96];

		CF_EXPECT(mode == 0 || a != NULL, "arena for mode %d", mode);
		for (size_t i = 0; i < sizeof(patterns) / sizeof(patterns[0]);
		     i++)
			for (unsigned f = 0; f < 8; f++) {
				snprintf(where, sizeof(where),
				    "mode %d /%s/ flags %u", mode, patterns[i],
				    f);
				same_regex(a, (const uint8_t *)patterns[i],
				    strlen(patterns[i]), f, subj, nsubj,
				    sizeof(subj) / sizeof(subj[0]), where);
			}
		cf_arena_free(a);
	}
	CF_EXPECT_EQ(cf_re_compile_scratch(CF_RE_MAX_PATTERN + 1), 0,
	    "scratch of a pattern too long");
	CF_EXPECT_EQ(cf_re_exec_scratch(NULL), 0, "scratch of no program");
}

static uint8_t *
read_all(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	long len;

	*n = 0;
	if (f == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (len = ftell(f)) > 0 &&
	    fseek(f, 0, SEEK_SET) == 0 &&
	    (buf = cf_mem_alloc((size_t)len)) != NULL &&
	    fread(buf, 1, (size_t)len, f) == (size_t)len)
		*n = (size_t)len;
	fclose(f);
	return buf;
}

/* Every REGEX criterion of one seed: same compile and matches (on the
 * pattern's own example and on the seed's other strings) with the arena as
 * an interpreter sizes it as without. */
static unsigned
check_seed(const char *path)
{
	size_t n, flen, cap = 0;
	uint8_t *data = read_all(path, &n);
	cf_chan *ch = NULL;
	cf_arena *a = NULL;
	unsigned crit = 0;

	if (data == NULL)
		return 0;
	flen = n;
	if (n >= CF_HEADER_SIZE) {
		uint32_t total = cf_ld_u32le(data + CF_HDR_OFF_TOTAL_LENGTH);
		if (total >= CF_HEADER_SIZE && total <= n)
			flen = total;
	}
	if (cf_chan_parse(data, flen, &ch, NULL) != CF_OK) {
		cf_mem_free(data);
		return 0;
	}
	for (uint32_t i = 0; i < ch->nstrings; i++) {
		size_t need = cf_re_compile_scratch(ch->strings[i].len);
		if (need > cap)
			cap = need;
	}
	a = cap ? cf_arena_new(cap + 300000) : NULL;
	for (uint32_t i = 0; i < ch->ninstances; i++) {
		const cf_instance *in = &ch->instances[i];
		for (uint16_t k = 0; k < in->ncrit; k++) {
			const cf_criterion *c = &in->crit[k];
			const cf_str *pat;
			const uint8_t *subj[3];
			size_t nsubj[3];
			uint8_t ex[256];
			size_t nex = 0;
			cf_re *re = NULL;
			char where[300];

			if (c->op != CF_OP_REGEX || c->str >= ch->nstrings)
				continue;
			pat = &ch->strings[c->str];
			if (cf_re_compile(pat->data, pat->len, CF_RE_DOT_NL,
			        &re, NULL) == CF_OK &&
			    cf_re_example(re, ex, sizeof(ex), &nex) != CF_OK)
				nex = 0;
			cf_re_free(re);
			subj[0] = ex;
			nsubj[0] = nex;
			subj[1] = pat->data;
			nsubj[1] = pat->len;
			subj[2] = ch->strings[0].data;
			nsubj[2] = ch->strings[0].len;
			snprintf(where, sizeof(where), "%s instance %u crit %u",
			    path, i, (unsigned)k);
			for (unsigned f = 0; f < 2; f++)
				same_regex(a, pat->data, pat->len,
				    CF_RE_DOT_NL | (f ? CF_RE_ICASE : 0), subj,
				    nsubj, 3, where);
			crit++;
		}
	}
	cf_arena_free(a);
	cf_chan_free(ch);
	cf_mem_free(data);
	return crit;
}

int
main(int argc, char **argv)
{
	unsigned seeds = 0, crit = 0;

	test_alloc();
	test_exhaust_release();
	test_regex_table();
	for (int i = 1; i < argc; i++) {
		DIR *d = opendir(argv[i]);
		struct dirent *e;
		char path[4096];

		CF_EXPECT(d != NULL, "open %s", argv[i]);
		while (d && (e = readdir(d)) != NULL) {
			if (e->d_name[0] == '.')
				continue;
			snprintf(
			    path, sizeof(path), "%s/%s", argv[i], e->d_name);
			crit += check_seed(path);
			seeds++;
		}
		if (d)
			closedir(d);
	}
	if (argc > 1) {
		printf("arena: %u seeds, %u REGEX criteria compared\n", seeds,
		    crit);
		CF_EXPECT(crit >= 10, "at least 10 REGEX criteria (%u)", crit);
	}
	return cf_test_finish("arena");
}
