/*
 * bench_tool - helpers of the benchmark script (scripts/bench.sh,
 * docs/BENCH.md).
 *
 *   bench_tool mutstat [--runs N] [--max N] [--seed N] SEED_DIR
 *       Structure-aware mutations (harness/cf_mutator.h) of the *.cf seeds
 *       of SEED_DIR, with the CRC check on (the production parser): how
 *       many of N outputs parse, (a) each output made from a seed, and
 *       (b) chained as a fuzzer chains them (an output is the next input
 *       three times in four, as tests/test_mutator.c does), and the
 *       mutations per second. Prints one line of key=value pairs.
 *   bench_tool poc BUG OUT
 *       Write an input (channel file) that triggers the planted defect
 *       BUG (strref or count) in its benchmark build of the interpreter
 *       target: the proof that the defect is real, checked by the check
 *       section of scripts/bench.sh. These two are binary edits the text
 *       form cannot express (a string reference one past the table, a
 *       string count over the limit); the other defects' proofs are text
 *       sources, bench/bugs/<poc>.cft (bench/bugs/zoo.tsv).
 *
 * Exit status: 0, 1 on a failure, 2 on bad usage.
 */
#include <bsd/stdlib.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_util.h"
#include "cf_buf.h"
#include "cf_chan.h"
#include "cf_mem.h"
#include "cf_mutator.h"
#include "cf_tmpl.h"
#include "harness.h"

#define MAX_SEEDS 512
#define MAX_SEED_SIZE (1u << 20)

typedef bench_blob blob;

static void
usage(void)
{
	fprintf(stderr,
	    "usage: bench_tool mutstat [--runs N] [--max N] [--seed N] SEED_DIR\n"
	    "       bench_tool poc BUG OUT   (BUG: strref count; the others: bench/bugs/*.cft)\n");
	exit(2);
}

