/*
 * test_mutator - the structure-aware mutator (harness/cf_mutator.h).
 *
 * Usage: test_mutator SEED_DIR   (SEED_DIR holds *.cf seeds: build/corpus)
 *
 * From the seeds, with a fixed seed, 10,000 outputs are generated the way
 * a fuzzer chains them (an output is fed back as the next input three times
 * in four) and checked: at least 99% parse with the CRC check on (the share
 * is printed); every operator appears in some output; every field index of
 * every template type appears with a non-wildcard operator; the same seed
 * and input give byte-identical outputs; outputs never exceed max (64, 512,
 * 4096, in buffers of exactly max bytes so ASan sees an overrun); random
 * bytes and truncated files still give an output; cf_mut_repair makes a
 * file with a corrupted CRC, a wrong total_length or a broken section table
 * parse again; each trim step is a parsable file with one instance, one
 * criterion or the trailing bytes fewer; the regex kind keeps its length
 * byte right. The test's own choices come from a local splitmix64.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cf_chan.h"
#include "cf_limits.h"
#include "cf_mem.h"
#include "cf_mutator.h"
#include "cf_re.h"
#include "cf_test.h"
#include "cf_tmpl.h"
#include "harness.h"

#define MAX_SEEDS 256
#define MAX_SEED_SIZE (1u << 20)
#define CHAIN_RUNS 10000
#define OUT_MAX 4096

typedef struct blob {
	uint8_t *p;
	size_t n;
} blob;

typedef struct trng {
	uint64_t s;
} trng;

static uint64_t
tr_next(trng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static size_t
tr_below(trng *r, size_t n)
{
	return n ? (size_t)(tr_next(r) % n) : 0;
}

static int
read_file(const char *path, blob *b)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 4096;

	b->n = 0;
	if (f == NULL || (b->p = cf_mem_alloc(cap)) == NULL) {
		if (f)
			fclose(f);
		return -1;
	}
	for (;;) {
		size_t got = fread(b->p + b->n, 1, cap - b->n, f);
		b->n += got;
		if (got == 0 || b->n > MAX_SEED_SIZE)
			break;
		if (b->n == cap) {
			uint8_t *q = cf_mem_reallocarray(b->p, cap, 2);
			if (q == NULL)
				break;
			b->p = q;
			cap *= 2;
		}
	}
	fclose(f);
	return 0;
}

static int
is_cf(const struct dirent *e)
{
	size_t l = strlen(e->d_name);

	return l > 3 && strcmp(e->d_name + l - 3, ".cf") == 0;
}

/* The first MAX_SEEDS *.cf files of dir in name order (scandir(3) with
 * alphasort: readdir order is not stable). */
static size_t
load_seeds(const char *dir, blob *seeds)
{
	struct dirent **names = NULL;
	size_t ns = 0;
	int nn = scandir(dir, &names, is_cf, alphasort);

	for (int i = 0; i < nn; i++) {
		char path[4096];
		int w = snprintf(
		    path, sizeof(path), "%s/%s", dir, names[i]->d_name);
		if (ns < MAX_SEEDS && w > 0 && (size_t)w < sizeof(path) &&
		    read_file(path, &seeds[ns]) == 0)
			ns++;
		free(names[i]); /* allocated by libc: scandir(3) */
	}
	free(names); /* allocated by libc: scandir(3) */
	return ns;
}

static int
parses(const uint8_t *p, size_t n, cf_chan **out)
{
	cf_chan *ch = NULL;
	int rc = cf_chan_parse(p, cf_h_file_len(p, n), &ch, NULL);

	if (out != NULL)
		*out = ch;
	else
		cf_chan_free(ch);
	return rc == CF_OK;
}

/* Operators seen, and fields seen with a non-wildcard operator per
 * template (by table position). */
struct reach {
	int op[CF_OP_COUNT];
	int field[8][CF_MAX_FIELDS];
};

