/*
 * cftool - the developer's command-line tool for channel files.
 *
 *   cftool asm SRC -o OUT            text form -> binary (atomic write)
 *   cftool dump FILE                 binary -> text form, strings escaped
 *   cftool validate [--validator 2024|current] FILE
 *   cftool run --sensor BUILD FILE [--events EVENTS]
 *   cftool types [--markdown | --json]
 *   cftool gate FILE... [--sensors all|LIST] [--json] [--events EVENTS]
 *               [--as-built]
 *
 * All file I/O of the project's model lives here; the library works on
 * memory buffers only. Exit codes are documented in docs/FORMAT.md
 * section 9 and in usage().
 */
#include <bsd/stdlib.h>
#include <bsd/string.h>
/* The NetBSD strn*vis prototypes; also silences a #warning in the header. */
#define LIBBSD_NETBSD_VIS
#include <bsd/vis.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cf_build.h"
#include "cf_chan.h"
#include "cf_event.h"
#include "cf_gate.h"
#include "cf_interp.h"
#include "cf_limits.h"
#include "cf_mem.h"
#include "cf_text.h"
#include "cf_tmpl.h"
#include "cf_val.h"

/* The exit codes (docs/FORMAT.md section 9). Not EX_*: <sysexits.h> uses
 * those names for other values (CFT_EXIT_USAGE is 64 there). */
enum {
	CFT_EXIT_OK = 0,
	CFT_EXIT_REJECTED = 1,
	CFT_EXIT_USAGE = 2,
	CFT_EXIT_IO = 3,
	CFT_EXIT_BADINPUT = 4,
	CFT_EXIT_INTERNAL = 5
};

/* Text sources may be larger than a binary file: a dump escapes bytes. */
#define MAX_TEXT_FILE (CF_MAX_OUTPUT)

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: %s COMMAND [ARGS]\n"
	    "  asm SRC -o OUT                      compile text form to a channel file\n"
	    "  dump FILE                           print a channel file as text form\n"
	    "  validate [--validator 2024|current] FILE\n"
	    "                                      run a Content Validator (default: current)\n"
	    "  run --sensor BUILD FILE [--events EVENTS]\n"
	    "                                      evaluate events on a sensor build\n"
	    "  types [--markdown | --json]         list template types and sensor builds\n"
	    "  gate FILE... [--sensors all|LIST] [--json] [--events EVENTS]\n"
	    "       [--as-built]                   the release gate: validator, and\n"
	    "                                      synthesised events on every build\n"
	    "exit: 0 ok, 1 rejected, 2 usage, 3 I/O error, 4 bad input, 5 internal\n",
	    getprogname());
}

static int
usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "%s: ", getprogname());
	fprintf(stderr, fmt, arg);
	fprintf(stderr, " (try '%s --help')\n", getprogname());
	return CFT_EXIT_USAGE;
}

/* Read a whole file, refusing more than max bytes; or, when more is not
 * NULL, read its first max bytes at most and set *more when it holds more
 * than that. On failure why gets "PATH: reason" and the exit code is
 * returned. */
static int
read_file_why(const char *path, size_t max, uint8_t **out, size_t *outlen,
    int *more, char *why, size_t whysz)
{
	FILE *f;
	uint8_t *buf;
	size_t len = 0;
	struct stat st;

	*out = NULL;
	if ((f = fopen(path, "rb")) == NULL) {
		snprintf(why, whysz, "%s: %s", path, strerror(errno));
		return CFT_EXIT_IO;
	}
	if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
		snprintf(why, whysz, "%s: is a directory", path);
		fclose(f);
		return CFT_EXIT_IO;
	}
	/* One byte more than allowed, to tell "too large" from "exactly max".
	 */
	if ((buf = cf_mem_alloc(max + 1)) == NULL) {
		snprintf(why, whysz, "%s: out of memory", path);
		fclose(f);
		return CFT_EXIT_INTERNAL;
	}
	len = fread(buf, 1, max + 1, f);
	if (ferror(f)) {
		snprintf(why, whysz, "%s: read error", path);
		fclose(f);
		cf_mem_free(buf);
		return CFT_EXIT_IO;
	}
	fclose(f);
	if (len > max && more != NULL) {
		*more = 1;
		len = max;
	} else if (len > max) {
		snprintf(why, whysz, "%s: larger than the limit of %zu bytes",
		    path, max);
		cf_mem_free(buf);
		return CFT_EXIT_BADINPUT;
	}
	*out = buf;
	*outlen = len;
	return CFT_EXIT_OK;
}

/* read_file_why, the reason printed on stderr. */
static int
read_file(
    const char *path, size_t max, uint8_t **out, size_t *outlen, int *more)
{
	char why[4200];
	int ex = read_file_why(path, max, out, outlen, more, why, sizeof(why));

	if (ex != CFT_EXIT_OK)
		fprintf(stderr, "%s: %s\n", getprogname(), why);
	return ex;
}

/* Write atomically: a temporary file beside the target, then rename. */
static int
write_file_atomic(const char *path, const uint8_t *data, size_t len)
{
	char tmp[4096];
	int fd;
	size_t done = 0;

	if (strlcpy(tmp, path, sizeof(tmp)) >= sizeof(tmp) ||
	    strlcat(tmp, ".tmpXXXXXX", sizeof(tmp)) >= sizeof(tmp)) {
		fprintf(stderr, "%s: %s: path too long\n", getprogname(), path);
		return CFT_EXIT_IO;
	}
	if ((fd = mkstemp(tmp)) < 0) {
		fprintf(stderr, "%s: %s: %s\n", getprogname(), tmp,
		    strerror(errno));
		return CFT_EXIT_IO;
	}
	while (done < len) {
		ssize_t n = write(fd, data + done, len - done);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		done += (size_t)n;
	}
	if (fchmod(fd, 0644) != 0 || fsync(fd) != 0)
		goto fail;
	if (close(fd) != 0) {
		fd = -1;
		goto fail;
	}
	if (rename(tmp, path) != 0) {
		fd = -1;
		goto fail;
	}
	return CFT_EXIT_OK;
fail:
	fprintf(stderr, "%s: %s: %s\n", getprogname(), path, strerror(errno));
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	return CFT_EXIT_IO;
}

static void
print_diag(const char *path, int rc, const cf_diag *d, int text)
{
	if (text && d->line)
		fprintf(stderr, "%s: %s:%u: %s (%d): %s\n", getprogname(), path,
		    d->line, cf_err_name(rc), rc, d->msg);
	else
		fprintf(stderr, "%s: %s: %s (%d) at offset %u: %s\n",
		    getprogname(), path, cf_err_name(rc), rc, d->offset,
		    d->msg[0] ? d->msg : cf_strerror(rc));
}

