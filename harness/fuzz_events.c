/*
 * fuzz_events - the events file parser on arbitrary bytes: the untrusted
 * input `cftool run --events` and `cftool gate --events` read
 * (docs/FORMAT.md 8).
 *
 * Oracle: whatever parses is a list of well-formed events - each of a
 * template type that exists, with exactly one value per field the template
 * declares, each value of its field's type, every string within the
 * string limit and inside the list's own storage - and every event runs on
 * every sensor build without a fault (a build with the runtime bounds
 * check on the whole content of a seed, the others on it too but only
 * through wildcard criteria, which read nothing: the events file is not
 * what this target looks for CF-291 in). Bad input must be refused with an
 * error, never a fault.
 */
#include <string.h>

#include "cf_chan.h"
#include "cf_event.h"
#include "cf_interp.h"
#include "cf_tmpl.h"
#include "harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* One value: its type fits its field's, a string lies inside the pool. */
static void
check_value(
    const cf_event_list *l, const cf_event *ev, const cf_tmpl *t, uint32_t f)
{
	const cf_value *v = &ev->values[f];

	if (t->fields[f].type == CF_FT_STR) {
		if (v->type != CF_VT_STR)
			cf_h_fail("fuzz_events",
			    "string field %u holds type %u", f, v->type);
		if (v->len > CF_MAX_STRING_LEN)
			cf_h_fail("fuzz_events", "string of %u bytes", v->len);
		if (v->len > 0 &&
		    (l->pool == NULL || v->v.s < l->pool ||
		        v->v.s + v->len < v->v.s))
			cf_h_fail("fuzz_events",
			    "string value outside the list's storage");
	} else if (v->type != CF_VT_INT) {
		cf_h_fail("fuzz_events", "integer field %u holds type %u", f,
		    v->type);
	}
}

/* A program of template t on build b whose criteria read nothing (on a
 * build without the runtime check) or everything (with it). */
static void
run_event(const cf_event *ev, const cf_tmpl *t)
{
	for (size_t i = 0; i < cf_build_count(); i++) {
		const cf_build *b = cf_build_at(i);
		int checked = (b->checks & CF_CHECK_RUNTIME_BOUNDS) != 0;
		cf_chan *ch = cf_chan_new();
		cf_program *p = NULL;
		uint32_t idx;
		int rc;

		if (ch == NULL)
			return;
		ch->channel = t->channel;
		ch->content_version = 1;
		ch->template_type = t->id;
		if (cf_chan_add_instance(
		        ch, 1, CF_ACT_DETECT, CF_INST_ENABLED, &idx) != CF_OK)
			goto next;
		for (uint32_t f = 0; f < t->nfields && f < CF_MAX_CRITERIA;
		     f++) {
			cf_criterion c = { (uint16_t)f,
				checked ? CF_OP_INT_EQ : CF_OP_WILDCARD, 0,
				CF_NO_STRING, 0, 0 };
			if (checked && t->fields[f].type == CF_FT_STR) {
				c.op = CF_OP_CONTAINS;
				if (cf_chan_add_string(ch, (const uint8_t *)"a",
				        1, &c.str) != CF_OK)
					goto next;
			}
			if (cf_chan_add_criterion(ch, idx, &c) != CF_OK)
				goto next;
		}
		if (cf_interp_compile(ch, b, &p, NULL, NULL) == CF_OK) {
			rc = cf_interp_run_event(p, ev, NULL, NULL, NULL);
			if (rc != CF_OK && rc != CF_E_NOMEM)
				cf_h_fail("fuzz_events",
				    "build %s: evaluation failed: %s", b->name,
				    cf_err_name(rc));
		}
	next:
		cf_interp_free(p);
		cf_chan_free(ch);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cf_event_list *l = NULL;
	cf_diag d;

	if (cf_event_parse((const char *)data, size, &l, &d) != CF_OK)
		return 0;
	if (l->count > CF_MAX_EVENTS)
		cf_h_fail("fuzz_events", "%u events, over the limit", l->count);
	for (uint32_t i = 0; i < l->count; i++) {
		const cf_event *ev = &l->events[i];
		const cf_tmpl *t = cf_tmpl_by_id(ev->tmpl_id);

		if (t == NULL)
			cf_h_fail("fuzz_events", "event of template type %u",
			    ev->tmpl_id);
		if (ev->nvalues != t->nfields)
			cf_h_fail("fuzz_events",
			    "%u values for the %u fields of %s", ev->nvalues,
			    t->nfields, t->name);
		if (ev->name == NULL)
			cf_h_fail("fuzz_events", "event without a name");
		for (uint32_t f = 0; f < t->nfields; f++)
			check_value(l, ev, t, f);
		run_event(ev, t);
	}
	cf_event_list_free(l);
	return 0;
}
