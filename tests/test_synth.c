/*
 * test_synth.c - synthesised events (cf_synth.h) and regex examples
 * (cf_re_example): over every seed in a directory (build/corpus), each
 * enabled instance whose criteria test distinct fields and that build
 * 7.16 compiles must be matched by the event synthesised for it - the
 * property the release gate and the fuzz targets rely on to reach every
 * criterion.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cf_build.h"
#include "cf_interp.h"
#include "cf_re.h"
#include "cf_synth.h"
#include "cf_test.h"
#include "cf_val.h"

struct hits {
	uint32_t want;
	int seen;
};

static void
on_hit(void *ctx, const cf_hit *h)
{
	struct hits *w = ctx;
	if (h->instance_index == w->want)
		w->seen = 1;
}

/* 1 when no two non-wildcard criteria of the instance test one field. */
static int
distinct_fields(const cf_instance *in)
{
	for (uint16_t i = 0; i < in->ncrit; i++)
		for (uint16_t k = i + 1; k < in->ncrit; k++)
			if (in->crit[i].op != CF_OP_WILDCARD &&
			    in->crit[k].op != CF_OP_WILDCARD &&
			    in->crit[i].field == in->crit[k].field)
				return 0;
	return 1;
}

/* 1 when a and b hold the same values (strings compared by content). */
static int
same_event(const cf_event *a, const cf_event *b)
{
	if (a->tmpl_id != b->tmpl_id || a->nvalues != b->nvalues)
		return 0;
	for (uint32_t f = 0; f < a->nvalues; f++) {
		const cf_value *x = &a->values[f], *y = &b->values[f];
		if (x->type != y->type)
			return 0;
		if (x->type == CF_VT_INT && x->v.u != y->v.u)
			return 0;
		if (x->type == CF_VT_STR &&
		    (x->len != y->len ||
		        (x->len && memcmp(x->v.s, y->v.s, x->len) != 0)))
			return 0;
	}
	return 1;
}

static void
check_file(
    const char *path, unsigned *instances, unsigned *checked, unsigned *reused)
{
	static uint8_t buf[1 << 20];
	static cf_val_report rep;
	const cf_build *b = cf_build_by_name("7.16");
	cf_chan *ch = NULL;
	cf_program *p = NULL;
	cf_synth *s, *s2;
	size_t n;
	FILE *f = fopen(path, "rb");

	if (f == NULL)
		return;
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	if (cf_chan_parse(buf, n, &ch, NULL) != CF_OK)
		return;
	/* Content the current validator rejects may be contradictory
	 * (inverted ranges, empty operands): only accepted files count. */
	if (cf_val_check(ch, CF_VAL_CURRENT, &rep) != CF_OK ||
	    cf_interp_compile(ch, b, &p, NULL, NULL) != CF_OK) {
		cf_chan_free(ch);
		return;
	}
	s = cf_synth_new(ch);
	s2 = cf_synth_new(ch);
	CF_EXPECT(s != NULL && s2 != NULL, "cf_synth_new");
	for (uint32_t i = 0; s && s2 && i < ch->ninstances; i++) {
		const cf_instance *in = &ch->instances[i];
		const cf_re *const *re = cf_interp_regexes(p, i);
		struct hits w = { i, 0 };
		cf_eval_stats st = { 0 };
		cf_event ev, ev2;
		int rc = cf_synth_event(s, ch, i, &ev);

		(*instances)++;
		CF_EXPECT(rc == CF_OK, "%s: synth instance %u: %s", path, i,
		    cf_err_name(rc));
		/* The interpreter's compiled regexes give the same event as
		 * compiling them again (what the fuzz targets rely on). */
		CF_EXPECT(cf_interp_enabled(p, i)
		        ? (re != NULL || in->ncrit == 0)
		        : re == NULL,
		    "%s: instance %u: regexes %s for an %s instance", path, i,
		    re ? "given" : "missing",
		    cf_interp_enabled(p, i) ? "enabled" : "disabled");
		if (re != NULL) {
			int rc2 = cf_synth_event_re(s2, ch, i, re, &ev2);
			(*reused)++;
			CF_EXPECT(
			    rc2 == rc && (rc != CF_OK || same_event(&ev, &ev2)),
			    "%s: instance %u: event with the interpreter's regexes differs",
			    path, i);
		}
		if (rc != CF_OK || !(in->flags & CF_INST_ENABLED) ||
		    !distinct_fields(in))
			continue;
		rc = cf_interp_run_event(p, &ev, on_hit, &w, &st);
		/* Instances the build disabled (a regex over the limits) are
		 * not evaluated; the others must match their own event. */
		if (st.instances == 0)
			continue;
		(*checked)++;
		CF_EXPECT(rc == CF_OK && w.seen,
		    "%s: instance %u (id %u) not matched by its own event",
		    path, i, in->id);
	}
	cf_synth_free(s);
	cf_synth_free(s2);
	cf_interp_free(p);
	cf_chan_free(ch);
}

