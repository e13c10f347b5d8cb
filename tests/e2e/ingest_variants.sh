#!/bin/sh
# ingest_variants.sh - warraq-ingest on one file of every layout scanners
# and legacy stores deliver: 1-bit (G4, G3, PackBits, none, min-is-white),
# 8- and 16-bit gray, 8- and 16-bit RGB, palette, gray and RGB with
# alpha, LZW / Deflate / Adobe Deflate / JPEG, striped / tiled, planar
# separate, multi-page, classic / BigTIFF, big / little endian,
# resolution in inch / cm / none, plain JPEG, and a folder of pages.
#
# The variants are made from fixtures/sample with libtiff's tools
# (tiffcp, tiffset), ImageMagick only where those cannot (scaling, bit
# depth, palette, alpha, photometric).  For each: exit status, its
# pages.tsv row and checksum, its JSON metadata, its output TIFF
# (pixel-identical where the conversion is lossless), and every source
# byte-identical afterwards.
. "${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"

S=$T/scans
W=$T/work
mkdir -p "$S/book"

# ---- the variants ----------------------------------------------------


B=$T/base
mkdir -p "$B"
# bases, 600 px wide: 8-bit gray, 16-bit gray, 8-bit and 16-bit RGB, bilevel
mk g8 convert "$FIX/fr-seed.tif" -resize 600x \
    \( +clone -depth 8 -compress none -write "$S/g8.tif" +delete \) \
    -depth 16 -compress none "$S/g16.tif"
mk rgb8 convert "$FIX/ar-seed-scanned.tif" -resize 600x \
    \( +clone -depth 8 -compress none -write "$B/rgb8.tif" +delete \) \
    -depth 16 -compress none "$S/rgb16.tif"
mk b1 convert "$S/g8.tif" -threshold 60% -depth 1 -compress none "$B/b1.tif"

# 1-bit: every codec, and min-is-white as fax machines write it
mk b1-none tiffcp -c none "$B/b1.tif" "$S/b1-none.tif"
mk b1-g4 tiffcp -c g4 "$B/b1.tif" "$S/b1-g4.tif"
mk b1-g3 tiffcp -c g3 "$B/b1.tif" "$S/b1-g3.tif"
mk b1-g3-2d tiffcp -c g3:2d "$B/b1.tif" "$S/b1-g3-2d.tif"
mk b1-packbits tiffcp -c packbits "$B/b1.tif" "$S/b1-packbits.tif"
mk b1-miw-g4 convert "$B/b1.tif" -define tiff:photometric=min-is-white \
    -compress group4 "$S/b1-miw-g4.tif"

# 8-bit gray: codecs, tiles, BigTIFF, byte order
mk g8-lzw tiffcp -c lzw "$S/g8.tif" "$S/g8-lzw.tif"
mk g8-adobe tiffcp -c zip "$S/g8.tif" "$S/g8-adobe-deflate.tif"
mk g8-deflate tiffcp -c zip:p2 "$S/g8.tif" "$S/g8-deflate.tif"
# the same zlib stream under the old Deflate code (32946)
mk g8-deflate-tag tiffset -s 259 32946 "$S/g8-deflate.tif"
mk g8-jpeg tiffcp -c jpeg:90 -r 16 "$S/g8.tif" "$S/g8-jpeg.tif"
mk g8-tiled tiffcp -t -w 64 -l 64 -c zip "$S/g8.tif" "$S/g8-tiled.tif"
mk g8-bigtiff tiffcp -8 -c lzw "$S/g8.tif" "$S/g8-bigtiff.tif"
mk g8-be tiffcp -B -c packbits "$S/g8.tif" "$S/g8-be.tif"

