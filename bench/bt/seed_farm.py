#!/usr/bin/python3
"""Many minimal BitTorrent seeders for one torrent, on 127.0.0.1, in one process.

  seed_farm.py --torrent T --data DIR [--peers 200] [--procs 1]
               [--rate-per-peer BYTES] [--ports-file F]

Each seeder listens on its own ephemeral 127.0.0.1 port and is a plain BEP 3
seeder: it answers the handshake for the torrent's info-hash (and nothing
else), sends a full bitfield, unchokes a peer once it says interested, and
serves requests (at most 128 KiB each) from the files under DIR with pread.
No extensions (reserved bytes all zero), no tracker, no DHT.

--rate-per-peer caps each connection's upload (a token bucket, 0 = unlimited),
so a total can be spread evenly across the peers. --procs forks that many
processes, each running its share of the seeders on its own asyncio loop, so
the farm is not capped at one Python core.

The ports, one a line, go to --ports-file once every seeder listens (written
to a temporary name and renamed, so a reader never sees half a list).
SIGTERM/SIGINT stop it. Standard library only.
"""
import argparse
import asyncio
import collections
import hashlib
import os
import signal
import struct
import sys
import time

PSTR = b"\x13BitTorrent protocol"
MAX_FRAME = 128 * 1024 + 13  # the largest request we serve, plus the header
MAX_REQUEST = 128 * 1024
MSG_CHOKE, MSG_UNCHOKE, MSG_INTERESTED, MSG_BITFIELD, MSG_REQUEST, MSG_PIECE = 0, 1, 2, 5, 6, 7


# --- a tiny bencode reader: enough to find the info dict's raw bytes ---------

def bdecode(data, i=0):
    """Returns (value, end). Dicts are returned as {key: (value, start, end)}
    so the caller can hash the exact bytes of a value."""
    c = data[i:i + 1]
    if c == b"i":
        end = data.index(b"e", i)
        return int(data[i + 1:end]), end + 1
    if c == b"l":
        i += 1
        out = []
        while data[i:i + 1] != b"e":
            v, i = bdecode(data, i)
            out.append(v)
        return out, i + 1
    if c == b"d":
        i += 1
        out = {}
        while data[i:i + 1] != b"e":
            k, i = bdecode(data, i)
            start = i
            v, i = bdecode(data, i)
            out[k] = (v, start, i)
        return out, i + 1
    if c.isdigit():
        colon = data.index(b":", i)
        n = int(data[i:colon])
        return data[colon + 1:colon + 1 + n], colon + 1 + n
    raise ValueError("bad bencode at %d" % i)


def plain(v):
    """Strips the (value, start, end) wrapping of dict values."""
    if isinstance(v, dict):
        return {k: plain(x[0]) for k, x in v.items()}
    if isinstance(v, list):
        return [plain(x) for x in v]
    return v


