#!/bin/sh
# make eval: the whole pipeline on the real heritage scans with human
# transcriptions in ../shared/eval/data, group by group, beside plain
# Tesseract (the `tesseract` command, same Debian models) on the raw scans.
#
#   sh tests/eval.sh BUILD [OUT]     (OUT: default BUILD/eval)
#   WARRAQ_EVAL_GROUPS=REGEX         only the groups whose name matches
#
# Both sides are scored by the same tool, `warraq-eval --text`: NFC,
# whitespace collapsed, tatweel and bidi marks removed, nothing else (the
# transcriptions are diplomatic: long s, undotted letters stay as they are).
# Plain Tesseract reads pages with --psm 3, lines with 7 and words with 8,
# as the reference figures in eval/data/README.md; warraq reads them with
# layout = page, line and word.  Both get the group's language (ara or
# fra), as a library that knows its collection sets it; with
# WARRAQ_EVAL_LANG=auto warraq decides the script of each line itself.
# Prints one row a group: samples, characters, CER of each, their ratio.
set -eu
BUILD=${1:-build}
case "$BUILD" in /*) ;; *) BUILD=$PWD/$BUILD ;; esac
OUT=${2:-$BUILD/eval}
DATA=${WARRAQ_EVAL_DATA:-$(cd "$(dirname "$0")/../.." && pwd)/shared/eval/data}
JOBS=$(nproc 2>/dev/null || echo 2)	# before OMP_THREAD_LIMIT: nproc heeds it
export OMP_THREAD_LIMIT=1

if [ ! -d "$DATA" ]; then
	echo "eval: $DATA is absent (the shared evaluation data); nothing to do" >&2
	exit 0
fi
rm -rf "$OUT"
mkdir -p "$OUT"
# a copy of the programs, so that a rebuild during the run changes nothing
cp -r "$BUILD/bin" "$OUT/bin"
PATH=$OUT/bin:$PATH

# group NAME DIR LEVEL LANG [SUBDIR]: the images of DIR's MANIFEST.tsv
# (under SUBDIR/ only, when given) and their .gt.txt, linked into
# OUT/NAME/scans with flat names.
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
		ln -s "$dir/$gt" "$s/${flat%.*}.gt.txt"
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
group openiti-ara-manuscripts openiti_aocp_ms_eval_ara page ara
group rasam-maghribi-words rasam_maghribi_words word ara

# sumcer: "CD CN" totals of the warraq-eval lines read on stdin
sumcer() {
	awk '{ d += $3; n += $4 } END { printf "%d %d\n", d, n }'
}

printf '%-26s %5s %7s %9s %9s %7s\n' group n chars tesseract warraq ratio
printf '%-26s %5s %7s %9s %9s %7s\n' group n chars tesseract warraq ratio \
    >"$OUT/table.txt"
while read -r name level lang; do
	g=$OUT/$name
	psm=3
	[ "$level" = line ] && psm=7
	[ "$level" = word ] && psm=8
	# the scans are links into the shared data: followed on purpose
	warraq run -q -j "$JOBS" -o layout="$level" -o follow_symlinks=yes \
	    -o languages="$([ "${WARRAQ_EVAL_LANG:-group}" = auto ] && echo auto || echo "$lang")" \
	    "$g/scans" "$g/work" \
	    >"$g/run.log" 2>&1 || true
	# plain Tesseract on every raw scan, JOBS at a time
	mkdir -p "$g/tess"
	find "$g/scans" -name '*.gt.txt' | sort | sed 's/\.gt\.txt$//' |
	    xargs -P "$JOBS" -I{} sh -c 'for i in "$1".*; do
		case "$i" in *.gt.txt) continue ;; esac
		tesseract "$i" - -l "$2" --psm "$3" 2>/dev/null \
		    >"$4/$(basename "$1").txt"
	    done' sh {} "$lang" "$psm" "$g/tess"
	# score both sides with one tool; a page warraq failed counts as empty
	: >"$g/empty"
	tail -n +2 "$g/work/pages.tsv" | cut -f1,2,3 |
	while IFS='	' read -r doc page src; do
		stem=$(basename "$src")
		stem=${stem%.*}
		gt=$g/scans/$stem.gt.txt
		hyp=$g/work/ocr/$doc/$page.txt
		[ -f "$hyp" ] || hyp=$g/empty
		warraq-eval --text "$gt" "$hyp" >>"$g/warraq.cer"
		warraq-eval --text "$gt" "$g/tess/$stem.txt" >>"$g/tess.cer"
	done
	n=$(wc -l <"$g/warraq.cer")
	set -- $(sumcer <"$g/tess.cer") $(sumcer <"$g/warraq.cer")
	awk -v name="$name" -v n="$n" -v td="$1" -v tn="$2" -v wd="$3" -v wn="$4" \
	    'BEGIN { t = tn ? td / tn : 0; w = wn ? wd / wn : 0;
		printf "%-26s %5d %7d %8.2f%% %8.2f%% %7s\n", name, n, tn,
		    100 * t, 100 * w, (t > 0 ? sprintf("%.2f", w / t) : "-") }' |
	    tee -a "$OUT/table.txt"
done <"$OUT/groups"
echo "eval: table in $OUT/table.txt; per-sample figures in $OUT/GROUP/{warraq,tess}.cer"
