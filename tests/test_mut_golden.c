/*
 * test_mut_golden - the structure-aware mutator's outputs from fixed seeds,
 * pinned by hash (harness/cf_mutator.h).
 *
 * Usage: test_mut_golden [SEED_DIR]
 *
 * Benchmark figures of the _smart builds and of the AFL++ custom mutator
 * (docs/BENCH.md) are comparable across commits only while the mutator
 * makes the same choices: the same operation table (order and weights),
 * the same random draws in the same order, the same edits. This test
 * drives every entry point of the mutator from fixed seeds and hashes
 * every byte it gives back (FNV-1a, 64 bits), one hash per part:
 *
 *   chain   cf_mut_mutate and cf_mut_crossover chained from the empty
 *           input (the mutator generates its own first models), outputs
 *           fed back as inputs, maxima of 64 to 8192 bytes;
 *   frame   cf_mut_frame on every chain output that parses;
 *   repair  cf_mut_repair of chain outputs with bytes overwritten;
 *   trim    the trimming protocol on every 64th chain output;
 *   regex   the fuzz_regex kind, mutate and crossover, chained.
 *
 * The inputs come from the mutator alone, never from corpus/, so a new
 * seed does not move the hashes; a change of the model's tables (a
 * template type, a sensor build) or of the mutator's behaviour does. A
 * refactoring must keep every hash; a change meant to alter what the
 * mutator does updates GOLDEN below, and its commit says that mutator
 * figures before and after it are not comparable.
 *
 * Given SEED_DIR, the same parts also run over its *.cf seeds and their
 * hashes are printed, not checked (a one-off before/after comparison on
 * the real seeds: run it on both trees).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cf_chan.h"
#include "cf_mem.h"
#include "cf_mutator.h"
#include "cf_test.h"
#include "harness.h"

/* Overridable for a longer one-off comparison (GOLDEN holds for these). */
#ifndef CHAIN_RUNS
#define CHAIN_RUNS 20000
#endif
#ifndef REGEX_RUNS
#define REGEX_RUNS 5000
#endif
#define TRIM_EVERY 64
#define BUF_MAX 8192
#define POOL 16
#define MAX_SEEDS 256
#define MAX_SEED_SIZE (1u << 20)

enum { P_CHAIN, P_FRAME, P_REPAIR, P_TRIM, P_REGEX, P_COUNT };
static const char *const part_names[P_COUNT] = { "chain", "frame", "repair",
	"trim", "regex" };

/* The hashes of the self-generated run (no SEED_DIR). */
static const uint64_t GOLDEN[P_COUNT] = { 0xd23f8dd2222d5d43ull,
	0x795b14b033711a78ull, 0xbbc439ac84bcf322ull, 0x5c042ee01bf731acull,
	0x55192d3b56e0f9c0ull };

typedef struct blob {
	uint8_t *p;
	size_t n;
} blob;

#define MAX_NAMES 32

typedef struct hashes {
	uint64_t h[P_COUNT];
	const char *names[MAX_NAMES]; /* cf_mut_describe's answers seen */
	size_t nnames, parsed, frames, trims;
} hashes;

static void
seen_name(hashes *hs, const char *name)
{
	for (size_t i = 0; i < hs->nnames; i++)
		if (strcmp(hs->names[i], name) == 0)
			return;
	if (hs->nnames < MAX_NAMES)
		hs->names[hs->nnames++] = name;
}

static void
mix(hashes *hs, int part, const void *p, size_t n)
{
	const uint8_t *b = p;
	uint64_t h = hs->h[part];

	for (size_t i = 0; i < n; i++) {
		h ^= b[i];
		h *= 0x100000001b3ull;
	}
	hs->h[part] = h;
}

static void
mix_u64(hashes *hs, int part, uint64_t v)
{
	uint8_t b[8];

	for (int i = 0; i < 8; i++)
		b[i] = (uint8_t)(v >> (8 * i));
	mix(hs, part, b, sizeof(b));
}

static void
mix_str(hashes *hs, int part, const char *s)
{
	mix(hs, part, s, strlen(s) + 1);
}

