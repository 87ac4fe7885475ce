"""A pyzmq peer for the interop tests: plays one role of a pattern, prints
what it receives (frames as hex, joined by '|'), exits 0 when done.

usage: pyzmq_peer.py ROLE ENDPOINT bind|connect COUNT [KEY=VALUE ...]
options: server_secret, server_public, client_secret, client_public (Z85 CURVE
keys), server_generate=1 / client_generate=1 (make the keys here; the server
prints "PUBLIC <key>"), plain_user, plain_password, plain_server=1, topic,
timeout_ms.
"""
import sys
import time

import zmq

role, endpoint, how, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
opts = dict(arg.split("=", 1) for arg in sys.argv[5:])
timeout = int(opts.get("timeout_ms", "10000"))

ctx = zmq.Context()
kind = {
    "rep": zmq.REP, "req": zmq.REQ, "pub": zmq.PUB, "sub": zmq.SUB,
    "push": zmq.PUSH, "pull": zmq.PULL, "dealer": zmq.DEALER, "router": zmq.ROUTER,
}[role]
s = ctx.socket(kind)
s.setsockopt(zmq.LINGER, 2000)
s.setsockopt(zmq.RCVTIMEO, timeout)
s.setsockopt(zmq.SNDTIMEO, timeout)

auth = None
if opts.get("server_generate") == "1":
    public, secret = zmq.curve_keypair()
    opts["server_secret"] = secret.decode()
    print("PUBLIC " + public.decode(), flush=True)
if opts.get("client_generate") == "1":
    public, secret = zmq.curve_keypair()
    opts["client_public"], opts["client_secret"] = public.decode(), secret.decode()
if "server_secret" in opts:
    s.curve_server = True
    s.curve_secretkey = opts["server_secret"].encode()
if "client_secret" in opts:
    s.curve_secretkey = opts["client_secret"].encode()
    s.curve_publickey = opts["client_public"].encode()
    s.curve_serverkey = opts["server_public"].encode()
if opts.get("plain_server") == "1":
    from zmq.auth.thread import ThreadAuthenticator
    auth = ThreadAuthenticator(ctx)
    auth.start()
    auth.configure_plain(domain="*", passwords={opts["plain_user"]: opts["plain_password"]})
    s.plain_server = True
elif "plain_user" in opts:
    s.plain_username = opts["plain_user"].encode()
    s.plain_password = opts["plain_password"].encode()
if role == "sub":
    s.setsockopt(zmq.SUBSCRIBE, opts.get("topic", "").encode())

if how == "bind":
    s.bind(endpoint)
else:
    s.connect(endpoint)
print("READY", flush=True)


def show(frames):
    print("RECV " + "|".join(f.hex() for f in frames), flush=True)


if role == "rep":
    for _ in range(count):
        msg = s.recv_multipart()
        show(msg)
        s.send_multipart([b"re:" + msg[0]] + msg[1:])
elif role == "req":
    for i in range(count):
        s.send(b"py-request-%d" % i)
        show(s.recv_multipart())
elif role == "router":
    for _ in range(count):
        msg = s.recv_multipart()  # [id, "", body]
        show(msg[1:])
        s.send_multipart(msg[:-1] + [b"re:" + msg[-1]])
elif role == "dealer":
    for i in range(count):
        s.send_multipart([b"", b"py-job-%d" % i])
        show(s.recv_multipart())
elif role == "push":
    for i in range(count):
        s.send_multipart([b"py-part-a-%d" % i, b"py-part-b"])
elif role == "pull":
    for _ in range(count):
        show(s.recv_multipart())
elif role == "pub":
    end = time.time() + timeout / 1000.0
    i = 0
    while time.time() < end:
        s.send(b"other.%d" % i)
        s.send(b"%s%d" % (opts.get("topic", "").encode(), i))
        i += 1
        time.sleep(0.005)
elif role == "sub":
    for _ in range(count):
        show(s.recv_multipart())

s.close()
if auth is not None:
    auth.stop()
ctx.term()
print("DONE", flush=True)
