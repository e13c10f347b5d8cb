#!/bin/sh
# make eval: the whole pipeline on the real heritage scans with human
# transcriptions in ../shared/eval/data, group by group, beside plain
# Tesseract (the `tesseract` command, same Debian models) on the raw scans,
# then compared with the table of record (tests/eval-baseline.tsv) by
# tests/eval-compare.sh: a group worse than its recorded figures fails.
#
#   sh tests/eval.sh BUILD [OUT]     (OUT: default BUILD/eval)
#   WARRAQ_EVAL_GROUPS=REGEX         only the groups whose name matches
#                                    (the comparison then checks those only)
#   WARRAQ_EVAL_RECORD=1             write the figures into the table of
#                                    record instead of comparing (make
#                                    eval-record; a figure never goes up)
#
# Both sides are scored by the same tool, `warraq-eval --text`: NFC,
# whitespace collapsed, tatweel and bidi marks removed, nothing else (the
# transcriptions are diplomatic: long s, undotted letters stay as they are).
# Plain Tesseract reads pages with --psm 3, lines with 7 and words with 8,
# as the reference figures in eval/data/README.md; warraq reads them with
# layout = page, line and word.  Both get the group's language (ara or
# fra), as a library that knows its collection sets it.
#
# The page groups are read a second time with languages = auto, as a user
# gets by default, and the lines of that text in the wrong script (mostly
# Latin on an Arabic page, mostly Arabic on a French one: `warraq-eval
# --script`) are counted; openiti-ara-pages (four printed Arabic pages
# without transcription) is read for that count only.
#
# Deterministic: Tesseract single-threaded (OMP_THREAD_LIMIT=1), every
# setting given here, pages independent of the number of workers.
#
# Lines found: on the page groups whose transcriptions give line
# coordinates (ALTO beside the scan), the share of those lines that a line
# of warraq's layout stage matches (boxes at IoU >= 0.5; the deskewed
# page's turn undone by warraq-eval --lines), beside Tesseract's own
# layout (its ALTO of the raw scan, from the same plain run).  The
# "unread" column: pages where the layout stage left ink of text size
# unread (from the languages = auto run).
#
# PDF text: on the page groups, how the text layer of the PDFs of the
# languages = auto run reads back against the OCR text, page by page, in
# pdftotext and pdf.js (tests/tools/pdf-text-cer.sh): the share of pages
# at 1 % CER or less, the mean and the worst (figures, not yet a guard).
#
# Writes OUT/results.tsv (a row a group) and OUT/samples.tsv (a row a
# sample), the inputs of tests/eval-compare.sh, OUT/lines.txt and
# OUT/pdftext.tsv.
set -eu
BUILD=${1:-build}
case "$BUILD" in /*) ;; *) BUILD=$PWD/$BUILD ;; esac
OUT=${2:-$BUILD/eval}
TOP=$(cd "$(dirname "$0")/.." && pwd)
DATA=${WARRAQ_EVAL_DATA:-$TOP/../shared/eval/data}
JOBS=$(nproc 2>/dev/null || echo 2)	# before OMP_THREAD_LIMIT: nproc heeds it
export OMP_THREAD_LIMIT=1

if [ ! -d "$DATA" ]; then
	echo "eval: $DATA is absent (the shared evaluation data); nothing to do" >&2
	exit 0
fi
start=$(date +%s)
rm -rf "$OUT"
mkdir -p "$OUT"
# a copy of the programs, so that a rebuild during the run changes nothing
cp -r "$BUILD/bin" "$OUT/bin"
PATH=$OUT/bin:$PATH

# group NAME DIR LEVEL LANG [SUBDIR]: the images of DIR's MANIFEST.tsv
# (under SUBDIR/ only, when given) and their .gt.txt, linked into
# OUT/NAME/scans with flat names.  A row without transcription is linked
# alone (its group is read for the wrong-script count only).
group() {
	name=$1 dir=$DATA/$2 level=$3 lang=$4 sub=${5:-}
	echo "$name" | grep -Eq "${WARRAQ_EVAL_GROUPS:-.}" || return 0
	s=$OUT/$name/scans
	mkdir -p "$s"
	awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	    { gt = c["gt"] ? $c["gt"] : $c["gt_txt_derived"]; print $c["image"] "\t" gt }' \
	    "$dir/MANIFEST.tsv" |
	while IFS='	' read -r img gt; do
		case "$img" in "$sub"*) ;; *) continue ;; esac
		flat=$(echo "$img" | tr '/' '_')
		ln -s "$dir/$img" "$s/$flat"
		# line coordinates of the transcription (ALTO), for lines found
		if [ -f "$dir/${img%.*}.xml" ]; then
			mkdir -p "$OUT/$name/gtxml"
			ln -s "$dir/${img%.*}.xml" "$OUT/$name/gtxml/${flat%.*}.xml"
		fi
		if [ -n "$gt" ]; then
			ln -s "$dir/$gt" "$s/${flat%.*}.gt.txt"
		fi
	done
	echo "$name $level $lang" >>"$OUT/groups"
}

group gallicorpora-16c gallicorpora_fra_print_16_18 page fra 16c
group gallicorpora-17c gallicorpora_fra_print_16_18 page fra 17c
group gallicorpora-18c gallicorpora_fra_print_16_18 page fra 18c
group kovalewsky-1893 kovalewsky_1893_fra_print page fra
group tapuscorpus-typewritten tapuscorpus_fra_typewritten page fra
group ocr17-lines-16c ocr17_fra_print_lines line fra XVI/
group ocr17-lines-17c ocr17_fra_print_lines line fra XVII/
group ocr17-lines-18c ocr17_fra_print_lines line fra XVIII/
group ocr17-lines-19c ocr17_fra_print_lines line fra XIX/
group openiti-ara-lines openiti_ocr_gs_ara_lines line ara lines/
group openiti-ara-pages openiti_ocr_gs_ara_lines page ara pages_no_gt/
group openiti-ara-manuscripts openiti_aocp_ms_eval_ara page ara
group rasam-maghribi-words rasam_maghribi_words word ara
[ -f "$OUT/groups" ] || { echo "eval: no group matches" >&2; exit 2; }

# wrun SCANS WORK LAYOUT LANGUAGES: one warraq run, JOBS pages at a time
# (the scans are links into the shared data: followed on purpose)
wrun() {
	warraq run -q -j "$JOBS" -o layout="$3" -o follow_symlinks=yes \
	    -o languages="$4" "$1" "$2" >"$2.log" 2>&1 || true
}

PDFJS=$BUILD/node
sh "$TOP/tests/tools/pdfjs-setup.sh" "$PDFJS" >/dev/null 2>&1 || PDFJS=
: >"$OUT/pdftext.tsv"
printf 'group\tlevel\tsamples\tchars\terrors\tcer\tmean_cer\ttess_errors\ttess_cer\ttess_mean_cer\twrong_script\tunread\n' \
    >"$OUT/results.tsv"
printf 'group\tsample\terrors\tchars\ttess_errors\n' >"$OUT/samples.tsv"
: >"$OUT/lines-samples.tsv"
while read -r name level lang; do
	g=$OUT/$name
	psm=3
	[ "$level" = line ] && psm=7
	[ "$level" = word ] && psm=8
	haveg=$(find "$g/scans" -name '*.gt.txt' | head -n 1)
	[ -n "$haveg" ] && wrun "$g/scans" "$g/work" "$level" "$lang"
	# the layout stage on the cleaned pages (it is not yet among the
	# stages a run takes by default): its lines found and unread ink
	if [ -n "$haveg" ] && [ "$level" = page ]; then
		warraq-layout -q "$g/work" >/dev/null 2>&1 || true
	fi
	# the page groups again as a user gets them: each line's script decided
	# by warraq (languages = auto); its lines in the wrong script counted
	wrong=- unread=-
	if [ "$level" = page ]; then
		wrun "$g/scans" "$g/auto" page auto
		warraq-layout -q "$g/auto" >/dev/null 2>&1 || true
		wrong=0
		for t in "$g"/auto/ocr/*/*.txt; do
			[ -f "$t" ] || continue
			set -- $(warraq-eval --script "$lang" "$t")
			wrong=$((wrong + $1))
		done
		# pages where the layout left ink of text size unread
		unread=$(cat "$g"/auto/layout/*/*.json 2>/dev/null |
		    grep -c '"unread_text_like": [1-9]' || true)
		# the PDFs' text layer read back by poppler and pdf.js
		sh "$TOP/tests/tools/pdf-text-cer.sh" "$g/auto" "$PDFJS" |
		    sed "s/^/$name /" >>"$OUT/pdftext.tsv"
	fi
	if [ -z "$haveg" ]; then
		printf '%s\t%s\t0\t0\t0\t-\t-\t0\t-\t-\t%s\t%s\n' "$name" \
		    "$level" "$wrong" "$unread" >>"$OUT/results.tsv"
		continue
	fi
	# plain Tesseract on every raw scan, JOBS at a time
	mkdir -p "$g/tess"
	find "$g/scans" -name '*.gt.txt' | sort | sed 's/\.gt\.txt$//' |
	    xargs -P "$JOBS" -I{} sh -c 'for i in "$1".*; do
		case "$i" in *.gt.txt) continue ;; esac
		# its text, and on pages its layout as ALTO, in one pass
		fmt=; [ "$3" = 3 ] && fmt=alto
		tesseract "$i" "$4/$(basename "$1")" -l "$2" --psm "$3" txt \
		    $fmt >/dev/null 2>&1
	    done' sh {} "$lang" "$psm" "$g/tess"
	# score both sides with one tool; a page warraq failed counts as empty
	: >"$g/empty"
	: >"$g/samples"
	tail -n +2 "$g/work/pages.tsv" | cut -f1,2,3 |
	while IFS='	' read -r doc page src; do
		stem=$(basename "$src")
		stem=${stem%.*}
		gt=$g/scans/$stem.gt.txt
		[ -f "$gt" ] || continue
		hyp=$g/work/ocr/$doc/$page.txt
		[ -f "$hyp" ] || hyp=$g/empty
		set -- $(warraq-eval --text "$gt" "$hyp")
		we=$3 wn=$4
		set -- $(warraq-eval --text "$gt" "$g/tess/$stem.txt")
		printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$stem" "$we" "$wn" "$3" \
		    >>"$g/samples"
	done
	sort -t '	' -k2,2 "$g/samples" >>"$OUT/samples.tsv"
	# the group: character-weighted CER (all errors over all characters)
	# and the mean of the samples' CERs, for warraq and for Tesseract
	awk -F'\t' -v name="$name" -v level="$level" -v wrong="$wrong" \
	    -v unread="$unread" '
	    { n++; e += $3; c += $4; t += $5
	      if ($4 > 0) { m += $3 / $4; tm += $5 / $4 } }
	    END { printf "%s\t%s\t%d\t%d\t%d\t%.5f\t%.5f\t%d\t%.5f\t%.5f\t%s\t%s\n",
		name, level, n, c, e, c ? e / c : 0, n ? m / n : 0,
		t, c ? t / c : 0, n ? tm / n : 0, wrong, unread }' "$g/samples" \
	    >>"$OUT/results.tsv"
	# lines found: the transcription's lines that a line of warraq's
	# layout (the deskewed page's, turned back) or of Tesseract's own
	# layout matches at IoU >= 0.5
	if [ -d "$g/gtxml" ]; then
		tail -n +2 "$g/work/pages.tsv" | cut -f1,2,3 |
		while IFS='	' read -r doc page src; do
			stem=$(basename "$src")
			stem=${stem%.*}
			gx=$g/gtxml/$stem.xml
			[ -f "$gx" ] || continue
			deg=$(sed -n 's/.*"skew_deg": *\([-0-9.e]*\).*/\1/p' \
			    "$g/work/deskew/$doc/$page.json" 2>/dev/null)
			lay=$g/work/layout/$doc/$page.xml
			[ -f "$lay" ] && set -- $(warraq-eval --lines "$gx" "$lay" \
			    "${deg:-0}") || set -- 0 0 0
			w=$1
			[ -f "$g/tess/$stem.xml" ] &&
			    set -- $(warraq-eval --lines "$gx" "$g/tess/$stem.xml") ||
			    set -- 0 "$2" 0
			printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$stem" "$2" "$w" "$1"
		done >>"$OUT/lines-samples.tsv"
	fi
	echo "eval: $name done ($(($(date +%s) - start)) s)" >&2
done <"$OUT/groups"
echo "eval: $(($(date +%s) - start)) s in all; figures in $OUT/results.tsv and $OUT/samples.tsv" >&2
if [ -s "$OUT/lines-samples.tsv" ]; then
	awk -F'\t' '{ g[$1] += $3; w[$1] += $4; t[$1] += $5; if (!($1 in seen)) { seen[$1] = 1; o[++n] = $1 } }
	    END { printf "lines found (IoU >= 0.5)  %-26s %7s %8s %9s\n", "group", "lines", "warraq", "tesseract"
		  for (i = 1; i <= n; i++) { k = o[i]
		      printf "lines found (IoU >= 0.5)  %-26s %7d %7.1f%% %8.1f%%\n", k, g[k],
		          100 * w[k] / g[k], 100 * t[k] / g[k] } }' \
	    "$OUT/lines-samples.tsv" | tee "$OUT/lines.txt" >&2
fi

if [ -s "$OUT/pdftext.tsv" ]; then
	awk '{ k = $1; if (!(k in n)) o[++m] = k; n[k]++
	      p[k] += $4; if ($4 > pm[k]) pm[k] = $4; if ($4 <= 0.01) pg[k]++
	      if ($5 != "-") { j[k] += $5; if ($5 > jm[k]) jm[k] = $5; if ($5 <= 0.01) jg[k]++ } }
	    END { printf "pdf text (CER against the OCR)  %-26s %5s  %-26s  %-26s\n", "group", "pages",
		  "pdftotext <=1%/mean/worst", "pdf.js <=1%/mean/worst"
		  for (i = 1; i <= m; i++) { k = o[i]
		      printf "pdf text (CER against the OCR)  %-26s %5d  %3d %7.2f%% %7.2f%%        %3d %7.2f%% %7.2f%%\n",
			  k, n[k], pg[k], 100 * p[k] / n[k], 100 * pm[k], jg[k], 100 * j[k] / n[k], 100 * jm[k] } }' \
	    "$OUT/pdftext.tsv" | tee "$OUT/pdftext.txt" >&2
fi

partial=
[ -n "${WARRAQ_EVAL_GROUPS:-}" ] && partial=-p
if [ "${WARRAQ_EVAL_RECORD:-0}" = 1 ]; then
	sh "$TOP/tests/eval-compare.sh" -r $partial "$TOP/tests" "$OUT"
else
	sh "$TOP/tests/eval-compare.sh" $partial "$TOP/tests" "$OUT" |
	    tee "$OUT/table.txt"
	# the comparison's status, not tee's
	tail -n 1 "$OUT/table.txt" | grep -q ' 0 failed$'
fi
