#!/bin/sh
# run.sh - runs each libFuzzer harness for a bounded time (make fuzz).
#   sh tests/fuzz/run.sh BUILD SECONDS HARNESS...
# Each harness starts from its committed seeds (tests/fuzz/corpus/NAME)
# and the inputs earlier runs found (BUILD/corpus/NAME, where new ones
# go).  A crash leaves its input in BUILD/crashes/; commit it under
# tests/fuzz/crashes/NAME/ with the fix, and `make test` replays it.
# Prints executions per harness; exits 1 if any harness crashed.
set -u
cd "$(dirname "$0")/../.."
B=$1 S=$2
shift 2
mkdir -p "$B/crashes"
status=0
for h in "$@"; do
	case $h in
	text)  max=4096 ;;	# Levenshtein is quadratic
	image) max=65536 ;;
	*)     max=16384 ;;
	esac
	mkdir -p "$B/corpus/$h"
	log=$B/fuzz-$h.log
	"$B/fuzz/fuzz_$h" -max_total_time="$S" -max_len=$max -timeout=20 \
	    -rss_limit_mb=2048 -close_fd_mask=3 -print_final_stats=1 \
	    -artifact_prefix="$B/crashes/$h-" \
	    "$B/corpus/$h" "tests/fuzz/corpus/$h" >"$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1)
	if [ "$rc" -eq 0 ]; then
		echo "fuzz $h: ${execs:-?} executions in ${S}s, $cov, no crash"
	else
		echo "fuzz $h: FAILED (status $rc) after ${execs:-?} executions; see $log"
		grep -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error|artifact_prefix|Test unit written)' \
		    "$log" | head -n 8 | sed 's/^/  /'
		status=1
	fi
done
exit $status
