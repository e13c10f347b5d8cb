#!/bin/sh
# warraq-report: the quality report of a batch.  One pipeline run on the
# sample batch plus a blank page, a duplicate, an empty (quarantined) file
# and two hostile file names; then a copy of the work directory with one
# page failed, one pending and hostile OCR text.  Checks the files
# (well-formed, offline, one row and one view a page, report.json and
# pages.csv against pages.tsv, flags, CER equal to warraq-eval's,
# escaping), then uses the report in headless Chromium as a person would:
# row count, sorting, the flagged filter, the boxes of a page view, no
# script injected; screenshots go to $REPORT_SHOTS (default: a temporary
# folder).  Prints how the measures without ground truth track the CER.
. "$(dirname "$0")/../lib.sh"

S=$T/scans
mkdir -p "$S" "$S/<script>alert(1)<"
cp "$FIX"/*.tif "$FIX"/*.gt.txt "$S/"
mk "hostile name" convert "$FIX/fr-seed.tif" -crop 900x260+50+60 +repage "$S/<b>&\"x'.tif"
mk "hostile folder" convert "$FIX/fr-seed.tif" -crop 900x260+50+400 +repage \
    "$S/<script>alert(1)</script>.tif"
mk "blank page" convert -size 1200x900 xc:white -depth 8 -type Grayscale "$S/blank.tif"
cp "$FIX/ar-seed.tif" "$S/zz-copy-of-ar-seed.tif"
: >"$S/empty.tif"
[ "$mkfail" -eq 0 ] || exit 1

warraq run -q "$S" "$T/w" >"$T/run.out" 2>&1
[ -s "$T/w/report/index.html" ] && [ -s "$T/w/report/report.json" ] &&
    ok "warraq run ends with the report" || notok "warraq run ends with the report" "no report/"
W=$T/w
R=$W/report
warraq-report "$W" >"$T/out" 2>"$T/err"
st=$?
[ "$st" -eq 0 ] && ok "warraq-report exits 0" || notok "warraq-report exits 0" "$st: $(cat "$T/err")"
grep -qx "$W/report/index.html" "$T/out" && ok "prints the path of index.html" ||
    notok "prints the path of index.html" "$(cat "$T/out")"

# ---- the files ----
for f in index.html report.json pages.csv report.js report.css; do
	[ -s "$R/$f" ] || notok "$f written" "missing"
done
# xmllint's HTML parser is HTML 4: it knows no section, svg or details
htmlcheck() {
	xmllint --html --noout "$1" 2>&1 | grep -E 'error' | grep -v 'Tag [a-z]* invalid'
	xmllint --noout "$1"	# the markup is well-formed XML too
}
bad=""
for f in "$R/index.html" "$R"/pages/*/*.html; do
	htmlcheck "$f" >"$T/x" 2>&1 && [ ! -s "$T/x" ] || bad="$bad $f"
done
[ -z "$bad" ] && ok "index.html and every page view well-formed" ||
    notok "index.html and every page view well-formed" "$bad $(head -3 "$T/x")"
grep -rlE 'https?://|//[a-z0-9.-]+\.[a-z]{2,}/' "$R" --include='*.html' --include='*.js' \
    --include='*.css' >"$T/net"
[ ! -s "$T/net" ] && ok "no network reference in the report" ||
    notok "no network reference in the report" "$(cat "$T/net")"
grep -q '<script src="report.js"></script>' "$R/index.html" &&
    grep -q "aria-sort" "$R/report.js" && grep -q "flagged-only" "$R/report.js" &&
    grep -q 'id="flagged-only"' "$R/index.html" &&
    ok "sort and filter script present" || notok "sort and filter script present" "missing"

npages=$(($(wc -l <"$W/pages.tsv") - 1))
tail -n +2 "$W/pages.tsv" | cut -f1,2 | tr '\t' '/' >"$T/ids"
miss=""
while read -r id; do
	grep -q "<td class=\"id\" data-v=\"$id\">" "$R/index.html" || miss="$miss row:$id"
	case $(grep -F "	${id#*/}	" "$W/pages.tsv" | grep "^${id%/*}	" | cut -f6) in
	duplicate:*) ;;
	*) [ -s "$R/pages/$id.html" ] && [ -s "$R/thumbs/$id.jpg" ] || miss="$miss view:$id" ;;
	esac
