#!/bin/sh
# pdf-text-cer.sh WORK [PDFJS_DIR]: how the text layer of each PDF of a
# work directory reads back, page by page, against the page's OCR text:
# one line a page, "DOC PAGE POPPLER_CER PDFJS_CER" (pdftotext, and
# pdf.js through tests/tools/pdfjs-text.mjs; "-" without PDFJS_DIR), the
# CERs by warraq-eval --text (which must be on PATH).  pdftotext joins a
# line ending in a hyphen to the next, dropping the hyphen, on purpose
# ("quel-" "ques" gives "quelques"): its text is compared with the OCR
# text joined the same way.
W=$1 PDFJS=${2:-}
TOOLS=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
for json in "$W"/pdf/*.json; do
	[ -f "$json" ] || continue
	doc=$(basename "$json" .json)
	pdf=$W/pdf/$doc.pdf
	[ -f "$pdf" ] || continue
	i=0
	for page in $(jq -r '.pages[].page' "$json"); do
		i=$((i + 1))
		txt=$W/ocr/$doc/$page.txt
		[ -f "$txt" ] || continue
		pdftotext -f "$i" -l "$i" "$pdf" "$tmp/p" 2>/dev/null || : >"$tmp/p"
		sh "$TOOLS/join-hyphens.sh" "$txt" >"$tmp/t"
		p=$(warraq-eval --text "$tmp/t" "$tmp/p" | cut -d' ' -f1)
		j=-
		if [ -n "$PDFJS" ]; then
			node "$TOOLS/pdfjs-text.mjs" "$PDFJS" "$pdf" "$i" >"$tmp/j" 2>/dev/null ||
			    : >"$tmp/j"
			j=$(warraq-eval --text "$txt" "$tmp/j" | cut -d' ' -f1)
		fi
		echo "$doc $page $p $j"
	done
done
