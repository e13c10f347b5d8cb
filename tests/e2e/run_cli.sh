#!/bin/sh
# warraq: command line, dry run, --only/--from, settings in batch.json,
# the lock against two runs on one work directory, status.
. "$(dirname "$0")/../lib.sh"

check "--help exits 0" warraq --help
check "--version" sh -c 'warraq --version | grep -q "^warraq [0-9]"'
warraq >/dev/null 2>&1; [ $? -eq 2 ] && ok "no command: exit 2" || notok "no command: exit 2" "$?"
warraq run --only nosuch "$FIX" "$T/x" 2>/dev/null; [ $? -eq 2 ] &&
    ok "unknown stage: exit 2" || notok "unknown stage: exit 2" "$?"
warraq run -o langauges=ara "$FIX" "$T/x" 2>"$T/err"; [ $? -eq 2 ] && grep -q langauges "$T/err" &&
    ok "misspelt setting refused" || notok "misspelt setting refused" "$(cat "$T/err")"
for p in ingest deskew; do
	check "warraq-$p --help" "warraq-$p" --help
	"warraq-$p" >/dev/null 2>&1; [ $? -eq 2 ] && ok "warraq-$p without arguments: exit 2" ||
	    notok "warraq-$p without arguments: exit 2" "$?"
done

make_batch "$T/scans" 3
# a folder volume with a PDF and a JPEG 2000 beside its TIFF pages
mkdir -p "$T/vscans/vol"
cp "$T/scans/p01.tif" "$T/vscans/vol/0001.tif"
echo '%PDF-1.4' >"$T/vscans/vol/0002.pdf"
echo 'not a scan' >"$T/vscans/vol/notes.txt"
warraq run -n "$T/scans" "$T/w" >"$T/dry"
[ ! -e "$T/w" ] && grep -q '^ingest' "$T/dry" && ok "dry run writes nothing" ||
    notok "dry run writes nothing" "$(cat "$T/dry")"
checkx "dry run on a new batch: each document it would take, the stages after"     'grep -q "^ingest p01: 1 file (1 new) from p01.tif" "$T/dry" &&
     grep -q "^ingest p03: 1 file (1 new)" "$T/dry" &&
     grep -q "^deskew  every page ingest takes" "$T/dry"'
warraq run -n "$T/vscans" "$T/vw" >"$T/dry" 2>"$T/dry.err"
checkx "dry run: a PDF in a volume named as skipped, with why; notes not"     '[ ! -e "$T/vw" ] && grep -q "^ingest vol: 1 file (1 new)" "$T/dry" &&
     grep -q "vol/0002.pdf: skipped: PDF is not a format warraq takes" "$T/dry.err" &&
     ! grep -q notes.txt "$T/dry.err"'
warraq run -q --only ingest "$T/vscans" "$T/vw" 2>"$T/err"
checkx "ingest: the PDF said and listed as skipped in summary.json"     'grep -q "vol/0002.pdf: skipped" "$T/err" &&
     [ "$(jq -r ".skipped[0].name" "$T/vw/ingest/summary.json")" = vol/0002.pdf ]'
warraq-deskew -n "$T/vw" >"$T/dry"
checkx "a stage program's dry run lists its pages, makes nothing"     'grep -q "^deskew vol/0001$" "$T/dry" && [ ! -e "$T/vw/deskew" ]'

printf 'assume_dpi = 200\n# a comment\nlanguages = ara+fra\n' >"$T/profile"
check "--only ingest" warraq run -q --only ingest -p "$T/profile" "$T/scans" "$T/w"
[ ! -e "$T/w/deskew" ] && ok "--only ran no other stage" || notok "--only ran no other stage" "deskew/ exists"
[ "$(jq -r .settings.assume_dpi "$T/w/batch.json")" = 200 ] &&
[ "$(jq -r .settings.languages "$T/w/batch.json")" = ara+fra ] &&
[ "$(jq -r .versions.tesseract "$T/w/batch.json")" != null ] &&
[ "$(jq -r '.ocr_models[0].sha256' "$T/w/batch.json" | wc -c)" -eq 65 ] &&
    ok "batch.json records settings, versions and model checksums" ||
    notok "batch.json records settings, versions and model checksums" "$(cat "$T/w/batch.json")"
