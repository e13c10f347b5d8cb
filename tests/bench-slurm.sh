#!/bin/sh
# What the Slurm engine costs: the sample batch's wall time by the local
# engine and by --engine slurm (chunk 1 and chunk 5) on a single-node
# cluster started here (tests/slurm.sh), and what Slurm adds a task: the
# turnaround of an array of empty tasks, and of one job after another.
#   sh tests/bench-slurm.sh BUILD_DIR      (as root; about 3 minutes)
set -u
cd "$(dirname "$0")/.."
WARRAQ_BIN=$(cd "${1:-build}/bin" && pwd)
TOP=$(pwd)
export WARRAQ_BIN TOP
. tests/lib.sh
. tests/slurm.sh

slurm_start "$T/cluster" || { echo "bench-slurm: $slurm_why" >&2; exit 1; }
trap 'slurm_stop "$T/cluster"; rm -rf "$T"' EXIT
cpus=$(getconf _NPROCESSORS_ONLN)

now() { date +%s.%N; }
since() { echo "$1 $(now)" | awk '{ printf "%.2f", $2 - $1 }'; }
# until_done JOB: waits until the job has no task queued or running
until_done() {
	while squeue -h -j "$1" -t PD,R,CG,CF 2>/dev/null | grep -q .; do
		sleep 0.05
	done
}

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
t0=$(now)
warraq run -q -j "$cpus" "$FIX" "$T/local" >/dev/null 2>&1
echo "sample batch, local engine -j $cpus:       $(since "$t0") s"
for chunk in 1 5; do
	t0=$(now)
	warraq run -q -j "$cpus" -o chunk=$chunk --engine slurm "$FIX" "$T/s$chunk" \
	    >/dev/null 2>&1
	n=$(jq '[.jobs[].tasks] | add' "$T/s$chunk/slurm.json")
	echo "sample batch, slurm engine chunk $chunk:      $(since "$t0") s ($n tasks)"
done

printf '#!/bin/sh\nexec "$@"\n' >"$T/task.sh"
n=20
t0=$(now)
j=$(sbatch --parsable -o /dev/null --array=0-$((n - 1)) "$T/task.sh" true)
until_done "$j"
t=$(since "$t0")
echo "$n empty tasks on $cpus CPUs:             $t s ($(echo "$t $cpus $n" |
    awk '{ printf "%.2f", $1 * $2 / $3 }') s a task and CPU)"
t0=$(now)
prev=
for i in 1 2 3 4 5; do
	prev=$(sbatch --parsable -o /dev/null ${prev:+--dependency=afterany:$prev} \
	    "$T/task.sh" true)
done
until_done "$prev"
t=$(since "$t0")
echo "5 empty jobs, each after the one before: $t s ($(echo "$t" |
    awk '{ printf "%.2f", $1 / 5 }') s a step)"
t0=$(now)
SLURM_ARRAY_TASK_ID=0 warraq slurm-task ocr "$T/s1" >"$T/out" 2>&1 ||
    { echo "bench-slurm: slurm-task failed: $(cat "$T/out")" >&2; exit 1; }
echo "warraq slurm-task with nothing to do:    $(since "$t0") s"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
