/*
 * text.c - the text form of a channel file: assembler and dumper
 * (cf_text.h; grammar in docs/FORMAT.md section 7).
 *
 * cf_text_asm reads the source one line at a time through lex.c and builds
 * the model with the cf_chan builders. It applies the binary limits as it
 * goes (instances, criteria per instance, strings, and the size of the
 * encoded file), so that whatever it accepts, cf_chan_write serialises and
 * cf_chan_parse reads back.
 *
 * String operands are interned: an inline STRING names the first table
 * entry with the same bytes, or appends one. A hash set (FNV-1a, open
 * addressing, at most half full, sized from CF_MAX_STRINGS) keeps that at
 * O(1) per operand; a linear scan would cost 32768 operands x 4096 entries.
 *
 * cf_text_dump runs the same rule over the criteria in order: when it
 * rebuilds the table exactly, operands are printed inline; otherwise every
 * entry is printed as a `string` line and every operand as a REF, so any
 * table (duplicates, unused entries, any order) survives the round trip.
 * Inline operands repeat a string at every use, so when the inline text
 * would pass the output cap the explicit form is printed instead; both
 * assemble to the same model. Strings are escaped with strnvisx, so the
 * output is printable ASCII.
 */
#include <string.h>

/* The NetBSD strn*vis prototypes; also silences a #warning in the header. */
#define LIBBSD_NETBSD_VIS
#include <bsd/vis.h>

#include "cf_chan.h"
#include "cf_limits.h"
#include "cf_mem.h"
#include "cf_text.h"
#include "cf_tmpl.h"
#include "lex.h"

/* FORMAT.md 7.1. VIS_NOLOCALE: without it, in a UTF-8 locale strvisx
 * copies valid multibyte sequences raw, and dumps would stop being ASCII. */
#define TEXT_VIS_FLAGS \
	(VIS_CSTYLE | VIS_OCTAL | VIS_TAB | VIS_NL | VIS_DQ | VIS_NOLOCALE)

/* Header, section table and the two section counts: the encoded size of
 * an empty model. */
#define EMPTY_FILE_SIZE \
	(CF_HEADER_SIZE + CF_SECTION_COUNT * CF_SECTION_ENTRY_SIZE + 4u + 4u)

#define DESC_LEN 56 /* room for cf_lex_desc() */

/* ---- string set --------------------------------------------------------- */

struct strset {
	uint32_t *slot; /* entry index + 1; 0 marks an empty slot */
	uint32_t *hash; /* hash of entry i */
	size_t mask;
};

static uint32_t
fnv1a(const uint8_t *p, size_t n)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

static int
strset_init(struct strset *s)
{
	size_t n = 2;

	/* At most CF_MAX_STRINGS entries in at least twice as many slots:
	 * a probe always meets an empty slot. */
	while (n < 2 * (size_t)CF_MAX_STRINGS)
		n <<= 1;
	s->mask = n - 1;
	s->slot = cf_mem_calloc(n, sizeof(uint32_t));
	s->hash = cf_mem_calloc((size_t)CF_MAX_STRINGS + 1, sizeof(uint32_t));
	return s->slot != NULL && s->hash != NULL ? CF_OK : CF_E_NOMEM;
}

static void
strset_free(struct strset *s)
{
	cf_mem_free(s->slot);
	cf_mem_free(s->hash);
}

/* Index of the first entry of strs holding p[0..n), or -1; *empty gets
 * the slot where it would go. */
static int64_t
strset_find(const struct strset *s, const cf_str *strs, const uint8_t *p,
    size_t n, uint32_t h, size_t *empty)
{
	size_t i = h & s->mask;

	for (;;) {
		uint32_t e = s->slot[i];

		if (e == 0) {
			*empty = i;
			return -1;
		}
		e--;
		if (s->hash[e] == h && strs[e].len == n &&
		    (n == 0 || memcmp(strs[e].data, p, n) == 0))
			return e;
		i = (i + 1) & s->mask;
	}
}

/* Enter entry idx unless an equal one is there already (the first wins).
 * Returns 1 when idx duplicates an earlier entry. */