done <"$T/ids"
[ "$npages" -ge 9 ] && [ -z "$miss" ] && ok "every page ($npages) has a row, a view and a thumbnail" ||
    notok "every page has a row, a view and a thumbnail" "$npages pages;$miss"
nrows=$(grep -c '^<tr data-n=' "$R/index.html")
[ "$nrows" -eq $((npages + 1)) ] && ok "table rows: pages and the quarantined file" ||
    notok "table rows: pages and the quarantined file" "$nrows rows for $npages pages"

# ---- report.json ----
J=$R/report.json
jq -e --argjson n "$npages" '
    .report_version == 1 and .batch.pages == $n and (.pages | length) == $n and
    ([.pages[] | has("doc", "page", "source", "status", "flags", "stages",
      "orientation_deg", "skew_deg", "content_box", "script", "languages",
      "mean_confidence", "low_confidence_share", "characters", "quality",
      "ground_truth", "files")] | all) and
    ([.pages[].quality | has("dictionary_share", "other_script_share",
      "stray_symbol_share", "sharpness", "clipped_black", "clipped_white",
      "border_left")] | all) and
    .batch.done == ($n - 1) and .batch.duplicates == 1 and .batch.quarantined == 1 and
    (.batch.languages | has("ar") and has("fr")) and
    .batch.ground_truth.pages == 5 and
    .batch.flagged == ([.pages[] | select(.flags | length > 0)] | length)' "$J" >/dev/null &&
    ok "report.json: fields present, counts match pages.tsv" ||
    notok "report.json: fields present, counts match pages.tsv" "$(jq -c .batch "$J" | head -c 300)"
jq -e '.quarantined | length == 1 and .[0].source == "empty.tif" and
    .[0].reason == "empty file" and .[0].flags[0].flag == "quarantined"' "$J" >/dev/null &&
    ok "quarantined source reported with its reason" ||
    notok "quarantined source reported with its reason" "$(jq -c .quarantined "$J")"
ncsv=$(($(wc -l <"$R/pages.csv") - 1))
[ "$ncsv" -eq $((npages + 1)) ] && head -1 "$R/pages.csv" | grep -q '^doc,page,source,status,flags' &&
    ok "pages.csv: a header and one row a page ($ncsv)" || notok "pages.csv: one row a page" "$ncsv rows"

flags() {	# flags DOC [REPORT_JSON]: the flags of the page, by name
	jq -r --arg d "$1" '.pages[] | select(.doc == $d) | [.flags[].flag] | join(" ")' "${2:-$J}"
}
case " $(flags blank) " in *" blank "*) ok "blank page flagged blank";;
	*) notok "blank page flagged blank" "flags: $(flags blank)";; esac
case " $(flags zz-copy-of-ar-seed) " in *" duplicate "*) ok "duplicate source flagged";;
	*) notok "duplicate source flagged" "flags: $(flags zz-copy-of-ar-seed)";; esac
[ -z "$(flags fr-seed)" ] && ok "a good page has no flag" || notok "a good page has no flag" "$(flags fr-seed)"
[ "$(jq '.batch.flags.quarantined' "$J")" = 1 ] && ok "quarantined counted among the flags" ||
    notok "quarantined counted among the flags" "$(jq -c .batch.flags "$J")"

# CER: the same code as warraq-eval, so the same numbers
warraq-eval "$W" >/dev/null 2>&1
jq -n --slurpfile e "$W/eval.json" --slurpfile r "$J" '
    ($e[0].pages | map({key: "\(.doc)/\(.page)", value: .cer}) | from_entries) as $ev |
    [$r[0].pages[] | select(.ground_truth != null) | {k: "\(.doc)/\(.page)", c: .ground_truth.cer}] |
    length == 5 and all(.c == $ev[.k]) and
    $r[0].batch.ground_truth.cer == $e[0].batch.cer' | grep -qx true &&
    ok "CER per page and for the batch equal warraq-eval's" ||
    notok "CER per page and for the batch equal warraq-eval's" "$(jq -c .batch "$W/eval.json")"
grep -q '<dt>CER / WER</dt><dd>[0-9.]*% / [0-9.]*% (5 pages with ground truth)' "$R/index.html" &&
    ok "CER shown in the summary" || notok "CER shown in the summary" "not found"

