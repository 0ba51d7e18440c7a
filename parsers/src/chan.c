/*
 * chan.c - channel file parser, writer and model builders (cf_chan.h).
 *
 * The parser follows docs/FORMAT.md section 1 check by check, in the order
 * given there, so error codes are deterministic. Every offset, length and
 * count is untrusted: bounds are tested in subtraction form
 * (len <= total && off <= total - len) so that no sum can wrap, counts are
 * compared with what the section can actually hold before anything is
 * allocated, and each walk must end exactly at the end of its section
 * (the two-depth idea of Redis' listpack validation).
 */
#include <string.h>
#include <strings.h>

#include "cf_chan.h"
#include "cf_limits.h"
#include "cf_mem.h"

static const char *const op_names[CF_OP_COUNT] = { "wildcard", "equals",
	"prefix", "suffix", "contains", "regex", "int-eq", "int-range",
	"flags-any", "flags-all" };

static const char *const action_names[CF_ACT_COUNT] = { "log", "detect",
	"block", "kill" };

const char *
cf_op_name(unsigned op)
{
	return op < CF_OP_COUNT ? op_names[op] : NULL;
}

static int
name_lookup(const char *const *names, int count, const char *name, size_t n)
{
	for (int i = 0; i < count; i++)
		if (strlen(names[i]) == n &&
		    strncasecmp(names[i], name, n) == 0)
			return i;
	return -1;
}

int
cf_op_by_name(const char *name, size_t n)
{
	return name_lookup(op_names, CF_OP_COUNT, name, n);
}

enum cf_operand
cf_op_operand(unsigned op)
{
	switch (op) {
	case CF_OP_EQUALS:
	case CF_OP_PREFIX:
	case CF_OP_SUFFIX:
	case CF_OP_CONTAINS:
	case CF_OP_REGEX:
		return CF_OPND_STR;
	case CF_OP_INT_EQ:
	case CF_OP_FLAGS_ANY:
	case CF_OP_FLAGS_ALL:
		return CF_OPND_INT;
	case CF_OP_INT_RANGE:
		return CF_OPND_RANGE;
	default:
		return CF_OPND_NONE;
	}
}

const char *
cf_action_name(unsigned action)
{
	return action < CF_ACT_COUNT ? action_names[action] : NULL;
}

int
cf_action_by_name(const char *name, size_t n)
{
	return name_lookup(action_names, CF_ACT_COUNT, name, n);
}

/* ---- builders ---------------------------------------------------------- */

cf_chan *
cf_chan_new(void)
{
	cf_chan *ch = cf_mem_calloc(1, sizeof(*ch));
	if (ch != NULL)
		ch->format_version = CF_FORMAT_VERSION;
	return ch;
}

void
cf_chan_free(cf_chan *ch)
{
	if (ch == NULL)
		return;
	for (uint32_t i = 0; i < ch->nstrings; i++)
		cf_mem_free(ch->strings[i].data);
	for (uint32_t i = 0; i < ch->ninstances; i++)
		cf_mem_free(ch->instances[i].crit);
	cf_mem_free(ch->strings);
	cf_mem_free(ch->instances);
	cf_mem_free(ch);
}

/* Make room for one more element in an array of count elements. The
 * rule behind cf_chan.h's promise: an array of n elements has room for
 * at least the smallest power of two >= n, so it grows when count is 0 or
 * a power of two, and appends are amortised O(1) without storing a
 * capacity. */
static int
grow_pow2(void **arr, uint32_t count, size_t elem)
{
	void *p;
	size_t ncap;

	if (count != 0 && (count & (count - 1)) != 0)
		return CF_OK;
	ncap = count ? (size_t)count * 2 : 4;
	p = cf_mem_reallocarray(*arr, ncap, elem);
	if (p == NULL)
		return CF_E_NOMEM;
	*arr = p;
	return CF_OK;
}

/* The smallest power of two >= n (0 for 0): the room an array of n
 * elements must have. n <= 2^31. */
static uint32_t
room_for(uint32_t n)
{
	uint32_t r = 1;

	if (n == 0)
		return 0;
	while (r < n)
		r <<= 1;
	return r;
}

/* Open a gap at pos of an array of count elements, room made: elements
 * [pos, count) move up by one. */
static void
open_gap(void *arr, uint32_t count, uint32_t pos, size_t elem)
{
	uint8_t *a = arr;

	if (pos <
	    count) /* appending (the parser, the builders) moves nothing */
		memmove(
		    a + (pos + 1) * elem, a + pos * elem, (count - pos) * elem);
}

