#!/bin/sh
# valgrind.sh - one full `warraq run` of the sample batch with the driver
# and every stage program under Valgrind memcheck (make valgrind).
#   sh tests/valgrind.sh BUILD [WORK]
# The driver runs the stage programs it finds beside itself: a copy of
# it sits in BUILD/valgrind/bin beside one wrapper a stage, which runs
# the real program under memcheck, a log a process in BUILD/valgrind/logs.
# Errors, and leaks definitely lost, count; tests/valgrind.supp holds the
# only suppressions (library internals, each with its reason).  Prints
# one line a program and exits 1 if any process had an error.  About 15
# minutes on 2 cores (Tesseract is slow under memcheck).
set -u
cd "$(dirname "$0")/.."
B=$(cd "${1:-build}" && pwd)
V=$B/valgrind
W=${2:-$V/work}
rm -rf "$V/bin" "$V/logs" "$W"
mkdir -p "$V/bin" "$V/logs"
VG="valgrind --tool=memcheck --leak-check=full --errors-for-leak-kinds=definite
    --show-leak-kinds=definite --track-origins=yes --num-callers=30
    --suppressions=$(pwd)/tests/valgrind.supp --gen-suppressions=all
    --error-exitcode=99 --log-file=$V/logs/%q{VG_NAME}.%p.log"
cp "$B/bin/warraq" "$V/bin/warraq"
for p in "$B"/bin/warraq-*; do
	n=$(basename "$p")
	# one line: the stage's arguments go through untouched
	printf '#!/bin/sh\nVG_NAME=%s exec %s %s "$@"\n' "$n" "$(echo $VG)" "$p" \
	    >"$V/bin/$n"
	chmod +x "$V/bin/$n"
done
# Tesseract's OpenMP threads: one, as in the tests
OMP_THREAD_LIMIT=1
export OMP_THREAD_LIMIT
start=$(date +%s)
VG_NAME=warraq $(echo $VG) "$V/bin/warraq" run -q -j 2 -o timeout=3600 \
    fixtures/sample "$W" >"$V/run.out" 2>&1
rc=$?
echo "valgrind: warraq run exited $rc after $(($(date +%s) - start)) s (log: $V/run.out)"
status=0
[ "$rc" -eq 0 ] || status=1
for n in warraq $(cd "$B/bin" && ls warraq-*); do
	set -- "$V"/logs/"$n".*.log
	[ -f "$1" ] || continue
	procs=0 errs=0 lost=0
	for l in "$@"; do
		# no summary: the driver's forked child, which went on to
		# exec a stage (memcheck does not follow exec)
		grep -q 'ERROR SUMMARY' "$l" || continue
		e=$(sed -n 's/.*ERROR SUMMARY: \([0-9]*\) errors.*/\1/p' "$l" | tail -n 1)
		d=$(sed -n 's/.*definitely lost: \([0-9,]*\) bytes.*/\1/p' "$l" | tr -d , | tail -n 1)
		procs=$((procs + 1))
		errs=$((errs + e))
		lost=$((lost + ${d:-0}))
	done
	echo "valgrind: $n: $procs processes, $errs errors, $lost bytes definitely lost"
	[ "$errs" -eq 0 ] || status=1
done
[ "$status" -eq 0 ] && echo "valgrind: clean" ||
    echo "valgrind: NOT clean; see $V/logs (grep -l 'ERROR SUMMARY: [1-9]')"
exit $status