# ---- escaping: names are shown as text, never as markup ----
esc_ok=1
grep -q "<b>&\"x'" "$R/index.html" && esc_ok=0
grep -q '<script>alert' "$R/index.html" && esc_ok=0
grep -q '&lt;b&gt;&amp;&quot;x&#39;.tif' "$R/index.html" || esc_ok=0
grep -q '&lt;script&gt;alert(1)&lt;/script&gt;.tif' "$R/index.html" || esc_ok=0
[ $esc_ok -eq 1 ] && ok "hostile file names escaped in index.html" ||
    notok "hostile file names escaped in index.html" "$(grep -o '.\{20\}alert.\{30\}' "$R/index.html" | head -2)"
grep -q "^\"[^\"]*\",\"0001\",\"<b>&\"\"x'.tif\"," "$R/pages.csv" &&
    ok "hostile file name quoted in pages.csv" || notok "hostile file name quoted in pages.csv" \
    "$(grep 'x.\.tif' "$R/pages.csv" | head -1)"

# ---- a copy: one page failed, one pending, hostile OCR text ----
C=$T/c
cp -a "$W" "$C"
rm -rf "$C/report"
WARRAQ_FAULT=ocr:fr-seed-scanned/0001:fail warraq-ocr -q "$C" fr-seed-scanned/0001 >/dev/null 2>&1
rm -f "$C/ocr/mixed-fr-ar/0001.json"
sed -i '0,/CONTENT="[^"]*"/s//CONTENT="=HYPERLINK(1)\&lt;\/td\&gt;\&lt;script\&gt;alert(2)\&lt;\/script\&gt;"/' \
    "$C/ocr/fr-seed/0001.alto.xml"
warraq-report -q -p /dev/null -o report_max_skew=2.5 "$C" >/dev/null 2>"$T/err"
st=$?
CJ=$C/report/report.json
[ "$st" -eq 0 ] && ok "partial batch: report written" || notok "partial batch: report written" "$st $(cat "$T/err")"
jq -e '.pages[] | select(.doc == "fr-seed-scanned") | .status == "failed" and
    (.flags | map(select(.flag == "failed" and (.why | test("injected failure")))) | length == 1) and
    .stages.ocr.state == "failed"' "$CJ" >/dev/null &&
    ok "failed page flagged with its stage and reason" ||
    notok "failed page flagged with its stage and reason" "$(jq -c '.pages[] | select(.doc == "fr-seed-scanned") | .flags' "$CJ")"
jq -e '.batch.failed == 1 and .batch.pending == 1 and
    (.pages[] | select(.doc == "mixed-fr-ar") | .status == "pending" and .ground_truth == null)' \
    "$CJ" >/dev/null && ok "pending page reported pending" ||
    notok "pending page reported pending" "$(jq -c .batch "$CJ" | head -c 200)"
case " $(flags ar-seed-scanned "$CJ") " in *" skew "*) ok "skew beyond report_max_skew flagged";;
	*) notok "skew beyond report_max_skew flagged" "$(flags ar-seed-scanned "$CJ")";; esac
V=$C/report/pages/fr-seed/0001.html
if htmlcheck "$V" >"$T/x" 2>&1 && [ ! -s "$T/x" ] && ! grep -q '<script>alert(2)' "$V" &&
    grep -q '=HYPERLINK(1)&lt;/td&gt;&lt;script&gt;alert(2)&lt;/script&gt;' "$V"; then
	ok "OCR text with markup shown as text in the page view"
else
	notok "OCR text with markup shown as text in the page view" "$(grep -o '.\{10\}alert(2).\{10\}' "$V" | head -2)"
fi

warraq-report -q -o hunspell_dir="$T/nowhere" "$C" >/dev/null 2>&1
st=$?
jq -e '(.batch.notes | length) == 2 and ([.pages[].quality.dictionary_share] | all(. == null)) and
    .batch.dictionaries.ar == false' "$CJ" >/dev/null && [ "$st" -eq 0 ] &&
    ok "missing word lists: dictionary share null, with a note" ||
    notok "missing word lists: dictionary share null, with a note" "st $st $(jq -c .batch.notes "$CJ")"
