#!/bin/sh
# faults.sh - the world failing around a batch, each with its own clear
# message: the work directory's disk fills up mid-batch (the run stops,
# nothing half-written keeps a final name, the same command finishes once
# space is freed, with the outputs of an undisturbed run); a read-only or
# missing work directory; a scans folder gone before or during the run;
# a symbolic link in the scans pointing outside them (not followed unless
# follow_symlinks = yes); permissions denied (as an unprivileged user:
# root passes permission checks).  File systems are tmpfs mounts: the
# tests that need one are skipped, saying so, where mount is not allowed.
. "${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"

M=$T/mnt
mkdir -p "$M"
trap 'umount "$M" 2>/dev/null; rm -rf "$T"' EXIT
mounted=0
mount -t tmpfs -o size=64m tmpfs "$M" 2>/dev/null && mounted=1

# valid DIR: every file under a final name (not .NAME.tmp.PID) is whole
valid() {
	find "$1" -name '.*.tmp.*' | grep -q . && { echo "temporary files left"; return 1; }
	find "$1" -path "$1/logs" -prune -o -type f ! -name '.*' -print | while read -r f; do
		case "$f" in
		*.json) jq empty "$f" 2>/dev/null || { echo "bad JSON: $f"; exit 1; } ;;
		*.tif)  tiffinfo -D "$f" >/dev/null 2>&1 || { echo "bad TIFF: $f"; exit 1; } ;;
		*.pdf)  qpdf --check "$f" >/dev/null 2>&1 || { echo "bad PDF: $f"; exit 1; } ;;
		esac
	done
}

# ---- disk full -------------------------------------------------------
make_batch "$T/scans" 4
if [ "$mounted" -eq 0 ]; then
	skip "disk full: cannot mount a tmpfs here (not root, or no CAP_SYS_ADMIN)"
else
	check "reference run on a roomy disk" warraq run -q -j 2 "$T/scans" "$T/ref"
	W=$M/work
	check "ingest onto the small disk" warraq run -q --only ingest "$T/scans" "$W"
	# fill the disk, then leave room for about one deskewed page
	dd if=/dev/zero of="$M/filler" bs=64k 2>/dev/null
	truncate -s -700K "$M/filler"
	warraq run -q -j 2 "$T/scans" "$W" >"$T/full.out" 2>&1
	rc=$?
	check "a full disk stops the run with status 3 (got $rc)" [ "$rc" -eq 3 ]
	check "it says why, and what to do" grep -q \
	    "the batch stopped: no space left on the work directory's file system; free space and run the same command again" \
	    "$T/full.out"
	check "the stage that hit it is named" grep -Eq \
	    "^warraq: (deskew|clean|ocr|pdf) [^ ]+ stopped: no space left on the work directory's file system$" \
	    "$T/full.out"
	check "no page is marked failed for it" [ -z "$(find "$W" -name '*.error')" ]
	check "nothing half-written under a final name" valid "$W"
	done_pages=$(ls "$W"/deskew/*/*.json 2>/dev/null | wc -l)
	echo "# the disk filled with $done_pages of 4 pages deskewed"
	rm -f "$M/filler"
	check "after space is freed the same command finishes" \
	    warraq run -q -j 2 "$T/scans" "$W"
	check "with the outputs of an undisturbed run" same_outputs "$T/ref" "$W"
	# the report, a whole-batch stage, written anew on a full disk
	rm -rf "$W/report"
	dd if=/dev/zero of="$M/filler" bs=64k 2>/dev/null
	truncate -s -40K "$M/filler"
	warraq run -q --only report "$T/scans" "$W" >"$T/full2.out" 2>&1
	rc=$?
	checkx "the report on a full disk stops the run with status 3 (got $rc)" '[ "$rc" -eq 3 ] && grep -q "warraq-report: $W: no space left on the work directory'\''s file system" "$T/full2.out"'
	check "nothing half-written under a final name (report)" valid "$W"
	rm -f "$M/filler"
	# the bags, made anew on a full disk: the real reason, status 3
	# (a short write once left a stale errno: "File exists", status 1)
	rm -rf "$W/bags" "$W/package" "$W/iiif"
	dd if=/dev/zero of="$M/filler" bs=64k 2>/dev/null
	truncate -s -300K "$M/filler"
	warraq-package --profile "$W/profile.conf" "$W" >"$T/full3.out" 2>&1
	rc=$?
	checkx "packaging on a full disk: status 3, the reason ($rc)" \
	    '[ "$rc" -eq 3 ] && grep -q "o space left" "$T/full3.out" && ! grep -q "File exists" "$T/full3.out"'
	checkx "no bag left under its final name" '[ -z "$(ls "$W/bags" 2>/dev/null | grep -v "^\.")" ]'
	rm -f "$M/filler"
	check "after space is freed the bags are made" warraq run -q -j 2 "$T/scans" "$W"

	# ---- read-only work directory ----------------------------------
	mount -o remount,ro "$M"
	warraq run -q "$T/scans" "$W" >"$T/ro.out" 2>&1
	rc=$?
	check "read-only work directory: status 2 (got $rc)" [ "$rc" -eq 2 ]
	check "read-only work directory: said so" grep -qx \
	    "warraq: $W: cannot write to the work directory: Read-only file system" "$T/ro.out"
	warraq-deskew -f "$W" >"$T/ro2.out" 2>&1
	rc=$?
	checkx "a stage on a read-only work directory: status 2, said once (got $rc)" '[ "$rc" -eq 2 ] && [ "$(wc -l <"$T/ro2.out")" -eq 1 ] && grep -q "cannot write to the work directory: Read-only file system" "$T/ro2.out"'
	check "warraq status still reads it" warraq status "$W"
	umount "$M"
fi

# ---- missing work directory, missing scans ------------------------------
for prog in warraq-deskew warraq-pdf; do
	$prog "$T/nowhere" >"$T/miss.out" 2>&1
	rc=$?
	checkx "$prog on a missing work directory: status 2, said ($rc)" '[ "$rc" -eq 2 ] && grep -qx "$prog: $T/nowhere: cannot open the work directory: No such file or directory" "$T/miss.out"'
done
warraq status "$T/nowhere" >"$T/miss.out" 2>&1
rc=$?
checkx "warraq status on a missing work directory: status 2, said ($rc)" '[ "$rc" -eq 2 ] && grep -q "cannot open the work directory: No such file or directory" "$T/miss.out"'
warraq run -q "$T/noscans" "$T/w2" >"$T/miss.out" 2>&1
rc=$?
checkx "missing scans folder: status 2, said ($rc)" '[ "$rc" -eq 2 ] && grep -qx "warraq: $T/noscans: cannot read the scans folder: No such file or directory" "$T/miss.out"'

# ---- the scans folder vanishes during ingest ---------------------------
V=$T/vscans
mkdir -p "$V"
convert -size 1400x1400 xc:gray60 -seed 7 +noise Gaussian -colorspace gray \
    -depth 8 -compress none "$T/noise.tif"
i=10
while [ "$i" -lt 40 ]; do
	cp "$T/noise.tif" "$V/p$i.tif"
	tiffset -s 305 "copy $i" "$V/p$i.tif"	# each its own content
	i=$((i + 1))
done
warraq run -q --only ingest "$V" "$T/vw" >"$T/van.out" 2>&1 &
pid=$!
n=0
while [ "$n" -lt 400 ] && [ -z "$(ls "$T"/vw/ingest/*/*.json 2>/dev/null)" ]; do
	sleep 0.02
	n=$((n + 1))