static int
exit_for(int rc)
{
	return rc == CF_E_NOMEM ? CFT_EXIT_INTERNAL : CFT_EXIT_BADINPUT;
}

/* Load and parse a binary channel file. */
static int
load_chan(const char *path, cf_chan **out)
{
	uint8_t *buf;
	size_t len;
	cf_diag d = { 0 };
	int ex, rc, more = 0;

	/* A file over the limit is judged by the parser as any other
	 * (FORMAT.md 1.1: the magic first, then CF_E_TOO_LARGE), from its
	 * first CF_MAX_FILE_SIZE + 1 bytes: no later byte can change that. */
	if ((ex = read_file(path, CF_MAX_FILE_SIZE + 1, &buf, &len, &more)) !=
	    CFT_EXIT_OK)
		return ex;
	rc = cf_chan_parse(buf, len, out, &d);
	cf_mem_free(buf);
	if (rc == CF_E_TOO_LARGE && more)
		snprintf(d.msg, sizeof(d.msg),
		    "more than %zu bytes: over the limit of %u", len,
		    (unsigned)CF_MAX_FILE_SIZE);
	if (rc != CF_OK) {
		print_diag(path, rc, &d, 0);
		return exit_for(rc);
	}
	return CFT_EXIT_OK;
}

/* Read and parse an events file. */
static int
load_events(const char *path, cf_event_list **out)
{
	uint8_t *src;
	size_t len;
	cf_diag d = { 0 };
	int ex, rc;

	*out = NULL;
	if ((ex = read_file(path, MAX_TEXT_FILE, &src, &len, NULL)) !=
	    CFT_EXIT_OK)
		return ex;
	rc = cf_event_parse((const char *)src, len, out, &d);
	cf_mem_free(src);
	if (rc != CF_OK) {
		print_diag(path, rc, &d, 1);
		return exit_for(rc);
	}
	return CFT_EXIT_OK;
}

static int
cmd_asm(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' }, { NULL, 0, NULL, 0 }
	};
	const char *outpath = NULL;
	uint8_t *src;
	size_t len;
	cf_chan *ch = NULL;
	cf_diag d = { 0 };
	cf_buf out;
	int c, ex, rc;

	while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
		if (c == 'o')
			outpath = optarg;
		else
			return usage_error(
			    "asm: unknown option %s", argv[optind - 1]);
	}
	if (optind != argc - 1 || outpath == NULL)
		return usage_error("%s", "asm needs SRC and -o OUT");
	if ((ex = read_file(argv[optind], MAX_TEXT_FILE, &src, &len, NULL)) !=
	    CFT_EXIT_OK)
		return ex;
	rc = cf_text_asm((const char *)src, len, &ch, &d);
	cf_mem_free(src);
	if (rc != CF_OK) {
		print_diag(argv[optind], rc, &d, 1);
		return exit_for(rc);
	}
	cf_buf_init(&out, CF_MAX_FILE_SIZE);
	rc = cf_chan_write(ch, &out);
	cf_chan_free(ch);
	if (rc != CF_OK) {
		fprintf(stderr, "%s: %s: cannot encode: %s (%d)\n",
		    getprogname(), argv[optind], cf_err_name(rc), rc);
		cf_buf_free(&out);
		return exit_for(rc);
	}
	ex = write_file_atomic(outpath, out.data, out.len);
	cf_buf_free(&out);
	return ex;
}

static int
cmd_dump(int argc, char **argv)
{
	cf_chan *ch;
	cf_buf out;
	int ex, rc;

	if (argc != 2 || argv[1][0] == '-')
		return usage_error("%s", "dump needs exactly one FILE");
	if ((ex = load_chan(argv[1], &ch)) != CFT_EXIT_OK)
		return ex;
	cf_buf_init(&out, 0);
	rc = cf_text_dump(ch, &out);
	cf_chan_free(ch);
	if (rc == CF_OK && fwrite(out.data, 1, out.len, stdout) != out.len)
		rc = CF_E_LIMIT;
	cf_buf_free(&out);
	if (rc != CF_OK) {
		fprintf(stderr, "%s: %s: dump failed: %s\n", getprogname(),
		    argv[1], cf_strerror(rc));
		return CFT_EXIT_INTERNAL;
	}
	return CFT_EXIT_OK;
}

static int
cmd_validate(int argc, char **argv)
{
	static const struct option opts[] = { { "validator", required_argument,
		                                  NULL, 'v' },
		{ NULL, 0, NULL, 0 } };
	cf_val_version v = CF_VAL_CURRENT;
	cf_val_report *rep;
	cf_chan *ch;
	int c, ex, rc;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c != 'v')
			return usage_error(
			    "validate: unknown option %s", argv[optind - 1]);
		if ((v = cf_val_by_name(optarg)) == 0)
			return usage_error(
			    "unknown validator '%s' (2024 or current)", optarg);
	}
	if (optind != argc - 1)
		return usage_error("%s", "validate needs exactly one FILE");
	if ((ex = load_chan(argv[optind], &ch)) != CFT_EXIT_OK)
		return ex;
	if ((rep = cf_mem_alloc(sizeof(*rep))) == NULL) {
		cf_chan_free(ch);
		return CFT_EXIT_INTERNAL;
	}
	rc = cf_val_check(ch, v, rep);
	if (rc == CF_OK) {
		printf("%s: accepted by the %s validator (%u instances)\n",
		    argv[optind], cf_val_name(v), ch->ninstances);
		ex = CFT_EXIT_OK;
	} else if (rc == CF_E_REJECTED) {
		for (uint32_t i = 0; i < rep->nstored; i++) {
			const cf_val_problem *p = &rep->p[i];
			printf("%s: rejected: ", argv[optind]);
			if (p->instance >= 0)
				printf("instance %u (#%d) ", p->instance_id,
				    p->instance);
			if (p->criterion >= 0)
				printf("criterion %d ", p->criterion);
			if (p->field >= 0)
				printf("field %d ", p->field);
			printf("%s: %s\n", cf_err_name(p->code), p->why);
		}
		if (rep->nproblems > rep->nstored)
			printf("%s: rejected: %u more problems not shown\n",
			    argv[optind], rep->nproblems - rep->nstored);
		printf("%s: rejected by the %s validator: %u problem%s\n",
		    argv[optind], cf_val_name(v), rep->nproblems,
		    rep->nproblems == 1 ? "" : "s");
		ex = CFT_EXIT_REJECTED;
	} else {
		fprintf(stderr, "%s: %s: %s\n", getprogname(), argv[optind],
		    cf_strerror(rc));
		ex = CFT_EXIT_INTERNAL;
	}
	cf_mem_free(rep);
	cf_chan_free(ch);
	return ex;
}