warraq-report -o report_min_confidence=lots "$C" >/dev/null 2>&1
[ $? -eq 2 ] && ok "bad threshold is a usage error" || notok "bad threshold is a usage error" "status"
warraq-report "$C" fr-seed/0001 >/dev/null 2>&1
[ $? -eq 2 ] && ok "pages named: usage error" || notok "pages named: usage error" "status"
warraq-report --help | grep -q report_max_skew && ok "--help lists the report settings" ||
    notok "--help lists the report settings" "missing"

# ---- how the measures without ground truth track the CER ----
jq -r '.batch.ground_truth.measures_vs_cer | to_entries[] |
    "# Spearman vs CER on the fixtures: \(.key) \(.value.spearman) (\(.value.pages) pages)"' "$J"

# ---- as a person would: headless Chromium through WebDriver ----
if ! command -v chromedriver >/dev/null || ! command -v chromium >/dev/null; then
	skip "browser test: chromium and chromium-driver not installed"
	exit 0
fi
SHOTS=${REPORT_SHOTS:-$T/shots}
mkdir -p "$SHOTS"
port=$((9500 + $$ % 400))
chromedriver --port=$port >"$T/cd.log" 2>&1 &
cd_pid=$!
trap 'kill $cd_pid 2>/dev/null; rm -rf "$T"' EXIT
wd() {	# wd METHOD PATH [JSON]: one WebDriver call, the reply on stdout
	curl -s -m 60 -X "$1" -H 'Content-Type: application/json' \
	    ${3:+-d "$3"} "http://127.0.0.1:$port$2"
}
i=0
until wd GET /status 2>/dev/null | jq -e .value.ready >/dev/null 2>&1; do
	i=$((i + 1))
	[ $i -gt 50 ] && { notok "chromedriver starts" "$(tail -2 "$T/cd.log")"; exit 1; }
	sleep 0.2
done
# a loaded machine can take Chromium past a minute to start: three tries
for try in 1 2 3; do
	reply=$(curl -sS -m 180 -X POST -H 'Content-Type: application/json' -d \
	    '{"capabilities":{"alwaysMatch":{"browserName":"chrome",
	    "goog:chromeOptions":{"binary":"/usr/bin/chromium","args":["--headless=new",
	    "--no-sandbox","--disable-gpu","--disable-dev-shm-usage","--window-size=1600,1000"]}}}}' \
	    "http://127.0.0.1:$port/session" 2>&1)
	sid=$(echo "$reply" | jq -r .value.sessionId 2>/dev/null)
	[ -n "$sid" ] && [ "$sid" != null ] && break
	echo "# browser session, try $try: $(echo "$reply" | head -c 300)"
	sid=
done
[ -n "$sid" ] || { notok "browser session" "$(echo "$reply" | head -c 300) $(tail -3 "$T/cd.log")"; exit 1; }
S_=/session/$sid
js() {	# js SCRIPT: the value it returns, as JSON
	wd POST "$S_/execute/sync" "$(jq -n --arg s "$1" '{script: $s, args: []}')" | jq -c .value
}
click() {
	e=$(wd POST "$S_/element" "$(jq -n --arg v "$1" '{using: "css selector", value: $v}')" |
	    jq -r '.value | to_entries[0].value')
	wd POST "$S_/element/$e/click" '{}' >/dev/null
}
shot() { wd GET "$S_/screenshot" | jq -r .value | base64 -d >"$SHOTS/$1.png"; }

wd POST "$S_/url" "$(jq -n --arg u "file://$R/index.html" '{url: $u}')" >/dev/null
shot index
rows=$(js "return document.querySelectorAll('#pages tbody tr').length")
[ "$rows" = $((npages + 1)) ] && ok "browser: one row a page and the quarantined file ($rows)" ||
    notok "browser: one row a page" "$rows rows"
# thumbnails load lazily, so each is loaded here as the browser would
thumbs=$(wd POST "$S_/execute/async" '{"script": "var cb = arguments[arguments.length - 1]; Promise.all(Array.from(document.querySelectorAll(\"td.thumb img\")).map(function (t) { return new Promise(function (ok) { var i = new Image(); i.onload = function () { ok(i.naturalWidth > 0 ? 1 : 0); }; i.onerror = function () { ok(0); }; i.src = t.src; }); })).then(function (v) { cb(v.reduce(function (a, b) { return a + b; }, 0)); });", "args": []}' | jq .value)
nthumb=$(grep -c 'class="thumb"><a' "$R/index.html")
[ "$thumbs" = "$nthumb" ] && ok "browser: every thumbnail loads from disk ($thumbs)" ||
    notok "browser: every thumbnail loads from disk" "$thumbs of $nthumb"
