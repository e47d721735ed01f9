#!/usr/bin/env bash
# bench/bt/many_peers.sh: one tributary-cli downloading one torrent from many
# seeders at once (default 200, all on 127.0.0.1, run by seed_farm.py), to see
# whether one engine's loop threads keep up with that many peers while the
# worker pool hashes. Reads the per-loop busy fractions from the `--json`
# progress lines ("loops", EngineStats::loopBusy: the share of the last second
# each loop thread spent outside libuv's poll), peak peers, how far hashing
# fell behind the bytes received, wall time, CPU, peak RSS, and each thread's
# CPU per second from /proc (thread_cpu.py: busy without the time spent
# waiting for a core); verifies sha256. KEEP=DIR keeps the json lines.
# Run by hand; results go to docs/BENCHMARKS.md.
#
#   PEERS=200 SIZE_MB=1024 REPS=1 bench/bt/many_peers.sh [path/to/tributary-cli]
#
# RATE_PER_PEER (bytes/s, default 0 = unlimited) caps each seeder, e.g. 1M
# spreads a 200 MiB/s total over 200 peers. FARM_PROCS (default 1) forks the
# farm over that many Python processes. LT=1 also runs python3-libtorrent's
# leecher against the same farm, for context. Re-runs itself in a private
# network namespace (unshare -n) when it can; stops what it started by PID.
set -euo pipefail

PEERS=${PEERS:-200}
SIZE_MB=${SIZE_MB:-1024}
REPS=${REPS:-1}
PIECE_LOG2=${PIECE_LOG2:-20}  # 1 MiB pieces
RATE_PER_PEER=${RATE_PER_PEER:-0}
FARM_PROCS=${FARM_PROCS:-1}
LT=${LT:-0}
here=$(cd "$(dirname "$0")" && pwd)
cli=${1:-$here/../../build/app/cli/tributary-cli}
cli=$(cd "$(dirname "$cli")" && pwd)/$(basename "$cli")

if [ -z "${BENCH_IN_NETNS:-}" ] && [ "${BENCH_NETNS:-1}" = 1 ] && unshare -n true 2>/dev/null; then
  exec env BENCH_IN_NETNS=1 unshare -n bash -c 'ip link set lo up && exec "$0" "$@"' "$0" "$@"
fi

[ -x "$cli" ] || { echo "no tributary-cli at $cli (build first, or pass its path)" >&2; exit 2; }
for tool in mktorrent openssl sha256sum /usr/bin/time /usr/bin/python3; do
  command -v "$tool" >/dev/null || { echo "missing: $tool" >&2; exit 2; }
done
case $RATE_PER_PEER in
  *K) RATE_PER_PEER=$((${RATE_PER_PEER%K} * 1024)) ;;
  *M) RATE_PER_PEER=$((${RATE_PER_PEER%M} * 1024 * 1024)) ;;
esac

# shellcheck source=bench/bt/bench_lib.sh
. "$here/bench_lib.sh"

echo "== payload: ${SIZE_MB} MiB in 4 files" >&2
mkdir -p "$scratch/seed/content"
total=$((SIZE_MB * 1024 * 1024))
sizes=($((total / 2 + 12345)) $((total / 4 - 777)) $((total / 8 + 1)) 0)
sizes[3]=$((total - sizes[0] - sizes[1] - sizes[2]))
(set +o pipefail
  openssl enc -aes-128-ctr -pass pass:tributary -nosalt -pbkdf2 </dev/zero 2>/dev/null |
    head -c "$total" >"$scratch/stream.bin")
offset=0
for i in 0 1 2 3; do
  dd if="$scratch/stream.bin" of="$scratch/seed/content/file$i.bin" bs=1M iflag=skip_bytes,count_bytes \
    skip="$offset" count="${sizes[$i]}" status=none
  offset=$((offset + sizes[i]))
