#!/bin/sh
# The warraq benchmark (`make bench`): time and memory of the pipeline on a
# batch of full-size pages, and of the peers doing the same kind of work,
# measured in the same run on the same pages.
#   sh tests/bench.sh BUILD_DIR
#
# - a batch of BENCH_PAGES (20, or more) distinct A5 pages at 300 ppi,
#   uncompressed TIFF, made from fixtures/sample/*.tif (French and Arabic,
#   gray and RGB scans; each its own crop and slight rotation, so every
#   SHA-256 differs)
# - `warraq run -q -j 1` and `-j N` (N = nproc) into two work directories:
#   wall time, pages per minute, the ratio of the two; mean seconds per
#   page of every stage, from the "timing" of each WORK/STAGE/DOC/PAGE.json
# - peak RSS of each stage program on one full-size page (/usr/bin/time),
#   and on a 600-ppi A3 colour page (tests/bench-a3.sh)
# - the search index on 10,000 synthetic pages: pages indexed per second,
#   bytes per page, query latency (tests/bench-search.sh)
# - peers: plain `tesseract PAGE out -l fra|ara` over the pages serially;
#   `ocrmypdf --deskew --clean --rotate-pages -j N` over the batch (one PDF
#   per language); `unpaper` over the pages serially (the cleanup peer).
#   Plain tesseract is timed twice: as it comes (OpenMP threads) and with
#   OMP_THREAD_LIMIT=1, as `warraq run` runs Tesseract.  warraq/peer
#   ratios are printed only for like work: OCR ratios when warraq has an
#   OCR stage, the cleanup ratio when it has a clean stage.  ocrmypdf and
#   unpaper are installed (Debian packages) when missing and root can.
#
# It never fails (exit 0): it is a measure, not a test, and not part of
# `make test`.  About 6.5 minutes on 2 cores, 3.5 of them the peers.
set -u
cd "$(dirname "$0")/.."
TOP=$(pwd)
BUILD=${1:-build}
BIN=$(cd "$BUILD/bin" 2>/dev/null && pwd) || {
	echo "bench: no $BUILD/bin; run make first"
	exit 0
}
FIX=$TOP/fixtures/sample
NPAGES=${BENCH_PAGES:-20}
[ "$NPAGES" -ge 20 ] 2>/dev/null || NPAGES=20
NJ=$(nproc 2>/dev/null || echo 1)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT INT TERM

now() { date +%s.%N; }
# calc EXPR: awk arithmetic, printed with %.Nf when a format is given
calc() { awk "BEGIN { printf \"${2:-%.2f}\", $1 }"; }
have() { command -v "$1" >/dev/null 2>&1; }
line() { echo "------------------------------------------------------------------"; }

echo "warraq benchmark"
line
echo "machine:    $NJ cores ($(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null)), $(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo 2>/dev/null)"
echo "warraq:     $("$BIN/warraq" --version 2>/dev/null | head -n 1)"
echo "tesseract:  $(tesseract --version 2>/dev/null | head -n 1), OMP_THREAD_LIMIT=${OMP_THREAD_LIMIT:-unset}"

# --- the tools the peers need; installed when missing, if we can
missing=""
for p in ocrmypdf unpaper; do have "$p" || missing="$missing $p"; done
if [ -n "$missing" ] && [ "$(id -u)" = 0 ] && have apt-get; then
	echo "installing:$missing (Debian packages, for the peers)"
	DEBIAN_FRONTEND=noninteractive
	export DEBIAN_FRONTEND
	{ apt-get update -qq && apt-get install -y -qq --no-install-recommends $missing; } \
	    >"$T/apt.log" 2>&1 || echo "apt-get failed: $(tail -n 1 "$T/apt.log")"
