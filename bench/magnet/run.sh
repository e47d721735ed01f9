#!/usr/bin/env bash
# bench/magnet/run.sh: tributary-cli against python3-libtorrent's own leecher,
# both given only a magnet URI, on one swarm of python3-libtorrent sessions on
# loopback (issue 6's acceptance). Two cases, runs interleaved (the order
# flips every round), every file of every run sha256-verified:
#   tracker: the magnet has tr= to a local opentracker; DHT off in both clients.
#   dht:     the magnet has no tracker; both clients start from one node of a
#            12-node DHT (swarm.py), a node that does not hold the announce.
# Every run gets a torrent of its own (the same files, a fresh info-hash: the
# info dictionary's "source" names the run) and a listen port of its own, so
# no run meets what an earlier one left: a bootstrap node that already holds
# the announce, or a seeder still holding a connection to the last client on
# that port (libtorrent then drops the new one as a "duplicate peer-id"; that
# was the ~2 s outlier of session 5, see docs/BENCHMARKS.md).
# Times are from adding the magnet to having verified metadata and to having
# every piece verified: tributary-cli's "metadata" and "completed" --json
# lines, libtorrent's metadata_received and torrent_finished alerts.
# Run by hand; results go to docs/BENCHMARKS.md.
#
#   REPS=5 bench/magnet/run.sh [path/to/tributary-cli]
#
# SIZE_MB (64), FILES (4), PIECE_LOG2 (18: 256 KiB), NODES (12),
# CASES ("tracker dht"), NO_UTP=1 (TCP only, both clients and the swarm),
# LT_TICK_MS (libtorrent's tick_interval, default its own 500 ms),
# KEEP=DIR (keeps every run's output lines and logs there, and the seeder's
# log of its peer connects and disconnects).
#
# Re-runs itself in a private network namespace (unshare -n: only loopback
# exists) when it can. Everything it starts is stopped by PID on exit and on
# Ctrl-C; every wait has a deadline.
set -euo pipefail

SIZE_MB=${SIZE_MB:-64}
FILES=${FILES:-4}
REPS=${REPS:-5}
PIECE_LOG2=${PIECE_LOG2:-18}
NODES=${NODES:-12}
CASES=${CASES:-tracker dht}
NO_UTP=${NO_UTP:-0}
RUN_TIMEOUT=${RUN_TIMEOUT:-60}
LT_TICK_MS=${LT_TICK_MS:-}
here=$(cd "$(dirname "$0")" && pwd)
cli=${1:-$here/../../build/app/cli/tributary-cli}
cli=$(cd "$(dirname "$cli")" && pwd)/$(basename "$cli")

if [ -z "${BENCH_IN_NETNS:-}" ] && [ "${BENCH_NETNS:-1}" = 1 ] && unshare -n true 2>/dev/null; then
  exec env BENCH_IN_NETNS=1 unshare -n bash -c 'ip link set lo up && exec "$0" "$@"' "$0" "$@"
fi

[ -x "$cli" ] || { echo "no tributary-cli at $cli (build first, or pass its path)" >&2; exit 2; }
for tool in opentracker mktorrent openssl sha256sum timeout /usr/bin/python3; do
  command -v "$tool" >/dev/null || { echo "missing: $tool" >&2; exit 2; }
done

# shellcheck source=bench/bt/bench_lib.sh
. "$here/../bt/bench_lib.sh"
run_pid=""
stop_all() {
  # Neither a second Ctrl-C nor errexit may cut the cleanup short: kill fails
  # on a process that has already gone (the swarm leaves when its stdin
  # closes), wait returns the status of what it killed.
  trap '' INT TERM
  set +e
  # The run in progress first (timeout passes the TERM on to its command).
  if [ -n "$run_pid" ]; then
    kill "$run_pid" 2>/dev/null
    wait "$run_pid" 2>/dev/null
  fi
  exec 3>&-  # the swarm exits when its stdin closes (and is stopped by PID below)
  cleanup
}
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

deadline_wait() {  # seconds file pattern: wait until a line of file matches
  local end=$((SECONDS + $1))
  while [ "$SECONDS" -lt "$end" ]; do
    grep -q -- "$3" "$2" 2>/dev/null && return 0
    sleep 0.05
  done
  return 1
}