struct run_ctx {
	const cf_event *ev;
	unsigned long hits;
};

static void
on_hit(void *ctx, const cf_hit *h)
{
	struct run_ctx *r = ctx;
	r->hits++;
	printf("match: event=%s instance=%u action=%s\n", r->ev->name,
	    h->instance_id, cf_action_name(h->action));
	/* Flushed at once: a fault later in the same event must not lose it. */
	fflush(stdout);
}

static int
cmd_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "sensor", required_argument, NULL, 's' },
		{ "events", required_argument, NULL, 'e' }, { NULL, 0, NULL, 0 }
	};
	const char *sensor = NULL, *events = NULL;
	const cf_build *b;
	cf_event_list *list = NULL;
	cf_program *p = NULL;
	cf_compile_stats cs;
	cf_eval_stats es = { 0 };
	struct run_ctx r = { NULL, 0 };
	cf_chan *ch = NULL;
	cf_diag d = { 0 };
	size_t nev;
	int c, ex, rc;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 's')
			sensor = optarg;
		else if (c == 'e')
			events = optarg;
		else
			return usage_error(
			    "run: unknown option %s", argv[optind - 1]);
	}
	if (optind != argc - 1 || sensor == NULL)
		return usage_error(
		    "%s", "run needs --sensor BUILD and one FILE");
	if ((b = cf_build_by_name(sensor)) == NULL) {
		fprintf(stderr,
		    "%s: unknown sensor build '%s'; known:", getprogname(),
		    sensor);
		for (size_t i = 0; i < cf_build_count(); i++)
			fprintf(stderr, " %s", cf_build_at(i)->name);
		fputc('\n', stderr);
		return CFT_EXIT_USAGE;
	}
	if (events != NULL && (ex = load_events(events, &list)) != CFT_EXIT_OK)
		return ex;
	if ((ex = load_chan(argv[optind], &ch)) != CFT_EXIT_OK)
		goto out;
	if ((rc = cf_interp_compile(ch, b, &p, &cs, &d)) != CF_OK) {
		print_diag(argv[optind], rc, &d, 0);
		ex = exit_for(rc);
		goto out;
	}
	printf(
	    "sensor %s: %s, %u of %u inputs supplied; %u instances, %u enabled (%u disabled by flag, %u by regex, %u by field check)\n",
	    b->name, cf_interp_tmpl(p)->name, cf_interp_supplied(p),
	    cf_interp_tmpl(p)->nfields, cs.instances, cs.enabled,
	    cs.disabled_flag, cs.rejected_regex, cs.rejected_fields);
	fflush(stdout); /* a fault below must not lose what was printed */
	nev = list ? list->count : cf_event_sample_count();
	for (size_t i = 0; i < nev; i++) {
		r.ev = list ? &list->events[i] : cf_event_sample_at(i);
		rc = cf_interp_run_event(p, r.ev, on_hit, &r, &es);
		fflush(stdout);
		if (rc != CF_OK) {
			fprintf(stderr, "%s: event %s: %s\n", getprogname(),
			    r.ev->name, cf_strerror(rc));
			ex = exit_for(rc);
			goto out;
		}
	}
	printf(
	    "%zu events, %lu matches; %llu criteria evaluated, %llu inputs read, %llu reads refused by the bounds check\n",
	    nev, r.hits, (unsigned long long)es.criteria,
	    (unsigned long long)es.inputs_read,
	    (unsigned long long)es.bounds_refused);
	ex = CFT_EXIT_OK;
out:
	cf_interp_free(p);
	cf_chan_free(ch);
	cf_event_list_free(list);
	return ex;
}

/* s as a JSON string: quotes and backslashes escaped, bytes outside
 * printable ASCII as \u00XX. */
static void
json_str(const char *s)
{
	putchar('"');
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20 || c > 0x7e)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

/* The template and build tables as one JSON object (scripts read names
 * from here rather than re-deriving them): {"templates": [{"id", "name",
 * "channel", "fields": [{"index", "name", "type"}]}], "builds": [{"name",
 * "summary", "checks": [...], "supplied": {"<template>": n}}]}. */
static int
types_json(void)
{
	printf("{\"templates\": [");
	for (size_t i = 0; i < cf_tmpl_count(); i++) {
		const cf_tmpl *t = cf_tmpl_at(i);
		printf("%s\n  {\"id\": %u, \"name\": ", i ? "," : "", t->id);
		json_str(t->name);
		printf(", \"channel\": %u, \"fields\": [", t->channel);
		for (uint32_t f = 0; f < t->nfields; f++) {
			printf(
			    "%s{\"index\": %u, \"name\": ", f ? ", " : "", f);
			json_str(t->fields[f].name);
			printf(", \"type\": ");
			json_str(cf_ftype_name(t->fields[f].type));
			putchar('}');
		}
		printf("]}");
	}
	printf("\n], \"builds\": [");
	for (size_t i = 0; i < cf_build_count(); i++) {
		const cf_build *b = cf_build_at(i);
		printf("%s\n  {\"name\": ", i ? "," : "");
		json_str(b->name);
		printf(", \"summary\": ");
		json_str(b->summary);
		printf(", \"checks\": [%s%s%s], \"supplied\": {",
		    (b->checks & CF_CHECK_COMPILE_FIELDS) ? "\"compile-fields\""
		                                          : "",
		    b->checks ==
		            (CF_CHECK_COMPILE_FIELDS | CF_CHECK_RUNTIME_BOUNDS)
		        ? ", "
		        : "",
		    (b->checks & CF_CHECK_RUNTIME_BOUNDS) ? "\"runtime-bounds\""
		                                          : "");
		for (size_t k = 0; k < cf_tmpl_count(); k++) {
			const cf_tmpl *t = cf_tmpl_at(k);
			printf("%s", k ? ", " : "");
			json_str(t->name);
			printf(": %u", cf_build_supplied(b, t->id));
		}
		printf("}}");
	}
	printf("\n]}\n");
	return fflush(stdout) == 0 ? CFT_EXIT_OK : CFT_EXIT_IO;
}