/* The test's own choices (which bytes to break, trim verdicts). */
static uint64_t
tr_next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* Frame edit of p when it parses; returns 1 when it does. */
static int
run_frame(hashes *hs, cf_mut *m, const uint8_t *p, size_t n, uint8_t *work)
{
	cf_chan *ch = NULL;
	int kind;

	if (cf_chan_parse(p, cf_h_file_len(p, n), &ch, NULL) != CF_OK)
		return 0;
	cf_chan_free(ch);
	hs->parsed++;
	memcpy(work, p, n);
	kind = cf_mut_frame(m, work, n);
	hs->frames += kind != CF_MUT_FRAME_NONE;
	mix_u64(hs, P_FRAME, (uint64_t)kind);
	mix(hs, P_FRAME, work, n);
	return 1;
}

static void
run_repair(hashes *hs, uint64_t *t, const uint8_t *p, size_t n, uint8_t *work)
{
	memcpy(work, p, n);
	for (int k = (int)(tr_next(t) % 4); k >= 0 && n > 0; k--)
		work[tr_next(t) % n] = (uint8_t)tr_next(t);
	if (tr_next(t) % 4 == 0 && n > 24)
		n -= (size_t)(tr_next(t) % 24);
	mix_u64(hs, P_REPAIR, cf_mut_repair(NULL, work, n));
	mix(hs, P_REPAIR, work, n);
}

static void
run_trim(hashes *hs, cf_mut *m, uint64_t *t, const uint8_t *p, size_t n)
{
	size_t steps = cf_mut_trim_init(m, p, n), done = 0;

	mix_u64(hs, P_TRIM, steps);
	hs->trims += steps;
	for (size_t k = 0; k < 4 * steps + 4 && done < steps; k++) {
		const uint8_t *out = NULL;
		size_t len = cf_mut_trim_step(m, &out);
		if (len > 0 && out != NULL)
			mix(hs, P_TRIM, out, len);
		done = cf_mut_trim_done(m, (int)(tr_next(t) % 2));
		mix_u64(hs, P_TRIM, len);
		mix_u64(hs, P_TRIM, done);
	}
}

/* The channel parts: a chain from the empty input (seeds == NULL) or
 * from the seeds. An output that parses is the next input and joins a
 * small pool (as a fuzzer's corpus); after one that does not, the next
 * input comes from the pool (or a seed). */
static void
run_channel(hashes *hs, const blob *seeds, size_t ns)
{
	static const size_t maxes[] = { 4096, 512, 8192, 2048, 300, 4096, 1024,
		64 };
	cf_mut *m = cf_mut_new(0x601d, CF_MUT_CHANNEL);
	cf_mut *f = cf_mut_new(0xf4a3e, CF_MUT_CHANNEL);
	uint8_t *pool = cf_mem_alloc((size_t)POOL * BUF_MAX);
	uint8_t *out = cf_mem_alloc(BUF_MAX), *work = cf_mem_alloc(BUF_MAX);
	size_t plen[POOL], npool = 0, last = 0;
	int ok = 0;
	uint64_t t = 7;

	if (m == NULL || f == NULL || pool == NULL || out == NULL ||
	    work == NULL) {
		CF_EXPECT(0, "allocation");
		goto done;
	}
	for (int i = 0; i < CHAIN_RUNS; i++) {
		size_t max = maxes[i % (sizeof(maxes) / sizeof(maxes[0]))];
		size_t r = (size_t)tr_next(&t), k = npool < POOL ? npool : POOL;
		const uint8_t *in = NULL, *oth = NULL;
		size_t n = 0, on = 0, len;

		if (ok && i % 97 != 0) {
			in = pool + last * BUF_MAX;
			n = plen[last];
		} else if (seeds != NULL) {
			in = seeds[r % ns].p;
			n = seeds[r % ns].n;
		} else if (k > 0 && i % 97 != 0) {
			in = pool + (r % k) * BUF_MAX;
			n = plen[r % k];
		}
		if (k > 0) {
			oth = pool + ((r >> 32) % k) * BUF_MAX;
			on = plen[(r >> 32) % k];
		}
		if (i % 7 == 3)
			len = cf_mut_crossover(m, in, n, oth, on, out, max);
		else
			len = cf_mut_mutate(m, in, n, oth, on, out, max);
		mix_u64(hs, P_CHAIN, len);
		mix(hs, P_CHAIN, out, len);
		mix_str(hs, P_CHAIN, cf_mut_describe(m));
		seen_name(hs, cf_mut_describe(m));
		ok = run_frame(hs, f, out, len, work);
		run_repair(hs, &t, out, len, work);
		if (i % TRIM_EVERY == 0)
			run_trim(hs, f, &t, out, len);
		if (ok) {
			last = npool % POOL;
			memcpy(pool + last * BUF_MAX, out, len);
			plen[last] = len;
			npool++;
		}
	}
done:
	cf_mut_free(m);
	cf_mut_free(f);
	cf_mem_free(pool);
	cf_mem_free(out);
	cf_mem_free(work);
}

