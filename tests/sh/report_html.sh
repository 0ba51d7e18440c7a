# report_html.sh - the campaign's report.html (scripts/lib/chanfuzz/
# reporthtml.py) opened in a real browser: Debian's chromium, headless.
# The fixture campaign folder of report_test.py, with two small one-colour
# PNG plots of known sizes and colours, goes through `scripts/chanfuzz
# report`; a copy of its report.html with a probe script added is loaded
# with --dump-dom. The probe, in the load event, writes what the browser
# made of the page into the DOM: the crash table's rows as laid out and
# its size; each <img>'s natural and displayed size and its centre pixel
# drawn on a canvas (naturalWidth alone is no proof: a PNG cut after its
# header has one, and no pixels); the resources the page fetched; and a
# corrupt PNG as a control, which must not decode. Two chromium runs, about
# 4 s. No chromium is a failure, not a skip: `scripts/deps.sh --test` (make test) installs it.
# shellcheck shell=bash disable=SC2015 # cond && ok || bad: ok always succeeds
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
cd "$(dirname "$0")/../.." || exit 1

# campaign DIR: the fixture campaign with coverage.png 64x32 of one colour
# and execs.png 48x24 of another; prints the campaign folder.
campaign() {
	python3 - "$1" <<'EOF'
import os, sys
sys.path.insert(0, "scripts/lib")
from chanfuzz.report_test import make_campaign, png
out, _ = make_campaign(sys.argv[1])
for name, w, h, rgb in (("coverage.png", 64, 32, (200, 60, 40)),
                        ("execs.png", 48, 24, (30, 120, 60))):
    with open(os.path.join(out, name), "wb") as f:
        f.write(png(w, h, rgb))
print(out)
EOF
}

# The probe goes before the page's Content-Security-Policy <meta>, which
# applies only to what follows it; it reads the page and fetches nothing.
PROBE='<script>
addEventListener("DOMContentLoaded", () => {
  const bad = document.createElement("img");
  bad.id = "cf-control";
  // the PNG signature, then "not a picture"
  bad.src = "data:image/png;base64,iVBORw0KGgpub3QgYSBwaWN0dXJl";
  document.body.appendChild(bad);
});
addEventListener("load", () => {
  const box = e => { const r = e.getBoundingClientRect(); return [Math.round(r.width), Math.round(r.height)]; };
  const pixel = i => {
    const c = document.createElement("canvas");
    c.width = i.naturalWidth; c.height = i.naturalHeight;
    try {
      const x = c.getContext("2d");
      x.drawImage(i, 0, 0);
      return [...x.getImageData(i.naturalWidth >> 1, i.naturalHeight >> 1, 1, 1).data];
    } catch (e) { return String(e); }
  };
  const control = document.getElementById("cf-control");
  control.remove();
  const t = document.getElementById("crash-table");
  const facts = {
    title: document.title,
    crash_table: t && {box: box(t), rows: [...t.rows].map(r => [...r.cells].map(c => c.innerText.trim())),
                       new_rows: t.querySelectorAll("tr.new").length},
    images: [...document.images].map(i => ({alt: i.alt, complete: i.complete,
      natural: [i.naturalWidth, i.naturalHeight], shown: box(i), pixel: pixel(i)})),
    control: {complete: control.complete, natural: control.naturalWidth},
    noplot: [...document.querySelectorAll(".noplot")].map(n => ({text: n.innerText, box: box(n)})),
    coverage_link: (document.getElementById("coverage-link") || {}).href || null,
    resources: performance.getEntriesByType("resource").map(r => r.name)};
  const out = document.createElement("pre");
  out.id = "cf-probe";
  out.textContent = btoa(unescape(encodeURIComponent(JSON.stringify(facts))));
  document.body.appendChild(out);
});
</script>'

