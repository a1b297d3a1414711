#!/usr/bin/env bash
# A real one-node Slurm cluster on localhost (slurmctld + slurmd + munged), for the project's
# tests and benchmark — not for production, where the site's own cluster runs the job scripts.
#
#   deploy/slurm/local-cluster.sh start DIR   # writes DIR/slurm.conf, starts the daemons, waits for the node
#   deploy/slurm/local-cluster.sh stop DIR    # stops exactly the processes it started (and their jobs)
#
# After start: export SLURM_CONF=DIR/slurm.conf for every client command (sbatch, squeue, sinfo).
# Needs Debian's slurmctld slurmd slurm-client munge (nothing starts on install). As root.
set -euo pipefail
action="${1:-}"
dir="${2:-}"
[ -n "$action" ] && [ -n "$dir" ] || { echo "usage: $0 start|stop DIR" >&2; exit 64; }

pid_alive() {  # a PID that exists and is not a zombie (PID 1 here reaps zombies only every 1-2 s)
  local state
  state=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null || true)
  [ -n "$state" ] && [ "$state" != "Z" ]
}

stop() {
  local pidfile pid
  for pidfile in "$dir"/slurmd.pid "$dir"/slurmctld.pid "$dir"/munged.pid; do
    [ -f "$pidfile" ] || continue
    pid=$(cat "$pidfile")
    pid_alive "$pid" && kill -TERM "$pid" 2>/dev/null || true
  done
  for _ in $(seq 1 50); do
    local left=0
    for pidfile in "$dir"/slurmd.pid "$dir"/slurmctld.pid "$dir"/munged.pid; do
      [ -f "$pidfile" ] && pid_alive "$(cat "$pidfile")" && left=1
    done
    [ "$left" = 0 ] && break
    sleep 0.1
  done
  for pidfile in "$dir"/slurmd.pid "$dir"/slurmctld.pid "$dir"/munged.pid; do
    [ -f "$pidfile" ] && pid_alive "$(cat "$pidfile")" && kill -KILL "$(cat "$pidfile")" 2>/dev/null || true
    rm -f "$pidfile"
  done
  # slurmstepd and job processes outlive a killed slurmd: find them by our SLURM_CONF, never by name.
  # This script and its callers may carry the same SLURM_CONF: they are spared.
  local conf="$dir/slurm.conf" proc mine=" " walk=$$
  while [ -n "$walk" ] && [ "$walk" != 0 ]; do
    mine+="$walk "
    walk=$(awk '{print $4}' "/proc/$walk/stat" 2>/dev/null || true)
  done
  for proc in /proc/[0-9]*; do
    [[ "$mine" == *" ${proc#/proc/} "* ]] && continue
    if { tr '\0' '\n' < "$proc/environ"; } 2>/dev/null | grep -qxF "SLURM_CONF=$conf"; then
      kill -KILL "${proc#/proc/}" 2>/dev/null || true
    fi
  done
}

start() {
  mkdir -p "$dir"
  dir="$(cd "$dir" && pwd)"
  chmod 755 "$dir" "$(dirname "$dir")"  # munged refuses a socket folder others cannot enter
  for port in 6817 6818; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "port $port is in use: another Slurm runs here; stop it first" >&2
      exit 1
    fi
  done
  local host
  host=$(hostname -s)
  mkdir -p "$dir/state" "$dir/spool" "$dir/munge"
  chmod 700 "$dir/munge"
  [ -f "$dir/munge/munge.key" ] || mungekey --create --keyfile="$dir/munge/munge.key" >/dev/null 2>&1 \
    || head -c 1024 /dev/urandom > "$dir/munge/munge.key"
  chmod 600 "$dir/munge/munge.key"
  chmod 755 "$dir/munge"
  munged -F -f --socket="$dir/munge/munge.socket" --key-file="$dir/munge/munge.key" \
    --pid-file="$dir/munged.pid" --seed-file="$dir/munge/munge.seed" --log-file="$dir/munged.log" \
    < /dev/null > "$dir/munged.out" 2>&1 &
  echo $! > "$dir/munged.pid"
  for _ in $(seq 1 50); do [ -S "$dir/munge/munge.socket" ] && break; sleep 0.1; done
  [ -S "$dir/munge/munge.socket" ] || { echo "munged did not start: see $dir/munged.log" >&2; exit 1; }
  : > "$dir/plugstack.conf"
  local node
  node=$(slurmd -C | head -1 | sed "s/^NodeName=[^ ]*/NodeName=$host NodeAddr=127.0.0.1/")
  cat > "$dir/slurm.conf" <<EOF
ClusterName=portfolio-test
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$dir/munge/munge.socket
CredType=cred/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid.slurm
SlurmdPidFile=$dir/slurmd.pid.slurm
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
SchedulerParameters=batch_sched_delay=0
DependencyParameters=kill_invalid_depend
MinJobAge=4
MailProg=/bin/true
PlugStackConfig=$dir/plugstack.conf
ReturnToService=2
$node State=UNKNOWN
PartitionName=batch Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
  export SLURM_CONF="$dir/slurm.conf"
  slurmctld -D -f "$SLURM_CONF" < /dev/null > "$dir/slurmctld.out" 2>&1 &
  echo $! > "$dir/slurmctld.pid"
  slurmd -D -f "$SLURM_CONF" -N "$host" < /dev/null > "$dir/slurmd.out" 2>&1 &
  echo $! > "$dir/slurmd.pid"
  for _ in $(seq 1 100); do
    if sinfo -h -o '%t' 2>/dev/null | grep -qx 'idle'; then
      echo "slurm: node $host idle (SLURM_CONF=$SLURM_CONF)"
      return 0
    fi
    sleep 0.2
  done
  echo "slurm did not come up: see $dir/slurmctld.log and $dir/slurmd.log" >&2
  stop
  exit 1
}

case "$action" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop DIR" >&2; exit 64 ;;
esac
