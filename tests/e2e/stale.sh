#!/bin/sh
# Outputs never stale: every result records what made it (its input's
# fingerprint, the settings its stage reads, the OCR's models) and warraq
# run makes again exactly the results whose making changed, and what was
# made from them: a page redone by hand remakes its PDF and bag (and is
# kept), a changed setting redoes what it affects and nothing else, a new
# model redoes the OCR, --redo forces a stage; an unchanged batch is left
# alone, byte for byte.
. "$(dirname "$0")/../lib.sh"

mkdir -p "$T/scans"
cp "$FIX/fr-seed.tif" "$T/scans/fr.tif"
cp "$FIX/ar-seed.tif" "$T/scans/ar.tif"
W=$T/w
check "first run" warraq run -q -j 2 "$T/scans" "$W"

# snap NAME: checksums of every result but logs, report and run records
snap() {
	(cd "$W" && find deskew clean ocr pdf package bags -type f ! -name '.*' |
	    sort | while read -r f; do
		case $f in
		*.json) printf '%s %s\n' "$(jq -S 'del(.timing, .run)' "$f" | sha256sum | cut -c1-16)" "$f" ;;
		*) printf '%s %s\n' "$(sha256sum <"$f" | cut -c1-16)" "$f" ;;
		esac
	    done) >"$T/$1"
}
# changed A B: the files whose checksum differs, as "dir/name" lines
changed() { diff "$T/$1" "$T/$2" | sed -n 's/^> [0-9a-f]* //p' | sort -u; }
torun() { grep -E '^[a-z]+ +[0-9]+ (pages|documents) to run' "$1" |
    awk '$2 > 0 { printf "%s %s ", $1, $2 }'; }

snap s0
warraq run -n "$T/scans" "$W" >"$T/dry"
[ -z "$(torun "$T/dry")" ] && ok "an unchanged batch: nothing to run" ||
    notok "an unchanged batch: nothing to run" "$(torun "$T/dry")"
check "an unchanged batch, run again" warraq run -q "$T/scans" "$W"
snap s1
[ -z "$(changed s0 s1 | grep -v '^bags/\|^package/')" ] &&
    ok "an unchanged batch run again: results byte for byte the same" ||
    notok "an unchanged batch run again" "$(changed s0 s1 | head -n 5 | tr '\n' ' ')"

# a page redone by hand with settings of its own
check "warraq-ocr -f -o languages=fra on one page" \
    warraq-ocr -q -f -o languages=fra "$W" ar/0001
warraq run -n "$T/scans" "$W" >"$T/dry"
[ "$(torun "$T/dry")" = "pdf 1 package 1 " ] && grep -q '^  pdf ar$' "$T/dry" &&
    ok "dry run: the hand-redone page's PDF and bag to make again, nothing else" ||
    notok "dry run after a page redone by hand" "$(torun "$T/dry")"
snap s2
check "the run after it" warraq run -q "$T/scans" "$W"
snap s3
c=$(changed s2 s3)
checkx "its document's PDF and bag remade, the other document's left" \
    'echo "$c" | grep -q "^pdf/ar.pdf$" && echo "$c" | grep -q "^bags/ar/" &&
     ! echo "$c" | grep -q "^pdf/fr\|^bags/fr/\|^ocr/\|^clean/\|^deskew/"'
pdftotext -q "$W/pdf/ar.pdf" "$T/ar.txt"
checkx "the PDF carries the page as redone (its text: French model, Latin letters)" \
    '[ "$(tr -cd "a-zA-Z" <"$T/ar.txt" | wc -c)" -gt 20 ] &&
     jq -e ".made_with.by_hand == true and .made_with.settings.languages == \"fra\"" "$W/ocr/ar/0001.json"'
checkx "the page redone by hand is kept" \
    '[ "$(jq -r .made_with.settings.languages "$W/ocr/ar/0001.json")" = fra ]'

# a setting changed for the batch: the stages that read it, and after
check "warraq run -o pdf_image=bitonal" warraq run -q -o pdf_image=bitonal "$T/scans" "$W"
snap s4
c=$(changed s3 s4)
checkx "a PDF setting remakes PDFs and bags only" \
    'echo "$c" | grep -q "^pdf/fr.pdf$" && echo "$c" | grep -q "^pdf/ar.pdf$" &&
     echo "$c" | grep -q "^bags/fr/" &&
     ! echo "$c" | grep -q "^ocr/\|^clean/\|^deskew/"'