static int
strset_add(struct strset *s, const cf_str *strs, uint32_t idx)
{
	uint32_t h = fnv1a(strs[idx].data, strs[idx].len);
	size_t slot;

	s->hash[idx] = h;
	if (strset_find(s, strs, strs[idx].data, strs[idx].len, h, &slot) >= 0)
		return 1;
	s->slot[slot] = idx + 1;
	return 0;
}

/* ---- assembler ---------------------------------------------------------- */

enum {
	HDR_FORMAT = 1,
	HDR_CHANNEL = 2,
	HDR_CONTENT_VERSION = 4,
	HDR_TEMPLATE = 8
};

struct asm_state {
	cf_lex lx;
	cf_chan *ch;
	const cf_tmpl *tmpl; /* NULL when the template number is unknown */
	struct strset set;
	unsigned seen; /* HDR_* lines read */
	int body;      /* a string, instance or field line was read */
	uint64_t size; /* encoded size of the model so far */
};

static int
grow_size(struct asm_state *st, uint64_t more)
{
	if (more > CF_MAX_FILE_SIZE || st->size > CF_MAX_FILE_SIZE - more)
		return cf_lex_err(&st->lx, CF_E_TEXT_LIMIT,
		    "content would be over %u bytes once encoded (CF_MAX_FILE_SIZE)",
		    (unsigned)CF_MAX_FILE_SIZE);
	st->size += more;
	return CF_OK;
}

/* Header lines come first: the first body line checks they are all here. */
static int
check_header(struct asm_state *st)
{
	const char *missing = NULL;

	if (!(st->seen & HDR_CHANNEL))
		missing = "channel";
	else if (!(st->seen & HDR_CONTENT_VERSION))
		missing = "content-version";
	else if (!(st->seen & HDR_TEMPLATE))
		missing = "template";
	if (missing == NULL)
		return CF_OK;
	return cf_lex_err(&st->lx, CF_E_TEXT_MISSING,
	    "missing '%s' line (channel, content-version and template come before strings and instances)",
	    missing);
}

static int
start_body(struct asm_state *st)
{
	if (st->body)
		return CF_OK;
	st->body = 1;
	return check_header(st);
}

static int
asm_header(struct asm_state *st, unsigned bit, const char *kw)
{
	char desc[DESC_LEN];
	uint64_t v;
	cf_tok t;
	int rc;

	if (st->body)
		return cf_lex_err(&st->lx, CF_E_TEXT_SYNTAX,
		    "'%s' line after a string or instance; header lines come first",
		    kw);
	if (st->seen & bit)
		return cf_lex_err(
		    &st->lx, CF_E_TEXT_SYNTAX, "second '%s' line", kw);
	st->seen |= bit;
	if ((rc = cf_lex_next(&st->lx, &t)) != CF_OK)
		return rc;
	if (bit == HDR_TEMPLATE && t.kind == CF_TK_NAME) {
		if ((st->tmpl = cf_tmpl_by_name(t.p, t.n)) == NULL) {
			cf_lex_desc(&t, desc, sizeof(desc));
			return cf_lex_err(&st->lx, CF_E_TEXT_VALUE,
			    "unknown template %s (`cftool types` lists them; a number is taken as is)",
			    desc);
		}
		st->ch->template_type = st->tmpl->id;
		return cf_lex_expect_end(&st->lx, "the template");
	}
	if (t.kind != CF_TK_INT) {
		cf_lex_desc(&t, desc, sizeof(desc));
		return cf_lex_err(&st->lx, CF_E_TEXT_SYNTAX,
		    "'%s' needs a %s, got %s", kw,
		    bit == HDR_TEMPLATE ? "template name or number" : "number",
		    desc);
	}
	if ((rc = cf_lex_uint(&st->lx, &t,
	         bit == HDR_FORMAT ? UINT16_MAX : UINT32_MAX, kw, &v)) != CF_OK)
		return rc;
	switch (bit) {
	case HDR_FORMAT:
		if (v != CF_FORMAT_VERSION)
			return cf_lex_err(&st->lx, CF_E_TEXT_VALUE,
			    "format %llu is not supported (only 1)",
			    (unsigned long long)v);
		break;
	case HDR_CHANNEL:
		st->ch->channel = (uint32_t)v;
		break;
	case HDR_CONTENT_VERSION:
		st->ch->content_version = (uint32_t)v;
		break;
	default:
		st->ch->template_type = (uint32_t)v;
		st->tmpl = cf_tmpl_by_id((uint32_t)v);
		break;
	}
	return cf_lex_expect_end(&st->lx, "the number");
}

