#!/bin/sh
# The quality guard: make eval's figures against the table of record.
#
#   sh tests/eval-compare.sh [-p] [-r] RECORD_DIR NEW_DIR
#
# RECORD_DIR holds the table of record, eval-baseline.tsv (a row a group)
# and eval-baseline-samples.tsv (a row a line, word or page); NEW_DIR holds
# results.tsv and samples.tsv of the same form, as tests/eval.sh writes
# them.  Prints one line a group: warraq's CER (character-weighted) before
# and after, plain Tesseract's in the same run, the mean of the samples'
# CERs before and after, the lines in the wrong script and the pages with
# unread text-like ink, then "ok" or what is wrong, and under it the
# samples that got worse, named.  Ends with "N passed, N failed", a group
# a check.  A group fails when:
#   - its CER or its mean CER is worse than recorded by more than the
#     tolerance (WARRAQ_EVAL_TOLERANCE, default 0.001: one character in a
#     thousand), or a count (wrong script, unread) is higher;
#   - it is better by more than that, or a count is lower: the gain is to
#     be recorded (make eval-record) in the same commit, so that the
#     table's history says which change brought it;
#   - its samples or characters are not those recorded (the data changed),
#     or it is missing from either side (-p: a partial run, only the
#     groups it ran are checked).
# -r records instead: NEW_DIR's figures go into the table, but no figure
# goes up (the lower of the two is kept), and the samples' rows are
# replaced.  "-" in a count means not measured.
# Exit status: 0 when every group passed (or the table was recorded),
# 1 when one failed, 2 on bad usage or unreadable files.
set -eu
partial=0 record=0
while getopts pr o; do
	case $o in
	p) partial=1 ;;
	r) record=1 ;;
	*) echo "usage: eval-compare.sh [-p] [-r] RECORD_DIR NEW_DIR" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -eq 2 ] || { echo "usage: eval-compare.sh [-p] [-r] RECORD_DIR NEW_DIR" >&2; exit 2; }
base=$1/eval-baseline.tsv bases=$1/eval-baseline-samples.tsv
new=$2/results.tsv news=$2/samples.tsv
for f in "$new" "$news"; do
	[ -r "$f" ] || { echo "eval-compare: $f: cannot read" >&2; exit 2; }
done
if [ ! -f "$base" ]; then
	[ "$record" = 1 ] || { echo "eval-compare: $base: no table of record (make eval-record)" >&2; exit 2; }
	head -n 1 "$new" >"$base"
	head -n 1 "$news" >"$bases"
fi
tol=${WARRAQ_EVAL_TOLERANCE:-0.001}

if [ "$record" = 1 ]; then
	# groups: the lower of each figure where the samples are the same
	awk -F'\t' -v OFS='\t' -v partial="$partial" '
	function lower(a, b) { return (a == "-" || b == "-") ? b : (b + 0 < a + 0 ? b : a) }
	FNR == 1 { next }
	FILENAME == ARGV[1] { old[$1] = $0; order[++n] = $1; next }
	{
		seen[$1] = 1
		if (!($1 in old)) { order[++n] = $1; rows[$1] = $0; next }
		split(old[$1], o, "\t")
		if (o[3] != $3 || o[4] != $4) { rows[$1] = $0; next }
		e = lower(o[5], $5)
		$5 = e; $6 = sprintf("%.5f", $4 ? e / $4 : 0)
		$7 = lower(o[7], $7); $11 = lower(o[11], $11); $12 = lower(o[12], $12)
		rows[$1] = $0
	}
	END {
		for (i = 1; i <= n; i++) {
			g = order[i]
			if (g in rows) print rows[g]
			else if (partial) print old[g]
		}
	}' "$base" "$new" >"$base.new"
	{ head -n 1 "$new"; cat "$base.new"; } >"$base.tmp"
	rm -f "$base.new"
	mv "$base.tmp" "$base"
	# samples: the new rows of the groups run, the old rows of the others
	awk -F'\t' 'FNR == 1 { next }
	    FILENAME == ARGV[1] { ran[$1] = 1; next }
	    FILENAME == ARGV[2] { if (!(($1) in ran)) print; next }' \
	    "$new" "$bases" >"$bases.tmp"
	{ head -n 1 "$news"; { cat "$bases.tmp"; tail -n +2 "$news"; } | sort -t '	' -k1,1 -k2,2; } \
	    >"$bases.new"
	rm -f "$bases.tmp"
	mv "$bases.new" "$bases"
	echo "eval-compare: recorded $(($(wc -l <"$new") - 1)) groups in $base"
	exit 0
fi