# browse DIR: load DIR/report.html with the probe in chromium; the facts
# (JSON) in $TMP/facts.json.
browse() {
	local view=$1/probe.html args
	PROBE=$PROBE awk '{ print } /^<head>$/ && !done { print ENVIRON["PROBE"]; done = 1 }' \
		"$1/report.html" >"$view"
	args=(--headless --disable-gpu --no-first-run --disable-background-networking
		--disable-component-update --disable-sync --user-data-dir="$TMP/chromium"
		--dump-dom "file://$view")
	# chromium refuses to run as root with its sandbox on
	[ "$(id -u)" != 0 ] || args=(--no-sandbox "${args[@]}")
	rm -f "$TMP/facts.json"
	XDG_CONFIG_HOME=$TMP/xdg XDG_CACHE_HOME=$TMP/xdg timeout 60 \
		chromium "${args[@]}" >"$TMP/dom.html" 2>"$TMP/chromium.err"
	sed -n 's/.*<pre id="cf-probe">\([A-Za-z0-9+/=]*\)<\/pre>.*/\1/p' "$TMP/dom.html" |
		base64 -d >"$TMP/facts.json" 2>/dev/null
	if jq -es 'length == 1 and (.[0] | type == "object")' "$TMP/facts.json" >/dev/null 2>&1; then
		ok
	else
		bad "chromium gave no probe result: $(tail -n 5 "$TMP/chromium.err")"
	fi
}
# fact JQ WHAT [JQ-ARGS...]: the jq test JQ holds on the facts (jq 1.6 -e
# exits 0 on an empty file: hence -s)
fact() {
	local q=$1 what=$2
	shift 2
	if jq -es "$@" "length == 1 and (.[0] | $q)" "$TMP/facts.json" >/dev/null 2>&1; then
		ok
	else
		bad "$what: $(jq -c . "$TMP/facts.json" 2>/dev/null | head -c 1500)"
	fi
}

C=$(campaign "$TMP/c")
[ -d "$C" ] && ok || bad "the fixture campaign was not made"
run scripts/chanfuzz report "$C"
expect_rc 0 "scripts/chanfuzz report on the fixture campaign"
[ -s "$C/report.html" ] && ok || bad "no report.html"

if ! command -v chromium >/dev/null 2>&1; then
	bad "chromium is not installed (scripts/deps.sh --test installs it; make test runs it)"
	finish report_html
	exit 1
fi

browse "$C"
fact '.title == "Fuzz campaign 20261206T035500Z"' "the page's title"
# The crash table, as laid out: a header and the two new signatures,
# the crashing seed first, each with its reproduce command.
fact '.crash_table.box[0] > 400 and .crash_table.box[1] > 60' "the crash table is laid out"
fact '.crash_table.rows | length == 3' "the crash table has a header and two rows"
fact '.crash_table.rows[0][1:4] == ["signature", "crash type", "root cause"]' "the crash table's header"
fact '[.crash_table.rows[1:][] | .[1]] == ["6a0f0d1c2b3a", "5c1e2b7f0a11"]' "the signatures, the seed's first"
fact '.crash_table.rows[1][0] == "new (seed)" and .crash_table.rows[2][0] == "new" and .crash_table.new_rows == 2' "both marked new"
fact '.crash_table.rows[1][3] == "stack: cf_chan_add_string < parse_strings < cf_chan_parse"' "a stack cell, its < as text"
fact '.crash_table.rows[2][3] == "interpreter/7.11/ProcessCreate/unsupplied/9"' "a root cause cell"
fact '.crash_table.rows[2][8] | test("^scripts/repro.sh .*/crashes/5c1e2b7f0a11$")' "the reproduce command"
# The plots: both decoded, at their own sizes, and shown.
fact '[.images[].alt] == ["coverage over time", "executions over time"]' "two plots, in order"
fact '[.images[].natural] == [[64, 32], [48, 24]]' "each plot decoded at its size (naturalWidth > 0)"
fact '[.images[].pixel] == [[200, 60, 40, 255], [30, 120, 60, 255]]' "each plot's pixels, drawn on a canvas, are its own"
fact 'all(.images[]; .complete and .shown[0] > 0 and .shown[1] > 0)' "each plot is shown"
fact '.control == {complete: true, natural: 0}' "the control: a corrupt PNG does not decode"
fact '.noplot == []' "no 'no plot' note when both plots are there"
fact '.resources == []' "nothing fetched"
# shellcheck disable=SC2016 # $c is jq's variable
fact '.coverage_link == "file://\($c)/coverage/index.html"' "the relative link to coverage/index.html" --arg c "$C"

# Without execs.png: a visible note where it was.
rm "$C/execs.png"
run scripts/chanfuzz report "$C"
expect_rc 0 "scripts/chanfuzz report without execs.png"
browse "$C"
fact '[.images[].alt] == ["coverage over time"] and .images[0].pixel == [200, 60, 40, 255]' "coverage.png still embedded"
fact '(.noplot | length) == 1 and (.noplot[0].text | startswith("no plot: execs.png")) and .noplot[0].box[1] > 20' "a visible 'no plot' note for execs.png"

finish report_html
