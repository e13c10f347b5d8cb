#!/bin/sh
# warraq run: kill -9 at several points, run the same command again, and
# the batch finishes with outputs identical to an uninterrupted run.
. "$(dirname "$0")/../lib.sh"

make_batch "$T/scans" 6
t0=$(date +%s.%N)
check "uninterrupted reference run" warraq run -q -j 2 "$T/scans" "$T/ref"
dur=$(echo "$t0 $(date +%s.%N)" | awk '{ print $2 - $1 }')

# kill points spread over the run: in ingest, between stages, in deskew
for frac in 0.1 0.3 0.5 0.7 0.9; do
	at=$(echo "$dur $frac" | awk '{ printf "%.2f", $1 * $2 }')
	w="$T/killed-$at"
	warraq run -q -j 2 "$T/scans" "$w" >/dev/null 2>&1 &
	pid=$!
	sleep "$at"
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	# workers die with the driver: nothing may still write into $w
	sleep 0.2
	if pgrep -f "warraq-.* $w" >/dev/null; then
		notok "kill at ${at}s: no orphan workers" "$(pgrep -af "warraq-.* $w")"
	else
		ok "kill at ${at}s: no orphan workers"
	fi
	done_before=$(ls "$w"/deskew/*/*.json 2>/dev/null | wc -l)
	check "kill at ${at}s: the same command finishes the batch" \
	    warraq run -q -j 2 "$T/scans" "$w"
	check "kill at ${at}s: outputs identical to the reference" \
	    same_outputs "$T/ref" "$w"
	check "kill at ${at}s: every bag valid" sh -c \
	    'n=0; for b in "$1"/bags/*/; do warraq-verify -q "$b" || exit 1; n=$((n + 1)); done; [ $n = 6 ]' sh "$w"
	check "kill at ${at}s: no temporary file left" \
	    sh -c 'l=$(find "$1" -name ".*.tmp.*"); [ -z "$l" ] || { echo "$l"; exit 1; }' sh "$w"
	echo "# killed at ${at}s with $done_before pages deskewed"
done

# the temporary files of a dead run are removed by the next, those of a
# live process (a stage run by hand beside) are not
sh -c 'exit 0' & dead=$!
wait "$dead"
d=$(ls "$T/ref/deskew" | head -n 1)
head -c 1048576 /dev/zero >"$T/ref/deskew/$d/.0001.tif.tmp.$dead"
head -c 10 /dev/zero >"$T/ref/deskew/$d/.0002.tif.tmp.$$"
warraq run -q -j 2 "$T/scans" "$T/ref" >/dev/null 2>&1
checkx "a dead run's temporary file is removed by the next run" \
    "[ ! -e '$T/ref/deskew/$d/.0001.tif.tmp.$dead' ] && [ -e '$T/ref/deskew/$d/.0002.tif.tmp.$$' ]"
rm -f "$T/ref/deskew/$d/.0002.tif.tmp.$$"

# a finished batch is not redone: a second run touches no output
before=$(find "$T/ref" -path "$T/ref/logs" -prune -o -name '*.tif' -newer "$T/ref/pages.tsv" -print | wc -l)
touch -d '1 minute ago' "$T/ref"/deskew/*/*.tif
sleep 1
warraq run -q -j 2 "$T/scans" "$T/ref" >/dev/null 2>&1
after=$(find "$T/ref/deskew" -name '*.tif' -newermt '30 seconds ago' | wc -l)
if [ "$after" -eq 0 ]; then ok "rerun of a finished batch redoes nothing"
else notok "rerun of a finished batch redoes nothing" "$after pages rewritten ($before)"; fi