fi
have ocrmypdf || echo "ocrmypdf: cannot be installed or not found; its peer timing is skipped"
have unpaper || echo "unpaper: cannot be installed or not found; its peer timing is skipped"
have ocrmypdf && echo "ocrmypdf:   $(ocrmypdf --version 2>/dev/null | head -n 1)"
have unpaper && echo "unpaper:    $(unpaper --version 2>/dev/null | head -n 1)"
TIME=/usr/bin/time
[ -x "$TIME" ] || { TIME=""; echo "/usr/bin/time: not installed (Debian package time); peak RSS is not measured"; }

# --- the batch: NPAGES distinct A5 pages (1748 x 2480 at 300 ppi)
S=$T/scans
mkdir -p "$S"
: >"$T/langs"
# paper colour of the Arabic scan, for the area its pages add
arbg=$(convert "$FIX/ar-seed-scanned.tif" -crop 120x120+2100+900 +repage \
    -scale '1x1!' -format '%[pixel:p]' info: 2>/dev/null)
[ -n "$arbg" ] || arbg=white
# page I: kind I % 4 (French gray, French RGB scan, Arabic gray, Arabic RGB
# scan), its own crop offsets and a rotation within +-1.5 degrees
page() {
	i=$1
	out=$S/p$(printf %02d "$i").tif
	a=$(calc "((($i * 7) % 11) - 5) * 0.3" %.1f)
	case $((i % 4)) in
	1)	convert "$FIX/fr-seed.tif" -crop "1900x2640+$((i * 37 % 263))+$((i * 53 % 600))" \
		    +repage -background white -rotate "$a" +repage -gravity center \
		    -crop 1748x2480+0+0 +repage -depth 8 "$out" ;;
	2)	convert "$FIX/fr-seed-scanned.tif" -crop "1900x2640+$((i * 41 % 477))+$((i * 29 % 500))" \
		    +repage -background white -rotate "$a" +repage -gravity center \
		    -crop 1748x2480+0+0 +repage -depth 8 "$out" ;;
	3)	convert \( "$FIX/ar-seed.tif" -crop "1748x937+$((i * 43 % 415))+0" +repage \) \
		    \( "$FIX/ar-seed.tif" -crop "1748x937+$((415 - i * 31 % 415))+0" +repage \) \
		    -append -background white -gravity north -splice "0x$((100 + i * 13 % 200))" \
		    -extent 1748x2480 -rotate "$a" +repage -gravity center -crop 1748x2480+0+0 \
		    +repage -depth 8 "$out" ;;
	0)	convert \( "$FIX/ar-seed-scanned.tif" -crop "1748x1051+$((i * 43 % 511))+0" +repage \) \
		    \( "$FIX/ar-seed-scanned.tif" -crop "1748x1051+$((511 - i * 31 % 511))+0" +repage \) \
		    -append -background "$arbg" -gravity north -splice "0x$((60 + i * 13 % 200))" \
		    -extent 1748x2480 -rotate "$a" +repage -gravity center -crop 1748x2480+0+0 \
		    +repage -depth 8 "$out" ;;
	esac
}
t0=$(now)
i=1
while [ "$i" -le "$NPAGES" ]; do
	page "$i" &
	[ $((i % NJ)) -eq 0 ] && wait
	case $((i % 4)) in 1 | 2) l=fra ;; *) l=ara ;; esac
	echo "p$(printf %02d "$i") $l" >>"$T/langs"
	i=$((i + 1))
