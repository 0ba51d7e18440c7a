/*
 * harness.c - the input layout and build runner shared by the fuzz
 * targets (harness.h). Nothing here keeps state between inputs.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cf_synth.h"
#include "harness.h"

size_t
cf_h_file_len(const uint8_t *data, size_t size)
{
	uint32_t total;

	if (size < CF_HEADER_SIZE)
		return size;
	total = cf_ld_u32le(data + 20);
	return (total >= CF_HEADER_SIZE && total <= size) ? total : size;
}

int
cf_h_tail_event(const cf_tmpl *t, const uint8_t *tail, size_t ntail, unsigned k,
    cf_event *ev)
{
	size_t pos = 0;

	memset(ev, 0, sizeof(*ev));
	ev->name = "trailing";
	ev->tmpl_id = t->id;
	ev->nvalues = t->nfields;
	/* Skip the k events before this one, field by field. */
	for (unsigned e = 0; e <= k; e++) {
		if (pos >= ntail)
			return 0;
		for (uint32_t f = 0; f < t->nfields; f++) {
			size_t n = pos < ntail ? tail[pos] : 0;
			cf_value *v = &ev->values[f];

			if (pos < ntail)
				pos++;
			if (n > ntail - pos)
				n = ntail - pos;
			if (t->fields[f].type == CF_FT_STR) {
				v->type = CF_VT_STR;
				v->len = (uint32_t)n;
				v->v.s = tail + pos;
			} else {
				v->type = CF_VT_INT;
				v->v.u = 0;
				for (size_t i = 0; i < n && i < 8; i++)
					v->v.u |= (uint64_t)tail[pos + i]
					    << (8 * i);
			}
			pos += n;
		}
	}
	return 1;
}

int
cf_h_run_build(const cf_chan *ch, const cf_build *b, const uint8_t *tail,
    size_t ntail, cf_eval_stats *st)
{
	cf_program *p = NULL;
	cf_synth *syn = NULL;
	cf_event ev;
	int rc;

	rc = cf_interp_compile(ch, b, &p, NULL, NULL);
	if (rc != CF_OK)
		return rc == CF_E_NOMEM ? rc : CF_OK;
	if ((syn = cf_synth_new(ch)) == NULL) {
		rc = CF_E_NOMEM;
		goto out;
	}
	for (uint32_t i = 0; i < ch->ninstances && i < CF_H_MAX_SYNTH_EVENTS;
	     i++) {
		/* A disabled instance evaluates nothing: no event. The
		 * interpreter's compiled regexes serve the synthesis too. */
		if (!cf_interp_enabled(p, i))
			continue;
		if ((rc = cf_synth_event_re(
		         syn, ch, i, cf_interp_regexes(p, i), &ev)) != CF_OK)
			goto out;
		/* Its own instance only: the event is made to reach every
		 * criterion of instance i; other instances see the tail. */
		if ((rc = cf_interp_run_event_on(p, &ev, i, NULL, NULL, st)) !=
		    CF_OK)
			goto out;
	}
	for (unsigned k = 0; k < CF_H_MAX_TAIL_EVENTS; k++) {
		if (!cf_h_tail_event(cf_interp_tmpl(p), tail, ntail, k, &ev))
			break;
		if ((rc = cf_interp_run_event(p, &ev, NULL, NULL, st)) != CF_OK)
			goto out;
	}
	rc = CF_OK;
out:
	cf_synth_free(syn);
	cf_interp_free(p);
	return rc;
}

void
cf_h_fail(const char *target, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "chanfuzz-harness: %s: invariant broken: ", target);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	fflush(stderr);
	abort();
}
