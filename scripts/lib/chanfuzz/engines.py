"""The engines' command lines (docs/CAMPAIGN.md, "Engines"):

- libFuzzer: one process per job, restarted every --sync-interval seconds
  (-max_total_time), all of a target's jobs sharing OUT/lf/<t>/corpus
  (-reload=1); artifacts in OUT/lf/<t>/artifacts/. Runs are numbered per
  target (OUT/lf/<t>/logs/NNNNN-VARIANT.log): odd runs use the _smart
  build, even ones the plain build (every run the plain one for a target
  without a custom mutator);
- AFL++: -o OUT/afl/<t> (or SYNC-DIR/<t>); instances main (-M, custom
  mutator, dictionary), cmplog (-c build/cmplog/<t> -l 2AT), smart (the
  custom mutator only), asan (build/afl-asan/<t>), then power schedules
  explore, fast, coe, rare, ...; the custom mutator library is loaded by
  every instance of a target that has one (its post_process repairs the
  CRC after AFL++'s own mutations). The -M instance reads the libFuzzer
  corpus itself (-F, AFL++'s foreign sync) when there is one.
"""
import os

from chanfuzz import paths

AFL_ROLES = ("main", "cmplog", "smart", "asan", "explore", "fast", "coe",
             "rare", "lin", "quad", "exploit", "mmopt")
LF_ASAN = "abort_on_error=0:symbolize=0:detect_leaks=1:handle_abort=1"
LF_UBSAN = "halt_on_error=1:print_stacktrace=1:report_error_type=1:symbolize=0"
AFL_ASAN = "abort_on_error=1:symbolize=0:detect_leaks=0:handle_abort=1"
AFL_UBSAN = "halt_on_error=1:abort_on_error=1:print_stacktrace=1:" \
    "report_error_type=1:symbolize=0"
AFL_ENV = {
    "AFL_NO_UI": "1", "AFL_SKIP_CPUFREQ": "1",
    "AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES": "1", "AFL_TRY_AFFINITY": "1",
    "AFL_AUTORESUME": "1", "AFL_SYNC_TIME": "1", "AFL_IMPORT_FIRST": "1",
    "AFL_SKIP_CRASHES": "1", "AFL_CMPLOG_ONLY_NEW": "1", "AFL_FAST_CAL": "1",
    "ASAN_OPTIONS": AFL_ASAN, "UBSAN_OPTIONS": AFL_UBSAN,
}


def split_jobs(k, engines):
    """(afl, libfuzzer) instance counts of a target with K jobs."""
    if engines == ["afl"]:
        return k, 0
    if engines == ["libfuzzer"]:
        return 0, k
    return (k + 1) // 2, k // 2


def afl_role(k, mutator):
    """(role, next k): the K-th AFL++ role of a slice (roles past the
    named ones are s<k>); no smart instance without a custom mutator."""
    role = AFL_ROLES[k] if k < len(AFL_ROLES) else "s%d" % k
    if role == "smart" and mutator == "none":
        return afl_role(k + 1, mutator)
    return role, k + 1


def lf_variant(n, mutator):
    """The build of libFuzzer run N: smart for odd runs of a target with
    a custom mutator, else plain."""
    return "smart" if n % 2 == 1 and mutator != "none" else "plain"


def option(t, key, root=None):
    """A value from harness/<t>.options (`key = value`), or None."""
    try:
        with open(os.path.join(root or paths.ROOT, "harness",
                               t + ".options")) as f:
            for line in f:
                w = line.split()
                if len(w) >= 3 and w[0] == key and w[1] == "=":
                    return w[2]
    except OSError:
        pass
    return None


def lf_command(layout, t, variant, secs, root=None):
    """(argv, env additions) of a libFuzzer run of t for SECS seconds."""
    root = root or paths.ROOT
    b = os.path.join(root, "build", "fuzz", t)
    if variant != "plain":
        b += "_smart"
    argv = [b, "-artifact_prefix=%s/" % layout.path("lf", t, "artifacts"),
            "-dict=%s" % os.path.join(root, "harness", t + ".dict")]
    maxlen = option(t, "max_len", root)
    if maxlen:
        argv.append("-max_len=" + maxlen)
    argv += ["-timeout=10", "-rss_limit_mb=2560",
             "-max_total_time=%d" % secs, "-print_final_stats=1",
             "-reload=1", layout.path("lf", t, "corpus")]
    env = dict(layout.known_env(t))
    env.update(ASAN_OPTIONS=LF_ASAN, UBSAN_OPTIONS=LF_UBSAN)
    return argv, env


def afl_command(layout, t, role, vsecs, mutator, foreign=None, root=None):
    """(argv, env additions) of AFL++ instance ROLE of t, stopping after
    VSECS seconds; FOREIGN: a folder the -M instance syncs from (-F)."""
    root = root or paths.ROOT
    name = layout.iname(role)
    dict_ = os.path.join(root, "harness", t + ".dict")
    bin_ = os.path.join(root, "build", "afl", t)
    argv = ["-i", layout.path("seeds", t), "-o", layout.afl_out(t)]
    main = role == "main" and layout.role != "secondary"
    argv += ["-M" if main else "-S", name]
    if main and foreign:
        argv += ["-F", foreign]
    env = dict(layout.known_env(t))
    env.update(AFL_ENV)
    if mutator != "none":
        env.update(AFL_CUSTOM_MUTATOR_LIBRARY=os.path.join(
            root, "build", "afl", "cf_mutator.so"), CF_MUT_KIND=mutator)
    if role == "cmplog":
        argv += ["-x", dict_, "-c", os.path.join(root, "build", "cmplog", t),
                 "-l", "2AT"]
    elif role == "smart":
        env["AFL_CUSTOM_MUTATOR_ONLY"] = "1"
    elif role == "asan":
        bin_ = os.path.join(root, "build", "afl-asan", t)
        argv += ["-x", dict_, "-m", "none"]
    elif role == "main":
        argv += ["-x", dict_]
    else:
        argv += ["-x", dict_, "-p", role]
    argv += ["-V", str(vsecs), "--", bin_]
    return ["afl-fuzz"] + argv, env