static void
close_gap(void *arr, uint32_t count, uint32_t pos, size_t elem)
{
	uint8_t *a = arr;

	memmove(a + pos * elem, a + (pos + 1) * elem, (count - pos - 1) * elem);
}

/* A copy of p[0..n) in its own allocation of at least one byte, so that a
 * string's data is never NULL. */
static uint8_t *
copy_bytes(const uint8_t *p, size_t n)
{
	uint8_t *copy = cf_mem_alloc(n ? n : 1);

	if (copy != NULL && n)
		memcpy(copy, p, n);
	return copy;
}

int
cf_chan_add_string(cf_chan *ch, const uint8_t *p, size_t n, uint32_t *index)
{
	uint8_t *copy;
	int rc;

	if (ch->nstrings >= CF_MAX_STRINGS || n > CF_MAX_STRING_LEN)
		return CF_E_ARG;
	if ((rc = grow_pow2(
	         (void **)&ch->strings, ch->nstrings, sizeof(cf_str))) != CF_OK)
		return rc;
	if ((copy = copy_bytes(p, n)) == NULL)
		return CF_E_NOMEM;
	ch->strings[ch->nstrings].data = copy;
	ch->strings[ch->nstrings].len = (uint32_t)n;
	if (index)
		*index = ch->nstrings;
	ch->nstrings++;
	return CF_OK;
}

int
cf_chan_set_string(cf_chan *ch, uint32_t index, const uint8_t *p, size_t n)
{
	uint8_t *copy;

	if (index >= ch->nstrings || n > CF_MAX_STRING_LEN)
		return CF_E_ARG;
	if ((copy = copy_bytes(p, n)) == NULL)
		return CF_E_NOMEM;
	cf_mem_free(ch->strings[index].data);
	ch->strings[index].data = copy;
	ch->strings[index].len = (uint32_t)n;
	return CF_OK;
}

int
cf_chan_drop_unused_strings(cf_chan *ch, uint32_t *removed)
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
			if (cf_op_operand(c->op) == CF_OPND_STR &&
			    c->str < ch->nstrings)
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
			if (cf_op_operand(c->op) == CF_OPND_STR &&
			    c->str < ch->nstrings)
				c->str = map[c->str];
		}
	*removed = ch->nstrings - j;
	ch->nstrings = j; /* fewer elements: the room stays large enough */
	cf_mem_free(map);
	return CF_OK;
}

int
cf_chan_add_instance(
    cf_chan *ch, uint32_t id, uint16_t action, uint16_t flags, uint32_t *index)
{
	cf_instance in;
	uint32_t pos = ch->ninstances;
	int rc;

	memset(&in, 0, sizeof(in));
	in.id = id;
	in.action = action;
	in.flags = flags;
	if ((rc = cf_chan_insert_instance(ch, pos, &in)) == CF_OK && index)
		*index = pos;
	return rc;
}

int
cf_chan_insert_instance(cf_chan *ch, uint32_t pos, const cf_instance *in)
{
	cf_instance copy;
	int rc;

	if (ch->ninstances >= CF_MAX_INSTANCES || pos > ch->ninstances ||
	    in->ncrit > CF_MAX_CRITERIA)
		return CF_E_ARG;
	/* Copy before growing: in may point into ch->instances. */
	copy = *in;
	copy.crit = NULL;
	if (in->ncrit > 0) {
		copy.crit = cf_mem_reallocarray(
		    NULL, room_for(in->ncrit), sizeof(*in->crit));
		if (copy.crit == NULL)
			return CF_E_NOMEM;
		memcpy(copy.crit, in->crit, in->ncrit * sizeof(*in->crit));
	}
	if ((rc = grow_pow2((void **)&ch->instances, ch->ninstances,
	         sizeof(cf_instance))) != CF_OK) {
		cf_mem_free(copy.crit);
		return rc;
	}
	open_gap(ch->instances, ch->ninstances, pos, sizeof(cf_instance));
	ch->instances[pos] = copy;
	ch->ninstances++;
	return CF_OK;
}

int
cf_chan_remove_instance(cf_chan *ch, uint32_t pos)
{
	if (pos >= ch->ninstances)
		return CF_E_ARG;
	cf_mem_free(ch->instances[pos].crit);
	close_gap(ch->instances, ch->ninstances, pos, sizeof(cf_instance));
	ch->ninstances--;
	return CF_OK;
}