static void
record(struct reach *r, const cf_chan *ch)
{
	size_t ti = cf_tmpl_count();

	for (size_t i = 0; i < cf_tmpl_count(); i++)
		if (cf_tmpl_at(i)->id == ch->template_type)
			ti = i;
	for (uint32_t i = 0; i < ch->ninstances; i++)
		for (uint16_t k = 0; k < ch->instances[i].ncrit; k++) {
			const cf_criterion *c = &ch->instances[i].crit[k];
			r->op[c->op] = 1;
			if (c->op != CF_OP_WILDCARD && ti < cf_tmpl_count() &&
			    ti < 8 && c->field < cf_tmpl_at(ti)->nfields)
				r->field[ti][c->field] = 1;
		}
}

static void
test_chain(const blob *seeds, size_t ns)
{
	cf_mut *m = cf_mut_new(0x5eedu, CF_MUT_CHANNEL);
	uint8_t *cur = cf_mem_alloc(OUT_MAX), *out = cf_mem_alloc(OUT_MAX);
	size_t curlen = 0, ok = 0, over = 0, missing = 0;
	struct reach r;
	trng t = { 1 };

	memset(&r, 0, sizeof(r));
	CF_EXPECT(m != NULL && cur != NULL && out != NULL, "allocation");
	if (m == NULL || cur == NULL || out == NULL)
		goto done;
	for (int i = 0; i < CHAIN_RUNS; i++) {
		const blob *s = &seeds[tr_below(&t, ns)];
		const blob *o = &seeds[tr_below(&t, ns)];
		const uint8_t *in = s->p;
		size_t n = s->n, len;
		cf_chan *ch;

		if (curlen > 0 && tr_below(&t, 4) != 0) {
			in = cur;
			n = curlen;
		}
		len = cf_mut_mutate(m, in, n, o->p, o->n, out, OUT_MAX);
		if (len == 0 || len > OUT_MAX)
			over++;
		if (parses(out, len, &ch)) {
			ok++;
			record(&r, ch);
			cf_chan_free(ch);
		}
		memcpy(cur, out, len);
		curlen = len;
	}
	printf("mutator: %zu of %d outputs parse (%.2f%%)\n", ok, CHAIN_RUNS,
	    100.0 * (double)ok / CHAIN_RUNS);
	CF_EXPECT(ok * 100 >= 99u * CHAIN_RUNS,
	    "well-formed share %zu/%d < 99%%", ok, CHAIN_RUNS);
	CF_EXPECT_EQ(over, 0, "outputs empty or over max");
	for (unsigned op = 0; op < CF_OP_COUNT; op++)
		CF_EXPECT(
		    r.op[op], "operator %s never produced", cf_op_name(op));
	for (size_t ti = 0; ti < cf_tmpl_count() && ti < 8; ti++) {
		const cf_tmpl *tp = cf_tmpl_at(ti);
		for (uint32_t f = 0; f < tp->nfields; f++)
			if (!r.field[ti][f]) {
				missing++;
				fprintf(stderr, "unreached: %s field %u\n",
				    tp->name, f);
			}
	}
	printf(
	    "mutator: %zu template fields never tested by a non-wildcard operator\n",
	    missing);
	CF_EXPECT_EQ(missing, 0, "unreached template fields");
done:
	cf_mem_free(cur);
	cf_mem_free(out);
	cf_mut_free(m);
}

/* Two mutators with one seed, chained over the same inputs, agree byte for
 * byte; a reseeded mutator agrees with a fresh one (no hidden history). */