# 8-bit RGB: byte order, tiles, planes, JPEG-in-TIFF (YCbCr, as scanners)
mk rgb8-be tiffcp -B "$B/rgb8.tif" "$S/rgb8-be.tif"
mk rgb8-le tiffcp -L -c lzw "$S/rgb8-be.tif" "$S/rgb8-le.tif"
mk rgb8-tiled tiffcp -t -w 128 -l 64 -c zip "$B/rgb8.tif" "$S/rgb8-tiled.tif"
mk rgb8-planar tiffcp -p separate "$B/rgb8.tif" "$S/rgb8-planar.tif"
mk rgb8-planar-tiled tiffcp -p separate -t -c lzw "$B/rgb8.tif" \
    "$S/rgb8-planar-tiled.tif"
mk rgb-jpeg tiffcp -c jpeg:85 -r 16 "$B/rgb8.tif" "$S/rgb-jpeg.tif"
mk rgb-jpeg-bigbe tiffcp -8 -B -c jpeg:85 -r 16 "$B/rgb8.tif" \
    "$S/rgb-jpeg-bigtiff-be.tif"

# palette (8-bit colour map, exact in 8 bits) and a gray 4-bit palette
mk pal-png convert "$B/rgb8.tif" -colors 64 -depth 8 "$B/pal.png"
mk pal convert "$B/pal.png" -type Palette -density 300 -units PixelsPerInch \
    -compress none "$S/pal.tif"
mk gpal-png convert "$S/g8.tif" -colors 16 -depth 8 "$B/gpal.png"
mk gpal convert "$B/gpal.png" -type Palette -define tiff:photometric=palette \
    -density 300 -units PixelsPerInch -compress lzw "$S/gpal.tif"

# alpha: a gradient from opaque to transparent, unassociated and associated
mk ramp-g convert -size 600x"$(identify -format %h "$S/g8.tif")" \
    gradient:white-black "$B/ramp-g.png"
mk ramp-rgb convert -size 600x"$(identify -format %h "$B/rgb8.tif")" \
    gradient:white-black "$B/ramp-rgb.png"
mk ga convert "$S/g8.tif" "$B/ramp-g.png" -alpha off -compose CopyOpacity \
    -composite -compress none "$S/gray-alpha.tif"
mk gaa convert "$S/g8.tif" "$B/ramp-g.png" -alpha off -compose CopyOpacity \
    -composite -define tiff:alpha=associated -compress lzw "$S/gray-assoc-alpha.tif"
mk rgba convert "$B/rgb8.tif" "$B/ramp-rgb.png" -alpha off -compose CopyOpacity \
    -composite -compress none "$S/rgb-alpha.tif"
mk rgbaa convert "$B/rgb8.tif" "$B/ramp-rgb.png" -alpha off -compose CopyOpacity \
    -composite -define tiff:alpha=associated -compress zip "$S/rgb-assoc-alpha.tif"

# resolution: centimetre, and none (a unitless 200 is an aspect ratio)
mk res-cm tiffcp -c lzw "$S/g8.tif" "$S/res-cm.tif"
mk res-cm-unit tiffset -s 296 3 "$S/res-cm.tif"
mk res-cm-x tiffset -s 282 118.11 "$S/res-cm.tif"
mk res-cm-y tiffset -s 283 118.11 "$S/res-cm.tif"
mk res-none tiffcp -c zip "$B/b1.tif" "$S/res-none.tif"
mk res-none-unit tiffset -s 296 1 "$S/res-none.tif"
mk res-none-x tiffset -s 282 200 "$S/res-none.tif"
mk res-none-y tiffset -s 283 200 "$S/res-none.tif"

# a plain JPEG, as a camera writes it (JFIF 300 dpi)
mk jpg convert "$B/rgb8.tif" -quality 90 -density 300 -units PixelsPerInch \
    "$S/photo.jpg"
# PNG, as some scanners and every camera app can write it
mk png-g8 convert "$S/g8.tif" -density 300 -units PixelsPerInch "$S/png-g8.png"
mk png-rgba convert "$S/rgb-alpha.tif" "$S/png-rgba.png"
mk png-16 convert "$S/g16.tif" -define png:bit-depth=16 "$S/png-g16.png"
mk png-pal convert "$S/pal.tif" -define png:format=png8 "$S/png-pal.png"

