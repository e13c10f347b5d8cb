#!/bin/sh
# fuzz_replay.sh - every fuzz harness (tests/fuzz) run without libFuzzer
# on its seed corpus and on every input that once made it crash
# (tests/fuzz/crashes/NAME/), with the build's own checks (ASan and UBSan
# under make test-asan).  A crash found by make fuzz stays fixed.
. "${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"

R=$WARRAQ_BIN/../fuzz
for h in image profile pages json text alto pagexml; do
	if [ ! -x "$R/replay_$h" ]; then
		notok "replay $h" "no $R/replay_$h (make test builds it)"
		continue
	fi
	check "seeds of $h" "$R/replay_$h" "$TOP"/tests/fuzz/corpus/"$h"/*
	for f in "$TOP"/tests/fuzz/crashes/"$h"/*; do
		[ -f "$f" ] || continue
		check "crash input $h/$(basename "$f")" "$R/replay_$h" "$f"
	done
done
