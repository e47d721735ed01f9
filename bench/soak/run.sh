#!/usr/bin/env bash
# bench/soak/run.sh: constant churn (add, pause, resume, remove, engine
# restart) through tributary-soak against a local nginx and a
# python3-libtorrent seeder, the driver's RSS written every 10 s to a TSV,
# then the verdict: the RSS at the end within 10% of its value after the
# first minute. Run by hand; figures go to docs/BENCHMARKS.md.
#
#   SOAK_SECONDS=600 RESTART_EVERY=30 SOAK_SEED=1 OUT=soak.tsv \
#     bench/soak/run.sh [path/to/tributary-soak]
#
# Exit status: 0 within 10%, 1 outside, 2 could not run. Everything it starts
# is stopped by PID on exit.
set -euo pipefail

SOAK_SECONDS=${SOAK_SECONDS:-600}
RESTART_EVERY=${RESTART_EVERY:-30}
SOAK_SEED=${SOAK_SEED:-1}
SAMPLE_EVERY=10
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
driver=${1:-$root/build/bench/soak/tributary-soak}
OUT=${OUT:-$PWD/soak-rss.tsv}

[ -x "$driver" ] || { echo "no tributary-soak at $driver (build it, or pass its path)" >&2; exit 2; }
[ "$SOAK_SECONDS" -ge 180 ] || { echo "SOAK_SECONDS must be at least 180 (the reference is the second minute)" >&2; exit 2; }
for tool in nginx mktorrent openssl curl /usr/bin/python3; do
  command -v "$tool" >/dev/null || { echo "missing: $tool" >&2; exit 2; }
done
/usr/bin/python3 -c 'import libtorrent' 2>/dev/null || { echo "missing: python3-libtorrent" >&2; exit 2; }

scratch=$(mktemp -d)
pids=()
cleanup() {
  set +e
  exec 3>&- 2>/dev/null  # the seeder exits when its stdin closes
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
  done
  rm -rf "$scratch"
}
trap cleanup EXIT

# Reproducible, incompressible payloads (AES-CTR keystream); head closing the
# pipe ends openssl with SIGPIPE, which is expected.
payload() {  # bytes file
  (set +o pipefail
    openssl enc -aes-128-ctr -pass "pass:soak$2" -nosalt -pbkdf2 </dev/zero 2>/dev/null |
      head -c "$1" >"$2")
}
mkdir -p "$scratch/www" "$scratch/seed/content" "$scratch/logs" "$scratch/work"
payload $((24 * 1024 * 1024)) "$scratch/www/file.bin"
payload $((12 * 1024 * 1024)) "$scratch/seed/content/a.bin"
payload $((5 * 1024 * 1024 + 777)) "$scratch/seed/content/b.bin"
mktorrent -a http://127.0.0.1:9/announce -l 18 -o "$scratch/t.torrent" "$scratch/seed/content" >/dev/null

port=$((20000 + RANDOM % 20000))
user_line=""
[ "$(id -u)" -eq 0 ] && user_line="user root;"
cat >"$scratch/nginx.conf" <<CONF
$user_line
worker_processes 1;
pid $scratch/nginx.pid;
error_log $scratch/logs/error.log;
events {}
http {
  access_log off;
  client_body_temp_path $scratch; proxy_temp_path $scratch; fastcgi_temp_path $scratch;
  uwsgi_temp_path $scratch; scgi_temp_path $scratch;
  server { listen 127.0.0.1:$port; root $scratch/www; }
}
CONF
nginx -p "$scratch" -c "$scratch/nginx.conf" -g 'daemon off;' &
pids+=($!)
for _ in $(seq 100); do
  curl -s -o /dev/null "http://127.0.0.1:$port/" && break
  sleep 0.05
done

mkfifo "$scratch/seeder.in"
/usr/bin/python3 "$root/tests/support/scripts/lt_peer.py" --torrent "$scratch/t.torrent" \
  --dir "$scratch/seed" --seed-mode <"$scratch/seeder.in" >"$scratch/seeder.out" 2>&1 &
pids+=($!)
exec 3>"$scratch/seeder.in"
seed_port=""
for _ in $(seq 100); do
  seed_port=$(sed -n 's/^LISTENING \([0-9]*\)$/\1/p' "$scratch/seeder.out")
  [ -n "$seed_port" ] && break
  sleep 0.1
done
[ -n "$seed_port" ] || { echo "the seeder did not start: $(cat "$scratch/seeder.out")" >&2; exit 2; }

echo "== ${SOAK_SECONDS}s of churn, engine restarted every ${RESTART_EVERY}s, seed $SOAK_SEED" >&2
"$driver" --dir "$scratch/work" --http "http://127.0.0.1:$port/file.bin" \
  --torrent "$scratch/t.torrent" --peer "127.0.0.1:$seed_port" \
  --seconds "$SOAK_SECONDS" --restart-every "$RESTART_EVERY" --seed "$SOAK_SEED" \
  2>"$scratch/driver.err" &
driver_pid=$!
pids+=("$driver_pid")

printf 'seconds\trss_kib\n' >"$OUT"
start=$(date +%s)
next=$SAMPLE_EVERY
while kill -0 "$driver_pid" 2>/dev/null; do
  sleep 1
  now=$(($(date +%s) - start))
  [ "$now" -ge "$next" ] || continue
  rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$driver_pid/status" 2>/dev/null || true)
  [ -n "$rss" ] && printf '%s\t%s\n' "$now" "$rss" >>"$OUT"
  next=$((next + SAMPLE_EVERY))
done
status=0
wait "$driver_pid" || status=$?
tail -n 3 "$scratch/driver.err" >&2
[ "$status" -eq 0 ] || { echo "tributary-soak exited with $status" >&2; cat "$scratch/driver.err" >&2; exit 2; }

# One sample swings by +-5% with the allocator's arenas, so both ends are
# means over a minute: the reference is the minute after the first (samples
# at 60 s to 120 s), the end the last minute.
awk -F'\t' -v total="$SOAK_SECONDS" 'NR > 1 {
    if ($1 >= 60 && $1 < 120) { ref += $2; nref++ }
    if ($1 > total - 60) { end += $2; nend++ }
    if ($1 >= 60 && $1 < 70) first = $2
    if ($2 > peak) peak = $2
    last = $2
  }
  END {
    if (nref == 0 || nend == 0) { print "too few samples"; exit 2 }
    ref /= nref; end /= nend
    change = (end - ref) * 100.0 / ref
    verdict = (change <= 10 && change >= -10) ? "PASS" : "FAIL"
    printf "RSS 60-120 s: %.0f KiB (mean of %d); last minute: %.0f KiB (mean of %d); change %+.1f%%\n",
      ref, nref, end, nend, change
    printf "single samples: %d KiB at 60 s, %d KiB at the end; peak %d KiB\n", first, last, peak
    printf "verdict: %s (RSS at the end within 10%% of its value after the first minute)\n", verdict
    exit verdict == "PASS" ? 0 : 1
  }' "$OUT"
