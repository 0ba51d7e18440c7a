/*
 * mutator_afl.c - the AFL++ custom mutator library over cf_mutator
 * (build/afl/cf_mutator.so; AFL_CUSTOM_MUTATOR_LIBRARY=...).
 *
 * Select the input format with CF_MUT_KIND=regex for fuzz_regex; anything
 * else (or unset) means channel files. The variable is read once, in
 * afl_custom_init.
 *
 * Entry points and conventions, checked against AFL++ 4.04c (the version
 * installed here): include/afl-fuzz.h (struct custom_mutator),
 * src/afl-fuzz-mutators.c (load_custom_mutator, trim_case_custom),
 * src/afl-fuzz-one.c (custom stage), src/afl-fuzz-run.c
 * (write_to_testcase), docs/custom_mutators.md.
 *   afl_custom_init(afl, seed): called once with a seed from AFL++'s own
 *     generator; the return value is passed back as data. 4.04c does not
 *     check it for NULL, so every entry point below accepts data == NULL.
 *   afl_custom_fuzz: *out_buf must be non-NULL (NULL is FATAL); a length
 *     of 0 skips the result; the buffer stays ours. max_size is AFL++'s
 *     largest seed size; the output is clamped to it.
 *   afl_custom_post_process: runs on every input before it is executed -
 *     ours, AFL++'s deterministic and havoc stages, trimmed candidates and
 *     calibration. A NULL buffer or length 0 skips the execution. It must
 *     not make random changes; cf_mut_repair draws none. The input buffer
 *     may be AFL++'s cached copy of a queue entry, so the repair is done in
 *     our own reused buffer, not in place.
 *   afl_custom_init_trim -> s32 number of steps (negative is FATAL; 0
 *     means no trimming); afl_custom_trim -> the candidate (*out_buf must
 *     be non-NULL; length 0 counts as a failed step); afl_custom_post_trim
 *     (success) -> s32 index of the next step; trimming ends when it
 *     reaches the init count. On success AFL++ keeps the candidate as the
 *     new queue entry, so the candidate becomes our new base.
 *   afl_custom_deinit: frees everything.
 * With AFL_CUSTOM_MUTATOR_ONLY unset AFL++ also runs its own stages on the
 * same queue; post_process repairs their outputs (header, section table,
 * CRC) so that their byte edits reach past the parser's frame checks.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cf_mem.h"
#include "cf_mutator.h"

typedef struct afl_state afl_state_t; /* opaque: never dereferenced */

/* How much one custom mutation may grow an input. */
#define CF_AFL_GROW (64u * 1024u)

typedef struct cf_afl {
	cf_mut *m;
	enum cf_mut_kind kind;
	uint8_t *fuzz_buf; /* afl_custom_fuzz output */
	size_t fuzz_cap;
	uint8_t *post_buf; /* afl_custom_post_process output */
	size_t post_cap;
	uint8_t none[1]; /* a non-NULL buffer for empty results */
} cf_afl;

void *afl_custom_init(afl_state_t *afl, unsigned int seed);
size_t afl_custom_fuzz(void *data, uint8_t *buf, size_t buf_size,
    uint8_t **out_buf, uint8_t *add_buf, size_t add_buf_size, size_t max_size);
const char *afl_custom_describe(void *data, size_t max_description_len);
size_t afl_custom_post_process(
    void *data, uint8_t *buf, size_t buf_size, uint8_t **out_buf);
int32_t afl_custom_init_trim(void *data, uint8_t *buf, size_t buf_size);
size_t afl_custom_trim(void *data, uint8_t **out_buf);
int32_t afl_custom_post_trim(void *data, uint8_t success);
void afl_custom_deinit(void *data);

/* Grow *p to need bytes; buffers only grow, up to the largest input or
 * max_size seen (both bounded by CF_MUT_MAX_OUT). */
static int
grow(uint8_t **p, size_t *cap, size_t need)
{
	uint8_t *q;

	if (need <= *cap)
		return 0;
	if ((q = cf_mem_reallocarray(*p, need, 1)) == NULL)
		return -1;
	*p = q;
	*cap = need;
	return 0;
}

