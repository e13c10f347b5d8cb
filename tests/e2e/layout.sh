#!/bin/sh
# warraq-layout, and the OCR that follows it, on the layout fixtures
# (fixtures/layout: letterhead, French and Arabic two columns, marginal
# note; see make-layout-fixtures.sh): PAGE-XML valid against the schema,
# every ground-truth block found whole (its best-matching text block
# within 5 % CER) and in reading order, the letterhead's French and Arabic
# apart, each line's LANG from its script, the roles, the stamp kept out
# of the text but recorded; a corrected layout
# kept on re-runs and used by the OCR, a damaged one failing its page.
. "$(dirname "$0")/../lib.sh"
LFIX=$TOP/fixtures/layout
XSD=$SHARED/schemas/pagecontent-2019-07-15.xsd
le() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a <= b + 1e-9) }'; }
arabic() { LC_ALL=C grep -a "$(printf '[\330-\333]')" "$1" || true; }

mkdir -p "$T/scans"
cp "$LFIX"/*.tif "$T/scans/"
check "warraq run goes through layout" warraq run -q \
    -o stages=ingest,deskew,clean,layout,ocr "$T/scans" "$T/w"
checkx "dry run lists the layout stage when asked" \
    'warraq run -n -o layout_stage=yes "$T/scans" "$T/w" | grep -q "^layout "'
checkx "dry run without it: no layout stage (opt-in)" \
    '! warraq run -n "$T/scans" "$T/w" | grep -q "^layout "'

for p in $(cd "$LFIX" && ls *.blocks.txt | sed "s/\.blocks\.txt$//"); do
	x=$T/w/layout/$p/0001.xml
	if [ -f "$XSD" ]; then
		check "$p: PAGE-XML valid (offline)" xmllint --noout --nonet \
		    --schema "$XSD" "$x"
	else
		skip "$p: no ../shared/schemas to validate PAGE-XML against"
	fi
	# the OCR text's blocks (regions) one file each
	rm -rf "$T/ob" "$T/gb"
	mkdir -p "$T/ob" "$T/gb"
	awk -v d="$T/ob" 'BEGIN { RS = ""; n = 0 } { n++; print > (d "/" n) }' \
	    "$T/w/ocr/$p/0001.txt"
	awk -v d="$T/gb" 'BEGIN { n = 1 } /^---/ { n++; if (/stamp/) print > (d "/" n ".stamp"); next }
	    { print > (d "/" n) }' "$LFIX/$p.blocks.txt"
	nob=$(ls "$T/ob" | wc -l)
	prev=0 inorder=1 whole=1 report=
	for g in $(ls "$T/gb" | grep -v stamp | sort -n); do
		best=9 at=0 errs=0
		for o in $(ls "$T/ob" | sort -n); do
			set -- $(warraq-eval --text "$T/gb/$g" "$T/ob/$o")
			le "$1" "$best" && ! le "$best" "$1" && best=$1 at=$o errs=$3
		done
		report="$report $g->$at($best)"
		# whole: at most 5 % of its characters wrong, or two; under a
		# stamp, whose ring takes the letters it touches, 25 %
		lim=0.05
		[ -f "$T/gb/$g.stamp" ] && lim=0.25
		le "$best" "$lim" || [ "$errs" -le 2 ] || whole=0
		[ "$at" -gt "$prev" ] || inorder=0
		prev=$at
	done
	echo "# $p: $nob text blocks; ground-truth block -> text block (CER):$report"
	checkx "$p: every block found whole (CER <= 5 %)" '[ $whole = 1 ]'
	checkx "$p: blocks in reading order" '[ $inorder = 1 ]'
done

# the letterhead: French and Arabic on one baseline are two blocks
lh=$T/w/ocr/letterhead/0001.txt
checkx "letterhead: the French line holds no Arabic" \
    '! grep "ROYAUME" "$lh" | arabic /dev/stdin | grep -q .'
checkx "letterhead: the Arabic line is read" 'grep -q "المملكة المغربية" "$lh"'
checkx "letterhead: the centred Arabic title is read" 'grep -q "قرار" "$lh"'
checkx "letterhead: ALTO gives the Arabic line LANG=ar" \
    'grep -A1 "<TextLine" "$T/w/ocr/letterhead/0001.alto.xml" | grep -q "LANG=\"ar\""'
if [ -f "$SHARED/schemas/alto-4-4.xsd" ]; then
	export XML_CATALOG_FILES="$SHARED/schemas/catalog.xml"
	check "letterhead: ALTO with roles validates" xmllint --nonet --noout \
	    --schema "$SHARED/schemas/alto-4-4.xsd" "$T/w/ocr/letterhead/0001.alto.xml"
fi
checkx "letterhead: ALTO blocks carry their roles" \
    'grep -q "TextBlock.*TAGREFS=\"role_page-number\"" "$T/w/ocr/letterhead/0001.alto.xml"'
check "report on the layout batch" warraq-report -q "$T/w"
checkx "report: the page with unread ink is flagged (or none has any)" \
    'for j in "$T"/w/layout/*/0001.json; do jq -e ".unread_text_like > 0" "$j" >/dev/null && { d=$(basename $(dirname "$j")); jq -e --arg d "$d" "[.. | objects | select(.doc? == \$d) | .flags[]?.flag] | index(\"unread\")" "$T/w/report/report.json" >/dev/null || exit 1; }; done; true'