int
cf_chan_add_criterion(cf_chan *ch, uint32_t instance, const cf_criterion *c)
{
	if (instance >= ch->ninstances)
		return CF_E_ARG;
	return cf_chan_insert_criterion(
	    ch, instance, ch->instances[instance].ncrit, c);
}

int
cf_chan_insert_criterion(
    cf_chan *ch, uint32_t instance, uint32_t pos, const cf_criterion *c)
{
	cf_instance *in;
	cf_criterion copy;
	int rc;

	if (instance >= ch->ninstances)
		return CF_E_ARG;
	in = &ch->instances[instance];
	if (in->ncrit >= CF_MAX_CRITERIA || pos > in->ncrit)
		return CF_E_ARG;
	copy = *c; /* before growing: c may point into in->crit */
	if ((rc = grow_pow2(
	         (void **)&in->crit, in->ncrit, sizeof(cf_criterion))) != CF_OK)
		return rc;
	open_gap(in->crit, in->ncrit, pos, sizeof(cf_criterion));
	in->crit[pos] = copy;
	in->ncrit++;
	return CF_OK;
}

int
cf_chan_remove_criterion(cf_chan *ch, uint32_t instance, uint32_t pos)
{
	cf_instance *in;

	if (instance >= ch->ninstances)
		return CF_E_ARG;
	in = &ch->instances[instance];
	if (pos >= in->ncrit)
		return CF_E_ARG;
	close_gap(in->crit, in->ncrit, pos, sizeof(cf_criterion));
	in->ncrit--;
	return CF_OK;
}

int
cf_chan_clone(const cf_chan *ch, cf_chan **out)
{
	cf_chan *c;
	int rc = CF_E_NOMEM;

	*out = NULL;
	if ((c = cf_chan_new()) == NULL)
		return CF_E_NOMEM;
	c->format_version = ch->format_version;
	c->channel = ch->channel;
	c->content_version = ch->content_version;
	c->template_type = ch->template_type;
	for (uint32_t i = 0; i < ch->nstrings; i++)
		if ((rc = cf_chan_add_string(c, ch->strings[i].data,
		         ch->strings[i].len, NULL)) != CF_OK)
			goto fail;
	for (uint32_t i = 0; i < ch->ninstances; i++) {
		const cf_instance *in = &ch->instances[i];
		if ((rc = cf_chan_add_instance(
		         c, in->id, in->action, in->flags, NULL)) != CF_OK)
			goto fail;
		for (uint16_t k = 0; k < in->ncrit; k++)
			if ((rc = cf_chan_add_criterion(c, i, &in->crit[k])) !=
			    CF_OK)
				goto fail;
	}
	*out = c;
	return CF_OK;
fail:
	cf_chan_free(c);
	return rc;
}

int
cf_chan_equal(const cf_chan *x, const cf_chan *y)
{
	if (x->format_version != y->format_version ||
	    x->channel != y->channel ||
	    x->content_version != y->content_version ||
	    x->template_type != y->template_type ||
	    x->nstrings != y->nstrings || x->ninstances != y->ninstances)
		return 0;
	for (uint32_t i = 0; i < x->nstrings; i++)
		if (x->strings[i].len != y->strings[i].len ||
		    memcmp(x->strings[i].data, y->strings[i].data,
		        x->strings[i].len) != 0)
			return 0;
	for (uint32_t i = 0; i < x->ninstances; i++) {
		const cf_instance *a = &x->instances[i], *b = &y->instances[i];
		if (a->id != b->id || a->action != b->action ||
		    a->flags != b->flags || a->ncrit != b->ncrit)
			return 0;
		for (uint16_t k = 0; k < a->ncrit; k++) {
			const cf_criterion *p = &a->crit[k], *q = &b->crit[k];
			if (p->field != q->field || p->op != q->op ||
			    p->mods != q->mods || p->str != q->str ||
			    p->a != q->a || p->b != q->b)
				return 0;
		}
	}
	return 1;
}

/* ---- parser ------------------------------------------------------------ */

/* Operand shape check shared by the parser, the writer and the validator. */
int
cf_chan_check_criterion(const cf_criterion *c, uint32_t nstrings)
{
	if (c->op >= CF_OP_COUNT)
		return CF_E_OPERATOR;
	if (c->mods & ~CF_MOD_ALL)
		return CF_E_MODIFIER;
	switch (cf_op_operand(c->op)) {
	case CF_OPND_NONE:
		if (c->str != CF_NO_STRING || c->a != 0 || c->b != 0)
			return CF_E_OPERAND;
		break;
	case CF_OPND_STR:
		if (c->a != 0 || c->b != 0)
			return CF_E_OPERAND;
		if (c->str >= nstrings)
			return CF_E_STRREF;
		break;
	case CF_OPND_INT:
		if (c->str != CF_NO_STRING || c->b != 0)
			return CF_E_OPERAND;
		break;
	case CF_OPND_RANGE:
		if (c->str != CF_NO_STRING)
			return CF_E_OPERAND;
		break;
	}
	return CF_OK;
}

