#!/bin/sh
# warraq-pdf: one PDF per document of the sample batch, whose text two
# independent readers, poppler (pdftotext) and pdf.js, read back as the
# OCR text (CER <= 1%, an Arabic phrase of three words found; for
# pdftotext the OCR text joined at line-end hyphens, as it joins them),
# and of the layout fixtures (letterhead, two columns in French and in
# Arabic, marginal notes, through the layout stage): pdf.js at CER <= 1%,
# pdftotext every word (it orders the blocks of a page by its own
# reading of the layout: the letterhead row by row, a marginal note
# within the paragraph), word boxes
# where the ALTO puts them, no bigger than 1.2x its page images, clean by
# qpdf --check, with its metadata and page size; bitonal (G4) pages; a
# done document is not redone, a rescanned one is; a document with a
# page failed upstream is skipped with the reason.
. "$(dirname "$0")/../lib.sh"

mkdir -p "$T/scans"
cp "$FIX"/*.tif "$FIX"/*.gt.txt "$T/scans/"
check "full pipeline with the pdf stage" warraq run -q "$T/scans" "$T/w"
le() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a <= b + 1e-9) }'; }
cer() { warraq-eval --text "$1" "$2" | cut -d' ' -f1; }
# phrase TXT: the first three Arabic words in a row, without punctuation
phrase() { LC_ALL=C.UTF-8 grep -oP '[\x{0621}-\x{064A}]+ [\x{0621}-\x{064A}]+ [\x{0621}-\x{064A}]+(?= )' "$1" | head -n 1; }
# clean TEXT: bidi marks out, white space collapsed, as the phrase is sought
clean() { sed 's/\xe2\x80[\x8e\x8f\xaa-\xae]//g; s/\xd8\x9c//g' "$1" | tr -s ' \n\f' '  '; }

PDFJS="$TOP/build/node"
why=$(sh "$TOP/tests/tools/pdfjs-setup.sh" "$PDFJS") || skip "pdf.js checks: $why"
[ -z "$why" ] && pdfjs=1 || pdfjs=0

for d in fr-seed ar-seed fr-seed-scanned ar-seed-scanned mixed-fr-ar; do
	pdf="$T/w/pdf/$d.pdf" txt="$T/w/ocr/$d/0001.txt"
	if [ ! -s "$pdf" ]; then
		notok "$d: PDF written" "no $pdf"
		continue
	fi
	pdftotext "$pdf" "$T/$d.poppler" 2>"$T/$d.poppler.err"
	readers="poppler"
	if [ "$pdfjs" = 1 ]; then
		node "$TOP/tests/tools/pdfjs-text.mjs" "$PDFJS" "$pdf" >"$T/$d.pdfjs" 2>"$T/$d.pdfjs.err" ||
		    notok "$d: pdf.js reads the PDF" "$(tail -n 2 "$T/$d.pdfjs.err")"
		readers="poppler pdfjs"
	fi
	p=$(phrase "$txt")
	sh "$TOP/tests/tools/join-hyphens.sh" "$txt" >"$T/$d.joined"
	for r in $readers; do
		ref=$txt
		[ "$r" = poppler ] && ref=$T/$d.joined
		c=$(cer "$ref" "$T/$d.$r")
		echo "# $d: $r CER $c"
		le "$c" 0.01 && ok "$d: $r CER $c <= 1%" || notok "$d: $r CER <= 1%" "$c"
		if [ -n "$p" ]; then
			clean "$T/$d.$r" | grep -qF "$p" && ok "$d: $r finds \"$p\"" ||
			    notok "$d: $r finds the Arabic phrase" "\"$p\" not in $(clean "$T/$d.$r" | head -c 200)"
		fi
	done
	dpi=$(jq '.pages[0].dpi' "$T/w/pdf/$d.json")
	set -- $(sh "$TOP/tests/tools/bbox-compare.sh" "$T/w/ocr/$d/0001.alto.xml" "$pdf" 1 "$dpi")
	echo "# $d: $2 of $1 words paired; edges off by $5 px on average, at most $4 px; $6 within 3 px, $7 within 10 px; $8 px out vertically"
	# 80% of the words within 3 px, 95% within 10 (a word squeezed
	# for pdf.js, or an OCR box overlapping the next one, is off more);
	# the PDF word has the height of its line, the ALTO word is inside
	[ "$1" -eq "$2" ] && le "$5" 3 && le "$(($2 * 8))" "$(($6 * 10))" &&
	    le "$(($2 * 95))" "$(($7 * 100))" && le "$8" 3 &&
	    ok "$d: pdftotext -bbox word boxes on the ALTO ones (mean $5 px)" ||
	    notok "$d: pdftotext -bbox word boxes on the ALTO ones" "paired $2/$1, mean $5, within 3 px $6, within 10 px $7, vertical $8"
	img=$(jq '.image_bytes' "$T/w/pdf/$d.json") size=$(stat -c %s "$pdf")
	# the images as they are in the PDF, by poppler, not by the JSON
	rm -rf "$T/img" && mkdir "$T/img" && pdfimages -all "$pdf" "$T/img/i"
	got=$(cat "$T/img"/* | wc -c)
	[ "$got" -eq "$img" ] && le "$size" "$(echo "$img" | awk '{ print 1.2 * $1 }')" &&
	    ok "$d: $size bytes, $(echo "$size $img" | awk '{ printf "%.3f", $1 / $2 }')x its page images" ||
	    notok "$d: PDF at most 1.2x its page images" "$size bytes, images $got (json $img)"
	qpdf --check "$pdf" >"$T/qpdf" 2>&1 &&	# 0: no error, no warning
	    ok "$d: qpdf --check" || notok "$d: qpdf --check" "$(tail -n 2 "$T/qpdf")"
	[ ! -s "$T/$d.poppler.err" ] && ok "$d: poppler reads it without a warning" ||
	    notok "$d: poppler reads it without a warning" "$(head -n 2 "$T/$d.poppler.err")"
done

# the layout fixtures, read through the layout stage
mkdir -p "$T/lscans"
for f in letterhead columns-fr columns-ar marginal; do
	cp "$TOP/fixtures/layout/$f.tif" "$T/lscans/"
done
check "the layout fixtures through the layout stage" warraq run -q -o layout_stage=yes \
    "$T/lscans" "$T/lw"
for d in letterhead columns-fr columns-ar marginal; do
	pdf="$T/lw/pdf/$d.pdf" txt="$T/lw/ocr/$d/0001.txt"
	if [ ! -s "$pdf" ]; then
		notok "$d: PDF written" "no $pdf"
		continue
	fi
	pdftotext "$pdf" "$T/$d.poppler"
	sh "$TOP/tests/tools/join-hyphens.sh" "$txt" >"$T/$d.joined"
	echo "# $d: poppler CER $(cer "$T/$d.joined" "$T/$d.poppler") (in its own order)"
	set -- $(sh "$TOP/tests/tools/word-bag.sh" "$T/$d.joined" "$T/$d.poppler")
	[ "$(($1 * 100))" -le "$2" ] && ok "$d: pdftotext reads all but $1 of $2 words" ||
	    notok "$d: pdftotext reads all but 1% of the words" "$1 of $2 missing"
	if [ "$pdfjs" = 1 ]; then
		node "$TOP/tests/tools/pdfjs-text.mjs" "$PDFJS" "$pdf" >"$T/$d.pdfjs" 2>/dev/null
		c=$(cer "$txt" "$T/$d.pdfjs")
		le "$c" 0.01 && ok "$d: pdfjs CER $c <= 1%" || notok "$d: pdfjs CER <= 1%" "$c"
	fi
	dpi=$(jq '.pages[0].dpi' "$T/lw/pdf/$d.json")
	set -- $(sh "$TOP/tests/tools/bbox-compare.sh" "$T/lw/ocr/$d/0001.alto.xml" "$pdf" 1 "$dpi")
	[ "$1" -eq "$2" ] && le "$(($2 * 8))" "$(($6 * 10))" &&
	    le "$(($2 * 95))" "$(($7 * 100))" && le "$8" 3 &&
	    ok "$d: word boxes on the ALTO ones (mean $5 px)" ||
	    notok "$d: word boxes on the ALTO ones" "paired $2/$1, mean $5, within 3 px $6, within 10 px $7, vertical $8"
	qpdf --check "$pdf" >"$T/qpdf" 2>&1 && ok "$d: qpdf --check" ||
	    notok "$d: qpdf --check" "$(tail -n 2 "$T/qpdf")"
done

# metadata and the page's physical size
pdfinfo "$T/w/pdf/ar-seed.pdf" >"$T/info"
w=$(jq '.pages[0].width' "$T/w/pdf/ar-seed.json") h=$(jq '.pages[0].height' "$T/w/pdf/ar-seed.json")
grep -q "^Title: *ar-seed$" "$T/info" && grep -q "^Creator: *warraq-pdf" "$T/info" &&
    grep -q "^Producer: *warraq-pdf .*cairo" "$T/info" && grep -q "^CreationDate: " "$T/info" &&
    ok "metadata: title, creator, producer, creation date" || notok "metadata" "$(cat "$T/info")"

# the text layer is invisible in itself, not only hidden by the page image:
# Ghostscript drawing the page without its images draws nothing
gs -q -dNOPAUSE -dBATCH -dSAFER -dFILTERIMAGE -sDEVICE=pgmraw -r30 \
    -o "$T/noimg.pgm" "$T/w/pdf/ar-seed.pdf" >"$T/gs.err" 2>&1 &&
    m=$(convert "$T/noimg.pgm" -format '%[fx:mean]' info:) && le 1 "$m" &&
    ok "text layer invisible: the page without its image is blank" ||
    notok "text layer invisible" "mean ${m:-?} (1 is blank): $(head -c 200 "$T/gs.err")"

# PDF/A-2b, as far as tools in Debian can tell (none validates PDF/A):
# XMP that says so and agrees with the Info dictionary, an sRGB output
# intent whose profile is an ICC RGB profile, a file identifier, every
# font embedded, Type 2 CID fonts with a CIDToGIDMap, no interpolation
pdf="$T/w/pdf/ar-seed.pdf"
pdfinfo -meta "$pdf" | sed -n '/<?xpacket begin/,$p' >"$T/xmp.xml"
x() { xmllint --xpath "string($1)" "$T/xmp.xml" 2>/dev/null; }
info() { sed -n "s/^$1: *//p" "$T/info"; }
[ "$(x "//*[local-name()='part']")" = 2 ] && [ "$(x "//*[local-name()='conformance']")" = B ] &&
    [ "$(x "//*[local-name()='title']//*[local-name()='li']")" = "$(info Title)" ] &&
    [ "$(x "//*[local-name()='CreatorTool']")" = "$(info Creator)" ] &&
    [ "$(x "//*[local-name()='Producer']")" = "$(info Producer)" ] &&
    [ "$(x "//*[local-name()='CreateDate']")" = "$(jq -r .creation_date "$T/w/pdf/ar-seed.json")" ] &&
    ok "PDF/A: XMP says part 2, conformance B, and agrees with the Info dictionary" ||
    notok "PDF/A: XMP metadata" "$(cat "$T/xmp.xml")"
qpdf --json "$pdf" >"$T/q.json"
root=$(jq -r '.qpdf[1].trailer.value["/Root"]' "$T/q.json")
oi=$(jq -r --arg r "obj:$root" '.qpdf[1][$r].value["/OutputIntents"][]? |
    select(.["/Type"] == "/OutputIntent" and .["/S"] == "/GTS_PDFA1") | .["/DestOutputProfile"]' "$T/q.json")
n=${oi%% *}
qpdf --show-object="$n" --filtered-stream-data "$pdf" >"$T/icc" 2>/dev/null
[ -n "$oi" ] && [ "$(od -An -c -j36 -N4 "$T/icc" | tr -d ' ')" = acsp ] &&
    [ "$(od -An -c -j16 -N4 "$T/icc" | tr -d ' ')" = RGB ] &&
    [ "$(od -An -tu1 -N4 "$T/icc" | awk '{ print $1 * 16777216 + $2 * 65536 + $3 * 256 + $4 }')" -eq "$(wc -c <"$T/icc")" ] &&
    jq -e --arg r "obj:$root" '.qpdf[1][$r].value["/OutputIntents"] | length == 1' "$T/q.json" >/dev/null &&
    ok "PDF/A: an sRGB output intent with an ICC RGB profile ($(wc -c <"$T/icc") bytes)" ||
    notok "PDF/A: output intent" "intent profile '$oi', $(od -An -c -N40 "$T/icc" | tr -s ' ')"
jq -e '.qpdf[1].trailer.value["/ID"] | length == 2' "$T/q.json" >/dev/null &&
    jq -e '[.qpdf[1][] | .stream.dict // empty | select(.["/Type"] == "/Metadata") | has("/Filter")] == [false]' "$T/q.json" >/dev/null &&
    ok "PDF/A: a file identifier; one metadata stream, unfiltered" ||
    notok "PDF/A: file identifier and metadata stream" "$(jq -c '.qpdf[1].trailer' "$T/q.json")"
pdffonts "$pdf" | tail -n +3 >"$T/fonts"
[ -s "$T/fonts" ] && ! awk '$(NF - 4) != "yes"' "$T/fonts" | grep -q . &&
    [ "$(jq '[.qpdf[1][] | .value // empty | objects | select(.["/Subtype"] == "/CIDFontType2") |
        has("/CIDToGIDMap")] | all' "$T/q.json")" = true ] &&
    [ "$(jq '[.qpdf[1][] | .stream.dict // empty | select(.["/Interpolate"] == true)] | length' "$T/q.json")" = 0 ] &&
    ok "PDF/A: every font embedded, CID fonts mapped, no interpolation" ||
    notok "PDF/A: fonts and images" "$(cat "$T/fonts")"
grep -q "^Page size: *$(awk -v p="$w" 'BEGIN { printf "%g", p * 72 / 300 }') x $(awk -v p="$h" 'BEGIN { printf "%g", p * 72 / 300 }') pts" "$T/info" &&
    ok "page size from the resolution (${w}x$h px at 300 ppi)" || notok "page size from the resolution" "$(grep 'Page size' "$T/info")"
pdfimages -list "$T/w/pdf/ar-seed.pdf" | grep -q " gray  *1  *8  *jpeg " &&
    ok "gray page image as JPEG" || notok "gray page image as JPEG" "$(pdfimages -list "$T/w/pdf/ar-seed.pdf")"

# bitonal: the clean stage's G4 bytes, and the text still reads
check "pdf_image=bitonal" warraq-pdf -q -f -p "$T/w/profile.conf" -o pdf_image=bitonal "$T/w" ar-seed
pdfimages -list "$T/w/pdf/ar-seed.pdf" | grep -q " gray  *1  *1  *ccitt " &&
    ok "bitonal page image as CCITT G4" || notok "bitonal page image as CCITT G4" "$(pdfimages -list "$T/w/pdf/ar-seed.pdf")"
pdftoppm -r 30 -gray "$T/w/pdf/ar-seed.pdf" "$T/g4" && convert "$T/g4"*.pgm -format '%[fx:mean]' info: >"$T/mean" &&
    le 0.8 "$(cat "$T/mean")" && ok "bitonal page renders black on white (mean $(cat "$T/mean"))" ||
    notok "bitonal page renders black on white" "mean $(cat "$T/mean")"
pdftotext "$T/w/pdf/ar-seed.pdf" "$T/b.txt"
c=$(cer "$T/w/ocr/ar-seed/0001.txt" "$T/b.txt")
le "$c" 0.01 && ok "bitonal: poppler CER $c" || notok "bitonal: poppler CER <= 1%" "$c"
# not held to 1.2x: the font subset (~10 KB a document) outweighs a small G4 page
echo "# bitonal: $(jq -r '"\(.pdf_bytes) bytes, images \(.image_bytes)"' "$T/w/pdf/ar-seed.json")"
[ "$(jq -r .image "$T/w/pdf/ar-seed.json")" = "bitonal (CCITT G4)" ] && ok "JSON records the image mode" ||
    notok "JSON records the image mode" "$(jq -c . "$T/w/pdf/ar-seed.json")"
check "back to gray" warraq-pdf -q -f -p "$T/w/profile.conf" "$T/w" ar-seed

# the same document gives the same bytes (dates from the scans, qpdf's
# identifier from the content, the ICC profile dated as the document)
cp "$T/w/pdf/fr-seed.pdf" "$T/again.pdf"
sleep 1
warraq-pdf -q -f -p "$T/w/profile.conf" "$T/w" fr-seed
cmp "$T/again.pdf" "$T/w/pdf/fr-seed.pdf" >"$T/cmp" 2>&1 && ok "a PDF made again is the same bytes" ||
    notok "a PDF made again is the same bytes" "$(cat "$T/cmp")"

# a done document is not redone; a rescanned page makes its PDF stale
touch -d '1 minute ago' "$T/w/pdf/"*.pdf
touch -d '30 seconds ago' "$T/before"
warraq run -q "$T/scans" "$T/w" >/dev/null 2>&1
n=$(find "$T/w/pdf" -name '*.pdf' -newer "$T/before" | wc -l)
[ "$n" -eq 0 ] && ok "a second run redoes no PDF" || notok "a second run redoes no PDF" "$n redone"
convert "$FIX/fr-seed.tif" -rotate 0.3 +repage -compress zip "$T/scans/fr-seed.tif"
touch -d '1 second ago' "$T/before"
warraq run -q "$T/scans" "$T/w" >"$T/rescan.log" 2>&1 || cat "$T/rescan.log"
n=$(find "$T/w/pdf" -name '*.pdf' -newer "$T/before" | wc -l)
sha=$(sha "$T/scans/fr-seed.tif")
[ "$n" -eq 1 ] && [ "$(jq -r '.pages[0].source_sha256' "$T/w/pdf/fr-seed.json")" = "$sha" ] &&
    ok "a rescanned document gets a new PDF, and only it" || notok "a rescanned document gets a new PDF" "$n redone"

# a page failed upstream: its document is skipped, with the reason
echo "unreadable" >"$T/w/ocr/ar-seed/0001.error"
rm "$T/w/ocr/ar-seed/0001.json" "$T/w/pdf/ar-seed.json"
warraq-pdf -q -p "$T/w/profile.conf" "$T/w" 2>"$T/err"; st=$?
[ $st -eq 1 ] && grep -q "ar-seed: skipped: page 0001 failed in ocr: unreadable" "$T/err" &&
    ok "document with a failed page skipped, with the reason" ||
    notok "document with a failed page skipped, with the reason" "status $st: $(cat "$T/err")"
warraq status "$T/w" >"$T/st"
grep -q "skipped pdf ar-seed: page 0001 failed in ocr" "$T/st" && grep -Eq '^pdf +4 +0 +0 +1' "$T/st" &&
    ok "warraq status: the skipped document and why" || notok "warraq status: the skipped document" "$(cat "$T/st")"