done
wait
made=$(ls "$S"/*.tif 2>/dev/null | wc -l)
distinct=$(sha256sum "$S"/*.tif 2>/dev/null | cut -d' ' -f1 | sort -u | wc -l)
nfra=$(grep -c ' fra$' "$T/langs") nara=$(grep -c ' ara$' "$T/langs")
echo "batch:      $made pages ($distinct distinct SHA-256), A5 1748x2480 at 300 ppi:" \
    "$nfra French, $nara Arabic; half gray, half RGB scans; made in $(calc "$(now) - $t0" %.1f) s"
if [ "$made" -lt "$NPAGES" ]; then
	echo "bench: could not make the batch (ImageMagick); stopping"
	exit 0
fi
PAGES=$made

# --- warraq run, -j 1 and -j N
# run_warraq J WORK: prints the wall time in seconds
run_warraq() {
	t=$(now)
	"$BIN/warraq" run -q -j "$1" "$S" "$2" >"$2.log" 2>&1
	st=$?
	calc "$(now) - $t" %.3f
	[ "$st" -eq 0 ] || echo "  (warraq run -j $1 exited $st: $(tail -n 2 "$2.log" | tr '\n' ' '))" >&2
}
line
echo "warraq run (the whole pipeline, $PAGES pages)"
W1=$T/work-j1 WN=$T/work-jN
tw1=$(run_warraq 1 "$W1")
twn=$(run_warraq "$NJ" "$WN")
done1=$(ls "$W1"/*/*/*.json 2>/dev/null | wc -l)
printf '  %-6s %8.1f s  %6.1f pages/min\n' "-j 1" "$tw1" "$(calc "$PAGES * 60 / $tw1")"
printf '  %-6s %8.1f s  %6.1f pages/min\n' "-j $NJ" "$twn" "$(calc "$PAGES * 60 / $twn")"
printf '  time(-j %s) / time(-j 1) = %.2f (ideal %.2f)\n' "$NJ" "$(calc "$twn / $tw1" %.4f)" "$(calc "1 / $NJ" %.4f)"

# the stages, in pipeline order (as `warraq run -n` lists them), that ran
stages=$("$BIN/warraq" run -n "$S" "$W1" 2>/dev/null | awk '/^[a-z]/ { print $1 }')
[ -n "$stages" ] || stages="ingest deskew clean ocr"
for d in "$W1"/*/; do
	s=$(basename "$d")
	case " $(echo $stages) logs quarantine " in *" $s "*) ;; *) stages="$stages $s" ;; esac
