#!/bin/sh
# warraq-clean: Tesseract reads the cleaned noisy, skewed, yellowed,
# bordered pages about as well as the clean rendered pages (CER within
# 1.25x); border and speckle go, marginal notes and pictures stay; odd
# images give a clear result.  Tesseract's command line is the judge,
# independent of warraq's own OCR stage.
. "$(dirname "$0")/../lib.sh"

check "pipeline up to clean on the sample batch" \
    warraq run -q --stages deskew,clean "$FIX" "$T/w"

for l in fr:fra ar:ara; do
	p=${l%%:*} lang=${l#*:}
	tesseract "$FIX/$p-seed.tif" "$T/ref-$p" -l "$lang" >/dev/null 2>&1
	tesseract "$FIX/$p-seed-scanned.tif" "$T/raw-$p" -l "$lang" >/dev/null 2>&1
	tesseract "$T/w/clean/$p-seed-scanned/0001.tif" "$T/cln-$p" -l "$lang" >/dev/null 2>&1
	ref=$(warraq-eval --text "$FIX/$p-seed.gt.txt" "$T/ref-$p.txt" | cut -d' ' -f1)
	raw=$(warraq-eval --text "$FIX/$p-seed.gt.txt" "$T/raw-$p.txt" | cut -d' ' -f1)
	cln=$(warraq-eval --text "$FIX/$p-seed.gt.txt" "$T/cln-$p.txt" | cut -d' ' -f1)
	echo "# $p: CER clean render $ref, scanned raw $raw, scanned after warraq $cln"
	if awk -v c="$cln" -v r="$ref" 'BEGIN { exit !(c <= 1.25 * r + 1e-9) }'; then
		ok "$p: CER after cleanup ($cln) within 1.25x of the clean page ($ref)"
	else
		notok "$p: CER after cleanup within 1.25x of the clean page" "$cln vs $ref"
	fi
	j="$T/w/clean/$p-seed-scanned/0001.json"
	[ "$(jq .border_removed_px "$j")" -gt 10000 ] && ok "$p: scanner border removed" ||
	    notok "$p: scanner border removed" "$(jq -c .border_removed_px "$j")"
	tiffinfo "$T/w/clean/$p-seed-scanned/0001.tif" 2>/dev/null | grep -q "CCITT Group 4" &&
	    ok "$p: OCR image is 1-bit G4" || notok "$p: OCR image is 1-bit G4" "wrong compression"
	[ "$(identify -format %z "$T/w/clean/$p-seed-scanned/0001.gray.tif")" = 8 ] &&
	    ok "$p: 8-bit cleaned page kept" || notok "$p: 8-bit cleaned page kept" "not 8-bit"
done

# content that is neither border nor speckle survives: a marginal note,
# a picture (a photo-like gradient disc) and a faint stamp
mkdir -p "$T/content"
convert "$FIX/fr-seed.tif" -extent 2480x3785 \
    -fill black -pointsize 30 -annotate +2200+600 'note\nen marge' \
    -fill 'radial-gradient:gray20-gray70' -draw 'circle 1200,3300 1200,3500' \
    -fill gray60 -pointsize 60 -annotate +300+3150 'BNRM' \
    -compress zip "$T/content/page.tif"
warraq run -q --stages deskew,clean "$T/content" "$T/wc" >/dev/null 2>&1
out="$T/wc/clean/page/0001.tif"
ink() { convert "$out" -crop "$1" +repage -negate -format '%[fx:mean]' info: ; }
awk -v m="$(ink 260x120+2190+560)" 'BEGIN { exit !(m > 0.02) }' &&
    ok "marginal note kept" || notok "marginal note kept" "ink $(ink 260x120+2190+560)"
awk -v m="$(ink 300x300+1050+3150)" 'BEGIN { exit !(m > 0.3) }' &&
    ok "picture kept" || notok "picture kept" "ink $(ink 300x300+1050+3150)"
awk -v m="$(ink 220x80+290+3090)" 'BEGIN { exit !(m > 0.05) }' &&
    ok "faint stamp kept" || notok "faint stamp kept" "ink $(ink 220x80+290+3090)"

# odd images: a clear result, never a crash
mkdir -p "$T/odd"
convert -size 800x600 xc:white "$T/odd/white.tif"
convert -size 800x600 xc:black "$T/odd/black.tif"
convert -size 1x500 xc:gray40 "$T/odd/thin.tif"
convert -size 3x3 xc:white -fill black -draw 'point 1,1' "$T/odd/tiny.tif"
warraq run -q --stages deskew,clean "$T/odd" "$T/wo" >"$T/odd.out" 2>&1
for d in white black thin tiny; do
	if [ -f "$T/wo/clean/$d/0001.json" ] || [ -f "$T/wo/clean/$d/0001.error" ]; then
		ok "$d page: a result or a reason"
	else
		notok "$d page: a result or a reason" "$(tail -3 "$T/odd.out")"
	fi
done
grep -q "signal" "$T/odd.out" && notok "no crash on odd pages" "$(grep signal "$T/odd.out")" ||
    ok "no crash on odd pages"
[ "$(jq .blank "$T/wo/clean/white/0001.json")" = true ] && ok "white page reported blank" ||
    notok "white page reported blank" "$(jq -c . "$T/wo/clean/white/0001.json")"
[ "$(jq .blank "$T/wo/clean/black/0001.json")" = true ] && ok "all-black page: nothing but border" ||
    notok "all-black page: nothing but border" "$(jq -c .content_box "$T/wo/clean/black/0001.json")"
