#!/bin/sh
# warraq run --engine slurm on a real single-node Slurm cluster started
# here (tests/slurm.sh): the sample batch gives the local engine's
# outputs; a task cancelled mid-run, or the driver killed, and the same
# command finishes the batch; a page's failure, or a task's death, is
# isolated to its pages and named with its Slurm job; status shows the
# jobs; warraq cancel and Ctrl-C cancel what the run submitted.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/slurm.sh"

if ! slurm_start "$T/cluster"; then
	skip "no Slurm cluster could be started here: $slurm_why"
	slurm_stop "$T/cluster"
	exit 0
fi
trap 'slurm_stop "$T/cluster"; rm -rf "$T"' EXIT

now() { date +%s.%N; }
since() { echo "$1 $(now)" | awk '{ printf "%.1f", $2 - $1 }'; }
# within S CMD...: runs CMD every 0.1 s until it succeeds, for S seconds at most
within() {
	n=$(($1 * 10))
	shift
	until "$@" 2>/dev/null; do
		n=$((n - 1))
		[ $n -gt 0 ] || return 1
		sleep 0.1
	done
}
submitted() { [ -f "$1/slurm.json" ]; }

t0=$(now)
check "local reference run" warraq run -q -j 2 "$FIX" "$T/local"
tl=$(since "$t0")
t0=$(now)
warraq run -j 2 --engine slurm "$FIX" "$T/slurm" >"$T/out" 2>&1
st=$?
ts=$(since "$t0")
[ $st -eq 0 ] && ok "slurm run exits 0" || notok "slurm run exits 0" "status $st: $(tail -n 3 "$T/out")"
echo "# sample batch: local $tl s, slurm $ts s ($(grep -c 'Slurm job [0-9]*_[0-9]* COMPLETED' "$T/out") array tasks)"
check "slurm outputs identical to the local engine's" same_outputs "$T/local" "$T/slurm"
checkx "every bag valid" 'for b in "$T"/slurm/bags/*/; do warraq-verify -q "$b" || exit 1; done'
checkx "clean waits task by task for deskew (aftercorr)" \
    'grep -q "clean: Slurm job [0-9]*, 5 tasks, after aftercorr:[0-9]" "$T/out"'
job=$(jq -r '.jobs[] | select(.stage == "ocr") | .job' "$T/slurm/slurm.json")
warraq status "$T/slurm" >"$T/st"
checkx "status shows the Slurm job ids and their states" \
    'grep -Eq "^  ocr +job $job +5 tasks: 5 COMPLETED" "$T/st" && grep -Eq "^ocr +5 +0 +0 +0" "$T/st"'
