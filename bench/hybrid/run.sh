#!/usr/bin/env bash
# bench/hybrid/run.sh: issue 7's acceptance. One torrent (SIZE_MB, one file)
# fed by a python3-libtorrent swarm and an nginx web seed on loopback at once,
# against each kind alone, interleaved, every run sha256-verified:
#
#   ws-alone      web seed only (unlimited)            the reference for ...
#   slow-swarm    swarm limited to RATE + web seed     ... this: within 1.2x
#   swarm-alone   swarm only (unlimited)               the reference for ...
#   slow-ws       swarm + web seed limited to RATE     ... this: within 1.2x
#   both-p2p      swarm + web seed, both unlimited, --prefer p2p: the CDN
#                 bytes a fast swarm leaves to a mirror (should be ~0)
#
#   SIZE_MB=512 REPS=3 bench/hybrid/run.sh [path/to/tributary-cli]
#
# The swarm is one libtorrent seeder per case (announced on its own
# opentracker, so a run sees only the seeder it should); the web seed is given
# with --mirror (a BEP 19 web seed of the torrent). Re-runs itself in a
# private network namespace when it can. Everything it starts is stopped by
# PID on exit.
set -euo pipefail

SIZE_MB=${SIZE_MB:-512}
REPS=${REPS:-3}
RATE=${RATE:-5242880}  # 5 MiB/s
here=$(cd "$(dirname "$0")" && pwd)
cli=${1:-$here/../../build/app/cli/tributary-cli}
cli=$(cd "$(dirname "$cli")" && pwd)/$(basename "$cli")
lt_client=$here/../bt/lt_client.py

if [ -z "${BENCH_IN_NETNS:-}" ] && [ "${BENCH_NETNS:-1}" = 1 ] && unshare -n true 2>/dev/null; then
  exec env BENCH_IN_NETNS=1 unshare -n bash -c 'ip link set lo up && exec "$0" "$@"' "$0" "$@"
fi

[ -x "$cli" ] || { echo "no tributary-cli at $cli (build first, or pass its path)" >&2; exit 2; }
for tool in opentracker nginx mktorrent openssl sha256sum curl /usr/bin/time /usr/bin/python3; do
  command -v "$tool" >/dev/null || { echo "missing: $tool" >&2; exit 2; }
done

# shellcheck source=bench/bt/bench_lib.sh
. "$here/../bt/bench_lib.sh"

echo "== payload: ${SIZE_MB} MiB, one file" >&2
mkdir -p "$scratch/seed/www" "$scratch/logs"
(set +o pipefail
  openssl enc -aes-128-ctr -pass pass:tributary -nosalt -pbkdf2 </dev/zero 2>/dev/null |
    head -c $((SIZE_MB * 1024 * 1024)) >"$scratch/seed/www/payload.bin")
want=$(sha256sum "$scratch/seed/www/payload.bin" | cut -d' ' -f1)

base_port=$((20000 + RANDOM % 20000))
tracker_slow=$base_port tracker_fast=$((base_port + 1)) tracker_none=$((base_port + 2))
seed_slow=$((base_port + 3)) seed_fast=$((base_port + 4))
http_fast=$((base_port + 5)) http_slow=$((base_port + 6))
# Same info dictionary (hence info-hash) in all three; only the announce URL differs.
for which in slow fast none; do
  port_var=tracker_$which
  mktorrent -l 20 -a "http://127.0.0.1:${!port_var}/announce" -o "$scratch/$which.torrent" \
    "$scratch/seed/www/payload.bin" >/dev/null
done
hash=$(/usr/bin/python3 -c "import sys, libtorrent as lt; print(lt.torrent_info(sys.argv[1]).info_hash())" \
  "$scratch/fast.torrent")
for which in slow fast; do
  port_var=tracker_$which
  mkdir -p "$scratch/tracker-$which"
  echo "$hash" >"$scratch/tracker-$which/whitelist.txt"
  printf 'access.whitelist whitelist.txt\ntracker.rootdir %s\n' "$scratch/tracker-$which" \
    >"$scratch/tracker-$which/ot.conf"
  opentracker -i 127.0.0.1 -p "${!port_var}" -P "${!port_var}" -f "$scratch/tracker-$which/ot.conf" \
    >/dev/null 2>&1 &
  pids+=($!)
done

/usr/bin/python3 "$lt_client" seed --torrent "$scratch/slow.torrent" --data "$scratch/seed/www" \
  --port "$seed_slow" --upload-limit "$RATE" --ready-file "$scratch/slow.ready" \
  >"$scratch/logs/seed-slow.log" 2>&1 &
pids+=($!)
/usr/bin/python3 "$lt_client" seed --torrent "$scratch/fast.torrent" --data "$scratch/seed/www" \
  --port "$seed_fast" --ready-file "$scratch/fast.ready" >"$scratch/logs/seed-fast.log" 2>&1 &
pids+=($!)