static int
cmd_types(int argc, char **argv)
{
	int md = 0;

	if (argc > 2)
		return usage_error(
		    "types: unexpected argument %s (one of --markdown and --json)",
		    argv[2]);
	if (argc == 2 && strcmp(argv[1], "--json") == 0)
		return types_json();
	if (argc == 2 && strcmp(argv[1], "--markdown") == 0)
		md = 1;
	else if (argc != 1)
		return usage_error("types: unexpected argument %s", argv[1]);
	if (md)
		printf(
		    "| id | template type | channel | fields (index name:type) |\n| --- | --- | --- | --- |\n");
	for (size_t i = 0; i < cf_tmpl_count(); i++) {
		const cf_tmpl *t = cf_tmpl_at(i);
		if (md)
			printf("| %u | %s | %u | ", t->id, t->name, t->channel);
		else
			printf("template %u %s (channel %u), %u fields:\n",
			    t->id, t->name, t->channel, t->nfields);
		for (uint32_t f = 0; f < t->nfields; f++) {
			if (md)
				printf("%s%u %s:%s", f ? ", " : "", f,
				    t->fields[f].name,
				    cf_ftype_name(t->fields[f].type));
			else
				printf("  %2u %-20s %s\n", f, t->fields[f].name,
				    cf_ftype_name(t->fields[f].type));
		}
		if (md)
			printf(" |\n");
	}
	if (md) {
		printf("\n| build |");
		for (size_t i = 0; i < cf_tmpl_count(); i++)
			printf(" %s |", cf_tmpl_at(i)->name);
		printf(" checks |\n| --- |");
		for (size_t i = 0; i <= cf_tmpl_count(); i++)
			printf(" --- |");
		printf("\n");
	} else {
		printf(
		    "\nsensor builds (inputs supplied per template type):\n");
	}
	for (size_t i = 0; i < cf_build_count(); i++) {
		const cf_build *b = cf_build_at(i);
		printf(md ? "| %s |" : "  %-6s", b->name);
		for (size_t k = 0; k < cf_tmpl_count(); k++) {
			const cf_tmpl *t = cf_tmpl_at(k);
			if (md)
				printf(" %u / %u |",
				    cf_build_supplied(b, t->id), t->nfields);
			else
				printf(" %s=%u/%u", t->name,
				    cf_build_supplied(b, t->id), t->nfields);
		}
		printf(md ? " %s%s%s |\n" : "  checks: %s%s%s\n",
		    (b->checks & CF_CHECK_COMPILE_FIELDS) ? "compile-fields"
		                                          : "",
		    b->checks ==
		            (CF_CHECK_COMPILE_FIELDS | CF_CHECK_RUNTIME_BOUNDS)
		        ? " "
		        : "",
		    (b->checks & CF_CHECK_RUNTIME_BOUNDS)
		        ? "runtime-bounds"
		        : (b->checks ? "" : "none"));
		if (!md)
			printf("         %s\n", b->summary);
	}
	return CFT_EXIT_OK;
}

/* ---- gate: the release gate (cf_gate.h); this file only prints ---- */

/* As the text form escapes strings (docs/FORMAT.md 7.1), so that any byte
 * of a value or label prints as ASCII. */
#define GATE_VIS_FLAGS \
	(VIS_CSTYLE | VIS_OCTAL | VIS_TAB | VIS_NL | VIS_DQ | VIS_NOLOCALE)
/* Bytes of a value shown in a text line (all of it in JSON). */
#define GATE_SHOW_BYTES 64u

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CFTOOL_CHECKED_BUILD 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(CF_GUARD)
#define CFTOOL_CHECKED_BUILD 1
#endif

/* p[0..n) escaped, in a new string (NULL when out of memory). A copy with
 * a NUL after it: strnvisx looks one byte ahead (see text.c). */
static char *
vis_dup(const uint8_t *p, size_t n)
{
	char *in, *out;

	if (n > (SIZE_MAX - 1) / 4)
		return NULL;
	if ((in = cf_mem_alloc(n + 1)) == NULL)
		return NULL;
	if ((out = cf_mem_alloc(4 * n + 1)) == NULL) {
		cf_mem_free(in);
		return NULL;
	}
	if (n > 0)
		memcpy(in, p, n);
	in[n] = '\0';
	if (strnvisx(out, 4 * n + 1, in, n, GATE_VIS_FLAGS) < 0)
		out[0] = '\0';
	cf_mem_free(in);
	return out;
}

/* Print p[0..n) escaped, at most max bytes of it. */
static void
print_vis(const uint8_t *p, size_t n, size_t max)
{
	char *v = vis_dup(p, n < max ? n : max);

	fputs(v ? v : "?", stdout);
	if (n > max)
		printf("...(%zu bytes)", n);
	cf_mem_free(v);
}

/* A JSON string of untrusted bytes, in the text form's escaping. */
static void
json_vis(const uint8_t *p, size_t n)
{
	char *v = vis_dup(p, n);
	json_str(v ? v : "");
	cf_mem_free(v);
}

static void
field_text(const cf_tmpl *t, uint32_t f)
{
	if (t != NULL && f < t->nfields)
		printf("field %u (index %u, %s)", f + 1, f, t->fields[f].name);
	else
		printf("field %u (index %u, past the template's %u fields)",
		    f + 1, f, t ? t->nfields : 0);
}

/* The values of an event that are not empty / 0. */
static void
event_text(const cf_tmpl *t, const cf_gate_fault *x)
{
	const cf_event *ev = &x->event;
	int any = 0;

	if (x->user_event)
		printf("event %u \"", x->user_event);
	else
		printf("event \"");
	print_vis((const uint8_t *)x->label, strlen(x->label), 200);
	printf("\" {");
	for (uint32_t f = 0; f < ev->nvalues && t && f < t->nfields; f++) {
		const cf_value *v = &ev->values[f];
		if (v->type == CF_VT_STR ? x->orig_len[f] == 0 : v->v.u == 0)
			continue;
		printf("%s%s=", any ? ", " : "", t->fields[f].name);
		any = 1;
		if (v->type == CF_VT_STR) {
			putchar('"');
			print_vis(v->v.s, v->len, GATE_SHOW_BYTES);
			if (v->len < x->orig_len[f] &&
			    v->len <= GATE_SHOW_BYTES)
				printf("...(%u bytes)", x->orig_len[f]);
			putchar('"');
		} else {
			printf("0x%llx", (unsigned long long)v->v.u);
		}
	}
	printf("%s}", any ? "" : "every field empty or 0");
}

static const char *
state_name(unsigned s)
{
	static const char *const n[] = { "live", "disabled-flag",
		"disabled-regex", "unknown-template" };
	return s < sizeof(n) / sizeof(n[0]) ? n[s] : "?";
}

static const char *
plural(uint64_t n)
{
	return n == 1 ? "" : "s";
}

static double
pct(uint32_t part, uint32_t whole)
{
	return whole ? 100.0 * part / whole : 100.0;
}

