#!/usr/bin/python3
"""The swarm of bench/magnet/run.sh: a DHT of python3-libtorrent sessions on
127.0.0.1, the last of which seeds, one torrent per benchmark run (each
announced to the DHT and to the torrent's tracker).

  swarm.py --nodes 12 --data DIR [--lifetime S] [--no-utp] [--log-peers]

The approach of tests/interop/dht_swarm/dht_swarm.py, with the settings of
/work/shared/TESTING.md: every session is introduced to every other with
add_dht_node. Prints, one line each:
  NODES <port> ...       the sessions' ports (BitTorrent TCP/uTP and DHT UDP)
  SEEDER <port>          the seeding session
  READY
then reads commands on stdin:
  ADD <file.torrent>  -> "SEEDING <info-hash> BOOTSTRAP <port> HOLDERS <port>,..."
                         or "ERROR ...". The seeder checks the data (under
                         --data), is told to announce (force_dht_announce)
                         until another session finds it through the DHT, and
                         answers the tracker. Then every node is asked
                         directly (a read-only KRPC get_peers from a plain UDP
                         socket, BEP 43 "ro" so nobody adds the asker to a
                         routing table) whether it holds the announce.
                         BOOTSTRAP is a node that does not hold it and is not
                         the seeder: the one node a leecher is told about.
  CHECK <port> <info-hash>  -> "CHECK <port> <info-hash> clean|silent|holds
                         <port>,...": the peers that node's get_peers answer
                         lists now
--log-peers writes the seeder's peer connects and disconnects to stderr,
stamped like tributary's log (a disconnect says why: "duplicate peer-id",
"upload to upload connection", ...).
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


def make_session(seeder, utp, log_peers=False):
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
    if log_peers:
        settings["alert_mask"] |= lt.alert.category_t.connect_notification \
            | lt.alert.category_t.peer_notification
    return lt.session(settings)


def log_peer_alerts(alerts):
    """The seeder's connects and disconnects on stderr, stamped (UTC, ms) like
    tributary's log lines, so the two can be laid side by side."""
    for alert in alerts:
        if isinstance(alert, (lt.peer_connect_alert, lt.peer_disconnected_alert,
                              lt.incoming_connection_alert)):
            now = time.time()
            stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(now)) + ".%03dZ" % (
                int(now * 1000) % 1000)
            print("seeder %s %s" % (stamp, alert.message()), file=sys.stderr, flush=True)


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


class Swarm:
    def __init__(self, args):
        self.args = args
        utp = not args.no_utp
        self.sessions = [make_session(i == args.nodes - 1, utp,
                                      args.log_peers and i == args.nodes - 1)
                         for i in range(args.nodes)]
        self.seeder = self.sessions[-1]
        self.ports = []
        self.asker = Asker()

    def start(self):
        self.ports = wait_ports(self.sessions, time.monotonic() + 20)
        if 0 in self.ports:
            return False
        for i, s in enumerate(self.sessions):
            for j, p in enumerate(self.ports):
                if i != j:
                    s.add_dht_node(("127.0.0.1", p))
        return True

    def pop_alerts(self):
        """Every session's alerts; returns the asker's (the first session's)
        and the seeder's."""
        asked = self.sessions[0].pop_alerts()
        for s in self.sessions[1:-1]:
            s.pop_alerts()
        seeded = self.seeder.pop_alerts()
        if self.args.log_peers:
            log_peer_alerts(seeded)
        return asked, seeded

    def seed(self, torrent, deadline):
        """Seeds one more torrent: adds it to the seeder, which checks the
        data, announces it to the DHT (until another node finds it there) and
        to the tracker. Returns "SEEDING <info-hash> BOOTSTRAP <port> HOLDERS
        <port>,..." or "ERROR ..."."""
        info = lt.torrent_info(torrent)
        info_hash = bytes.fromhex(str(info.info_hash()))
        params = lt.add_torrent_params()
        params.ti = info
        params.save_path = self.args.data
        params.flags &= ~(lt.torrent_flags.auto_managed | lt.torrent_flags.paused)
        handle = self.seeder.add_torrent(params)
        target = lt.sha1_hash(info_hash)
        asker_session = self.sessions[0]
        found = tracked = False
        next_try = 0
        while time.monotonic() < deadline and not (found and tracked):
            now = time.monotonic()
            if now >= next_try and handle.status().is_seeding:
                handle.force_dht_announce()
                if not tracked:
                    handle.force_reannounce()
                asker_session.dht_get_peers(target)
                next_try = now + 1.0
            asked, seeded = self.pop_alerts()
            for alert in asked:
                if isinstance(alert, lt.dht_get_peers_reply_alert) and alert.info_hash == target:
                    found = found or any(p[1] == self.ports[-1] for p in alert.peers())
            for alert in seeded:
                if isinstance(alert, lt.tracker_reply_alert) and alert.handle == handle:
                    tracked = True
                elif isinstance(alert, (lt.torrent_error_alert, lt.file_error_alert)):
                    return "ERROR seeder: " + alert.message()
            time.sleep(0.05)
        if not (found and tracked):
            return "ERROR no announce (dht %s, tracker %s)" % (found, tracked)
        holders, clean = [], []
        for port in self.ports[:-1]:
            answer = self.asker.get_peers(port, info_hash)
            if answer is None:
                continue
            node_id, peers = answer
            entry = (distance(node_id, info_hash), port)
            (holders if self.ports[-1] in peers else clean).append(entry)
        if not clean:
            return "ERROR every node holds the announce"
        # The farthest from the info-hash: the lookup has the most ground to cover.
        return "SEEDING %s BOOTSTRAP %d HOLDERS %s" % (
            info_hash.hex(), max(clean)[1], ",".join(str(p) for _, p in sorted(holders)))

    def check(self, port, info_hash):
        answer = self.asker.get_peers(port, info_hash)
        if answer is None:
            return "silent"
        if answer[1]:
            return "holds " + ",".join(str(p) for p in sorted(answer[1]))
        return "clean"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--nodes", type=int, default=12)
    parser.add_argument("--data", required=True)
    parser.add_argument("--lifetime", type=float, default=3600)
    parser.add_argument("--no-utp", action="store_true")
    parser.add_argument("--log-peers", action="store_true",
                        help="the seeder's peer connects and disconnects on stderr")
    args = parser.parse_args()
    end = time.monotonic() + args.lifetime

    swarm = Swarm(args)
    if not swarm.start():
        print("ERROR not every session listens", flush=True)
        return 1
    print("NODES " + " ".join(str(p) for p in swarm.ports), flush=True)
    print("SEEDER %d" % swarm.ports[-1], flush=True)
    print("READY", flush=True)

    while time.monotonic() < end:
        # Polled more often when the seeder's alerts are logged: their stamps
        # are the time they are popped.
        readable, _, _ = select.select([sys.stdin], [], [], 0.01 if args.log_peers else 0.2)
        swarm.pop_alerts()
        if not readable:
            continue
        line = sys.stdin.readline()
        if not line:
            break
        words = line.split()
        if len(words) == 2 and words[0] == "ADD":
            print(swarm.seed(words[1], min(end, time.monotonic() + 60)), flush=True)
        elif len(words) == 3 and words[0] == "CHECK":
            verdict = swarm.check(int(words[1]), bytes.fromhex(words[2]))
            print("CHECK %s %s %s" % (words[1], words[2], verdict), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
