#!/usr/bin/env bash
# bench/bt/run.sh: tributary-cli against python3-libtorrent's own leecher and
# aria2c, downloading one multi-file torrent (4 files) from one local
# python3-libtorrent seeder over loopback TCP, peers found through a local
# opentracker. Interleaved runs, every file sha256-verified. Run by hand;
# results go to docs/BENCHMARKS.md as ratios against the anchors of the same run.
#
#   SIZE_MB=1024 REPS=3 bench/bt/run.sh [path/to/tributary-cli]
#
# ONLY=tributary runs just our client; WRAP="perf record -g -o /tmp/p.data --"
# runs it under a profiler (the timing then includes the wrapper).
# ALSO_OS_CACHE=1 adds a run of our client with --os-cache to every round.
#
# Re-runs itself in a private network namespace (unshare -n: only loopback
# exists) when it can. Everything it starts is stopped by PID on exit.
set -euo pipefail

SIZE_MB=${SIZE_MB:-1024}
REPS=${REPS:-3}
PIECE_LOG2=${PIECE_LOG2:-20}  # 1 MiB pieces, what libtorrent picks for 1 GiB
here=$(cd "$(dirname "$0")" && pwd)
cli=${1:-$here/../../build/app/cli/tributary-cli}
cli=$(cd "$(dirname "$cli")" && pwd)/$(basename "$cli")
# The same libtorrent seeder/leecher the anchor figures were measured with
# (high_performance_seed, loopback-only settings).
lt_client=$here/lt_client.py

if [ -z "${BENCH_IN_NETNS:-}" ] && [ "${BENCH_NETNS:-1}" = 1 ] && unshare -n true 2>/dev/null; then
  exec env BENCH_IN_NETNS=1 unshare -n bash -c 'ip link set lo up && exec "$0" "$@"' "$0" "$@"
fi

[ -x "$cli" ] || { echo "no tributary-cli at $cli (build first, or pass its path)" >&2; exit 2; }
for tool in opentracker aria2c mktorrent openssl sha256sum curl /usr/bin/time /usr/bin/python3; do
  command -v "$tool" >/dev/null || { echo "missing: $tool" >&2; exit 2; }
done

# shellcheck source=bench/bt/bench_lib.sh
. "$here/bench_lib.sh"

echo "== payload: ${SIZE_MB} MiB in 4 files (seeded)" >&2
mkdir -p "$scratch/seed/content" "$scratch/out"
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

port=$((20000 + RANDOM % 20000))
hash_file=$scratch/hash.txt
mktorrent -a "http://127.0.0.1:$port/announce" -l "$PIECE_LOG2" -o "$scratch/t.torrent" \
  "$scratch/seed/content" >/dev/null
/usr/bin/python3 -c "import sys, libtorrent as lt; print(lt.torrent_info(sys.argv[1]).info_hash())" \
  "$scratch/t.torrent" >"$hash_file"
mkdir -p "$scratch/tracker"
cp "$hash_file" "$scratch/tracker/whitelist.txt"
printf 'access.whitelist whitelist.txt\ntracker.rootdir %s\n' "$scratch/tracker" >"$scratch/tracker/ot.conf"
opentracker -i 127.0.0.1 -p "$port" -P "$port" -f "$scratch/tracker/ot.conf" >/dev/null 2>&1 &
pids+=($!)

# The seeder: started once, checks its data, announces.
seed_port=$((port + 1))
/usr/bin/python3 "$lt_client" seed --torrent "$scratch/t.torrent" --data "$scratch/seed" \
  --port "$seed_port" --ready-file "$scratch/seed.ready" >"$scratch/seeder.log" 2>&1 &
pids+=($!)
hash_q=$(python3 -c "import sys,binascii,urllib.parse;print(urllib.parse.quote(binascii.unhexlify(sys.argv[1])))" "$(cat "$hash_file")")
for _ in $(seq 600); do
  curl -s "http://127.0.0.1:$port/scrape?info_hash=$hash_q" | grep -q '8:completei1e' && break
  sleep 0.1