done
mv "$V" "$V.away"
wait "$pid"
rc=$?
got=$(ls "$T"/vw/ingest/*/*.json 2>/dev/null | wc -l)
if [ "$got" -ge 30 ]; then
	skip "scans folder vanishing: ingest finished before the folder went"
else
	check "scans folder vanished mid-ingest: the run stops ($rc)" [ "$rc" -ne 0 ]
	check "scans folder vanished mid-ingest: said so" grep -q \
	    "the scans folder vanished during the run: stopped" "$T/van.out"
	check "scans folder vanished mid-ingest: nothing quarantined" \
	    [ -z "$(ls "$T/vw/quarantine" 2>/dev/null)" ]
	echo "# the folder went after $got of 30 pages"
	mv "$V.away" "$V"
	check "it comes back: the same command finishes ingest" \
	    warraq run -q --only ingest "$V" "$T/vw"
	check "all 30 pages there" [ "$(ls "$T"/vw/ingest/*/*.json | wc -l)" -eq 30 ]
fi

# ---- symbolic links out of the scans folder -----------------------------
L=$T/lscans
mkdir -p "$L/book" "$T/outside"
cp "$TOP/tests/fuzz/corpus/image/gray-lzw-pred.tif" "$L/good.tif"
cp "$TOP/tests/fuzz/corpus/image/bilevel-g4.tif" "$L/book/1.tif"
cp "$TOP/tests/fuzz/corpus/image/rgb-deflate.tif" "$T/outside/secret.tif"
cp "$TOP/tests/fuzz/corpus/image/gray-cm.tif" "$T/outside/page.tif"
ln -s "$T/outside/secret.tif" "$L/link-out.tif"
ln -s "$T/outside/page.tif" "$L/book/2.tif"
ln -s "$T/outside" "$L/linked-folder"
ln -s good.tif "$L/link-in.tif"
warraq-ingest "$L" "$T/lw" >"$T/link.out" 2>&1
rc=$?
check "links out of the scans: status 1 ($rc)" [ "$rc" -eq 1 ]
for f in link-out.tif book/2.tif linked-folder; do
	check "$f: not followed, said" grep -q \
	    "$f: symbolic link to $T/outside.*, outside the scans folder: not followed (follow_symlinks = yes takes it)" \
	    "$T/link.out"
done
check "no page of what lies outside was read" [ -z "$(grep -F "$T/outside" "$T/lw/pages.tsv")" ]
check "the link inside is taken (a duplicate of good.tif)" \
    grep -q "duplicate:good/0001" "$T/lw/pages.tsv"