static int
add_string(struct asm_state *st, const uint8_t *p, size_t n, uint32_t *idx)
{
	int rc;

	if (st->ch->nstrings >= CF_MAX_STRINGS)
		return cf_lex_err(&st->lx, CF_E_TEXT_LIMIT,
		    "more than %u strings", (unsigned)CF_MAX_STRINGS);
	if ((rc = grow_size(st, CF_STRING_ENTRY_SIZE + (uint64_t)n)) != CF_OK)
		return rc;
	if ((rc = cf_chan_add_string(st->ch, p, n, idx)) != CF_OK)
		return cf_lex_err(&st->lx, rc, "cannot add a string");
	strset_add(&st->set, st->ch->strings, *idx);
	return CF_OK;
}

static int
intern(struct asm_state *st, const uint8_t *p, size_t n, uint32_t *idx)
{
	size_t slot;
	int64_t e;

	e = strset_find(&st->set, st->ch->strings, p, n, fnv1a(p, n), &slot);
	if (e >= 0) {
		*idx = (uint32_t)e;
		return CF_OK;
	}
	return add_string(st, p, n, idx);
}

static int
asm_string(struct asm_state *st)
{
	char desc[DESC_LEN];
	uint32_t idx;
	cf_tok t;
	int rc;

	if ((rc = start_body(st)) != CF_OK)
		return rc;
	if (st->ch->ninstances > 0)
		return cf_lex_err(&st->lx, CF_E_TEXT_SYNTAX,
		    "'string' line after an instance; the string table comes first");
	if ((rc = cf_lex_next(&st->lx, &t)) != CF_OK)
		return rc;
	if (t.kind != CF_TK_STRING) {
		cf_lex_desc(&t, desc, sizeof(desc));
		return cf_lex_err(&st->lx, CF_E_TEXT_SYNTAX,
		    "'string' needs a quoted string, got %s", desc);
	}
	/* Another token cannot reuse the lexer's string buffer unless it is
	 * a string, and that is an error. */
	if ((rc = cf_lex_expect_end(&st->lx, "the string")) != CF_OK)
		return rc;
	return add_string(st, t.s, t.slen, &idx);
}

static int
asm_instance(struct asm_state *st)
{
	char desc[DESC_LEN];
	uint16_t flags = CF_INST_ENABLED;
	uint64_t id;
	cf_tok t;
	int rc, action;

	if ((rc = start_body(st)) != CF_OK)
		return rc;
	if ((rc = cf_lex_next(&st->lx, &t)) != CF_OK)
		return rc;
	if (t.kind != CF_TK_INT) {
		cf_lex_desc(&t, desc, sizeof(desc));
		return cf_lex_err(&st->lx, CF_E_TEXT_SYNTAX,
		    "'instance' needs an id number, got %s", desc);
	}
	if ((rc = cf_lex_uint(&st->lx, &t, UINT32_MAX, "instance id", &id)) !=
	    CF_OK)
		return rc;
	if ((rc = cf_lex_next(&st->lx, &t)) != CF_OK)
		return rc;
	cf_lex_desc(&t, desc, sizeof(desc));
	if (t.kind != CF_TK_NAME && t.kind != CF_TK_INT)
		return cf_lex_err(&st->lx, CF_E_TEXT_SYNTAX,
		    "'instance' needs an action (log, detect, block or kill), got %s",
		    desc);
	if ((action = cf_action_by_name(t.p, t.n)) < 0)
		return cf_lex_err(&st->lx, CF_E_TEXT_VALUE,
		    "unknown action %s (log, detect, block or kill)", desc);
	if ((rc = cf_lex_next(&st->lx, &t)) != CF_OK)
		return rc;
	if (cf_lex_is(&t, "disabled")) {
		flags = 0;
		if ((rc = cf_lex_expect_end(&st->lx, "'disabled'")) != CF_OK)
			return rc;
	} else if (t.kind != CF_TK_END) {
		cf_lex_desc(&t, desc, sizeof(desc));
		return cf_lex_err(&st->lx, CF_E_TEXT_SYNTAX,
		    "unexpected %s after the action (only 'disabled' may follow)",
		    desc);
	}
	if (st->ch->ninstances >= CF_MAX_INSTANCES)
		return cf_lex_err(&st->lx, CF_E_TEXT_LIMIT,
		    "more than %u instances", (unsigned)CF_MAX_INSTANCES);
	if ((rc = grow_size(st, CF_INSTANCE_HEADER_SIZE)) != CF_OK)
		return rc;
	if ((rc = cf_chan_add_instance(
	         st->ch, (uint32_t)id, (uint16_t)action, flags, NULL)) != CF_OK)
		return cf_lex_err(&st->lx, rc, "cannot add an instance");
	return CF_OK;
}