struct gate_totals {
	unsigned files, passed, rejected, errors;
	uint64_t live, reached, faults, warnings;
};

static unsigned
gate_warnings(const cf_gate_result *r)
{
	unsigned n = r->unsat + r->bad_regex;
	return n + (r->live - r->reached);
}

static void
gate_text(
    const char *path, const cf_chan *ch, const cf_gate_result *r, double secs)
{
	const cf_tmpl *t = r->tmpl;
	unsigned fbuilds = 0;

	if (r->val_rc == CF_OK)
		printf("%s: validator: accepted (current)\n", path);
	for (uint32_t i = 0; i < r->val.nstored; i++) {
		const cf_val_problem *p = &r->val.p[i];
		printf("%s: REJECTED: validator: ", path);
		if (p->instance >= 0)
			printf(
			    "instance %u (#%d) ", p->instance_id, p->instance);
		if (p->criterion >= 0)
			printf("criterion %d ", p->criterion);
		if (p->field >= 0)
			printf("field %d ", p->field);
		printf("%s: %s\n", cf_err_name(p->code), p->why);
	}
	if (r->val.nproblems > r->val.nstored)
		printf("%s: REJECTED: validator: %u more problems not shown\n",
		    path, r->val.nproblems - r->val.nstored);
	for (uint32_t k = 0; k < r->nkept; k++) {
		const cf_gate_fault *x = &r->faults[k];
		printf("%s: FAULT: sensor %s, template %s, instance %u (#%u), "
		       "criterion %u, ",
		    path, r->builds[x->build].build->name, t ? t->name : "?",
		    x->instance_id, x->instance, x->criterion);
		field_text(t, x->field);
		printf(", %u inputs supplied: %s: ", x->supplied,
		    cf_err_name(CF_E_INPUT_BOUNDS));
		event_text(t, x);
		printf(
		    " (%llu events reach it)\n", (unsigned long long)x->times);
	}
	if (r->nfaults > r->nkept)
		printf("%s: FAULT: %u more fault sites not shown\n", path,
		    r->nfaults - r->nkept);
	for (uint32_t i = 0; i < r->ninstances; i++) {
		const cf_gate_inst *gi = &r->inst[i];
		const cf_instance *in = &ch->instances[i];

		if (gi->state == CF_GATE_OFF_REGEX)
			printf(
			    "%s: warning: %s: instance %u (#%u): disabled on "
			    "every build: criterion %d's regex does not "
			    "compile: %s\n",
			    path, cf_err_name(CF_E_GATE_DISABLED), in->id, i,
			    gi->bad_regex, cf_err_name(gi->bad_regex_code));
		if (gi->unsat >= 0) {
			printf("%s: warning: %s: instance %u (#%u) can never "
			       "match: criterion %d, ",
			    path, cf_err_name(CF_E_GATE_UNSAT), in->id, i,
			    gi->unsat);
			field_text(t, in->crit[gi->unsat].field);
			printf(", %s: %s", cf_op_name(in->crit[gi->unsat].op),
			    cf_gate_unsat_text(gi->unsat_why));
			if (gi->unsat_with >= 0)
				printf(" (criterion %d)", gi->unsat_with);
			printf("\n");
		}
		for (uint16_t k = 0; k < in->ncrit; k++) {
			const cf_gate_crit *gc = &r->crit[gi->first_crit + k];
			if (gc->never_fails) {
				printf("%s: note: instance %u (#%u), criterion "
				       "%u, ",
				    path, in->id, i, k);
				field_text(t, in->crit[k].field);
				printf(": always holds where it stands (a test "
				       "that always holds, or one implied by "
				       "the criteria before it)\n");
			}
			if (gi->state == CF_GATE_OFF_FLAG ||
			    gc->total.evaluated > 0)
				continue;
			printf("%s: warning: %s: instance %u (#%u), criterion "
			       "%u, ",
			    path, cf_err_name(CF_E_GATE_UNREACHED), in->id, i,
			    k);
			field_text(t, in->crit[k].field);
			printf(": never evaluated: %s",
			    cf_gate_why_text(gc->unreached));
			if (gc->unreached == CF_GATE_WHY_UNSAT ||
			    gc->unreached == CF_GATE_WHY_REFUSED)
				printf(" (criterion %u)", gc->blocker);
			printf("\n");
		}
	}
	for (uint32_t b = 0; b < r->nbuilds; b++) {
		const cf_gate_build *gb = &r->builds[b];
		if (gb->compile_rc != CF_OK) {
			printf("%s: sensor %s: does not run this content: %s\n",
			    path, gb->build->name, cf_err_name(gb->compile_rc));
			continue;
		}
		fbuilds += gb->fault_sites > 0;
		printf("%s: sensor %s: %s with %u of %u inputs: %u of %u "
		       "instances enabled; %llu events, %llu criteria "
		       "evaluated, %llu reads refused by its bounds check, "
		       "%u fault site%s\n",
		    path, gb->build->name, t->name,
		    cf_build_supplied(gb->build, t->id), t->nfields,
		    gb->cs.enabled, gb->cs.instances,
		    (unsigned long long)gb->events,
		    (unsigned long long)gb->es.criteria,
		    (unsigned long long)gb->es.bounds_refused, gb->fault_sites,
		    plural(gb->fault_sites));
	}
	printf("%s: coverage: %u of %u live criteria evaluated (%.1f%%); "
	       "%llu events synthesised, %llu supplied (%llu of another "
	       "template)\n",
	    path, r->reached, r->live, pct(r->reached, r->live),
	    (unsigned long long)r->ev_synth, (unsigned long long)r->ev_user,
	    (unsigned long long)r->ev_skipped);
	if (r->verdict == CF_OK)
		printf("%s: PASS: accepted by the validator, no build faults, "
		       "%u warning%s (%.3f s)\n",
		    path, gate_warnings(r), plural(gate_warnings(r)), secs);
	else
		printf("%s: REJECTED: the validator %s (%u problem%s); %u "
		       "fault site%s on %u build%s; %u warning%s (%.3f s)\n",
		    path, r->val_rc == CF_OK ? "accepts" : "rejects",
		    r->val.nproblems, plural(r->val.nproblems), r->nfaults,
		    plural(r->nfaults), fbuilds, plural(fbuilds),
		    gate_warnings(r), plural(gate_warnings(r)), secs);
}

static void
json_count(const cf_gate_count *c)
{
	printf("{\"evaluated\":%llu,\"matched\":%llu,\"failed\":%llu,"
	       "\"refused\":%llu,\"faults\":%llu}",
	    (unsigned long long)c->evaluated, (unsigned long long)c->matched,
	    (unsigned long long)c->failed, (unsigned long long)c->refused,
	    (unsigned long long)c->faults);
}

