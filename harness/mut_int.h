/*
 * mut_int.h - the structure-aware mutator's private header: its state
 * (struct cf_mut), the bounds of its edits, its random numbers and the
 * functions its modules share. The API is cf_mutator.h; only the
 * mutator's own files include this one (and bench/opcov.c, which counts
 * what each operation finds).
 *
 * The modules, in the order a mutation passes through them:
 *
 *   cf_mutator.c  the API: parse (or repair, or generate), apply the
 *                 operations, write the model back (shrinking it to fit),
 *                 or fall back to byte-level mutation
 *   mut_ops.c     the structure operations and their table (names, order
 *                 and weights), the weighted pick and the stack of 1-4
 *   mut_splice.c  the operations that copy from a second input
 *   mut_model.c   choices on the model: a criterion, a field index, an
 *                 operator, an operand; new criteria, instances, models
 *   mut_regex.c   regex edits by syntax, and the fuzz_regex input kind
 *   mut_bytes.c   byte-level edits (AFL havoc), string edits,
 *                 interesting integers
 *   mut_frame.c   repair of the frame (header, section table, CRC) and
 *                 the boundary edits of the frame (cf_mut_frame)
 *   mut_trim.c    trimming by structure (AFL++'s trim protocol)
 *
 * The model is edited only through cf_chan.h (insertions and removals of
 * instances, criteria and strings included), so the model's array rule
 * lives in parsers/src/chan.c alone. Nothing here keeps state outside a
 * cf_mut: the same seed and the same calls give the same bytes
 * (tests/test_mut_golden.c pins them).
 */
#ifndef CF_MUT_INT_H
#define CF_MUT_INT_H

#include <stddef.h>
#include <stdint.h>

#include "cf_buf.h"
#include "cf_chan.h"
#include "cf_limits.h"
#include "cf_mutator.h"
#include "cf_re.h"
#include "cf_tmpl.h"

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
	/* The structure operations the last mutation applied, by position
	 * in the table (mut_op_name), in order; 0 of them when it was
	 * byte-level. Read by bench/opcov.c; never changes a choice. */
	unsigned trace[MUT_MAX_STACK];
	int ntrace;
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

/* What one structure operation sees besides the model: the splice
 * partner, parsed on first use. */
struct mut_ctx {
	const uint8_t *other; /* the splice partner's bytes */
	size_t on;
	cf_chan *oth; /* parsed lazily */
	int oth_tried;
};

/* A structure operation: CF_OK, MUT_NA when it does not apply to this
 * model (another is picked), or an error. */
typedef int (*mut_fn)(cf_mut *m, cf_chan *ch, struct mut_ctx *x);

/* ---- random numbers: splitmix64 (Steele, Lea, Flood, OOPSLA 2014) ---- */