# multi-page: three layouts in one file; and a BigTIFF big-endian one
mk multi tiffcp "$S/g8.tif" "$S/b1-g4.tif" "$S/rgb-jpeg.tif" "$S/multi.tif"
mk multi-big tiffcp -8 -B -c lzw "$B/b1.tif" "$S/g8-lzw.tif" "$S/multi-bigtiff-be.tif"

# a folder of pages in natural order: 1, 2, 10 (not 1, 10, 2)
mk book-1 tiffcp -c packbits "$S/g8.tif" "$S/book/1.tif"
mk book-2 tiffcp -c lzw "$B/b1.tif" "$S/book/2.tif"
mk book-10 tiffcp -c zip "$B/rgb8.tif" "$S/book/10.tif"
echo "not a page" >"$S/book/notes.txt"
cp "$FIX/fr-seed.gt.txt" "$S/g8.gt.txt"	# ground truth beside a page

[ "$mkfail" -eq 0 ] && ok "every variant made"

# the variants are all different files (else some would be duplicates)
if [ -z "$(find "$S" -type f -name '*.ti*' -o -type f -name '*.jpg' -o -type f -name '*.png' |
    xargs sha256sum | cut -c1-64 | sort | uniq -d)" ]; then
	ok "variant sources are all distinct"
else
	notok "variant sources are all distinct" "two variants have one checksum"
fi

# ---- the run -----------------------------------------------------------

SR=$(cd "$S" && pwd -P)
(cd "$S" && find . -type f -exec sha256sum {} + | sort) >"$T/sums.before"
(cd "$S" && find . | sort) >"$T/list.before"
warraq-ingest -q "$S" "$W" >"$T/out" 2>"$T/err"
rc=$?
if [ "$rc" -eq 0 ]; then
	ok "ingest of every variant exits 0"
else
	notok "ingest of every variant exits 0" "status $rc: $(head -n 3 "$T/err" | tr '\n' ' ')"
fi
if [ -s "$T/err" ]; then
	notok "no complaint on stderr" "$(head -n 3 "$T/err" | tr '\n' ' ')"
else
	ok "no complaint on stderr"
fi

# ---- checks ------------------------------------------------------------

# row DOC PAGE FILE INDEX: the pages.tsv row, its source, index, sha, status
row() {
	got=$(awk -F'\t' -v d="$1" -v p="$2" '$1 == d && $2 == p' "$W/pages.tsv")
	want=$(printf '%s\t%s\t%s\t%s\t%s\tok\tfull' "$1" "$2" "$SR/$3" "$4" "$(sha "$S/$3")")
	if [ "$got" = "$want" ]; then
		ok "$1/$2: pages.tsv row, sha256 of $3"
	else
		notok "$1/$2: pages.tsv row, sha256 of $3" "got '$got' want '$want'"
	fi
}

# meta DOC PAGE SRC FIELD=VALUE|FIELD~NUMBER...: the sidecar's fields;
# width and height are checked against ImageMagick's reading of SRC
meta() {
	doc=$1 page=$2 src=$3
	shift 3
	json=$W/ingest/$doc/$page.json
	bad=""
	if ! jq -e . "$json" >/dev/null 2>&1; then
		notok "$doc/$page: JSON metadata" "no valid $json"
		return
	fi
	wh=$(identify -format '%w %h' "$src" 2>/dev/null)
	set -- "width=${wh% *}" "height=${wh#* }" "doc=$doc" "page=$page" \
	    "stage=ingest" "source_sha256=$(sha "${src%\[*}")" "$@"
	# one jq for all the fields, a line each, in the order asked
	keys=""
	for kv in "$@"; do
		case "$kv" in
		*~*) keys="$keys ${kv%%~*}" ;;
		*)   keys="$keys ${kv%%=*}" ;;
		esac
	done
	# shellcheck disable=SC2086
	jq -r '$ARGS.positional[] as $k | getpath($k | split(".")) | tostring' \
	    "$json" --args $keys >"$T/.fields"
	exec 3<"$T/.fields"
	for kv in "$@"; do
		IFS= read -r got <&3 || got="(missing)"
		case "$kv" in
		*~*)	k=${kv%%~*} v=${kv#*~}
			awk -v a="$got" -v b="$v" 'BEGIN { d = a - b; exit !(a != "" && d < 0.01 && d > -0.01) }' ||
			    bad="$bad $k=$got (want ~$v)" ;;
		*)	k=${kv%%=*} v=${kv#*=}
			[ "$got" = "$v" ] || bad="$bad $k=$got (want $v)" ;;
		esac
	done
	exec 3<&-
	if [ -z "$bad" ]; then
		ok "$doc/$page: JSON metadata"
	else
		notok "$doc/$page: JSON metadata" "$bad"
	fi
}

