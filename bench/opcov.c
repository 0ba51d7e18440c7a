/*
 * opcov - what each operation of the structure-aware mutator finds: how
 * often an input it made reached a coverage feature not seen before
 * (docs/HARNESS.md, "What each operation finds"; `make opcov`).
 *
 *   opcov [--reps N] [--runs N] [--seed N] [--target NAME] CORPUS_DIR
 *
 *   (defaults: --reps 50 --runs 100000 --seed 1, every linked target)
 *
 * The fuzz targets named in the Makefile's OPCOV_TARGETS are linked in,
 * each with its entry point renamed (opcov_<target>), and they and the
 * model are compiled with -fsanitize-coverage=inline-8bit-counters; the
 * mutator and this file are not. A feature is what libFuzzer counts by
 * default: an edge counter and the bucket of its hit count (1, 2, 3,
 * 4-7, 8-15, 16-31, 32-127, 128+). The counters are zeroed right before
 * each run of a target, so the mutation's own calls into the model do
 * not count. Per target, from its seeds (the files of CORPUS_DIR/<target>/):
 *
 *   alone     each operation of the table applied once, by itself, to
 *             every seed, N times over (--reps, each time another
 *             mutator seed and splice partner): how many of the inputs it
 *             made reached a feature that neither the seeds nor that
 *             operation's earlier inputs reached. One row per operation,
 *             each from the same start, so the rows compare; plus the
 *             frame edit (cf_mut_frame) and the mutator as shipped
 *             (cf_mut_mutate: a stack of 1-4 operations by weight).
 *   campaign  a small fuzzing loop as the _smart builds run one (--runs
 *             inputs; 1 in 8 a frame edit, 1 in 8 a crossover, the rest
 *             cf_mut_mutate; an input with a new feature joins the
 *             corpus): each operation's uses, and the inputs with a new
 *             feature whose stack held it (libFuzzer's
 *             -print_mutation_stats way of counting: a stack's find is
 *             credited to each operation in it).
 *
 * Everything is seeded (--seed), nothing depends on time: the same tree
 * gives the same table. Prints Markdown: the sums over the targets, then
 * the alone figures per target. Exit status 0, 1 on a failure, 2 on bad
 * usage.
 */
#include <bsd/stdlib.h>
#include <bsd/string.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_util.h"
#include "cf_mem.h"
#include "mut_int.h"

#ifndef OPCOV_LIST
#error "build with -DOPCOV_LIST='X(fuzz_parse) X(...)' (the Makefile does)"
#endif

#define MAX_SEEDS 512
#define OPCOV_MAX_INPUT 8192u /* the targets' max_len */
#define MAX_CORPUS 4096
#define MAX_ROWS 32 /* the table's operations, then frame, mutate */

typedef int (*target_fn)(const uint8_t *data, size_t size);
#define X(t) int opcov_##t(const uint8_t *data, size_t size);
OPCOV_LIST
#undef X
static const struct {
	const char *name;
	target_fn fn;
} targets[] = {
#define X(t) { #t, opcov_##t },
	OPCOV_LIST
#undef X
};
#define NTARGETS (sizeof(targets) / sizeof(targets[0]))

/* ---- coverage ----------------------------------------------------------- */

static uint8_t *cnt_start, *cnt_stop; /* set once, at start-up */

void __sanitizer_cov_8bit_counters_init(uint8_t *start, uint8_t *stop);

/* Called by each instrumented module's constructor (the same section
 * more than once in a static link): keep the widest range. */
void
__sanitizer_cov_8bit_counters_init(uint8_t *start, uint8_t *stop)
{
	if (cnt_start == NULL || start < cnt_start)
		cnt_start = start;
	if (cnt_stop == NULL || stop > cnt_stop)
		cnt_stop = stop;
}

static size_t
ncounters(void)
{
	return cnt_start ? (size_t)(cnt_stop - cnt_start) : 0;
}

static unsigned
bucket(uint8_t c)
{
	if (c >= 128)
		return 7;
	if (c >= 32)
		return 6;
	if (c >= 16)
		return 5;
	if (c >= 8)
		return 4;
	if (c >= 4)
		return 3;
	return c - 1u; /* 1, 2, 3 -> 0, 1, 2 */
}