static inline uint64_t
mut_rnd(cf_mut *m)
{
	uint64_t z = (m->rng += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* Uniform in [0, n) by multiply-shift (Lemire); 0 when n is 0. */
static inline uint32_t
mut_below(cf_mut *m, uint32_t n)
{
	return (uint32_t)(((mut_rnd(m) >> 32) * (uint64_t)n) >> 32);
}

static inline size_t
mut_below_sz(cf_mut *m, size_t n)
{
	return n == 0 ? 0 : (size_t)(mut_rnd(m) % n);
}

static inline int
mut_one_in(cf_mut *m, uint32_t n)
{
	return mut_below(m, n) == 0;
}

static inline size_t
mut_min(size_t a, size_t b)
{
	return a < b ? a : b;
}

static inline void
mut_st16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static inline void
mut_st32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* ---- mut_bytes.c ---- */

/* Grow *p to at least need bytes (need <= CF_MUT_MAX_OUT + slack). */
int mut_ensure(uint8_t **p, size_t *cap, size_t need);
/* Insert src[0..k) at pos of p[0..*n), capacity cap (*n <= cap); k is cut
 * to fit. src must not point into p. */
void mut_bytes_insert(uint8_t *p, size_t *n, size_t cap, size_t pos,
    const uint8_t *src, size_t k);
void mut_bytes_delete(uint8_t *p, size_t *n, size_t pos, size_t k);
/* p[0..*n) := the C string s, cut to cap. */
void mut_put_cstr(uint8_t *p, size_t *n, size_t cap, const char *s);
/* An integer near cur or at an interesting boundary. */
uint64_t mut_pick_int(cf_mut *m, uint64_t cur);
/* A mask for FLAGS_ANY / FLAGS_ALL. */
uint64_t mut_pick_mask(cf_mut *m);
/* One AFL-havoc-style edit of p[0..*n), capacity cap; other may splice. */
void mut_havoc(cf_mut *m, uint8_t *p, size_t *n, size_t cap,
    const uint8_t *other, size_t on);
/* One edit of a plain string p[0..*n), capacity cap. */
void mut_str_edit(cf_mut *m, uint8_t *p, size_t *n, size_t cap);
/* A string of the dictionary (strings a sensor's content holds). */
const char *mut_str_dict(cf_mut *m);

/* ---- mut_regex.c ---- */

/* One syntax edit of the pattern p[0..*n), capacity cap. lit[0..nlit) is
 * a source of literal text (a string-table entry or the subject). */
void mut_re_edit(cf_mut *m, uint8_t *p, size_t *n, size_t cap,
    const uint8_t *lit, size_t nlit);
/* A pattern of the dictionary. */
const char *mut_re_dict(cf_mut *m);
/* The fuzz_regex kind: cf_mut_mutate (cross = 0) and cf_mut_crossover
 * (cross = 1) of [flags][pattern length][pattern][subject]. */
size_t mut_regex_input(cf_mut *m, const uint8_t *in, size_t n,
    const uint8_t *other, size_t on, uint8_t *out, size_t max, int cross);

/* ---- mut_model.c ---- */

const cf_tmpl *mut_tmpl(const cf_chan *ch); /* NULL when unknown */
uint32_t mut_nfields(const cf_chan *ch);
/* The field's type, or 0 when the template or the field is unknown. */
unsigned mut_ftype(const cf_chan *ch, uint32_t field);
int mut_is_str_op(unsigned op);
uint32_t mut_max_id(const cf_chan *ch);
/* A random criterion satisfying pred (any when NULL), and its instance's
 * position; 0 when there is none. */
typedef int (*mut_crit_pred)(const cf_criterion *c);
int mut_pick_crit(cf_mut *m, cf_chan *ch, mut_crit_pred pred,
    cf_criterion **out, uint32_t *inst);
/* A field index biased to the boundaries that matter. */
uint16_t mut_pick_field(cf_mut *m, const cf_chan *ch);
/* A concrete operator that fits ftype (see mut_model.c for strict). */
uint8_t mut_pick_op_for(cf_mut *m, unsigned ftype, int strict);
/* A string operand: an existing entry or a new one (a pattern if regex). */
int mut_pick_string(cf_mut *m, cf_chan *ch, int regex, uint32_t *idx);
/* Give c an operand of its operator's shape. */
int mut_set_operand(cf_mut *m, cf_chan *ch, cf_criterion *c);
int mut_new_criterion(cf_mut *m, cf_chan *ch, cf_criterion *c);
/* A new instance of 0-4 new criteria at position pos. */
int mut_new_instance(cf_mut *m, cf_chan *ch, uint32_t pos);
/* A fresh small model of a random template type. */
int mut_gen_model(cf_mut *m, cf_chan **out);

/* ---- mut_ops.c ---- */

/* Apply 1..MUT_MAX_STACK operations (the first forced when force >= 0);
 * records them in m->trace. */
int mut_apply_ops(cf_mut *m, cf_chan *ch, struct mut_ctx *x, int force);
/* The operation table, for the API and bench/opcov.c. */
unsigned mut_op_count(void);
const char *mut_op_name(unsigned op);
unsigned mut_op_weight(unsigned op);
/* Its position in the table, -1 when there is none of that name. */
int mut_op_find(const char *name);
/* Apply operation op once, alone: CF_OK, MUT_NA or an error. */
int mut_op_apply(cf_mut *m, unsigned op, cf_chan *ch, struct mut_ctx *x);

/* ---- mut_splice.c ---- */

int mut_op_splice(cf_mut *m, cf_chan *ch, struct mut_ctx *x);

/* ---- cf_mutator.c ---- */

/* Byte-level mutation of in, then (channel kind) repair. */
size_t mut_mutate_bytes(cf_mut *m, const uint8_t *in, size_t n,
    const uint8_t *other, size_t on, uint8_t *out, size_t max);
/* One operation of the table applied once to in (which must parse),
 * written out: the output length, 0 when in does not parse or the
 * operation does not apply. For bench/opcov.c. */
size_t mut_mutate_one(cf_mut *m, unsigned op, const uint8_t *in, size_t n,
    const uint8_t *other, size_t on, uint8_t *out, size_t max);

/* ---- mut_trim.c ---- */

/* Drop the trimming state (cf_mut_trim_init and cf_mut_free). */
void mut_trim_reset(cf_mut *m);

#endif