static const struct {
	const char *pattern;
	int found; /* 1 when an example must be found */
} examples[] = {
	{ "abc", 1 },
	{ "^ncacn_np:.*\\[\\\\pipe\\\\[a-z]+\\]$", 1 },
	{ "(a|b)*c{2,3}d+", 1 },
	{ "[^a-z]\\d\\w\\s", 1 },
	{ "x{200}", 1 },
	{ "x{1000}", 0 }, /* longer than the 256-byte buffer below */
	{ "(a*)*b", 1 },
	{ "^$", 1 },
	{ "", 1 },
	{ "a$b", 0 }, /* cannot match anything */
	{ "a^", 0 },
};

int
main(int argc, char **argv)
{
	unsigned instances = 0, checked = 0, reused = 0;
	uint8_t out[256];

	for (size_t i = 0; i < sizeof(examples) / sizeof(examples[0]); i++) {
		cf_re *re = NULL;
		size_t n = 0;
		int m = 0, rc;
		const char *pat = examples[i].pattern;

		rc = cf_re_compile(
		    (const uint8_t *)pat, strlen(pat), 0, &re, NULL);
		if (rc != CF_OK) {
			CF_EXPECT(!examples[i].found, "%s compiles", pat);
			continue;
		}
		rc = cf_re_example(re, out, sizeof(out), &n);
		CF_EXPECT((rc == CF_OK) == examples[i].found,
		    "example for %s: %s", pat, cf_err_name(rc));
		if (rc == CF_OK)
			CF_EXPECT(
			    cf_re_exec(re, out, n, &m, NULL, NULL) == CF_OK &&
			        m,
			    "example for %s matches", pat);
		/* Too small a buffer is CF_E_LIMIT, never an overrun. */
		if (examples[i].found && n > 0)
			CF_EXPECT(
			    cf_re_example(re, out, n - 1, &n) == CF_E_LIMIT,
			    "example for %s in %zu bytes", pat, n - 1);
		cf_re_free(re);
	}
	if (argc == 2) {
		DIR *d = opendir(argv[1]);
		struct dirent *e;
		char path[4096];

		CF_EXPECT(d != NULL, "open %s", argv[1]);
		while (d && (e = readdir(d)) != NULL) {
			size_t l = strlen(e->d_name);
			if (l < 4 || strcmp(e->d_name + l - 3, ".cf") != 0)
				continue;
			snprintf(
			    path, sizeof(path), "%s/%s", argv[1], e->d_name);
			check_file(path, &instances, &checked, &reused);
		}
		if (d)
			closedir(d);
		printf(
		    "synth: %u instances synthesised, %u checked for a match, %u with the interpreter's regexes\n",
		    instances, checked, reused);
		CF_EXPECT(checked >= 100, "at least 100 instances checked (%u)",
		    checked);
		CF_EXPECT(reused >= 100,
		    "at least 100 events with the interpreter's regexes (%u)",
		    reused);
	}
	return cf_test_finish("synth");
}
