#!/bin/sh
# warraq-pdf on real printed Arabic pages: the four pages of
# ../shared/eval/data/openiti_ocr_gs_ara_lines/pages_no_gt, run as a user
# runs them (every setting its default).  The text each PDF page gives
# back in pdf.js and in pdftotext is compared with warraq's own OCR text
# of the page (tests/tools/pdf-text-cer.sh): 1% CER at most.
#
# pdftotext orders what it reads by its own analysis of the page's
# layout, not by the order of the text in the PDF: on
# Taghribirdi.NujumZahira_000002 it reads the title above the side heading
# that the OCR puts first.  There it must read every word, in its order
# (tests/tools/word-bag.sh: at most 2% of the words missing, as poppler's
# simpler bidi takes a full stop after an Arabic word, and the number
# "-.8", for a number); pdf.js, which keeps the order of the PDF, reads
# that page at 1% CER too.
. "$(dirname "$0")/../lib.sh"

P=$SHARED/eval/data/openiti_ocr_gs_ara_lines/pages_no_gt
if [ ! -d "$P" ]; then
	skip "real Arabic pages: no $P"
	exit 0
fi
PDFJS="$TOP/build/node"
why=$(sh "$TOP/tests/tools/pdfjs-setup.sh" "$PDFJS") || { skip "pdf.js checks: $why"; PDFJS=; }
le() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a <= b + 1e-9) }'; }

mkdir -p "$T/scans"
ln -s "$P"/*.tif "$T/scans/"
check "the pipeline on the four pages" warraq run -q -o follow_symlinks=yes "$T/scans" "$T/w"
sh "$TOP/tests/tools/pdf-text-cer.sh" "$T/w" "$PDFJS" >"$T/cer"
[ "$(wc -l <"$T/cer")" -eq 4 ] && ok "four PDF pages measured" ||
    notok "four PDF pages measured" "$(cat "$T/cer")"
while read -r doc page p j; do
	echo "# $doc: pdftotext CER $p, pdf.js CER $j"
	if [ "$doc" = Taghribirdi.NujumZahira_000002 ]; then
		sh "$TOP/tests/tools/join-hyphens.sh" "$T/w/ocr/$doc/$page.txt" >"$T/ref"
		pdftotext "$T/w/pdf/$doc.pdf" "$T/pop"
		set -- $(sh "$TOP/tests/tools/word-bag.sh" "$T/ref" "$T/pop")
		le "$(($1 * 50))" "$2" && ok "$doc: pdftotext reads all but $1 of $2 words" ||
		    notok "$doc: pdftotext reads all but 2% of the words" "$1 of $2 missing"
	else
		le "$p" 0.01 && ok "$doc: pdftotext CER $p <= 0.01" ||
		    notok "$doc: pdftotext CER <= 0.01" "$p"
	fi
	if [ -n "$PDFJS" ]; then
		le "$j" 0.01 && ok "$doc: pdf.js CER $j <= 0.01" ||
		    notok "$doc: pdf.js CER <= 0.01" "$j"
	fi
	dpi=$(jq '.pages[0].dpi' "$T/w/pdf/$doc.json")
	set -- $(sh "$TOP/tests/tools/bbox-compare.sh" "$T/w/ocr/$doc/$page.alto.xml" \
	    "$T/w/pdf/$doc.pdf" 1 "$dpi")
	echo "# $doc: $2 of $1 words paired; edges off by $5 px on average ($dpi dpi); $6 within 3 px, $7 within 10 px"
done <"$T/cer"
qpdf --check "$T/w/pdf/Irshad_NH_000010.pdf" >"$T/qpdf" 2>&1 &&
    ok "qpdf --check" || notok "qpdf --check" "$(tail -n 2 "$T/qpdf")"