# pixels DOC PAGE SRC HOW: the output against the source; HOW is exact
# (lossless), near (within 1%: JPEG decoders, 16 -> 8 bit), or flat
# (alpha composited over white, as ImageMagick does it, exactly)
pixels() {
	doc=$1 page=$2 src=$3 how=$4
	out=$W/ingest/$doc/$page.tif
	ref=$src fuzz=0
	case "$how" in
	near)	fuzz=1% ;;
	flat)	ref=$T/flat.tif
		convert "$src" -background white -alpha remove -alpha off "$ref" ;;
	esac
	ae=$(compare -metric AE -fuzz "$fuzz" "$ref" "$out" null: 2>&1)
	if [ "$ae" = 0 ]; then
		ok "$doc/$page: pixels ($how) match the source"
	else
		notok "$doc/$page: pixels ($how) match the source" "$ae pixels differ"
	fi
}

# outfile DOC PAGE: the output TIFF is what its sidecar says: depth,
# codec (G4 for bilevel, Deflate otherwise), resolution in dpi
outfile() {
	doc=$1 page=$2
	out=$W/ingest/$doc/$page.tif json=$W/ingest/$doc/$page.json
	info=$(tiffinfo "$out" 2>/dev/null)
	bits=$(echo "$info" | sed -n 's/.*Bits\/Sample: *//p')
	spp=$(echo "$info" | sed -n 's/.*Samples\/Pixel: *//p')
	comp=$(echo "$info" | sed -n 's/.*Compression Scheme: *//p')
	res=$(echo "$info" | sed -n 's/.*Resolution: \([0-9]*\), .*pixels\/inch.*/\1/p')
	depth=$(jq -r .output.depth "$json")
	dpi=$(jq -r .dpi "$json")
	case "$depth" in
	1)  want="1 1 CCITT Group 4" ;;
	8)  want="8 1 AdobeDeflate" ;;
	24) want="8 3 AdobeDeflate" ;;
	*)  want="?" ;;
	esac
	if [ "$bits $spp $comp" = "$want" ] && [ "$res" = "$dpi" ] &&
	    [ "$(tiffinfo "$out" 2>/dev/null | grep -c 'TIFF Directory')" = 1 ]; then
		ok "$doc/$page: output TIFF is $want at $dpi dpi"
	else
		notok "$doc/$page: output TIFF is $want at $dpi dpi" \
		    "got $bits bit x $spp, $comp, ${res:-no} dpi"
	fi
}

# one FILE DOC HOW FIELD=VALUE...: a single-image source, every check
one() {
	file=$1 doc=$2 how=$3
	shift 3
	if [ ! -f "$W/ingest/$doc/0001.tif" ]; then
		notok "$doc: ingested" "no $doc/0001.tif"
		return
	fi
	if [ -e "$W/ingest/$doc/0002.tif" ]; then
		notok "$doc: one page" "a page 0002 exists"
	fi
	row "$doc" 0001 "$file" 0
	meta "$doc" 0001 "$S/$file" source_index=0 "$@"
	pixels "$doc" 0001 "$S/$file" "$how"
	outfile "$doc" 0001
}