class Torrent:
    def __init__(self, path, data_dir):
        raw = open(path, "rb").read()
        top, _ = bdecode(raw)
        info_value, start, end = top[b"info"]
        self.info_hash = hashlib.sha1(raw[start:end]).digest()
        info = plain(info_value)
        self.piece_length = info[b"piece length"]
        self.piece_count = len(info[b"pieces"]) // 20
        name = info[b"name"].decode()
        if b"files" in info:
            files = [(os.path.join(data_dir, name, *[p.decode() for p in f[b"path"]]), f[b"length"])
                     for f in info[b"files"]]
        else:
            files = [(os.path.join(data_dir, name), info[b"length"])]
        self.total = sum(length for _, length in files)
        self.spans = []  # (start offset, length, fd)
        offset = 0
        for file_path, length in files:
            fd = os.open(file_path, os.O_RDONLY) if length > 0 else -1
            self.spans.append((offset, length, fd))
            offset += length
        bits = bytearray(b"\xff" * ((self.piece_count + 7) // 8))
        spare = len(bits) * 8 - self.piece_count
        if spare:
            bits[-1] &= (0xFF << spare) & 0xFF
        self.bitfield = bytes(bits)

    def read(self, offset, length):
        out = []
        for start, size, fd in self.spans:
            if length == 0:
                break
            if offset >= start + size or size == 0:
                continue
            take = min(length, start + size - offset)
            out.append(os.pread(fd, take, offset - start))
            offset += take
            length -= take
        return b"".join(out)


class Stats:
    def __init__(self):
        self.connections = 0
        self.bytes_sent = 0


class SeederProtocol(asyncio.Protocol):
    def __init__(self, torrent, peer_id, rate, stats):
        self.torrent = torrent
        self.peer_id = peer_id
        self.rate = rate
        self.stats = stats
        self.buf = bytearray()
        self.shaken = False
        self.unchoked = False
        self.paused = False
        self.queue = collections.deque()
        self.tokens = 0.0
        self.last = time.monotonic()
        self.timer = None
        self.transport = None

    def connection_made(self, transport):
        self.transport = transport
        self.stats.connections += 1

    def connection_lost(self, exc):
        self.stats.connections -= 1
        if self.timer:
            self.timer.cancel()
        self.queue.clear()

    def pause_writing(self):
        self.paused = True

    def resume_writing(self):
        self.paused = False
        self.pump()

    def fail(self):
        self.transport.close()
        self.buf.clear()

    def data_received(self, data):
        self.buf += data
        if not self.shaken:
            if len(self.buf) < 68:
                return
            if self.buf[:20] != PSTR or self.buf[28:48] != self.torrent.info_hash:
                return self.fail()
            del self.buf[:68]
            self.shaken = True
            self.transport.write(PSTR + bytes(8) + self.torrent.info_hash + self.peer_id)
            bf = self.torrent.bitfield
            self.transport.write(struct.pack(">IB", 1 + len(bf), MSG_BITFIELD) + bf)
        while len(self.buf) >= 4:
            (length,) = struct.unpack_from(">I", self.buf)
            if length > MAX_FRAME:
                return self.fail()
            if len(self.buf) < 4 + length:
                return
            msg = bytes(self.buf[4:4 + length])
            del self.buf[:4 + length]
            if length == 0:
                continue  # keep-alive
            self.on_message(msg[0], msg[1:])

    def on_message(self, kind, body):
        if kind == MSG_INTERESTED and not self.unchoked:
            self.unchoked = True
            self.transport.write(struct.pack(">IB", 1, MSG_UNCHOKE))
        elif kind == MSG_REQUEST and len(body) == 12:
            index, begin, length = struct.unpack(">III", body)
            t = self.torrent
            if (not self.unchoked or index >= t.piece_count or length == 0 or length > MAX_REQUEST
                    or begin + length > t.piece_length
                    or index * t.piece_length + begin + length > t.total):
                return self.fail()
            self.queue.append((index, begin, length))
            self.pump()
        # cancel, have, not interested, ...: a seeder can ignore them

    def pump(self):
        if self.timer:
            self.timer.cancel()
            self.timer = None
        if self.rate > 0:
            now = time.monotonic()
            # At most a quarter second of burst, so the cap holds over short spans too.
            self.tokens = min(self.tokens + (now - self.last) * self.rate, self.rate / 4 + MAX_REQUEST)
            self.last = now
        t = self.torrent
        while self.queue and not self.paused and not self.transport.is_closing():
            if self.rate > 0 and self.tokens <= 0:
                delay = -self.tokens / self.rate + 0.001
                self.timer = asyncio.get_running_loop().call_later(delay, self.pump)
                return
            index, begin, length = self.queue.popleft()
            block = t.read(index * t.piece_length + begin, length)
            self.transport.write(struct.pack(">IBII", 9 + length, MSG_PIECE, index, begin) + block)
            self.stats.bytes_sent += length
            if self.rate > 0:
                self.tokens -= length


async def serve(torrent, count, first_id, rate, port_queue):
    stats = Stats()
    loop = asyncio.get_running_loop()
    servers = []
    for n in range(count):
        peer_id = b"-FS0001-" + b"%012d" % (first_id + n)
        server = await loop.create_server(
            lambda pid=peer_id: SeederProtocol(torrent, pid, rate, stats),
            "127.0.0.1", 0, backlog=64)
        servers.append(server)
    port_queue([s.sockets[0].getsockname()[1] for s in servers])
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    for s in servers:
        s.close()
    print("farm[%d]: sent %d bytes" % (os.getpid(), stats.bytes_sent), file=sys.stderr, flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--torrent", required=True)
    ap.add_argument("--data", required=True, help="the folder that holds the torrent's content")
    ap.add_argument("--peers", type=int, default=200)
    ap.add_argument("--procs", type=int, default=1)
    ap.add_argument("--rate-per-peer", type=int, default=0, help="bytes/s, 0 = unlimited")
    ap.add_argument("--ports-file", required=True)
    args = ap.parse_args()

    procs = max(1, min(args.procs, args.peers))
    share = [args.peers // procs + (1 if i < args.peers % procs else 0) for i in range(procs)]
    children = []
    pipes = []
    first = 0
    for i in range(procs):
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(r)
            torrent = Torrent(args.torrent, args.data)  # own fds per process

            def report(ports, w=w):
                os.write(w, ("\n".join(map(str, ports)) + "\n").encode())
                os.close(w)

            asyncio.run(serve(torrent, share[i], first, args.rate_per_peer, report))
            os._exit(0)
        os.close(w)
        children.append(pid)
        pipes.append(r)
        first += share[i]

    def stop_children(*_):
        for pid in children:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass

    signal.signal(signal.SIGTERM, stop_children)
    signal.signal(signal.SIGINT, stop_children)
    ports = []
    for r in pipes:
        chunks = []
        while True:
            chunk = os.read(r, 65536)
            if not chunk:
                break
            chunks.append(chunk)
        os.close(r)
        ports += [int(p) for p in b"".join(chunks).split()]
    if len(ports) != args.peers:
        print("farm: only %d of %d seeders started" % (len(ports), args.peers), file=sys.stderr)
        stop_children()
        return 1
    tmp = args.ports_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("\n".join(map(str, ports)) + "\n")
    os.rename(tmp, args.ports_file)
    print("farm: %d seeders in %d process(es)" % (len(ports), procs), file=sys.stderr, flush=True)
    for pid in children:
        while True:
            try:
                os.waitpid(pid, 0)
                break
            except InterruptedError:
                continue
            except ChildProcessError:
                break
    return 0


if __name__ == "__main__":
    sys.exit(main())
