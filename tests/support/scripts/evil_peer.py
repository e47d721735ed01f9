#!/usr/bin/python3
"""A misbehaving BitTorrent peer for the hostile-peer tests, on 127.0.0.1 only.

  evil_peer.py --torrent FILE --mode MODE [--port P]

It listens and waits for our client to dial it. For each connection it reads
the client's handshake (checking the info-hash), then misbehaves as MODE says,
then reads and drops whatever comes until the client closes. Modes:

  corrupt          a seed (full bitfield, unchoke) answering every request
                   with wrong bytes of the right length
  huge-length      a length prefix of 2^31 (with a bitfield id, nothing after)
  length-over-1mib a length prefix of 1 MiB + 1 (with a bitfield id, nothing after)
  have-out-of-range a have for index == piece count
  big-request      bitfield, unchoke, a request for 16 KiB + 1
  request-past-end bitfield, unchoke, a 16 KiB request starting 8 KiB before
                   the end of the last piece
  second-bitfield  two bitfields
  spare-bits       a bitfield with the spare bits after the last piece set
  long-bitfield    a bitfield one byte too long
  request-flood    600 requests while the client chokes it (never interested)
  garbage          an HTTP request instead of a handshake
  silent           accepts the connection and never sends a byte
  polite           the control: a valid handshake and an empty bitfield, then
                   quiet (a client has no reason to close it for a while)
  bad-metadata     for a magnet: offers ut_metadata (BEP 9) with the right
                   metadata_size, and answers every request with bytes that
                   do not hash to the info-hash. Prints METADATA <n> <pieces>
                   with the pieces it served on connection n
  fast-leech       not misbehaving: a BEP 6 leecher with nothing (have-none),
                   never interested. Waits for the client's allowed-fast
                   messages, checks them against BEP 6's canonical set for
                   127.0.0.1, then, still choked, requests a block of an
                   allowed piece (must be served) and of another piece (must
                   be rejected). Prints FAST <n> set_ok=<0|1> served=<0|1>
                   rejected=<0|1> unchoked=<0|1>

Prints, one line each, flushed:
  LISTENING <port>
  CONNECTED <n>              connection n (1, 2, ...) accepted
  MISBEHAVED <n>             the bad bytes went out on connection n
  CLOSED <n> <seconds>       the client closed connection n, <seconds> after
                             it was accepted
Runs until its stdin closes. Python's standard library only.
"""
import argparse
import hashlib
import os
import random
import select
import socket
import struct
import sys
import threading
import time

PROTOCOL = b"\x13BitTorrent protocol"
MODES = (
    "corrupt", "huge-length", "length-over-1mib", "have-out-of-range", "big-request",
    "request-past-end", "second-bitfield", "spare-bits", "long-bitfield", "request-flood",
    "garbage", "silent", "polite", "fast-leech", "bad-metadata",
)
# A client should close within seconds; this only bounds a thread.
CONNECTION_LIMIT_S = 300

print_lock = threading.Lock()


def say(line):
    with print_lock:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()


# --- just enough bencode to find the info dict's bytes and two fields ---

def bdecode(data, at):
    """Returns (value, end). Dicts come back as {key: (value, start, end)}."""
    c = data[at:at + 1]
    if c == b"i":
        end = data.index(b"e", at)
        return int(data[at + 1:end]), end + 1
    if c == b"l":
        at += 1
        items = []
        while data[at:at + 1] != b"e":
            value, at = bdecode(data, at)
            items.append(value)
        return items, at + 1
    if c == b"d":
        at += 1
        items = {}
        while data[at:at + 1] != b"e":
            key, at = bdecode(data, at)
            start = at
            value, at = bdecode(data, at)
            items[key] = (value, start, at)
        return items, at + 1
    colon = data.index(b":", at)
    length = int(data[at:colon])
    return data[colon + 1:colon + 1 + length], colon + 1 + length


