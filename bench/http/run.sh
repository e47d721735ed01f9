#!/usr/bin/env bash
# bench/http/run.sh: tributary-cli against curl and aria2c, downloading one file
# from nginx over loopback, interleaved, each run sha256-verified. Run by hand;
# results go to docs/BENCHMARKS.md as ratios against the anchors of the same run.
#
#   SIZE_MB=1024 REPS=3 SCHEMES="http https" bench/http/run.sh [path/to/tributary-cli]
#
# Re-runs itself in a private network namespace (unshare -n: only loopback
# exists) when it can. Everything it starts is stopped by PID on exit.
set -euo pipefail

SIZE_MB=${SIZE_MB:-1024}
REPS=${REPS:-3}
SCHEMES=${SCHEMES:-"http https"}
CONNECTIONS=${CONNECTIONS:-8}
here=$(cd "$(dirname "$0")" && pwd)
cli=${1:-$here/../../build/app/cli/tributary-cli}
cli=$(cd "$(dirname "$cli")" && pwd)/$(basename "$cli")

if [ -z "${BENCH_IN_NETNS:-}" ] && [ "${BENCH_NETNS:-1}" = 1 ] && unshare -n true 2>/dev/null; then
  exec env BENCH_IN_NETNS=1 unshare -n bash -c 'ip link set lo up && exec "$0" "$@"' "$0" "$@"
fi

[ -x "$cli" ] || { echo "no tributary-cli at $cli (build first, or pass its path)" >&2; exit 2; }
for tool in nginx curl aria2c openssl sha256sum /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "missing: $tool" >&2; exit 2; }
done

scratch=$(mktemp -d)
nginx_pid=""
cleanup() {
  [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null && wait "$nginx_pid" 2>/dev/null
  rm -rf "$scratch"
}
trap cleanup EXIT

mkdir -p "$scratch/root" "$scratch/logs" "$scratch/out"
echo "== payload: ${SIZE_MB} MiB (seeded)" >&2
# An AES-CTR keystream: reproducible, incompressible, fast. head closing the
# pipe ends openssl with SIGPIPE, which is expected here.
(set +o pipefail
  openssl enc -aes-128-ctr -pass pass:tributary -nosalt -pbkdf2 </dev/zero 2>/dev/null |
    head -c $((SIZE_MB * 1024 * 1024)) >"$scratch/root/payload.bin")
want=$(sha256sum "$scratch/root/payload.bin" | cut -d' ' -f1)

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
  -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
  -keyout "$scratch/key.pem" -out "$scratch/cert.pem" 2>/dev/null

port_http=$((20000 + RANDOM % 20000))
port_https=$((port_http + 1))
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
  server { listen 127.0.0.1:$port_http; root $scratch/root; }
  server {
    listen 127.0.0.1:$port_https ssl;
    ssl_certificate $scratch/cert.pem; ssl_certificate_key $scratch/key.pem;
    ssl_protocols TLSv1.2 TLSv1.3;
    root $scratch/root;
  }
}
CONF
nginx -p "$scratch" -c "$scratch/nginx.conf" -g 'daemon off;' &
nginx_pid=$!
for _ in $(seq 100); do
  curl -s -o /dev/null "http://127.0.0.1:$port_http/" && break
  sleep 0.05
done

results="$scratch/runs.tsv"
: >"$results"
run_one() {  # label scheme command...
  local label=$1 scheme=$2
  shift 2
  rm -rf "$scratch/out" && mkdir -p "$scratch/out"
  sync
  sleep 2  # the VM returns freed page cache to its host: start every client equally cold
  /usr/bin/time -f "%e %U %S %M" -o "$scratch/time.txt" "$@" >/dev/null 2>"$scratch/err.txt" || {
    echo "$label $scheme FAILED: $(tail -1 "$scratch/err.txt")" >&2
    return
  }
  local got
  got=$(sha256sum "$scratch/out/payload.bin" | cut -d' ' -f1)
  read -r wall user sys rss <"$scratch/time.txt"
  local ok=1
  [ "$got" = "$want" ] || ok=0
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$label" "$scheme" "$wall" "$user" "$sys" "$rss" "$ok" >>"$results"
  echo "$label $scheme: ${wall}s user ${user}s sys ${sys}s rss ${rss}KB verified=$ok" >&2
}

for rep in $(seq "$REPS"); do
  for scheme in $SCHEMES; do
    port=$port_http
    [ "$scheme" = https ] && port=$port_https
    url="$scheme://127.0.0.1:$port/payload.bin"
    run_one curl "$scheme" curl -s --cacert "$scratch/cert.pem" -o "$scratch/out/payload.bin" "$url"
    run_one aria2c-x8 "$scheme" aria2c -q -x8 -s8 --ca-certificate="$scratch/cert.pem" \
      --allow-overwrite=true --file-allocation=none -d "$scratch/out" -o payload.bin "$url"
    run_one tributary-c$CONNECTIONS "$scheme" "$cli" get "$url" -d "$scratch/out" \
      -c "$CONNECTIONS" --ca-cert "$scratch/cert.pem" --quiet
  done
done

python3 - "$results" "$SIZE_MB" <<'PY'
import sys, statistics, collections
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
size_mb = int(sys.argv[2]); gib = size_mb / 1024
by = collections.defaultdict(list)
for label, scheme, wall, user, sys_, rss, ok in rows:
    if ok == "1":
        by[(scheme, label)].append((float(wall), float(user) + float(sys_), int(rss)))
for scheme in sorted({k[0] for k in by}):
    print(f"\n**{scheme}, {size_mb} MiB, best of runs (median in brackets)**\n")
    print("| client | runs ok | wall s | MB/s | CPU s/GiB | peak RSS MiB | throughput vs curl | vs aria2c -x8 |")
    print("|---|---|---|---|---|---|---|---|")
    best = {}
    for (s, label), runs in sorted(by.items()):
        if s == scheme:
            best[label] = min(r[0] for r in runs)
    for (s, label), runs in sorted(by.items()):
        if s != scheme:
            continue
        wall = min(r[0] for r in runs); med = statistics.median(r[0] for r in runs)
        cpu = statistics.median(r[1] for r in runs) / gib
        rss = max(r[2] for r in runs) / 1024
        mbps = size_mb * 1048576 / 1e6 / wall
        vs_curl = best.get("curl", float("nan")) / wall
        vs_aria = best.get("aria2c-x8", float("nan")) / wall
        print(f"| {label} | {len(runs)} | {wall:.2f} ({med:.2f}) | {mbps:.0f} | {cpu:.2f} | {rss:.1f} | {vs_curl:.2f}x | {vs_aria:.2f}x |")
PY
