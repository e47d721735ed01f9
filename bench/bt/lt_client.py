#!/usr/bin/python3
# Vendored from the anchor benchmark harness (shared/anchor-bench/lib) so bench/bt stands alone.
"""libtorrent 2.0 (python bindings) seeder and leecher for the loopback benchmark.

  lt_client.py leech --torrent T --out DIR --port P [--timeout S] [--peer PORT]...
      Downloads T into DIR and exits 0 once every piece has been downloaded
      and hash-checked by libtorrent (torrent_finished / is_seeding).
      Default libtorrent settings except what loopback needs (see base()).

  lt_client.py seed --torrent T --data DIR --port P [--utp] [--ready-file F]
      Seeds T from DIR (a full re-check of the data first). Writes F when it
      is seeding and the tracker has answered.  SIGUSR1: re-announce to the
      tracker (used after the harness restarts the tracker).  SIGTERM/SIGINT:
      exit.  Uses lt.high_performance_seed() so the seeder is not the
      bottleneck.

Only 127.0.0.1 is used: DHT, LSD, UPnP and NAT-PMP are off, the listen
socket is bound to 127.0.0.1.
"""
import argparse
import json
import os
import signal
import sys
import time

import libtorrent as lt


def base(port, utp):
    return {
        "listen_interfaces": "127.0.0.1:%d" % port,
        "outgoing_interfaces": "127.0.0.1",
        "enable_dht": False,
        "enable_lsd": False,
        "enable_upnp": False,
        "enable_natpmp": False,
        "dht_bootstrap_nodes": "",
        # every peer in this benchmark is 127.0.0.1 (different ports); with the
        # default (False) libtorrent treats them as one peer.
        "allow_multiple_connections_per_ip": True,
        "enable_incoming_utp": utp,
        "enable_outgoing_utp": utp,
        "alert_mask": (lt.alert.category_t.status_notification
                       | lt.alert.category_t.error_notification
                       | lt.alert.category_t.tracker_notification
                       | lt.alert.category_t.storage_notification),
        "user_agent": "bench-lt/" + lt.__version__,
    }


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def leech(args):
    t0 = time.monotonic()
    ses = lt.session(base(args.port, utp=args.utp))
    atp = lt.add_torrent_params()
    atp.ti = lt.torrent_info(args.torrent)
    atp.save_path = args.out
    h = ses.add_torrent(atp)
    for port in args.peer:  # bench/bt/many_peers.sh: seeders with no tracker
        h.connect_peer(("127.0.0.1", port))
    total = atp.ti.total_size()
    deadline = t0 + args.timeout
    finished_at = None
    err = None
    last_report = t0
    while time.monotonic() < deadline:
        ses.wait_for_alert(250)
        for a in ses.pop_alerts():
            if isinstance(a, lt.torrent_finished_alert):
                finished_at = time.monotonic()
            elif isinstance(a, (lt.torrent_error_alert, lt.file_error_alert)):
                err = a.message()
            elif isinstance(a, lt.tracker_error_alert):
                log("tracker error:", a.message())
        if err:
            break
        st = h.status()
        if args.verbose and time.monotonic() - last_report >= 1.0:
            last_report = time.monotonic()
            log("leech: %.1fs %.1f%% %.1f MB/s peers=%d state=%s" % (
                last_report - t0, st.progress * 100, st.download_payload_rate / 1e6, st.num_peers, st.state))
        if finished_at or st.is_seeding:
            finished_at = finished_at or time.monotonic()
            break
    st = h.status()
    mem = {}
    with open("/proc/self/status") as f:
        for line in f:
            k, _, v = line.partition(":")
            if k in ("VmHWM", "RssAnon", "RssFile"):
                mem[k] = int(v.split()[0])
    res = {
        "finished": bool(finished_at),
        "seconds_to_finish": round((finished_at or time.monotonic()) - t0, 3),
        "total_done": st.total_done,
        "total_wanted": total,
        "total_payload_download": st.total_payload_download,
        "total_failed_bytes": st.total_failed_bytes,
        "total_redundant_bytes": st.total_redundant_bytes,
        "error": err,
        "vmhwm_kb": mem.get("VmHWM"),
        "rss_anon_kb": mem.get("RssAnon"),
        "rss_file_kb": mem.get("RssFile"),
    }
    print(json.dumps(res), flush=True)
    # leave like a normal client: stop announce (bounded by stop_tracker_timeout)
    ses.pause()
    del h
    del ses
    return 0 if finished_at and not err and st.total_done == total else 1