/* An INT operand (the grammar's INT) of operator opname. */
static int
int_operand(struct asm_state *st, const char *opname, uint64_t *v)
{
	char desc[DESC_LEN];
	cf_tok t;
	int rc;

	if ((rc = cf_lex_next(&st->lx, &t)) != CF_OK)
		return rc;
	if (t.kind != CF_TK_INT) {
		cf_lex_desc(&t, desc, sizeof(desc));
		return cf_lex_err(&st->lx, CF_E_TEXT_SYNTAX,
		    "'%s' needs an integer operand, got %s", opname, desc);
	}
	return cf_lex_uint(&st->lx, &t, UINT64_MAX, "integer operand", v);
}

static int
asm_field(struct asm_state *st, uint16_t *field)
{
	char desc[DESC_LEN];
	uint64_t v;
	cf_tok t;
	int rc, f;

	if ((rc = cf_lex_next(&st->lx, &t)) != CF_OK)
		return rc;
	cf_lex_desc(&t, desc, sizeof(desc));
	if (t.kind == CF_TK_INT) {
		if ((rc = cf_lex_uint(
		         &st->lx, &t, UINT16_MAX, "field index", &v)) != CF_OK)
			return rc;
		*field = (uint16_t)v;
		return CF_OK;
	}
	if (t.kind != CF_TK_NAME)
		return cf_lex_err(&st->lx, CF_E_TEXT_SYNTAX,
		    "'field' needs a field name or index, got %s", desc);
	if (st->tmpl == NULL)
		return cf_lex_err(&st->lx, CF_E_TEXT_VALUE,
		    "field %s: template %u is unknown, so fields are given by index",
		    desc, st->ch->template_type);
	if ((f = cf_tmpl_field_by_name(st->tmpl, t.p, t.n)) < 0)
		return cf_lex_err(&st->lx, CF_E_TEXT_VALUE,
		    "template %s has no field %s", st->tmpl->name, desc);
	*field = (uint16_t)f;
	return CF_OK;
}

