#!/bin/sh
# warraq-ocr, languages = auto, on a page mixing French and Arabic
# paragraphs: each script's lines are read about as well (CER within
# 1.2x) as that script's own model reads a page of that script alone,
# and better than one ara+fra pass over the whole page.
. "$(dirname "$0")/../lib.sh"
le() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a <= b + 1e-9) }'; }
# Arabic letters are U+06xx, two bytes starting 0xd8..0xdb in UTF-8
arabic() { LC_ALL=C grep -a "$(printf '[\330-\333]')" "$1" || true; }
latin() { LC_ALL=C grep -av "$(printf '[\330-\333]')" "$1" || true; }

mkdir -p "$T/mixed" "$T/fr" "$T/ar"
cp "$FIX/mixed-fr-ar.tif" "$FIX/mixed-fr-ar.gt.txt" "$T/mixed/"
gt="$FIX/mixed-fr-ar.gt.txt"
sed -n '1p;3p' "$gt" >"$T/gt.fr"
sed -n '2p;4p' "$gt" >"$T/gt.ar"
# the same paragraphs, same fonts and size, each script alone on a page
for s in fr ar; do
	pango-view --no-display --dpi=300 --font="Noto Serif, Noto Naskh Arabic 10.5" \
	    --width=495 --margin=50 --wrap=word -q -o "$T/$s.png" "$T/gt.$s"
	convert "$T/$s.png" -colorspace Gray -depth 8 -density 300 -units PixelsPerInch \
	    -compress zip "$T/$s/page.tif"
done

check "mixed page, languages=auto" warraq run -q "$T/mixed" "$T/wa"
check "mixed page, one ara+fra pass" warraq run -q -o languages=ara+fra "$T/mixed" "$T/wm"
check "French alone, fra" warraq run -q -o languages=fra "$T/fr" "$T/wf"
check "Arabic alone, ara" warraq run -q -o languages=ara "$T/ar" "$T/wr"

out="$T/wa/ocr/mixed-fr-ar/0001.txt"
arabic "$out" >"$T/auto.ar"
latin "$out" >"$T/auto.fr"
c_ar=$(warraq-eval --text "$T/gt.ar" "$T/auto.ar" | cut -d' ' -f1)
c_fr=$(warraq-eval --text "$T/gt.fr" "$T/auto.fr" | cut -d' ' -f1)
b_ar=$(warraq-eval --text "$T/gt.ar" "$T/wr/ocr/page/0001.txt" | cut -d' ' -f1)
b_fr=$(warraq-eval --text "$T/gt.fr" "$T/wf/ocr/page/0001.txt" | cut -d' ' -f1)
all=$(warraq-eval --text "$gt" "$out" | cut -d' ' -f1)
one=$(warraq-eval --text "$gt" "$T/wm/ocr/mixed-fr-ar/0001.txt" | cut -d' ' -f1)
echo "# Arabic lines: auto $c_ar, ara alone $b_ar; French lines: auto $c_fr, fra alone $b_fr"
echo "# whole mixed page: auto $all, one ara+fra pass $one"

# 1.2x, with one character of slack for a page whose baseline is 0.  Both
# sides are measured against the same reference, so their edit distances
# (warraq-eval's third figure; the printed CER is rounded) are compared.
dist() { warraq-eval --text "$1" "$2" | cut -d' ' -f3; }
within() {	# within AUTO ALONE: AUTO <= 1.2 ALONE + 1
	awk -v a="$1" -v b="$2" 'BEGIN { exit !(a <= 1.2 * b + 1) }'
}
within "$(dist "$T/gt.ar" "$T/auto.ar")" "$(dist "$T/gt.ar" "$T/wr/ocr/page/0001.txt")" &&
    ok "Arabic lines: CER $c_ar within 1.2x of ara alone ($b_ar)" ||
    notok "Arabic lines within 1.2x of ara alone" "$c_ar vs $b_ar"
within "$(dist "$T/gt.fr" "$T/auto.fr")" "$(dist "$T/gt.fr" "$T/wf/ocr/page/0001.txt")" &&
    ok "French lines: CER $c_fr within 1.2x of fra alone ($b_fr)" ||
    notok "French lines within 1.2x of fra alone" "$c_fr vs $b_fr"
le "$all" "$one" && ok "auto ($all) no worse than one ara+fra pass ($one)" ||
    notok "auto no worse than one ara+fra pass" "$all vs $one"
j="$T/wa/ocr/mixed-fr-ar/0001.json"
[ "$(jq '.scripts | keys | length' "$j")" = 2 ] && ok "JSON records both scripts and their shares" ||
    notok "JSON records both scripts and their shares" "$(jq -c .scripts "$j")"
