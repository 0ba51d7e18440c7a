/*
 * test_gate.c - the content release gate (cf_gate.h) and the checked
 * evaluation it rests on (cf_interp_run_event_obs, CF_EVAL_CHECKED).
 *
 *   1. every seed of corpus/src (or the folder given), assembled from its
 *      text: cf291-nonwildcard is rejected with one fault, on sensor 7.11,
 *      template IPC, field index 20 (rpc_binding), 20 inputs supplied;
 *      every seed the current validator accepts passes with every live
 *      criterion evaluated, matched and failed (evaluation stops at each
 *      criterion in turn); every seed marked rejected-by-current is
 *      rejected and each criterion it does not reach has a reason; the
 *      counts add up; an as-built run of accepted content counts exactly
 *      what the checked run counted;
 *   2. a table of hand-written cases: conflicts, joined values, certain
 *      unsatisfiable criteria, a field past the template, a regex that
 *      does not compile, disabled instances, unknown template, the
 *      caller's events, the choice of builds, bad options;
 *   3. the interpreter's observer API directly.
 * This binary is an ASan build: had the checked evaluation performed
 * 7.11's read past its inputs, it would abort here.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cf_gate.h"
#include "cf_mem.h"
#include "cf_test.h"
#include "cf_text.h"
#include "cf_tmpl.h"

#define MAX_SRC (1u << 20)

static cf_chan *
assemble(const char *src, const char *what)
{
	cf_chan *ch = NULL;
	cf_diag d = { 0 };
	int rc = cf_text_asm(src, strlen(src), &ch, &d);

	CF_EXPECT(rc == CF_OK, "%s: asm: %s line %u: %s", what, cf_err_name(rc),
	    d.line, d.msg);
	return ch;
}

static const cf_gate_crit *
crit_at(const cf_gate_result *r, uint32_t i, uint32_t k)
{
	return &r->crit[r->inst[i].first_crit + k];
}

/* The counts add up, per build and in total. */
static void
check_counts(const char *what, const cf_gate_result *r)
{
	for (uint32_t c = 0; c < r->ncrit; c++) {
		cf_gate_count sum = { 0 };
		const cf_gate_count *t = &r->crit[c].total;

		for (uint32_t b = 0; b < r->nbuilds; b++) {
			const cf_gate_count *x = &r->count[c * r->nbuilds + b];
			CF_EXPECT(x->evaluated ==
			            x->matched + x->failed + x->refused &&
			        x->faults <= x->refused,
			    "%s: criterion #%u build %u: counts do not add up",
			    what, c, b);
			sum.evaluated += x->evaluated;
			sum.faults += x->faults;
		}
		CF_EXPECT(
		    sum.evaluated == t->evaluated && sum.faults == t->faults,
		    "%s: criterion #%u: total differs from the builds'", what,
		    c);
	}
}

/* 1 when the two results counted the same on every criterion and build. */
static int
same_counts(const cf_gate_result *x, const cf_gate_result *y)
{
	if (x->ncrit != y->ncrit || x->nbuilds != y->nbuilds)
		return 0;
	for (size_t c = 0; c < (size_t)x->ncrit * x->nbuilds; c++)
		if (memcmp(&x->count[c], &y->count[c], sizeof(x->count[c])))
			return 0;
	return 1;
}

static char *
read_text(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	size_t n;

	if (f == NULL)
		return NULL;
	if ((buf = cf_mem_alloc(MAX_SRC + 1)) == NULL) {
		fclose(f);
		return NULL;
	}
	n = fread(buf, 1, MAX_SRC, f);
	fclose(f);
	buf[n] = '\0';
	return buf;
}

