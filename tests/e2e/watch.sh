#!/bin/sh
# warraq watch: a hot folder.  A TIFF written slowly, in chunks, is
# ingested whole and once; a folder waits for its marker; documents there
# at start are taken first and, once finished, not redone after a
# restart; a document changed after it was processed is said to have
# changed and taken again; a damaged scan is quarantined while watching
# goes on; SIGTERM lets the page in hand finish, exits 0, and the same
# command finishes the rest.
. "$(dirname "$0")/../lib.sh"

# wait_for FILE ERE SECONDS: until a line of FILE matches
wait_for() {
	n=0
	until grep -Eq -- "$2" "$1" 2>/dev/null; do
		n=$((n + 1))
		[ "$n" -gt $(($3 * 10)) ] && return 1
		sleep 0.1
	done
}
# waitx NAME FILE ERE SECONDS: wait_for as a test
waitx() {
	if wait_for "$2" "$3" "$4"; then ok "$1"
	else notok "$1" "no line /$3/ in $4 s: $(tail -n 3 "$2" | tr '\n' ' ')"; fi
}
# stop PID: SIGTERM, then its exit status (124: still running after 60 s)
stop() {
	kill -TERM "$1"
	n=0
	while kill -0 "$1" 2>/dev/null && [ "$n" -lt 600 ]; do
		sleep 0.1
		n=$((n + 1))
	done
	if kill -0 "$1" 2>/dev/null; then
		kill -9 "$1"
		wait "$1"
		return 124
	fi
	wait "$1"
}
count() { grep -Ec -- "$2" "$1"; }
page() {	# page SRC OUT: a small page of a fixture, uncompressed (slow to write)
	convert "$FIX/$1" -crop 900x500+150+150 +repage -compress none "$2"
}

mkdir -p "$T/a/old2" "$T/pages"
page fr-seed.tif "$T/pages/fr.tif"
page ar-seed.tif "$T/pages/ar.tif"
page mixed-fr-ar.tif "$T/pages/mixed.tif"
convert "$FIX/fr-seed.tif" -crop 700x400+300+600 +repage -compress none "$T/pages/fr2.tif"
convert "$FIX/ar-seed.tif" -crop 700x400+300+600 +repage -compress none "$T/pages/ar2.tif"
cp "$T/pages/fr.tif" "$T/a/old1.tif"
cp "$T/pages/ar.tif" "$T/a/old2/1.tif"

# ---- what the watcher stands on: ingest reads only the NAMEs given ----
mkdir -p "$T/d/done" "$T/d/busy"
cp "$T/pages/fr.tif" "$T/d/done/1.tif"
cp "$T/pages/ar.tif" "$T/d/a.tif"
head -c 5000 "$T/pages/mixed.tif" >"$T/d/busy/1.tif"	# being written
check "ingest NAME: one document" warraq-ingest -q "$T/d" "$T/wd" done
checkx "ingest NAME: the half-written file beside it is not read" \
    '[ ! -e "$T/wd/quarantine" ] && [ "$(grep -c "^done	" "$T/wd/pages.tsv")" = 1 ] &&
     ! grep -q busy "$T/wd/pages.tsv"'
cp "$T/pages/mixed.tif" "$T/d/busy/1.tif"
check "ingest NAME: the next one" warraq-ingest -q "$T/d" "$T/wd" busy a.tif
check "ingest NAME: a name that is a path is a usage error" \
    sh -c 'warraq-ingest -q "$1/d" "$1/wd" ../d; [ $? = 2 ]' sh "$T"
warraq-ingest -q "$T/d" "$T/wall" 2>/dev/null
checkx "ingest NAME: pages.tsv and docs.tsv as a whole run makes them" \
    'cmp "$T/wd/pages.tsv" "$T/wall/pages.tsv" && cmp "$T/wd/docs.tsv" "$T/wall/docs.tsv"'

# ---- quiet period: documents there at start, a slow writer, damage ----
# (copied a few seconds ago: they may still have a quiet period to wait)
w=$T/wa
warraq watch -j 2 -o watch_quiet=3 -o stages=deskew "$T/a" "$w" 2>"$T/a.log" &
pid=$!
waitx "documents there at start are found" "$T/a.log" \
    'watching: 0 documents done before, (0 taken now, 2|2 taken now, 0) waiting' 60
waitx "documents there at start are taken" "$T/a.log" 'old2: finished' 60
checkx "each finished, with its figures" \
    'grep -q "old1.tif: finished as old1: 1 pages, 1 done, 0 failed" "$T/a.log" &&
     grep -q "old2: finished as old2: 1 pages, 1 done, 0 failed" "$T/a.log"'