/* splitmix64: the tool's own choices (which seed, chain or not). */
static uint64_t
next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static int
parses(const uint8_t *p, size_t n)
{
	cf_chan *ch = NULL;
	int rc = cf_chan_parse(p, cf_h_file_len(p, n), &ch, NULL);

	cf_chan_free(ch);
	return rc == CF_OK;
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
mutstat(int argc, char **argv)
{
	static blob seeds[MAX_SEEDS];
	long long runs = 10000, max = 8192, seed = 1;
	size_t ns, fresh_ok = 0, chain_ok = 0, curlen = 0;
	uint8_t *out, *cur;
	uint64_t r;
	cf_mut *m;
	double t0, t1;
	int i;

	for (i = 0; i < argc && argv[i][0] == '-'; i += 2) {
		if (i + 1 >= argc)
			usage();
		if (strcmp(argv[i], "--runs") == 0)
			runs = bench_number(
			    "bench_tool", "--runs", argv[i + 1], 1, 100000000);
		else if (strcmp(argv[i], "--max") == 0)
			max = bench_number("bench_tool", "--max", argv[i + 1],
			    64, CF_MUT_MAX_OUT);
		else if (strcmp(argv[i], "--seed") == 0)
			seed = bench_number(
			    "bench_tool", "--seed", argv[i + 1], 0, LLONG_MAX);
		else {
			fprintf(
			    stderr, "bench_tool: unknown option %s\n", argv[i]);
			usage();
		}
	}
	if (i != argc - 1)
		usage();
	if ((ns = bench_load_seeds(
	         argv[i], ".cf", seeds, MAX_SEEDS, MAX_SEED_SIZE)) == 0) {
		fprintf(stderr, "bench_tool: no *.cf seeds in %s\n", argv[i]);
		return 1;
	}
	out = cf_mem_alloc((size_t)max);
	cur = cf_mem_alloc((size_t)max);
	m = cf_mut_new((uint64_t)seed, CF_MUT_CHANNEL);
	if (out == NULL || cur == NULL || m == NULL) {
		fprintf(stderr, "bench_tool: out of memory\n");
		return 1;
	}
	r = (uint64_t)seed;
	t0 = now();
	/* (a) every mutation from a seed. */
	for (long long k = 0; k < runs; k++) {
		const blob *s = &seeds[next(&r) % ns];
		const blob *o = &seeds[next(&r) % ns];
		size_t len =
		    cf_mut_mutate(m, s->p, s->n, o->p, o->n, out, (size_t)max);
		fresh_ok += (size_t)parses(out, len);
	}
	t1 = now();
	/* (b) chained. */
	for (long long k = 0; k < runs; k++) {
		const blob *s = &seeds[next(&r) % ns];
		const blob *o = &seeds[next(&r) % ns];
		const uint8_t *in = s->p;
		size_t n = s->n, len;

		if (curlen > 0 && next(&r) % 4 != 0) {
			in = cur;
			n = curlen;
		}
		len = cf_mut_mutate(m, in, n, o->p, o->n, out, (size_t)max);
		chain_ok += (size_t)parses(out, len);
		memcpy(cur, out, len);
		curlen = len;
	}
	printf(
	    "mutstat runs=%lld seeds=%zu max=%lld fresh_ok=%zu fresh_pct=%.2f chain_ok=%zu chain_pct=%.2f mutations_per_s=%.0f\n",
	    runs, ns, max, fresh_ok, 100.0 * (double)fresh_ok / (double)runs,
	    chain_ok, 100.0 * (double)chain_ok / (double)runs,
	    t1 > t0 ? (double)runs / (t1 - t0) : 0.0);
	cf_mut_free(m);
	cf_mem_free(out);
	cf_mem_free(cur);
	bench_free_seeds(seeds, ns);
	return 0;
}

/* ---- proofs of concept ---- */

static int
add_str(cf_chan *ch, const char *s, size_t n, uint32_t *idx)
{
	return cf_chan_add_string(ch, (const uint8_t *)s, n, idx);
}

/* Append criterion (field, op, string s or integer a) to instance 0. */
static int
crit(cf_chan *ch, uint16_t field, uint8_t op, const char *s, size_t n,
    uint64_t a)
{
	cf_criterion c;
	int rc;

	memset(&c, 0, sizeof(c));
	c.field = field;
	c.op = op;
	c.str = CF_NO_STRING;
	c.a = a;
	if (s != NULL && (rc = add_str(ch, s, n, &c.str)) != CF_OK)
		return rc;
	return cf_chan_add_criterion(ch, 0, &c);
}

static void
fix_crc(cf_buf *b)
{
	cf_buf_patch_u32le(b, CF_HDR_OFF_CRC,
	    cf_crc32(0, b->data + CF_HEADER_SIZE, b->len - CF_HEADER_SIZE));
}

static int
poc(const char *bug, const char *path)
{
	cf_chan *ch = cf_chan_new();
	cf_buf b;
	FILE *f;
	int rc = CF_E_NOMEM;

	cf_buf_init(&b, 0);
	if (ch == NULL)
		goto fail;
	ch->channel = 291;
	ch->content_version = 20260101;
	ch->template_type = CF_TMPL_IPC;
	if ((rc = cf_chan_add_instance(
	         ch, 7001, CF_ACT_DETECT, CF_INST_ENABLED, NULL)) != CF_OK)
		goto fail;
	if (strcmp(bug, "strref") == 0 || strcmp(bug, "count") == 0) {
		/* pipe_name equals "pipe": one string (patched below). */
		rc = crit(ch, 0, CF_OP_EQUALS, "pipe", 4, 0);
	} else {
		fprintf(stderr, "bench_tool: unknown defect '%s'\n", bug);
		cf_chan_free(ch);
		usage();
	}
	if (rc != CF_OK || (rc = cf_chan_write(ch, &b)) != CF_OK)
		goto fail;
	if (strcmp(bug, "strref") == 0) {
		/* The criterion's str field: after header and section table,
		 * the string section (count, one entry, "pipe"), the instance
		 * count and head. Points one past the table. */
		cf_buf_patch_u32le(&b,
		    CF_PAYLOAD_START + 4 + CF_STRING_ENTRY_SIZE + 4 + 4 +
		        CF_INSTANCE_HEADER_SIZE + CF_CRIT_OFF_STR,
		    1);
		fix_crc(&b);
	} else if (strcmp(bug, "count") == 0) {
		/* String count 1 + 2^29: 8 * count wraps to 8. */
		cf_buf_patch_u32le(&b, CF_PAYLOAD_START, 1u + (1u << 29));
		fix_crc(&b);
	}
	if ((f = fopen(path, "wb")) == NULL ||
	    fwrite(b.data, 1, b.len, f) != b.len || fclose(f) != 0) {
		perror(path);
		rc = CF_E_ARG;
		goto out;
	}
	rc = CF_OK;
	goto out;
fail:
	fprintf(stderr, "bench_tool: cannot build the %s input: %s\n", bug,
	    cf_err_name(rc));
out:
	cf_buf_free(&b);
	cf_chan_free(ch);
	return rc == CF_OK ? 0 : 1;
}

int
main(int argc, char **argv)
{
	if (argc >= 3 && strcmp(argv[1], "mutstat") == 0)
		return mutstat(argc - 2, argv + 2);
	if (argc == 4 && strcmp(argv[1], "poc") == 0)
		return poc(argv[2], argv[3]);
	usage();
	return 2;
}