static void
check_cf291(const char *what, const cf_chan *ch, const cf_gate_result *r)
{
	const cf_gate_fault *x = r->nkept ? &r->faults[0] : NULL;

	CF_EXPECT(r->verdict == CF_E_REJECTED, "%s: not rejected", what);
	CF_EXPECT_EQ(r->nfaults, 1, "cf291-nonwildcard fault sites");
	if (x == NULL)
		return;
	CF_EXPECT(strcmp(r->builds[x->build].build->name, "7.11") == 0,
	    "%s: fault on sensor %s, want 7.11", what,
	    r->builds[x->build].build->name);
	CF_EXPECT(r->tmpl != NULL && strcmp(r->tmpl->name, "IPC") == 0,
	    "%s: template", what);
	CF_EXPECT_EQ(x->field, 20, "cf291 fault field index");
	CF_EXPECT(strcmp(r->tmpl->fields[x->field].name, "rpc_binding") == 0,
	    "%s: field name", what);
	CF_EXPECT_EQ(x->supplied, 20, "cf291 inputs supplied");
	CF_EXPECT_EQ(x->instance_id, 291005, "cf291 instance id");
	CF_EXPECT_EQ(x->criterion, 2, "cf291 criterion");
	/* The event that reaches it holds what the criteria before want. */
	CF_EXPECT(x->event.tmpl_id == CF_TMPL_IPC &&
	        x->event.values[14].len == 8 &&
	        memcmp(x->event.values[14].v.s, "ncacn_np", 8) == 0,
	    "%s: the fault's event lacks protocol=ncacn_np", what);
	CF_EXPECT(strstr(x->label, "instance 291005") != NULL, "%s: label '%s'",
	    what, x->label);
	/* The validator says the same. */
	CF_EXPECT(r->val_rc == CF_E_REJECTED && r->val.nstored >= 1 &&
	        r->val.p[0].code == CF_E_FIELD_UNSUPPLIED,
	    "%s: validator", what);
	(void)ch;
}

static void
check_seed(const char *dir, const char *name, unsigned *seeds)
{
	char path[1024];
	char *src;
	cf_chan *ch;
	cf_gate_result *r = NULL, *r2 = NULL;
	int rejected, rc;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((src = read_text(path)) == NULL) {
		CF_EXPECT(0, "%s: cannot read", path);
		return;
	}
	rejected = strstr(src, "expect: rejected-by-current") != NULL;
	ch = assemble(src, path);
	cf_mem_free(src);
	if (ch == NULL)
		return;
	(*seeds)++;
	rc = cf_gate_run(ch, NULL, &r);
	CF_EXPECT(r != NULL, "%s: gate: %s", path, cf_err_name(rc));
	if (r == NULL)
		goto out;
	check_counts(path, r);
	if (strcmp(name, "cf291-nonwildcard.cft") == 0) {
		check_cf291(path, ch, r);
		CF_EXPECT(r->reached == r->live, "%s: coverage %u of %u", path,
		    r->reached, r->live);
	} else if (rejected) {
		CF_EXPECT(rc == CF_E_REJECTED && r->nfaults == 0,
		    "%s: want rejected by the validator alone: %s, %u faults",
		    path, cf_err_name(rc), r->nfaults);
		for (uint32_t i = 0; i < r->ninstances; i++)
			for (uint32_t k = 0; k < ch->instances[i].ncrit; k++) {
				const cf_gate_crit *gc = crit_at(r, i, k);
				CF_EXPECT(
				    r->inst[i].state == CF_GATE_OFF_FLAG ||
				        gc->total.evaluated > 0 ||
				        gc->unreached != CF_GATE_REACHED,
				    "%s: instance %u criterion %u: unreached "
				    "without a reason",
				    path, i, k);
			}
	} else {
		CF_EXPECT(rc == CF_OK && r->nfaults == 0 && r->unsat == 0 &&
		        r->bad_regex == 0,
		    "%s: want a pass: %s, %u faults, %u unsat", path,
		    cf_err_name(rc), r->nfaults, r->unsat);
		CF_EXPECT(r->reached == r->live, "%s: coverage %u of %u", path,
		    r->reached, r->live);
		/* Every non-wildcard live criterion matched, and failed
		 * unless nothing can make it fail where it stands. */
		for (uint32_t i = 0; i < r->ninstances; i++) {
			if (r->inst[i].state != CF_GATE_LIVE)
				continue;
			for (uint32_t k = 0; k < ch->instances[i].ncrit; k++) {
				const cf_gate_count *t =
				    &crit_at(r, i, k)->total;
				if (ch->instances[i].crit[k].op ==
				    CF_OP_WILDCARD)
					continue;
				CF_EXPECT(t->matched > 0 &&
				        (t->failed > 0 ||
				            crit_at(r, i, k)->never_fails),
				    "%s: instance %u criterion %u: matched "
				    "%llu, failed %llu",
				    path, ch->instances[i].id, k,
				    (unsigned long long)t->matched,
				    (unsigned long long)t->failed);
			}
		}
		/* As built (reads unchecked, under ASan here) counts the
		 * same as checked: the check changes nothing it accepts. */
		cf_gate_opts o = { NULL, 0, NULL, CF_GATE_AS_BUILT };
		rc = cf_gate_run(ch, &o, &r2);
		CF_EXPECT(rc == CF_OK && r2 != NULL && same_counts(r, r2),
		    "%s: as-built run differs from the checked run", path);
	}
out:
	cf_gate_free(r);
	cf_gate_free(r2);
	cf_chan_free(ch);
}

