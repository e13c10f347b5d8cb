#!/bin/sh
# ingest_rerun.sh - warraq-ingest run again on the same batch: unchanged
# pages are left alone (outputs not rewritten), a changed source is
# ingested again and logged, --force redoes everything; identical files
# are recorded as duplicates, not ingested twice; file names with spaces,
# quotes, tabs, newlines, Arabic or Latin-1 letters get safe DOC ids, their
# names are kept in docs.tsv, and a second run finds them unchanged.
. "${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"

S=$T/scans
W=$T/work
B=$T/base
mkdir -p "$S" "$B"

mk g8 convert "$FIX/ar-seed.tif" -resize 400x -depth 8 -compress none "$B/g8.tif"
mk g8b convert "$FIX/fr-seed.tif" -resize 400x -depth 8 -compress none "$B/g8b.tif"
mk b1 convert "$B/g8.tif" -threshold 60% -depth 1 -compress none "$B/b1.tif"
mk page tiffcp -c lzw "$B/g8.tif" "$S/page.tif"
mk g4 tiffcp -c g4 "$B/b1.tif" "$S/bilevel.tif"
mk multi tiffcp -c zip "$B/g8b.tif" "$B/b1.tif" "$S/multi.tif"
mk jpg convert "$B/g8b.tif" -quality 80 "$S/photo.jpg"
[ "$mkfail" -eq 0 ] && ok "sources made"
SR=$(cd "$S" && pwd -P)

# summary KEY: a count of summary.json ("run" holds this run's counts)
summary() {
	jq -r --arg k "$1" '.run[$k] // .[$k]' "$W/ingest/summary.json"
}
# mtimes: every output with its mtime
mtimes() {
	find "$W/ingest" -type f \( -name '*.tif' -o -name '*.json' \) \
	    ! -name summary.json -exec stat -c '%n %Y' {} + | sort
}

warraq-ingest "$S" "$W" 2>"$T/err1"
check "first run exits 0" [ $? -eq 0 ]
check "first run: 5 pages ingested" [ "$(summary ingested)" = 5 ]

# ---- a second run changes nothing ----------------------------------------
# outputs dated in the past: a rewrite would show as a new mtime
find "$W/ingest" -type f ! -name summary.json -exec touch -d '2001-02-03 04:05:06' {} +
mtimes >"$T/mtimes.before"
cp "$W/pages.tsv" "$T/pages.before"
warraq-ingest "$S" "$W" 2>"$T/err2"
check "second run exits 0" [ $? -eq 0 ]
if [ "$(summary unchanged)" = 5 ] && [ "$(summary ingested)" = 0 ]; then
	ok "second run: summary.json says 5 unchanged, 0 ingested"
else
	notok "second run: summary.json says 5 unchanged, 0 ingested" \
	    "unchanged $(summary unchanged), ingested $(summary ingested)"
fi
check "second run: the summary line says so" grep -q "(0 ingested, 5 unchanged" "$T/err2"
mtimes >"$T/mtimes.after"
if cmp -s "$T/mtimes.before" "$T/mtimes.after"; then
	ok "second run: no output rewritten (mtimes unchanged)"
else
	notok "second run: no output rewritten (mtimes unchanged)" \
	    "$(diff "$T/mtimes.before" "$T/mtimes.after" | sed -n 2p)"
fi
check "second run: pages.tsv the same" cmp -s "$T/pages.before" "$W/pages.tsv"

# ---- a changed source is ingested again ------------------------------------
old=$(sha "$S/page.tif")
tiffcp -c lzw "$B/g8b.tif" "$S/page.tif"
new=$(sha "$S/page.tif")
warraq-ingest "$S" "$W" 2>"$T/err3"
check "run after a change exits 0" [ $? -eq 0 ]
if grep -qF "warraq-ingest: $SR/page.tif: changed since it was last ingested (sha256 $(echo "$old" | cut -c1-12)... now $(echo "$new" | cut -c1-12)...); ingesting again" "$T/err3"; then
	ok "the change is logged with both checksums"
else
	notok "the change is logged with both checksums" "$(head -n 2 "$T/err3" | tr '\n' ' ')"
fi
if [ "$(summary ingested)" = 1 ] && [ "$(summary unchanged)" = 4 ]; then
	ok "only the changed page is ingested again (1 ingested, 4 unchanged)"