static void
test_determinism(const blob *seeds, size_t ns, enum cf_mut_kind kind)
{
	cf_mut *a = cf_mut_new(42, kind), *b = cf_mut_new(42, kind);
	uint8_t *oa = cf_mem_alloc(OUT_MAX), *ob = cf_mem_alloc(OUT_MAX);
	size_t diff = 0, la = 0, lb = 0;

	if (a == NULL || b == NULL || oa == NULL || ob == NULL) {
		CF_EXPECT(0, "allocation");
		goto done;
	}
	for (size_t s = 0; s < ns; s++) {
		const blob *o = &seeds[(s + 1) % ns];
		la = cf_mut_mutate(
		    a, seeds[s].p, seeds[s].n, o->p, o->n, oa, OUT_MAX);
		lb = cf_mut_mutate(
		    b, seeds[s].p, seeds[s].n, o->p, o->n, ob, OUT_MAX);
		for (int i = 0; i < 30; i++) {
			if (la != lb || memcmp(oa, ob, la) != 0)
				diff++;
			la = cf_mut_mutate(a, oa, la, o->p, o->n, oa, OUT_MAX);
			lb = cf_mut_mutate(b, ob, lb, o->p, o->n, ob, OUT_MAX);
		}
	}
	CF_EXPECT_EQ(diff, 0, "outputs differ for the same seed and input");
	/* a has a long history, b is new: reseeding must erase it. */
	cf_mut_free(b);
	b = cf_mut_new(7, kind);
	cf_mut_reseed(a, 7);
	diff = 0;
	for (size_t s = 0; s < ns && b != NULL; s++) {
		la = cf_mut_mutate(
		    a, seeds[s].p, seeds[s].n, NULL, 0, oa, OUT_MAX);
		lb = cf_mut_mutate(
		    b, seeds[s].p, seeds[s].n, NULL, 0, ob, OUT_MAX);
		if (la != lb || memcmp(oa, ob, la) != 0)
			diff++;
	}
	CF_EXPECT_EQ(diff, 0, "reseeded mutator differs from a fresh one");
done:
	cf_mem_free(oa);
	cf_mem_free(ob);
	cf_mut_free(a);
	cf_mut_free(b);
}

/* Outputs fit max exactly-sized buffers; unparsable input still gives an
 * output. */
static void
test_max(const blob *seeds, size_t ns)
{
	static const size_t maxes[] = { 64, 512, 4096, 1, 16 };
	cf_mut *m = cf_mut_new(99, CF_MUT_CHANNEL);
	uint8_t junk[300];
	trng t = { 2 };
	size_t bad = 0, inplace_ok = 0;

	CF_EXPECT(m != NULL, "allocation");
	for (size_t k = 0; m != NULL && k < sizeof(maxes) / sizeof(maxes[0]);
	     k++) {
		size_t max = maxes[k], len = 0;
		uint8_t *out = cf_mem_alloc(max), *prev = cf_mem_alloc(max);
		for (int i = 0; out && prev && i < 2000; i++) {
			const blob *s = &seeds[tr_below(&t, ns)];
			const uint8_t *in = s->p;
			size_t n = s->n;
			switch (tr_below(&t, 4)) {
			case 0: /* random bytes */
				n = tr_below(&t, sizeof(junk) + 1);
				for (size_t j = 0; j < n; j++)
					junk[j] = (uint8_t)tr_next(&t);
				in = junk;
				break;
			case 1: /* a truncated file */
				n = tr_below(&t, s->n);
				break;
			case 2: /* the previous output */
				if (len > 0) {
					memcpy(prev, out, len);
					in = prev;
					n = len;
				}
				break;
			default:
				break;
			}
			len = cf_mut_mutate(m, in, n, s->p, s->n, out, max);
			if (len == 0 || len > max)
				bad++;
		}
		cf_mem_free(out);
		cf_mem_free(prev);
	}
	CF_EXPECT_EQ(bad, 0, "outputs over max or empty");
	/* libFuzzer's way: in place, in a buffer of MaxSize bytes. */
	for (size_t s = 0; m != NULL && s < ns; s++) {
		uint8_t *buf = cf_mem_alloc(OUT_MAX + 8192);
		size_t len;
		if (buf == NULL)
			continue;
		memcpy(buf, seeds[s].p, seeds[s].n);
		len = cf_mut_mutate(
		    m, buf, seeds[s].n, NULL, 0, buf, OUT_MAX + 8192);
		inplace_ok += parses(buf, len, NULL);
		cf_mem_free(buf);
	}
	CF_EXPECT(inplace_ok + 1 >= ns, "in-place outputs: %zu of %zu parse",
	    inplace_ok, ns);
	CF_EXPECT(
	    cf_mut_mutate(m, NULL, 0, NULL, 0, junk, 0) == 0, "max 0 gives 0");
	cf_mut_free(m);
}