static int
by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static void
test_seeds(const char *dir)
{
	struct dirent **ents;
	unsigned seeds = 0;
	int n = scandir(dir, &ents, NULL, by_name);

	CF_EXPECT(n > 0, "%s: no seeds", dir);
	for (int e = 0; e < n; e++) {
		size_t len = strlen(ents[e]->d_name);
		if (len > 4 && strcmp(ents[e]->d_name + len - 4, ".cft") == 0)
			check_seed(dir, ents[e]->d_name, &seeds);
		free(ents[e]); /* allocated by libc: scandir(3) */
	}
	if (n > 0)
		free(ents); /* allocated by libc: scandir(3) */
	CF_EXPECT(seeds >= 40, "%s: only %u seeds", dir, seeds);
}

/* ---- hand-written cases ----------------------------------------------- */

static cf_gate_result *
gate_src(const char *src, const cf_gate_opts *o, cf_chan **chp)
{
	cf_gate_result *r = NULL;
	cf_chan *ch = assemble(src, src);

	if (ch != NULL)
		cf_gate_run(ch, o, &r);
	CF_EXPECT(r != NULL, "gate failed on:\n%s", src);
	if (r != NULL)
		check_counts(src, r);
	*chp = ch;
	return r;
}

#define HDR_IPC "channel 291\ncontent-version 1\ntemplate IPC\n"
#define HDR_PROC "channel 262\ncontent-version 1\ntemplate ProcessCreate\n"

static void
test_unsat(void)
{
	static const struct {
		const char *src;
		int32_t unsat; /* criterion, -1: satisfiable */
		uint32_t why;
		int32_t with;
	} rows[] = {
		/* two EQUALS on one field: a conflict with criterion 0 */
		{ HDR_IPC "instance 1 detect\n"
		          "  field pipe_name equals \"a\"\n"
		          "  field pipe_name equals \"b\"\n"
		          "  field protocol equals \"x\"\n",
		    1, CF_GATE_UNSAT_CONFLICT, 0 },
		/* prefix and suffix on one field: the joined value holds */
		{ HDR_IPC "instance 1 detect\n"
		          "  field client_image prefix \"C:\\\\\" icase\n"
		          "  field client_image suffix \".exe\"\n"
		          "  field client_image contains \"temp\"\n",
		    -1, 0, -1 },
		/* a prefix and its negation: a conflict */
		{ HDR_IPC "instance 1 detect\n"
		          "  field pipe_name prefix \"ab\"\n"
		          "  field pipe_name prefix \"a\" not\n",
		    1, CF_GATE_UNSAT_CONFLICT, 0 },
		/* certain reasons, each on its own */
		{ HDR_IPC "instance 1 detect\n  field pipe_name contains \"\" "
		          "not\n",
		    0, CF_GATE_UNSAT_ALWAYS, -1 },
		{ HDR_IPC
		    "instance 1 detect\n  field session_id int-range 5 3\n",
		    0, CF_GATE_UNSAT_RANGE, -1 },
		{ HDR_IPC
		    "instance 1 detect\n  field access_mask flags-any 0\n",
		    0, CF_GATE_UNSAT_MASK, -1 },
		{ HDR_IPC "instance 1 detect\n  field client_pid regex \"1\"\n",
		    0, CF_GATE_UNSAT_TYPE, -1 },
		{ HDR_IPC "instance 1 detect\n"
		          "  field session_id int-range 0 0xFFFFFFFFFFFFFFFF "
		          "not\n",
		    0, CF_GATE_UNSAT_ALWAYS, -1 },
		/* a regex that matches nothing */
		{ HDR_IPC
		    "instance 1 detect\n  field pipe_name regex \"a^b\"\n",
		    0, CF_GATE_UNSAT_NOVALUE, -1 },
		/* negated, a type mismatch always holds: satisfiable */
		{ HDR_IPC "instance 1 detect\n  field client_pid regex \"1\" "
		          "not\n  field session_id int-eq 7\n",
		    -1, 0, -1 },
	};

	for (size_t n = 0; n < sizeof(rows) / sizeof(rows[0]); n++) {
		cf_chan *ch;
		cf_gate_result *r = gate_src(rows[n].src, NULL, &ch);

		if (r == NULL)
			continue;
		CF_EXPECT(r->inst[0].unsat == rows[n].unsat &&
		        (rows[n].unsat < 0 ||
		            r->inst[0].unsat_why == rows[n].why),
		    "row %zu: unsat %d (%s), want %d (%s)", n, r->inst[0].unsat,
		    cf_gate_unsat_text(r->inst[0].unsat_why), rows[n].unsat,
		    cf_gate_unsat_text(rows[n].why));
		CF_EXPECT_EQ(r->inst[0].unsat_with, rows[n].with, "unsat_with");
		CF_EXPECT_EQ(r->unsat, rows[n].unsat >= 0, "unsat count");
		/* The blocking criterion itself is reached; what follows it
		 * is not, and says why. */
		if (rows[n].unsat >= 0) {
			uint32_t u = (uint32_t)rows[n].unsat;
			CF_EXPECT(crit_at(r, 0, u)->total.evaluated > 0,
			    "row %zu: blocker not evaluated", n);
			for (uint32_t k = u + 1; k < ch->instances[0].ncrit;
			     k++)
				CF_EXPECT(crit_at(r, 0, k)->unreached ==
				            CF_GATE_WHY_UNSAT &&
				        crit_at(r, 0, k)->blocker == u,
				    "row %zu: criterion %u reason", n, k);
			CF_EXPECT_EQ(r->inst[0].hits, 0, "unsat instance hits");
		} else {
			CF_EXPECT(r->reached == r->live && r->inst[0].hits > 0,
			    "row %zu: satisfiable instance: %u of %u, %llu "
			    "hits",
			    n, r->reached, r->live,
			    (unsigned long long)r->inst[0].hits);
		}
		cf_gate_free(r);
		cf_chan_free(ch);
	}
}

