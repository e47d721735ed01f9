#!/usr/bin/python3
"""The swarm of bench/magnet/run.sh: a DHT of python3-libtorrent sessions on
127.0.0.1, one of which seeds a torrent (and announces it to the torrent's
tracker as well as to the DHT).

  swarm.py --nodes 12 --torrent T --data DIR [--lifetime S] [--no-utp]

The approach of tests/interop/dht_swarm/dht_swarm.py, with the settings of
/work/shared/TESTING.md: every session is introduced to every other with
add_dht_node, the seeder is told to announce (force_dht_announce) until
another session finds it through the DHT, and the seeder answers the tracker.
Then every node is asked directly (a read-only KRPC get_peers from a plain UDP
socket, BEP 43 "ro" so nobody adds the asker to a routing table) whether it
holds the announce. Prints, one line each:
  NODES <port> ...       the sessions' ports (BitTorrent TCP/uTP and DHT UDP)
  SEEDER <port>          the seeding session
  HOLDERS <port> ...     the nodes whose get_peers answer lists the seeder
  BOOTSTRAP <port>       a node that does not hold the announce and is not the
                         seeder: the one node the leechers are told about
  READY
then reads commands on stdin:
  CHECK <port>  -> "CHECK <port> clean|silent|holds <port>,...": the peers
                   that node's get_peers answer lists now
Exits when stdin closes, or after --lifetime seconds whatever happens.
"""
import argparse
import os
import select
import socket
import sys
import time

import libtorrent as lt


def log(*args):
    print("swarm:", *args, file=sys.stderr, flush=True)


def make_session(seeder, utp):
    settings = lt.high_performance_seed() if seeder else {}
    settings.update({
        "listen_interfaces": "127.0.0.1:0",
        "outgoing_interfaces": "127.0.0.1",
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
        "enable_incoming_utp": utp,
        "enable_outgoing_utp": utp,
        "send_socket_buffer_size": 2 * 1024 * 1024,
        "recv_socket_buffer_size": 2 * 1024 * 1024,
        "alert_mask": lt.alert.category_t.dht_notification
        | lt.alert.category_t.dht_operation_notification  # dht_get_peers_reply_alert
        | lt.alert.category_t.status_notification
        | lt.alert.category_t.tracker_notification
        | lt.alert.category_t.error_notification,
    })
    return lt.session(settings)


def wait_ports(sessions, deadline):
    ports = [0] * len(sessions)
    while time.monotonic() < deadline and 0 in ports:
        for i, s in enumerate(sessions):
            if ports[i] == 0:
                ports[i] = s.listen_port()
        time.sleep(0.05)
    return ports


class Asker:
    """Read-only KRPC get_peers to one node at a time, from our own UDP socket."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.node_id = os.urandom(20)
        self.serial = 0

    def get_peers(self, port, info_hash, timeout=2.0):
        """(node id, [peer ports]) or None when the node does not answer."""
        self.serial += 1
        tid = b"bm%02x" % (self.serial % 256)
        query = lt.bencode({b"t": tid, b"y": b"q", b"q": b"get_peers", b"ro": 1,
                            b"a": {b"id": self.node_id, b"info_hash": info_hash}})
        self.sock.sendto(query, ("127.0.0.1", port))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.sock], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                break
            data, _ = self.sock.recvfrom(65536)
            try:
                reply = lt.bdecode(data)
            except Exception:  # a malformed datagram: not the answer we wait for
                continue
            if not isinstance(reply, dict) or reply.get(b"t") != tid or reply.get(b"y") != b"r":
                continue
            body = reply.get(b"r", {})
            peers = [int.from_bytes(v[4:6], "big") for v in body.get(b"values", []) if len(v) == 6]
            return body.get(b"id", b""), peers
        return None


def distance(a, b):
    return int.from_bytes(bytes(x ^ y for x, y in zip(a, b)), "big")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--nodes", type=int, default=12)
    parser.add_argument("--torrent", required=True)
    parser.add_argument("--data", required=True)
    parser.add_argument("--lifetime", type=float, default=3600)
    parser.add_argument("--no-utp", action="store_true")
    args = parser.parse_args()
    end = time.monotonic() + args.lifetime
    utp = not args.no_utp

    sessions = [make_session(i == args.nodes - 1, utp) for i in range(args.nodes)]
    ports = wait_ports(sessions, time.monotonic() + 20)
    if 0 in ports:
        print("ERROR not every session listens", flush=True)
        return 1
    print("NODES " + " ".join(str(p) for p in ports), flush=True)
    for i, s in enumerate(sessions):
        for j, p in enumerate(ports):
            if i != j:
                s.add_dht_node(("127.0.0.1", p))

    seeder = sessions[-1]
    info = lt.torrent_info(args.torrent)
    info_hash = bytes.fromhex(str(info.info_hash()))
    params = lt.add_torrent_params()
    params.ti = info
    params.save_path = args.data
    params.flags &= ~(lt.torrent_flags.auto_managed | lt.torrent_flags.paused)
    handle = seeder.add_torrent(params)
    print("SEEDER %d" % ports[-1], flush=True)

    target = lt.sha1_hash(info_hash)
    asker_session = sessions[0]
    found = tracked = False
    next_try = 0
    while time.monotonic() < end and not (found and tracked):
        now = time.monotonic()
        if now >= next_try and handle.status().is_seeding:
            handle.force_dht_announce()
            if not tracked:
                handle.force_reannounce()
            asker_session.dht_get_peers(target)
            next_try = now + 1.0
        for alert in asker_session.pop_alerts():
            if isinstance(alert, lt.dht_get_peers_reply_alert):
                found = found or any(p[1] == ports[-1] for p in alert.peers())
        for alert in seeder.pop_alerts():
            if isinstance(alert, lt.tracker_reply_alert):
                tracked = True
            elif isinstance(alert, (lt.torrent_error_alert, lt.file_error_alert)):
                print("ERROR seeder: " + alert.message(), flush=True)
                return 1
        for s in sessions[1:-1]:
            s.pop_alerts()
        time.sleep(0.05)
    if not (found and tracked):
        print("ERROR no announce (dht %s, tracker %s)" % (found, tracked), flush=True)
        return 1

    asker = Asker()
    holders, clean = [], []
    for port in ports[:-1]:
        answer = asker.get_peers(port, info_hash)
        if answer is None:
            continue
        node_id, peers = answer
        (holders if ports[-1] in peers else clean).append((distance(node_id, info_hash), port))
    if not clean:
        print("ERROR every node holds the announce", flush=True)
        return 1
    print("HOLDERS " + " ".join(str(p) for _, p in sorted(holders)), flush=True)
    # The farthest from the info-hash: the lookup has the most ground to cover.
    print("BOOTSTRAP %d" % max(clean)[1], flush=True)
    print("READY", flush=True)

    while time.monotonic() < end:
        readable, _, _ = select.select([sys.stdin], [], [], 0.2)
        for s in sessions:
            s.pop_alerts()
        if not readable:
            continue
        line = sys.stdin.readline()
        if not line:
            break
        words = line.split()
        if len(words) == 2 and words[0] == "CHECK":
            answer = asker.get_peers(int(words[1]), info_hash)
            if answer is None:
                verdict = "silent"
            elif answer[1]:
                verdict = "holds " + ",".join(str(p) for p in sorted(answer[1]))
            else:
                verdict = "clean"
            print("CHECK %s %s" % (words[1], verdict), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