[ "$(wd GET "$S_/alert/text" | jq -r '.value.error // "none"')" = "no such alert" ] &&
    [ "$(js "return document.querySelectorAll('#pages script, #pages b').length")" = 0 ] &&
    ok "browser: no markup or script from file names" || notok "browser: no markup or script from file names" "alert or element"

col=$(js "return Array.from(document.querySelectorAll('#pages thead th')).findIndex(function (t) { return t.textContent === 'confidence'; }) + 1")
vals="var v = Array.from(document.querySelectorAll('#pages tbody tr')).map(function (r) { return r.cells[$col - 1].getAttribute('data-v'); }).filter(function (x) { return x !== ''; }).map(Number);"
click "#pages thead th:nth-child($col)"
up=$(js "$vals return v.every(function (x, i) { return i === 0 || v[i - 1] <= x; }) && v.length")
click "#pages thead th:nth-child($col)"
down=$(js "$vals return v.every(function (x, i) { return i === 0 || v[i - 1] >= x; }) && v.length")
last=$(js "var r = document.querySelectorAll('#pages tbody tr'); return r[r.length - 1].cells[$col - 1].getAttribute('data-v')")
[ "$up" -gt 5 ] 2>/dev/null && [ "$up" = "$down" ] && [ "$last" = '""' ] &&
    ok "browser: sorting by confidence, both ways, empty cells last" ||
    notok "browser: sorting by confidence" "up $up down $down last $last"
shot sorted
nflag=$(jq '[.pages[] | select(.flags | length > 0)] | length + 1' "$J")
click "#flagged-only"
vis=$(js "return Array.from(document.querySelectorAll('#pages tbody tr')).filter(function (r) { return !r.hidden && r.offsetHeight > 0; }).length")
[ "$vis" = "$nflag" ] && ok "browser: flagged-only shows the $nflag flagged rows" ||
    notok "browser: flagged-only filter" "$vis shown, $nflag flagged"
shot flagged
click "#flag-filter option[value=blank]"
vis=$(js "return Array.from(document.querySelectorAll('#pages tbody tr')).filter(function (r) { return !r.hidden; }).map(function (r) { return r.cells[1].getAttribute('data-v'); })")
[ "$vis" = '["blank/0001"]' ] && ok "browser: filter by one flag (blank)" ||
    notok "browser: filter by one flag (blank)" "$vis"

wd POST "$S_/url" "$(jq -n --arg u "file://$R/pages/mixed-fr-ar/0001.html" '{url: $u}')" >/dev/null
nw=$(grep -c '<String ' "$W/ocr/mixed-fr-ar/0001.alto.xml")
boxes=$(js "return document.querySelectorAll('svg.scan rect.word').length")
shown=$(js "var r = document.querySelector('svg.scan rect.word').getBoundingClientRect(); return r.width > 2 && r.height > 2")
img=$(wd POST "$S_/execute/async" '{"script": "var cb = arguments[arguments.length - 1], i = new Image(); i.onload = function () { cb(i.naturalWidth); }; i.onerror = function () { cb(0); }; i.src = document.querySelector(\"svg.scan image\").href.animVal;", "args": []}' | jq .value)
rtl=$(js "return Array.from(document.querySelectorAll('.text p[dir=rtl]')).every(function (p) { return getComputedStyle(p).direction === 'rtl'; }) && document.querySelectorAll('.text p[dir=rtl]').length")
shot pageview
[ "$boxes" = "$nw" ] && [ "$shown" = true ] && [ "$img" -gt 100 ] 2>/dev/null &&
    ok "browser: page view shows the page and a box for each of its $nw words" ||
    notok "browser: page view boxes" "$boxes boxes for $nw words, visible $shown, image width $img"
[ "$rtl" -gt 0 ] 2>/dev/null && ok "browser: Arabic lines laid out right to left ($rtl)" ||
    notok "browser: Arabic lines right to left" "$rtl"
wd DELETE "$S_" >/dev/null
echo "# screenshots: $SHOTS (index, sorted, flagged, pageview)"
