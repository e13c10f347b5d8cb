#!/bin/sh
# Runs every test of warraq and ends with "N passed, N failed".
#   sh tests/run.sh BUILD_DIR [TEST ...]
# Unit tests are cmocka programs in BUILD_DIR/tests/; end-to-end tests are
# the scripts tests/e2e/*.sh, run against the real programs in
# BUILD_DIR/bin.  Every test prints TAP lines ("ok - ..." / "not ok - ...");
# a script that dies without printing "not ok" still counts as one failure.
set -u
cd "$(dirname "$0")/.."
BUILD=${1:-build}
[ $# -gt 0 ] && shift
WARRAQ_BIN=$(cd "$BUILD/bin" && pwd)
export WARRAQ_BIN
TOP=$(pwd)
export TOP
LOGDIR=$(mktemp -d)
trap 'rm -rf "$LOGDIR"' EXIT

pass=0 fail=0
count() {	# count NAME LOG STATUS
	p=$(grep -c '^ok ' "$2")
	f=$(grep -c '^not ok ' "$2")
	grep -E '^(not ok |# SKIP|# skip)' "$2" | sed "s|^|  $1: |"
	if [ "$3" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "  $1: exited with status $3 (last lines below)"
		tail -n 5 "$2" | sed 's/^/    /'
		f=1
	fi
	echo "$1: $p passed, $f failed"
	pass=$((pass + p))
	fail=$((fail + f))
}

tests="$*"
if [ -z "$tests" ]; then
	tests="$(ls "$BUILD"/tests/test_* 2>/dev/null) $(ls tests/e2e/*.sh)"
fi
for t in $tests; do
	name=$(basename "$t" .sh)
	log="$LOGDIR/$name.log"
	case "$t" in
	*.sh) sh "$t" >"$log" 2>&1 ;;
	*)    CMOCKA_MESSAGE_OUTPUT=TAP "$t" >"$log" 2>&1 ;;
	esac
	count "$name" "$log" $?
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
