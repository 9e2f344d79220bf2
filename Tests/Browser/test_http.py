#!/usr/bin/env python3
"""Requests the HTTP parser rejects, sent as raw bytes to the running playground: each must get an
answer with a status of 400 and a JSON body that says what went wrong (not a bare 400 with an empty
body), and the server must keep answering afterwards.

Usage: test_http.py URL        (Tests/Browser/run starts the server and calls this)
"""
import json
import socket
import sys
from urllib.parse import urlparse

URL = urlparse(sys.argv[1])
HOST, PORT = URL.hostname, URL.port

CASES = [
    ("a 100 KB query", b"GET /api/palette?" + b"a" * 100_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n"),
    ("a 100 KB path", b"GET /" + b"p" * 100_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n"),
    ("a 100 KB header value", b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"v" * 100_000 + b"\r\n\r\n"),
    ("2,000 headers", b"GET / HTTP/1.1\r\nHost: x\r\n" + b"".join(b"X-H%d: v\r\n" % i for i in range(2000)) + b"\r\n"),
    ("a control byte in the path", b"GET /a\x01b HTTP/1.1\r\nHost: x\r\n\r\n"),
    ("a NUL in a header", b"GET / HTTP/1.1\r\nHost: x\r\nX-A: a\x00b\r\n\r\n"),
    ("Content-Length: abc", b"GET /api/palette HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n"),
    ("Content-Length: -1", b"GET /api/palette HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n"),
    ("two Content-Lengths that differ", b"GET /api/palette HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab"),
    ("a space in the method", b"G T / HTTP/1.1\r\nHost: x\r\n\r\n"),
    ("HTTP/9.9", b"GET / HTTP/9.9\r\nHost: x\r\n\r\n"),
    ("no version", b"GET /\r\n\r\n"),
    ("a header without a colon", b"GET / HTTP/1.1\r\nHost: x\r\nNoColon\r\n\r\n"),
    ("a space before the colon", b"GET / HTTP/1.1\r\nHost : x\r\n\r\n"),
    ("binary garbage", bytes(range(256)) * 4),
    ("a bare LF in the request line", b"GET / HTTP/1.1\nHost: x\r\n\r\n\x00"),
]


def exchange(raw):
    with socket.create_connection((HOST, PORT), timeout=30) as s:
        try:
            s.sendall(raw)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server may answer and close before reading everything
        data = b""
        while True:
            try:
                chunk = s.recv(65536)
            except ConnectionResetError:
                break
            if not chunk:
                break
            data += chunk
    return data


def main():
    failures = []
    for name, raw in CASES:
        data = exchange(raw)
        head, _, body = data.partition(b"\r\n\r\n")
        status = head.split(b"\r\n")[0].decode("latin-1")
        if not status.startswith("HTTP/1.1 4"):
            failures.append("%s: %r" % (name, status or data[:80]))
            continue
        if status.startswith("HTTP/1.1 400"):
            try:
                message = json.loads(body.decode("utf-8"))["error"]
            except Exception:
                failures.append("%s: %s with body %r" % (name, status, body[:80]))
                continue
        else:
            message = body[:60].decode("utf-8", "replace")
        print("ok - %s: %s, %s" % (name, status, message[:70]))
    alive = exchange(b"GET /api/palette HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    if not alive.startswith(b"HTTP/1.1 200"):
        failures.append("the server stopped answering: %r" % alive[:80])
    else:
        print("ok - the server still answers after %d malformed requests" % len(CASES))
    if failures:
        print("\n".join("not ok - " + f for f in failures))
        sys.exit(1)


if __name__ == "__main__":
    main()