else
	notok "only the changed page is ingested again (1 ingested, 4 unchanged)" \
	    "ingested $(summary ingested), unchanged $(summary unchanged)"
fi
check "its sidecar records the new checksum" \
    [ "$(jq -r .source_sha256 "$W/ingest/page/0001.json")" = "$new" ]
check "its pages.tsv row records the new checksum" \
    [ "$(awk -F'\t' '$1 == "page" { print $5 }' "$W/pages.tsv")" = "$new" ]
check "its output holds the new image" \
    [ "$(compare -metric AE "$S/page.tif" "$W/ingest/page/0001.tif" null: 2>&1)" = 0 ]
mtimes >"$T/mtimes.after3"
if [ "$(diff "$T/mtimes.before" "$T/mtimes.after3" | grep -c '^>')" = 2 ] &&
    diff "$T/mtimes.before" "$T/mtimes.after3" | grep '^>' | grep -q "/page/0001.tif "; then
	ok "only its two outputs were rewritten"
else
	notok "only its two outputs were rewritten" \
	    "$(diff "$T/mtimes.before" "$T/mtimes.after3" | grep '^>' | tr '\n' ' ')"
fi

# ---- --force redoes every page -------------------------------------------
warraq-ingest -q --force "$S" "$W" 2>"$T/err4"
if [ "$(summary ingested)" = 5 ] && [ "$(summary unchanged)" = 0 ]; then
	ok "--force: every page ingested again"
else
	notok "--force: every page ingested again" \
	    "ingested $(summary ingested), unchanged $(summary unchanged)"
fi

# ---- duplicates ----------------------------------------------------------
S2=$T/dups
W2=$T/dwork
mkdir -p "$S2/vol"
cp "$S/bilevel.tif" "$S2/a.tif"
cp "$S/bilevel.tif" "$S2/b.tif"
cp "$S/multi.tif" "$S2/m.tif"
cp "$S/multi.tif" "$S2/n-copy.tif"
cp "$S/photo.jpg" "$S2/vol/1.jpg"
cp "$S/photo.jpg" "$S2/vol/2.jpg"
S2R=$(cd "$S2" && pwd -P)
warraq-ingest "$S2" "$W2" 2>"$T/derr"
check "duplicates: exit 0" [ $? -eq 0 ]
# the rows: doc page source index status
awk -F'\t' 'NR > 1 { print $1, $2, $3, $4, $6 }' "$W2/pages.tsv" >"$T/drows"
cat >"$T/dwant" <<EOF
a 0001 $S2R/a.tif 0 ok
b 0001 $S2R/b.tif 0 duplicate:a/0001
m 0001 $S2R/m.tif 0 ok
m 0002 $S2R/m.tif 1 ok
n-copy 0001 $S2R/n-copy.tif 0 duplicate:m/0001
n-copy 0002 $S2R/n-copy.tif 1 duplicate:m/0002
vol 0001 $S2R/vol/1.jpg 0 ok
vol 0002 $S2R/vol/2.jpg 0 duplicate:vol/0001
EOF
if cmp -s "$T/drows" "$T/dwant"; then
	ok "duplicates: pages.tsv says duplicate:DOC/PAGE of the first"
else
	notok "duplicates: pages.tsv says duplicate:DOC/PAGE of the first" \
	    "$(diff "$T/dwant" "$T/drows" | grep '^[<>]' | tr '\n' ' ')"
fi
check "duplicates: their sha256 is the original's" sh -c \
    "[ \"\$(awk -F'\t' '\$1 == \"b\" { print \$5 }' '$W2/pages.tsv')\" = '$(sha "$S2/a.tif")' ]"
check "duplicates: not ingested twice (no outputs)" sh -c \
    "[ ! -e '$W2/ingest/b' ] && [ ! -e '$W2/ingest/n-copy' ] && [ ! -e '$W2/ingest/vol/0002.tif' ]"
check "duplicates: counted in summary.json" \
    [ "$(jq -r .duplicates "$W2/ingest/summary.json")" = 4 ]
check "duplicates: logged" grep -qF "warraq-ingest: $S2R/b.tif: same content as a file of a; recorded as duplicate" "$T/derr"
warraq-ingest -q "$S2" "$W2" 2>/dev/null
awk -F'\t' 'NR > 1 { print $1, $2, $3, $4, $6 }' "$W2/pages.tsv" >"$T/drows2"
check "duplicates: still duplicates on a second run" cmp -s "$T/drows2" "$T/dwant"