static void
put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void
test_repair(const blob *seeds, size_t ns)
{
	cf_mut *m = cf_mut_new(1, CF_MUT_CHANNEL);
	const blob *s = &seeds[0];
	uint8_t *b = cf_mem_alloc(s->n + 16);

	if (m == NULL || b == NULL || s->n < 72) {
		CF_EXPECT(0, "setup");
		goto done;
	}
	(void)ns;
	/* A valid file is left as it is. */
	memcpy(b, s->p, s->n);
	cf_mut_repair(m, b, s->n);
	CF_EXPECT(memcmp(b, s->p, s->n) == 0, "repair changed a valid file");
	/* Corrupted CRC and total_length past the end. */
	b[24] ^= 0x5a;
	put32(b + 20, (uint32_t)s->n + 100);
	CF_EXPECT(!parses(b, s->n, NULL), "corrupted file still parses");
	cf_mut_repair(m, b, s->n);
	CF_EXPECT(parses(b, s->n, NULL), "CRC + total_length not repaired");
	CF_EXPECT(memcmp(b, s->p, s->n) == 0, "repair is not exact");
	/* total_length too small, magic and version broken. */
	put32(b + 20, 5);
	b[0] = 0;
	b[4] = 9;
	b[40 + 12 + 4] ^= 1; /* INSTANCES offset */
	b[30] = 1;           /* flags */
	CF_EXPECT(!parses(b, s->n, NULL), "corrupted file still parses");
	cf_mut_repair(m, b, s->n);
	CF_EXPECT(
	    parses(b, s->n, NULL), "header and section table not repaired");
	/* Section table wrecked entirely: derived from the contents. */
	memset(b + 40, 0xee, 24);
	cf_mut_repair(m, b, s->n);
	CF_EXPECT(parses(b, s->n, NULL), "section table not re-derived");
	CF_EXPECT(memcmp(b, s->p, s->n) == 0, "section table differs");
	/* With trailing bytes: the file part is repaired, the tail kept. */
	memcpy(b, s->p, s->n);
	memset(b + s->n, 0x41, 16);
	b[100] ^= 0xff; /* inside the payload: the CRC breaks */
	CF_EXPECT(!parses(b, s->n + 16, NULL), "corrupted file still parses");
	cf_mut_repair(m, b, s->n + 16);
	CF_EXPECT(cf_h_file_len(b, s->n + 16) == s->n, "tail absorbed");
	CF_EXPECT(b[s->n] == 0x41 && b[s->n + 15] == 0x41, "tail changed");
	/* Short buffers are handled. */
	cf_mut_repair(m, b, 3);
	cf_mut_repair(m, b, 39);
	cf_mut_repair(m, b, 50);
done:
	cf_mem_free(b);
	cf_mut_free(m);
}

static size_t
count_crit(const cf_chan *ch)
{
	size_t n = 0;
	for (uint32_t i = 0; i < ch->ninstances; i++)
		n += ch->instances[i].ncrit;
	return n;
}

/* One instance (with its criteria), one criterion or the trailing bytes
 * fewer than base. */
