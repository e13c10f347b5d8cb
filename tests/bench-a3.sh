#!/bin/sh
# bench-a3.sh - memory on the largest page a heritage scanner makes: a
# 600-ppi A3 colour scan (7016 x 9921, about 70 million pixels), through
# every stage, one program at a time under /usr/bin/time: the peak RSS of
# each, and that peak in full-size 32-bit copies of the page (w x h x 4
# bytes), against the bound of three.  Part of `make bench` (its last
# section); alone: sh tests/bench-a3.sh BUILD.  About 3 minutes on 2 cores.
# A measure, not a test: it always exits 0.
set -u
cd "$(dirname "$0")/.."
BIN=$(cd "${1:-build}/bin" 2>/dev/null && pwd) || { echo "bench-a3: no build"; exit 0; }
TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "bench-a3: no /usr/bin/time (Debian package time)"; exit 0; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT INT TERM
W=7016 H=9921
mkdir -p "$T/scans"
# the French RGB scan, twice over side by side, brought to A3 at 600 ppi:
# paper, colour and print of a real scan, at the size of the largest
# page.  ImageMagick's limits (policy.xml) refuse a 70 MP canvas: the page
# is made in four strips of raw RGB and wrapped by raw2tiff (libtiff).
mkpage() {
	convert fixtures/sample/fr-seed-scanned.tif fixtures/sample/fr-seed-scanned.tif \
	    +append "$T/src.png" || return 1
	sh=$(identify -format %h "$T/src.png") || return 1
	: >"$T/a3.rgb"
	y=0
	for i in 0 1 2 3; do
		h=$(((H - y) / (4 - i)))
		convert "$T/src.png" -crop "x$((sh / 4 + 1))+0+$((i * sh / 4))" +repage \
		    -resize "${W}x${h}!" -depth 8 rgb:- >>"$T/a3.rgb" || return 1
		y=$((y + h))
	done
	raw2tiff -w "$W" -l "$H" -d byte -b 3 -p rgb -c lzw "$T/a3.rgb" "$T/scans/a3.tif" &&
	    tiffset -s 296 2 "$T/scans/a3.tif" && tiffset -s 282 600 "$T/scans/a3.tif" &&
	    tiffset -s 283 600 "$T/scans/a3.tif"
}
if ! mkpage >"$T/mk.err" 2>&1; then
	echo "bench-a3: cannot make the page: $(head -n 1 "$T/mk.err")"
	exit 0
fi
rm -f "$T/a3.rgb" "$T/src.png"
copy=$((W * H * 4 / 1024))	# KB of one full-size 32-bit page
echo "peak RSS on a 600-ppi A3 colour page ($W x $H, one copy at 32 bpp = $((copy / 1024)) MB):"
R=$T/work
for s in ingest deskew clean ocr pdf; do
	case $s in
	ingest) set -- "$T/scans" "$R" ;;
	pdf)    set -- -f "$R" a3 ;;
	*)      set -- -f "$R" a3/0001 ;;
	esac
	t0=$(date +%s.%N)
	OMP_THREAD_LIMIT=1 "$TIME" -f %M -o "$T/rss" "$BIN/warraq-$s" -q "$@" \
	    >"$T/$s.log" 2>&1
	rc=$?
	t=$(echo "$t0 $(date +%s.%N)" | awk '{ printf "%.1f", $2 - $1 }')
	kb=$(tail -n 1 "$T/rss")
	printf '  %-14s %8s KB  %5s copies  %6s s%s\n' "warraq-$s" "$kb" \
	    "$(awk "BEGIN { printf \"%.2f\", $kb / $copy }")" "$t" \
	    "$([ "$rc" -eq 0 ] || echo "  (exit $rc: $(tail -n 1 "$T/$s.log"))")"
done
echo "  (the OCR read $(jq -r .words "$R/ocr/a3/0001.json" 2>/dev/null) words of the page)"
# the batch stages after the page stages: the report, then the bag
for s in report package; do
	"$TIME" -f %M -o "$T/rss" "$BIN/warraq-$s" -q "$R" >"$T/$s.log" 2>&1
	rc=$?
	kb=$(tail -n 1 "$T/rss")
	printf '  %-14s %8s KB  %5s copies%s\n' "warraq-$s" "$kb" \
	    "$(awk "BEGIN { printf \"%.2f\", $kb / $copy }")" \
	    "$([ "$rc" -eq 0 ] || echo "  (exit $rc: $(tail -n 1 "$T/$s.log"))")"
done
exit 0
