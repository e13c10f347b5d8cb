#!/bin/sh
# tools/script-model.sh: fits the weights of warraq-layout's script
# classifier (stages/layout/script.c) on the training lines of
# ../shared/train, and measures it on the eval lines (never trained on).
#
#   sh tools/script-model.sh BUILD [SCRATCH]
#
# Lines: every 4th printed Arabic book line, every 8th Arabic journal line
# holding an Arabic letter, every 3rd French 17th-century line, and 200
# lines of each script rendered from the seed texts in other faces (see
# below); their measures come from `warraq-layout --script-features`.  The fit is a
# plain logistic regression on the standardised measures (batch gradient
# descent, in awk: nothing to install); it prints the C tables to paste
# into script.c, then the accuracy on the training lines and on the eval
# lines of ../shared/eval/data (openiti lines: Arabic; ocr17 lines: Latin).
set -eu
BUILD=${1:-build}
TOP=$(cd "$(dirname "$0")/.." && pwd)
SCR=${2:-$(mktemp -d)}
TRAIN=$TOP/../shared/train
EVAL=$TOP/../shared/eval/data
LAYOUT=$BUILD/bin/warraq-layout
mkdir -p "$SCR"
[ -d "$SCR/ara-print-books" ] || tar xf "$TRAIN/ara-print-books.tar" -C "$SCR"
[ -d "$SCR/ara-print-jstor" ] || tar xf "$TRAIN/ara-print-jstor.tar" -C "$SCR"
[ -d "$SCR/fra-print-17c" ] || tar xf "$TRAIN/fra-print-17c.tar" -C "$SCR"

# every Nth png of a folder whose gt holds (1) or lacks (0) an Arabic letter
pick() {
	find "$1" -name '*.png' | sort | awk -v n="$2" 'NR % n == 0'
}
arabic_gt() {
	while read -r png; do
		grep -q "$(printf '\330')" "${png%.png}.gt.txt" 2>/dev/null && echo "$png"
	done
}
{
	pick "$SCR/ara-print-books" 4
	pick "$SCR/ara-print-jstor" 8 | arabic_gt
} | xargs "$LAYOUT" --script-features | awk -F'\t' '{ print 1 "\t" $0 }' >"$SCR/train.tsv"
pick "$SCR/fra-print-17c" 3 | xargs "$LAYOUT" --script-features |
    awk -F'\t' '{ print 0 "\t" $0 }' >>"$SCR/train.tsv"
# rendered lines, so that the weights hold beyond book faces: short
# runs of the seed texts' words (headings, letterheads, page furniture) in
# other faces, weights and sizes than the scanned lines: bold and Kufi
# Arabic, sans-serif and typewriter Latin, 8 to 20 points, 300 ppi
mkdir -p "$SCR/rendered"
if [ ! -f "$SCR/rendered/done" ]; then
	i=0
	for lang in ar fr; do
		src=$TOP/seeds/000_e89a506d2b243588.txt fonts="DejaVu Serif|Nimbus Mono PS|Nimbus Sans|Noto Serif Bold|DejaVu Serif Bold"
		[ $lang = ar ] && src=$TOP/seeds/seed-translation.ar.txt \
		    fonts="Noto Naskh Arabic Bold|Noto Sans Arabic|Noto Kufi Arabic|Noto Sans Arabic Bold|Noto Naskh Arabic"
		tr -s ' \n' '\n\n' <"$src" | awk 'NF' >"$SCR/words.$lang"
		nw=$(wc -l <"$SCR/words.$lang")
		k=0
		while [ $k -lt 200 ]; do
			n=$((k % 5 + 1)) at=$((k * 37 % (nw - 6) + 1))
			font=$(echo "$fonts" | cut -d'|' -f$((k % 5 + 1)))
			size=$((8 + k * 7 % 13))
			sed -n "${at},$((at + n - 1))p" "$SCR/words.$lang" | tr '\n' ' ' \
			    >"$SCR/rendered/$lang$k.txt"
			dir=; [ $lang = ar ] && dir=--rtl
			pango-view --no-display --dpi=300 --font="$font $size" \
			    --margin=8 -q $dir -o "$SCR/rendered/$lang$k.png" \
			    "$SCR/rendered/$lang$k.txt"
			k=$((k + 1))
		done
	done
	touch "$SCR/rendered/done"
fi
ls "$SCR"/rendered/ar*.png | xargs "$LAYOUT" --script-features |
    awk -F'\t' '{ print 1 "\t" $0 }' >>"$SCR/train.tsv"
ls "$SCR"/rendered/fr*.png | xargs "$LAYOUT" --script-features |
    awk -F'\t' '{ print 0 "\t" $0 }' >>"$SCR/train.tsv"
# lines with too little ink are left to their region: not fitted
awk -F'\t' '$10 >= 4' "$SCR/train.tsv" >"$SCR/fit.tsv"
echo "fit on $(wc -l <"$SCR/fit.tsv") lines" >&2

awk -F'\t' -v nf=8 '
{ y[NR] = $1; for (k = 1; k <= nf; k++) { x[NR, k] = $(k + 1); s[k] += $(k + 1); q[k] += $(k + 1) ^ 2 } }
END {
	n = NR
	for (k = 1; k <= nf; k++) { m[k] = s[k] / n; sd[k] = sqrt(q[k] / n - m[k] ^ 2); if (sd[k] == 0) sd[k] = 1 }
	for (i = 1; i <= n; i++) for (k = 1; k <= nf; k++) z[i, k] = (x[i, k] - m[k]) / sd[k]
	for (k = 0; k <= nf; k++) w[k] = 0
	for (it = 0; it < 2000; it++) {
		for (k = 0; k <= nf; k++) g[k] = 0
		for (i = 1; i <= n; i++) {
			t = w[0]; for (k = 1; k <= nf; k++) t += w[k] * z[i, k]
			p = 1 / (1 + exp(-t)); d = p - y[i]
			g[0] += d; for (k = 1; k <= nf; k++) g[k] += d * z[i, k]
		}
		for (k = 0; k <= nf; k++) w[k] -= 0.5 * (g[k] / n + 0.001 * (k ? w[k] : 0))
	}
	printf "static const double mean[SCRIPT_NFEAT] = {\n\t"
	for (k = 1; k <= nf; k++) printf "%.4f%s", m[k], k < nf ? ", " : "\n};\n"
	printf "static const double spread[SCRIPT_NFEAT] = {\n\t"
	for (k = 1; k <= nf; k++) printf "%.4f%s", sd[k], k < nf ? ", " : "\n};\n"
	printf "static const double weight[SCRIPT_NFEAT] = {\n\t"
	for (k = 1; k <= nf; k++) printf "%.4f%s", w[k], k < nf ? ", " : "\n};\n"
	printf "static const double bias = %.4f;\n", w[0]
}' "$SCR/fit.tsv"