L=byte_order=little-endian
C=bigtiff=false
I="resolution_unit=inch dpi=300 resolution_assumed=false x_resolution~300"
G8="bits_per_sample=8 samples_per_pixel=1 photometric=min-is-black output.depth=8"
B1="bits_per_sample=1 samples_per_pixel=1 output.depth=1"
RGB="bits_per_sample=8 samples_per_pixel=3 photometric=RGB output.depth=24"
S8="reduced_16_to_8=false alpha_composited=false"
ST="tiled=false planar=contiguous"

# shellcheck disable=SC2086
{
one b1-none.tif b1-none exact $B1 photometric=min-is-black compression=none $L $C $I $ST $S8
one b1-g4.tif b1-g4 exact $B1 photometric=min-is-black compression="CCITT G4" compression_code=4 $L $C $I $ST
one b1-g3.tif b1-g3 exact $B1 compression="CCITT G3" compression_code=3 $L $C $I $ST
one b1-g3-2d.tif b1-g3-2d exact $B1 compression="CCITT G3" $L $C $I
one b1-packbits.tif b1-packbits exact $B1 compression=PackBits compression_code=32773 $L $C $I
one b1-miw-g4.tif b1-miw-g4 exact $B1 photometric=min-is-white compression="CCITT G4" $L $C $I

one g8.tif g8 exact $G8 compression=none compression_code=1 $L $C $I $ST $S8 format=TIFF \
    ground_truth="$SR/g8.gt.txt"
one g8-lzw.tif g8-lzw exact $G8 compression=LZW compression_code=5 $L $C $I $ST
one g8-adobe-deflate.tif g8-adobe-deflate exact $G8 compression="Adobe Deflate" compression_code=8 $L $C $I
one g8-deflate.tif g8-deflate exact $G8 compression=Deflate compression_code=32946 $L $C $I
one g8-jpeg.tif g8-jpeg near $G8 compression=JPEG compression_code=7 $L $C $I
one g8-tiled.tif g8-tiled exact $G8 compression="Adobe Deflate" tiled=true planar=contiguous $L $C $I
one g8-bigtiff.tif g8-bigtiff exact $G8 compression=LZW bigtiff=true $L $I tiled=false
one g8-be.tif g8-be exact $G8 compression=PackBits byte_order=big-endian $C $I

one g16.tif g16 near bits_per_sample=16 samples_per_pixel=1 photometric=min-is-black \
    output.depth=8 reduced_16_to_8=true alpha_composited=false compression=none $L $C $I
one rgb16.tif rgb16 near bits_per_sample=16 samples_per_pixel=3 photometric=RGB \
    output.depth=24 reduced_16_to_8=true compression=none $L $C $I

one rgb8-be.tif rgb8-be exact $RGB compression=none byte_order=big-endian $C $I $ST $S8
one rgb8-le.tif rgb8-le exact $RGB compression=LZW $L $C $I $ST
one rgb8-tiled.tif rgb8-tiled exact $RGB compression="Adobe Deflate" tiled=true planar=contiguous $L $C $I
one rgb8-planar.tif rgb8-planar exact $RGB compression=none tiled=false planar=separate $L $C $I
one rgb8-planar-tiled.tif rgb8-planar-tiled exact $RGB compression=LZW tiled=true planar=separate $L $C $I
one rgb-jpeg.tif rgb-jpeg near bits_per_sample=8 samples_per_pixel=3 photometric=YCbCr \
    output.depth=24 compression=JPEG compression_code=7 $L $C $I $ST
one rgb-jpeg-bigtiff-be.tif rgb-jpeg-bigtiff-be near photometric=YCbCr output.depth=24 \
    compression=JPEG bigtiff=true byte_order=big-endian $I

one pal.tif pal exact bits_per_sample=8 samples_per_pixel=1 photometric=palette \
    output.depth=24 compression=none $L $C $I $S8
one gpal.tif gpal exact bits_per_sample=4 samples_per_pixel=1 photometric=palette \
    output.depth=8 compression=LZW $L $C $I

one gray-alpha.tif gray-alpha flat bits_per_sample=8 samples_per_pixel=2 extra_samples=1 \
    photometric=min-is-black output.depth=8 alpha_composited=true $L $C $I
one gray-assoc-alpha.tif gray-assoc-alpha flat bits_per_sample=8 samples_per_pixel=2 \
    extra_samples=1 output.depth=8 alpha_composited=true compression=LZW $L $C $I
one rgb-alpha.tif rgb-alpha flat bits_per_sample=8 samples_per_pixel=4 extra_samples=1 \
    photometric=RGB output.depth=24 alpha_composited=true $L $C $I
one rgb-assoc-alpha.tif rgb-assoc-alpha flat samples_per_pixel=4 output.depth=24 \
    alpha_composited=true compression="Adobe Deflate" $L $C $I

one res-cm.tif res-cm exact $G8 resolution_unit=centimeter x_resolution~118.11 \
    y_resolution~118.11 dpi=300 resolution_assumed=false
one res-none.tif res-none exact $B1 resolution_unit=none x_resolution~200 dpi=300 \
    resolution_assumed=true

one photo.jpg photo near format=JPEG compression=JPEG bits_per_sample=8 \
    samples_per_pixel=3 output.depth=24 $I $S8
one png-g8.png png-g8 exact $G8 format=PNG dpi=300 resolution_assumed=false
one png-rgba.png png-rgba flat format=PNG samples_per_pixel=4 output.depth=24 alpha_composited=true
one png-g16.png png-g16 near format=PNG bits_per_sample=16 output.depth=8 reduced_16_to_8=true
one png-pal.png png-pal exact format=PNG output.depth=24
}

