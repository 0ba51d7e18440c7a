/*
 * replay.c - replay driver for the LLVMFuzzerTestOneInput targets without a
 * fuzzing engine: build/replay/<t> (ASan+UBSan), build/replay-guard/<t>
 * (guard) and build/replay-plain/<t> (no checks). docs/CRASHES.md.
 *
 *   replay [-t SEC] [-M MB] FILE...
 *       run each file in-process, in order, as libFuzzer replays a file;
 *       a fault ends the process with the sanitizer's report on stderr.
 *
 *   replay [-t SEC] [-M MB] -m MANIFEST [-o STATUS] [-d REPORTS] [-s SKIP]
 *       run a whole manifest (lines "EXPECT<TAB>PATH", EXPECT clean or
 *       fault; '#' comments) in one process. A clean input runs in-process,
 *       one after another; a fault input runs in a fork()ed child whose
 *       stderr goes to REPORTS/<index>.txt, so the expected fault does not
 *       end the run. Status lines, tab-separated and flushed one by one:
 *
 *         BEGIN  index path                     before each input
 *         PASS   index path reason [report]     expectation met
 *         FAIL   index path reason [report]     expectation broken
 *         DONE   passed failed                  the manifest is done
 *
 *       If a clean input faults, the sanitizer ends the process between a
 *       BEGIN and its result: the caller sees which input it was, keeps the
 *       process's stderr as that input's report and restarts the driver
 *       with -s index+1 (scripts/regress.sh).
 *
 * Bounds: each input gets -t seconds (default 10; alarm(): in-process the
 * handler prints "chanfuzz-replay: timeout" and the stack and exits 70); a
 * single allocation above -M megabytes (default 2048, as libFuzzer's
 * -malloc_limit_mb) prints "chanfuzz-replay: out-of-memory" and exits 71.
 * Leaks are checked per input as libFuzzer does: only when an input
 * allocated more blocks than it freed is LeakSanitizer asked (exit 23).
 *
 * The few statics below are what a driver needs for its signal handler and
 * its allocation hooks (sanitizer callbacks get no context pointer); the
 * targets themselves keep no state between inputs.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <bsd/stdlib.h>
#include <bsd/string.h>

#include "cf_limits.h"
#include "cf_mem.h"
#include "harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

/* Sanitizer runtime interface; absent (NULL) in guard and plain builds. */
void __sanitizer_print_stack_trace(void) __attribute__((weak));
int __sanitizer_install_malloc_and_free_hooks(
    void (*malloc_hook)(const volatile void *, size_t),
    void (*free_hook)(const volatile void *)) __attribute__((weak));
int __lsan_do_recoverable_leak_check(void) __attribute__((weak));
const char *__asan_default_options(void);
const char *__ubsan_default_options(void);

#define RP_EXIT_TIMEOUT 70
#define RP_EXIT_OOM 71
#define RP_EXIT_LEAK 23
#define RP_EXIT_USAGE 2
#define RP_EXIT_UNREADABLE 3
/* A manifest's fault child: its input unreadable, or its stderr not
 * redirected to the report (it never ran the input). */
#define RP_EXIT_UNREAD_CHILD 125
#define RP_EXIT_NOREPORT 126
/* Largest input read: the allocation cap of cf_mem.h (16 MiB); the model
 * itself stops at CF_MAX_FILE_SIZE. */
#define RP_MAX_INPUT CF_MAX_ALLOC
#define RP_MAX_LINE 4096u

/* Driver state for the alarm handler and the allocation hooks. */
static struct {
	volatile size_t mallocs, frees; /* counted per input */
	size_t malloc_limit;            /* bytes; 0: none */
	int counting;                   /* hooks installed */
	char timeout_msg[96];
	size_t timeout_len;
} rp;

/* An abort() (a guard finding, a harness invariant) gets a report with a
 * stack, as libFuzzer gives it; UBSan names the check it trips. */
const char *
__asan_default_options(void)
{
	return "handle_abort=1:handle_sigill=1:handle_sigfpe=1:symbolize=1";
}