static int
one_fewer(const cf_chan *base, size_t btail, const cf_chan *c, size_t ctail)
{
	size_t bc = count_crit(base), cc = count_crit(c);

	if (c->ninstances + 1 == base->ninstances) {
		for (uint32_t i = 0; i < base->ninstances; i++)
			if (bc - base->instances[i].ncrit == cc &&
			    ctail == btail)
				return 1;
		return 0;
	}
	if (c->ninstances != base->ninstances)
		return 0;
	if (cc + 1 == bc && ctail == btail)
		return 1;
	return cc == bc && btail > 0 && ctail == 0;
}

static void
test_trim(const blob *seeds, size_t ns)
{
	cf_mut *m = cf_mut_new(3, CF_MUT_CHANNEL);
	size_t bad = 0, steps_total = 0;

	CF_EXPECT(m != NULL, "allocation");
	for (size_t s = 0; m != NULL && s < ns; s++) {
		uint8_t *in = cf_mem_alloc(seeds[s].n + 24);
		size_t n = seeds[s].n + (s % 2 ? 24 : 0), steps, done = 0,
		       iter = 0;
		cf_chan *base = NULL;
		size_t btail;

		if (in == NULL)
			continue;
		memcpy(in, seeds[s].p, seeds[s].n);
		memset(in + seeds[s].n, 0x03, 24);
		steps = cf_mut_trim_init(m, in, n);
		if (!parses(in, n, &base)) {
			CF_EXPECT_EQ(steps, 0, "steps for an unparsable file");
			cf_mem_free(in);
			continue;
		}
		btail = n - cf_h_file_len(in, n);
		CF_EXPECT_EQ(steps,
		    base->ninstances + count_crit(base) + (btail ? 1 : 0),
		    "trim steps");
		while (done < steps && iter++ <= steps) {
			const uint8_t *p;
			size_t len = cf_mut_trim_step(m, &p), ctail;
			cf_chan *c = NULL;
			int success = iter % 3 == 0;

			if (len == 0 || p == NULL || !parses(p, len, &c)) {
				bad++;
				done = cf_mut_trim_done(m, 0);
				continue;
			}
			ctail = len - cf_h_file_len(p, len);
			if (!one_fewer(base, btail, c, ctail))
				bad++;
			if (success) {
				cf_chan_free(base);
				base = c;
				btail = ctail;
			} else {
				cf_chan_free(c);
			}
			done = cf_mut_trim_done(m, success);
		}
		steps_total += steps;
		CF_EXPECT(done == steps, "trim of seed %zu ended at %zu of %zu",
		    s, done, steps);
		cf_chan_free(base);
		cf_mem_free(in);
	}
	CF_EXPECT_EQ(bad, 0, "trim steps that broke structure");
	CF_EXPECT(steps_total > 0, "no trim steps at all");
	{
		const uint8_t junk[80] = { 1, 2, 3 };
		CF_EXPECT_EQ(
		    cf_mut_trim_init(m, junk, sizeof(junk)), 0, "trim of junk");
	}
	cf_mut_free(m);
}

