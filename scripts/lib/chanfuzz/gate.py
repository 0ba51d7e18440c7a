"""chanfuzz gate - the content release gate for a pipeline (docs/GATE.md).

    scripts/chanfuzz gate FILE... [--sensors LIST] [--events EVENTS]
                          [--out DIR] [--no-asan]

1. `build/cftool gate --json` on every file: the current Content Validator
   and the synthesised events on every sensor build, with the checked
   evaluation (a read past a build's inputs is reported, not performed);
2. the sanitizer evidence: the same events replayed as each build runs
   them (`build/asan/cftool gate --as-built`, one process per file and
   build, so one fault does not hide another build's) under ASan + UBSan;
3. a report in OUT: gate.md, gate.sarif (SARIF 2.1.0, one result per
   problem) and gate.json (everything, as data).

Exit status: cftool gate's (0 every file passes, 1 a file is rejected,
2 usage, 3 a file cannot be read, 4 a file does not parse, 5 internal),
except that a sanitizer fault the gate did not report makes a passing run
1: the content is not safe, and the gate has a bug to fix.
"""
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile

from chanfuzz import paths
from chanfuzz.store import now_iso

SCHEMA = "chanfuzz-gate-report/1"
# cftool's exit statuses (README, "cftool").
EX_OK, EX_REJECTED, EX_INTERNAL = 0, 1, 5
# The sanitizer runtimes' options for the replay: a report aborts (134),
# leaks are not the question here.
ASAN_ENV = {
    "ASAN_OPTIONS": "abort_on_error=1:detect_leaks=0:symbolize=1",
    "UBSAN_OPTIONS": "print_stacktrace=1:halt_on_error=1:abort_on_error=1",
}
# Project source folders: frames there name the fault (docs/CRASHES.md).
PROJECT_DIRS = ("parsers/", "harness/", "tools/")
SAN_ERROR = re.compile(
    r"ERROR: (AddressSanitizer|LeakSanitizer|MemorySanitizer): "
    r"([A-Za-z0-9_-]+)")
SAN_ACCESS = re.compile(r"^(READ|WRITE) of size (\d+)", re.M)
UBSAN = re.compile(r"runtime error: (.*)")
FRAME = re.compile(r"^\s*#\d+ 0x[0-9a-f]+ in (\S+) (\S+)", re.M)
GUARD = re.compile(r"^chanfuzz-guard: (.*)$", re.M)


def register(sub):
    p = sub.add_parser(
        "gate", help="content release gate with sanitizer evidence",
        description="Run the content release gate (cftool gate) on a "
        "release of channel files, replay its events on the ASan build, "
        "and write gate.md, gate.sarif and gate.json (docs/GATE.md).")
    p.add_argument("files", nargs="+", metavar="FILE",
                   help="channel files (a release)")
    p.add_argument("--sensors", default="all", metavar="LIST",
                   help="sensor builds, comma-separated (default: all)")
    p.add_argument("--events", metavar="EVENTS",
                   help="an events file to run as well")
    p.add_argument("--out", metavar="DIR",
                   help="report folder (default: build/gate/<UTC time>)")
    p.add_argument("--no-asan", action="store_true",
                   help="skip the sanitizer replay")
    p.add_argument("--cftool", default=paths.root_path("build", "cftool"),
                   help="the release build of cftool (default: %(default)s)")
    p.add_argument("--asan-cftool",
                   default=paths.root_path("build", "asan", "cftool"),
                   help="the ASan build (default: %(default)s)")
    p.add_argument("--no-make", action="store_true",
                   help="do not run make for a missing cftool")
    p.set_defaults(func=run)


# ---- running cftool -------------------------------------------------------