warraq run -q "$T/a" "$w" 2>"$T/lock.log"
checkx "the work directory is locked while watched" \
    '[ $? = 4 ] && grep -q "another warraq run is using" "$T/lock.log"'

# the scanner writes one page in 12 pieces, 0.25 s apart, file kept open
mkdir "$T/a/slow"
split -n 12 "$T/pages/mixed.tif" "$T/piece."
{
	for c in "$T"/piece.*; do
		cat "$c"
		sleep 0.25
	done
} >"$T/a/slow/0001.tif"
written=$(date +%s.%N)
waitx "slowly written document finished" "$T/a.log" 'slow: finished' 60
checkx "taken once" '[ "$(count "$T/a.log" "slow: started")" = 1 ]'
checkx "taken after the last piece was written" \
    '[ "$(grep -c "slow: started" "$T/a.log")" = 1 ] &&
     [ "$(stat -c %Y "$w/ingest/slow/0001.json")" -ge "${written%.*}" ]'
checkx "ingested whole: the recorded SHA-256 is the file's" \
    '[ "$(jq -r .source_sha256 "$w/ingest/slow/0001.json")" = "$(sha "$T/a/slow/0001.tif")" ] &&
     [ "$(jq -r .source_size "$w/ingest/slow/0001.json")" = "$(stat -c %s "$T/a/slow/0001.tif")" ]'
checkx "one page row, nothing quarantined" \
    '[ "$(grep -c "/slow/" "$w/pages.tsv")" = 1 ] && [ ! -e "$w/quarantine" ]'

# a damaged scan is quarantined, and the next document still goes through
head -c 3000 "$T/pages/fr.tif" >"$T/a/broken.tif"
waitx "damaged scan reported failed, quarantined" "$T/a.log" \
    'broken.tif: failed as -: 0 pages, 0 done, 0 failed, 1 files quarantined' 60
checkx "its quarantine record" '[ -s "$w/quarantine/broken.tif.reason" ]'
cp "$T/pages/ar.tif" "$T/a/after.tif"
waitx "watching goes on after it" "$T/a.log" 'after.tif: finished' 60
checkx "the watcher still runs" 'kill -0 $pid'

# a name with a newline and quotes is one line of log, escaped
cp "$T/pages/fr2.tif" "$T/a/$(printf 'od\nd "q".tif')"
waitx "hostile name finished, escaped on one line" "$T/a.log" \
    'od\\nd "q".tif: finished' 60

# a page added to a finished document: said so, the document taken again
cp "$T/pages/ar2.tif" "$T/a/old2/2.tif"
waitx "change after processing reported" "$T/a.log" \
    'old2: changed since it was processed' 60
waitx "the changed document processed again, whole" "$T/a.log" \
    'old2: finished as old2: 2 pages, 2 done' 60

stop $pid
checkx "SIGTERM while idle: exit 0" '[ $? = 0 ]'
checkx "says it stopped" 'grep -q "stopped (signal 15)" "$T/a.log"'

# ---- restart: finished documents are not redone ----
touch "$T/stamp"
sleep 1
warraq watch -j 2 -o watch_quiet=3 -o stages=deskew "$T/a" "$w" 2>"$T/a2.log" &
pid=$!
waitx "restart: finished documents counted as done" "$T/a2.log" \
    'watching: 5 documents done before' 60
checkx "restart: none of them started again" \
    '! grep -Eq "(old1.tif|old2|slow|after.tif|q\".tif): started" "$T/a2.log"'
# (but for ingest's summary and the damaged scan's record: tried again)
checkx "restart: their outputs untouched" \
    'f=$(find "$w/ingest" "$w/deskew" "$w/watch" -type f -newer "$T/stamp" \
	 ! -name summary.json ! -name broken.tif.json); echo "$f"; [ -z "$f" ]'
checkx "restart: the damaged scan tried again (as a second warraq run would)" \
    'grep -q "broken.tif: failed" "$T/a2.log"'
stop $pid
checkx "restart: exit 0 on SIGTERM" '[ $? = 0 ]'

# ---- marker: a folder is taken once it holds READY, not before ----
mkdir -p "$T/b/vol"
w=$T/wb
WARRAQ_FAULT=deskew:probe3/0001:hang warraq watch -j 2 -o watch_marker=READY \
    -o watch_quiet=1 -o timeout=3 -o stages=deskew "$T/b" "$w" 2>"$T/b.log" &
