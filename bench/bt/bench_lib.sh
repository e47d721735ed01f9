# Sourced by the bench/bt scripts: a scratch folder and the processes a bench
# starts (append their PIDs to `pids`), both gone when the script exits.
scratch=$(mktemp -d)
pids=()
cleanup() {
  # The callers run under set -e: a kill of a process that already exited
  # must not end the cleanup before the others are stopped and the scratch
  # folder (gigabytes) is gone.
  set +e
  # TERM first; whatever still runs 5 s later gets KILL (a libtorrent session
  # whose tracker is gone could take minutes to say "stopped", and seeders
  # were found still running half an hour after their bench).
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
  done
  rm -rf "$scratch"
}
trap cleanup EXIT