# ---- awkward names -------------------------------------------------------
S3=$T/names
W3=$T/nwork
mkdir -p "$S3"
tab=$(printf '\t')
nl=$(printf '\nx')
nl=${nl%x}
latin1=$(printf 'caf\351')
ctl=$(printf 'ctl\001x')
# the names, one a line, with TAB and NL standing for those characters
cat >"$T/namelist" <<'EOF'
my scan 1.tif
it's "quoted" `odd`.tif
tabTABhere.tif
newNLline.tif
مخطوط الرسالة.tif
رسالة.tif
LATIN1.tif
CTL.tif
scan..2.tif
-starts-with-dash.tif
x ..y.tif
$(echo injected).tif
back\slash.tif
EOF
i=0
while IFS= read -r n; do
	i=$((i + 1))
	n=$(printf '%s' "$n" | sed "s/TAB/$tab/; s/LATIN1/$latin1/; s/CTL/$ctl/")
	case "$n" in *NL*) n="${n%%NL*}$nl${n#*NL}" ;; esac
	# different bytes in each (else they would be duplicates)
	tiffcp -c g4 "$B/b1.tif" "$S3/$n" && tiffset -s 305 "variant $i" "$S3/$n" ||
	    notok "make name $i" "cannot write it"
done <"$T/namelist"
nfiles=$(find "$S3" -type f -printf x | wc -c)
check "13 awkward names made" [ "$nfiles" -eq 13 ]
S3R=$(cd "$S3" && pwd -P)
warraq-ingest -q "$S3" "$W3" 2>"$T/nerr"
check "awkward names: exit 0" [ $? -eq 0 ]

# every name on disk: its docs.tsv row (TSV-unescaped), a safe id, a page
# whose pages.tsv source is the file
find "$S3" -type f -exec sh -c '
	for f; do printf "%s\0" "${f##*/}"; done' sh {} + >"$T/ondisk"
python3 - "$W3" "$S3R" "$T/ondisk" >"$T/ncheck" <<'EOF'
import os, re, sys
work, scans, ondisk = sys.argv[1], sys.argv[2].encode(), sys.argv[3]
names = [n for n in open(ondisk, "rb").read().split(b"\0") if n]
def unesc(s):
    out, i = bytearray(), 0
    while i < len(s):
        if s[i:i+1] == b"\\":
            out += {b"t": b"\t", b"n": b"\n", b"r": b"\r", b"\\": b"\\"}[s[i+1:i+2]]
            i += 2
        else:
            out += s[i:i+1]
            i += 1
    return bytes(out)
def rows(path):
    lines = open(path, "rb").read().split(b"\n")
    assert lines[-1] == b"", "no final newline"
    return [l.split(b"\t") for l in lines[1:-1]]
docs = {unesc(r[1]): r[0].decode() for r in rows(os.path.join(work, "docs.tsv"))}
pages = {}
for r in rows(os.path.join(work, "pages.tsv")):
    pages.setdefault(r[0].decode(), []).append((unesc(r[2]), r[5]))
safe = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9._-]*$")
ids = set()
for n in sorted(names):
    shown = n.decode("utf-8", "backslashreplace").encode("unicode_escape").decode()
    doc = docs.get(n)
    if doc is None:
        print("not ok - name %s: in docs.tsv: missing" % shown)
        continue
    if not safe.match(doc) or ".." in doc or len(doc) > 64 or doc in ids:
        print("not ok - name %s: safe DOC id: got %r" % (shown, doc))
    else:
        print("ok - name %s: safe DOC id %s, name kept in docs.tsv" % (shown, doc))
    ids.add(doc)
    want = [(scans + b"/" + n, b"ok")]
    ok = pages.get(doc) == want and os.path.isfile(os.path.join(work, "ingest", doc, "0001.tif"))
    print(("ok" if ok else "not ok") + " - name %s: page ingested from it%s" %
          (shown, "" if ok else ": rows %r" % pages.get(doc)))
print(("ok" if len(docs) == len(names) else "not ok") +
      " - one document a name (%d of %d)" % (len(docs), len(names)))
