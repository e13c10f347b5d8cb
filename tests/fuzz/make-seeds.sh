#!/bin/sh
# make-seeds.sh - (re)makes the fuzz seed corpora in tests/fuzz/corpus/
# from the fixtures: tiny images in every layout ingest reads (a few KB
# each), a profile, a pages.tsv, sidecars, a ground-truth pair and two
# small ALTO pages.
#   sh tests/fuzz/make-seeds.sh
# The outputs are committed; run again only to change them.
set -eu
cd "$(dirname "$0")/../.."
C=tests/fuzz/corpus
FIX=fixtures/sample
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rm -rf "$C"
mkdir -p "$C/image" "$C/profile" "$C/pages" "$C/json" "$C/text" "$C/alto" \
    "$C/pagexml"

# ---- images: a 96 x 64 crop with text, in each layout -------------------
convert "$FIX/fr-seed.tif" -crop 96x64+300+400 +repage -colorspace gray \
    -depth 8 -density 300 -units PixelsPerInch -compress none "$tmp/g8.tif"
convert "$tmp/g8.tif" -threshold 60% -depth 1 -compress none "$tmp/b1.tif"
convert "$FIX/mixed-fr-ar.tif" -crop 96x64+300+400 +repage -colorspace sRGB \
    -type TrueColor -depth 8 -compress none "$tmp/rgb.tif"
I=$C/image
tiffcp -c none "$tmp/g8.tif" "$I/gray-none.tif"
tiffcp -c lzw:2 "$tmp/g8.tif" "$I/gray-lzw-pred.tif"
tiffcp -c g4 "$tmp/b1.tif" "$I/bilevel-g4.tif"
tiffcp -c g3:2d "$tmp/b1.tif" "$I/bilevel-g3.tif"
tiffcp -c packbits "$tmp/b1.tif" "$I/bilevel-packbits.tif"
tiffcp -c zip "$tmp/rgb.tif" "$I/rgb-deflate.tif"
tiffcp -c jpeg:r -r 16 "$tmp/rgb.tif" "$I/rgb-jpeg.tif"
tiffcp -c zip -t -w 32 -l 32 "$tmp/rgb.tif" "$I/rgb-tiled.tif"
tiffcp -c lzw -p separate "$tmp/rgb.tif" "$I/rgb-planar.tif"
tiffcp -8 -c zip "$tmp/g8.tif" "$I/gray-bigtiff.tif"
tiffcp -B -c lzw "$tmp/g8.tif" "$I/gray-bigendian.tif"
tiffcp "$I/bilevel-g4.tif" "$I/gray-lzw-pred.tif" "$I/multi-page.tif"
convert "$tmp/g8.tif" -depth 16 -compress zip "$I/gray16.tif"
convert "$tmp/rgb.tif" -alpha set -channel A -evaluate set 60% +channel \
    -compress zip "$I/rgba.tif"
convert "$tmp/rgb.tif" -colors 16 -type Palette -compress lzw "$I/palette.tif"
convert "$tmp/g8.tif" -density 118 -units PixelsPerCentimeter -compress zip \
    "$I/gray-cm.tif"
convert "$tmp/rgb.tif" -quality 80 "$I/rgb.jpg"
convert "$tmp/g8.tif" -quality 80 "$I/gray.jpg"
convert "$tmp/g8.tif" "$I/gray.png"
convert "$tmp/rgb.tif" -alpha set -channel A -evaluate set 60% +channel "$I/rgba.png"
convert "$tmp/g8.tif" -depth 16 "$I/gray16.png"
convert "$tmp/rgb.tif" -colors 16 -type Palette "PNG8:$I/palette.png"

# ---- profile -------------------------------------------------------------
cat >"$C/profile/full.profile" <<'P'
# a collection's settings
stages = deskew,clean,ocr
assume_dpi = 400
max_pixels = 100000000
languages = ara+fra
split = auto
binding = rtl
binarize = otsu
sauvola_k = 0.3
timeout = 300
pdf_jpeg_quality = 60
report_max_low_words = 0.2
P
printf 'stages=all\nlanguages = auto\n' >"$C/profile/short.profile"

# ---- pages.tsv -----------------------------------------------------------
h=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
{
	printf 'doc\tpage\tsource\tindex\tsha256\tstatus\tpart\n'
	printf 'book\t0001\t/scans/book/1.tif\t0\t%s\tok\tfull\n' "$h"
	printf 'book\t0002\t/scans/book/2.tif\t0\t%s\tduplicate:book/0001\tfull\n' "$h"
	printf 'spread\t0001\t/scans/with\\ttab\\nand\\\\.tif\t1\t%s\tok\tleft\n' "$h"
	printf 'spread\t0002\t/scans/with\\ttab\\nand\\\\.tif\t1\t%s\tok\tright\n' "$h"
} >"$C/pages/pages.tsv"

# ---- sidecars ------------------------------------------------------------
z=0000000000000000000000000000000000000000000000000000000000000000
printf '{"doc": "d", "page": "0001", "stage": "ocr", "source_sha256": "%s",\n "timing": {"seconds": 1.5}, "words": 12, "scripts": {"arabic": 0.5}}\n' "$z" \
    >"$C/json/page.json"