const char *
__ubsan_default_options(void)
{
	return "print_stacktrace=1:report_error_type=1:halt_on_error=1";
}

static void
write_all(int fd, const char *s, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, s, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		s += w;
		n -= (size_t)w;
	}
}

static void
on_alarm(int sig)
{
	(void)sig;
	write_all(STDERR_FILENO, rp.timeout_msg, rp.timeout_len);
	if (__sanitizer_print_stack_trace != NULL)
		__sanitizer_print_stack_trace();
	_exit(RP_EXIT_TIMEOUT);
}

static void
malloc_hook(const volatile void *p, size_t size)
{
	char msg[96];
	int n;

	(void)p;
	rp.mallocs++;
	if (rp.malloc_limit == 0 || size <= rp.malloc_limit)
		return;
	n = snprintf(msg, sizeof(msg),
	    "chanfuzz-replay: out-of-memory (malloc(%zu))\n", size);
	if (n > 0)
		write_all(STDERR_FILENO, msg, (size_t)n);
	if (__sanitizer_print_stack_trace != NULL)
		__sanitizer_print_stack_trace();
	_exit(RP_EXIT_OOM);
}

static void
free_hook(const volatile void *p)
{
	if (p != NULL)
		rp.frees++;
}

static int
usage(void)
{
	fprintf(stderr,
	    "usage: %s [-t SEC] [-M MB] FILE...\n"
	    "       %s [-t SEC] [-M MB] -m MANIFEST [-o STATUS] [-d REPORTS] [-s SKIP]\n",
	    getprogname(), getprogname());
	return RP_EXIT_USAGE;
}

/* Read path into an exactly sized heap buffer (so ASan sees a read one
 * past the end of the input, as under libFuzzer). 0 or an errno value. */
static int
read_input(const char *path, uint8_t **data, size_t *size)
{
	struct stat st;
	uint8_t *buf;
	size_t got = 0, n;
	int fd, err;

	*data = NULL;
	*size = 0;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return errno;
	if (fstat(fd, &st) != 0)
		err = errno;
	else
		err = S_ISREG(st.st_mode) ? 0 : EINVAL;
	if (err != 0) {
		close(fd);
		return err;
	}
	if (st.st_size < 0 || (uintmax_t)st.st_size > RP_MAX_INPUT) {
		close(fd);
		return EFBIG;
	}
	n = (size_t)st.st_size;
	if ((buf = cf_mem_alloc(n > 0 ? n : 1)) == NULL) {
		close(fd);
		return ENOMEM;
	}
	while (got < n) {
		ssize_t r = read(fd, buf + got, n - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			err = r < 0 ? errno : EIO;
			cf_mem_free(buf);
			close(fd);
			return err;
		}
		got += (size_t)r;
	}
	close(fd);
	*data = buf;
	*size = n;
	return 0;
}

/* Open report's temporary twin, report.tmp, for writing: the report
 * appears under its name only once complete (rename). -1 with errno. */
static int
report_open(const char *report, char *tmp, size_t len)
{
	int n = snprintf(tmp, len, "%s.tmp", report);

	if (n < 0 || (size_t)n >= len) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
}

/* Ask LeakSanitizer, if this input kept blocks; its report goes to
 * report when one is given, else to stderr. 1 when it reported. */
static int
leak_check(size_t mallocs, size_t frees, const char *report)
{
	char tmp[RP_MAX_LINE + 8];
	int saved = -1, fd = -1, leaked;

	if (!rp.counting || __lsan_do_recoverable_leak_check == NULL ||
	    mallocs <= frees)
		return 0;
	fflush(stderr);
	/* Without a report file, or a spare descriptor to put stderr back
	 * with, the report goes to stderr. */
	if (report != NULL &&
	    (fd = report_open(report, tmp, sizeof(tmp))) >= 0) {
		if ((saved = dup(STDERR_FILENO)) < 0 ||
		    dup2(fd, STDERR_FILENO) < 0) {
			if (saved >= 0)
				close(saved);
			saved = -1;
			close(fd);
			fd = -1;
			unlink(tmp);
		}
	}
	leaked = __lsan_do_recoverable_leak_check() != 0;
	if (saved >= 0) {
		dup2(saved, STDERR_FILENO);
		close(saved);
	}
	if (fd >= 0) {
		close(fd);
		if (!leaked || rename(tmp, report) != 0)
			unlink(tmp);
	}
	return leaked;
}

