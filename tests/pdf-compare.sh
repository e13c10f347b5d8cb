#!/bin/sh
# pdf-compare.sh [BUILD_DIR]: how much of a searchable PDF's text comes
# back out of it, for warraq's PDF and its peers, on the sample pages and
# on the four printed Arabic pages of ../shared/eval/data (when present).
# Run by hand (not part of make test):
#
#   sh tests/pdf-compare.sh build
#
# For each page of fixtures/sample, each tool makes a PDF and its own
# text of the page; each PDF's text is then read back with poppler
# (pdftotext) and pdf.js, and compared with that tool's own text
# (warraq-eval --text: CER after NFC, bidi marks and tatweel out, white
# space collapsed).  What is measured is the PDF, not the OCR: 0 means
# the text layer gives back exactly what the tool recognised.
#   warraq     warraq run; WORK/ocr/DOC/PAGE.txt
#   tesseract  tesseract PAGE out -l LANG txt pdf (its own PDF renderer)
#   ocrmypdf   ocrmypdf -l LANG --sidecar out.txt PAGE out.pdf
# The peers read the same cleaned page warraq's OCR read
# (WORK/clean/DOC/PAGE.gray.tif), with the language of the page.
# ocrmypdf is installed (Debian package) when missing and root can.
# Never fails: it is a measure.
set -u
cd "$(dirname "$0")/.."
BUILD=${1:-build}
BIN=$(cd "$BUILD/bin" 2>/dev/null && pwd) || { echo "no $BUILD/bin: make first"; exit 0; }
PATH="$BIN:$PATH"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
have() { command -v "$1" >/dev/null 2>&1; }
if ! have ocrmypdf && [ "$(id -u)" = 0 ] && have apt-get; then
	echo "installing ocrmypdf (Debian package)"
	{ DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ocrmypdf; } \
	    >"$T/apt.log" 2>&1 || echo "apt-get failed: $(tail -n 1 "$T/apt.log")"
fi
PDFJS=build/node
why=$(sh tests/tools/pdfjs-setup.sh "$PDFJS") || echo "pdf.js: $why; its column is left empty"
echo "warraq:    $(warraq --version)"
echo "tesseract: $(tesseract --version 2>/dev/null | head -n 1)"
have ocrmypdf && echo "ocrmypdf:  $(ocrmypdf --version 2>/dev/null)"
echo "poppler:   $(pdftotext -v 2>&1 | head -n 1)"
[ -z "$why" ] && echo "pdf.js:    $(node -e "console.log(require('./$PDFJS/node_modules/pdfjs-dist/package.json').version)")"

OMP_THREAD_LIMIT=1 warraq run -q fixtures/sample "$T/w" >/dev/null 2>&1
# read PDF TXT: "poppler-CER pdfjs-CER" of PDF's text against TXT
read_back() {
	if [ ! -s "$1" ] || [ ! -f "$2" ]; then
		echo "- -"
		return
	fi
	pdftotext "$1" "$T/p.txt" 2>/dev/null
	a=$(warraq-eval --text "$2" "$T/p.txt" | cut -d' ' -f1)
	b=-
	if [ -z "$why" ] && node tests/tools/pdfjs-text.mjs "$PDFJS" "$1" >"$T/j.txt" 2>/dev/null; then
		b=$(warraq-eval --text "$2" "$T/j.txt" | cut -d' ' -f1)
	fi
	echo "$a $b"
}
printf '\n%-16s %-20s %-20s %-20s\n' "page" "warraq" "tesseract" "ocrmypdf"
printf '%-16s %-20s %-20s %-20s\n' "" "pdftotext pdf.js" "pdftotext pdf.js" "pdftotext pdf.js"
for d in ar-seed ar-seed-scanned fr-seed fr-seed-scanned mixed-fr-ar; do
	case $d in ar*) l=ara ;; fr*) l=fra ;; *) l=ara+fra ;; esac
	img="$T/w/clean/$d/0001.gray.tif"
	w=$(read_back "$T/w/pdf/$d.pdf" "$T/w/ocr/$d/0001.txt")
	OMP_THREAD_LIMIT=1 tesseract "$img" "$T/t-$d" -l "$l" txt pdf >/dev/null 2>&1
	t=$(read_back "$T/t-$d.pdf" "$T/t-$d.txt")
	o="- -"
	if have ocrmypdf; then
		ocrmypdf -q -l "$l" --output-type pdf --sidecar "$T/o-$d.txt" \
		    "$img" "$T/o-$d.pdf" >/dev/null 2>&1
		o=$(read_back "$T/o-$d.pdf" "$T/o-$d.txt")
	fi
	printf '%-16s %-20s %-20s %-20s\n' "$d" "$w" "$t" "$o"
done
# the real pages, as a user runs them (every setting its default)
P=../shared/eval/data/openiti_ocr_gs_ara_lines/pages_no_gt
if [ -d "$P" ]; then
	mkdir -p "$T/real"
	ln -s "$(cd "$P" && pwd)"/*.tif "$T/real/"
	OMP_THREAD_LIMIT=1 warraq run -q -o follow_symlinks=yes "$T/real" "$T/r" >/dev/null 2>&1
	for f in "$T"/real/*.tif; do
		d=$(basename "$f" .tif)
		img="$T/r/clean/$d/0001.gray.tif"
		w=$(read_back "$T/r/pdf/$d.pdf" "$T/r/ocr/$d/0001.txt")
		OMP_THREAD_LIMIT=1 tesseract "$img" "$T/t-$d" -l ara txt pdf >/dev/null 2>&1
		t=$(read_back "$T/t-$d.pdf" "$T/t-$d.txt")
		o="- -"
		if have ocrmypdf; then
			ocrmypdf -q -l ara --output-type pdf --sidecar "$T/o-$d.txt" \
			    "$img" "$T/o-$d.pdf" >/dev/null 2>&1
			o=$(read_back "$T/o-$d.pdf" "$T/o-$d.txt")
		fi
		printf '%-16.16s %-20s %-20s %-20s\n' "$d" "$w" "$t" "$o"
	done
fi
echo
echo "CER of the text read back out of each PDF against the tool's own text"
echo "of the page (0 = the PDF gives back exactly what was recognised)."
exit 0
