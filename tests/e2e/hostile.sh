#!/bin/sh
# hostile.sh - sources made to hurt: TIFF resolutions that are absurd
# (0, negative, 1e9, above what an int holds) are recorded as found but
# never used: the page gets assume_dpi, and says so.  File names with
# spaces, Arabic, quotes, %, &, <, >, a newline and terminal escapes go
# through every stage: ALTO and hOCR stay well-formed XML with the name
# in them, the report shows the name as text, never as markup.
# (Damaged files: ingest_bad.sh.)
. "${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"

S=$T/scans
W=$T/work
mkdir -p "$S"
seed=$TOP/tests/fuzz/corpus/image/gray-lzw-pred.tif

# setres FILE TYPE NUM DEN: XResolution and YResolution of a classic
# little-endian TIFF as TYPE (5 RATIONAL, 10 SRATIONAL) NUM/DEN
setres() {
	python3 - "$@" <<'PY'
import struct, sys
path, typ, num, den = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
b = bytearray(open(path, "rb").read())
assert b[:4] == b"II*\0"
ifd = struct.unpack("<I", b[4:8])[0]
n = struct.unpack("<H", b[ifd:ifd + 2])[0]
fmt = "<iI" if typ == 10 else "<II"
for i in range(n):
    e = ifd + 2 + 12 * i
    tag = struct.unpack("<H", b[e:e + 2])[0]
    if tag in (282, 283):
        off = struct.unpack("<I", b[e + 8:e + 12])[0]
        b[e + 2:e + 4] = struct.pack("<H", typ)
        b[off:off + 8] = struct.pack(fmt, num, den)
open(path, "wb").write(b)
PY
}

for r in zero:5:0:1 negative:10:-300:1 billion:5:1000000000:1 \
    above-int:5:4000000000:1 tiny:5:1:1000000; do
	name=${r%%:*}
	cp "$seed" "$S/res-$name.tif"
	IFS=: read -r _ typ num den <<EOR
$r
EOR
	mk "res-$name" setres "$S/res-$name.tif" "$typ" "$num" "$den"
done
cp "$seed" "$S/res-good.tif"

warraq-ingest -q -o assume_dpi=333 "$S" "$W" >"$T/out" 2>"$T/err"
check "ingest takes every page with an odd resolution" [ $? -eq 0 ]
for name in zero negative billion above-int tiny; do
	check "resolution $name: assume_dpi used, and said" jq -e \
	    '.dpi == 333 and .resolution_assumed == true' "$W/ingest/res-$name/0001.json"
done
check "a sane resolution is kept" jq -e '.dpi == 300 and .resolution_assumed == false' \
    "$W/ingest/res-good/0001.json"
res=$(tiffinfo "$W/ingest/res-billion/0001.tif" 2>/dev/null | sed -n 's/.*Resolution: \([0-9.e+]*\),.*/\1/p')
check "the page image says 333 dpi ($res)" [ "$res" = 333 ]

# ---- hostile names through every stage ---------------------------------
H=$T/hscans
nl=$(printf '\nx')
nl=${nl%x}
esc=$(printf '\033')
mkdir -p "$H"
n1="Le \"livre\" d'Ali 100% & <b>bold${nl}x.tif"
d2="مخطوط <script>alert(1)<script> & 'q'"
n2="صفحة ١ \"<i>\"%s%n.tif"
n3="esc${esc}[31mred$(printf '\001')bell.tif"
mk h1 convert "$FIX/fr-seed.tif" -crop 1100x600+100+200 +repage -compress zip "$H/$n1"
mkdir -p "$H/$d2"
mk h2 convert "$FIX/ar-seed.tif" -crop 1100x600+100+200 +repage -compress zip "$H/$d2/$n2"
mk h3 convert "$FIX/fr-seed.tif" -crop 1100x600+100+900 +repage -compress zip "$H/$n3"
warraq run -q -j 2 "$H" "$T/hw" >"$T/hrun" 2>&1
rc=$?
check "hostile names: the whole batch runs ($rc)" [ "$rc" -eq 0 ]
for stage in ingest deskew clean ocr; do
	check "hostile names: 3 pages out of $stage" \
	    [ "$(ls "$T"/hw/$stage/*/0001.json 2>/dev/null | wc -l)" -eq 3 ]
done
check "hostile names: 3 PDFs" [ "$(ls "$T"/hw/pdf/*.pdf 2>/dev/null | wc -l)" -eq 3 ]
for f in "$T"/hw/ocr/*/0001.alto.xml "$T"/hw/ocr/*/0001.hocr; do
	check "well-formed: ${f#"$T/hw/"}" xmllint --noout "$f"
done
alto=$(ls "$T"/hw/ocr/script_*/0001.alto.xml)
got=$(xmllint --xpath 'string(//*[local-name()="fileName"])' "$alto" 2>/dev/null)
check "ALTO fileName is the name, escaped and read back" [ "$got" = "$n2" ]
check "the report: no markup from a name" [ -z "$(grep -rl '<script>alert\|<b>bold\|<i>' "$T/hw/report" --include='*.html')" ]
check "the report: the names shown as text" grep -q \
    "مخطوط &lt;script&gt;alert(1)&lt;script&gt; &amp; &#39;q&#39;/صفحة ١ &quot;&lt;i&gt;&quot;%s%n.tif" \
    "$T/hw/report/index.html"