static int
parse_strings(cf_chan *ch, const uint8_t *buf, cf_section s, cf_diag *d)
{
	const uint8_t *p = buf + s.off;
	uint32_t count, data_len, expect = 0;
	const uint8_t *data;
	int rc;

	if (s.len < CF_COUNT_SIZE)
		return cf_diag_set(d, CF_E_STRING_COUNT, s.off,
		    "string section of %u bytes has no room for its count",
		    s.len);
	count = cf_ld_u32le(p);
	if (count > CF_MAX_STRINGS ||
	    count > (s.len - CF_COUNT_SIZE) / CF_STRING_ENTRY_SIZE)
		return cf_diag_set(d, CF_E_STRING_COUNT, s.off,
		    "string count %u exceeds the limit %u or the section",
		    count, CF_MAX_STRINGS);
	data = p + CF_COUNT_SIZE + (size_t)count * CF_STRING_ENTRY_SIZE;
	data_len = s.len - CF_COUNT_SIZE - count * CF_STRING_ENTRY_SIZE;
	for (uint32_t i = 0; i < count; i++) {
		uint32_t eoff =
		    s.off + CF_COUNT_SIZE + i * CF_STRING_ENTRY_SIZE;
		uint32_t off = cf_ld_u32le(buf + eoff + CF_STR_OFF_OFFSET);
		uint32_t len = cf_ld_u32le(buf + eoff + CF_STR_OFF_LENGTH);

		if (len > CF_MAX_STRING_LEN)
			return cf_diag_set(d, CF_E_STRING_LEN,
			    eoff + CF_STR_OFF_LENGTH,
			    "string %u has length %u, over the limit %u", i,
			    len, CF_MAX_STRING_LEN);
		if (len > data_len || off > data_len - len)
			return cf_diag_set(d, CF_E_STRING_BOUNDS, eoff,
			    "string %u (offset %u, length %u) leaves the %u-byte string data",
			    i, off, len, data_len);
		if (off != expect)
			return cf_diag_set(d, CF_E_STRING_OVERLAP, eoff,
			    "string %u starts at %u, expected %u (strings must be contiguous and in order)",
			    i, off, expect);
		expect = off + len; /* <= data_len, checked above */
		if ((rc = cf_chan_add_string(ch, data + off, len, NULL)) !=
		    CF_OK)
			return cf_diag_set(d,
			    rc == CF_E_ARG ? CF_E_STRING_COUNT : rc, eoff,
			    "cannot store string %u", i);
	}
	if (expect != data_len)
		return cf_diag_set(d, CF_E_STRING_TRAILING,
		    s.off + (s.len - data_len) + expect,
		    "%u unused bytes after the last string", data_len - expect);
	return CF_OK;
}