EOF
cat "$T/ncheck"
check "the name check ran" grep -q "one document a name" "$T/ncheck"
# readable ASCII survives in the id
check "'my scan 1.tif' reads as my_scan_1-HASH" \
    grep -qE "^my_scan_1-[0-9a-f]{8}$(printf '\t')my scan 1.tif$" "$W3/docs.tsv"
# two names that are not UTF-8 / hold a control character, alone (with
# nothing that could make pages.tsv unreadable): unchanged the second time
S4=$T/bytes
mkdir -p "$S4"
cp "$S3/$latin1.tif" "$S3/$ctl.tif" "$S4/"
warraq-ingest -q "$S4" "$T/bwork" 2>/dev/null
warraq-ingest "$S4" "$T/bwork" 2>"$T/berr"
check "Latin-1 and control-character names: unchanged on a second run" \
    grep -q "(0 ingested, 2 unchanged" "$T/berr"

# stems that collide get -2, -3 (in natural order of the names); two names
# that natural order finds equal ("01", "1") still get one fixed order
S5=$T/collide
mkdir -p "$S5/vol"
for n in a.tif a.tiff a.jpg vol/1.tif vol/01.tif vol/001.tif; do
	tiffcp -c g4 "$B/b1.tif" "$S5/$n" && tiffset -s 305 "$n" "$S5/$n"
done
rm -f "$S5/a.jpg"
convert "$B/g8.tif" -quality 70 "$S5/a.jpg"
S5R=$(cd "$S5" && pwd -P)
warraq-ingest -q "$S5" "$T/cwork" 2>/dev/null
printf 'doc\tname\na\ta.jpg\na-2\ta.tif\na-3\ta.tiff\nvol\tvol\n' >"$T/cwant"
if cmp -s "$T/cwant" "$T/cwork/docs.tsv"; then
	ok "colliding stems: ids a, a-2, a-3"
else
	notok "colliding stems: ids a, a-2, a-3" "$(tail -n +2 "$T/cwork/docs.tsv" | tr '\t\n' ': ')"
fi
got=$(awk -F'\t' '$1 == "vol" { printf "%s=%s ", $2, $3 }' "$T/cwork/pages.tsv")
want="0001=$S5R/vol/001.tif 0002=$S5R/vol/01.tif 0003=$S5R/vol/1.tif "
if [ "$got" = "$want" ]; then
	ok "001.tif, 01.tif, 1.tif: one fixed page order"
else
	notok "001.tif, 01.tif, 1.tif: one fixed page order" "$got"
fi

warraq-ingest "$S3" "$W3" 2>"$T/nerr2"
rc=$?
if [ "$rc" -eq 0 ] && grep -q "(0 ingested, 13 unchanged" "$T/nerr2"; then
	ok "awkward names: a second run reads pages.tsv and finds all 13 unchanged"
else
	notok "awkward names: a second run reads pages.tsv and finds all 13 unchanged" \
	    "status $rc: $(tail -n 2 "$T/nerr2" | tr '\n' ' ')"
fi

# "done" means the outputs are there and whole: an intermediate deleted or
# cut short makes its page pending again, and the next run redoes it
# (once, the PDF failed on every run when a clean image was deleted)
mkdir -p "$T/dw"
warraq run -q "$FIX" "$T/dw/w" >/dev/null 2>&1
rm "$T/dw/w/clean/fr-seed/0001.gray.tif"
truncate -s 1000 "$T/dw/w/ingest/ar-seed/0001.tif"
warraq run -q "$FIX" "$T/dw/w" >"$T/dw/out" 2>&1; st=$?
checkx "a deleted clean image and a cut ingest image are redone ($st)" \
    "[ $st -eq 0 ] && [ -f '$T/dw/w/clean/fr-seed/0001.gray.tif' ] &&
     tiffinfo '$T/dw/w/ingest/ar-seed/0001.tif' >/dev/null 2>&1 &&
     jq -e '.outputs[\"0001.tif\"].bytes > 1000' '$T/dw/w/ingest/ar-seed/0001.json' >/dev/null"
checkx "the sidecars list their outputs with size and SHA-256" \
    "jq -e '.outputs[\"0001.gray.tif\"] | (.bytes > 0 and (.sha256 | length) == 64)' '$T/dw/w/clean/fr-seed/0001.json' >/dev/null"