check "the report: no terminal escape from a name" [ -z "$(grep -rl "$esc" "$T/hw/report" --include='*.html')" ]

# ---- a name with terminal escapes, in messages and records --------------
E=$T/escans
mkdir -p "$E"
bad="bad${esc}]0;pwned$(printf '\007')${esc}[2J.tif"
echo "not an image" >"$E/$bad"
warraq-ingest "$E" "$T/ew" >"$T/eout" 2>&1
check "a bad file with escapes in its name is quarantined" [ -n "$(ls "$T/ew/quarantine")" ]
check "no control character of a name reaches stderr" \
    [ -z "$(tr -d '\n' <"$T/eout" | tr -d '[:print:]' | LC_ALL=C tr -d '\200-\377')" ]
check "... it is shown escaped" grep -qF 'bad\x1b]0;pwned\x07\x1b[2J.tif: not a TIFF, JPEG, PNG or JPEG 2000 file' "$T/eout"
check "no control character of a name in the quarantine record" \
    [ -z "$(cat "$T"/ew/quarantine/*.reason | tr -d '\n' | tr -d '[:print:]' | LC_ALL=C tr -d '\200-\377')" ]

# ---- TIFF text tags: no terminator, a huge count ------------------------
# settag FILE TAG HOW: the ASCII tag TAG of the first IFD, written by
# tiffset, made hostile: "unterminated" (its NUL becomes a letter) or
# "huge" (its count 1,000,000,000, far past the end of the file)
settag() {
	python3 - "$@" <<'PY'
import struct, sys
path, tag, how = sys.argv[1], int(sys.argv[2]), sys.argv[3]
b = bytearray(open(path, "rb").read())
ifd = struct.unpack("<I", b[4:8])[0]
n = struct.unpack("<H", b[ifd:ifd + 2])[0]
for i in range(n):
    e = ifd + 2 + 12 * i
    t, typ, cnt = struct.unpack("<HHI", b[e:e + 8])
    if t == tag:
        off = struct.unpack("<I", b[e + 8:e + 12])[0] if cnt > 4 else e + 8
        if how == "unterminated":
            b[off + cnt - 1] = ord("Z")
        else:
            b[e + 4:e + 8] = struct.pack("<I", 1000000000)
        break
else:
    sys.exit("no tag %d" % tag)
open(path, "wb").write(b)
PY
}
G=$T/tscans
mkdir -p "$G"
long=$(python3 -c 'print("S" * 600)')
for how in unterminated huge; do
	cp "$seed" "$G/tag-$how.tif"
	mk "tag $how" tiffset -s 305 "$long" "$G/tag-$how.tif"
	mk "tag $how patch" settag "$G/tag-$how.tif" 305 "$how"
done
timeout 60 warraq-ingest -q "$G" "$T/tw" >"$T/tout" 2>&1
rc=$?
check "hostile tags: ingest ends, in time, status 0 or 1 ($rc)" [ "$rc" -le 1 ]
j=$T/tw/ingest/tag-unterminated/0001.json
check "a string tag without terminator: ingested, bounded to 256 bytes" \
    jq -e '(.software | length) > 0 and (.software | utf8bytelength) <= 256' "$j"
j=$T/tw/ingest/tag-huge/0001.json
r=$(cat "$T"/tw/quarantine/tag-huge*.reason 2>/dev/null)
if [ -f "$j" ]; then
	check "a tag with a huge count: ingested without it" jq -e '.software == null' "$j"
elif [ -n "$r" ]; then
	check "a tag with a huge count: quarantined with one line ($r)" [ "$(printf '%s\n' "$r" | wc -l)" -eq 1 ]
else
	notok "a tag with a huge count" "neither ingested nor quarantined"
fi

# ---- a PNG chunk that claims 2 GB (found by fuzzing: libpng allocated it)
P=$T/pscans
mkdir -p "$P"
cp "$TOP/tests/fuzz/crashes/image/png-text-chunk-2gb.png" "$P/bomb.png"
/usr/bin/time -f %M -o "$T/prss" warraq-ingest -q "$P" "$T/pw" >"$T/pout" 2>&1
rc=$?
kb=$(tail -n 1 "$T/prss")
checkx "a PNG chunk longer than its file: quarantined ($rc)" '[ "$rc" -eq 1 ] && grep -q "bomb.png: damaged PNG: chunk tEXt .* past the end of the file" "$T/pout"'
check "... without allocating what it claims (peak $kb KB)" [ "$kb" -lt 200000 ]