static void
test_states(void)
{
	cf_chan *ch;
	cf_gate_result *r;
	const char *src =
	    HDR_IPC "instance 1 detect\n"
	            "  field pipe_name regex \"(a\"\n" /* does not compile */
	            "  field protocol equals \"x\"\n"
	            "instance 2 detect disabled\n" /* flag off */
	            "  field pipe_name equals \"y\"\n"
	            "instance 3 detect\n" /* past the template */
	            "  field pipe_name prefix \"p\"\n"
	            "  field 25 equals \"q\"\n"
	            "  field protocol equals \"r\"\n"
	            "instance 4 log\n"; /* no criteria */

	if ((r = gate_src(src, NULL, &ch)) == NULL)
		return;
	CF_EXPECT(r->inst[0].state == CF_GATE_OFF_REGEX &&
	        r->inst[0].bad_regex == 0 &&
	        r->inst[0].bad_regex_code == CF_E_RE_SYNTAX,
	    "bad regex: state %u criterion %d %s", r->inst[0].state,
	    r->inst[0].bad_regex, cf_err_name(r->inst[0].bad_regex_code));
	CF_EXPECT(crit_at(r, 0, 1)->unreached == CF_GATE_WHY_BAD_REGEX,
	    "bad regex: reason");
	CF_EXPECT_EQ(r->bad_regex, 1, "instances disabled by a regex");
	CF_EXPECT(r->inst[1].state == CF_GATE_OFF_FLAG &&
	        crit_at(r, 1, 0)->total.evaluated == 0,
	    "disabled instance evaluated");
	/* live: 2 + 3 criteria (instance 2 is off by its flag) */
	CF_EXPECT_EQ(r->live, 5, "live criteria");
	CF_EXPECT_EQ(r->reached, 2, "reached criteria");
	/* Field index 25: a fault on 7.11 (no check), never performed; 7.16
	 * disables the instance when it compiles it. */
	CF_EXPECT_EQ(r->nfaults, 1, "field 25 fault sites");
	if (r->nkept == 1) {
		const cf_gate_fault *x = &r->faults[0];
		CF_EXPECT(x->field == 25 && x->supplied == 20 &&
		        x->instance_id == 3 && x->criterion == 1 &&
		        strcmp(r->builds[x->build].build->name, "7.11") == 0,
		    "field 25 fault: build %s field %u supplied %u",
		    r->builds[x->build].build->name, x->field, x->supplied);
	}
	CF_EXPECT(crit_at(r, 2, 2)->unreached == CF_GATE_WHY_REFUSED &&
	        crit_at(r, 2, 2)->blocker == 1,
	    "after the refused read: reason %u blocker %u",
	    crit_at(r, 2, 2)->unreached, crit_at(r, 2, 2)->blocker);
	CF_EXPECT(
	    r->inst[3].hits > 0, "instance with no criteria never matched");
	CF_EXPECT(r->verdict == CF_E_REJECTED, "verdict");
	cf_gate_free(r);
	cf_chan_free(ch);

	/* An unknown template: nothing runs it; the validator says why. */
	if ((r = gate_src("channel 1\ncontent-version 1\ntemplate 9\n"
	                  "instance 1 detect\n  field 0 equals \"a\"\n",
	         NULL, &ch)) == NULL)
		return;
	CF_EXPECT(r->tmpl == NULL && r->verdict == CF_E_REJECTED &&
	        r->val.p[0].code == CF_E_TEMPLATE_UNKNOWN &&
	        r->inst[0].state == CF_GATE_UNKNOWN &&
	        crit_at(r, 0, 0)->unreached == CF_GATE_WHY_NO_BUILD,
	    "unknown template");
	for (uint32_t b = 0; b < r->nbuilds; b++)
		CF_EXPECT(r->builds[b].compile_rc == CF_E_TEMPLATE_UNKNOWN,
		    "unknown template ran on a build");
	cf_gate_free(r);
	cf_chan_free(ch);
}