def ensure_tools(args):
    """Build what is missing with make, unless told not to."""
    want = [args.cftool] + ([] if args.no_asan else [args.asan_cftool])
    missing = [t for t in want if not os.access(t, os.X_OK)]
    if not missing:
        return None
    defaults = {paths.root_path("build", "cftool"),
                paths.root_path("build", "asan", "cftool")}
    if args.no_make or not set(missing) <= defaults:
        return "missing: " + ", ".join(missing)
    rel = [os.path.relpath(t, paths.ROOT) for t in missing]
    r = subprocess.run(["make", "-s", "-C", paths.ROOT] + rel,
                       stdout=sys.stderr)
    return None if r.returncode == 0 else "make %s failed" % " ".join(rel)


def gate_json(cftool, files, sensors, events):
    """Run `cftool gate --json`; (exit status, parsed data or None,
    stderr)."""
    cmd = [cftool, "gate", "--json", "--sensors", sensors]
    if events:
        cmd += ["--events", events]
    r = subprocess.run(cmd + ["--"] + list(files), capture_output=True,
                       text=True, errors="replace")
    data = None
    if r.stdout.strip():
        try:
            data = json.loads(r.stdout)
        except ValueError:
            data = None
    return r.returncode, data, r.stderr


def parse_sanitizer(text):
    """The fault in a sanitizer or guard report: {"type", "frames",
    "summary"} or None when the text holds none. The type follows
    scripts/signature.sh: the error kind plus READ/WRITE and size."""
    m = SAN_ERROR.search(text)
    frames = [f for f, loc in FRAME.findall(text)
              if any(d in loc for d in PROJECT_DIRS)
              and not f.startswith("cf_mem_")]
    if m:
        kind = m.group(2)
        acc = SAN_ACCESS.search(text)
        if acc:
            kind += " %s %s" % (acc.group(1), acc.group(2))
        summary = next((ln.strip() for ln in text.splitlines()
                        if ln.startswith("SUMMARY:")), "")
        return {"type": kind, "frames": frames[:3], "summary": summary}
    m = UBSAN.search(text)
    if m:
        return {"type": "ubsan: " + m.group(1).strip(),
                "frames": frames[:3], "summary": m.group(0).strip()}
    m = GUARD.search(text)
    if m:
        return {"type": "guard", "frames": [], "summary": m.group(1)}
    return None


def asan_replay(asan_cftool, path, build, events):
    """Replay the gate's events on one build as it runs them, under
    ASan: {"build", "result": clean|fault|error, "exit", "fault"}."""
    cmd = [asan_cftool, "gate", "--as-built", "--sensors", build]
    if events:
        cmd += ["--events", events]
    env = dict(os.environ)
    env.update(ASAN_ENV)
    r = subprocess.run(cmd + ["--", path], capture_output=True, text=True,
                       errors="replace", env=env)
    fault = parse_sanitizer(r.stderr)
    status = r.returncode if r.returncode >= 0 else 128 - r.returncode
    if fault is not None:
        result = "fault"
    elif status in (EX_OK, EX_REJECTED):
        result = "clean"
    else:
        result = "error"
    out = {"build": build, "result": result, "exit": status,
           "fault": fault}
    if result == "error":
        out["stderr"] = r.stderr[-2000:]
    return out


# ---- the report -----------------------------------------------------------

def sha256(path):
    h = hashlib.sha256()
    try:
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 16), b""):
                h.update(block)
    except OSError:
        return None
    return h.hexdigest()


def evidence(fdata, replays):
    """Compare the gate's fault sites with the sanitizer replay, per
    build: agree, confirmed, unconfirmed (the gate's read lands where
    ASan does not look: far past the array) or missed (a sanitizer fault
    the gate did not report: the gate is wrong)."""
    faulty = {f["build"] for f in fdata.get("faults", [])}
    if fdata.get("faults_total", 0) > len(fdata.get("faults", [])):
        faulty |= {b["name"] for b in fdata.get("builds", [])
                   if b.get("fault_sites")}
    out = []
    for rp in replays:
        gate_fault = rp["build"] in faulty
        if rp["result"] == "fault":
            verdict = "confirmed" if gate_fault else "missed"
        elif rp["result"] == "clean":
            verdict = "unconfirmed" if gate_fault else "agree"
        else:
            verdict = "error"
        out.append(dict(rp, gate_fault=gate_fault, verdict=verdict))
    return out