printf '{"doc": "d", "pages": [{"page": "0001", "source_sha256": "%s", "words": 3}]}\n' "$z" \
    >"$C/json/doc.json"
printf '{"text": "\\u0627\\u0644\\u0648\\u0631\\u0651\\u0627\\u0642 \\t\\u0000x"}\n' >"$C/json/escapes.json"

# ---- ground truth against OCR text (NUL between) ----------------------------
{ head -c 300 "$FIX/ar-seed.gt.txt"; printf '\0'; head -c 280 "$FIX/ar-seed.gt.txt"; } >"$C/text/ar"
{ head -c 300 "$FIX/fr-seed.gt.txt"; printf '\0'; head -c 300 "$FIX/fr-seed.gt.txt" | tr e a; } >"$C/text/fr"
{ head -c 200 "$FIX/mixed-fr-ar.gt.txt"; printf '\0\342\200\217\331\200 x\r\n\377'; } >"$C/text/mixed"
# ---- ALTO: a line of each script, the variants search folds, odd values ----
alto() {	# alto LINE...: an ALTO page, each LINE "DIR|WORD WORD ..."
	echo '<?xml version="1.0" encoding="UTF-8"?>'
	echo '<alto xmlns="http://www.loc.gov/standards/alto/ns-v4#"><Layout>'
	echo '<Page WIDTH="2480" HEIGHT="3508"><PrintSpace><TextBlock>'
	for l; do
		echo "<TextLine BASEDIRECTION=\"${l%%|*}\" LANG=\"x\">"
		i=1
		for w in ${l#*|}; do
			echo "<String CONTENT=\"$w\" HPOS=\"$((i * 100))\" VPOS=\"50\" WIDTH=\"90.5\" HEIGHT=\"40\" WC=\"0.9$i\"/>"
			i=$((i + 1))
		done
		echo '</TextLine>'
	done
	echo '</TextBlock></PrintSpace></Page></Layout></alto>'
}
alto 'rtl|مَكْتَبَةٌ أحمد ٱلكتاب مسؤول كـتـاب ١٨٥٠ ۱۹۰۵ ﻻ' 'ltr|Église ſoleil œuvre l&apos;IA &lt;b&gt;' >"$C/alto/variants.xml"
alto 'ltr|x' | sed 's/HPOS="100"/HPOS="-7e99"/; s/WC="0.91"/WC="nan"/; s/VPOS="50"/VPOS="1e300"/' \
    >"$C/alto/odd-values.xml"
# ---- PAGE-XML: regions of every kind, both scripts, a reading order, a
# correction; and odd coordinates, nesting, a broken reference ----
pagexml() {
	echo '<?xml version="1.0" encoding="UTF-8"?>'
	echo '<PcGts xmlns="http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15">'
	echo '<Metadata><Creator>Transkribus</Creator><Created>2026-01-01T00:00:00</Created>'
	echo '<LastChange>2026-01-01T00:00:00</LastChange>'
	echo '<MetadataItem type="processingStep" name="correction" value="A &amp; B"/></Metadata>'
	echo '<Page imageFilename="p.tif" imageWidth="2000" imageHeight="2600">'
	echo '<ReadingOrder><OrderedGroup id="ro"><RegionRefIndexed index="1" regionRef="r1"/>'
	echo '<RegionRefIndexed index="0" regionRef="r2"/><RegionRefIndexed index="2" regionRef="nope"/></OrderedGroup></ReadingOrder>'
	echo '<TextRegion id="r1" type="heading" primaryScript="Latn - Latin"><Coords points="10,10 900,10 900,80 10,80"/>'
	echo '<TextLine id="r1l1"><Coords points="10,10 900,10 900,80 10,80"/><Baseline points="10,70 900,70"/></TextLine></TextRegion>'
	echo '<TextRegion id="r2" primaryScript="Arab - Arabic"><Coords points="1000,100 1990,100 1990,900 1000,900"/>'
	echo '<TextLine id="r2l1" primaryScript="Arab - Arabic"><Coords points="1000,100 1990,100 1990,150 1000,150"/></TextLine>'
	echo '<TextRegion id="r2b"><Coords points="1000,200 1990,300"/><TextLine id="r2bl1"><Coords points="1000,200 1990,250"/></TextLine></TextRegion></TextRegion>'
	echo '<GraphicRegion id="g" type="stamp"><Coords points="100,2000 400,2300"/></GraphicRegion>'
	echo '<UnknownRegion id="u" comments="unread"><Coords points="5,5 9,9"/></UnknownRegion>'
	echo '<SeparatorRegion id="s"><Coords points="0,1000 2000,1005"/></SeparatorRegion>'
	echo '</Page></PcGts>'
}
pagexml >"$C/pagexml/kinds.xml"
pagexml | sed 's/1000,100 /-5,-9e20 /; s/900,80 /99999999,7 /; s/imageHeight="2600"/imageHeight="0x10"/' \
    >"$C/pagexml/odd-values.xml"
du -sh "$C"/*
