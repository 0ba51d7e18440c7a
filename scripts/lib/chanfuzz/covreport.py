"""A campaign's source coverage (docs/CAMPAIGN.md, "Coverage"): every
file of the merged corpora (OUT/corpus/<t>, OUT/corpus-afl/<t>) run on
build/coverage/<t>, the profiles merged (llvm-profdata), then llvm-cov:
OUT/coverage/index.html, summary-parsers.txt, parsers.json (totals of
parsers/src/*.c) and all.json (totals of every source but /usr/)."""
import glob
import json
import os
import shutil
import subprocess

from chanfuzz import paths
from chanfuzz.layout import warn
from chanfuzz.supervise import run

BATCH = 200


def _env(c, t, raw):
    env = dict(os.environ)
    env.update(c.layout.known_env(t))
    env["LLVM_PROFILE_FILE"] = os.path.join(raw, "%s-%%p.profraw" % t)
    return env


def profile_target(c, t, bin_, raw):
    """Run t's merged corpora on its coverage build; the files run (a
    batch that faults is run again one by one: a fault ends the process
    before it writes its profile)."""
    files = []
    for d in (c.layout.path("corpus", t), c.layout.path("corpus-afl", t)):
        try:
            files += [os.path.join(d, n) for n in os.listdir(d)
                      if os.path.isfile(os.path.join(d, n))]
        except OSError:
            pass
    files.sort()
    env = _env(c, t, raw)
    for i in range(0, len(files), BATCH):
        batch = files[i:i + BATCH]
        rc = run([bin_] + batch, env=env, timeout=300)
        if 0 <= rc < 124:
            continue
        for f in batch:
            run([bin_, f], env=env, timeout=30)
    return files


def _llvm_cov(args, out=None):
    """llvm-cov ARGS in the checkout root (stderr to logs/coverage.log);
    its stdout, or None when it failed."""
    r = subprocess.run(["llvm-cov"] + args, cwd=paths.ROOT,
                       stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=out, check=False)
    return r.stdout if r.returncode == 0 else None


def _totals(text):
    try:
        return json.loads(text)["data"][0]["totals"]
    except (TypeError, ValueError, KeyError, IndexError):
        return None


def _write(path, data):
    with open(path, "w") as f:
        f.write(data)


def summaries(new, objs, profdata, log, title):
    """llvm-cov show (HTML), report and export in folder NEW."""
    parsers = sorted(glob.glob(paths.root_path("parsers", "src", "*.c")))
    base = ["-instr-profile=" + profdata]
    if _llvm_cov(["show", "-format=html", "-output-dir=" + new] + base + [
            "-show-line-counts-or-regions",
            "-project-title=" + title,
            "-ignore-filename-regex=^/usr/"] + objs, log) is None:
        warn("llvm-cov show failed (logs/coverage.log)")
    rep = _llvm_cov(["report"] + base + objs + parsers, log)
    _write(os.path.join(new, "summary-parsers.txt"),
           rep.decode(errors="replace") if rep else "")
    for name, extra in (("parsers.json", parsers), ("all.json", [])):
        args = ["export", "-summary-only"] + base
        if not extra:
            args.append("-ignore-filename-regex=^/usr/")
        tot = _totals(_llvm_cov(args + objs + extra, log))
        _write(os.path.join(new, name), json.dumps(tot, indent=2) + "\n")


def coverage(c):
    """Measure the campaign's coverage into OUT/coverage (replaced only
    once the new one is complete)."""
    covdir = c.layout.path("coverage")
    new = covdir + ".new"
    raw = os.path.join(new, "raw")
    shutil.rmtree(new, ignore_errors=True)
    os.makedirs(raw)
    bins = []
    for t in c.st.targets:
        bin_ = paths.root_path("build", "coverage", t)
        if not os.access(bin_, os.X_OK):
            warn("no %s: no coverage of %s" % (bin_, t))
            continue
        if profile_target(c, t, bin_, raw):
            bins.append(bin_)
    profs = sorted(glob.glob(os.path.join(raw, "*.profraw")))
    if not bins or not profs:
        warn("no coverage profile")
        shutil.rmtree(new, ignore_errors=True)
        return
    profdata = os.path.join(new, "all.profdata")
    with open(c.layout.path("logs", "coverage.log"), "ab") as log:
        if subprocess.call(["llvm-profdata", "merge", "-sparse"] + profs +
                           ["-o", profdata], stdin=subprocess.DEVNULL,
                           stderr=log) != 0:
            warn("llvm-profdata failed")
            shutil.rmtree(new, ignore_errors=True)
            return
        shutil.rmtree(raw)
        objs = [bins[0]]
        for b in bins[1:]:
            objs += ["-object", b]
        summaries(new, objs, profdata, log, "chanfuzz campaign " +
                  os.path.basename(c.layout.out))
    shutil.rmtree(covdir + ".old", ignore_errors=True)
    if os.path.isdir(covdir):
        os.rename(covdir, covdir + ".old")
    os.rename(new, covdir)
    shutil.rmtree(covdir + ".old", ignore_errors=True)
