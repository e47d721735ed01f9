#!/usr/bin/python3
"""Samples each thread's CPU use of a process once a second from /proc, until
the process exits, and prints one JSON line per thread name prefix:

  thread_cpu.py PID [OUT]
  {"thread": "loop-1", "max": 0.41, "median": 0.33, "cpu_s": 3.2, "runq_median": 0.2}

max/median: the thread's CPU seconds per wall second over each sample
(utime + stime deltas), which, unlike a loop's own busy figure, does not count
time spent runnable but waiting for a core; runq_median: that waiting, in
seconds per wall second (/proc/.../schedstat). Standard library only.
"""
import json
import os
import statistics
import sys
import time

TICK = os.sysconf("SC_CLK_TCK")


def read(pid):
    out = {}
    try:
        for tid in os.listdir("/proc/%d/task" % pid):
            try:
                with open("/proc/%d/task/%s/stat" % (pid, tid)) as f:
                    raw = f.read()
            except OSError:
                continue
            name = raw[raw.index("(") + 1:raw.rindex(")")]
            fields = raw[raw.rindex(")") + 2:].split()
            try:  # ns on a CPU, ns runnable but waiting for one (needs schedstats)
                with open("/proc/%d/task/%s/schedstat" % (pid, tid)) as f:
                    run_ns, wait_ns = (int(x) for x in f.read().split()[:2])
            except (OSError, ValueError):
                run_ns = wait_ns = 0
            out[(tid, name)] = ((int(fields[11]) + int(fields[12])) / TICK, wait_ns / 1e9)
    except OSError:
        return None
    return out


def main():
    pid = int(sys.argv[1])
    out = open(sys.argv[2], "w") if len(sys.argv) > 2 else sys.stdout
    samples = {}
    totals = {}
    waits = {}
    last, last_t = read(pid), time.monotonic()
    while last is not None:
        time.sleep(1.0)
        now, now_t = read(pid), time.monotonic()
        if now is None:
            break
        dt = now_t - last_t
        for key, (cpu, wait) in now.items():
            prev, prev_wait = last.get(key, (0.0, 0.0))
            samples.setdefault(key[1], []).append((cpu - prev) / dt)
            waits.setdefault(key[1], []).append((wait - prev_wait) / dt)
            totals[key[1]] = totals.get(key[1], 0.0) + cpu - prev
        last, last_t = now, now_t
    for name in sorted(samples):
        s = samples[name]
        out.write(json.dumps({"thread": name, "max": round(max(s), 3),
                              "median": round(statistics.median(s), 3),
                              "cpu_s": round(totals[name], 2),
                              "runq_median": round(statistics.median(waits[name]), 3)}) + "\n")


if __name__ == "__main__":
    main()