static void
test_options(void)
{
	const char *src = HDR_IPC "instance 7 detect\n"
	                          "  field pipe_name equals \"abc\"\n"
	                          "  field rpc_binding equals \"z\"\n";
	const char *events = "event IPC \"hit\"\n  pipe_name \"abc\"\n"
	                     "event IPC \"miss\"\n  pipe_name \"zzz\"\n"
	                     "event ProcessCreate \"other\"\n";
	const cf_build *only716[] = { cf_build_by_name("7.16") };
	cf_gate_result *r0, *r1;
	cf_event_list *list = NULL;
	cf_chan *ch;
	int rc;

	if ((r0 = gate_src(src, NULL, &ch)) == NULL)
		return;
	CF_EXPECT(r0->nbuilds == cf_build_count() && r0->nfaults == 1,
	    "all builds: %u builds, %u faults", r0->nbuilds, r0->nfaults);
	/* The caller's events: two of IPC run on every instance, one of
	 * another type is counted and skipped. */
	rc = cf_event_parse(events, strlen(events), &list, NULL);
	CF_EXPECT(rc == CF_OK, "events parse");
	{
		cf_gate_opts o = { NULL, 0, list, 0 };
		rc = cf_gate_run(ch, &o, &r1);
		CF_EXPECT(r1 != NULL && r1->ev_user == 2 && r1->ev_skipped == 1,
		    "user events counted");
		/* "hit" satisfies criterion 0 and reaches rpc_binding: one
		 * more fault event on 7.11; "miss" stops at criterion 0 */
		if (r1 != NULL) {
			const cf_gate_count *a = &crit_at(r0, 0, 0)->total;
			const cf_gate_count *b = &crit_at(r1, 0, 0)->total;
			CF_EXPECT(b->matched == a->matched + 2 &&
			        b->failed == a->failed + 2,
			    "user events on criterion 0: matched %llu -> %llu",
			    (unsigned long long)a->matched,
			    (unsigned long long)b->matched);
			CF_EXPECT(crit_at(r1, 0, 1)->total.faults ==
			        crit_at(r0, 0, 1)->total.faults + 1,
			    "user event reaching the fault");
		}
		cf_gate_free(r1);
	}
	/* Only 7.16: the content is safe there (the validator still
	 * rejects it for 7.11). */
	{
		cf_gate_opts o = { only716, 1, NULL, 0 };
		rc = cf_gate_run(ch, &o, &r1);
		CF_EXPECT(rc == CF_E_REJECTED && r1 != NULL &&
		        r1->nbuilds == 1 && r1->nfaults == 0 &&
		        r1->val_rc == CF_E_REJECTED,
		    "7.16 only");
		cf_gate_free(r1);
	}
	/* Bad options. */
	{
		cf_gate_opts none = { only716, 0, NULL, 0 };
		cf_gate_opts flags = { NULL, 0, NULL, 0x80 };
		const cf_build *nul[] = { NULL };
		cf_gate_opts nulb = { nul, 1, NULL, 0 };
		CF_EXPECT_EQ(cf_gate_run(ch, &none, &r1), CF_E_ARG, "0 builds");
		CF_EXPECT(r1 == NULL, "no result on error");
		CF_EXPECT_EQ(cf_gate_run(ch, &flags, &r1), CF_E_ARG, "flags");
		CF_EXPECT_EQ(
		    cf_gate_run(ch, &nulb, &r1), CF_E_ARG, "NULL build");
		CF_EXPECT_EQ(cf_gate_run(NULL, NULL, &r1), CF_E_ARG, "no file");
	}
	cf_event_list_free(list);
	cf_gate_free(r0);
	cf_chan_free(ch);
}