warraq run -n "$T/scans" "$T/w" >"$T/dry"
grep -q '^deskew  3 pages to run now' "$T/dry" && ok "dry run lists pending pages" ||
    notok "dry run lists pending pages" "$(cat "$T/dry")"
check "--from deskew" warraq run -q --from deskew -p "$T/profile" "$T/scans" "$T/w"
[ "$(ls "$T/w"/deskew/*/*.json | wc -l)" -eq 3 ] && ok "--from ran deskew" || notok "--from ran deskew" "missing"

# the lock: a second run on the same WORK is refused while one holds it
exec 9>"$T/w/.lock"
flock -n 9
warraq run -q "$T/scans" "$T/w" 2>"$T/err"; st=$?
exec 9>&-
[ $st -eq 4 ] && grep -q "another warraq run" "$T/err" && ok "second run refused by the lock (exit 4)" ||
    notok "second run refused by the lock" "status $st: $(cat "$T/err")"

warraq status "$T/w" >"$T/st"
grep -Eq '^ingest +3 +0 +0 +0' "$T/st" && grep -Eq '^deskew +3 +0 +0 +0' "$T/st" &&
    ok "status counts" || notok "status counts" "$(cat "$T/st")"

# nothing is written outside WORK through a link: a WORK/.lock that is a
# link to a file elsewhere is refused, the file untouched; a log file that
# is a link is replaced by a file of its own, its target untouched
mkdir -p "$T/lk"
echo keep >"$T/lk/target"
warraq run -q --only ingest "$T/scans" "$T/lw" >/dev/null 2>&1
rm -f "$T/lw/.lock"
ln -s "$T/lk/target" "$T/lw/.lock"
warraq run -q --only ingest "$T/scans" "$T/lw" >"$T/lk.out" 2>&1; st=$?
checkx "a linked WORK/.lock: refused ($st), its target untouched" \
    "[ $st -ne 0 ] && [ \"\$(cat '$T/lk/target')\" = keep ] && grep -q 'symbolic link' '$T/lk.out'"
rm "$T/lw/.lock"
echo keep >"$T/lk/log"
ln -sf "$T/lk/log" "$T/lw/logs/ingest.log"
warraq run -q --only ingest "$T/scans" "$T/lw" >/dev/null 2>&1
checkx "a linked log file: its target untouched, the link gone (an empty log is not kept)" \
    "[ \"\$(cat '$T/lk/log')\" = keep ] && [ ! -L '$T/lw/logs/ingest.log' ]"

# every command has its help
check "warraq status --help" sh -c 'warraq status --help | grep -q "^usage: warraq status WORK_DIR"'
check "warraq cancel --help" sh -c 'warraq cancel --help | grep -q "^usage: warraq cancel WORK_DIR"'

# logs worth reading: each unit's log says what its stage decided and
# measured; none is left empty; -v shows them as they end
warraq run -v --stages ingest,deskew,clean "$T/scans" "$T/vw2" >/dev/null 2>"$T/v.err"
checkx "warraq run -v: each page's decisions, live" \
    'grep -q "warraq-deskew: p01/0001: done in .*orientation_deg 0, skew_deg" "$T/v.err" &&
     grep -q "warraq-clean: p02/0001: done in .*speckles_removed" "$T/v.err"'
checkx "the logs hold them, and no log is empty" \
    'grep -q "skew_deg" "$T/vw2/logs/deskew/p01/0001.log" &&
     [ -z "$(find "$T/vw2/logs" -type f -empty)" ]'
