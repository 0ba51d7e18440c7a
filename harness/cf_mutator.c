/*
 * cf_mutator.c - the structure-aware mutator for channel files and regex
 * inputs (cf_mutator.h), shared by the libFuzzer and AFL++ front ends:
 * its API and the path of one mutation.
 *
 * Algorithm. The channel-file part of the input (harness.h layout) is
 * parsed into the cf_chan model; if it does not parse, a repaired copy
 * (cf_mut_repair, mut_frame.c) is tried, and failing that, one time in
 * four a fresh model is generated (mut_model.c). On the model a stack of
 * 1-4 operations is applied, each picked by weight from the table in
 * mut_ops.c: operator wildcard <-> concrete, field index, integer
 * operands and header integers at interesting boundaries, string and
 * regex edits (the regex by its syntax), modifiers, instance and
 * criterion add / remove / duplicate / swap, splicing from a second
 * input, instance id, action and enabled flag, template type and the
 * trailing event bytes. Every edit keeps operand shapes valid
 * (cf_chan_check_criterion) so that cf_chan_write succeeds; the written
 * file plus the trailing bytes is the output. When it exceeds max the
 * model is shrunk (unused strings, then instances, then long strings) and
 * written again. Input that does not parse even after repair gets
 * AFL-havoc-style byte operations (mut_bytes.c) followed by
 * cf_mut_repair. The regex kind is mut_regex.c's.
 *
 * References: AFL++ docs/custom_mutators.md (API and trimming protocol);
 * AFL havoc (byte operations); libprotobuf-mutator (mutate a model, then
 * serialise); libFuzzer's FuzzerMutate.cpp (a table of named operations).
 * The modules and what each holds: mut_int.h. The model is edited only
 * through cf_chan.h, which owns the rule of its arrays.
 */
#include <string.h>

#include "cf_mem.h"
#include "harness.h"
#include "mut_int.h"

/* ---- output ------------------------------------------------------------- */

/* Make the model smaller; 0 when nothing is left to remove. */
static int
shrink(cf_mut *m, cf_chan *ch)
{
	uint32_t removed, longest = 0;

	if (cf_chan_drop_unused_strings(ch, &removed) != CF_OK)
		return 0;
	if (removed > 0)
		return 1;
	if (ch->ninstances > 0) {
		uint32_t k = ch->ninstances / 4 ? ch->ninstances / 4 : 1;
		while (k-- > 0)
			cf_chan_remove_instance(
			    ch, mut_below(m, ch->ninstances));
		return 1;
	}
	for (uint32_t i = 1; i < ch->nstrings; i++)
		if (ch->strings[i].len > ch->strings[longest].len)
			longest = i;
	if (ch->nstrings > 0 && ch->strings[longest].len > 8)
		return cf_chan_set_string(ch, longest,
		           ch->strings[longest].data,
		           ch->strings[longest].len / 2) == CF_OK;
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
			    mut_min(m->tail_len, max - m->out.len));
		if (rc != CF_OK && rc != CF_E_LIMIT)
			return rc;
		if (!shrink(m, ch))
			return CF_E_LIMIT;
	}
	return CF_E_LIMIT;
}

size_t
mut_mutate_bytes(cf_mut *m, const uint8_t *in, size_t n, const uint8_t *other,
    size_t on, uint8_t *out, size_t max)
{
	size_t len = mut_min(n, max),
	       cap = mut_min(max, len + MUT_MAX_STACK * MUT_HAVOC_GROW);
	int nops = 1;

	if (mut_ensure(&m->work, &m->work_cap, cap ? cap : 1) != CF_OK) {
		if (len == 0)
			out[len++] = CF_MAGIC_BYTE;
		else
			memmove(out, in, len); /* unchanged: out may alias in */
		return len;
	}
	if (len)
		memcpy(m->work, in, len);
	m->last_op = "bytes";
	m->ntrace = 0;
	while (nops < MUT_MAX_STACK && mut_one_in(m, 2))
		nops++;
	for (int i = 0; i < nops; i++)
		mut_havoc(m, m->work, &len, cap, other, on);
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
		if (mut_ensure(&m->work, &m->work_cap, n) == CF_OK) {
			memcpy(m->work, in, n);
			cf_mut_repair(m, m->work, n);
			flen = cf_h_file_len(m->work, n);
			if (cf_chan_parse(m->work, flen, &ch, NULL) != CF_OK)
				ch = NULL;
		}
	}
	if (ch == NULL && (n == 0 || mut_one_in(m, 4))) {
		if (mut_gen_model(m, &ch) != CF_OK)
			ch = NULL;
		flen = n;
	}
	if (ch == NULL)
		return mut_mutate_bytes(m, in, n, other, on, out, max);
	/* Copy the trailing bytes before out (maybe in) is written. */
	m->tail_len = 0;
	if (n - flen > 0 &&
	    mut_ensure(&m->tail, &m->tail_cap, n - flen) == CF_OK) {
		memcpy(m->tail, in + flen, n - flen);
		m->tail_len = n - flen;
	}
	if (ch->nstrings > MUT_SOFT_STRINGS || mut_one_in(m, 16)) {
		uint32_t removed;
		rc = cf_chan_drop_unused_strings(ch, &removed);
	} else {
		rc = CF_OK;
	}
	if (rc == CF_OK)
		rc = mut_apply_ops(m, ch, &x, force);
	if (rc == CF_OK)
		rc = emit(m, ch, max);
	cf_chan_free(ch);
	cf_chan_free(x.oth);
	if (rc != CF_OK)
		return mut_mutate_bytes(m, in, n, other, on, out, max);
	len = m->out.len;
	memcpy(out, m->out.data, len);
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

void
cf_mut_free(cf_mut *m)
{
	if (m == NULL)
		return;
	mut_trim_reset(m);
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
		return mut_regex_input(m, in, n, other, on, out, max, 0);
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
		return mut_regex_input(m, a, an, b, bn, out, max, 1);
	return mutate_channel(m, a, an, b, bn, out, max, mut_op_find("splice"));
}

size_t
mut_mutate_one(cf_mut *m, unsigned op, const uint8_t *in, size_t n,
    const uint8_t *other, size_t on, uint8_t *out, size_t max)
{
	struct mut_ctx x = { other, on, NULL, 0 };
	cf_chan *ch = NULL;
	size_t flen = n ? cf_h_file_len(in, n) : 0, len = 0;

	m->ntrace = 0;
	if (n == 0 || max > CF_MUT_MAX_OUT || n > CF_MUT_MAX_OUT ||
	    cf_chan_parse(in, flen, &ch, NULL) != CF_OK)
		return 0;
	m->tail_len = 0;
	if (n - flen > 0 &&
	    mut_ensure(&m->tail, &m->tail_cap, n - flen) == CF_OK) {
		memcpy(m->tail, in + flen, n - flen);
		m->tail_len = n - flen;
	}
	if (mut_op_apply(m, op, ch, &x) == CF_OK && emit(m, ch, max) == CF_OK) {
		len = m->out.len;
		memcpy(out, m->out.data, len);
	}
	cf_chan_free(ch);
	cf_chan_free(x.oth);
	return len;
}
