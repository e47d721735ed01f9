#!/usr/bin/python3
"""A connection a seeder still holds for an address that is about to be ours:
what a libtorrent seeder kept of bench/magnet's libtorrent leecher (a uTP
connection not yet timed out) when tributary-cli started on the same port.

  stale_peer.py --connect 127.0.0.1:PORT --info-hash HEX --claim-port P

Dials the seeder, shakes hands (BEP 3, BEP 10) saying in its extension
handshake that it listens on P ("p"), and asks for metadata piece 0 (BEP 9):
the seeder answers after it has read "p", so from then on it holds a live
connection for 127.0.0.1:P. Prints HELD then, and holds the connection until
a line CLOSE (or the end of stdin, or --timeout), then closes it and prints
CLOSED. Prints ERROR <why> and exits 1 if the seeder does not play along.
"""
import argparse
import os
import select
import socket
import sys
import time

import libtorrent as lt

OUR_UT_METADATA = 3


def read_exact(sock, n, deadline):
    data = b""
    while len(data) < n:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("timed out")
        sock.settimeout(left)
        chunk = sock.recv(n - len(data))
        if not chunk:
            raise ConnectionError("the seeder closed the connection")
        data += chunk
    return data


def read_message(sock, deadline):
    length = int.from_bytes(read_exact(sock, 4, deadline), "big")
    if length > 1 << 20:
        raise ValueError("a %d-byte message" % length)
    return read_exact(sock, length, deadline) if length else b""


def extended(ext_id, payload):
    body = bytes([20, ext_id]) + payload
    return len(body).to_bytes(4, "big") + body


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--connect", required=True)
    parser.add_argument("--info-hash", required=True)
    parser.add_argument("--claim-port", type=int, required=True)
    parser.add_argument("--timeout", type=float, default=120)
    args = parser.parse_args()
    host, port = args.connect.rsplit(":", 1)
    info_hash = bytes.fromhex(args.info_hash)
    deadline = time.monotonic() + 20
    try:
        sock = socket.create_connection((host, int(port)), timeout=10)
        reserved = bytearray(8)
        reserved[5] |= 0x10  # BEP 10
        sock.sendall(b"\x13BitTorrent protocol" + bytes(reserved) + info_hash +
                     b"-ST0001-" + os.urandom(6).hex().encode())
        theirs = read_exact(sock, 68, deadline)
        if theirs[28:48] != info_hash:
            raise ValueError("the seeder answered for another info-hash")
        sock.sendall(extended(0, lt.bencode({b"m": {b"ut_metadata": OUR_UT_METADATA},
                                             b"p": args.claim_port})))
        their_metadata_id = None
        while True:
            message = read_message(sock, deadline)
            if len(message) < 2 or message[0] != 20:
                continue
            if message[1] == 0 and their_metadata_id is None:
                handshake = lt.bdecode(message[2:])
                their_metadata_id = handshake.get(b"m", {}).get(b"ut_metadata")
                if not their_metadata_id:
                    raise ValueError("the seeder offers no ut_metadata")
                sock.sendall(extended(their_metadata_id,
                                      lt.bencode({b"msg_type": 0, b"piece": 0})))
            elif message[1] == OUR_UT_METADATA:
                break  # its answer: it has read our "p" before it
    except (OSError, ValueError) as e:
        print("ERROR %s" % e, flush=True)
        return 1
    print("HELD", flush=True)

    sock.settimeout(None)
    end = time.monotonic() + args.timeout
    while time.monotonic() < end:
        readable, _, _ = select.select([sock, sys.stdin], [], [], max(0.0, end - time.monotonic()))
        if sys.stdin in readable:
            line = sys.stdin.readline()
            if not line or line.strip() == "CLOSE":
                break
        if sock in readable and not sock.recv(65536):
            print("ERROR the seeder closed the held connection", flush=True)
            return 1
    sock.close()
    print("CLOSED", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