static int
parse_instances(cf_chan *ch, const uint8_t *buf, cf_section s, cf_diag *d)
{
	uint32_t count, pos;
	int rc;

	if (s.len < CF_COUNT_SIZE)
		return cf_diag_set(d, CF_E_INSTANCE_COUNT, s.off,
		    "instance section of %u bytes has no room for its count",
		    s.len);
	count = cf_ld_u32le(buf + s.off);
	if (count > CF_MAX_INSTANCES ||
	    count > (s.len - CF_COUNT_SIZE) / CF_INSTANCE_HEADER_SIZE)
		return cf_diag_set(d, CF_E_INSTANCE_COUNT, s.off,
		    "instance count %u exceeds the limit %u or the section",
		    count, CF_MAX_INSTANCES);
	pos = CF_COUNT_SIZE; /* relative to the section; pos <= s.len always */
	for (uint32_t i = 0; i < count; i++) {
		const uint8_t *r = buf + s.off + pos;
		uint32_t roff = s.off + pos, idx;
		uint16_t action, flags, ncrit, reserved;

		if (s.len - pos < CF_INSTANCE_HEADER_SIZE)
			return cf_diag_set(d, CF_E_INSTANCE_TRUNCATED, roff,
			    "instance %u: record head runs past the section",
			    i);
		action = cf_ld_u16le(r + CF_INST_OFF_ACTION);
		flags = cf_ld_u16le(r + CF_INST_OFF_FLAGS);
		ncrit = cf_ld_u16le(r + CF_INST_OFF_NCRIT);
		reserved = cf_ld_u16le(r + CF_INST_OFF_RESERVED);
		if (action >= CF_ACT_COUNT)
			return cf_diag_set(d, CF_E_ACTION,
			    roff + CF_INST_OFF_ACTION,
			    "instance %u: unknown action %u", i, action);
		if ((flags & ~CF_INST_ENABLED) != 0 || reserved != 0)
			return cf_diag_set(d, CF_E_RESERVED,
			    roff + CF_INST_OFF_FLAGS,
			    "instance %u: reserved flag bits or field set", i);
		if (ncrit > CF_MAX_CRITERIA)
			return cf_diag_set(d, CF_E_CRITERION_COUNT,
			    roff + CF_INST_OFF_NCRIT,
			    "instance %u: %u criteria, over the limit %u", i,
			    ncrit, CF_MAX_CRITERIA);
		pos += CF_INSTANCE_HEADER_SIZE;
		if ((s.len - pos) / CF_CRITERION_SIZE < ncrit)
			return cf_diag_set(d, CF_E_INSTANCE_TRUNCATED, roff,
			    "instance %u: %u criteria run past the section", i,
			    ncrit);
		if ((rc = cf_chan_add_instance(ch,
		         cf_ld_u32le(r + CF_INST_OFF_ID), action, flags,
		         &idx)) != CF_OK)
			return cf_diag_set(
			    d, rc, roff, "cannot store instance %u", i);
		for (uint16_t k = 0; k < ncrit; k++) {
			const uint8_t *c = buf + s.off + pos;
			cf_criterion cr;

			cr.field = cf_ld_u16le(c + CF_CRIT_OFF_FIELD);
			cr.op = c[CF_CRIT_OFF_OP];
			cr.mods = c[CF_CRIT_OFF_MODS];
			cr.str = cf_ld_u32le(c + CF_CRIT_OFF_STR);
			cr.a = cf_ld_u64le(c + CF_CRIT_OFF_A);
			cr.b = cf_ld_u64le(c + CF_CRIT_OFF_B);
			if ((rc = cf_chan_check_criterion(&cr, ch->nstrings)) !=
			    CF_OK)
				return cf_diag_set(d, rc, s.off + pos,
				    "instance %u criterion %u: %s", i, k,
				    cf_strerror(rc));
			if ((rc = cf_chan_add_criterion(ch, idx, &cr)) != CF_OK)
				return cf_diag_set(d, rc, s.off + pos,
				    "cannot store criterion");
			pos += CF_CRITERION_SIZE;
		}
	}
	if (pos != s.len)
		return cf_diag_set(d, CF_E_INSTANCE_TRAILING, s.off + pos,
		    "%u unused bytes after the last instance", s.len - pos);
	return CF_OK;
}

cf_section
cf_chan_section_entry(const uint8_t *buf, unsigned i)
{
	const uint8_t *e = buf + CF_HEADER_SIZE + i * CF_SECTION_ENTRY_SIZE;
	cf_section s;

	s.kind = cf_ld_u16le(e + CF_SECT_OFF_KIND);
	s.reserved = cf_ld_u16le(e + CF_SECT_OFF_RESERVED);
	s.off = cf_ld_u32le(e + CF_SECT_OFF_OFFSET);
	s.len = cf_ld_u32le(e + CF_SECT_OFF_LENGTH);
	return s;
}

int
cf_chan_check_sections(
    const cf_section sec[CF_SECTION_COUNT], uint32_t total, unsigned *entry)
{
	uint32_t seen = 0;
	unsigned lo = 0, hi = 1, dummy;

	if (entry == NULL)
		entry = &dummy;
	for (unsigned i = 0; i < CF_SECTION_COUNT; i++) {
		*entry = i;
		if (sec[i].reserved != 0)
			return CF_E_RESERVED;
		if ((sec[i].kind != CF_SECT_STRINGS &&
		        sec[i].kind != CF_SECT_INSTANCES) ||
		    (seen & (1u << sec[i].kind)))
			return CF_E_SECTION_KIND;
		seen |= 1u << sec[i].kind;
		if (sec[i].off < CF_PAYLOAD_START || sec[i].len > total ||
		    sec[i].off > total - sec[i].len)
			return CF_E_SECTION_BOUNDS;
	}
	/* Both in bounds: ends cannot overflow. Order them by offset, the
	 * shorter first at equal offsets, so that the entries' order never
	 * changes the verdict (an empty section at the other's offset is then
	 * not an overlap). */
	if (sec[1].off < sec[0].off ||
	    (sec[1].off == sec[0].off && sec[1].len < sec[0].len)) {
		lo = 1;
		hi = 0;
	}
	*entry = hi;
	if (sec[lo].off + sec[lo].len > sec[hi].off)
		return CF_E_SECTION_OVERLAP;
	if (sec[lo].off != CF_PAYLOAD_START ||
	    sec[lo].off + sec[lo].len != sec[hi].off ||
	    sec[hi].off + sec[hi].len != total)
		return CF_E_SECTION_GAP;
	return CF_OK;
}