class Torrent:
    def __init__(self, path):
        with open(path, "rb") as f:
            data = f.read()
        top, _ = bdecode(data, 0)
        info, start, end = top[b"info"]
        self.info_bytes = data[start:end]
        self.info_hash = hashlib.sha1(self.info_bytes).digest()
        self.piece_length = info[b"piece length"][0]
        self.piece_count = len(info[b"pieces"][0]) // 20
        if b"files" in info:
            self.total = sum(f[b"length"][0] for f in info[b"files"][0])
        else:
            self.total = info[b"length"][0]

    def piece_size(self, index):
        if index == self.piece_count - 1:
            return self.total - self.piece_length * (self.piece_count - 1)
        return self.piece_length

    def full_bitfield(self):
        data = bytearray(b"\xff" * ((self.piece_count + 7) // 8))
        spare = len(data) * 8 - self.piece_count
        if spare:
            data[-1] &= (0xFF << spare) & 0xFF
        return bytes(data)


def message(msg_id, payload=b""):
    return struct.pack(">IB", 1 + len(payload), msg_id) + payload


def allowed_fast_set(ip, info_hash, piece_count, k):
    """BEP 6's canonical allowed-fast set for an IPv4 address."""
    k = min(k, piece_count)
    result = []
    x = bytes([ip[0], ip[1], ip[2], 0]) + info_hash
    while len(result) < k:
        x = hashlib.sha1(x).digest()
        for i in range(5):
            if len(result) == k:
                break
            index = struct.unpack(">I", x[4 * i:4 * i + 4])[0] % piece_count
            if index not in result:
                result.append(index)
    return result


def bitfield(bits):
    return message(5, bits)


def unchoke():
    return message(1)


def request(index, begin, length):
    return message(6, struct.pack(">III", index, begin, length))


class Connection:
    def __init__(self, sock, number, torrent, mode):
        self.sock = sock
        self.number = number
        self.torrent = torrent
        self.mode = mode
        self.accepted = time.monotonic()
        self.inbox = b""
        self.closed = False

    def recv_some(self, timeout):
        """Appends what arrives within `timeout` to inbox; False once closed."""
        if self.closed:
            return False
        ready, _, _ = select.select([self.sock], [], [], timeout)
        if not ready:
            return True
        try:
            data = self.sock.recv(65536)
        except OSError:
            data = b""
        if not data:
            self.closed = True
            return False
        self.inbox += data
        return True

    def send(self, data):
        try:
            self.sock.sendall(data)
        except OSError:
            self.closed = True

    def read_handshake(self):
        deadline = time.monotonic() + 30
        while len(self.inbox) < 68:
            if not self.recv_some(0.5) or time.monotonic() > deadline:
                return False
        theirs, self.inbox = self.inbox[:68], self.inbox[68:]
        return theirs[:20] == PROTOCOL and theirs[28:48] == self.torrent.info_hash

    def our_handshake(self):
        peer_id = b"-EV0001-" + bytes(random.randrange(256) for _ in range(12))
        # No reserved bits: plain BEP 3, so every message below is a plain one.
        return PROTOCOL + b"\0" * 8 + self.torrent.info_hash + peer_id

    def next_message(self, deadline):
        """(id, payload) of the next whole message, or None at the deadline."""
        while time.monotonic() < deadline:
            while len(self.inbox) >= 4:
                (length,) = struct.unpack(">I", self.inbox[:4])
                if len(self.inbox) < 4 + length:
                    break
                frame, self.inbox = self.inbox[4:4 + length], self.inbox[4 + length:]
                if length > 0:
                    return frame[0], frame[1:]
            if not self.recv_some(0.2):
                return None
        return None

    def fast_leech(self):
        t = self.torrent
        # Reserved bit 0x04 of the last byte: the fast extension.
        peer_id = b"-EV0001-" + bytes(random.randrange(256) for _ in range(12))
        self.send(PROTOCOL + b"\0" * 7 + b"\x04" + t.info_hash + peer_id + message(15))
        expected = allowed_fast_set(bytes([127, 0, 0, 1]), t.info_hash, t.piece_count, 10)
        allowed, unchoked = [], False
        deadline = time.monotonic() + 10
        while len(allowed) < len(expected):
            got = self.next_message(deadline)
            if got is None:
                break
            if got[0] == 17:
                allowed.append(struct.unpack(">I", got[1])[0])
            elif got[0] == 1:
                unchoked = True
        served = rejected = False
        if allowed:
            other = next((p for p in range(t.piece_count) if p not in allowed), None)
            if other is None:
                rejected = True  # every piece is allowed: nothing to refuse
            self.send(request(allowed[0], 0, 16384) +
                      (request(other, 0, 16384) if other is not None else b""))
            deadline = time.monotonic() + 10
            while not (served and rejected):
                got = self.next_message(deadline)
                if got is None:
                    break
                if got[0] == 7 and struct.unpack(">I", got[1][:4])[0] == allowed[0]:
                    served = True
                elif got[0] == 16 and struct.unpack(">I", got[1][:4])[0] == other:
                    rejected = True
                elif got[0] == 1:
                    unchoked = True
        say("FAST %d set_ok=%d served=%d rejected=%d unchoked=%d" % (
            self.number, int(sorted(allowed) == sorted(expected)), int(served), int(rejected),
            int(unchoked)))

    def bad_metadata(self):
        t = self.torrent
        size = len(t.info_bytes)
        peer_id = b"-EV0001-" + bytes(random.randrange(256) for _ in range(12))
        # Reserved bit 0x10 of byte 5: the extension protocol (BEP 10).
        ext = b"d1:md11:ut_metadatai3ee13:metadata_sizei%dee" % size
        self.send(PROTOCOL + b"\0" * 5 + b"\x10" + b"\0" * 2 + t.info_hash + peer_id +
                  message(20, b"\0" + ext))
        their_id, served = None, 0
        deadline = time.monotonic() + 30
        while True:
            got = self.next_message(deadline)
            if got is None:
                break
            if got[0] != 20 or not got[1]:
                continue
            ext_id, body = got[1][0], got[1][1:]
            try:
                value, _ = bdecode(body, 0)
            except (ValueError, IndexError):
                continue
            if ext_id == 0:
                m = value.get(b"m", (None,))[0] or {}
                their_id = m.get(b"ut_metadata", (None,))[0]
            elif ext_id == 3 and their_id and value.get(b"msg_type", (None,))[0] == 0:
                piece = value[b"piece"][0]
                length = min(16384, size - piece * 16384)
                if length <= 0:
                    continue
                junk = (hashlib.sha256(b"%d" % piece).digest() * 1024)[:length]
                head = b"d8:msg_typei1e5:piecei%de10:total_sizei%dee" % (piece, size)
                self.send(message(20, bytes([their_id]) + head + junk))
                served += 1
                say("METADATA %d %d" % (self.number, served))

    def misbehave(self):
        t = self.torrent
        mode = self.mode
        if mode == "silent":
            return
        if mode == "bad-metadata":
            self.bad_metadata()
            return
        if mode == "fast-leech":
            self.fast_leech()
            return
        if mode == "garbage":
            self.send(b"GET /announce HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" + b"\0" * 40)
            return
        out = self.our_handshake()
        if mode in ("corrupt", "big-request", "request-past-end", "second-bitfield"):
            out += bitfield(t.full_bitfield())
        if mode == "corrupt":
            out += unchoke()
        elif mode == "huge-length":
            out += struct.pack(">IB", 0x80000000, 5) + b"\xff" * 16
        elif mode == "length-over-1mib":
            out += struct.pack(">IB", (1 << 20) + 1, 5) + b"\xff" * 16
        elif mode == "have-out-of-range":
            out += message(4, struct.pack(">I", t.piece_count))
        elif mode == "big-request":
            out += unchoke() + request(0, 0, 16384 + 1)
        elif mode == "request-past-end":
            last = t.piece_count - 1
            begin = max(0, t.piece_size(last) - 8192)
            out += unchoke() + request(last, begin, 16384)
        elif mode == "second-bitfield":
            out += bitfield(t.full_bitfield())
        elif mode == "spare-bits":
            out += bitfield(b"\xff" * ((t.piece_count + 7) // 8))
        elif mode == "long-bitfield":
            out += bitfield(t.full_bitfield()[:-1])
        elif mode == "polite":
            out += bitfield(b"\0" * ((t.piece_count + 7) // 8))
        elif mode == "request-flood":
            out += b"".join(request(0, 0, 16384) for _ in range(600))
        self.send(out)

    def answer_requests(self):
        """corrupt: every whole request in the inbox gets wrong bytes."""
        while len(self.inbox) >= 4:
            (length,) = struct.unpack(">I", self.inbox[:4])
            if len(self.inbox) < 4 + length:
                return
            frame, self.inbox = self.inbox[4:4 + length], self.inbox[4 + length:]
            if length == 13 and frame[0] == 6:
                index, begin, size = struct.unpack(">III", frame[1:13])
                if size > 131072:
                    continue
                junk = hashlib.sha256(struct.pack(">II", index, begin)).digest()
                junk = (junk * (size // len(junk) + 1))[:size]
                self.send(message(7, struct.pack(">II", index, begin) + junk))

    def run(self):
        say("CONNECTED %d" % self.number)
        try:
            if self.mode in ("silent", "garbage") or self.read_handshake():
                self.misbehave()
                say("MISBEHAVED %d" % self.number)
            deadline = self.accepted + CONNECTION_LIMIT_S
            while time.monotonic() < deadline and self.recv_some(0.5):
                if self.mode == "corrupt":
                    self.answer_requests()
                elif len(self.inbox) > (1 << 20):
                    self.inbox = b""
        finally:
            say("CLOSED %d %.3f" % (self.number, time.monotonic() - self.accepted))
            self.sock.close()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--torrent", required=True)
    parser.add_argument("--mode", required=True, choices=MODES)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()

    torrent = Torrent(args.torrent)
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", args.port))
    listener.listen(16)
    say("LISTENING %d" % listener.getsockname()[1])

    count = 0
    while True:
        ready, _, _ = select.select([listener, sys.stdin], [], [], 1.0)
        if sys.stdin in ready and not sys.stdin.readline():
            break  # the test closed our stdin (or died)
        if listener in ready:
            sock, _ = listener.accept()
            count += 1
            conn = Connection(sock, count, torrent, args.mode)
            threading.Thread(target=conn.run, daemon=True).start()
    os._exit(0)


if __name__ == "__main__":
    main()
