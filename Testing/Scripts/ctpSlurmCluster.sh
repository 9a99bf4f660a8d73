#!/usr/bin/env bash
# Integration test (label "cluster"): `ctprep batch --shard K/N` as a Slurm job array on a one-node
# Slurm cluster started here on localhost (Debian's slurmctld, slurmd and munge), then --merge.
#   ctpSlurmCluster.sh CTPREP WORK_DIR
# Exit 0 pass, 1 fail, 77 skip (not root, or Slurm/munge not installed).
set -euo pipefail
ctprep=$1
work=$2
for tool in slurmctld slurmd sbatch sinfo munged; do
  command -v "$tool" >/dev/null || { echo "SKIPPED: $tool not installed (apt-get install slurmctld slurmd slurm-client munge)"; exit 77; }
done
[ "$(id -u)" -eq 0 ] || { echo "SKIPPED: starting slurmd needs root"; exit 77; }

rm -rf "$work"
mkdir -p "$work"/{state,spool,log,cohort}
node=$(hostname -s)
cpus=$(nproc)
export SLURM_CONF=$work/slurm.conf
cat >"$SLURM_CONF" <<CONF
ClusterName=ctprep-test
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=16817
SlurmdPort=16818
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/log/slurmctld.log
SlurmdLogFile=$work/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SwitchType=switch/none
MpiDefault=none
ReturnToService=2
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
NodeName=$node NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=2000 State=UNKNOWN
PartitionName=test Nodes=$node Default=YES MaxTime=INFINITE State=UP
CONF

cleanup() {
  [ -f "$work/slurmd.pid" ] && kill "$(cat "$work/slurmd.pid")" 2>/dev/null || true
  [ -f "$work/slurmctld.pid" ] && kill "$(cat "$work/slurmctld.pid")" 2>/dev/null || true
}
trap cleanup EXIT

# munge: the key and the daemon (shared with a munged that already works).
munge_works() { munge -n 2>/dev/null | unmunge >/dev/null 2>&1; }
if ! munge_works; then
  if [ ! -s /etc/munge/munge.key ]; then
    mkdir -p /etc/munge
    dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none
    chmod 400 /etc/munge/munge.key
    chown munge:munge /etc/munge/munge.key 2>/dev/null || true
  fi
  mkdir -p /run/munge /var/log/munge /var/lib/munge
  chown munge:munge /run/munge /var/log/munge /var/lib/munge 2>/dev/null || true
  pkill -x munged 2>/dev/null || true # a munged that does not answer (stale socket, exiting)
  for _ in $(seq 50); do pgrep -x munged >/dev/null || break; sleep 0.1; done
  if id munge >/dev/null 2>&1; then
    runuser -u munge -- munged || munged --force
  else
    munged --force
  fi
  for _ in $(seq 50); do munge_works && break; sleep 0.1; done
  munge_works || { echo "FAIL: munged does not answer"; exit 1; }
fi
slurmctld -c
slurmd -c
for _ in $(seq 100); do
  sinfo -h -o %t 2>/dev/null | grep -q idle && break
  sleep 0.2
done
sinfo -h -o %t | grep -q idle || { echo "FAIL: the Slurm node did not come up"; tail -n 5 "$work"/log/*.log; exit 1; }

# A small cohort: 6 phantoms, one empty case.
for i in $(seq 1 6); do
  "$ctprep" phantom "$work/tmp$i" --matrix 48 --slices 12 --slice-spacing 12 --seed "$i" --verbosity error
  mv "$work/tmp$i/dicom" "$work/cohort/case$i"
  rm -rf "$work/tmp$i"
done
mkdir -p "$work/cohort/empty"

cat >"$work/job.sh" <<JOB
#!/usr/bin/env bash
#SBATCH --job-name=ctprep
#SBATCH --array=1-3
#SBATCH --cpus-per-task=1
#SBATCH --output=$work/log/job-%a.out
"$ctprep" batch "$work/cohort" -o "$work/out" --shard \${SLURM_ARRAY_TASK_ID}/3 -j 1 --spacing 4 --no-render --verbosity warning
# 7: the empty case failed, as it must; anything else is an error of the job
code=\$?
[ \$code -eq 0 ] || [ \$code -eq 7 ] || [ \$code -eq 8 ]
JOB
sbatch --wait --quiet "$work/job.sh"
"$ctprep" batch --merge -o "$work/out" --verbosity warning || [ $? -eq 7 ]

expected=$(printf 'case%s\n' 1 2 3 4 5 6; echo empty)
got=$(tail -n +2 "$work/out/manifest.csv" | cut -d, -f1 | sort)
if [ "$(echo "$expected" | sort)" != "$got" ]; then
  echo "FAIL: merged manifest holds"; echo "$got"; exit 1
fi
for k in 1 2 3; do
  [ -f "$work/out/manifest-shard-$k-of-3.json" ] || { echo "FAIL: shard $k did not run"; exit 1; }
done
ok=$(grep -c ',ok,' "$work/out/manifest.csv" || true)
[ "$ok" -eq 6 ] || { echo "FAIL: $ok cases ok, expected 6"; cat "$work/out/manifest.csv"; exit 1; }
echo "Slurm job array: 3 shards, 7 cases each exactly once, 6 ok, 1 failed as it must"