static int
asm_criterion(struct asm_state *st)
{
	char desc[DESC_LEN];
	cf_criterion c;
	cf_tok t, operand;
	const char *opname;
	uint64_t v;
	uint32_t inst;
	int rc, op;

	if ((rc = start_body(st)) != CF_OK)
		return rc;
	if (st->ch->ninstances == 0)
		return cf_lex_err(&st->lx, CF_E_TEXT_SYNTAX,
		    "'field' line before the first instance");
	inst = st->ch->ninstances - 1;
	memset(&c, 0, sizeof(c));
	memset(&operand, 0, sizeof(operand));
	c.str = CF_NO_STRING;
	if ((rc = asm_field(st, &c.field)) != CF_OK)
		return rc;

	if ((rc = cf_lex_next(&st->lx, &t)) != CF_OK)
		return rc;
	cf_lex_desc(&t, desc, sizeof(desc));
	if (t.kind != CF_TK_NAME && t.kind != CF_TK_INT)
		return cf_lex_err(&st->lx, CF_E_TEXT_SYNTAX,
		    "criterion needs an operator after the field, got %s",
		    desc);
	if ((op = cf_op_by_name(t.p, t.n)) < 0)
		return cf_lex_err(
		    &st->lx, CF_E_TEXT_VALUE, "unknown operator %s", desc);
	c.op = (uint8_t)op;
	opname = cf_op_name((unsigned)op);

	switch (cf_op_operand((unsigned)op)) {
	case CF_OPND_NONE:
		break;
	case CF_OPND_STR:
		if ((rc = cf_lex_next(&st->lx, &operand)) != CF_OK)
			return rc;
		if (operand.kind == CF_TK_REF) {
			if ((rc = cf_lex_uint(&st->lx, &operand, UINT32_MAX,
			         "string reference", &v)) != CF_OK)
				return rc;
			if (v >= st->ch->nstrings)
				return cf_lex_err(&st->lx, CF_E_TEXT_VALUE,
				    "string reference @%llu is past the string table (%u entries)",
				    (unsigned long long)v, st->ch->nstrings);
			c.str = (uint32_t)v;
		} else if (operand.kind != CF_TK_STRING) {
			cf_lex_desc(&operand, desc, sizeof(desc));
			return cf_lex_err(&st->lx, CF_E_TEXT_SYNTAX,
			    "'%s' needs a string or @index operand, got %s",
			    opname, desc);
		}
		break;
	case CF_OPND_INT:
		if ((rc = int_operand(st, opname, &c.a)) != CF_OK)
			return rc;
		break;
	case CF_OPND_RANGE:
		if ((rc = int_operand(st, opname, &c.a)) != CF_OK ||
		    (rc = int_operand(st, opname, &c.b)) != CF_OK)
			return rc;
		break;
	}

	for (;;) {
		if ((rc = cf_lex_next(&st->lx, &t)) != CF_OK)
			return rc;
		if (t.kind == CF_TK_END)
			break;
		if (cf_lex_is(&t, "icase")) {
			c.mods |= CF_MOD_ICASE;
		} else if (cf_lex_is(&t, "not")) {
			c.mods |= CF_MOD_NEGATE;
		} else {
			cf_lex_desc(&t, desc, sizeof(desc));
			return cf_lex_err(&st->lx, CF_E_TEXT_SYNTAX,
			    "unexpected %s in a criterion (after the operand only 'icase' and 'not' may follow)",
			    desc);
		}
	}

	if (st->ch->instances[inst].ncrit >= CF_MAX_CRITERIA)
		return cf_lex_err(&st->lx, CF_E_TEXT_LIMIT,
		    "more than %u criteria in instance %u",
		    (unsigned)CF_MAX_CRITERIA, st->ch->instances[inst].id);
	if ((rc = grow_size(st, CF_CRITERION_SIZE)) != CF_OK)
		return rc;
	/* The modifier loop lexed no string (that would have failed), so
	 * operand.s still holds the decoded operand. */
	if (operand.kind == CF_TK_STRING &&
	    (rc = intern(st, operand.s, operand.slen, &c.str)) != CF_OK)
		return rc;
	if ((rc = cf_chan_add_criterion(st->ch, inst, &c)) != CF_OK)
		return cf_lex_err(&st->lx, rc, "cannot add a criterion");
	return CF_OK;
}

static int
asm_line(struct asm_state *st)
{
	char desc[DESC_LEN];
	cf_tok t;
	int rc;

	if ((rc = cf_lex_next(&st->lx, &t)) != CF_OK)
		return rc;
	if (t.kind == CF_TK_END)
		return CF_OK; /* blank or comment */
	if (cf_lex_is(&t, "field"))
		return asm_criterion(st);
	if (cf_lex_is(&t, "instance"))
		return asm_instance(st);
	if (cf_lex_is(&t, "string"))
		return asm_string(st);
	if (cf_lex_is(&t, "channel"))
		return asm_header(st, HDR_CHANNEL, "channel");
	if (cf_lex_is(&t, "content-version"))
		return asm_header(st, HDR_CONTENT_VERSION, "content-version");
	if (cf_lex_is(&t, "template"))
		return asm_header(st, HDR_TEMPLATE, "template");
	if (cf_lex_is(&t, "format"))
		return asm_header(st, HDR_FORMAT, "format");
	cf_lex_desc(&t, desc, sizeof(desc));
	return cf_lex_err(&st->lx, CF_E_TEXT_SYNTAX,
	    "unknown keyword %s (expected channel, content-version, template, format, string, instance or field)",
	    desc);
}

