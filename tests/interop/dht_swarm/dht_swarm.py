#!/usr/bin/python3
"""A small DHT of python3-libtorrent sessions on 127.0.0.1, for the DHT interop test.

  dht_swarm.py --nodes N --info-hash HEX [--torrent FILE --data DIR] [--ipv6]

With --ipv6 everything is on ::1 instead (libtorrent 2.0.8 runs its DHT
there as well): sessions, DHT nodes and the announced peer.

Starts N sessions with the DHT on (loopback settings from TESTING.md),
introduces each to the others with add_dht_node, and has the last one
announce HEX (force_dht_announce); with --torrent, that session seeds the
torrent's data from DIR (its info-hash must be HEX). Prints:
  NODES <dht port> ...          the sessions' UDP ports, once they listen
  PEER <port>                   the port the announcer announced
  READY                         another session found that peer through the DHT
then reads commands on stdin:
  SEEN <port>    -> "SEEN <k>": how many sessions have 127.0.0.1:<port> (::1 with --ipv6)
                    in their routing table
Exits when stdin closes, or after --lifetime seconds whatever happens.
"""
import argparse
import os
import select
import sys
import time
import warnings

import libtorrent as lt


def make_session(host):
    settings = {
        "listen_interfaces": ("[%s]:0" if ":" in host else "%s:0") % host,
        "enable_dht": True,
        "enable_lsd": False,
        "enable_upnp": False,
        "enable_natpmp": False,
        "dht_bootstrap_nodes": "",
        "dht_restrict_routing_ips": False,
        "dht_restrict_search_ips": False,
        "dht_block_ratelimit": 100000,
        "dht_upload_rate_limit": 1000000,
        "allow_multiple_connections_per_ip": True,
        "alert_mask": lt.alert.category_t.dht_notification
        | lt.alert.category_t.dht_operation_notification
        | lt.alert.category_t.status_notification
        | lt.alert.category_t.error_notification,
    }
    return lt.session(settings)


def wait_ports(sessions, deadline):
    ports = [0] * len(sessions)
    while time.monotonic() < deadline and 0 in ports:
        for i, s in enumerate(sessions):
            if ports[i] == 0:
                ports[i] = s.listen_port()
        time.sleep(0.05)
    return ports


def node_id(session):
    # dht_state() is deprecated but the one place the bindings give our node id.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ids = session.dht_state().get(b"node-id", [])
    return lt.sha1_hash(ids[0][:20]) if ids else None


def live_nodes(session, deadline):
    """The live nodes of the session's routing table (not its replacement cache)."""
    nid = node_id(session)
    if nid is None:
        return []
    session.dht_live_nodes(nid)
    while time.monotonic() < deadline:
        for alert in session.pop_alerts():
            if isinstance(alert, lt.dht_live_nodes_alert):
                return [tuple(n["endpoint"]) for n in alert.nodes]
        time.sleep(0.02)
    return []


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--nodes", type=int, default=6)
    parser.add_argument("--info-hash", required=True)
    parser.add_argument("--lifetime", type=float, default=110)
    parser.add_argument("--tmp", default="/tmp")
    parser.add_argument("--torrent")
    parser.add_argument("--data")
    parser.add_argument("--ipv6", action="store_true")
    args = parser.parse_args()
    host = "::1" if args.ipv6 else "127.0.0.1"
    end = time.monotonic() + args.lifetime

    sessions = [make_session(host) for _ in range(args.nodes)]
    ports = wait_ports(sessions, time.monotonic() + 20)
    # The DHT listens on the same port number as BitTorrent, over UDP.
    print("NODES " + " ".join(str(p) for p in ports), flush=True)
    for i, s in enumerate(sessions):
        for j, p in enumerate(ports):
            if i != j:
                s.add_dht_node((host, p))

    announcer = sessions[-1]
    params = lt.add_torrent_params()
    if args.torrent:
        params.ti = lt.torrent_info(args.torrent)
        params.save_path = args.data
    else:
        params.info_hashes = lt.info_hash_t(lt.sha1_hash(bytes.fromhex(args.info_hash)))
        params.save_path = args.tmp
        params.flags |= lt.torrent_flags.upload_mode
    handle = announcer.add_torrent(params)
    print("PEER %d" % ports[-1], flush=True)

    target = lt.sha1_hash(bytes.fromhex(args.info_hash))
    asker = sessions[0]
    ready = False
    next_try = 0
    while time.monotonic() < end and not ready:
        now = time.monotonic()
        if now >= next_try:
            handle.force_dht_announce()
            asker.dht_get_peers(target)
            next_try = now + 1.0
        for alert in asker.pop_alerts():
            if isinstance(alert, lt.dht_get_peers_reply_alert):
                if any(p[1] == ports[-1] for p in alert.peers()):
                    ready = True
        for s in sessions[1:]:
            s.pop_alerts()
        time.sleep(0.05)
    if not ready:
        print("ERROR the sessions did not find each other's announce", flush=True)
        return 1
    print("READY", flush=True)

    while time.monotonic() < end:
        readable, _, _ = select.select([sys.stdin], [], [], 0.2)
        if not readable:
            for s in sessions:
                s.pop_alerts()
            continue
        line = sys.stdin.readline()
        if not line:
            break
        words = line.split()
        if len(words) == 2 and words[0] == "SEEN":
            port = int(words[1])
            seen = 0
            for s in sessions:
                if (host, port) in live_nodes(s, time.monotonic() + 5):
                    seen += 1
            print("SEEN %d" % seen, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
