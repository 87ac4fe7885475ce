"""A pyzmq peer for the typed-message tests (tests/serde.rs).

usage: pyzmq_serde.py json|msgpack to_rust|from_rust ENDPOINT

Connects a PAIR socket to ENDPOINT and prints READY.
to_rust: sends every case of the format (single frames, then one multipart
message, then the frames Rust must refuse) the way a Python user would
(send_json / msgpack.packb, send_serialized), then waits for Rust's b"done".
from_rust: receives the same cases (recv_json / msgpack.unpackb,
recv_serialized) and prints "MATCH name", or "MISMATCH name got=... want=..."
when the value, compared type by type, differs. Prints DONE at the end.
"""
import json
import sys

import zmq

fmt, direction, endpoint = sys.argv[1], sys.argv[2], sys.argv[3]
if fmt == "msgpack":
    import msgpack

JOB = {
    "id": 7,
    "name": "b\u00fcro \u2603 \U0001F600",
    "tags": ["a", "b"],
    "ratio": 0.5,
    "done": False,
    "parent": None,
}
# (name, value): the same cases, in the same order, as in tests/serde.rs.
CASES = [
    ("job", JOB),
    ("unit_variant", "Idle"),
    ("newtype_variant", {"Running": 3}),
    ("struct_variant", {"Failed": {"code": -2, "reason": "disk full"}}),
    ("tuple", [1, "two", 3.25]),
    ("map", {"a": 1, "b": 2}),
    ("extremes", [18446744073709551615, -9223372036854775808]),
    ("text", "\u00e9\u4e2d\U0001F600\x00 \"quoted\" \\"),
]
if fmt == "msgpack":
    CASES.append(("bytes", b"\x00\xff\x10"))
MULTIPART = [JOB, "Idle", [1, 2, 3]]


def strict_equal(got, want):
    """Equal, and of the same types all the way down (False is not 0)."""
    if type(got) is not type(want):
        return False
    if isinstance(want, dict):
        return list(got) == list(want) and all(strict_equal(got[k], want[k]) for k in want)
    if isinstance(want, list):
        return len(got) == len(want) and all(map(strict_equal, got, want))
    return got == want


def report(name, got, want):
    if strict_equal(got, want):
        print("MATCH " + name, flush=True)
    else:
        print("MISMATCH %s got=%r want=%r" % (name, got, want), flush=True)


ctx = zmq.Context()
s = ctx.socket(zmq.PAIR)
s.setsockopt(zmq.LINGER, 2000)
s.setsockopt(zmq.RCVTIMEO, 10000)
s.setsockopt(zmq.SNDTIMEO, 10000)
s.connect(endpoint)
print("READY", flush=True)

if fmt == "json":
    send_one, recv_one = s.send_json, s.recv_json
    pack_frames = lambda values: [json.dumps(v).encode() for v in values]
    unpack_frames = lambda frames: [json.loads(f) for f in frames]
else:
    send_one = lambda value: s.send(msgpack.packb(value))
    recv_one = lambda: msgpack.unpackb(s.recv())
    pack_frames = lambda values: [msgpack.packb(v) for v in values]
    unpack_frames = lambda frames: [msgpack.unpackb(f) for f in frames]

if direction == "to_rust":
    for _, value in CASES:
        send_one(value)
    s.send_serialized(MULTIPART, pack_frames)
    if fmt == "json":
        # What Rust must refuse, each followed by a good frame.
        send_one(float("nan"))  # json.dumps writes NaN, which is not JSON
        send_one(1)
        send_one("\ud800")  # a lone surrogate: no Rust string
        send_one(2)
    else:
        # A job as an array (rmp-serde's compact form), which Rust accepts.
        send_one([7, JOB["name"], ["a", "b"], 0.5, False, None])
        s.send(msgpack.packb("seven"))  # a str where Rust wants a number
        send_one(1)
        s.send(msgpack.packb(1) + msgpack.packb(2))  # two values in one frame
        send_one(2)
    if s.recv() != b"done":
        sys.exit("no done from rust")
else:
    for name, want in CASES:
        report(name, recv_one(), want)
    report("multipart", s.recv_serialized(unpack_frames), MULTIPART)
    if fmt == "msgpack":
        # Integer map keys: Python's default unpackb refuses them.
        frame = s.recv()
        try:
            msgpack.unpackb(frame)
            print("MISMATCH int_keys: accepted by strict_map_key", flush=True)
        except ValueError:
            report("int_keys", msgpack.unpackb(frame, strict_map_key=False), {1: "one", 2: "two"})

s.close()
ctx.term()
print("DONE", flush=True)
