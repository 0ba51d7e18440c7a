/*
 * cftool - the developer's command-line tool for channel files.
 *
 *   cftool asm SRC -o OUT            text form -> binary (atomic write)
 *   cftool dump FILE                 binary -> text form, strings escaped
 *   cftool validate [--validator 2024|current] FILE
 *   cftool run --sensor BUILD FILE [--events EVENTS]
 *   cftool types [--markdown | --json]
 *
 * All file I/O of the project's model lives here; the library works on
 * memory buffers only. Exit codes are documented in docs/FORMAT.md
 * section 9 and in usage().
 */
#include <bsd/stdlib.h>
#include <bsd/string.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cf_build.h"
#include "cf_chan.h"
#include "cf_event.h"
#include "cf_interp.h"
#include "cf_limits.h"
#include "cf_mem.h"
#include "cf_text.h"
#include "cf_tmpl.h"
#include "cf_val.h"

/* The exit codes (docs/FORMAT.md section 9). Not EX_*: <sysexits.h> uses
 * those names for other values (EX_USAGE is 64 there). */
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
 * than that. */
static int
read_file(
    const char *path, size_t max, uint8_t **out, size_t *outlen, int *more)
{
	FILE *f;
	uint8_t *buf;
	size_t len = 0;
	struct stat st;

	*out = NULL;
	if ((f = fopen(path, "rb")) == NULL) {
		fprintf(stderr, "%s: %s: %s\n", getprogname(), path,
		    strerror(errno));
		return CFT_EXIT_IO;
	}
	if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
		fprintf(
		    stderr, "%s: %s: is a directory\n", getprogname(), path);
		fclose(f);
		return CFT_EXIT_IO;
	}
	/* One byte more than allowed, to tell "too large" from "exactly max".
	 */
	if ((buf = cf_mem_alloc(max + 1)) == NULL) {
		fclose(f);
		return CFT_EXIT_INTERNAL;
	}
	len = fread(buf, 1, max + 1, f);
	if (ferror(f)) {
		fprintf(stderr, "%s: %s: read error\n", getprogname(), path);
		fclose(f);
		cf_mem_free(buf);
		return CFT_EXIT_IO;
	}
	fclose(f);
	if (len > max && more != NULL) {
		*more = 1;
		len = max;
	} else if (len > max) {
		fprintf(stderr, "%s: %s: larger than the limit of %zu bytes\n",
		    getprogname(), path, max);
		cf_mem_free(buf);
		return CFT_EXIT_BADINPUT;
	}
	*out = buf;
	*outlen = len;
	return CFT_EXIT_OK;
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
	if (events != NULL) {
		uint8_t *src;
		size_t len;
		if ((ex = read_file(events, MAX_TEXT_FILE, &src, &len, NULL)) !=
		    CFT_EXIT_OK)
			return ex;
		rc = cf_event_parse((const char *)src, len, &list, &d);
		cf_mem_free(src);
		if (rc != CF_OK) {
			print_diag(events, rc, &d, 1);
			return exit_for(rc);
		}
	}
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

/* s as a JSON string: quotes, backslashes and control bytes escaped. */
static void
json_str(const char *s)
{
	putchar('"');
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20)
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
		{ "types", cmd_types } };

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
