# A real single-node Slurm cluster on localhost, for the tests of
# `warraq run --engine slurm`; sourced.
#   slurm_start DIR   munged, slurmctld and slurmd from the Debian packages,
#                     every file of theirs in DIR; exports SLURM_CONF; 1 and
#                     $slurm_why when it cannot (not root, packages missing)
#   slurm_stop DIR    cancels every job, stops the three daemons
# Nothing outside DIR is used: no systemd, no /etc/munge, /etc/slurm.

slurm_start() {
	d=$1
	slurm_why=
	if [ "$(id -u)" != 0 ]; then
		slurm_why="not root: slurmd must run as root"
		return 1
	fi
	for c in munged slurmctld slurmd sbatch squeue scancel sinfo; do
		command -v "$c" >/dev/null 2>&1 || {
			slurm_why="$c not installed (apt-get install munge slurmctld slurmd slurm-client)"
			return 1
		}
	done
	# munged wants its socket's folder and those above open to all
	mkdir -p "$d/state" "$d/spool" "$d/run" "$d/munge"
	chmod 755 "$d" "$d/run" "$(dirname "$d")"
	chmod 700 "$d/munge"
	dd if=/dev/urandom of="$d/munge/munge.key" bs=1024 count=1 2>/dev/null
	chmod 400 "$d/munge/munge.key"
	munged --key-file="$d/munge/munge.key" --socket="$d/run/munge.sock" \
	    --log-file="$d/munge/munged.log" --pid-file="$d/run/munged.pid" \
	    --seed-file="$d/munge/munged.seed" || {
		slurm_why="munged did not start: $(tail -n 1 "$d/munge/munged.log")"
		return 1
	}
	# ports of their own, so that a cluster of the machine's is left alone;
	# the cores the machine has (nproc would say 1 under OMP_THREAD_LIMIT)
	port=$((20000 + $$ % 5000 * 2))
	mem=$(awk '/^MemTotal/ { print int($2 / 2048) }' /proc/meminfo)
	cat >"$d/slurm.conf" <<-EOF
	ClusterName=warraqtest
	SlurmctldHost=localhost
	SlurmctldPort=$port
	SlurmdPort=$((port + 1))
	SlurmUser=root
	SlurmdUser=root
	AuthType=auth/munge
	CredType=cred/munge
	AuthInfo=socket=$d/run/munge.sock
	StateSaveLocation=$d/state
	SlurmdSpoolDir=$d/spool
	SlurmctldPidFile=$d/run/slurmctld.pid
	SlurmdPidFile=$d/run/slurmd.pid
	SlurmctldLogFile=$d/slurmctld.log
	SlurmdLogFile=$d/slurmd.log
	ProctrackType=proctrack/linuxproc
	TaskPlugin=task/none
	JobAcctGatherType=jobacct_gather/none
	AccountingStorageType=accounting_storage/none
	SelectType=select/cons_tres
	SelectTypeParameters=CR_Core
	SchedulerType=sched/backfill
	SchedulerParameters=sched_interval=1,bf_interval=1
	KillWait=2
	ReturnToService=2
	MpiDefault=none
	NodeName=localhost NodeAddr=127.0.0.1 CPUs=$(getconf _NPROCESSORS_ONLN) RealMemory=$mem State=UNKNOWN
	PartitionName=test Nodes=localhost Default=YES MaxTime=INFINITE State=UP
	EOF
	SLURM_CONF=$d/slurm.conf
	export SLURM_CONF
	slurmctld -c && slurmd -N localhost || {
		slurm_why="slurmctld or slurmd did not start: $(tail -n 2 "$d"/*.log | tr '\n' ' ')"
		slurm_stop "$d"
		return 1
	}
	i=0
	until sinfo -h -o %T 2>/dev/null | grep -q idle; do
		i=$((i + 1))
		if [ $i -gt 100 ]; then
			slurm_why="the node did not come up: $(sinfo -h 2>&1 | head -n 1)"
			slurm_stop "$d"
			return 1
		fi
		sleep 0.2
	done
}

slurm_stop() {
	d=$1
	if [ -f "$d/run/slurmctld.pid" ]; then
		scancel --user=root 2>/dev/null
		i=0
		while [ $i -lt 50 ] && squeue -h -t R,CG 2>/dev/null | grep -q .; do
			i=$((i + 1))
			sleep 0.2
		done
	fi
	for p in slurmd slurmctld munged; do
		[ -f "$d/run/$p.pid" ] || continue
		pid=$(cat "$d/run/$p.pid")
		kill "$pid" 2>/dev/null
		i=0
		while [ $i -lt 50 ] && kill -0 "$pid" 2>/dev/null; do
			i=$((i + 1))
			sleep 0.1
		done
		rm -f "$d/run/$p.pid"
	done
}