checkx "batch.json and the PDF's record say bitonal" \
    '[ "$(jq -r .settings.pdf_image "$W/batch.json")" = bitonal ] &&
     [ "$(jq -r .made_with.settings.pdf_image "$W/pdf/fr.json")" = bitonal ]'
check "back to the default" warraq run -q "$T/scans" "$W"
snap s5
checkx "the PDFs back, byte for byte, as they were" \
    '[ "$(grep " pdf/fr.pdf$" "$T/s5")" = "$(grep " pdf/fr.pdf$" "$T/s0")" ]'

# --redo: forced, and the page by hand made again with the batch's settings
warraq run -q --redo ocr "$T/scans" "$W" nosuch/0001 2>"$T/err"; st=$?
snap s6
[ $st -eq 2 ] && grep -q "nosuch/0001: no such" "$T/err" && [ -z "$(changed s5 s6)" ] &&
    ok "--redo of a unit not in the batch: exit 2, nothing done" ||
    notok "--redo of a unit not in the batch" "status $st $(cat "$T/err")"
check "--redo ocr ar/0001" warraq run -q --redo ocr "$T/scans" "$W" ar/0001
snap s7
c=$(changed s6 s7)
checkx "--redo ocr: the page with the batch's settings, its PDF and bag after it" \
    '[ "$(jq -r .made_with.settings.languages "$W/ocr/ar/0001.json")" = auto ] &&
     echo "$c" | grep -q "^ocr/ar/0001.txt$" && echo "$c" | grep -q "^pdf/ar.pdf$" &&
     ! echo "$c" | grep -q "^pdf/fr\|^ocr/fr"'
checkx "--redo ocr: the page as the first run made it" \
    '[ "$(grep " ocr/ar/0001.txt$" "$T/s7")" = "$(grep " ocr/ar/0001.txt$" "$T/s0")" ]'

# a new OCR model: every page's OCR, and what follows, is stale
td=/usr/share/tesseract-ocr/5/tessdata
if [ -f "$TOP/models/fra17.traineddata" ] && [ -f "$td/ara.traineddata" ]; then
	mkdir "$T/td"
	for m in ara eng osd; do ln -s "$td/$m.traineddata" "$T/td/"; done
	cp "$TOP/models/fra17.traineddata" "$T/td/fra.traineddata"
	TESSDATA_PREFIX=$T/td warraq run -n "$T/scans" "$W" >"$T/dry"
	[ "$(torun "$T/dry")" = "ocr 2 pdf 2 package 2 " ] &&
	    ok "another French model: the OCR of every page stale, and what follows" ||
	    notok "another French model" "$(torun "$T/dry")"
else
	skip "models/fra17.traineddata or ara.traineddata absent"
fi

# an ingest setting that changes what ingest makes: the pages ingested
# again, and what follows; one that only limits what is taken: nothing
snap s8
warraq run -q -o max_pixels=900000000 "$T/scans" "$W" 2>/dev/null
snap s9
[ -z "$(changed s8 s9 | grep -v '^bags/\|^package/')" ] &&
    ok "a changed limit (max_pixels) redoes nothing" ||
    notok "a changed limit (max_pixels) redoes nothing" "$(changed s8 s9 | head -n 3 | tr '\n' ' ')"
warraq run -q --stages ingest,deskew -o assume_dpi=200 "$T/scans" "$W" 2>"$T/err"
checkx "a changed assume_dpi: the pages ingested again, deskewed again" \
    '[ "$(jq -r .run.ingested "$W/ingest/summary.json")" = 2 ] &&
     [ "$(jq -r .made_with.settings.assume_dpi "$W/ingest/ar/0001.json")" = 200 ] &&
     [ "$(jq -r .made_with.input "$W/deskew/ar/0001.json")" = "$(jq -r .fingerprint "$W/ingest/ar/0001.json")" ]'
warraq run -n --stages ingest,deskew,clean,ocr -o assume_dpi=200 "$T/scans" "$W" >"$T/dry"
[ "$(torun "$T/dry")" = "clean 2 ocr 2 " ] && ok "and the stages after it are to run" ||
    notok "and the stages after it are to run" "$(torun "$T/dry")"