static void
json_field(const cf_tmpl *t, uint32_t f)
{
	printf("\"field\":%u,\"field_name\":", f);
	if (t != NULL && f < t->nfields)
		json_str(t->fields[f].name);
	else
		printf("null");
}

static void
json_event(const cf_tmpl *t, const cf_gate_fault *x)
{
	const cf_event *ev = &x->event;

	printf("{\"label\":");
	json_vis((const uint8_t *)x->label, strlen(x->label));
	printf(",\"source\":\"%s\",\"user_event\":%u,\"values\":{",
	    x->user_event ? "user" : "synthesised", x->user_event);
	for (uint32_t f = 0; f < ev->nvalues && t && f < t->nfields; f++) {
		const cf_value *v = &ev->values[f];
		if (f)
			putchar(',');
		json_str(t->fields[f].name);
		putchar(':');
		if (v->type == CF_VT_STR) {
			printf("{\"str\":");
			json_vis(v->v.s, v->len);
			printf(",\"len\":%u,\"truncated\":%s}", x->orig_len[f],
			    v->len < x->orig_len[f] ? "true" : "false");
		} else {
			printf("{\"int\":%llu}", (unsigned long long)v->v.u);
		}
	}
	printf("}}");
}

static void
gate_json(
    const char *path, const cf_chan *ch, const cf_gate_result *r, double secs)
{
	const cf_tmpl *t = r->tmpl;
	int first = 1;

	printf("{\"file\":");
	json_vis((const uint8_t *)path, strlen(path));
	printf(",\"verdict\":\"%s\",\"exit\":%d,\"seconds\":%.6f,",
	    r->verdict == CF_OK ? "pass" : "reject",
	    r->verdict == CF_OK ? CFT_EXIT_OK : CFT_EXIT_REJECTED, secs);
	printf("\"template\":");
	if (t)
		printf("{\"id\":%u,\"name\":\"%s\",\"fields\":%u}", t->id,
		    t->name, t->nfields);
	else
		printf("{\"id\":%u,\"name\":null,\"fields\":null}",
		    ch->template_type);
	printf(",\"channel\":%u,\"content_version\":%u,\"instances\":%u,",
	    ch->channel, ch->content_version, ch->ninstances);
	printf("\"validator\":{\"version\":\"current\",\"accepted\":%s,"
	       "\"problems_total\":%u,\"problems\":[",
	    r->val_rc == CF_OK ? "true" : "false", r->val.nproblems);
	for (uint32_t i = 0; i < r->val.nstored; i++) {
		const cf_val_problem *p = &r->val.p[i];
		printf("%s{\"code\":\"%s\",\"number\":%d,\"instance\":%d,"
		       "\"instance_id\":",
		    i ? "," : "", cf_err_name(p->code), p->code, p->instance);
		if (p->instance >= 0)
			printf("%u", p->instance_id);
		else
			printf("null");
		printf(",\"criterion\":%d,\"field\":%d,\"why\":", p->criterion,
		    p->field);
		json_str(p->why);
		putchar('}');
	}
	printf("]},\"builds\":[");
	for (uint32_t b = 0; b < r->nbuilds; b++) {
		const cf_gate_build *gb = &r->builds[b];
		printf("%s{\"name\":\"%s\",\"runs\":%s,\"refused_code\":",
		    b ? "," : "", gb->build->name,
		    gb->compile_rc == CF_OK ? "true" : "false");
		if (gb->compile_rc != CF_OK)
			printf("\"%s\"", cf_err_name(gb->compile_rc));
		else
			printf("null");
		printf(",\"supplied\":%u,\"checks\":{\"runtime_bounds\":%s,"
		       "\"compile_fields\":%s},",
		    t ? cf_build_supplied(gb->build, t->id) : 0,
		    (gb->build->checks & CF_CHECK_RUNTIME_BOUNDS) ? "true"
		                                                  : "false",
		    (gb->build->checks & CF_CHECK_COMPILE_FIELDS) ? "true"
		                                                  : "false");
		printf("\"instances_enabled\":%u,\"disabled_by_regex\":%u,"
		       "\"disabled_by_field_check\":%u,\"events\":%llu,"
		       "\"criteria_evaluated\":%llu,\"reads_refused_by_build\":"
		       "%llu,\"fault_sites\":%u}",
		    gb->cs.enabled, gb->cs.rejected_regex,
		    gb->cs.rejected_fields, (unsigned long long)gb->events,
		    (unsigned long long)gb->es.criteria,
		    (unsigned long long)gb->es.bounds_refused, gb->fault_sites);
	}
	printf("],\"faults_total\":%u,\"faults\":[", r->nfaults);
	for (uint32_t k = 0; k < r->nkept; k++) {
		const cf_gate_fault *x = &r->faults[k];
		printf("%s{\"code\":\"%s\",\"build\":\"%s\",\"template\":",
		    k ? "," : "", cf_err_name(CF_E_INPUT_BOUNDS),
		    r->builds[x->build].build->name);
		if (t)
			json_str(t->name);
		else
			printf("null");
		printf(",\"instance\":%u,\"instance_id\":%u,\"criterion\":%u,",
		    x->instance, x->instance_id, x->criterion);
		json_field(t, x->field);
		printf(",\"supplied\":%u,\"times\":%llu,\"event\":",
		    x->supplied, (unsigned long long)x->times);
		json_event(t, x);
		putchar('}');
	}
	printf("],\"warnings\":[");
	for (uint32_t i = 0; i < r->ninstances; i++) {
		const cf_gate_inst *gi = &r->inst[i];
		const cf_instance *in = &ch->instances[i];

		if (gi->state == CF_GATE_OFF_REGEX) {
			printf("%s{\"code\":\"%s\",\"instance\":%u,"
			       "\"instance_id\":%u,\"criterion\":%d,"
			       "\"why\":\"regex does not compile: %s\"}",
			    first ? "" : ",", cf_err_name(CF_E_GATE_DISABLED),
			    i, in->id, gi->bad_regex,
			    cf_err_name(gi->bad_regex_code));
			first = 0;
		}
		if (gi->unsat >= 0) {
			printf("%s{\"code\":\"%s\",\"instance\":%u,"
			       "\"instance_id\":%u,\"criterion\":%d,",
			    first ? "" : ",", cf_err_name(CF_E_GATE_UNSAT), i,
			    in->id, gi->unsat);
			json_field(t, in->crit[gi->unsat].field);
			printf(
			    ",\"with_criterion\":%d,\"why\":", gi->unsat_with);
			json_str(cf_gate_unsat_text(gi->unsat_why));
			putchar('}');
			first = 0;
		}
		for (uint16_t k = 0; k < in->ncrit; k++) {
			const cf_gate_crit *gc = &r->crit[gi->first_crit + k];
			if (gi->state == CF_GATE_OFF_FLAG ||
			    gc->total.evaluated > 0)
				continue;
			printf("%s{\"code\":\"%s\",\"instance\":%u,"
			       "\"instance_id\":%u,\"criterion\":%u,",
			    first ? "" : ",", cf_err_name(CF_E_GATE_UNREACHED),
			    i, in->id, k);
			json_field(t, in->crit[k].field);
			printf(",\"blocker\":%u,\"why\":", gc->blocker);
			json_str(cf_gate_why_text(gc->unreached));
			putchar('}');
			first = 0;
		}
	}
	printf("],\"events\":{\"synthesised\":%llu,\"user\":%llu,"
	       "\"user_other_template\":%llu},",
	    (unsigned long long)r->ev_synth, (unsigned long long)r->ev_user,
	    (unsigned long long)r->ev_skipped);
	printf("\"coverage\":{\"criteria\":%u,\"live\":%u,\"evaluated\":%u,"
	       "\"percent\":%.2f,\"instances\":[",
	    r->ncrit, r->live, r->reached, pct(r->reached, r->live));
	for (uint32_t i = 0; i < r->ninstances; i++) {
		const cf_gate_inst *gi = &r->inst[i];
		const cf_instance *in = &ch->instances[i];

		printf("%s{\"instance\":%u,\"instance_id\":%u,\"state\":\"%s\","
		       "\"hits\":%llu,\"criteria\":[",
		    i ? "," : "", i, in->id, state_name(gi->state),
		    (unsigned long long)gi->hits);
		for (uint16_t k = 0; k < in->ncrit; k++) {
			uint32_t c = gi->first_crit + k;
			const cf_gate_crit *gc = &r->crit[c];
			printf("%s{\"criterion\":%u,", k ? "," : "", k);
			json_field(t, in->crit[k].field);
			printf(",\"op\":\"%s\",\"counts\":",
			    cf_op_name(in->crit[k].op));
			json_count(&gc->total);
			printf(",\"by_build\":{");
			for (uint32_t b = 0; b < r->nbuilds; b++) {
				printf("%s\"%s\":", b ? "," : "",
				    r->builds[b].build->name);
				json_count(
				    &r->count[(size_t)c * r->nbuilds + b]);
			}
			printf("},\"never_fails\":%s,\"unreached\":",
			    gc->never_fails ? "true" : "false");
			if (gi->state == CF_GATE_OFF_FLAG ||
			    gc->total.evaluated > 0)
				printf("null");
			else
				json_str(cf_gate_why_text(gc->unreached));
			putchar('}');
		}
		printf("]}");
	}
	printf("]}}");
}

