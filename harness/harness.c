/*
 * harness.c - the input layout and build runner shared by the fuzz
 * targets (harness.h). Nothing here keeps state between inputs except the
 * known root causes: a list loaded once from the environment and the
 * counters of the reads it refused, which never change what a target does.
 */
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <bsd/string.h>

#include "cf_synth.h"
#include "harness.h"

size_t
cf_h_file_len(const uint8_t *data, size_t size)
{
	uint32_t total;

	if (size < CF_HEADER_SIZE)
		return size;
	total = cf_ld_u32le(data + CF_HDR_OFF_TOTAL_LENGTH);
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

void
cf_h_root_cause(char *buf, size_t n, const char *oracle, const cf_oob_read *r)
{
	uint32_t declared = r->tmpl->nfields;

	if (r->field >= declared)
		snprintf(buf, n, "%s/%s/%s/undeclared", oracle, r->build->name,
		    r->tmpl->name);
	else if (declared - r->supplied == 1)
		snprintf(buf, n, "%s/%s/%s/unsupplied/%u", oracle,
		    r->build->name, r->tmpl->name, r->supplied);
	else
		snprintf(buf, n, "%s/%s/%s/unsupplied/%u-%u", oracle,
		    r->build->name, r->tmpl->name, r->supplied, declared - 1);
}

/* The known root causes and their refusal counters (harness.h). */
#define KNOWN_MAX 64u
static struct {
	int loaded;
	unsigned n;
	char key[KNOWN_MAX][CF_H_ROOT_CAUSE_MAX];
	unsigned long long hits[KNOWN_MAX]; /* since the last flush */
	int announced[KNOWN_MAX];
	time_t flushed;
} known;

void
cf_h_known_flush(void)
{
	const char *path = getenv("CF_KNOWN_HITS");
	char line[CF_H_ROOT_CAUSE_MAX + 32];
	int fd;

	if (path == NULL || *path == '\0')
		return;
	if ((fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644)) <
	    0)
		return;
	for (unsigned i = 0; i < known.n; i++) {
		int len;
		if (known.hits[i] == 0)
			continue;
		len = snprintf(line, sizeof(line), "%s\t%llu\n", known.key[i],
		    known.hits[i]);
		/* One write per line: O_APPEND keeps lines of several
		 * processes whole. */
		if (len > 0 && (size_t)len < sizeof(line) &&
		    write(fd, line, (size_t)len) == len)
			known.hits[i] = 0;
	}
	close(fd);
}

static void
known_load(void)
{
	const char *path = getenv("CF_KNOWN_FAULTS");
	char line[512];
	FILE *f;

	known.loaded = 1;
	if (path == NULL || *path == '\0')
		return;
	if ((f = fopen(path, "r")) == NULL) {
		fprintf(stderr,
		    "chanfuzz-known: %s: cannot read: nothing is "
		    "suppressed\n",
		    path);
		return;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		size_t len = strcspn(line, "\r\n");
		line[len] = '\0';
		if (len == 0 || line[0] == '#')
			continue;
		if (len >= CF_H_ROOT_CAUSE_MAX || known.n == KNOWN_MAX) {
			fprintf(stderr, "chanfuzz-known: %s: skipped '%s'\n",
			    path, line);
			continue;
		}
		strlcpy(known.key[known.n++], line, CF_H_ROOT_CAUSE_MAX);
	}
	fclose(f);
	if (known.n > 0)
		atexit(cf_h_known_flush);
}

static int
known_index(const char *key)
{
	if (!known.loaded)
		known_load();
	for (unsigned i = 0; i < known.n; i++)
		if (strcmp(known.key[i], key) == 0)
			return (int)i;
	return -1;
}

int
cf_h_known_has(const char *key)
{
	return known_index(key) >= 0;
}

void
cf_h_known_hit(const char *key)
{
	int i = known_index(key), first;
	time_t now;

	if (i < 0)
		return;
	known.hits[i]++;
	if ((first = !known.announced[i]) != 0) {
		known.announced[i] = 1;
		fprintf(stderr,
		    "chanfuzz-known: %s is a known root cause: its reads are "
		    "refused and counted, not reported\n",
		    known.key[i]);
	}
	/* The first refusal is written at once: a count is never lost. */
	now = time(NULL);
	if (first || now != known.flushed) {
		known.flushed = now;
		cf_h_known_flush();
	}
}

/* The observer of one run (cf_eval_obs.oob). */
static int
run_oob(void *ctx, const cf_oob_read *r)
{
	cf_h_run *run = ctx;
	char key[CF_H_ROOT_CAUSE_MAX];

	if (!r->fault) {
		if (!run->have_checked) {
			run->have_checked = 1;
			run->checked = *r;
		}
		return 1;
	}
	cf_h_root_cause(key, sizeof(key), run->oracle, r);
	if (!cf_h_known_has(key))
		return 0;
	cf_h_known_hit(key);
	return 1;
}

int
cf_h_run_build(cf_h_run *run, const cf_chan *ch, const cf_build *b,
    const uint8_t *tail, size_t ntail, cf_eval_stats *st)
{
	cf_program *p = NULL;
	cf_synth *syn = NULL;
	cf_eval_obs obs = { 0, NULL, run_oob, run };
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
		if ((rc = cf_interp_run_event_obs(
		         p, &ev, i, &obs, NULL, NULL, st)) != CF_OK)
			goto out;
	}
	for (unsigned k = 0; k < CF_H_MAX_TAIL_EVENTS; k++) {
		if (!cf_h_tail_event(cf_interp_tmpl(p), tail, ntail, k, &ev))
			break;
		if ((rc = cf_interp_run_event_obs(
		         p, &ev, CF_INTERP_ALL, &obs, NULL, NULL, st)) != CF_OK)
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