user_line=""
[ "$(id -u)" -eq 0 ] && user_line="user root;"
cat >"$scratch/nginx.conf" <<CONF
$user_line
worker_processes 1;
pid $scratch/nginx.pid;
error_log $scratch/logs/error.log;
events {}
http {
  access_log $scratch/logs/access.log;
  client_body_temp_path $scratch; proxy_temp_path $scratch; fastcgi_temp_path $scratch;
  uwsgi_temp_path $scratch; scgi_temp_path $scratch;
  sendfile on;
  server { listen 127.0.0.1:$http_fast; root $scratch/seed/www; }
  # One connection per web seed, so the per-request limit is the seed's rate.
  # sendfile_max_chunk: without it nginx sends a second's worth in one burst
  # (or far more, at a new request), and the "slow" seed is not.
  server { listen 127.0.0.1:$http_slow; root $scratch/seed/www; limit_rate $RATE; sendfile_max_chunk 16k; }
}
CONF
nginx -p "$scratch" -c "$scratch/nginx.conf" -g 'daemon off;' &
pids+=($!)
for _ in $(seq 600); do
  [ -f "$scratch/slow.ready" ] && [ -f "$scratch/fast.ready" ] &&
    curl -s -o /dev/null "http://127.0.0.1:$http_fast/" && break
  sleep 0.1
done
[ -f "$scratch/slow.ready" ] && [ -f "$scratch/fast.ready" ] || { echo "seeders not ready" >&2; exit 1; }
echo "== seeders and web seeds ready" >&2

results="$scratch/runs.tsv"
: >"$results"
run_one() {  # label torrent [extra args...]
  local label=$1 torrent=$2
  shift 2
  rm -rf "$scratch/out" && mkdir -p "$scratch/out"
  sync
  sleep 1
  /usr/bin/time -f "%e %U %S %M" -o "$scratch/time.txt" \
    "$cli" get "$scratch/$torrent.torrent" -d "$scratch/out" --json --no-dht --no-lsd --no-pex "$@" \
    >"$scratch/json.txt" 2>"$scratch/err.txt" || {
    echo "$label FAILED: $(tail -1 "$scratch/err.txt")" >&2
    return
  }
  local got ok=1
  got=$(sha256sum "$scratch/out/payload.bin" | cut -d' ' -f1)
  [ "$got" = "$want" ] || ok=0
  read -r wall user sys _rss <"$scratch/time.txt"
  # The last progress line's traffic by kind.
  read -r bt cdn < <(python3 - "$scratch/json.txt" <<'PY'
import json, sys
bt = cdn = 0
for line in open(sys.argv[1]):
    try:
        o = json.loads(line)
    except ValueError:
        continue
    t = o.get("traffic")
    if isinstance(t, dict):
        bt, cdn = t.get("bt", bt), t.get("cdn", cdn)
print(bt, cdn)
PY
)
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$label" "$wall" "$user" "$sys" "$bt" "$cdn" "$ok" >>"$results"
  echo "$label: ${wall}s user ${user}s sys ${sys}s bt ${bt} cdn ${cdn} verified=$ok" >&2
}

ws_fast="http://127.0.0.1:$http_fast/payload.bin"
ws_slow="http://127.0.0.1:$http_slow/payload.bin"
for _ in $(seq "$REPS"); do
  run_one ws-alone none --mirror "$ws_fast"
  run_one slow-swarm slow --mirror "$ws_fast"
  run_one swarm-alone fast
  run_one slow-ws fast --mirror "$ws_slow"
  [ "${SKIP_P2P:-0}" = 1 ] || run_one both-p2p fast --mirror "$ws_fast" --prefer p2p
done

python3 - "$results" "$SIZE_MB" "$RATE" <<'PY'
import sys, statistics, collections
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
size_mb, rate = int(sys.argv[2]), int(sys.argv[3])
by = collections.defaultdict(list)
for label, wall, user, sys_, bt, cdn, ok in rows:
    if ok == "1":
        by[label].append((float(wall), int(bt), int(cdn)))
def med(label):
    return statistics.median(r[0] for r in by[label]) if by[label] else float("nan")
print(f"\n**Hybrid, {size_mb} MiB, one file; slow = {rate / 1048576:.0f} MiB/s; median of runs (best in brackets)**\n")
print("| case | runs ok | wall s | BT MiB | CDN MiB | vs its reference |")
print("|---|---|---|---|---|---|")
ref = {"slow-swarm": "ws-alone", "slow-ws": "swarm-alone", "both-p2p": "swarm-alone"}
for label in ["ws-alone", "slow-swarm", "swarm-alone", "slow-ws", "both-p2p"]:
    runs = by.get(label, [])
    if not runs:
        print(f"| {label} | 0 | - | - | - | - |")
        continue
    best = min(r[0] for r in runs)
    bt = statistics.median(r[1] for r in runs) / 1048576
    cdn = statistics.median(r[2] for r in runs) / 1048576
    vs = f"{med(label) / med(ref[label]):.2f}x" if label in ref else "(reference)"
    print(f"| {label} | {len(runs)} | {med(label):.2f} ({best:.2f}) | {bt:.1f} | {cdn:.1f} | {vs} |")
PY