static void
run_regex(hashes *hs)
{
	cf_mut *m = cf_mut_new(0x4e9e, CF_MUT_REGEX);
	uint8_t *cur = cf_mem_alloc(BUF_MAX), *prev = cf_mem_alloc(BUF_MAX);
	uint8_t *out = cf_mem_alloc(BUF_MAX);
	size_t curlen = 0, prevlen = 0;

	if (m == NULL || cur == NULL || prev == NULL || out == NULL) {
		CF_EXPECT(0, "allocation");
		goto done;
	}
	for (int i = 0; i < REGEX_RUNS; i++) {
		size_t max = i % 5 == 0 ? 40 : 1024, len;
		if (i % 5 == 2)
			len = cf_mut_crossover(
			    m, cur, curlen, prev, prevlen, out, max);
		else
			len = cf_mut_mutate(
			    m, cur, curlen, prev, prevlen, out, max);
		mix_u64(hs, P_REGEX, len);
		mix(hs, P_REGEX, out, len);
		memcpy(prev, cur, curlen);
		prevlen = curlen;
		memcpy(cur, out, len);
		curlen = len;
	}
done:
	cf_mut_free(m);
	cf_mem_free(cur);
	cf_mem_free(prev);
	cf_mem_free(out);
}

static void
hashes_init(hashes *hs)
{
	memset(hs, 0, sizeof(*hs));
	for (int i = 0; i < P_COUNT; i++)
		hs->h[i] = 0xcbf29ce484222325ull;
}

static int
is_cf(const struct dirent *e)
{
	size_t l = strlen(e->d_name);

	return l > 3 && strcmp(e->d_name + l - 3, ".cf") == 0;
}

static int
read_file(const char *path, blob *b)
{
	FILE *fp = fopen(path, "rb");
	long size;

	b->p = NULL;
	if (fp == NULL)
		return -1;
	if (fseek(fp, 0, SEEK_END) != 0 || (size = ftell(fp)) <= 0 ||
	    size > (long)MAX_SEED_SIZE || fseek(fp, 0, SEEK_SET) != 0 ||
	    (b->p = cf_mem_alloc((size_t)size)) == NULL ||
	    fread(b->p, 1, (size_t)size, fp) != (size_t)size) {
		cf_mem_free(b->p);
		fclose(fp);
		return -1;
	}
	b->n = (size_t)size;
	fclose(fp);
	return 0;
}

/* The first MAX_SEEDS *.cf files of dir in name order. */
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

int
main(int argc, char **argv)
{
	static blob seeds[MAX_SEEDS];
	hashes hs;

	if (argc > 2) {
		fprintf(stderr, "usage: test_mut_golden [SEED_DIR]\n");
		return 2;
	}
	hashes_init(&hs);
	run_channel(&hs, NULL, 0);
	run_regex(&hs);
	printf(
	    "mut_golden: %d chain outputs, %zu parse, %zu frame edits, %zu trim steps, %zu operations named\n",
	    CHAIN_RUNS, hs.parsed, hs.frames, hs.trims, hs.nnames);
	for (int i = 0; i < P_COUNT; i++) {
		printf("mut_golden: %-6s %016llx\n", part_names[i],
		    (unsigned long long)hs.h[i]);
		CF_EXPECT(hs.h[i] == GOLDEN[i],
		    "%s: hash %016llx, pinned %016llx: the mutator's output changed (a refactoring must keep it; a deliberate change updates GOLDEN)",
		    part_names[i], (unsigned long long)hs.h[i],
		    (unsigned long long)GOLDEN[i]);
	}
	if (argc == 2) {
		size_t ns = load_seeds(argv[1], seeds);
		CF_EXPECT(ns > 0, "no *.cf seeds in %s", argv[1]);
		if (ns > 0) {
			hashes_init(&hs);
			run_channel(&hs, seeds, ns);
			for (int i = 0; i < P_TRIM + 1; i++)
				printf("mut_golden: seeds %-6s %016llx\n",
				    part_names[i], (unsigned long long)hs.h[i]);
		}
		for (size_t i = 0; i < ns; i++)
			cf_mem_free(seeds[i].p);
	}
	return cf_test_finish("mut_golden");
}