pid=$!
wait_for "$T/b.log" 'watching:' 60
cp "$T/pages/fr.tif" "$T/b/vol/1.tif"
# a single file beside it, quiet for 1 s, is taken: the folder had as long
cp "$T/pages/ar.tif" "$T/b/probe.tif"
waitx "marker: a single file is taken when quiet" "$T/b.log" 'probe.tif: finished' 60
checkx "marker: the folder without its marker is not" '! grep -q "vol: started" "$T/b.log"'
touch "$T/b/vol/READY"
waitx "marker: taken once the marker is there" "$T/b.log" \
    'vol: finished as vol: 1 pages, 1 done' 60
# a page written after the marker: the folder waits for a new one
cp "$T/pages/fr2.tif" "$T/b/vol/2.tif"
cp "$T/pages/mixed.tif" "$T/b/probe2.tif"
wait_for "$T/b.log" 'probe2.tif: finished' 60
checkx "marker: a page after the marker is not taken alone" \
    '[ "$(count "$T/b.log" "vol: started")" = 1 ]'
touch "$T/b/vol/READY"
waitx "marker: a new marker takes the changed folder again" "$T/b.log" \
    'vol: finished as vol: 2 pages, 2 done' 60
checkx "marker: its change was said" 'grep -q "vol: changed since it was processed" "$T/b.log"'
# a page and a new marker while another document's page hangs in deskew
{ cat "$T/pages/mixed.tif"; echo 3; } >"$T/b/probe3.tif"	# not probe2's bytes
wait_for "$T/b.log" 'probe3.tif: started' 60
cp "$T/pages/ar2.tif" "$T/b/vol/3.tif"
touch "$T/b/vol/READY"
waitx "marker: a hanging page is killed, its document reported failed" "$T/b.log" \
    'probe3.tif: failed as probe3: 1 pages, 0 done, 1 failed' 60
waitx "marker: a marker written meanwhile is seen once the run ends" "$T/b.log" \
    'vol: finished as vol: 3 pages, 3 done' 60
stop $pid

# ---- SIGTERM while pages are in hand: they finish, nothing new starts ----
mkdir -p "$T/c/book"
for i in 1 2 3 4 5 6; do
	cp "$T/pages/fr.tif" "$T/c/book/$i.tif"
	echo "$i" >>"$T/c/book/$i.tif"	# six distinct sources
done
w=$T/wc
warraq watch -j 1 -o watch_quiet=1 -o stages=deskew,clean,ocr "$T/c" "$w" 2>"$T/c.log" &
pid=$!
i=0
until [ -e "$w/logs/ocr/book/0001.log" ] || [ $i -gt 600 ]; do
	sleep 0.1
	i=$((i + 1))
done
stop $pid
checkx "SIGTERM in OCR: exit 0" '[ $? = 0 ]'
checkx "SIGTERM: the pages in hand were finished" \
    'for l in "$w"/logs/ocr/book/*.log; do
	 p=$(basename "$l" .log); [ -s "$w/ocr/book/$p.json" ] || exit 1; done'
checkx "SIGTERM: stopped before the end" \
    '[ "$(ls "$w"/ocr/book/*.json | wc -l)" -lt 6 ] && [ ! -e "$w/watch/book.json" ]'
checkx "SIGTERM: said what was left" 'grep -q "book: stopped before it was finished" "$T/c.log"'
checkx "SIGTERM: nothing half-written" '[ -z "$(find "$w" -name ".*.tmp.*")" ]'
touch "$T/stamp"
sleep 1
warraq watch -j 2 -o watch_quiet=1 -o stages=deskew,clean,ocr "$T/c" "$w" 2>"$T/c2.log" &
pid=$!
waitx "SIGTERM: the same command finishes it" "$T/c2.log" \
    'book: finished as book: 6 pages, 6 done, 0 failed' 120
checkx "SIGTERM: pages done before were not redone" \
    '[ "$(find "$w/ocr" -name "*.json" ! -newer "$T/stamp" | wc -l)" -ge 1 ]'
stop $pid

# ---- usage ----
warraq watch -n "$T/c" "$w" 2>/dev/null
checkx "watch -n is a usage error" '[ $? = 2 ]'
warraq watch "$T/c" "$T/c/work" 2>"$T/in.log"
checkx "WORK_DIR inside SCANS_DIR refused, not created" \
    '[ $? = 2 ] && [ ! -e "$T/c/work" ] && grep -q "inside SCANS_DIR" "$T/in.log"'
checkx "--help documents the settings" \
    'warraq --help | grep -q "watch_marker" && warraq --help | grep -q "watch_quiet"'