/* Run one input in this process: 0 clean, RP_EXIT_LEAK when it leaked
 * (report in leak_report, or on stderr), -1 when unreadable (*err set).
 * Any other fault ends the process. */
static int
run_one(const char *path, unsigned timeout, const char *leak_report, int *err)
{
	uint8_t *data;
	size_t size, m, f;

	if ((*err = read_input(path, &data, &size)) != 0)
		return -1;
	rp.mallocs = rp.frees = 0;
	alarm(timeout);
	LLVMFuzzerTestOneInput(data, size);
	alarm(0);
	m = rp.mallocs;
	f = rp.frees;
	cf_mem_free(data);
	return leak_check(m, f, leak_report) ? RP_EXIT_LEAK : 0;
}

struct entry {
	int fault; /* expectation: 1 fault, 0 clean */
	char *path;
};

struct manifest {
	struct entry *e;
	size_t n, cap;
};

/* A copy of s from cf_mem_alloc (strdup(3) would use malloc). */
static char *
dup_str(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = cf_mem_alloc(n);

	if (p != NULL)
		memcpy(p, s, n);
	return p;
}

static void
manifest_free(struct manifest *mf)
{
	for (size_t i = 0; i < mf->n; i++)
		cf_mem_free(mf->e[i].path);
	cf_mem_free(mf->e);
}

static int
manifest_load(const char *path, struct manifest *mf)
{
	char line[RP_MAX_LINE];
	unsigned lineno = 0;
	FILE *fp;
	int rc = 0;

	memset(mf, 0, sizeof(*mf));
	if ((fp = fopen(path, "r")) == NULL) {
		fprintf(stderr, "%s: %s: %s\n", getprogname(), path,
		    strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), fp) != NULL) {
		size_t len = strlen(line);
		char *tab;
		int fault;

		lineno++;
		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		else if (!feof(fp)) {
			fprintf(stderr, "%s: %s:%u: line too long\n",
			    getprogname(), path, lineno);
			rc = -1;
			break;
		}
		if (len == 0 || line[0] == '#')
			continue;
		tab = strchr(line, '\t');
		if (tab == NULL || tab[1] == '\0') {
			fprintf(stderr, "%s: %s:%u: want EXPECT<TAB>PATH\n",
			    getprogname(), path, lineno);
			rc = -1;
			break;
		}
		*tab = '\0';
		if (strcmp(line, "clean") == 0)
			fault = 0;
		else if (strcmp(line, "fault") == 0)
			fault = 1;
		else {
			fprintf(stderr,
			    "%s: %s:%u: expectation '%s' is not clean or fault\n",
			    getprogname(), path, lineno, line);
			rc = -1;
			break;
		}
		if (mf->n == mf->cap) {
			size_t cap = mf->cap ? mf->cap * 2 : 64;
			struct entry *e =
			    cf_mem_reallocarray(mf->e, cap, sizeof(*mf->e));

			if (e == NULL) {
				rc = -1;
				break;
			}
			mf->e = e;
			mf->cap = cap;
		}
		if ((mf->e[mf->n].path = dup_str(tab + 1)) == NULL) {
			rc = -1;
			break;
		}
		mf->e[mf->n++].fault = fault;
	}
	if (rc == 0 && ferror(fp)) {
		fprintf(stderr, "%s: %s: read error\n", getprogname(), path);
		rc = -1;
	}
	fclose(fp);
	if (rc != 0)
		manifest_free(mf);
	return rc;
}

static void
status(FILE *out, const char *verdict, size_t i, const char *path,
    const char *reason, const char *report)
{
	fprintf(out, "%s\t%zu\t%s\t%s%s%s\n", verdict, i, path, reason,
	    report != NULL ? "\t" : "", report != NULL ? report : "");
	fflush(out);
}