_reannounce = False
_stop = False


def _usr1(_s, _f):
    global _reannounce
    _reannounce = True


def _term(_s, _f):
    global _stop
    _stop = True


def seed(args):
    signal.signal(signal.SIGUSR1, _usr1)
    signal.signal(signal.SIGTERM, _term)
    signal.signal(signal.SIGINT, _term)
    s = lt.high_performance_seed()
    s.update(base(args.port, utp=args.utp))
    if args.upload_limit:
        # bench/hybrid: a slow swarm. Loopback peers are "local", which
        # libtorrent exempts from limits unless told otherwise.
        s["upload_rate_limit"] = args.upload_limit
        s["ignore_limits_on_local_network"] = False
    ses = lt.session(s)
    atp = lt.add_torrent_params()
    atp.ti = lt.torrent_info(args.torrent)
    atp.save_path = args.data
    # not auto-managed and not paused: seed right away, never queued
    atp.flags &= ~(lt.torrent_flags.auto_managed | lt.torrent_flags.paused)
    h = ses.add_torrent(atp)
    ready = False
    announced = False
    t0 = time.monotonic()
    while not _stop:
        ses.wait_for_alert(100)
        for a in ses.pop_alerts():
            if isinstance(a, lt.tracker_reply_alert):
                announced = True
                log("seeder: tracker reply, %d peers" % a.num_peers)
            elif isinstance(a, lt.tracker_error_alert):
                log("seeder: tracker error:", a.message())
            elif isinstance(a, (lt.torrent_error_alert, lt.file_error_alert)):
                log("seeder: ERROR", a.message())
                return 1
        if _reannounce:
            globals()["_reannounce"] = False
            h.force_reannounce(0, -1, lt.reannounce_flags_t.ignore_min_interval)
        if not ready:
            st = h.status()
            if st.is_seeding and announced:
                ready = True
                log("seeder: ready after %.1fs (checked %d bytes)" % (time.monotonic() - t0, st.total_wanted))
                if args.ready_file:
                    with open(args.ready_file, "w") as f:
                        f.write("ready\n")
            elif st.state == lt.torrent_status.downloading and not st.is_seeding and st.progress < 1.0 \
                    and st.state not in (lt.torrent_status.checking_files,):
                if time.monotonic() - t0 > 5 and st.num_pieces < atp.ti.num_pieces():
                    log("seeder: ERROR data in %s does not match the torrent (%d/%d pieces)"
                        % (args.data, st.num_pieces, atp.ti.num_pieces()))
                    return 1
    ses.pause()
    return 0


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="mode", required=True)
    l = sub.add_parser("leech")
    l.add_argument("--torrent", required=True)
    l.add_argument("--out", required=True)
    l.add_argument("--port", type=int, required=True)
    l.add_argument("--timeout", type=float, default=600)
    l.add_argument("--verbose", action="store_true")
    l.add_argument("--peer", type=int, action="append", default=[],
                   help="a 127.0.0.1 port to connect to (repeatable)")
    l.add_argument("--utp", action="store_true", help="allow uTP (libtorrent default); off = TCP only")
    s = sub.add_parser("seed")
    s.add_argument("--torrent", required=True)
    s.add_argument("--data", required=True)
    s.add_argument("--port", type=int, required=True)
    s.add_argument("--utp", action="store_true")
    s.add_argument("--ready-file")
    s.add_argument("--upload-limit", type=int, default=0, help="bytes/s, 0 = unlimited")
    a = p.parse_args()
    return leech(a) if a.mode == "leech" else seed(a)


if __name__ == "__main__":
    sys.exit(main())