/* fuzz_regex inputs: [flags][pattern length][pattern][subject]. */
static void
test_regex(void)
{
	static const char *const pats[] = { "a(b|c)*d", "^[a-z]+\\d{2,5}$",
		"\\w+\\s", "(a*)*b", "" };
	blob seeds[5];
	uint8_t in[512], out[300];
	cf_mut *m = cf_mut_new(11, CF_MUT_REGEX);
	size_t n = 0, bad = 0, compiled = 0;
	trng t = { 3 };
	const int runs = 3000;

	CF_EXPECT(m != NULL, "allocation");
	for (size_t i = 0; i < 5; i++) {
		size_t pl = strlen(pats[i]);
		seeds[i].p = cf_mem_alloc(2 + pl + 6);
		seeds[i].n = 2 + pl + 6;
		if (seeds[i].p == NULL)
			seeds[i].n = 0;
		else {
			seeds[i].p[0] = (uint8_t)(i & 3);
			seeds[i].p[1] = (uint8_t)pl;
			memcpy(seeds[i].p + 2, pats[i], pl);
			memcpy(seeds[i].p + 2 + pl, "abcd12", 6);
		}
	}
	for (int i = 0; m != NULL && i < runs; i++) {
		const blob *s = &seeds[tr_below(&t, 5)];
		const uint8_t *p = n && tr_below(&t, 4) ? in : s->p;
		size_t pn = p == in ? n : s->n;
		size_t max =
		    tr_below(&t, 8) == 0 ? 1 + tr_below(&t, 8) : sizeof(out);
		size_t len =
		    cf_mut_mutate(m, p, pn, seeds[0].p, seeds[0].n, out, max);
		cf_re *re = NULL;

		if (len == 0 || len > max || (max >= 2 && len < 2) ||
		    (len >= 2 && out[1] > len - 2))
			bad++;
		if (len >= 2 &&
		    cf_re_compile(out + 2, out[1], out[0] & 3, &re, NULL) ==
		        CF_OK) {
			compiled++;
			cf_re_free(re);
		}
		memcpy(in, out, len);
		n = len;
	}
	printf("mutator: regex kind: %zu of %d patterns compile\n", compiled,
	    runs);
	CF_EXPECT_EQ(bad, 0, "regex outputs with a wrong length byte or size");
	CF_EXPECT(compiled * 4 >= (size_t)runs, "too few patterns compile");
	test_determinism(seeds, 5, CF_MUT_REGEX);
	for (size_t i = 0; i < 5; i++)
		cf_mem_free(seeds[i].p);
	cf_mut_free(m);
}

static void
test_crossover(const blob *seeds, size_t ns)
{
	cf_mut *m = cf_mut_new(5, CF_MUT_CHANNEL);
	uint8_t *out = cf_mem_alloc(OUT_MAX);
	size_t ok = 0, bad = 0;

	for (size_t i = 0; m != NULL && out != NULL && i < 4 * ns; i++) {
		const blob *a = &seeds[i % ns], *b = &seeds[(i * 7 + 3) % ns];
		size_t len =
		    cf_mut_crossover(m, a->p, a->n, b->p, b->n, out, OUT_MAX);
		if (len == 0 || len > OUT_MAX)
			bad++;
		ok += parses(out, len, NULL);
	}
	CF_EXPECT_EQ(bad, 0, "crossover output size");
	CF_EXPECT(
	    ok * 100 >= 95 * 4 * ns, "crossover: %zu of %zu parse", ok, 4 * ns);
	CF_EXPECT(m != NULL && cf_mut_describe(m) != NULL, "describe");
	cf_mem_free(out);
	cf_mut_free(m);
}

/* cf_mut_frame: one number edited in one place, the CRC right, the parser
 * rejects most edits for a reason other than the CRC, every kind reached,
 * deterministic; a file that does not parse is left alone. */