/* Run a fault input in a child with stderr in report. Sets reason. */
static int
run_child(const char *path, const char *report, unsigned timeout, char *reason,
    size_t rlen)
{
	char tmp[RP_MAX_LINE + 8];
	int fd, st, err;
	pid_t pid;

	/* The parent opens the report, so that it alone decides whether the
	 * input ran (a child that cannot write its report is not a fault). */
	if ((fd = report_open(report, tmp, sizeof(tmp))) < 0) {
		snprintf(reason, rlen, "report: %s", strerror(errno));
		return -1;
	}
	fflush(NULL);
	if ((pid = fork()) < 0) {
		snprintf(reason, rlen, "fork: %s", strerror(errno));
		close(fd);
		unlink(tmp);
		return -1;
	}
	if (pid == 0) {
		if (dup2(fd, STDERR_FILENO) < 0)
			_exit(RP_EXIT_NOREPORT);
		close(fd);
		st = run_one(path, timeout, NULL, &err);
		if (st < 0) {
			dprintf(STDERR_FILENO, "chanfuzz-replay: %s: %s\n",
			    path, strerror(err));
			_exit(RP_EXIT_UNREAD_CHILD);
		}
		_exit(st);
	}
	close(fd);
	while (waitpid(pid, &st, 0) < 0) {
		if (errno != EINTR) {
			snprintf(reason, rlen, "waitpid: %s", strerror(errno));
			return -1;
		}
	}
	if (rename(tmp, report) != 0) {
		snprintf(reason, rlen, "report: %s", strerror(errno));
		unlink(tmp);
		return -1;
	}
	if (WIFEXITED(st) && WEXITSTATUS(st) == RP_EXIT_NOREPORT) {
		snprintf(reason, rlen, "report: cannot redirect stderr");
		return -1;
	}
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0) {
		snprintf(reason, rlen, "no fault");
		return 0;
	}
	if (WIFEXITED(st) && WEXITSTATUS(st) == RP_EXIT_UNREAD_CHILD) {
		snprintf(reason, rlen, "unreadable");
		return -1;
	}
	if (WIFEXITED(st) && WEXITSTATUS(st) == RP_EXIT_TIMEOUT)
		snprintf(reason, rlen, "fault: timeout");
	else if (WIFEXITED(st) && WEXITSTATUS(st) == RP_EXIT_OOM)
		snprintf(reason, rlen, "fault: out-of-memory");
	else if (WIFEXITED(st) && WEXITSTATUS(st) == RP_EXIT_LEAK)
		snprintf(reason, rlen, "fault: leak");
	else if (WIFEXITED(st))
		snprintf(reason, rlen, "fault: exit %d", WEXITSTATUS(st));
	else
		snprintf(reason, rlen, "fault: signal %d", WTERMSIG(st));
	return 1;
}

