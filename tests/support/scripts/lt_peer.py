#!/usr/bin/python3
"""A python3-libtorrent peer for interop tests, on 127.0.0.1 only.

  lt_peer.py (--torrent FILE | --magnet URI) --dir DIR [--port P] [--seed-mode] [--exit-when-done]
             [--peer IP:PORT ...] [--upload-limit BYTES] [--download-limit BYTES]
             [--encryption forced|disabled] [--utp-only]

Prints "LISTENING <port>" once it listens, "FINISHED" when the torrent is
complete (leeching), "METADATA" when a magnet's metadata arrived, and
"ERROR <text>" on a torrent error; runs until
killed or stdin closes, then prints "UPLOADED <payload bytes> <all bytes>"
(what it sent in total, for tests that bound waste) and exits. --seed-mode trusts the data without checking it (so
a seeder with corrupted files serves corrupt pieces, for the ban test).
"""
import argparse
import os
import select
import sys
import time

import libtorrent as lt


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--torrent")
    parser.add_argument("--magnet")
    parser.add_argument("--dir", required=True)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--seed-mode", action="store_true")
    parser.add_argument("--peer", action="append", default=[])
    parser.add_argument("--upload-limit", type=int, default=0)
    parser.add_argument("--download-limit", type=int, default=0)
    parser.add_argument("--exit-when-done", action="store_true")
    parser.add_argument("--no-pex", action="store_true")
    # MSE/PE: forced = both ways, RC4 only, plaintext peers refused;
    # disabled = plaintext only; default = libtorrent's (both accepted).
    parser.add_argument("--encryption", choices=["forced", "disabled"])
    # uTP in and out, TCP neither (for the uTP interop test).
    parser.add_argument("--utp-only", action="store_true")
    args = parser.parse_args()

    settings = {
        "listen_interfaces": "127.0.0.1:%d" % args.port,
        "enable_dht": False,
        "enable_lsd": False,
        "enable_upnp": False,
        "enable_natpmp": False,
        "allow_multiple_connections_per_ip": True,
        # We do not speak uTP (yet): libtorrent would try it first on every
        # dial and wait out its connect time-out before falling back to TCP.
        "enable_outgoing_utp": False,
        "enable_incoming_utp": False,
        "alert_mask": lt.alert.category_t.error_notification
        | lt.alert.category_t.status_notification,
        "upload_rate_limit": args.upload_limit,
        "download_rate_limit": args.download_limit,
        # Loopback peers are "local": without this, rate limits skip them.
        "ignore_limits_on_local_network": False,
        "user_agent": "lt_peer",
    }
    if args.utp_only:
        settings["enable_outgoing_utp"] = True
        settings["enable_incoming_utp"] = True
        settings["enable_outgoing_tcp"] = False
        settings["enable_incoming_tcp"] = False
    if args.encryption == "forced":
        settings["out_enc_policy"] = int(lt.enc_policy.pe_forced)
        settings["in_enc_policy"] = int(lt.enc_policy.pe_forced)
        settings["allowed_enc_level"] = int(lt.enc_level.pe_rc4)
    elif args.encryption == "disabled":
        settings["out_enc_policy"] = int(lt.enc_policy.pe_disabled)
        settings["in_enc_policy"] = int(lt.enc_policy.pe_disabled)
    if args.no_pex:
        # Without the default plugins there is no ut_pex; metadata and the
        # smart ban are added back.
        session = lt.session(settings, 0)
        session.add_extension("ut_metadata")
        session.add_extension("smart_ban")
    else:
        session = lt.session(settings)
    if args.magnet:
        params = lt.parse_magnet_uri(args.magnet)
    else:
        params = lt.add_torrent_params()
        params.ti = lt.torrent_info(args.torrent)
    params.save_path = args.dir
    if args.seed_mode:
        params.flags |= lt.torrent_flags.seed_mode
    handle = session.add_torrent(params)

    port = 0
    deadline = time.monotonic() + 20
    while port == 0 and time.monotonic() < deadline:
        port = session.listen_port()
        if port == 0:
            time.sleep(0.05)
    print("LISTENING %d" % port, flush=True)

    for text in args.peer:
        host, _, peer_port = text.rpartition(":")
        handle.connect_peer((host, int(peer_port)))

    finished = False
    has_metadata = not args.magnet
    while True:
        for alert in session.pop_alerts():
            if isinstance(alert, lt.torrent_error_alert):
                print("ERROR %s" % alert.message(), flush=True)
        status = handle.status()
        if not has_metadata and status.has_metadata:
            has_metadata = True
            print("METADATA", flush=True)
        if not finished and status.is_seeding:
            finished = True
            print("FINISHED", flush=True)
            if args.exit_when_done:
                break
        # Exit when the test closes our stdin (or dies); a benchmark run
        # (--exit-when-done) has no stdin to watch.
        if args.exit_when_done:
            time.sleep(0.02)
            continue
        ready, _, _ = select.select([sys.stdin], [], [], 0.1)
        if ready and not sys.stdin.readline():
            status = handle.status()
            print("UPLOADED %d %d" % (status.total_payload_upload, status.total_upload), flush=True)
            break
    os._exit(0)


if __name__ == "__main__":
    main()