checkx "letterhead: the page number has its role" \
    'grep -q "type=\"page-number\"" "$T/w/layout/letterhead/0001.xml"'
checkx "letterhead: the stamp recorded as a graphic region" \
    'grep -q "<GraphicRegion.*type=\"stamp\"" "$T/w/layout/letterhead/0001.xml"'
checkx "letterhead: the signature under the stamp is read" \
    'grep -q "Ahmed Benali" "$lh"'
checkx "columns-fr: footnote role" \
    'grep -q "type=\"footnote\"" "$T/w/layout/columns-fr/0001.xml"'
checkx "marginal: marginalia role" \
    'grep -q "type=\"marginalia\"" "$T/w/layout/marginal/0001.xml"'
checkx "columns-fr: no Arabic line" \
    '[ "$(warraq-eval --script fra "$T/w/ocr/columns-fr/0001.txt" | cut -d" " -f1)" = 0 ]'
checkx "columns-ar: no Latin line" \
    '[ "$(warraq-eval --script ara "$T/w/ocr/columns-ar/0001.txt" | cut -d" " -f1)" = 0 ]'
checkx "layout sidecar: scripts decided from pixels" \
    'jq -e ".lines_arabic > 0 and .lines_latin > 0 and (.script_method | test(\"pixels\"))" "$T/w/layout/letterhead/0001.json"'
checkx "eval --lines: a layout matches itself" \
    '( set -- $(warraq-eval --lines "$T/w/layout/marginal/0001.xml" "$T/w/layout/marginal/0001.xml"); [ "$1" = "$2" ] && [ "$1" -gt 0 ] )'

# a corrected layout: kept on re-runs, and the OCR follows it
x=$T/w/layout/marginal/0001.xml
sed 's|</Metadata>|<MetadataItem type="processingStep" name="correction" value="archivist A"/></Metadata>|' \
    "$x" >"$T/c.xml"
# the correction: the marginal note's region removed
awk '/<TextRegion/ && /marginalia/ { skip = 1 } !skip { print } skip && /<\/TextRegion>/ { skip = 0 }' \
    "$T/c.xml" >"$x"
sum=$(sha "$x")
check "corrected layout: layout re-run" warraq-layout -q -f "$T/w" marginal/0001
checkx "corrected layout: kept byte for byte" '[ "$(sha "$x")" = "$sum" ]'
checkx "corrected layout: the sidecar says who corrected it" \
    'jq -e ".corrected == \"archivist A\"" "$T/w/layout/marginal/0001.json"'
check "corrected layout: OCR re-run" warraq-ocr -q -f -o layout_stage=yes "$T/w" marginal/0001
checkx "corrected layout: the OCR used it (the note is gone)" \
    '! grep -q "registre des prêts" "$T/w/ocr/marginal/0001.txt" && jq -e ".layout_from.corrected" "$T/w/ocr/marginal/0001.json"'
printf '<PcGts><Page imageWidth="10"' >"$x"
warraq-layout -q -f "$T/w" marginal/0001 columns-fr/0001 2>"$T/err"
checkx "damaged layout: its page fails (exit 1), with the reason" \
    '[ $? = 1 ] && grep -q "marginal.*damaged layout" "$T/err"'
checkx "damaged layout: the other page is done" \
    '[ -f "$T/w/layout/columns-fr/0001.json" ]'

# the line tools
checkx "--script: an Arabic line image" \
    'warraq-layout --script "$TOP/../shared/eval/data/openiti_ocr_gs_ara_lines/lines/lq_IbnJawzi.Muntazam_000598.png" | grep -q "^Arabic" || [ ! -d "$SHARED" ]'