awk -F'\t' -v tol="$tol" -v partial="$partial" '
function pct(x) { return x == "-" ? "-" : sprintf("%.2f%%", 100 * x) }
function cnt(a, b) { return a == b ? a : a "->" b }
FNR == 1 { next }
FILENAME == ARGV[1] { base[$1] = $0; order[++n] = $1; next }
FILENAME == ARGV[2] { bs[$1 "/" $2] = $3; next }
FILENAME == ARGV[4] { cur[$1] = $0; if (!($1 in base)) order[++n] = $1; next }
{	# samples.tsv: the group figures made again from its samples, so that
	# the two cannot disagree; the samples that got worse, named
	ns[$1]++; se[$1] += $3; sc[$1] += $4
	if ($4 > 0) sm[$1] += $3 / $4
	k = $1 "/" $2
	if ((k in bs) && $3 + 0 > bs[k] + 0) {
		nw[$1]++
		if (nw[$1] <= 10)
			worse[$1] = worse[$1] sprintf("    worse: %s: %d -> %d errors in %d characters\n",
			    k, bs[k], $3, $4)
	}
}
END {
	printf "%-25s %8s %8s %9s  %8s %8s  %-8s %-6s %s\n", "group", "before",
	    "after", "tesseract", "mean-bef", "mean-aft", "wrong-sc", "unread", "verdict"
	for (i = 1; i <= n; i++) {
		g = order[i]
		if (!(g in cur)) {
			if (partial) continue
			printf "%-25s not run: the group is in the table of record\n", g
			fail++
			continue
		}
		split(cur[g], c, "\t")
		if (ns[g] > 0) {
			c[3] = ns[g]; c[4] = sc[g]
			c[6] = sc[g] ? se[g] / sc[g] : 0; c[7] = sm[g] / ns[g]
		}
		if (!(g in base)) {
			printf "%-25s %8s %8s %9s  %8s %8s  %-8s %-6s FAILED: not in the table of record (make eval-record)\n",
			    g, "-", pct(c[6]), pct(c[9]), "-", pct(c[7]), c[11], c[12]
			fail++
			continue
		}
		split(base[g], b, "\t")
		if (b[4] > 0) b[6] = b[5] / b[4]	# exact, not as rounded in the table
		why = ""
		if (b[3] != c[3] || b[4] != c[4])
			why = sprintf("the data changed (%d samples, %d characters recorded; %d, %d now): record the table again",
			    b[3], b[4], c[3], c[4])
		else {
			if (c[6] != "-" && c[6] - b[6] > tol) why = why sprintf("; CER worse by %.2f points", 100 * (c[6] - b[6]))
			if (c[7] != "-" && c[7] - b[7] > tol) why = why sprintf("; mean CER worse by %.2f points", 100 * (c[7] - b[7]))
			if (b[11] != "-" && c[11] != "-" && c[11] + 0 > b[11] + 0) why = why "; more lines in the wrong script"
			if (b[12] != "-" && c[12] != "-" && c[12] + 0 > b[12] + 0) why = why "; more pages with unread ink"
			if (why == "") {
				if (c[6] != "-" && b[6] - c[6] > tol) why = why sprintf("; CER better by %.2f points", 100 * (b[6] - c[6]))
				if (c[7] != "-" && b[7] - c[7] > tol) why = why sprintf("; mean CER better by %.2f points", 100 * (b[7] - c[7]))
				if (b[11] != "-" && c[11] != "-" && c[11] + 0 < b[11] + 0) why = why "; fewer lines in the wrong script"
				if (b[12] != "-" && c[12] != "-" && c[12] + 0 < b[12] + 0) why = why "; fewer pages with unread ink"
				if (why != "") why = substr(why, 3) ": record the gain in this commit (make eval-record)"
			} else
				why = substr(why, 3)
		}
		printf "%-25s %8s %8s %9s  %8s %8s  %-8s %-6s %s\n", g, pct(b[6]), pct(c[6]),
		    pct(c[9]), pct(b[7]), pct(c[7]), cnt(b[11], c[11]), cnt(b[12], c[12]),
		    why == "" ? "ok" : "FAILED: " why
		if (nw[g] > 0) {
			printf "%s", worse[g]
			if (nw[g] > 10) printf "    ... and %d more\n", nw[g] - 10
		}
		if (why == "") pass++; else fail++
	}
	printf "tolerance %.2f points of CER; table of record: tests/eval-baseline.tsv\n", 100 * tol
	printf "%d passed, %d failed\n", pass, fail
	exit (fail > 0 ? 1 : 0)
}' "$base" "$bases" "$news" "$new"