int
cf_text_asm(const char *src, size_t len, cf_chan **out, cf_diag *d)
{
	struct asm_state st;
	int rc, more;

	if (out == NULL)
		return cf_diag_set(d, CF_E_ARG, 0, "no output pointer");
	*out = NULL;
	memset(&st, 0, sizeof(st));
	if (d != NULL)
		d->line = 0;
	if ((rc = cf_lex_open(&st.lx, src, len, d)) != CF_OK)
		return rc;
	st.size = EMPTY_FILE_SIZE;
	if ((st.ch = cf_chan_new()) == NULL || strset_init(&st.set) != CF_OK) {
		rc = cf_diag_set(d, CF_E_NOMEM, 0, "out of memory");
		goto done;
	}
	for (;;) {
		if ((rc = cf_lex_line(&st.lx, &more)) != CF_OK)
			goto done;
		if (!more)
			break;
		if ((rc = asm_line(&st)) != CF_OK)
			goto done;
	}
	/* A file with no string or instance line: report at its last line. */
	if (!st.body) {
		if (st.lx.lineno == 0)
			st.lx.lineno = 1;
		rc = check_header(&st);
	}
done:
	strset_free(&st.set);
	cf_lex_close(&st.lx);
	if (rc != CF_OK) {
		cf_chan_free(st.ch);
		return rc;
	}
	st.ch->format_version = CF_FORMAT_VERSION;
	*out = st.ch;
	return CF_OK;
}

/* ---- dumper ------------------------------------------------------------- */

/* A compiled-in name that lexes back as the same NAME token. */
static int
plain_name(const char *s)
{
	if (s == NULL || s[0] == '\0' || (s[0] >= '0' && s[0] <= '9'))
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		        (*s >= '0' && *s <= '9') || *s == '_' || *s == '-' ||
		        *s == '.'))
			return 0;
	return 1;
}

/* The text form expresses exactly the models cf_chan_write accepts: refuse
 * the others rather than print what asm would reject. */
static int
dump_check(const cf_chan *ch, uint32_t *maxlen)
{
	uint64_t size = EMPTY_FILE_SIZE;

	*maxlen = 0;
	if (ch->format_version != CF_FORMAT_VERSION ||
	    ch->nstrings > CF_MAX_STRINGS || ch->ninstances > CF_MAX_INSTANCES)
		return CF_E_ARG;
	for (uint32_t i = 0; i < ch->nstrings; i++) {
		if (ch->strings[i].len > CF_MAX_STRING_LEN ||
		    (ch->strings[i].len > 0 && ch->strings[i].data == NULL))
			return CF_E_ARG;
		if (ch->strings[i].len > *maxlen)
			*maxlen = ch->strings[i].len;
		size += CF_STRING_ENTRY_SIZE + (uint64_t)ch->strings[i].len;
	}
	for (uint32_t i = 0; i < ch->ninstances; i++) {
		const cf_instance *in = &ch->instances[i];

		if (in->action >= CF_ACT_COUNT ||
		    (in->flags & ~CF_INST_ENABLED) != 0 ||
		    in->ncrit > CF_MAX_CRITERIA)
			return CF_E_ARG;
		size += CF_INSTANCE_HEADER_SIZE +
		    (uint64_t)in->ncrit * CF_CRITERION_SIZE;
		for (uint16_t k = 0; k < in->ncrit; k++) {
			const cf_criterion *c = &in->crit[k];
			int ok = 0;

			if (c->op >= CF_OP_COUNT || (c->mods & ~CF_MOD_ALL))
				return CF_E_ARG;
			switch (cf_op_operand(c->op)) {
			case CF_OPND_NONE:
				ok = c->str == CF_NO_STRING && c->a == 0 &&
				    c->b == 0;
				break;
			case CF_OPND_STR:
				ok = c->str < ch->nstrings && c->a == 0 &&
				    c->b == 0;
				break;
			case CF_OPND_INT:
				ok = c->str == CF_NO_STRING && c->b == 0;
				break;
			case CF_OPND_RANGE:
				ok = c->str == CF_NO_STRING;
				break;
			}
			if (!ok)
				return CF_E_ARG;
		}
	}
	return size <= CF_MAX_FILE_SIZE ? CF_OK : CF_E_LIMIT;
}