static int
run_manifest(const char *mpath, const char *spath, const char *rdir,
    size_t skip, unsigned timeout)
{
	char report[RP_MAX_LINE], reason[128];
	struct manifest mf;
	size_t passed = 0, failed = 0;
	FILE *out = stdout;
	int err, rc;

	if (manifest_load(mpath, &mf) != 0)
		return RP_EXIT_USAGE;
	if (spath != NULL) {
		int fd = open(
		    spath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);

		if (fd < 0 || (out = fdopen(fd, "a")) == NULL) {
			fprintf(stderr, "%s: %s: %s\n", getprogname(), spath,
			    strerror(errno));
			if (fd >= 0)
				close(fd);
			manifest_free(&mf);
			return RP_EXIT_USAGE;
		}
	}
	for (size_t i = skip; i < mf.n; i++) {
		const struct entry *e = &mf.e[i];

		status(out, "BEGIN", i, e->path, e->fault ? "fault" : "clean",
		    NULL);
		if (!e->fault) {
			if (rdir != NULL)
				snprintf(report, sizeof(report), "%s/%zu.txt",
				    rdir, i);
			rc = run_one(e->path, timeout,
			    rdir != NULL ? report : NULL, &err);
			if (rc < 0) {
				snprintf(reason, sizeof(reason),
				    "unreadable: %s", strerror(err));
				status(out, "FAIL", i, e->path, reason, NULL);
				failed++;
			} else if (rc == RP_EXIT_LEAK) {
				status(out, "FAIL", i, e->path, "fault: leak",
				    rdir != NULL ? report : NULL);
				failed++;
			} else {
				status(out, "PASS", i, e->path, "clean", NULL);
				passed++;
			}
			continue;
		}
		if (rdir == NULL) {
			status(out, "FAIL", i, e->path,
			    "fault input needs -d REPORTS", NULL);
			failed++;
			continue;
		}
		snprintf(report, sizeof(report), "%s/%zu.txt", rdir, i);
		rc =
		    run_child(e->path, report, timeout, reason, sizeof(reason));
		status(out, rc > 0 ? "PASS" : "FAIL", i, e->path, reason,
		    rc >= 0 ? report : NULL);
		if (rc > 0)
			passed++;
		else
			failed++;
	}
	fprintf(out, "DONE\t%zu\t%zu\n", passed, failed);
	fflush(out);
	if (out != stdout)
		fclose(out);
	manifest_free(&mf);
	return failed == 0 ? 0 : 1;
}

int
main(int argc, char **argv)
{
	const char *manifest = NULL, *spath = NULL, *rdir = NULL, *errstr;
	unsigned timeout = 10;
	size_t skip = 0, limit_mb = 2048;
	int ch, rc = 0, err;

	while ((ch = getopt(argc, argv, "t:M:m:o:d:s:")) != -1) {
		switch (ch) {
		case 't':
			timeout = (unsigned)strtonum(optarg, 0, 86400, &errstr);
			break;
		case 'M':
			limit_mb =
			    (size_t)strtonum(optarg, 0, 1 << 20, &errstr);
			break;
		case 's':
			skip = (size_t)strtonum(optarg, 0, 1 << 30, &errstr);
			break;
		case 'm':
			manifest = optarg;
			errstr = NULL;
			break;
		case 'o':
			spath = optarg;
			errstr = NULL;
			break;
		case 'd':
			rdir = optarg;
			errstr = NULL;
			break;
		default:
			return usage();
		}
		if (errstr != NULL) {
			fprintf(stderr, "%s: -%c %s: %s\n", getprogname(), ch,
			    optarg, errstr);
			return usage();
		}
	}
	argc -= optind;
	argv += optind;
	if ((manifest == NULL) == (argc == 0))
		return usage();
	rp.malloc_limit = limit_mb << 20;
	{
		int n = snprintf(rp.timeout_msg, sizeof(rp.timeout_msg),
		    "chanfuzz-replay: timeout after %u seconds\n", timeout);

		rp.timeout_len = n > 0 ? (size_t)n : 0;
	}
	signal(SIGALRM, on_alarm);
	if (__sanitizer_install_malloc_and_free_hooks != NULL)
		rp.counting = __sanitizer_install_malloc_and_free_hooks(
		                  malloc_hook, free_hook) != 0;
	if (LLVMFuzzerInitialize != NULL)
		LLVMFuzzerInitialize(&argc, &argv);

	if (manifest != NULL)
		rc = run_manifest(manifest, spath, rdir, skip, timeout);
	else {
		for (int i = 0; i < argc; i++) {
			int st = run_one(argv[i], timeout, NULL, &err);

			if (st < 0) {
				fprintf(stderr, "%s: %s: %s\n", getprogname(),
				    argv[i], strerror(err));
				rc = RP_EXIT_UNREADABLE;
			} else if (st == RP_EXIT_LEAK) {
				fflush(NULL);
				_exit(RP_EXIT_LEAK);
			}
		}
	}
	/* Leaks were checked per input; skip LeakSanitizer's exit check so
	 * that an input's leak is not reported twice. */
	cf_h_known_flush();
	fflush(NULL);
	_exit(rc);
}