done
rm "$scratch/stream.bin"
(cd "$scratch/seed" && sha256sum content/* >"$scratch/want.sha256")
# No tracker: every peer comes from --peer. (mktorrent wants an announce URL;
# port 9 on loopback refuses at once and our client does not need it.)
mktorrent -a "http://127.0.0.1:9/announce" -l "$PIECE_LOG2" -o "$scratch/t.torrent" \
  "$scratch/seed/content" >/dev/null

/usr/bin/python3 "$here/seed_farm.py" --torrent "$scratch/t.torrent" --data "$scratch/seed" \
  --peers "$PEERS" --procs "$FARM_PROCS" --rate-per-peer "$RATE_PER_PEER" \
  --ports-file "$scratch/ports.txt" 2>"$scratch/farm.log" &
pids+=($!)
for _ in $(seq 300); do
  [ -f "$scratch/ports.txt" ] && break
  sleep 0.1
done
[ -f "$scratch/ports.txt" ] || { echo "the farm did not start: $(cat "$scratch/farm.log")" >&2; exit 1; }
peer_args=()
lt_peer_args=()
while read -r p; do
  peer_args+=(--peer "127.0.0.1:$p")
  lt_peer_args+=(--peer "$p")
done <"$scratch/ports.txt"
echo "== farm: $((${#lt_peer_args[@]} / 2)) seeders, rate per peer ${RATE_PER_PEER} B/s, $FARM_PROCS process(es)" >&2

results="$scratch/runs.tsv"
: >"$results"
run_one() {  # label json(0/1) command...
  local label=$1 json=$2
  shift 2
  rm -rf "$scratch/out" && mkdir -p "$scratch/out"
  sync
  sleep 2  # let the VM hand back freed page cache: every run starts equally cold
  local load
  load=$(cut -d' ' -f1 /proc/loadavg)
  /usr/bin/time -f "%e %U %S %M" -o "$scratch/time.txt" "$@" >"$scratch/stdout.txt" \
    2>"$scratch/err.txt" </dev/null &
  local tpid=$! cpid="" spid=""
  for _ in $(seq 100); do
    cpid=$(pgrep -P "$tpid" | head -1) && [ -n "$cpid" ] && break
    sleep 0.01
  done
  rm -f "$scratch/threads.json"
  if [ -n "$cpid" ]; then
    /usr/bin/python3 "$here/thread_cpu.py" "$cpid" "$scratch/threads.json" &
    spid=$!
  fi
  local rc=0
  wait "$tpid" || rc=$?
  [ -n "$spid" ] && wait "$spid"
  if [ "$rc" != 0 ]; then
    echo "$label FAILED: $(tail -3 "$scratch/err.txt")" >&2
    return
  fi
  [ -n "${KEEP:-}" ] && mkdir -p "$KEEP" && cp "$scratch/stdout.txt" "$KEEP/$label.$rep.jsonl" &&
    cp "$scratch/threads.json" "$KEEP/$label.$rep.threads.json" 2>/dev/null
  local ok=1
  (cd "$scratch/out" && sha256sum -c --quiet "$scratch/want.sha256" >/dev/null 2>&1) || ok=0
  read -r wall user sys rss <"$scratch/time.txt"
  local loops="-"
  if [ "$json" = 1 ]; then
    loops=$(/usr/bin/python3 - "$scratch/stdout.txt" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
prog = [r for r in rows if r.get("type") == "progress" and r.get("state") == "downloading"]
samples = [r["loops"] for r in prog if r.get("loops")]
n = max((len(s) for s in samples), default=0)
per = []
for i in range(n):
    col = [s[i] for s in samples if len(s) > i]
    per.append("L%d max %.2f med %.2f" % (i, max(col), statistics.median(col)))
peers = max((r.get("peers", 0) for r in prog), default=0)
lag = max((r["traffic"]["bt"] - r["verified"] for r in prog), default=0)
over = sum(1 for s in samples for b in s if b > 0.9)
print("%s; samples %d; >0.9: %d; peers max %d; hash lag max %.0f MiB"
      % (", ".join(per) or "no loop samples", len(samples), over, peers, lag / 1048576))
PY
)
  fi
  local cpu="-"
  if [ -f "$scratch/threads.json" ]; then
    cpu=$(/usr/bin/python3 -c '
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
keep = [r for r in rows if r["thread"].startswith(("loop-", "worker-"))]
print(", ".join("%s max %.2f med %.2f (%.1f s, runq med %.2f)"
                % (r["thread"], r["max"], r["median"], r["cpu_s"], r["runq_median"])
                for r in keep) or "-")' "$scratch/threads.json")
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$label" "$wall" "$user" "$sys" "$rss" "$ok" \
    "$load" "$loops" "$cpu" >>"$results"
  echo "$label: ${wall}s user ${user}s sys ${sys}s rss ${rss}KB verified=$ok load=$load | $loops | $cpu" >&2
}

for rep in $(seq "$REPS"); do
  run_one tributary 1 "$cli" get "$scratch/t.torrent" -d "$scratch/out" --json --no-dht --no-lsd \
    --no-pex --max-peers "$PEERS" "${peer_args[@]}"
  if [ "$LT" = 1 ]; then
    run_one libtorrent 0 /usr/bin/python3 "$here/lt_client.py" leech --torrent "$scratch/t.torrent" \
      --out "$scratch/out" --port 0 "${lt_peer_args[@]}"
  fi
done
echo "== farm: $(tr '\n' ' ' <"$scratch/farm.log")" >&2

python3 - "$results" "$SIZE_MB" "$PEERS" <<'PY'
import sys
size_mb, peers = int(sys.argv[2]), int(sys.argv[3]); gib = size_mb / 1024
print(f"\n**{size_mb} MiB in 4 files from {peers} local seeders**\n")
print("| client | verified | wall s | MB/s | CPU s/GiB | peak RSS MiB | load at start | loops busy (json) | thread CPU (/proc) |")
print("|---|---|---|---|---|---|---|---|---|")
for line in open(sys.argv[1]):
    label, wall, user, sys_, rss, ok, load, loops, cpu = line.rstrip("\n").split("\t")
    wall = float(wall); cpu_gib = (float(user) + float(sys_)) / gib
    print(f"| {label} | {'yes' if ok == '1' else 'NO'} | {wall:.2f} | {size_mb * 1048576 / 1e6 / wall:.0f} "
          f"| {cpu_gib:.2f} | {int(rss) / 1024:.1f} | {load} | {loops} | {cpu} |")
PY