/* Run the target on p[0..n) and merge its features into seen (one bit
 * per bucket per counter); returns how many were new. */
static size_t
run(target_fn fn, const uint8_t *p, size_t n, uint8_t *seen)
{
	size_t fresh = 0, nc = ncounters();

	memset(cnt_start, 0, nc);
	fn(p, n);
	for (size_t i = 0; i < nc; i++) {
		uint8_t bit;
		if (cnt_start[i] == 0)
			continue;
		bit = (uint8_t)(1u << bucket(cnt_start[i]));
		if ((seen[i] & bit) == 0) {
			seen[i] |= bit;
			fresh++;
		}
	}
	return fresh;
}

/* ---- counting ----------------------------------------------------------- */

struct row {
	unsigned long applied, na, finds, features; /* alone */
	unsigned long uses, cfinds;                 /* campaign */
};

struct opts {
	unsigned reps;
	unsigned long runs;
	uint64_t seed;
};

static uint64_t
mix64(uint64_t z)
{
	z += 0x9e3779b97f4a7c15ull;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* Row r of the alone measure: operation r of the table, or frame
 * (nops), or the mutator as shipped (nops + 1). */
static void
alone(target_fn fn, const bench_blob *seeds, size_t ns, const uint8_t *base,
    const struct opts *o, unsigned r, struct row *row, uint8_t *seen,
    uint8_t *out, cf_mut *m)
{
	unsigned nops = mut_op_count();

	memcpy(seen, base, ncounters());
	for (unsigned rep = 0; rep < o->reps; rep++)
		for (size_t s = 0; s < ns; s++) {
			const bench_blob *in = &seeds[s];
			const bench_blob *oth = &seeds[(s + 1 + rep) % ns];
			size_t len, fresh;

			cf_mut_reseed(m,
			    mix64(o->seed ^
			        mix64(((uint64_t)r << 40) ^
			            ((uint64_t)rep << 20) ^ s)));
			if (r < nops) {
				len = mut_mutate_one(m, r, in->p, in->n, oth->p,
				    oth->n, out, OPCOV_MAX_INPUT);
			} else if (r == nops) {
				memcpy(out, in->p, in->n);
				len = cf_mut_frame(m, out, in->n) !=
				        CF_MUT_FRAME_NONE
				    ? in->n
				    : 0;
			} else {
				len = cf_mut_mutate(m, in->p, in->n, oth->p,
				    oth->n, out, OPCOV_MAX_INPUT);
			}
			if (len == 0) {
				row->na++;
				continue;
			}
			row->applied++;
			if ((fresh = run(fn, out, len, seen)) > 0) {
				row->finds++;
				row->features += fresh;
			}
		}
}

/* The campaign measure; rows as in alone(). */
static void
campaign(target_fn fn, const bench_blob *seeds, size_t ns, const uint8_t *base,
    const struct opts *o, struct row *rows, uint8_t *seen, uint8_t *out,
    cf_mut *m)
{
	static bench_blob corpus[MAX_CORPUS];
	unsigned nops = mut_op_count();
	size_t nc = 0;
	uint64_t t = o->seed;

	memcpy(seen, base, ncounters());
	for (size_t s = 0; s < ns; s++)
		corpus[nc++] = seeds[s]; /* borrowed, not freed */
	for (unsigned long i = 0; i < o->runs; i++) {
		uint64_t r = mix64(t++);
		const bench_blob *in = &corpus[r % nc];
		const bench_blob *oth = &corpus[(r >> 32) % nc];
		int credit[MAX_ROWS] = { 0 };
		size_t len;

		cf_mut_reseed(m, mix64(r));
		if ((r >> 16) % 8 == 0) {
			memcpy(out, in->p, in->n);
			len = cf_mut_frame(m, out, in->n) != CF_MUT_FRAME_NONE
			    ? in->n
			    : 0;
			if (len == 0)
				continue;
			rows[nops].uses++;
			credit[nops] = 1;
		} else {
			len = (r >> 16) % 8 == 1
			    ? cf_mut_crossover(m, in->p, in->n, oth->p, oth->n,
			          out, OPCOV_MAX_INPUT)
			    : cf_mut_mutate(m, in->p, in->n, oth->p, oth->n,
			          out, OPCOV_MAX_INPUT);
			for (int k = 0; k < m->ntrace; k++) {
				rows[m->trace[k]].uses++;
				credit[m->trace[k]] = 1;
			}
			rows[nops + 1].uses++;
			credit[nops + 1] = 1;
		}
		if (run(fn, out, len, seen) == 0)
			continue;
		for (unsigned k = 0; k < nops + 2; k++)
			rows[k].cfinds += (unsigned long)credit[k];
		if (nc < MAX_CORPUS) {
			uint8_t *keep = cf_mem_alloc(len);
			if (keep == NULL) {
				fprintf(stderr, "opcov: out of memory\n");
				exit(1);
			}
			memcpy(keep, out, len);
			corpus[nc].p = keep;
			corpus[nc++].n = len;
		}
	}
	for (size_t k = ns; k < nc; k++)
		cf_mem_free(corpus[k].p);
}

/* ---- output ------------------------------------------------------------- */

static const char *
row_name(unsigned r)
{
	unsigned nops = mut_op_count();

	if (r < nops)
		return mut_op_name(r);
	return r == nops ? "frame (cf_mut_frame)"
	                 : "as shipped (cf_mut_mutate)";
}

static void
per_mille(char *buf, size_t n, unsigned long a, unsigned long b)
{
	if (b == 0)
		snprintf(buf, n, "-");
	else
		snprintf(buf, n, "%.1f", 1000.0 * (double)a / (double)b);
}

static void
print_sums(const struct row *sum, const struct opts *o, const char *names)
{
	unsigned nops = mut_op_count();
	char a[32], b[32];

	printf("Targets: %s. Alone: every seed x %u per operation; campaign: "
	       "%lu inputs per target; seed %llu.\n\n",
	    names, o->reps, o->runs, (unsigned long long)o->seed);
	printf(
	    "| operation | weight | alone: inputs | new-feature inputs | per 1,000 | new features | campaign: uses | finds | per 1,000 uses |\n");
	printf(
	    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
	for (unsigned r = 0; r < nops + 2; r++) {
		const struct row *x = &sum[r];
		per_mille(a, sizeof(a), x->finds, x->applied);
		per_mille(b, sizeof(b), x->cfinds, x->uses);
		if (r < nops)
			printf("| %s | %u ", row_name(r), mut_op_weight(r));
		else
			printf("| %s | - ", row_name(r));
		printf("| %lu | %lu | %s | %lu | %lu | %lu | %s |\n",
		    x->applied, x->finds, a, x->features, x->uses, x->cfinds,
		    b);
	}
}

static void
print_targets(struct row (*per)[MAX_ROWS], const int *chosen)
{
	unsigned nops = mut_op_count();
	char a[32];

	printf("\nAlone, new-feature inputs per 1,000 inputs, by target:\n\n");
	printf("| operation |");
	for (size_t t = 0; t < NTARGETS; t++)
		if (chosen[t])
			printf(" %s |", targets[t].name);
	printf("\n| --- |");
	for (size_t t = 0; t < NTARGETS; t++)
		if (chosen[t])
			printf(" ---: |");
	printf("\n");
	for (unsigned r = 0; r < nops + 2; r++) {
		printf("| %s |", row_name(r));
		for (size_t t = 0; t < NTARGETS; t++) {
			if (!chosen[t])
				continue;
			per_mille(
			    a, sizeof(a), per[t][r].finds, per[t][r].applied);
			printf(" %s |", a);
		}
		printf("\n");
	}
}

/* ---- main --------------------------------------------------------------- */

static void
usage(void)
{
	fprintf(stderr,
	    "usage: opcov [--reps N] [--runs N] [--seed N] [--target NAME] CORPUS_DIR\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	static bench_blob seeds[MAX_SEEDS];
	static struct row per[NTARGETS][MAX_ROWS], sum[MAX_ROWS];
	struct opts o = { 50, 100000, 1 };
	int chosen[NTARGETS], any = 0;
	const char *dir = NULL;
	char names[512] = "";
	uint8_t *base, *seen, *out;
	cf_mut *m;

	memset(chosen, 0, sizeof(chosen));
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--reps") == 0 && i + 1 < argc)
			o.reps = (unsigned)bench_number(
			    "opcov", "--reps", argv[++i], 1, 10000);
		else if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc)
			o.runs = (unsigned long)bench_number(
			    "opcov", "--runs", argv[++i], 0, 100000000);
		else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc)
			o.seed = (uint64_t)bench_number("opcov", "--seed",
			    argv[++i], 0, 0x7fffffffffffffffll);
		else if (strcmp(argv[i], "--target") == 0 && i + 1 < argc) {
			size_t t = 0;
			for (i++; t < NTARGETS; t++)
				if (strcmp(targets[t].name, argv[i]) == 0)
					break;
			if (t == NTARGETS) {
				fprintf(stderr,
				    "opcov: --target %s: not linked in (OPCOV_TARGETS in the Makefile)\n",
				    argv[i]);
				return 2;
			}
			chosen[t] = any = 1;
		} else if (argv[i][0] == '-' || dir != NULL)
			usage();
		else
			dir = argv[i];
	}
	if (dir == NULL)
		usage();
	for (size_t t = 0; t < NTARGETS; t++)
		chosen[t] = any ? chosen[t] : 1;
	if (ncounters() == 0 || mut_op_count() + 2 > MAX_ROWS) {
		fprintf(stderr,
		    "opcov: no coverage counters (build with -fsanitize-coverage=inline-8bit-counters)\n");
		return 1;
	}
	base = cf_mem_calloc(1, ncounters());
	seen = cf_mem_calloc(1, ncounters());
	out = cf_mem_alloc(OPCOV_MAX_INPUT);
	m = cf_mut_new(o.seed, CF_MUT_CHANNEL);
	if (base == NULL || seen == NULL || out == NULL || m == NULL) {
		fprintf(stderr, "opcov: out of memory\n");
		return 1;
	}
	for (size_t t = 0; t < NTARGETS; t++) {
		char path[4096];
		size_t ns;
		int w;

		if (!chosen[t])
			continue;
		w = snprintf(path, sizeof(path), "%s/%s", dir, targets[t].name);
		if (w < 0 || (size_t)w >= sizeof(path) ||
		    (ns = bench_load_seeds(
		         path, "", seeds, MAX_SEEDS, OPCOV_MAX_INPUT)) == 0) {
			fprintf(stderr, "opcov: %s: no seeds\n", path);
			return 1;
		}
		memset(base, 0, ncounters());
		for (size_t s = 0; s < ns; s++)
			run(targets[t].fn, seeds[s].p, seeds[s].n, base);
		for (unsigned r = 0; r < mut_op_count() + 2; r++)
			alone(targets[t].fn, seeds, ns, base, &o, r, &per[t][r],
			    seen, out, m);
		campaign(
		    targets[t].fn, seeds, ns, base, &o, per[t], seen, out, m);
		for (unsigned r = 0; r < mut_op_count() + 2; r++) {
			sum[r].applied += per[t][r].applied;
			sum[r].na += per[t][r].na;
			sum[r].finds += per[t][r].finds;
			sum[r].features += per[t][r].features;
			sum[r].uses += per[t][r].uses;
			sum[r].cfinds += per[t][r].cfinds;
		}
		if (names[0])
			strlcat(names, ", ", sizeof(names));
		strlcat(names, targets[t].name, sizeof(names));
		fprintf(
		    stderr, "opcov: %s: %zu seeds done\n", targets[t].name, ns);
		bench_free_seeds(seeds, ns);
	}
	print_sums(sum, &o, names);
	print_targets(per, chosen);
	cf_mut_free(m);
	cf_mem_free(base);
	cf_mem_free(seen);
	cf_mem_free(out);
	return 0;
}