/* The section table's verdict as a diagnostic. */
static int
sections_diag(const cf_section *sec, uint32_t total, cf_diag *d)
{
	unsigned i = 0;
	int rc = cf_chan_check_sections(sec, total, &i);
	uint32_t eoff = CF_HEADER_SIZE + i * CF_SECTION_ENTRY_SIZE;
	const cf_section *hi = &sec[i], *lo = &sec[1 - i];

	switch (rc) {
	case CF_OK:
		return CF_OK;
	case CF_E_RESERVED:
		return cf_diag_set(d, rc, eoff + CF_SECT_OFF_RESERVED,
		    "section entry %u: reserved field not zero", i);
	case CF_E_SECTION_KIND:
		return cf_diag_set(d, rc, eoff + CF_SECT_OFF_KIND,
		    "section entry %u: kind %u unknown or repeated", i,
		    sec[i].kind);
	case CF_E_SECTION_BOUNDS:
		return cf_diag_set(d, rc, eoff + CF_SECT_OFF_OFFSET,
		    "section entry %u (offset %u, length %u) outside the payload [%u, %u)",
		    i, sec[i].off, sec[i].len, CF_PAYLOAD_START, total);
	case CF_E_SECTION_OVERLAP:
		return cf_diag_set(d, rc, hi->off,
		    "sections [%u,+%u) and [%u,+%u) overlap", lo->off, lo->len,
		    hi->off, hi->len);
	default:
		return cf_diag_set(d, rc, CF_PAYLOAD_START,
		    "sections do not cover the payload exactly");
	}
}