checkx "each task's output in logs/slurm" '[ -s "$T/slurm/logs/slurm/ocr-${job}_0.out" ]'
# as locally, every run remakes the report, and nothing else is redone
checkx "a finished batch submits only the report" \
    'warraq run -q --engine slurm "$FIX" "$T/slurm" &&
     [ "$(jq -r "[.jobs[].stage] | join(\",\")" "$T/slurm/slurm.json")" = report ]'

# scancel one OCR task while it runs: the run ends with its pages
# pending, the same command finishes the batch, outputs unchanged
warraq run -q -j 2 --engine slurm "$FIX" "$T/killed" >"$T/out" 2>&1 &
pid=$!
# ocr_running: $task, an OCR task running (or the run is over)
ocr_running() {
	task=$(squeue -h -r --me -n warraq-ocr -t RUNNING -o %i | head -n 1)
	[ -n "$task" ] || ! kill -0 $pid
}
within 300 ocr_running && [ -n "$task" ] && scancel "$task"
wait $pid
st=$?
echo "# cancelled task $task"
checkx "a cancelled task: the run says so and exits 1" \
    '[ -n "$task" ] && [ $st -eq 1 ] && grep -q "Slurm job $task was cancelled" "$T/out"'
warraq status "$T/killed" >"$T/st"
checkx "status shows the cancelled task" 'grep -q "1 CANCELLED" "$T/st"'
check "the same command again finishes the batch" \
    warraq run -q -j 2 --engine slurm "$FIX" "$T/killed"
check "outputs identical after the rerun" same_outputs "$T/local" "$T/killed"

# the driver killed (kill -9) while its jobs run: they go on; the same
# command waits for them, then submits what is left
warraq run -q -j 2 --engine slurm "$FIX" "$T/k9" >/dev/null 2>&1 &
pid=$!
within 120 submitted "$T/k9"
sleep 2
kill -9 $pid
wait $pid 2>/dev/null
warraq run -q -j 2 --engine slurm "$FIX" "$T/k9" >"$T/out" 2>&1
st=$?
checkx "driver killed: the same command waits for its jobs and finishes" \
    '[ $st -eq 0 ] && grep -q "of an earlier run are still queued or running" "$T/out"'
check "outputs identical after the driver was killed" same_outputs "$T/local" "$T/k9"

# a page that fails its stage fails alone, named with its Slurm job and
# the stage's own reason; its task succeeds, the others go on
make_batch "$T/scans" 3
WARRAQ_FAULT="deskew:p02/0001:fail,clean:p03/0001:crash" \
    warraq run -q --engine slurm --stages deskew,clean "$T/scans" "$T/fault" >"$T/out" 2>&1
st=$?
dj=$(jq -r '.jobs[] | select(.stage == "deskew") | .job' "$T/fault/slurm.json")
checkx "a failed page: exit 1, named with its Slurm job and reason" \
    '[ $st -eq 1 ] && grep -q "deskew p02/0001 failed (Slurm job ${dj}_1): injected failure" "$T/out"'
checkx "a crash is recorded as locally" \
    'grep -q "signal 11" "$T/fault/clean/p03/0001.error"'
checkx "the other pages complete" \
    '[ -f "$T/fault/clean/p01/0001.json" ] && [ ! -e "$T/fault/clean/p02/0001.json" ]'

# a task that dies under Slurm (its warraq killed): its page is recorded
# failed with the Slurm job, Slurm cancels the task after it; the same
# command again finishes the batch
WARRAQ_FAULT="deskew:p02/0001:hang" warraq run -q --timeout 60 --engine slurm \
    --stages deskew,clean "$T/scans" "$T/dead" >"$T/out" 2>&1 &
pid=$!
# hung: $c, the deskew process that hangs on p02
hung() { c=$(pgrep -f "warraq-deskew .*$T/dead p02/0001" | head -n 1); [ -n "$c" ]; }
within 120 hung && kill -9 "$(ps -o ppid= -p "$c" | tr -d ' ')"
wait $pid
st=$?
checkx "a task that died: its page failed, with the Slurm job" \
    '[ $st -eq 1 ] && grep -q "Slurm job [0-9]*_1 ended FAILED before it was done" "$T/dead/deskew/p02/0001.error"'
checkx "the task that depended on it cancelled" \
    'warraq status "$T/dead" | grep -Eq "^  clean +job [0-9]+ +3 tasks: .*1 CANCELLED"'
check "the same command again finishes that batch" \
    warraq run -q --engine slurm --stages deskew,clean "$T/scans" "$T/dead"

# warraq cancel, and Ctrl-C: what the run submitted is cancelled
warraq run -q --engine slurm "$FIX" "$T/cancel" >"$T/out" 2>&1 &
pid=$!
within 120 submitted "$T/cancel"
sleep 1
warraq cancel "$T/cancel" >"$T/cout" 2>&1
cst=$?
wait $pid
st=$?
checkx "warraq cancel cancels the batch's jobs" \
    '[ $cst -eq 0 ] && grep -q "cancelled Slurm jobs" "$T/cout" && [ $st -eq 1 ]'
checkx "nothing of it left in the queue" \
    '[ -z "$(squeue -h --me -t PD,R -o %i)" ]'
warraq run -q --engine slurm "$FIX" "$T/int" >"$T/out" 2>&1 &
pid=$!
within 120 submitted "$T/int"
sleep 1
kill -INT $pid
wait $pid
st=$?
sleep 1
checkx "Ctrl-C: exit 130, its jobs cancelled" \
    '[ $st -eq 130 ] && [ -z "$(squeue -h --me -t PD,R -o %i)" ]'