done
echo "== seeder ready on port $seed_port" >&2

results="$scratch/runs.tsv"
: >"$results"
run_one() {  # label command...
  local label=$1
  shift
  rm -rf "$scratch/out" && mkdir -p "$scratch/out"
  sync
  sleep 2  # the VM returns freed page cache to its host: start every client equally cold
  /usr/bin/time -f "%e %U %S %M" -o "$scratch/time.txt" "$@" >/dev/null 2>"$scratch/err.txt" </dev/null || {
    echo "$label FAILED: $(tail -1 "$scratch/err.txt")" >&2
    return
  }
  local ok=1
  (cd "$scratch/out" && sha256sum -c --quiet "$scratch/want.sha256" >/dev/null 2>&1) || ok=0
  read -r wall user sys rss <"$scratch/time.txt"
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$label" "$wall" "$user" "$sys" "$rss" "$ok" >>"$results"
  echo "$label: ${wall}s user ${user}s sys ${sys}s rss ${rss}KB verified=$ok" >&2
}

ONLY=${ONLY:-}
WRAP=${WRAP:-}
ALSO_OS_CACHE=${ALSO_OS_CACHE:-0}
for rep in $(seq "$REPS"); do
  if [ "$ALSO_OS_CACHE" = 1 ]; then
    # The same client writing through the page cache (--os-cache), to show
    # what bypassing it is worth in the same run.
    run_one tributary-os-cache "$cli" get "$scratch/t.torrent" -d "$scratch/out" --quiet --no-dht \
      --no-lsd --os-cache
  fi
  if [ -n "$ONLY" ]; then
    # shellcheck disable=SC2086 # WRAP is a command prefix, split on purpose
    run_one tributary $WRAP "$cli" get "$scratch/t.torrent" -d "$scratch/out" --quiet --no-dht --no-lsd
    continue
  fi
  run_one libtorrent /usr/bin/python3 "$lt_client" leech --torrent "$scratch/t.torrent" \
    --out "$scratch/out" --port $((port + 2))
  run_one aria2c aria2c -q --enable-dht=false --bt-enable-lpd=false --enable-peer-exchange=false \
    --seed-time=0 --file-allocation=none --bt-stop-timeout=0 -d "$scratch/out" "$scratch/t.torrent"
  run_one tributary "$cli" get "$scratch/t.torrent" -d "$scratch/out" --quiet --no-dht --no-lsd
done

python3 - "$results" "$SIZE_MB" <<'PY'
import sys, statistics, collections
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
size_mb = int(sys.argv[2]); gib = size_mb / 1024
by = collections.defaultdict(list)
for label, wall, user, sys_, rss, ok in rows:
    if ok == "1":
        by[label].append((float(wall), float(user), float(sys_), int(rss)))
best = {label: min(r[0] for r in runs) for label, runs in by.items()}
print(f"\n**BitTorrent, {size_mb} MiB in 4 files, one local libtorrent seeder, best of runs (median in brackets)**\n")
print("| client | runs ok | wall s | MB/s | CPU s/GiB (user + sys) | peak RSS MiB | time vs libtorrent | time vs aria2c |")
print("|---|---|---|---|---|---|---|---|")
for label, runs in sorted(by.items()):
    wall = min(r[0] for r in runs); med = statistics.median(r[0] for r in runs)
    user = statistics.median(r[1] for r in runs) / gib
    sys_ = statistics.median(r[2] for r in runs) / gib
    cpu = statistics.median(r[1] + r[2] for r in runs) / gib
    rss = max(r[3] for r in runs) / 1024
    mbps = size_mb * 1048576 / 1e6 / wall
    vs_lt = wall / best.get("libtorrent", float("nan"))
    vs_aria = wall / best.get("aria2c", float("nan"))
    print(f"| {label} | {len(runs)} | {wall:.2f} ({med:.2f}) | {mbps:.0f} | {cpu:.2f} ({user:.2f} + {sys_:.2f}) | {rss:.1f} | {vs_lt:.2f}x | {vs_aria:.2f}x |")
PY