def build_report(data, replays, args, started, finished, gate_exit):
    """Everything as data: the gate's JSON, with hashes and replays.
    data["files"] are in the order of args.files; replays[i] are file
    i's."""
    files = []
    for i, f in enumerate(data.get("files", [])):
        f = dict(f)
        f["sha256"] = sha256(args.files[i]) if i < len(args.files) else None
        f["asan"] = evidence(f, replays.get(i, []))
        files.append(f)
    missed = sum(1 for f in files for e in f["asan"]
                 if e["verdict"] == "missed")
    errors = sum(1 for f in files for e in f["asan"]
                 if e["verdict"] == "error")
    exit_status = gate_exit
    if missed and exit_status == EX_OK:
        exit_status = EX_REJECTED
    if errors and exit_status == EX_OK:
        exit_status = EX_INTERNAL
    return {
        "schema": SCHEMA,
        "started": started, "finished": finished,
        "sensors": args.sensors, "events": args.events,
        "asan_replay": not args.no_asan,
        "revision": git_revision(),
        "files": files,
        "total": dict(data.get("total", {}), asan_missed=missed,
                      asan_errors=errors),
        "gate_exit": gate_exit,
        "exit": exit_status,
    }


def git_revision():
    try:
        r = subprocess.run(["git", "-C", paths.ROOT, "rev-parse", "HEAD"],
                           capture_output=True, text=True)
    except OSError:
        return "unknown"
    return r.stdout.strip() or "unknown"


def event_text(ev, limit=48):
    """The values of an event that are not empty or 0, one line."""
    parts = []
    for name, v in ev.get("values", {}).items():
        if "str" in v and v["len"]:
            s = v["str"]
            if len(s) > limit:
                s = s[:limit] + "..."
            if v.get("truncated") or len(v["str"]) > limit:
                s += "(%d bytes)" % v["len"]
            parts.append('%s="%s"' % (name, s))
        elif v.get("int"):
            parts.append("%s=0x%x" % (name, v["int"]))
    return '"%s" {%s}' % (ev.get("label", ""), ", ".join(parts))


def md_cell(text):
    """Text fit for a Markdown table cell."""
    return str(text).replace("\\", "\\\\").replace("|", "\\|") \
        .replace("`", "\\`").replace("\n", " ")


def field_text(item):
    name = item.get("field_name")
    n = item["field"]
    return "field %d (index %d, %s)" % (
        n + 1, n, name if name else "past the template")