done
ran=""
for s in $stages; do ls "$W1/$s"/*/*.json >/dev/null 2>&1 && ran="$ran $s"; done
# mean STAGE WORK: mean timing.seconds of the stage's page sidecars
mean() {
	jq -s '[.[] | .timing.seconds | numbers] | if length > 0 then add / length else empty end' \
	    "$2/$1"/*/*.json 2>/dev/null
}
count() { jq -s '[.[] | .timing.seconds | numbers] | length' "$2/$1"/*/*.json 2>/dev/null; }
echo "per stage, mean seconds per page (JSON timing; -j $NJ runs $NJ pages at once):"
printf '  %-8s %10s %10s %7s\n' stage "-j 1" "-j $NJ" pages
sum1=0
for s in $ran; do
	m1=$(mean "$s" "$W1") mn=$(mean "$s" "$WN")
	printf '  %-8s %10.3f %10.3f %7s\n' "$s" "${m1:-0}" "${mn:-0}" "$(count "$s" "$W1")"
	sum1=$(calc "$sum1 + ${m1:-0}" %.4f)
	eval "mean_$s=${m1:-0}"
done
printf '  %-8s %10.3f\n' "sum" "$sum1"
case " $ran " in *" layout "*" ocr "*)
	echo "  layout / OCR seconds per page at -j 1: $(calc "${mean_layout:-0} / ${mean_ocr:-1}" %.3f)" \
	    "(the layout issue's ceiling: 0.15)" ;;
esac
echo "  wall time per page at -j 1: $(calc "$tw1 / $PAGES" %.3f) s (beyond the sum: process starts and the driver)"

# --- peak RSS of each stage program on one full-size page (an RGB scan)
line
echo "peak RSS of each stage program on one full-size page (p02, RGB):"
if [ -n "$TIME" ]; then
	mkdir -p "$T/one"
	cp "$S/p02.tif" "$T/one/"
	R=$T/work-rss
	# rss NAME CMD...: runs CMD under /usr/bin/time; prints KB and how it ended
	rss() {
		n=$1
		shift
		"$TIME" -f %M -o "$T/rss.$n" "$@" >"$T/rss.$n.log" 2>&1
		kb=$(tail -n 1 "$T/rss.$n")
		how=$(grep '^Command' "$T/rss.$n" | head -n 1)
		printf '  %-16s %8s KB%s\n' "warraq-$n" "$kb" "${how:+  ($how)}"
	}
	# as `warraq run` runs them: one Tesseract thread (pages run in
	# parallel); env execs the program, so its RSS is what is measured
	for s in $ran; do
		if [ ! -x "$BIN/warraq-$s" ]; then
			printf '  %-16s (no program)\n' "warraq-$s"
		elif [ "$s" = ingest ]; then
			rss ingest env OMP_THREAD_LIMIT=1 "$BIN/warraq-ingest" -q "$T/one" "$R"
		else
			rss "$s" env OMP_THREAD_LIMIT=1 "$BIN/warraq-$s" -q -f "$R" p02/0001
		fi
	done
else
	echo "  not measured (no /usr/bin/time)"
fi

# --- peers, on the same pages
line
echo "peers, on the same $PAGES pages:"
HAS_OCR=0 HAS_CLEAN=0
[ -x "$BIN/warraq-ocr" ] && HAS_OCR=1
[ -x "$BIN/warraq-clean" ] && HAS_CLEAN=1

# tess_serial [ENV=VALUE]: tesseract over the pages, one after the other,
# each with its language; prints the seconds
tess_serial() {
	t=$(now)
	while read -r p l; do
		env "$@" tesseract "$S/$p.tif" "$T/tess-$p" -l "$l" >/dev/null 2>&1 ||
		    echo "  tesseract failed on $p" >&2
	done <"$T/langs"
	calc "$(now) - $t" %.3f
}
tt="" tt1=""
if have tesseract; then
	# plain, as one would run it (OpenMP threads: Tesseract's default), and
	# with one thread, as warraq runs it (the driver sets OMP_THREAD_LIMIT=1)
	tt=$(tess_serial)
	printf '  %-46s %7.1f s  %6.1f pages/min\n' "tesseract PAGE out -l fra|ara, serially" "$tt" \
	    "$(calc "$PAGES * 60 / $tt")"
	tt1=$(tess_serial OMP_THREAD_LIMIT=1)
	printf '  %-46s %7.1f s  %6.1f pages/min\n' "the same with OMP_THREAD_LIMIT=1 (as warraq)" "$tt1" \
	    "$(calc "$PAGES * 60 / $tt1")"
else
	echo "  tesseract: not found; skipped"
fi

to=""
if have ocrmypdf; then
	# one PDF per language (the pages losslessly, at 300 ppi), each
	# ocrmypdf'ed with its language; the PDF making is not timed
	ok=1
	for l in fra ara; do
		set --
		while read -r p pl; do [ "$pl" = "$l" ] && set -- "$@" "$S/$p.tif"; done <"$T/langs"
		tiffcp "$@" "$T/batch-$l.tif" 2>/dev/null &&
		    tiff2pdf -z -o "$T/batch-$l.pdf" "$T/batch-$l.tif" 2>/dev/null || ok=0
	done
	if [ "$ok" -eq 1 ]; then
		t=$(now)
		for l in fra ara; do
			ocrmypdf -q --deskew --clean --rotate-pages -j "$NJ" -l "$l" \
			    "$T/batch-$l.pdf" "$T/out-$l.pdf" >"$T/ocrmypdf-$l.log" 2>&1 ||
			    { ok=0; echo "  ocrmypdf -l $l failed: $(tail -n 1 "$T/ocrmypdf-$l.log")"; }
		done
		to=$(calc "$(now) - $t" %.3f)
		[ "$ok" -eq 1 ] || to=""
	else
		echo "  ocrmypdf: could not make its PDF input (tiffcp/tiff2pdf, Debian libtiff-tools); skipped"
	fi
	[ -n "$to" ] && printf '  %-46s %7.1f s  %6.1f pages/min\n' \
	    "ocrmypdf --deskew --clean --rotate-pages -j $NJ" "$to" "$(calc "$PAGES * 60 / $to")"
fi

tu=""
if have unpaper; then
	t=$(now)
	fails=0
	for f in "$S"/*.tif; do
		p=$(basename "$f" .tif)
		unpaper --overwrite "$f" "$T/unpaper-$p.pnm" >/dev/null 2>&1 || fails=$((fails + 1))
	done
	tu=$(calc "$(now) - $t" %.3f)
	printf '  %-46s %7.1f s  %6.2f s/page%s\n' "unpaper (defaults), serially" "$tu" \
	    "$(calc "$tu / $PAGES" %.4f)" "$([ "$fails" -gt 0 ] && echo " ($fails pages failed)")"
fi

# --- the summary; ratios only between like work (> 1: warraq is slower)
line
# row LABEL VALUE...: one summary line
row() {
	l=$1
	shift
	printf '  %-36s %s\n' "$l" "$*"
}
echo "summary"
row "pages" "$PAGES (A5 at 300 ppi; $nfra French, $nara Arabic; half RGB scans)"
row "warraq stages" "$(echo $ran)"
row "warraq run -j 1" "$(calc "$tw1" %.1f) s, $(calc "$PAGES * 60 / $tw1" %.1f) pages/min"
row "warraq run -j $NJ" "$(calc "$twn" %.1f) s, $(calc "$PAGES * 60 / $twn" %.1f) pages/min"
row "time(-j $NJ) / time(-j 1)" "$(calc "$twn / $tw1")"
[ -n "$tt" ] && row "tesseract, serially" "$(calc "$tt" %.1f) s (OpenMP threads: Tesseract's default)"
[ -n "$tt1" ] && row "tesseract, serially, 1 thread" "$(calc "$tt1" %.1f) s"
[ -n "$to" ] && row "ocrmypdf -j $NJ" "$(calc "$to" %.1f) s"
[ -n "$tu" ] && row "unpaper, serially" "$(calc "$tu" %.1f) s, $(calc "$tu / $PAGES" %.3f) s/page"
if [ "$HAS_OCR" -eq 1 ]; then
	also="warraq also ingests and deskews$([ "$HAS_CLEAN" -eq 1 ] && echo " and cleans")"
	[ -n "$tt" ] && row "warraq -j 1 / tesseract" "$(calc "$tw1 / $tt") ($also)"
	[ -n "$tt1" ] && row "warraq -j 1 / tesseract, 1 thread" "$(calc "$tw1 / $tt1")"
	[ -n "$to" ] && row "warraq -j $NJ / ocrmypdf -j $NJ" "$(calc "$twn / $to")" \
	    "(ocrmypdf also writes a PDF/A; warraq text, hOCR, ALTO)"
	[ -n "$tt$to" ] || row "OCR peers" "none measured"
else
	[ -n "$tt$to" ] && echo "  no warraq/OCR-peer ratio: warraq has no OCR stage yet" \
	    "($BUILD/bin/warraq-ocr), and a ratio would compare unlike work"
fi
if [ "$HAS_CLEAN" -eq 1 ] && [ -n "$tu" ]; then
	mc=${mean_clean:-0} md=${mean_deskew:-0}
	row "warraq-clean / unpaper, per page" "$(calc "$mc * $PAGES / $tu")" \
	    "($(calc "$mc" %.3f) s vs $(calc "$tu / $PAGES" %.3f) s)"
	row "warraq deskew+clean / unpaper" "$(calc "($mc + $md) * $PAGES / $tu") (unpaper deskews too)"
elif [ -n "$tu" ]; then
	echo "  no warraq-clean/unpaper ratio: warraq has no clean stage yet ($BUILD/bin/warraq-clean)"
fi
[ "$done1" -gt 0 ] || echo "  warning: the -j 1 run wrote no page results; see the lines above"

# --- the search index on 10,000 synthetic pages
line
sh "$TOP/tests/bench-search.sh" "$BUILD"

# --- memory on the largest page: 600-ppi A3 colour
line
sh "$TOP/tests/bench-a3.sh" "$BUILD"
exit 0