/* 1 in *inl when interning the string operands in order rebuilds the
 * table: operands first name entries 0, 1, 2, ... in that order, every
 * entry is named, and no entry repeats an earlier one. */
static int
can_inline(const cf_chan *ch, int *inl)
{
	struct strset set;
	uint32_t next = 0;
	int rc;

	*inl = 0;
	for (uint32_t i = 0; i < ch->ninstances; i++) {
		const cf_instance *in = &ch->instances[i];

		for (uint16_t k = 0; k < in->ncrit; k++) {
			const cf_criterion *c = &in->crit[k];

			if (cf_op_operand(c->op) != CF_OPND_STR ||
			    c->str < next)
				continue;
			if (c->str > next)
				return CF_OK;
			next++;
		}
	}
	if (next != ch->nstrings)
		return CF_OK;
	if (ch->nstrings == 0) {
		*inl = 1;
		return CF_OK;
	}
	if ((rc = strset_init(&set)) != CF_OK)
		return rc;
	*inl = 1;
	for (uint32_t i = 0; i < ch->nstrings && *inl; i++)
		if (strset_add(&set, ch->strings, i))
			*inl = 0;
	strset_free(&set);
	return CF_OK;
}

/* Scratch space for escaping one string: in holds a copy of it and one
 * more byte, out its escaped form (at most 4 characters per byte). */
struct visbuf {
	char *in;
	char *out;
	size_t outsize;
};

/* Append s as a quoted STRING. */
static int
dump_string(cf_buf *out, const cf_str *s, struct visbuf *vb)
{
	int n, rc;

	/* strnvisx reads one byte past a 1-byte source for its look-ahead
	 * (libbsd 0.11, NetBSD vis.c: "if (mbslength == 1) mbslength++"), and
	 * a NUL is printed as \0 or \000 depending on that byte. Encode a
	 * copy with a NUL after it: no over-read, and the same text for the
	 * same string every time. */
	if (s->len > 0)
		memcpy(vb->in, s->data, s->len);
	vb->in[s->len] = '\0';
	n = strnvisx(vb->out, vb->outsize, vb->in, s->len, TEXT_VIS_FLAGS);
	if (n < 0)
		return CF_E_ARG; /* cannot happen: 4 bytes per byte suffice */
	/* Keep the promise of cf_text.h even if a libbsd changed its mind. */
	for (int i = 0; i < n; i++)
		if (vb->out[i] < 0x20 || vb->out[i] > 0x7E)
			return CF_E_ARG;
	if ((rc = cf_buf_put(out, "\"", 1)) != CF_OK ||
	    (rc = cf_buf_put(out, vb->out, (size_t)n)) != CF_OK)
		return rc;
	return cf_buf_put(out, "\"", 1);
}

