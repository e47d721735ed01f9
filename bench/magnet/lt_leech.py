#!/usr/bin/python3
"""python3-libtorrent's leecher for bench/magnet/run.sh: a fresh session given
only a magnet URI.

  lt_leech.py --magnet URI --out DIR --port P [--dht-bootstrap PORT] [--no-utp]
              [--timeout S] [--tick-ms MS]

Without --dht-bootstrap the DHT is off (peers come from the magnet's tr=);
with it, the DHT is on with the loopback settings of /work/shared/TESTING.md
and that one 127.0.0.1 node introduced with add_dht_node, as the swarm's
nodes were. The torrent is added right after the session is made, so its DHT
starts as cold as tributary-cli's. Prints one JSON line:
  {"metadata": S, "finished": S, "ok": bool, "error": ...}
seconds from add_torrent to metadata_received_alert and torrent_finished_alert
(null if they did not come before the timeout). Alerts are waited for on
set_alert_fd (wait_for_alert was seen to crash in these bindings).
"""
import argparse
import json
import os
import select
import sys
import time

import libtorrent as lt


def settings(args):
    dht = args.dht_bootstrap is not None
    tick = {"tick_interval": args.tick_ms} if args.tick_ms else {}
    return tick | {
        "listen_interfaces": "127.0.0.1:%d" % args.port,
        "outgoing_interfaces": "127.0.0.1",
        "enable_dht": dht,
        "enable_lsd": False,
        "enable_upnp": False,
        "enable_natpmp": False,
        "dht_bootstrap_nodes": "",
        "dht_restrict_routing_ips": False,
        "dht_restrict_search_ips": False,
        "dht_block_ratelimit": 100000,
        "dht_upload_rate_limit": 1000000,
        "allow_multiple_connections_per_ip": True,
        "enable_incoming_utp": not args.no_utp,
        "enable_outgoing_utp": not args.no_utp,
        "send_socket_buffer_size": 2 * 1024 * 1024,
        "recv_socket_buffer_size": 2 * 1024 * 1024,
        "stop_tracker_timeout": 1,
        "alert_mask": lt.alert.category_t.status_notification
        | lt.alert.category_t.error_notification
        | lt.alert.category_t.dht_notification,
        "user_agent": "bench-lt/" + lt.__version__,
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--magnet", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--dht-bootstrap", type=int)
    parser.add_argument("--no-utp", action="store_true")
    parser.add_argument("--timeout", type=float, default=60)
    # libtorrent connects to the peers it has learnt of once a tick (500 ms by
    # default), which is most of its time to metadata on loopback.
    parser.add_argument("--tick-ms", type=int, help="settings_pack::tick_interval")
    args = parser.parse_args()

    session = lt.session(settings(args))
    readable, writable = os.pipe()
    os.set_blocking(readable, False)
    os.set_blocking(writable, False)
    session.set_alert_fd(writable)
    if args.dht_bootstrap is not None:
        session.add_dht_node(("127.0.0.1", args.dht_bootstrap))
    params = lt.parse_magnet_uri(args.magnet)
    params.save_path = args.out
    t0 = time.monotonic()
    handle = session.add_torrent(params)
    deadline = t0 + args.timeout
    result = {"metadata": None, "finished": None, "ok": False, "error": None}
    while time.monotonic() < deadline and result["finished"] is None and not result["error"]:
        ready, _, _ = select.select([readable], [], [], max(0.0, deadline - time.monotonic()))
        if ready:
            try:
                os.read(readable, 4096)
            except BlockingIOError:
                pass
        for alert in session.pop_alerts():
            now = time.monotonic() - t0
            if isinstance(alert, lt.metadata_received_alert) and result["metadata"] is None:
                result["metadata"] = round(now, 6)
            elif isinstance(alert, lt.torrent_finished_alert):
                result["finished"] = round(now, 6)
            elif isinstance(alert, (lt.torrent_error_alert, lt.file_error_alert,
                                    lt.metadata_failed_alert)):
                result["error"] = alert.message()
        if result["finished"] is None and handle.status().is_seeding:
            result["finished"] = round(time.monotonic() - t0, 6)  # the alert was missed
    status = handle.status()
    result["ok"] = result["finished"] is not None and not result["error"] and \
        status.total_wanted > 0 and status.total_done == status.total_wanted
    print(json.dumps(result), flush=True)
    session.pause()
    del handle
    del session
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
