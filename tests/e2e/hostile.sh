#!/bin/sh
# hostile.sh - sources made to hurt: TIFF resolutions that are absurd
# (0, negative, 1e9, above what an int holds) are recorded as found but
# never used: the page gets assume_dpi, and says so.  (Damaged files:
# ingest_bad.sh; names and tags: below.)
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