def markdown(rep):
    t = rep["total"]
    verdict = {EX_OK: "PASS"}.get(rep["exit"], "REJECTED")
    out = ["# Content release gate: %s\n" % verdict,
           "| | |", "| --- | --- |",
           "| files | %d: %d pass, %d rejected, %d errors |" % (
               t.get("files", 0), t.get("passed", 0), t.get("rejected", 0),
               t.get("errors", 0)),
           "| criterion coverage | %s of %s live criteria evaluated (%s%%) |"
           % (t.get("evaluated_criteria", 0), t.get("live_criteria", 0),
              t.get("percent", 0)),
           "| fault sites | %d |" % t.get("fault_sites", 0),
           "| warnings | %d |" % t.get("warnings", 0),
           "| sensor builds | %s |" % rep["sensors"],
           "| sanitizer replay | %s |" % (
               "ASan + UBSan, %d fault(s) the gate missed" % t["asan_missed"]
               if rep["asan_replay"] else "skipped (--no-asan)"),
           "| started / finished | %s / %s |" % (rep["started"],
                                                rep["finished"]),
           "| revision | `%s` |" % rep["revision"],
           "| exit status | %d |" % rep["exit"], "",
           "## Files\n",
           "| file | verdict | template | instances | coverage | faults "
           "| warnings | ASan | sha256 |",
           "| --- | --- | --- | ---: | ---: | ---: | ---: | --- | --- |"]
    for f in rep["files"]:
        if f["verdict"] == "error":
            out.append("| `%s` | **error** (exit %d) | | | | | | | %s |" % (
                md_cell(f["file"]), f["exit"], f.get("sha256") or "-"))
            continue
        cov = f["coverage"]
        asan = ", ".join("%s %s" % (e["build"], e["verdict"])
                         for e in f["asan"]) or "-"
        out.append("| `%s` | %s | %s | %d | %s/%s (%s%%) | %d | %d | %s | "
                   "`%s` |" % (
                       md_cell(f["file"]),
                       "pass" if f["verdict"] == "pass" else "**reject**",
                       f["template"]["name"] or f["template"]["id"],
                       f["instances"], cov["evaluated"], cov["live"],
                       cov["percent"], f["faults_total"],
                       len(f["warnings"]), asan, f.get("sha256") or "-"))
    errors = [f for f in rep["files"] if f["verdict"] == "error"]
    if errors:
        out += ["", "## Files that could not be checked\n"]
        out += ["- `%s`: %s" % (md_cell(f["file"]), md_cell(f["error"]))
                for f in errors]
    faults = [(f, x) for f in rep["files"] for x in f.get("faults", [])]
    out += ["", "## Faults\n"]
    if not faults:
        out.append("No sensor build would read past its inputs with the "
                   "synthesised events.")
    else:
        out += ["A read past the inputs the sensor build supplies: on that "
                "build, an out-of-bounds read (CF-291's defect class).\n",
                "| file | sensor | template | instance | criterion | field "
                "| inputs supplied | event that triggers it | events |",
                "| --- | --- | --- | --- | ---: | --- | ---: | --- | ---: |"]
        for f, x in faults:
            out.append("| `%s` | %s | %s | %d (#%d) | %d | %s | %d | %s | "
                       "%d |" % (md_cell(f["file"]), x["build"],
                                 x["template"], x["instance_id"],
                                 x["instance"], x["criterion"],
                                 md_cell(field_text(x)), x["supplied"],
                                 md_cell(event_text(x["event"])),
                                 x["times"]))
    vals = [(f, p) for f in rep["files"]
            for p in f.get("validator", {}).get("problems", [])]
    out += ["", "## Content Validator (current)\n"]
    if not vals:
        out.append("No problem.")
    else:
        out += ["| file | code | instance | criterion | field | why |",
                "| --- | --- | --- | ---: | ---: | --- |"]
        for f, p in vals:
            out.append("| `%s` | %s | %s | %s | %s | %s |" % (
                md_cell(f["file"]), p["code"],
                "-" if p["instance_id"] is None else p["instance_id"],
                "-" if p["criterion"] < 0 else p["criterion"],
                "-" if p["field"] < 0 else p["field"], md_cell(p["why"])))
    warns = [(f, w) for f in rep["files"] for w in f.get("warnings", [])]
    out += ["", "## Warnings\n"]
    if not warns:
        out.append("Every live criterion was evaluated; no instance is "
                   "unsatisfiable or disabled.")
    else:
        out += ["| file | code | instance | criterion | why |",
                "| --- | --- | --- | ---: | --- |"]
        for f, w in warns:
            out.append("| `%s` | %s | %d (#%d) | %d | %s |" % (
                md_cell(f["file"]), w["code"], w["instance_id"],
                w["instance"], w["criterion"], md_cell(w["why"])))
    out += ["", "## Sanitizer replay\n"]
    if not rep["asan_replay"]:
        out.append("Skipped (--no-asan).")
    else:
        out += ["The synthesised events again, each build reading as it "
                "does (`build/asan/cftool gate --as-built`). *confirmed*: "
                "the sanitizer saw the gate's fault; *unconfirmed*: the "
                "gate's read lands where ASan does not look (far past the "
                "array); *missed*: a sanitizer fault the gate did not "
                "report - a gate bug, the run fails.\n",
                "| file | sensor | replay | verdict | fault |",
                "| --- | --- | --- | --- | --- |"]
        for f in rep["files"]:
            for e in f.get("asan", []):
                fault = e.get("fault") or {}
                what = fault.get("type", "")
                if fault.get("frames"):
                    what += " in " + " < ".join(fault["frames"])
                out.append("| `%s` | %s | %s (exit %d) | %s | %s |" % (
                    md_cell(f["file"]), e["build"], e["result"], e["exit"],
                    e["verdict"], md_cell(what)))
    out += ["", "## What this proves\n",
            "A file that passes is safe on the modelled sensor builds "
            "named above with the events the gate synthesised (every "
            "criterion evaluated, each one failing in turn, boundary "
            "values) and the ones supplied. That is not every possible "
            "event: the fuzz targets (fuzz_gate, fuzz_differential) look "
            "for the rest. See docs/GATE.md.\n",
            "## Files\n", "| file | what |", "| --- | --- |",
            "| gate.md | this report |",
            "| gate.json | everything, as data (schema %s) |" % SCHEMA,
            "| gate.sarif | SARIF 2.1.0: one result per fault, validator "
            "problem and warning |"]
    return "\n".join(out) + "\n"