void *
afl_custom_init(afl_state_t *afl, unsigned int seed)
{
	const char *k = getenv("CF_MUT_KIND");
	cf_afl *st;

	(void)afl;
	if ((st = cf_mem_calloc(1, sizeof(*st))) == NULL)
		goto fail;
	st->kind = k != NULL && strcmp(k, "regex") == 0 ? CF_MUT_REGEX
	                                                : CF_MUT_CHANNEL;
	if ((st->m = cf_mut_new(seed, st->kind)) == NULL)
		goto fail;
	return st;
fail:
	cf_mem_free(st);
	fprintf(stderr, "cf_mutator: afl_custom_init: out of memory\n");
	return NULL;
}

size_t
afl_custom_fuzz(void *data, uint8_t *buf, size_t buf_size, uint8_t **out_buf,
    uint8_t *add_buf, size_t add_buf_size, size_t max_size)
{
	cf_afl *st = data;
	size_t cap;

	if (max_size > CF_MUT_MAX_OUT)
		max_size = CF_MUT_MAX_OUT;
	cap = buf_size < max_size && max_size - buf_size > CF_AFL_GROW
	    ? buf_size + CF_AFL_GROW
	    : max_size;
	if (st == NULL || cap == 0 || grow(&st->fuzz_buf, &st->fuzz_cap, cap)) {
		*out_buf = buf; /* unchanged */
		return buf_size < max_size ? buf_size : max_size;
	}
	*out_buf = st->fuzz_buf;
	return cf_mut_mutate(
	    st->m, buf, buf_size, add_buf, add_buf_size, st->fuzz_buf, cap);
}

const char *
afl_custom_describe(void *data, size_t max_description_len)
{
	cf_afl *st = data;

	(void)max_description_len; /* AFL++ truncates longer names */
	return st ? cf_mut_describe(st->m) : "cf";
}

size_t
afl_custom_post_process(
    void *data, uint8_t *buf, size_t buf_size, uint8_t **out_buf)
{
	cf_afl *st = data;

	*out_buf = buf;
	if (st == NULL || st->kind != CF_MUT_CHANNEL || buf_size == 0 ||
	    buf_size > CF_MUT_MAX_OUT ||
	    grow(&st->post_buf, &st->post_cap, buf_size))
		return buf_size; /* run it as it is */
	memcpy(st->post_buf, buf, buf_size);
	*out_buf = st->post_buf;
	return cf_mut_repair(st->m, st->post_buf, buf_size);
}

int32_t
afl_custom_init_trim(void *data, uint8_t *buf, size_t buf_size)
{
	cf_afl *st = data;
	size_t steps;

	if (st == NULL)
		return 0;
	steps = cf_mut_trim_init(st->m, buf, buf_size);
	return steps > INT32_MAX ? INT32_MAX : (int32_t)steps;
}

size_t
afl_custom_trim(void *data, uint8_t **out_buf)
{
	cf_afl *st = data;
	const uint8_t *p = NULL;
	size_t n;

	if (st == NULL) {
		*out_buf = NULL; /* unreachable: init_trim gave 0 steps */
		return 0;
	}
	n = cf_mut_trim_step(st->m, &p);
	/* AFL++ only reads the candidate (it copies it on success). */
	*out_buf = n && p ? (uint8_t *)(uintptr_t)p : st->none;
	return n && p ? n : 0;
}

int32_t
afl_custom_post_trim(void *data, uint8_t success)
{
	cf_afl *st = data;
	size_t done;

	if (st == NULL)
		return 0;
	done = cf_mut_trim_done(st->m, success != 0);
	return done > INT32_MAX ? INT32_MAX : (int32_t)done;
}

void
afl_custom_deinit(void *data)
{
	cf_afl *st = data;

	if (st == NULL)
		return;
	cf_mut_free(st->m);
	cf_mem_free(st->fuzz_buf);
	cf_mem_free(st->post_buf);
	cf_mem_free(st);
}