/* Read and parse FILE for the gate; on failure, print and describe. */
static int
gate_load(const char *path, cf_chan **out, cf_diag *d, char *why, size_t n)
{
	uint8_t *buf;
	size_t len;
	int ex, rc, more = 0;

	*out = NULL;
	/* As load_chan: a file over the limit is judged by the parser. */
	ex = read_file_why(
	    path, CF_MAX_FILE_SIZE + 1, &buf, &len, &more, why, n);
	if (ex != CFT_EXIT_OK) {
		fprintf(stderr, "%s: %s\n", getprogname(), why);
		return ex;
	}
	rc = cf_chan_parse(buf, len, out, d);
	cf_mem_free(buf);
	if (rc == CF_E_TOO_LARGE && more)
		snprintf(d->msg, sizeof(d->msg),
		    "more than %zu bytes: over the limit of %u", len,
		    (unsigned)CF_MAX_FILE_SIZE);
	if (rc != CF_OK) {
		print_diag(path, rc, d, 0);
		snprintf(why, n, "%s: %s (%d) at offset %u: %s", path,
		    cf_err_name(rc), rc, d->offset,
		    d->msg[0] ? d->msg : cf_strerror(rc));
		return exit_for(rc);
	}
	return CFT_EXIT_OK;
}

/* --sensors all|LIST: the builds, or NULL for all; exit 2 on a bad name. */
static int
gate_sensors(const char *arg, const cf_build **v, size_t *n)
{
	const char *p = arg;

	*n = 0;
	if (strcmp(arg, "all") == 0)
		return CFT_EXIT_OK;
	while (*p) {
		char name[64];
		size_t len = strcspn(p, ",");
		const cf_build *b = NULL;
		size_t k;

		if (len > 0 && len < sizeof(name)) {
			memcpy(name, p, len);
			name[len] = '\0';
			b = cf_build_by_name(name);
		}
		if (b == NULL) {
			fprintf(stderr,
			    "%s: gate: unknown sensor build '%.*s'; known: all",
			    getprogname(), (int)(len < 64 ? len : 64), p);
			for (size_t i = 0; i < cf_build_count(); i++)
				fprintf(stderr, " %s", cf_build_at(i)->name);
			fputc('\n', stderr);
			return CFT_EXIT_USAGE;
		}
		for (k = 0; k < *n && v[k] != b; k++)
			;
		if (k == *n)
			v[(*n)++] = b; /* at most cf_build_count() */
		p += len;
		if (*p == ',' && *++p == '\0')
			return usage_error(
			    "gate: empty name in --sensors %s", arg);
	}
	if (*n == 0)
		return usage_error("gate: --sensors %s names no build", arg);
	return CFT_EXIT_OK;
}

static double
now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int
cmd_gate(int argc, char **argv)
{
	static const struct option opts[] = { { "sensors", required_argument,
		                                  NULL, 's' },
		{ "events", required_argument, NULL, 'e' },
		{ "json", no_argument, NULL, 'j' },
		{ "as-built", no_argument, NULL, 'a' }, { NULL, 0, NULL, 0 } };
	const char *sensors = "all", *events = NULL;
	const cf_build **builds = NULL;
	cf_event_list *list = NULL;
	cf_gate_opts go = { NULL, 0, NULL, 0 };
	struct gate_totals tot = { 0 };
	int c, ex = CFT_EXIT_OK, json = 0, worst = CFT_EXIT_OK;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 's')
			sensors = optarg;
		else if (c == 'e')
			events = optarg;
		else if (c == 'j')
			json = 1;
		else if (c == 'a')
			go.flags |= CF_GATE_AS_BUILT;
		else
			return usage_error(
			    "gate: unknown option %s", argv[optind - 1]);
	}
	if (optind >= argc)
		return usage_error("%s", "gate needs at least one FILE");