echo "== payload: ${SIZE_MB} MiB in $FILES files (seeded)" >&2
content=$scratch/seed/content
mkdir -p "$content"
total=$((SIZE_MB * 1024 * 1024))
(set +o pipefail
  openssl enc -aes-128-ctr -pass pass:tributary-magnet -nosalt -pbkdf2 </dev/zero 2>/dev/null |
    head -c "$total" >"$scratch/stream.bin")
# Unequal sizes, none a multiple of the piece size: pieces straddle files.
offset=0
for i in $(seq 0 $((FILES - 1))); do
  if [ "$i" -eq $((FILES - 1)) ]; then
    size=$((total - offset))
  else
    size=$((total / (2 << i) + 4321 * (i + 1)))
  fi
  dd if="$scratch/stream.bin" of="$content/file$i.bin" bs=1M iflag=skip_bytes,count_bytes \
    skip="$offset" count="$size" status=none
  offset=$((offset + size))
done
rm "$scratch/stream.bin"
(cd "$scratch/seed" && sha256sum content/* >"$scratch/want.sha256")

# One torrent per run, made before the tracker starts (its whitelist is read
# once): the same files, and a "source" in the info dictionary that names the
# run, so every run has an info-hash nobody has announced yet.
runs_per_rep=$((2 * $(wc -w <<<"$CASES")))
total_runs=$((REPS * runs_per_rep))
base_port=$((20000 + RANDOM % 20000))
tracker_port=$base_port
announce=http://127.0.0.1:$tracker_port/announce
echo "== $total_runs torrents (one per run)" >&2
for i in $(seq "$total_runs"); do
  mktorrent -a "$announce" -l "$PIECE_LOG2" -s "tributary-bench-run-$i" -o "$scratch/t$i.torrent" \
    "$content" >/dev/null
done
/usr/bin/python3 - "$scratch" "$total_runs" <<'PY' >"$scratch/hashes.txt"
import sys, libtorrent as lt
for i in range(1, int(sys.argv[2]) + 1):
    print(lt.torrent_info("%s/t%d.torrent" % (sys.argv[1], i)).info_hash())
PY
tr_q=$(/usr/bin/python3 -c "import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=''))" \
  "$announce")

mkdir -p "$scratch/tracker"
cp "$scratch/hashes.txt" "$scratch/tracker/whitelist.txt"
printf 'access.whitelist whitelist.txt\ntracker.rootdir %s\n' "$scratch/tracker" >"$scratch/tracker/ot.conf"
opentracker -i 127.0.0.1 -p "$tracker_port" -P "$tracker_port" -f "$scratch/tracker/ot.conf" \
  >/dev/null 2>&1 &
pids+=($!)

echo "== swarm: $NODES libtorrent DHT nodes, the last seeding" >&2
utp_flag=()
[ "$NO_UTP" = 1 ] && utp_flag=(--no-utp)
mkfifo "$scratch/swarm.in"
# --log-peers: the seeder's connects and disconnects go to swarm.err, where
# every run is checked for a "duplicate peer-id" drop.
/usr/bin/python3 "$here/swarm.py" --nodes "$NODES" --data "$scratch/seed" --log-peers \
  "${utp_flag[@]}" <"$scratch/swarm.in" >"$scratch/swarm.out" 2>"$scratch/swarm.err" &
pids+=($!)
exec 3>"$scratch/swarm.in"
if ! deadline_wait 60 "$scratch/swarm.out" '^\(READY\|ERROR\)'; then
  echo "the swarm did not get ready in 60 s" >&2
  cat "$scratch/swarm.out" "$scratch/swarm.err" >&2
  exit 1
fi
if grep -q '^ERROR' "$scratch/swarm.out"; then
  cat "$scratch/swarm.out" "$scratch/swarm.err" >&2
  exit 1
fi
cat "$scratch/swarm.out" >&2

swarm_ask() {  # prefix timeout command: sends command, prints the swarm's next line after it
  local before
  before=$(wc -l <"$scratch/swarm.out")
  echo "$3" >&3
  local end=$((SECONDS + $2))
  while [ "$SECONDS" -lt "$end" ]; do
    local line
    line=$(tail -n +$((before + 1)) "$scratch/swarm.out" | grep -m1 "^\($1\|ERROR\)" || true)
    if [ -n "$line" ]; then
      echo "$line"
      return
    fi
    sleep 0.05
  done
  echo "ERROR no answer to $3"
}

check_bootstrap() {  # port info-hash: what that node's get_peers answer lists now
  swarm_ask CHECK 10 "CHECK $1 $2" | cut -d' ' -f4-
}

results=$scratch/runs.tsv
: >"$results"
run_one() {  # case client run-number
  local case=$1 client=$2 run=$3 out=$scratch/out
  local seeding info_hash bootstrap
  seeding=$(swarm_ask SEEDING 90 "ADD $scratch/t$run.torrent")
  if [[ "$seeding" != SEEDING* ]]; then
    echo "run $run: the swarm could not seed its torrent: $seeding" >&2
    tail -5 "$scratch/swarm.err" >&2
    exit 1
  fi
  read -r _ info_hash _ bootstrap _ <<<"$seeding"
  # A listen port of its own (the tracker's is base_port).
  local port=$((base_port + run))
  local magnet dht_args=() lt_args=()
  if [ "$case" = tracker ]; then
    magnet="magnet:?xt=urn:btih:$info_hash&dn=content&tr=$tr_q"
    dht_args=(--no-dht)
  else
    magnet="magnet:?xt=urn:btih:$info_hash&dn=content"
    dht_args=(--dht-bootstrap "127.0.0.1:$bootstrap")
    lt_args=(--dht-bootstrap "$bootstrap")
  fi
  local before=""
  [ "$case" = dht ] && before=$(check_bootstrap "$bootstrap" "$info_hash")
  rm -rf "$out" && mkdir -p "$out"
  sync
  sleep 1  # settle: every client starts with the page cache as calm as the last
  local cmd
  if [ "$client" = tributary ]; then
    cmd=("$cli" get "$magnet" -d "$out" --json --listen-port "$port" --no-lsd "${dht_args[@]}")
    [ "$NO_UTP" = 1 ] && cmd+=(--no-utp)
  else
    cmd=(/usr/bin/python3 "$here/lt_leech.py" --magnet "$magnet" --out "$out" --port "$port"
      --timeout "$RUN_TIMEOUT" "${lt_args[@]}" "${utp_flag[@]}")
    [ -n "$LT_TICK_MS" ] && cmd+=(--tick-ms "$LT_TICK_MS")
  fi
  local start end status=0 log_lines
  log_lines=$(wc -l <"$scratch/swarm.err")
  start=$(date +%s.%N)
  timeout $((RUN_TIMEOUT + 10)) "${cmd[@]}" >"$scratch/run.out" 2>"$scratch/run.err" </dev/null &
  run_pid=$!
  wait "$run_pid" || status=$?
  run_pid=""
  end=$(date +%s.%N)
  sleep 0.1  # the seeder's last alerts of this run reach its log (polled every 10 ms)
  # The seeder dropped a connection of this run's client (the only one running)
  # because it still held one to the same address: the cause of session 5's
  # ~2 s outliers. (The alert names the connection's source port, not the
  # client's listen port, so every such drop during the run counts.)
  local dups
  dups=$(tail -n +$((log_lines + 1)) "$scratch/swarm.err" | grep -c "duplicate peer-id" || true)
  local drops=""
  [ "$dups" != 0 ] && drops=", the seeder dropped $dups connection(s) as duplicate peer-id"
  local ok=1
  (cd "$out" && sha256sum -c --quiet "$scratch/want.sha256" >/dev/null 2>&1) || ok=0
  [ "$status" = 0 ] || ok=0
  local metadata finished
  read -r metadata finished < <(/usr/bin/python3 - "$client" "$scratch/run.out" <<'PY'
import json, sys
client, path = sys.argv[1], sys.argv[2]
meta = done = None
for line in open(path, errors="replace"):
    try:
        obj = json.loads(line)
    except ValueError:
        continue
    if client == "tributary":
        if obj.get("type") == "metadata" and meta is None:
            meta = obj["elapsed"]
        elif obj.get("type") == "completed" and done is None:
            done = obj["elapsed"]
    else:
        meta, done = obj.get("metadata"), obj.get("finished")
fmt = lambda v: "-" if v is None else "%.6f" % v
print(fmt(meta), fmt(done))
PY
  )
  local wall
  wall=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }')
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$case" "$client" "$metadata" "$finished" "$wall" "$ok" \
    "${before:--}" "$dups" >>"$results"
  echo "$case $client (run $run, port $port): metadata ${metadata}s, complete ${finished}s," \
    "process ${wall}s, exit $status, verified=$ok${before:+, bootstrap node before: $before}$drops" >&2
  if [ "$ok" = 0 ]; then
    tail -3 "$scratch/run.err" >&2
  fi
  if [ -n "${KEEP:-}" ]; then
    mkdir -p "$KEEP"
    cp "$scratch/run.out" "$KEEP/$case.$client.$rep.out"
    cp "$scratch/run.err" "$KEEP/$case.$client.$rep.err"
    echo "run $run $case $client rep $rep port $port info-hash $info_hash started" \
      "$(date -u -d "@$start" +%H:%M:%S.%3N)" >>"$KEEP/runs.txt"
  fi
}

run=0
for rep in $(seq "$REPS"); do
  for case in $CASES; do
    if [ $((rep % 2)) = 1 ]; then
      run_one "$case" libtorrent $((run += 1))
      run_one "$case" tributary $((run += 1))
    else
      run_one "$case" tributary $((run += 1))
      run_one "$case" libtorrent $((run += 1))
    fi
  done
done
[ -n "${KEEP:-}" ] && cp "$results" "$scratch/swarm.out" "$scratch/swarm.err" "$KEEP/"

/usr/bin/python3 - "$results" "$SIZE_MB" "$FILES" "$NODES" "$NO_UTP" "$LT_TICK_MS" <<'PY'
import collections, statistics, sys
path, size_mb, files, nodes, no_utp, tick = sys.argv[1:7]
rows = [l.rstrip("\n").split("\t") for l in open(path) if l.strip()]
by = collections.defaultdict(lambda: {"meta": [], "done": [], "wall": [], "runs": 0, "ok": 0})
dirty = collections.Counter()
dropped = collections.Counter()
for case, client, meta, done, wall, ok, before, dups in rows:
    entry = by[(case, client)]
    entry["runs"] += 1
    if case == "dht" and before != "clean":
        dirty[client] += 1
    if dups != "0":
        dropped[client] += 1
    if ok != "1":
        continue
    entry["ok"] += 1
    if meta != "-":
        entry["meta"].append(float(meta))
    if done != "-":
        entry["done"].append(float(done))
    entry["wall"].append(float(wall))
med = lambda v: statistics.median(v) if v else float("nan")
transport = "TCP only" if no_utp == "1" else "TCP and uTP"
if tick:
    transport += f", libtorrent tick_interval {tick} ms"
print(f"\n**Magnet, {size_mb} MiB in {files} files, one libtorrent seeder in a {nodes}-node "
      f"libtorrent DHT, {transport}; median (min-max) seconds from adding the magnet**\n")
print("Every run: a torrent of its own (fresh info-hash) and a listen port of its own; dht runs start "
      "from a node that does not hold the announce.\n")
print("| case | client | runs ok | to metadata | to complete | process wall | metadata vs lt | complete vs lt |")
print("|---|---|---|---|---|---|---|---|")
for case in ("tracker", "dht"):
    lt = by.get((case, "libtorrent"))
    for client in ("libtorrent", "tributary"):
        e = by.get((case, client))
        if not e:
            continue
        span = lambda v: f"{med(v):.3f} ({min(v):.3f}-{max(v):.3f})" if v else "-"
        ratio = lambda k: (f"{med(e[k]) / med(lt[k]):.2f}x" if lt and lt[k] and e[k] else "-")
        print(f"| {case} | {client} | {e['ok']}/{e['runs']} | {span(e['meta'])} | {span(e['done'])} "
              f"| {span(e['wall'])} | {ratio('meta')} | {ratio('done')} |")
for client, n in dirty.items():
    print(f"\nWARNING: {n} {client} dht run(s) started while the bootstrap node listed peers")
for client, n in dropped.items():
    print(f"\nWARNING: in {n} {client} run(s) the seeder dropped a connection as a duplicate peer-id")
PY