static int
dump_criterion(const cf_chan *ch, const cf_tmpl *t, const cf_criterion *c,
    int inl, struct visbuf *vb, cf_buf *out)
{
	const char *fname = NULL;
	int rc;

	if (t != NULL && c->field < t->nfields &&
	    plain_name(t->fields[c->field].name) &&
	    cf_tmpl_field_by_name(t, t->fields[c->field].name,
	        strlen(t->fields[c->field].name)) == (int)c->field)
		fname = t->fields[c->field].name;
	if (fname != NULL)
		rc = cf_buf_printf(
		    out, "  field %s %s", fname, cf_op_name(c->op));
	else
		rc = cf_buf_printf(out, "  field %u %s", (unsigned)c->field,
		    cf_op_name(c->op));
	if (rc != CF_OK)
		return rc;
	switch (cf_op_operand(c->op)) {
	case CF_OPND_NONE:
		break;
	case CF_OPND_STR:
		if (!inl)
			rc = cf_buf_printf(out, " @%u", c->str);
		else if ((rc = cf_buf_put(out, " ", 1)) == CF_OK)
			rc = dump_string(out, &ch->strings[c->str], vb);
		break;
	case CF_OPND_INT:
		/* Masks read better in hex; asm takes either base. */
		if (c->op == CF_OP_FLAGS_ANY || c->op == CF_OP_FLAGS_ALL)
			rc = cf_buf_printf(
			    out, " 0x%llx", (unsigned long long)c->a);
		else
			rc = cf_buf_printf(
			    out, " %llu", (unsigned long long)c->a);
		break;
	case CF_OPND_RANGE:
		rc = cf_buf_printf(out, " %llu %llu", (unsigned long long)c->a,
		    (unsigned long long)c->b);
		break;
	}
	if (rc == CF_OK && (c->mods & CF_MOD_ICASE))
		rc = cf_buf_put(out, " icase", 6);
	if (rc == CF_OK && (c->mods & CF_MOD_NEGATE))
		rc = cf_buf_put(out, " not", 4);
	if (rc == CF_OK)
		rc = cf_buf_put(out, "\n", 1);
	return rc;
}

static int
dump_text(const cf_chan *ch, int inl, struct visbuf *vb, cf_buf *out)
{
	const cf_tmpl *t = cf_tmpl_by_id(ch->template_type);
	const cf_tmpl *byname;
	int rc;

	if ((rc = cf_buf_printf(out,
	         "format 1\nchannel %u\n"
	         "content-version %u\n",
	         ch->channel, ch->content_version)) != CF_OK)
		return rc;
	byname = t != NULL && plain_name(t->name)
	    ? cf_tmpl_by_name(t->name, strlen(t->name))
	    : NULL;
	if (byname != NULL && byname->id == ch->template_type)
		rc = cf_buf_printf(out, "template %s\n", t->name);
	else
		rc = cf_buf_printf(out, "template %u\n", ch->template_type);
	if (rc != CF_OK)
		return rc;
	for (uint32_t i = 0; !inl && i < ch->nstrings; i++) {
		if ((rc = cf_buf_put(out, "string ", 7)) != CF_OK ||
		    (rc = dump_string(out, &ch->strings[i], vb)) != CF_OK ||
		    (rc = cf_buf_put(out, "\n", 1)) != CF_OK)
			return rc;
	}
	for (uint32_t i = 0; i < ch->ninstances; i++) {
		const cf_instance *in = &ch->instances[i];

		if ((rc = cf_buf_printf(out, "instance %u %s%s\n", in->id,
		         cf_action_name(in->action),
		         (in->flags & CF_INST_ENABLED) ? "" : " disabled")) !=
		    CF_OK)
			return rc;
		for (uint16_t k = 0; k < in->ncrit; k++)
			if ((rc = dump_criterion(
			         ch, t, &in->crit[k], inl, vb, out)) != CF_OK)
				return rc;
	}
	return CF_OK;
}

int
cf_text_dump(const cf_chan *ch, cf_buf *out)
{
	struct visbuf vb;
	uint32_t maxlen;
	size_t start;
	int rc, inl;

	if (ch == NULL || out == NULL)
		return CF_E_ARG;
	if ((rc = dump_check(ch, &maxlen)) != CF_OK ||
	    (rc = can_inline(ch, &inl)) != CF_OK)
		return rc;
	vb.outsize = 4 * (size_t)maxlen + 1;
	vb.out = cf_mem_alloc(vb.outsize);
	vb.in = cf_mem_alloc((size_t)maxlen + 1);
	if (vb.out == NULL || vb.in == NULL) {
		rc = CF_E_NOMEM;
		goto done;
	}
	start = out->len;
	rc = dump_text(ch, inl, &vb, out);
	/* Inline operands repeat a string at each use, so a small file can
	 * print large; the explicit table prints each string once and always
	 * fits (about 4 bytes of text per file byte). */
	if (rc == CF_E_LIMIT && inl) {
		out->len = start;
		rc = dump_text(ch, 0, &vb, out);
	}
	if (rc != CF_OK)
		out->len = start;
done:
	cf_mem_free(vb.out);
	cf_mem_free(vb.in);
	return rc;
}