/* Header, section table and CRC: everything before the sections' contents. */
static int
parse_frame(const uint8_t *buf, size_t len, cf_chan *ch, cf_section *strs,
    cf_section *insts, cf_diag *d)
{
	uint32_t total;
	cf_section sec[CF_SECTION_COUNT];
	int rc;

	if (len < CF_MAGIC_SIZE)
		return cf_diag_set(d, CF_E_TRUNCATED, 0,
		    "%zu bytes: too short for the magic", len);
	for (unsigned i = 0; i < CF_MAGIC_SIZE; i++)
		if (buf[CF_HDR_OFF_MAGIC + i] != CF_MAGIC_BYTE)
			return cf_diag_set(d, CF_E_MAGIC, (uint32_t)i,
			    "magic is %02X %02X %02X %02X, expected AA AA AA AA",
			    buf[0], buf[1], buf[2], buf[3]);
	if (len < CF_HEADER_SIZE)
		return cf_diag_set(d, CF_E_TRUNCATED, (uint32_t)len,
		    "%zu bytes: shorter than the %u-byte header", len,
		    CF_HEADER_SIZE);
	if (len > CF_MAX_FILE_SIZE)
		return cf_diag_set(d, CF_E_TOO_LARGE, 0,
		    "%zu bytes: over the limit of %u", len, CF_MAX_FILE_SIZE);
	if (cf_ld_u16le(buf + CF_HDR_OFF_FORMAT_VERSION) != CF_FORMAT_VERSION)
		return cf_diag_set(d, CF_E_VERSION, CF_HDR_OFF_FORMAT_VERSION,
		    "format version %u, expected %u",
		    cf_ld_u16le(buf + CF_HDR_OFF_FORMAT_VERSION),
		    CF_FORMAT_VERSION);
	if (cf_ld_u16le(buf + CF_HDR_OFF_HEADER_SIZE) != CF_HEADER_SIZE)
		return cf_diag_set(d, CF_E_HEADER_SIZE, CF_HDR_OFF_HEADER_SIZE,
		    "header size %u, expected %u",
		    cf_ld_u16le(buf + CF_HDR_OFF_HEADER_SIZE), CF_HEADER_SIZE);
	total = cf_ld_u32le(buf + CF_HDR_OFF_TOTAL_LENGTH);
	if (total != len)
		return cf_diag_set(d, CF_E_TOTAL_LENGTH,
		    CF_HDR_OFF_TOTAL_LENGTH,
		    "total length %u, but the file has %zu bytes", total, len);
	if (cf_ld_u16le(buf + CF_HDR_OFF_FLAGS) != 0 ||
	    cf_ld_u32le(buf + CF_HDR_OFF_RESERVED) != 0)
		return cf_diag_set(d, CF_E_RESERVED, CF_HDR_OFF_FLAGS,
		    "reserved header fields are not zero");
	if (cf_ld_u16le(buf + CF_HDR_OFF_SECTION_COUNT) != CF_SECTION_COUNT)
		return cf_diag_set(d, CF_E_SECTION_COUNT,
		    CF_HDR_OFF_SECTION_COUNT, "section count %u, expected %u",
		    cf_ld_u16le(buf + CF_HDR_OFF_SECTION_COUNT),
		    CF_SECTION_COUNT);
	if (cf_ld_u32le(buf + CF_HDR_OFF_SECTION_TABLE) != CF_HEADER_SIZE)
		return cf_diag_set(d, CF_E_SECTION_TABLE,
		    CF_HDR_OFF_SECTION_TABLE,
		    "section table at %u, expected %u",
		    cf_ld_u32le(buf + CF_HDR_OFF_SECTION_TABLE),
		    CF_HEADER_SIZE);
	if (len < CF_PAYLOAD_START)
		return cf_diag_set(d, CF_E_TRUNCATED, (uint32_t)len,
		    "%zu bytes: shorter than header and section table", len);
#if defined(FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION) && \
    defined(CF_FUZZ_SKIP_CRC)
		/* Benchmark baseline only: docs/HARNESS.md. */
#else
	{
		uint32_t want = cf_ld_u32le(buf + CF_HDR_OFF_CRC);
		uint32_t got =
		    cf_crc32(0, buf + CF_HEADER_SIZE, len - CF_HEADER_SIZE);
		if (want != got)
			return cf_diag_set(d, CF_E_CRC, CF_HDR_OFF_CRC,
			    "payload CRC-32 is %08X, header says %08X", got,
			    want);
	}
#endif
	for (unsigned i = 0; i < CF_SECTION_COUNT; i++)
		sec[i] = cf_chan_section_entry(buf, i);
	if ((rc = sections_diag(sec, total, d)) != CF_OK)
		return rc;
	for (unsigned i = 0; i < CF_SECTION_COUNT; i++)
		*(sec[i].kind == CF_SECT_STRINGS ? strs : insts) = sec[i];
	ch->format_version = CF_FORMAT_VERSION;
	ch->channel = cf_ld_u32le(buf + CF_HDR_OFF_CHANNEL);
	ch->content_version = cf_ld_u32le(buf + CF_HDR_OFF_CONTENT_VERSION);
	ch->template_type = cf_ld_u32le(buf + CF_HDR_OFF_TEMPLATE_TYPE);
	return CF_OK;
}

int
cf_chan_parse(const uint8_t *buf, size_t len, cf_chan **out, cf_diag *d)
{
	cf_section strs = { 0, 0, 0, 0 }, insts = { 0, 0, 0, 0 };
	cf_chan *ch;
	int rc;

	*out = NULL;
	if (buf == NULL && len != 0)
		return cf_diag_set(d, CF_E_ARG, 0, "no buffer");
	if ((ch = cf_chan_new()) == NULL)
		return cf_diag_set(d, CF_E_NOMEM, 0, "out of memory");
	if ((rc = parse_frame(buf, len, ch, &strs, &insts, d)) != CF_OK ||
	    (rc = parse_strings(ch, buf, strs, d)) != CF_OK ||
	    (rc = parse_instances(ch, buf, insts, d)) != CF_OK) {
		cf_chan_free(ch);
		return rc;
	}
	*out = ch;
	return CF_OK;
}

/* ---- writer ------------------------------------------------------------ */