checkx "book keeps its own page" '[ -f "$T/lw/ingest/book/0001.json" ] && [ ! -e "$T/lw/ingest/book/0002.json" ]'
warraq-ingest -q -o follow_symlinks=yes "$L" "$T/lw" >"$T/link2.out" 2>&1
rc=$?
checkx "follow_symlinks = yes takes them ($rc)" '[ "$rc" -eq 0 ] && [ -f "$T/lw/ingest/link-out/0001.json" ] && [ -f "$T/lw/ingest/book/0002.json" ] && [ -z "$(ls "$T/lw/quarantine" 2>/dev/null)" ]'

# ---- permission denied, as an unprivileged user -------------------------
P=$T/perm
if ! command -v setpriv >/dev/null 2>&1 ||
    ! setpriv --reuid=nobody --regid=nogroup --clear-groups true 2>/dev/null; then
	skip "permissions: no setpriv, or cannot become nobody (not root)"
else
	mkdir -p "$P/scans" "$P/closed" "$P/ro-parent"
	chmod 755 "$T" "$P" "$P/scans" "$P/ro-parent"
	chmod 700 "$P/closed"
	cp "$TOP/tests/fuzz/corpus/image/gray-lzw-pred.tif" "$P/scans/open.tif"
	cp "$TOP/tests/fuzz/corpus/image/bilevel-g4.tif" "$P/scans/private.tif"
	chmod 644 "$P/scans/open.tif"
	chmod 600 "$P/scans/private.tif"
	mkdir -m 777 "$P/w"
	asnobody() { setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"; }
	asnobody warraq run -q "$P/scans" "$P/ro-parent/w" >"$T/p1.out" 2>&1
	rc=$?
	checkx "work directory where one may not write: status 2, said ($rc)" '[ "$rc" -eq 2 ] && grep -qx "warraq: $P/ro-parent/w: cannot create: Permission denied" "$T/p1.out"'
	asnobody warraq run -q "$P/closed" "$P/w" >"$T/p2.out" 2>&1
	rc=$?
	checkx "scans folder one may not read: status 2, said ($rc)" '[ "$rc" -eq 2 ] && grep -qx "warraq: $P/closed: cannot read the scans folder: Permission denied" "$T/p2.out"'
	asnobody warraq-ingest -q "$P/scans" "$P/w" >"$T/p3.out" 2>&1
	rc=$?
	checkx "a scan one may not read: quarantined with why, the rest ingested ($rc)" '[ "$rc" -eq 1 ] && grep -q "private.tif: cannot read: Permission denied" "$T/p3.out" && [ -f "$P/w/ingest/open/0001.json" ]'
	chmod 755 "$P/w"	# root's now: nobody may not write
	asnobody warraq-deskew "$P/w" >"$T/p4.out" 2>&1
	rc=$?
	checkx "a stage on a work directory one may not write: status 2, said ($rc)" '[ "$rc" -eq 2 ] && grep -qx "warraq-deskew: $P/w: cannot write to the work directory: Permission denied" "$T/p4.out"'
fi

# a write cut short (a file-size limit, SIGXFSZ ignored as a batch system
# may have it) is an error of the page, never a done page with a truncated
# image: ingest, deskew and clean each fail it, keep no final file, and the
# page is redone once the limit is gone
mkdir -p "$T/fz/s"
convert -size 2000x2000 xc:gray +noise Random -colorspace gray -depth 8 -density 300 -compress lzw "$T/fz/s/big.tif"
(trap '' XFSZ; ulimit -f 2000; warraq-ingest -q "$T/fz/s" "$T/fz/w") >"$T/fz/ingest.out" 2>&1
st=$?
checkx "ingest past a file-size limit: the page fails ($st), no image, no sidecar" \
    "[ $st -ne 0 ] && [ ! -e '$T/fz/w/ingest/big/0001.json' ] && [ ! -e '$T/fz/w/ingest/big/0001.tif' ] &&
     grep -q 'big.tif' '$T/fz/ingest.out'"
warraq-ingest -q "$T/fz/s" "$T/fz/w" >/dev/null 2>&1
checkx "and redone once the limit is gone" "tiffinfo '$T/fz/w/ingest/big/0001.tif' >/dev/null 2>&1"
for stage in deskew clean; do
	(trap '' XFSZ; ulimit -f 1000; "warraq-$stage" -q "$T/fz/w") >"$T/fz/$stage.out" 2>&1
	st=$?
	checkx "$stage past a file-size limit: the page fails ($st), nothing under a final name" \
	    "[ $st -ne 0 ] && [ ! -e '$T/fz/w/$stage/big/0001.json' ] && [ -z \"\$(ls '$T/fz/w/$stage/big/' 2>/dev/null | grep -v '^\\.' | grep -v '\\.error$')\" ]"
	"warraq-$stage" -q "$T/fz/w" >/dev/null 2>&1
	checkx "$stage: redone once the limit is gone" "[ -f '$T/fz/w/$stage/big/0001.json' ]"
done