RULES = {
    "CF_E_INPUT_BOUNDS": "A sensor build would read past the inputs it "
    "supplies (out-of-bounds read, the CF-291 defect class).",
    "CF_E_GATE_UNREACHED": "A live criterion no event evaluated.",
    "CF_E_GATE_UNSAT": "An instance that can never match.",
    "CF_E_GATE_DISABLED": "An instance every sensor build disables (a "
    "regex that does not compile).",
    "SANITIZER": "The sanitizer replay faulted where the gate reported "
    "nothing.",
}


def sarif(rep):
    results = []

    def result(rule, level, text, path, logical, props, fp):
        results.append({
            "ruleId": rule, "level": level, "message": {"text": text},
            "locations": [{
                "physicalLocation": {"artifactLocation": {"uri": path}},
                "logicalLocations": [{"name": logical, "kind": "member"}]}],
            "partialFingerprints": {"chanfuzzGate/v1": hashlib.sha1(
                fp.encode()).hexdigest()[:16]},
            "properties": props})

    for f in rep["files"]:
        path = f["file"]
        if f["verdict"] == "error":
            result("CF_E_INPUT", "error", "Cannot check %s: %s" % (
                path, f["error"]), path, "file", {"exit": f["exit"]},
                "error|" + path)
            continue
        tmpl = f["template"]["name"]
        for x in f.get("faults", []):
            logical = "instance %d criterion %d" % (x["instance_id"],
                                                    x["criterion"])
            result("CF_E_INPUT_BOUNDS", "error",
                   "Sensor %s, template %s, instance %d (#%d), criterion "
                   "%d, %s: reads past the %d inputs supplied; event %s" % (
                       x["build"], tmpl, x["instance_id"], x["instance"],
                       x["criterion"], field_text(x), x["supplied"],
                       event_text(x["event"])),
                   path, logical,
                   {"build": x["build"], "template": tmpl,
                    "instance_id": x["instance_id"],
                    "criterion": x["criterion"], "field": x["field"],
                    "supplied": x["supplied"], "event": x["event"]},
                   "|".join(map(str, ("fault", f.get("sha256"), x["build"],
                                      x["instance_id"], x["criterion"]))))
        for p in f.get("validator", {}).get("problems", []):
            logical = ("instance %s criterion %s" % (p["instance_id"],
                                                     p["criterion"])
                       if p["instance"] >= 0 else "file")
            result(p["code"], "error", "Content Validator: %s" % p["why"],
                   path, logical, {"code": p["code"],
                                   "number": p["number"]},
                   "|".join(map(str, ("val", f.get("sha256"), p["code"],
                                      p["instance"], p["criterion"]))))
        for w in f.get("warnings", []):
            result(w["code"], "warning", "%s: instance %d criterion %d: %s"
                   % (w["code"], w["instance_id"], w["criterion"], w["why"]),
                   path, "instance %d criterion %d" % (w["instance_id"],
                                                       w["criterion"]),
                   dict(w), "|".join(map(str, (
                       "warn", f.get("sha256"), w["code"], w["instance"],
                       w["criterion"]))))
        for e in f.get("asan", []):
            if e["verdict"] != "missed":
                continue
            result("SANITIZER", "error",
                   "Sensor %s: %s under ASan, not reported by the gate" % (
                       e["build"], (e.get("fault") or {}).get("type", "")),
                   path, "file", e, "san|%s|%s" % (f.get("sha256"),
                                                   e["build"]))
    rules = sorted({r["ruleId"] for r in results})
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "chanfuzz-gate", "semanticVersion": "1.0.0",
                "informationUri": "https://example.invalid/chanfuzz",
                "rules": [{"id": r, "name": re.sub("[^A-Za-z0-9]+", "-", r),
                           "shortDescription": {"text": RULES.get(
                               r, "Content Validator: " + r)},
                           "help": {"text": "docs/GATE.md"}}
                          for r in rules]}},
            "versionControlProvenance": [{
                "repositoryUri": "file://" + paths.ROOT + "/",
                "revisionId": rep["revision"]}],
            "automationDetails": {"id": "chanfuzz-gate/" + rep["started"]},
            "results": results}]}