#ifndef CFTOOL_CHECKED_BUILD
	if (go.flags & CF_GATE_AS_BUILT)
		return usage_error("%s",
		    "gate --as-built performs the reads past the inputs: run "
		    "it with build/asan/cftool or build/guard/cftool");
#endif
	if ((builds = cf_mem_calloc(cf_build_count(), sizeof(*builds))) == NULL)
		return CFT_EXIT_INTERNAL;
	if ((ex = gate_sensors(sensors, builds, &go.nbuilds)) != CFT_EXIT_OK)
		goto out;
	go.builds = go.nbuilds ? builds : NULL;
	if (events != NULL && (ex = load_events(events, &list)) != CFT_EXIT_OK)
		goto out;
	go.events = list;
	if (json)
		printf("{\"schema\":\"chanfuzz-gate/1\",\"as_built\":%s,"
		       "\"files\":[",
		    (go.flags & CF_GATE_AS_BUILT) ? "true" : "false");
	for (int a = optind; a < argc; a++) {
		const char *path = argv[a];
		cf_gate_result *r = NULL;
		cf_chan *ch = NULL;
		cf_diag d = { 0 };
		char why[4400];
		double t0 = now_s();
		int fex, rc;

		fflush(stdout); /* a fault (--as-built) must not lose output */
		tot.files++;
		if ((fex = gate_load(path, &ch, &d, why, sizeof(why))) ==
		    CFT_EXIT_OK) {
			rc = cf_gate_run(ch, &go, &r);
			if (rc == CF_OK || rc == CF_E_REJECTED) {
				fex = rc == CF_OK ? CFT_EXIT_OK
				                  : CFT_EXIT_REJECTED;
			} else {
				snprintf(why, sizeof(why), "%s: gate: %s", path,
				    cf_strerror(rc));
				fprintf(stderr, "%s: %s\n", getprogname(), why);
				fex = exit_for(rc) == CFT_EXIT_INTERNAL
				    ? CFT_EXIT_INTERNAL
				    : CFT_EXIT_BADINPUT;
			}
		}
		if (r != NULL) {
			tot.live += r->live;
			tot.reached += r->reached;
			tot.faults += r->nfaults;
			tot.warnings += gate_warnings(r);
			if (json) {
				if (a > optind)
					putchar(',');
				gate_json(path, ch, r, now_s() - t0);
			} else {
				gate_text(path, ch, r, now_s() - t0);
			}
		} else if (json) {
			printf("%s{\"file\":", a > optind ? "," : "");
			json_vis((const uint8_t *)path, strlen(path));
			printf(",\"verdict\":\"error\",\"exit\":%d,\"error\":",
			    fex);
			json_vis((const uint8_t *)why, strlen(why));
			printf(",\"code\":");
			if (d.code)
				printf("\"%s\"", cf_err_name(d.code));
			else
				printf("null");
			putchar('}');
		} else {
			printf("%s: ERROR: ", path);
			print_vis((const uint8_t *)why, strlen(why), 4096);
			printf("\n");
		}
		tot.passed += fex == CFT_EXIT_OK;
		tot.rejected += fex == CFT_EXIT_REJECTED;
		tot.errors += fex != CFT_EXIT_OK && fex != CFT_EXIT_REJECTED;
		if (fex > worst)
			worst = fex;
		cf_gate_free(r);
		cf_chan_free(ch);
	}
	if (json) {
		printf(
		    "],\"total\":{\"files\":%u,\"passed\":%u,\"rejected\":%u,"
		    "\"errors\":%u,\"live_criteria\":%llu,"
		    "\"evaluated_criteria\":%llu,\"percent\":%.2f,"
		    "\"fault_sites\":%llu,\"warnings\":%llu},\"exit\":%d}\n",
		    tot.files, tot.passed, tot.rejected, tot.errors,
		    (unsigned long long)tot.live,
		    (unsigned long long)tot.reached,
		    tot.live ? 100.0 * tot.reached / tot.live : 100.0,
		    (unsigned long long)tot.faults,
		    (unsigned long long)tot.warnings, worst);
	} else if (tot.files > 1) {
		printf("release: %u files: %u pass, %u rejected, %u errors; "
		       "%llu of %llu live criteria evaluated (%.1f%%); %llu "
		       "fault site%s, %llu warning%s: %s\n",
		    tot.files, tot.passed, tot.rejected, tot.errors,
		    (unsigned long long)tot.reached,
		    (unsigned long long)tot.live,
		    tot.live ? 100.0 * tot.reached / tot.live : 100.0,
		    (unsigned long long)tot.faults, plural(tot.faults),
		    (unsigned long long)tot.warnings, plural(tot.warnings),
		    worst == CFT_EXIT_OK ? "PASS" : "REJECTED");
	}
	ex = worst;
out:
	cf_event_list_free(list);
	cf_mem_free(builds);
	return ex;
}

/* Sanitizer builds (build/asan): a report aborts, so cftool's exit status
 * is 134 as for the guard build, never the 1 that means "rejected". The
 * environment's ASAN_OPTIONS / UBSAN_OPTIONS still override these. */
const char *__asan_default_options(void);
const char *__ubsan_default_options(void);

const char *
__asan_default_options(void)
{
	return "abort_on_error=1";
}

const char *
__ubsan_default_options(void)
{
	return "print_stacktrace=1:halt_on_error=1:abort_on_error=1";
}

int
main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(int, char **);
	} cmds[] = { { "asm", cmd_asm }, { "dump", cmd_dump },
		{ "validate", cmd_validate }, { "run", cmd_run },
		{ "types", cmd_types }, { "gate", cmd_gate } };

	setprogname(argc > 0 ? argv[0] : "cftool");
	if (argc < 2) {
		usage(stderr);
		return CFT_EXIT_USAGE;
	}
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return CFT_EXIT_OK;
	}
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (strcmp(argv[1], cmds[i].name) == 0) {
			int ex;

			opterr = 0; /* we print our own message */
			ex = cmds[i].fn(argc - 1, argv + 1);
			/* Output still buffered fails here (a full disk, a
			 * closed pipe): exit 3, not a silent success. */
			if (fflush(stdout) != 0 || ferror(stdout)) {
				fprintf(stderr, "%s: standard output: %s\n",
				    getprogname(), strerror(errno));
				return ex == CFT_EXIT_OK ? CFT_EXIT_IO : ex;
			}
			return ex;
		}
	return usage_error("unknown command '%s'", argv[1]);
}
