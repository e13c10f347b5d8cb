#!/bin/sh
# warraq-ingest, split = auto: a double-page spread becomes two pages in
# reading order, left page first for French, right page first for Arabic
# (bound on the right; decided from the script, from the languages
# setting, or set); single pages, portrait or landscape, stay whole;
# pages.tsv records the part; a rerun redoes nothing; the full pipeline
# reads the Arabic spread's first page as the right-hand page.
. "$(dirname "$0")/../lib.sh"

# spread LEFT RIGHT OUT: two page images side by side with a fold's shadow
spread() {
	convert "$1" -colorspace gray "$T/l.png" &&
	convert "$2" -colorspace gray "$T/r.png" &&
	h=$(identify -format '%h' "$T/l.png") &&
	convert "$T/l.png" \( -size "48x$h" gradient:gray75-gray25 \) "$T/r.png" \
	    -background white -gravity center +append -depth 8 -density 300 \
	    -units PixelsPerInch -compress zip "$3"
}
S=$T/scans
mkdir -p "$S"
spread "$FIX/fr-seed.tif" "$FIX/fr-seed-scanned.tif" "$S/fr-spread.tif"
spread "$FIX/ar-seed-scanned.tif" "$FIX/ar-seed.tif" "$S/ar-spread.tif"
cp "$FIX/fr-seed.tif" "$FIX/mixed-fr-ar.tif" "$S/"
cp "$FIX/ar-seed.gt.txt" "$S/ar-spread.gt.txt"	# the whole spread's: not a page's
W=$T/w

check "ingest, split = auto" warraq-ingest -q -o split=auto "$S" "$W"

# part DOC PAGE: the part column of pages.tsv
part() { awk -F'\t' -v d="$1" -v p="$2" '$1 == d && $2 == p { print $7 }' "$W/pages.tsv"; }
# is_crop DOC PAGE SPREAD SIDE: the page is the spread's left or right of
# its recorded gutter, pixel for pixel
is_crop() {
	g=$(jq -r .spread.gutter_x "$W/ingest/$1/$2.json")
	w=$(identify -format '%w' "$3")
	h=$(identify -format '%h' "$3")
	if [ "$4" = left ]; then geo="${g}x$h+0+0"; else geo="$((w - g))x$h+$g+0"; fi
	convert "$3" -crop "$geo" +repage "$T/crop.tif"
	[ "$(compare -metric AE "$T/crop.tif" "$W/ingest/$1/$2.tif" null: 2>&1)" = 0 ]
}

[ "$(part fr-spread 0001)/$(part fr-spread 0002)" = left/right ] &&
    ok "French spread: two pages, left first" ||
    notok "French spread: two pages, left first" "$(part fr-spread 0001)/$(part fr-spread 0002)"
[ "$(part ar-spread 0001)/$(part ar-spread 0002)" = right/left ] &&
    ok "Arabic spread: two pages, right first" ||
    notok "Arabic spread: two pages, right first" "$(part ar-spread 0001)/$(part ar-spread 0002)"
check "French page 0001 is the left page" is_crop fr-spread 0001 "$S/fr-spread.tif" left
check "French page 0002 is the right page" is_crop fr-spread 0002 "$S/fr-spread.tif" right
check "Arabic page 0001 is the right page" is_crop ar-spread 0001 "$S/ar-spread.tif" right
check "Arabic page 0002 is the left page" is_crop ar-spread 0002 "$S/ar-spread.tif" left
# the fold drawn is 48 pixels wide right of the left page
for d in fr-spread:fr-seed ar-spread:ar-seed-scanned; do
	doc=${d%%:*} lw=$(identify -format '%w' "$FIX/${d#*:}.tif")
	g=$(jq -r .spread.gutter_x "$W/ingest/$doc/0001.json")
	[ "$g" -ge $((lw - 8)) ] && [ "$g" -le $((lw + 56)) ] &&
	    ok "$doc: gutter found at the fold ($g; fold $lw..$((lw + 48)))" ||
	    notok "$doc: gutter found at the fold" "$g, fold $lw..$((lw + 48))"
done
check "Arabic binding decided from the script" jq -e \
    '.spread.binding == "rtl" and .spread.binding_from == "script" and .part == "right"' \
    "$W/ingest/ar-spread/0001.json"
check "French binding decided from the script" jq -e \
    '.spread.binding == "ltr" and .crop.x == 0' "$W/ingest/fr-spread/0001.json"
check "a spread's page has no ground truth of its own" jq -e \
    'has("ground_truth") | not' "$W/ingest/ar-spread/0001.json"
[ "$(part fr-seed 0001)" = full ] && [ "$(part mixed-fr-ar 0001)" = full ] &&
    [ -z "$(part mixed-fr-ar 0002)" ] &&
    ok "single pages stay whole, portrait and landscape" ||
    notok "single pages stay whole" "fr-seed $(part fr-seed 0001), mixed $(part mixed-fr-ar 0001)/$(part mixed-fr-ar 0002)"

# a rerun with the same setting redoes nothing; another setting redoes
cp "$W/pages.tsv" "$T/pages.before"
warraq-ingest -o split=auto "$S" "$W" 2>"$T/err"
grep -q "(0 ingested, 6 unchanged" "$T/err" && cmp -s "$T/pages.before" "$W/pages.tsv" &&
    ok "rerun: nothing redone, pages.tsv unchanged" ||
    notok "rerun: nothing redone" "$(cat "$T/err")"
warraq-ingest -q "$S" "$W"
[ "$(part ar-spread 0001)" = full ] && [ -z "$(part ar-spread 0002)" ] &&
    ok "split = off again: the spread is one page" ||
    notok "split = off again: the spread is one page" "$(part ar-spread 0001)/$(part ar-spread 0002)"

# the binding from the settings
warraq-ingest -q -f -o split=auto -o binding=ltr "$S" "$T/w2"
check "binding = ltr puts the Arabic left page first" jq -e \
    '.part == "left" and .spread.binding_from == "setting"' "$T/w2/ingest/ar-spread/0001.json"
warraq-ingest -q -o split=auto -o languages=ara "$S" "$T/w3"
check "languages = ara: bound on the right" jq -e \
    '.part == "right" and .spread.binding_from == "languages"' "$T/w3/ingest/ar-spread/0001.json"
warraq-ingest -q -o split=on "$S" "$T/w4"
[ "$(awk -F'\t' '$1 == "fr-seed"' "$T/w4/pages.tsv" | wc -l)" -eq 2 ] &&
    ok "split = on cuts every image" || notok "split = on cuts every image" "fr-seed not cut"
warraq-ingest -q -o split=sideways "$S" "$T/w5" 2>/dev/null
[ $? -eq 2 ] && ok "a bad split setting is a usage error" ||
    notok "a bad split setting is a usage error" "exit not 2"

# the whole pipeline: the Arabic spread's page 0001 reads as ar-seed
rm -rf "$T/s2" && mkdir "$T/s2" && cp "$S/ar-spread.tif" "$T/s2/"
check "warraq run, split = auto" warraq run -q -o split=auto "$T/s2" "$T/wr"
cer=$(warraq-eval --text "$FIX/ar-seed.gt.txt" "$T/wr/ocr/ar-spread/0001.txt" | cut -d' ' -f1)
awk -v c="$cer" 'BEGIN { exit !(c <= 0.05) }' &&
    ok "Arabic spread page 0001 is the right-hand page's text (CER $cer)" ||
    notok "Arabic spread page 0001 is the right-hand page's text" "CER $cer"
check "clean records the split" jq -e '.split == true' "$T/wr/clean/ar-spread/0001.json"