# ---- multi-page files: pages 0001..000N of one document ----------------

# pages DOC N [folder]: exactly pages 0001..N exist, with their image
# indexes 0..N-1 inside one file (or all 0: one file a page)
pages() {
	n=0
	for f in "$W/ingest/$1"/*.tif; do
		[ -f "$f" ] && n=$((n + 1))
	done
	rows=$(awk -F'\t' -v d="$1" '$1 == d { printf "%s:%s ", $2, $4 }' "$W/pages.tsv")
	want=$(i=1; while [ $i -le "$2" ]; do
		if [ -n "${3:-}" ]; then x=0; else x=$((i - 1)); fi
		printf '%04d:%d ' $i $x
		i=$((i + 1))
	done)
	if [ "$n" = "$2" ] && [ "$rows" = "$want" ]; then
		ok "$1: $2 pages, 0001..000$2, indexes in order"
	else
		notok "$1: $2 pages, 0001..000$2, indexes in order" "$n files, rows '$rows'"
	fi
}

pages multi 3
row multi 0001 multi.tif 0
row multi 0002 multi.tif 1
row multi 0003 multi.tif 2
meta multi 0001 "$S/multi.tif[0]" source_index=0 $G8 compression=none
meta multi 0002 "$S/multi.tif[1]" source_index=1 $B1 compression="CCITT G4"
meta multi 0003 "$S/multi.tif[2]" source_index=2 photometric=YCbCr compression=JPEG \
    output.depth=24
pixels multi 0001 "$S/multi.tif[0]" exact
pixels multi 0002 "$S/multi.tif[1]" exact
pixels multi 0003 "$S/multi.tif[2]" near
outfile multi 0002

pages multi-bigtiff-be 2
row multi-bigtiff-be 0001 multi-bigtiff-be.tif 0
row multi-bigtiff-be 0002 multi-bigtiff-be.tif 1
meta multi-bigtiff-be 0001 "$S/multi-bigtiff-be.tif[0]" $B1 bigtiff=true \
    byte_order=big-endian compression=LZW
meta multi-bigtiff-be 0002 "$S/multi-bigtiff-be.tif[1]" $G8 bigtiff=true \
    byte_order=big-endian source_index=1
pixels multi-bigtiff-be 0001 "$S/multi-bigtiff-be.tif[0]" exact
pixels multi-bigtiff-be 0002 "$S/multi-bigtiff-be.tif[1]" exact

# ---- a folder is one document, pages in natural order ------------------

pages book 3 folder
row book 0001 book/1.tif 0
row book 0002 book/2.tif 0
row book 0003 book/10.tif 0
meta book 0001 "$S/book/1.tif" $G8 compression=PackBits source_name=book/1.tif
meta book 0002 "$S/book/2.tif" $B1 compression=LZW source_name=book/2.tif
meta book 0003 "$S/book/10.tif" $RGB compression="Adobe Deflate" source_name=book/10.tif
pixels book 0001 "$S/book/1.tif" exact
pixels book 0002 "$S/book/2.tif" exact
pixels book 0003 "$S/book/10.tif" exact

# ---- the batch as a whole ----------------------------------------------

ndocs=$(find "$S" -maxdepth 1 \( -name '*.tif' -o -name '*.jpg' -o -name '*.png' -o -type d \) | wc -l)
# every entry but the folder itself counts; multi 3 pages, multi-bigtiff 2, book 3
npages=$((ndocs - 1 + 2 + 1 + 2))
check "summary.json: documents, pages, nothing quarantined" jq -e \
    --argjson d $((ndocs - 1)) --argjson p "$npages" \
    '.documents == $d and .pages == $p and .quarantined == [] and
     (.duplicates // 0) == 0' "$W/ingest/summary.json"
check "pages.tsv: one row a page, all ok" sh -c \
    "[ \$(tail -n +2 '$W/pages.tsv' | awk -F'\t' '\$6 == \"ok\"' | wc -l) -eq $npages ]"
check "docs.tsv: the folder is one document" grep -qx "$(printf 'book\tbook')" "$W/docs.tsv"
check "notes and ground truth are not documents" sh -c \
    "! grep -qE '^(notes|g8.gt)' '$W/docs.tsv'"

(cd "$S" && find . -type f -exec sha256sum {} + | sort) >"$T/sums.after"
(cd "$S" && find . | sort) >"$T/list.after"
if cmp -s "$T/sums.before" "$T/sums.after" && cmp -s "$T/list.before" "$T/list.after"; then
	ok "every source byte-identical afterwards, nothing added to SCANS"
else
	notok "every source byte-identical afterwards, nothing added to SCANS" \
	    "$(diff "$T/sums.before" "$T/sums.after" | sed -n 2p)"
fi
# no temporary file left behind anywhere in WORK
check "no temporary files left in WORK" sh -c "[ -z \"\$(find '$W' -name '.*.tmp.*')\" ]"

# a CMYK JPEG (print workflows, Adobe's colour separations) is recorded as
# CMYK, not as the YCbCr of a camera's JPEG
mkdir -p "$T/cmyk"
convert "$FIX/fr-seed.tif" -crop 600x400+100+100 +repage -colorspace CMYK \
    -quality 90 -density 300 -units PixelsPerInch "$T/cmyk/c.jpg"
warraq-ingest -q "$T/cmyk" "$T/cmykw" >/dev/null 2>&1
check "CMYK JPEG: photometric CMYK, four samples" jq -e \
    '.photometric == "CMYK" and .samples_per_pixel == 4' "$T/cmykw/ingest/c/0001.json"

# JPEG 2000 masters (national libraries keep lossless JP2): lossless and
# lossy, 8-bit gray and RGB, 16-bit gray, a raw J2K codestream; each read
# by OpenJPEG through Leptonica, recorded as JPEG 2000, the lossless ones
# pixel for pixel; and bagged byte for byte as image/jp2
if command -v opj_compress >/dev/null 2>&1; then
	mkdir -p "$T/j2/s" "$T/j2/src"
	convert "$FIX/fr-seed.tif" -crop 500x400+200+200 +repage -depth 8 "$T/j2/src/g8.pgm"
	convert "$FIX/mixed-fr-ar.tif" -crop 500x400+100+100 +repage -type TrueColor -depth 8 "$T/j2/src/rgb.ppm"
	convert "$FIX/fr-seed.tif" -crop 500x400+200+200 +repage -depth 16 "$T/j2/src/g16.pgm"
	opj_compress -i "$T/j2/src/g8.pgm" -o "$T/j2/s/g8-lossless.jp2" >/dev/null 2>&1
	opj_compress -i "$T/j2/src/rgb.ppm" -o "$T/j2/s/rgb-lossless.jp2" >/dev/null 2>&1
	opj_compress -i "$T/j2/src/rgb.ppm" -o "$T/j2/s/rgb-lossy.jp2" -r 20 >/dev/null 2>&1
	opj_compress -i "$T/j2/src/g16.pgm" -o "$T/j2/s/g16-lossless.jp2" >/dev/null 2>&1
	opj_compress -i "$T/j2/src/g8.pgm" -o "$T/j2/s/g8-codestream.j2k" >/dev/null 2>&1
	warraq-ingest -q "$T/j2/s" "$T/j2/w" >"$T/j2/out" 2>&1; st=$?
	checkx "JPEG 2000: five masters ingested ($st)" \
	    "[ $st -eq 0 ] && [ \$(ls '$T/j2/w/ingest' | grep -vc summary) -eq 5 ]"
	for d in g8-lossless rgb-lossless rgb-lossy g16-lossless g8-codestream; do
		checkx "$d: recorded as JPEG 2000" \
		    "jq -e '.format == \"JPEG 2000\"' '$T/j2/w/ingest/$d/0001.json' >/dev/null"
	done
	checkx "8-bit gray lossless: pixel for pixel" \
	    "[ \"\$(compare -metric AE '$T/j2/src/g8.pgm' '$T/j2/w/ingest/g8-lossless/0001.tif' null: 2>&1)\" = 0 ]"
	checkx "RGB lossless: pixel for pixel" \
	    "[ \"\$(compare -metric AE '$T/j2/src/rgb.ppm' '$T/j2/w/ingest/rgb-lossless/0001.tif' null: 2>&1)\" = 0 ]"
	checkx "16-bit gray: reduced to 8 bits, recorded" \
	    "jq -e '.bits_per_sample == 16 and .reduced_16_to_8 == true' '$T/j2/w/ingest/g16-lossless/0001.json' >/dev/null"
	# the pixel limit is checked on the header, before OpenJPEG allocates
	mkdir -p "$T/j2/big"
	cp "$T/j2/s/g8-lossless.jp2" "$T/j2/big/"
	warraq-ingest -o max_pixels=1000 "$T/j2/big" "$T/j2/wb" >"$T/j2/big.out" 2>&1
	checkx "JPEG 2000 above max_pixels: quarantined before decoding" \
	    "grep -q 'g8-lossless.jp2: image of 500 x 400 pixels is above the limit' '$T/j2/big.out'"
else
	skip "JPEG 2000: opj_compress not installed (Debian package libopenjp2-tools)"
fi

# structural validation in the technical metadata: well formed, and what
# libtiff warned of (here a private tag it does not know)
mkdir -p "$T/vw/s"
convert -size 200x100 xc:white -depth 8 -compress none "$T/vw/s/a.tif"
python3 - "$T/vw/s/a.tif" <<'PY'
import struct, sys
b = bytearray(open(sys.argv[1], "rb").read()); bo = "<" if b[:2] == b"II" else ">"
ifd = struct.unpack(bo + "I", b[4:8])[0]; n = struct.unpack(bo + "H", b[ifd:ifd + 2])[0]
e = ifd + 2 + 12 * (n - 1); b[e:e + 2] = struct.pack(bo + "H", 65000)
open(sys.argv[1], "wb").write(b)
PY
cp "$FIX/fr-seed.tif" "$T/vw/s/b.tif"
warraq-ingest -q "$T/vw/s" "$T/vw/w" >/dev/null 2>&1
check "a TIFF with an unknown tag: well formed, libtiff's warning recorded once" jq -e \
    '.validation.well_formed == true and (.validation.warnings == ["Unknown field with tag 65000 (0xfde8) encountered"])' \
    "$T/vw/w/ingest/a/0001.json"
check "a clean TIFF: well formed, no warning" jq -e \
    '.validation == {"well_formed": true, "warnings": []}' "$T/vw/w/ingest/b/0001.json"
