#!/bin/sh
# The quality guard (tests/eval-compare.sh) against the table of record in
# the repository: make eval's figures, fed back unchanged, pass; a page made
# worse fails its group with the page named; a count gone up fails; a gain
# not recorded fails until recorded, and recording never raises a figure.
# Runs on the committed tables alone: no ../shared needed.
. "$(dirname "$0")/../lib.sh"
CMP="sh $TOP/tests/eval-compare.sh"
REC=$TOP/tests/eval-baseline.tsv
RECS=$TOP/tests/eval-baseline-samples.tsv

# new_from DIR: a make eval output DIR that reports the recorded figures
new_from() {
	mkdir -p "$1"
	cp "$REC" "$1/results.tsv"
	cp "$RECS" "$1/samples.tsv"
}
groups=$(($(wc -l <"$REC") - 1))
checkx "table of record has every group" '[ "$groups" -ge 13 ] && [ "$(wc -l <"$RECS")" -gt 700 ]'

new_from "$T/same"
$CMP "$TOP/tests" "$T/same" >"$T/same.out" 2>&1
checkx "the recorded figures pass" "[ $? -eq 0 ] && tail -n 1 '$T/same.out' | grep -qx '$groups passed, 0 failed'"
checkx "one line a group, before, after and Tesseract" \
    "[ \$(grep -c ' ok$' '$T/same.out') -eq $groups ] && head -n 1 '$T/same.out' | grep -q 'before.*after.*tesseract'"

# one real page of the 1893 print loses a line's worth of text (40 more
# errors): its group fails and the page is named
page=$(awk -F'\t' '$1 == "kovalewsky-1893" { print $2; exit }' "$RECS")
new_from "$T/worse"
awk -F'\t' -v OFS='\t' -v p="$page" '$1 == "kovalewsky-1893" && $2 == p { $3 += 40 } { print }' \
    "$RECS" >"$T/worse/samples.tsv"
$CMP "$TOP/tests" "$T/worse" >"$T/worse.out" 2>&1
st=$?
checkx "a worse page fails the comparison" "[ $st -eq 1 ] && tail -n 1 '$T/worse.out' | grep -q ' 1 failed$'"
checkx "the group says why" "grep '^kovalewsky-1893 ' '$T/worse.out' | grep -q 'FAILED: CER worse by'"
checkx "the page is named" "grep -q 'worse: kovalewsky-1893/$page: ' '$T/worse.out'"

# within the tolerance: one more error in a long group passes, but the
# page is still named
new_from "$T/tiny"
awk -F'\t' -v OFS='\t' -v p="$page" '$1 == "kovalewsky-1893" && $2 == p { $3 += 1 } { print }' \
    "$RECS" >"$T/tiny/samples.tsv"
$CMP "$TOP/tests" "$T/tiny" >"$T/tiny.out" 2>&1
checkx "one error in 6,000 characters is within the tolerance" \
    "[ $? -eq 0 ] && grep -q 'worse: kovalewsky-1893/$page: ' '$T/tiny.out'"
WARRAQ_EVAL_TOLERANCE=0 $CMP "$TOP/tests" "$T/tiny" >/dev/null 2>&1
checkx "the tolerance is a setting" "[ $? -eq 1 ]"

# a line in the wrong script more, on a page group
new_from "$T/script"
awk -F'\t' -v OFS='\t' '$1 == "kovalewsky-1893" { $11 += 1 } { print }' "$REC" \
    >"$T/script/results.tsv"
$CMP "$TOP/tests" "$T/script" >"$T/script.out" 2>&1
checkx "more lines in the wrong script fail" \
    "[ $? -eq 1 ] && grep '^kovalewsky-1893 ' '$T/script.out' | grep -q 'more lines in the wrong script'"

# a group missing fails a whole run, not a partial one (WARRAQ_EVAL_GROUPS)
new_from "$T/part"
grep -v '^kovalewsky-1893	' "$REC" >"$T/part/results.tsv"
grep -v '^kovalewsky-1893	' "$RECS" >"$T/part/samples.tsv"
$CMP "$TOP/tests" "$T/part" >"$T/part.out" 2>&1
checkx "a group not run fails" "[ $? -eq 1 ] && grep -q '^kovalewsky-1893 *not run' '$T/part.out'"
$CMP -p "$TOP/tests" "$T/part" >/dev/null 2>&1
checkx "a partial run checks the groups it ran" "[ $? -eq 0 ]"

# the data changed under a group
new_from "$T/data"
awk -F'\t' 'NR > 1 && $1 == "kovalewsky-1893" && !d { d = 1; next } { print }' "$RECS" \
    >"$T/data/samples.tsv"
$CMP "$TOP/tests" "$T/data" >"$T/data.out" 2>&1
checkx "changed data fails" "[ $? -eq 1 ] && grep -q 'the data changed' '$T/data.out'"

# a gain must be recorded; recording keeps the lower figure of each
mkdir -p "$T/rec"
cp "$REC" "$RECS" "$T/rec/"
new_from "$T/better"
awk -F'\t' -v OFS='\t' -v p="$page" '$1 == "kovalewsky-1893" && $2 == p { $3 = int($3 / 2) } { print }' \
    "$RECS" >"$T/better/samples.tsv"
awk -F'\t' -v OFS='\t' -v p="$page" -v s="$T/better/samples.tsv" '
    BEGIN { while ((getline l <s) > 0) { split(l, f, "\t"); if (f[1] == "kovalewsky-1893") { e += f[3]; c += f[4]; m += f[3] / f[4]; n++ } } }
    $1 == "kovalewsky-1893" { $5 = e; $6 = sprintf("%.5f", e / c); $7 = sprintf("%.5f", m / n) } { print }' \
    "$REC" >"$T/better/results.tsv"
$CMP "$T/rec" "$T/better" >"$T/better.out" 2>&1
checkx "an unrecorded gain fails" "[ $? -eq 1 ] && grep -q 'record the gain' '$T/better.out'"
$CMP -r "$T/rec" "$T/better" >/dev/null 2>&1
$CMP "$T/rec" "$T/better" >/dev/null 2>&1
checkx "recorded, it passes" "[ $? -eq 0 ]"
checkx "the table moved down" "[ \"\$(cmp -s '$REC' '$T/rec/eval-baseline.tsv'; echo \$?)\" = 1 ]"
cp "$T/rec/eval-baseline.tsv" "$T/rec.before"
$CMP -r "$T/rec" "$T/worse" >/dev/null 2>&1
checkx "recording a worse result does not raise the table" \
    "[ \"\$(cut -f5-7 '$T/rec/eval-baseline.tsv')\" = \"\$(cut -f5-7 '$T/rec.before')\" ]"
$CMP "$T/rec" "$T/worse" >/dev/null 2>&1
checkx "so the worse result still fails" "[ $? -eq 1 ]"

$CMP "$TOP/tests" >/dev/null 2>&1
checkx "bad usage exits 2" "[ $? -eq 2 ]"
