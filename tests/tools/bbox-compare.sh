#!/bin/sh
# bbox-compare.sh ALTO PDF PAGE DPI: how far the word boxes poppler reads
# out of page PAGE of PDF (pdftotext -bbox, in points) lie from the word
# boxes of the ALTO file (pixels).  Each ALTO word is paired with the PDF
# word it overlaps most; prints one line:
#   words paired unpaired max_dx mean_dx within3 within10 max_out
# dx: the larger of the left and right edge differences, in pixels;
# within3, within10: words whose dx is at most 3, 10 pixels; max_out: how far an ALTO
# word sticks out above or below its PDF word (the PDF word has the height
# of its line), in pixels.
set -eu
alto=$1 pdf=$2 page=$3 dpi=$4
{
	grep -o '<String [^>]*>' "$alto" | sed 's/.*HPOS="\([0-9.]*\)" VPOS="\([0-9.]*\)" WIDTH="\([0-9.]*\)" HEIGHT="\([0-9.]*\)".*/A \1 \2 \3 \4/'
	pdftotext -f "$page" -l "$page" -bbox "$pdf" - | grep -o '<word [^>]*>' |
	    sed 's/.*xMin="\([0-9.]*\)" yMin="\([0-9.]*\)" xMax="\([0-9.]*\)" yMax="\([0-9.]*\)".*/P \1 \2 \3 \4/'
} | awk -v k="$dpi" '
$1 == "A" { n++; ax0[n] = $2; ay0[n] = $3; ax1[n] = $2 + $4; ay1[n] = $3 + $5 }
$1 == "P" { m++; px0[m] = $2 * k / 72; py0[m] = $3 * k / 72; px1[m] = $4 * k / 72; py1[m] = $5 * k / 72 }
function max(a, b) { return a > b ? a : b }
function min(a, b) { return a < b ? a : b }
function abs(a) { return a < 0 ? -a : a }
END {
	for (i = 1; i <= n; i++) {
		best = 0; bo = 0
		for (j = 1; j <= m; j++) {
			if (min(ay1[i], py1[j]) <= max(ay0[i], py0[j])) continue
			o = min(ax1[i], px1[j]) - max(ax0[i], px0[j])
			if (o > bo) { bo = o; best = j }
		}
		if (!best) { unpaired++; continue }
		paired++
		dx = max(abs(ax0[i] - px0[best]), abs(ax1[i] - px1[best]))
		sum += dx; if (dx > mdx) mdx = dx; if (dx <= 3) in3++; if (dx <= 10) in10++
		out = max(py0[best] - ay0[i], ay1[i] - py1[best]); if (out > mo) mo = out
	}
	printf "%d %d %d %.1f %.1f %d %d %.1f\n", n, paired, unpaired + 0, mdx,
	    paired ? sum / paired : 0, in3 + 0, in10 + 0, mo
}'