# ---- path traversal: "../../evil.tif" inside archives ------------------
# Nothing warraq reads or writes may land outside its folders.  Every
# check runs from a folder three levels down, so that "../../evil.tif"
# resolved against it stays inside $T where the test can look for it.
X=$T/trav/a/b/c
mkdir -p "$X/src/bag/data" "$X/scans"
echo "payload" >"$X/src/bag/data/page.txt"
cp "$seed" "$X/src/evil.tif"
printf 'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n' >"$X/src/bag/bagit.txt"
(cd "$X/src/bag" && sha256sum data/page.txt >manifest-sha256.txt)
# evil_tar OUT PREFIX: the bag, plus evil.tif stored as PREFIX/evil.tif
evil_tar() {
	(cd "$X/src" && tar cf "$1" bag &&
	    tar rf "$1" --transform "s|^evil.tif|$2evil.tif|" evil.tif) 2>/dev/null
}
mk "tar, entry inside the bag" evil_tar "$X/in.tar" "bag/../../"
mk "tar, entry before the bag" sh -c "cd '$X/src' && tar cf '$X/first.tar' --transform 's|^evil.tif|../../evil.tif|' evil.tif bag 2>/dev/null"
mk "tar, absolute entry" evil_tar "$X/abs.tar" "$T/trav/"
check "the archives carry the hostile names" \
    sh -c "tar tf '$X/in.tar' 2>/dev/null | grep -qx 'bag/../../evil.tif' && tar tf '$X/first.tar' 2>/dev/null | grep -qx '../../evil.tif'"
for a in in first abs; do
	(cd "$X" && warraq-verify "$a.tar") >"$T/vout" 2>&1
	rc=$?
	checkx "verify $a.tar: rejected, naming evil.tif ($rc)" \
	    '[ "$rc" -eq 1 ] && grep -q "evil.tif" "$T/vout"'
done
# a manifest that names a file outside the bag (and the file is there, so
# only the path can make it fail)
cp -r "$X/src/bag" "$X/mbag"
cp "$X/src/evil.tif" "$X/evil.tif"
echo "$(sha "$X/evil.tif")  data/../../evil.tif" >>"$X/mbag/manifest-sha256.txt"
(cd "$X" && warraq-verify mbag) >"$T/vout" 2>&1
rc=$?
checkx "verify: a manifest line data/../../evil.tif rejected ($rc)" \
    '[ "$rc" -eq 1 ] && grep -q "evil.tif" "$T/vout"'
rm -f "$X/evil.tif"
# archives in a scans folder: warraq never unpacks one; a .tar is not a
# scan (left alone, like notes and checksums), a tar named .tif is
# quarantined; the page beside them goes on
cp "$X/in.tar" "$X/scans/delivery.tar"
cp "$X/in.tar" "$X/scans/disguised.tif"
cp "$seed" "$X/scans/page.tif"
(cd "$X" && warraq-ingest -q scans work) >"$T/iout" 2>&1
rc=$?
checkx "ingest: a tar named .tif quarantined, the page beside it ingested ($rc)" \
    '[ "$rc" -eq 1 ] && [ -f "$X/work/ingest/page/0001.json" ] && grep -q "disguised.tif: not a TIFF" "$T/iout"'
check "ingest: the .tar left alone, not a document" [ ! -e "$X/work/ingest/delivery" ]
# the bag archives warraq writes: every entry under the base folder
if [ -d "$T/hw/bags" ]; then
	d=$(ls "$T/hw/bags" | head -n 1)
	(cd "$X" && warraq-package -q -f -p "$T/hw/profile.conf" --archive tar \
	    "$T/hw" "$d") >"$T/pout" 2>&1
	checkx "package --archive tar of a hostile-named document: entries under $d/ only" \
	    '[ -s "$T/hw/bags/$d.tar" ] && [ -z "$(tar tf "$T/hw/bags/$d.tar" | grep -v "^$d/" )" ] &&
	    [ -z "$(tar tf "$T/hw/bags/$d.tar" | grep -E "(^|/)\.\.(/|$)")" ]'
fi
left=$(find "$T/trav" "$T" -maxdepth 1 -name 'evil.tif' 2>/dev/null; find "$T/trav" -name evil.tif ! -path "$X/src/*")
check "no evil.tif written anywhere outside the test's sources" [ -z "$left" ]

# ---- the driver's own lines: names and paths escaped -------------------
# a work folder whose name carries a newline and a terminal escape, and a
# page that fails with a reason naming it: every line the driver prints,
# summary and failure list included, shows them escaped
D="$T/dw${nl}${esc}[2Jx"
mkdir -p "$T/dscans"
cp "$seed" "$T/dscans/page.tif"
warraq run -j 1 -o stages=deskew "$T/dscans" "$D" >"$T/dout" 2>&1
rc=$?
check "driver: a work folder with a newline and an escape in its name runs ($rc)" [ "$rc" -eq 0 ]
rm -f "$D/deskew/page/0001.json" "$D/deskew/page/0001.tif"
printf 'cannot read %s\n' "$D/ingest/page/0001.tif" >"$D/deskew/page/0001.error"
warraq status "$D" >"$T/sout" 2>&1
cat "$T/dout" "$T/sout" >"$T/dall"
check "driver and status: no control character reaches the terminal" \
    [ -z "$(tr -d '\n' <"$T/dall" | tr -d '[:print:]' | LC_ALL=C tr -d '\200-\377')" ]
check "... the names shown escaped" grep -qF 'dw\n\x1b[2Jx' "$T/dall"