def write_atomic(path, text):
    d = os.path.dirname(path) or "."
    fd, tmp = tempfile.mkstemp(dir=d, prefix="." + os.path.basename(path),
                               suffix=".tmp")
    try:
        with os.fdopen(fd, "w") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def run(args):
    started = now_iso()
    err = ensure_tools(args)
    if err:
        print("chanfuzz gate: %s" % err, file=sys.stderr)
        return EX_INTERNAL
    gate_exit, data, stderr = gate_json(args.cftool, args.files,
                                        args.sensors, args.events)
    sys.stderr.write(stderr)
    if data is None:
        # usage (exit 2) or an events file that does not parse: cftool
        # said why on stderr, and there is no report to write
        return gate_exit if gate_exit != EX_OK else EX_INTERNAL
    replays = {}
    for i, (f, path) in enumerate(zip(data["files"], args.files)):
        if args.no_asan or f["verdict"] == "error":
            continue
        replays[i] = [asan_replay(args.asan_cftool, path, b["name"],
                                  args.events)
                      for b in f["builds"] if b["runs"]]
    rep = build_report(data, replays, args, started, now_iso(), gate_exit)
    out = args.out or paths.root_path(
        "build", "gate", started.replace("-", "").replace(":", ""))
    os.makedirs(out, exist_ok=True)
    write_atomic(os.path.join(out, "gate.json"),
                 json.dumps(rep, indent=1) + "\n")
    write_atomic(os.path.join(out, "gate.sarif"),
                 json.dumps(sarif(rep), indent=1) + "\n")
    write_atomic(os.path.join(out, "gate.md"), markdown(rep))
    t = rep["total"]
    for f in rep["files"]:
        for e in f.get("asan", []):
            if e["verdict"] in ("missed", "error"):
                print("chanfuzz gate: %s: sensor %s: sanitizer replay %s "
                      "(%s)" % (f["file"], e["build"], e["verdict"],
                                (e.get("fault") or {}).get("type", "exit %d"
                                                           % e["exit"])),
                      file=sys.stderr)
    print("gate: %d files: %d pass, %d rejected, %d errors; %s of %s live "
          "criteria evaluated; %d fault sites; sanitizer replay: %s: %s" % (
              t.get("files", 0), t.get("passed", 0), t.get("rejected", 0),
              t.get("errors", 0), t.get("evaluated_criteria", 0),
              t.get("live_criteria", 0), t.get("fault_sites", 0),
              "skipped" if args.no_asan else "%d missed" % t["asan_missed"],
              "PASS" if rep["exit"] == EX_OK else "REJECTED"))
    print("report: %s" % os.path.join(out, "gate.md"))
    print("        %s, %s" % (os.path.join(out, "gate.sarif"),
                              os.path.join(out, "gate.json")))
    return rep["exit"]