static void
test_frame(const blob *seeds, size_t ns)
{
	int kinds[CF_MUT_FRAME_SECTION + 1] = { 0 };
	size_t edits = 0, rejected = 0, crc = 0, spread = 0, bad_kind = 0;

	for (size_t i = 0; i < ns; i++) {
		const blob *b = &seeds[i];
		uint8_t *x = cf_mem_alloc(b->n), *y = cf_mem_alloc(b->n);

		if (x == NULL || y == NULL || b->n < 64) {
			cf_mem_free(x);
			cf_mem_free(y);
			continue;
		}
		for (uint64_t r = 0; r < 200; r++) {
			cf_mut *m = cf_mut_new(r * 7919 + i, CF_MUT_CHANNEL);
			cf_mut *m2 = cf_mut_new(r * 7919 + i, CF_MUT_CHANNEL);
			uint32_t total = cf_ld_u32le(b->p + 20);
			size_t lo = b->n, hi = 0;
			cf_chan *ch = NULL;
			int k, k2, rc;

			if (m == NULL || m2 == NULL) {
				cf_mut_free(m);
				cf_mut_free(m2);
				continue;
			}
			memcpy(x, b->p, b->n);
			memcpy(y, b->p, b->n);
			k = cf_mut_frame(m, x, b->n);
			k2 = cf_mut_frame(m2, y, b->n);
			cf_mut_free(m);
			cf_mut_free(m2);
			CF_EXPECT(k == k2 && memcmp(x, y, b->n) == 0,
			    "frame: seed %zu round %u not deterministic", i,
			    (unsigned)r);
			if (k <= CF_MUT_FRAME_NONE ||
			    k > CF_MUT_FRAME_SECTION) {
				bad_kind++;
				continue;
			}
			kinds[k]++;
			edits++;
			if (cf_ld_u32le(x + 24) !=
			    cf_crc32(0, x + 40, total - 40))
				crc++;
			for (size_t j = 0; j < b->n; j++)
				if ((j < 24 || j >= 28) && x[j] != b->p[j]) {
					lo = j < lo ? j : lo;
					hi = j > hi ? j : hi;
				}
			if (lo < b->n && hi - lo >= 4)
				spread++;
			rc = cf_chan_parse(x, total, &ch, NULL);
			cf_chan_free(ch);
			if (rc != CF_OK)
				rejected++;
			CF_EXPECT(rc != CF_E_CRC,
			    "frame: seed %zu round %u: CRC", i, (unsigned)r);
		}
		cf_mem_free(x);
		cf_mem_free(y);
	}
	printf(
	    "frame: %zu edits, %zu rejected by the parser; by kind: strref %d, string entry %d, strings count %d, instances count %d, criterion count %d, section %d\n",
	    edits, rejected, kinds[1], kinds[2], kinds[3], kinds[4], kinds[5],
	    kinds[6]);
	CF_EXPECT_EQ(bad_kind, 0, "frame: every seed edited");
	CF_EXPECT(edits >= 200 * ns / 2, "frame: %zu edits", edits);
	CF_EXPECT_EQ(crc, 0, "frame: CRC recomputed");
	CF_EXPECT_EQ(spread, 0, "frame: one number edited");
	CF_EXPECT(rejected * 4 >= edits * 3,
	    "frame: %zu of %zu rejected (want >= 75%%)", rejected, edits);
	for (int k = 1; k <= CF_MUT_FRAME_SECTION; k++)
		CF_EXPECT(kinds[k] > 0, "frame: kind %d never chosen", k);
	{
		uint8_t junk[80];
		cf_mut *m = cf_mut_new(1, CF_MUT_CHANNEL);

		memset(junk, 0xAA, sizeof(junk));
		CF_EXPECT_EQ(cf_mut_frame(m, junk, sizeof(junk)),
		    CF_MUT_FRAME_NONE, "frame: not a channel file");
		CF_EXPECT(junk[0] == 0xAA && junk[79] == 0xAA,
		    "frame: junk left alone");
		CF_EXPECT_EQ(cf_mut_frame(m, junk, 10), CF_MUT_FRAME_NONE,
		    "frame: too short");
		cf_mut_free(m);
	}
}

int
main(int argc, char **argv)
{
	static blob seeds[MAX_SEEDS];
	size_t ns;

	if (argc != 2) {
		fprintf(stderr, "usage: test_mutator SEED_DIR\n");
		return 2;
	}
	ns = load_seeds(argv[1], seeds);
	CF_EXPECT(ns > 0, "no *.cf seeds in %s", argv[1]);
	if (ns > 0) {
		printf("mutator: %zu seeds from %s\n", ns, argv[1]);
		test_chain(seeds, ns);
		test_determinism(seeds, ns, CF_MUT_CHANNEL);
		test_max(seeds, ns);
		test_repair(seeds, ns);
		test_trim(seeds, ns);
		test_crossover(seeds, ns);
		test_frame(seeds, ns);
	}
	test_regex();
	for (size_t i = 0; i < ns; i++)
		cf_mem_free(seeds[i].p);
	return cf_test_finish("mutator");
}