int
cf_chan_write(const cf_chan *ch, cf_buf *out)
{
	size_t start = out->len, str_len, inst_len;
	uint64_t data_len = 0, ninst_crit = 0;
	int rc = CF_OK;

	if (ch->nstrings > CF_MAX_STRINGS || ch->ninstances > CF_MAX_INSTANCES)
		return CF_E_ARG;
	for (uint32_t i = 0; i < ch->nstrings; i++) {
		if (ch->strings[i].len > CF_MAX_STRING_LEN)
			return CF_E_ARG;
		data_len += ch->strings[i].len;
	}
	for (uint32_t i = 0; i < ch->ninstances; i++) {
		const cf_instance *in = &ch->instances[i];
		if (in->ncrit > CF_MAX_CRITERIA || in->action >= CF_ACT_COUNT ||
		    (in->flags & ~CF_INST_ENABLED))
			return CF_E_ARG;
		for (uint16_t k = 0; k < in->ncrit; k++)
			if (cf_chan_check_criterion(
			        &in->crit[k], ch->nstrings) != CF_OK)
				return CF_E_ARG;
		ninst_crit += in->ncrit;
	}
	/* Sizes are bounded by the limits above: at most a few MiB. */
	str_len = CF_COUNT_SIZE + (size_t)ch->nstrings * CF_STRING_ENTRY_SIZE +
	    data_len;
	inst_len = CF_COUNT_SIZE +
	    (size_t)ch->ninstances * CF_INSTANCE_HEADER_SIZE +
	    ninst_crit * CF_CRITERION_SIZE;
	if (str_len + inst_len > CF_MAX_FILE_SIZE - CF_PAYLOAD_START)
		return CF_E_LIMIT;

#define W(call)                             \
	do {                                \
		if ((rc = (call)) != CF_OK) \
			goto fail;          \
	} while (0)
	for (unsigned i = 0; i < CF_MAGIC_SIZE; i++)
		W(cf_buf_u8(out, CF_MAGIC_BYTE));
	W(cf_buf_u16le(out, CF_FORMAT_VERSION));
	W(cf_buf_u16le(out, CF_HEADER_SIZE));
	W(cf_buf_u32le(out, ch->channel));
	W(cf_buf_u32le(out, ch->content_version));
	W(cf_buf_u32le(out, ch->template_type));
	W(cf_buf_u32le(out, (uint32_t)(CF_PAYLOAD_START + str_len + inst_len)));
	W(cf_buf_u32le(out, 0)); /* CRC, patched below */
	W(cf_buf_u16le(out, CF_SECTION_COUNT));
	W(cf_buf_u16le(out, 0));
	W(cf_buf_u32le(out, CF_HEADER_SIZE));
	W(cf_buf_u32le(out, 0));
	W(cf_buf_u16le(out, CF_SECT_STRINGS));
	W(cf_buf_u16le(out, 0));
	W(cf_buf_u32le(out, CF_PAYLOAD_START));
	W(cf_buf_u32le(out, (uint32_t)str_len));
	W(cf_buf_u16le(out, CF_SECT_INSTANCES));
	W(cf_buf_u16le(out, 0));
	W(cf_buf_u32le(out, (uint32_t)(CF_PAYLOAD_START + str_len)));
	W(cf_buf_u32le(out, (uint32_t)inst_len));

	W(cf_buf_u32le(out, ch->nstrings));
	{
		uint32_t off = 0;
		for (uint32_t i = 0; i < ch->nstrings; i++) {
			W(cf_buf_u32le(out, off));
			W(cf_buf_u32le(out, ch->strings[i].len));
			off += ch->strings[i].len;
		}
	}
	for (uint32_t i = 0; i < ch->nstrings; i++)
		W(cf_buf_put(out, ch->strings[i].data, ch->strings[i].len));

	W(cf_buf_u32le(out, ch->ninstances));
	for (uint32_t i = 0; i < ch->ninstances; i++) {
		const cf_instance *in = &ch->instances[i];
		W(cf_buf_u32le(out, in->id));
		W(cf_buf_u16le(out, in->action));
		W(cf_buf_u16le(out, in->flags));
		W(cf_buf_u16le(out, in->ncrit));
		W(cf_buf_u16le(out, 0));
		for (uint16_t k = 0; k < in->ncrit; k++) {
			const cf_criterion *c = &in->crit[k];
			W(cf_buf_u16le(out, c->field));
			W(cf_buf_u8(out, c->op));
			W(cf_buf_u8(out, c->mods));
			W(cf_buf_u32le(out, c->str));
			W(cf_buf_u64le(out, c->a));
			W(cf_buf_u64le(out, c->b));
		}
	}
#undef W
	cf_buf_patch_u32le(out, start + CF_HDR_OFF_CRC,
	    cf_crc32(0, out->data + start + CF_HEADER_SIZE,
	        out->len - start - CF_HEADER_SIZE));
	return CF_OK;
fail:
	out->len = start; /* leave no partial file behind */
	return rc;
}