/* ---- the observer API -------------------------------------------------- */

struct seen {
	unsigned oob, faults, crit, refused;
	cf_oob_read last;
};

static int
obs_oob(void *ctx, const cf_oob_read *o)
{
	struct seen *s = ctx;
	s->oob++;
	s->faults += o->fault;
	s->last = *o;
	return 0; /* as built: the read happens */
}

static void
obs_crit(void *ctx, uint32_t i, uint32_t k, int result)
{
	struct seen *s = ctx;
	(void)i;
	(void)k;
	s->crit++;
	s->refused += result == CF_CRIT_REFUSED;
}

static void
test_observer(void)
{
	const char *src = HDR_IPC "instance 9 detect\n"
	                          "  field pipe_name prefix \"a\"\n"
	                          "  field rpc_binding equals \"b\"\n";
	cf_chan *ch = assemble(src, "observer");
	cf_program *p711 = NULL;
	cf_event ev;
	cf_value v = { CF_VT_STR, 2, { .s = (const uint8_t *)"ab" } };
	int r = -1;

	if (ch == NULL)
		return;
	CF_EXPECT(cf_interp_compile(
	              ch, cf_build_by_name("7.11"), &p711, NULL, NULL) == CF_OK,
	    "compile 7.11");
	memset(&ev, 0, sizeof(ev));
	ev.name = "e";
	ev.tmpl_id = CF_TMPL_IPC;
	ev.nvalues = 21;
	for (uint32_t f = 0; f < 21; f++) {
		ev.values[f].type = CF_VT_STR;
		ev.values[f].v.s = (const uint8_t *)"";
	}
	ev.values[3].type = ev.values[4].type = ev.values[7].type =
	    ev.values[8].type = ev.values[9].type = ev.values[12].type =
	        ev.values[13].type = CF_VT_INT;
	ev.values[0] = v;
	{
		struct seen s = { 0 };
		cf_eval_obs o = { CF_EVAL_CHECKED, obs_crit, obs_oob, &s };
		cf_eval_stats st = { 0 };
		int rc = cf_interp_run_event_obs(
		    p711, &ev, CF_INTERP_ALL, &o, NULL, NULL, &st);
		CF_EXPECT(rc == CF_OK && s.oob == 1 && s.faults == 1 &&
		        s.crit == 2 && s.refused == 1 &&
		        st.checked_refused == 1 && st.bounds_refused == 0,
		    "checked 7.11: oob %u faults %u crit %u refused %u", s.oob,
		    s.faults, s.crit, s.refused);
		CF_EXPECT(s.last.field == 20 && s.last.supplied == 20 &&
		        s.last.instance == 0 && s.last.instance_id == 9 &&
		        s.last.criterion == 1,
		    "the refused read's place");
		CF_EXPECT_EQ(
		    cf_interp_run_event_obs(p711, &ev, 1, &o, NULL, NULL, NULL),
		    CF_E_ARG, "instance out of range");
	}
	CF_EXPECT(
	    cf_interp_criterion_test(p711, 0, 0, &v, &r) == CF_OK && r == 1,
	    "criterion test: prefix a on ab");
	v.v.s = (const uint8_t *)"ba";
	CF_EXPECT(
	    cf_interp_criterion_test(p711, 0, 0, &v, &r) == CF_OK && r == 0,
	    "criterion test: prefix a on ba");
	CF_EXPECT_EQ(cf_interp_criterion_test(p711, 0, 2, &v, &r), CF_E_ARG,
	    "criterion out of range");
	CF_EXPECT_EQ(cf_interp_criterion_test(p711, 1, 0, &v, &r), CF_E_ARG,
	    "instance out of range");
	cf_interp_free(p711);
	cf_chan_free(ch);
}

int
main(int argc, char **argv)
{
	test_seeds(argc > 1 ? argv[1] : "corpus/src");
	test_unsat();
	test_states();
	test_options();
	test_observer();
	return cf_test_finish("test_gate");
}
