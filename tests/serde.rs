//! Typed messages (feature `serde`): round trips over inproc, the exact bytes
//! on the wire, every way a frame can fail to decode or a value to encode, and
//! pyzmq at the other end (`send_json`/`recv_json`, `msgpack` from PyPI or
//! Debian) in both directions over tcp loopback.
mod common;

#[test]
fn typed_messages_are_there_when_asked_for() {
    #[cfg(feature = "serde")]
    assert_eq!(zmq::Codec::encode(&zmq::Json, &1u8).unwrap(), b"1");
    #[cfg(not(feature = "serde"))]
    common::skip("typed message tests need `--features serde`");
}

#[cfg(feature = "serde")]
mod typed {
    use super::common;

    use std::collections::{BTreeMap, HashMap};
    use std::process::{Child, Stdio};
    use std::sync::mpsc::Receiver;
    use std::time::{Duration, Instant};

    use serde::{Deserialize, Serialize};
    use serde_bytes::ByteBuf;
    use zmq::{Codec, Json, MessagePack, MessagePackError, Multipart, SerdeError};

    use common::socket;

    #[derive(Serialize, Deserialize, Debug, PartialEq, Clone)]
    struct Job {
        id: u32,
        name: String,
        tags: Vec<String>,
        ratio: f64,
        done: bool,
        parent: Option<u32>,
    }

    #[derive(Serialize, Deserialize, Debug, PartialEq, Clone)]
    enum Status {
        Idle,
        Running(u32),
        Paused(u8, String),
        Failed { code: i32, reason: String },
    }

    fn job() -> Job {
        Job {
            id: 7,
            name: "b\u{fc}ro \u{2603} \u{1F600}".into(),
            tags: vec!["a".into(), "b".into()],
            ratio: 0.5,
            done: false,
            parent: None,
        }
    }

    /// A connected PAIR of sockets over inproc.
    fn pair(ctx: &zmq::Context) -> (zmq::Socket, zmq::Socket) {
        let endpoint = common::inproc("serde");
        let a = socket(ctx, zmq::PAIR);
        a.bind(&endpoint).unwrap();
        let b = socket(ctx, zmq::PAIR);
        b.connect(&endpoint).unwrap();
        (a, b)
    }

    /// Nothing is waiting on `s`.
    fn assert_nothing_waiting(s: &zmq::Socket) {
        assert_eq!(s.recv_msg(zmq::DONTWAIT).unwrap_err(), zmq::Error::EAGAIN);
    }

    /// A type whose serialization always fails.
    struct Unencodable;

    impl Serialize for Unencodable {
        fn serialize<S: serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
            Err(serde::ser::Error::custom(
                "this value refuses to be encoded",
            ))
        }
    }

    // ---- round trips --------------------------------------------------------

    fn round_trip<C, T>(a: &zmq::Socket, b: &zmq::Socket, codec: C, value: T)
    where
        C: Codec + Copy,
        T: Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
    {
        a.send_serialized(&value, codec, 0).unwrap();
        let got: T = b.recv_serialized(codec, 0).unwrap();
        assert_eq!(got, value, "{}", C::NAME);
    }

    fn round_trips_with<C: Codec + Copy>(codec: C) {
        let ctx = zmq::Context::new();
        let (a, b) = pair(&ctx);
        round_trip(&a, &b, codec, 42u8);
        round_trip(&a, &b, codec, -1i64);
        round_trip(&a, &b, codec, u64::MAX);
        round_trip(&a, &b, codec, i64::MIN);
        round_trip(&a, &b, codec, 1.0e-300f64);
        round_trip(&a, &b, codec, true);
        round_trip(&a, &b, codec, 'é');
        round_trip(&a, &b, codec, String::new());
        round_trip(&a, &b, codec, "\u{0}\u{1F600} \"quoted\" \\".to_owned());
        round_trip(&a, &b, codec, Some(3u16));
        round_trip(&a, &b, codec, None::<u16>);
        round_trip(&a, &b, codec, ());
        round_trip(&a, &b, codec, vec![1u32, 2, 3]);
        round_trip(&a, &b, codec, Vec::<Job>::new());
        round_trip(&a, &b, codec, (1u8, "two".to_owned(), 3.25f32));
        round_trip(&a, &b, codec, [[0u8; 3]; 2]);
        round_trip(&a, &b, codec, ByteBuf::from(vec![0u8, 255, 16]));
        round_trip(
            &a,
            &b,
            codec,
            BTreeMap::from([("x".to_owned(), vec![job()]), ("y".to_owned(), vec![])]),
        );
        round_trip(&a, &b, codec, HashMap::from([("k".to_owned(), 1i8)]));
        round_trip(&a, &b, codec, job());
        round_trip(&a, &b, codec, Status::Idle);
        round_trip(&a, &b, codec, Status::Running(9));
        round_trip(&a, &b, codec, Status::Paused(1, "lunch".into()));
        round_trip(
            &a,
            &b,
            codec,
            Status::Failed {
                code: -2,
                reason: "disk full".into(),
            },
        );
        // A large value: 100 000 frames' worth of numbers in one frame.
        round_trip(&a, &b, codec, (0..100_000u32).collect::<Vec<_>>());
    }

    #[test]
    fn json_round_trips_values_structs_and_enums() {
        round_trips_with(Json);
    }

    #[test]
    fn msgpack_round_trips_values_structs_and_enums() {
        round_trips_with(MessagePack);
    }

    #[test]
    fn a_codec_by_reference_is_a_codec() {
        let ctx = zmq::Context::new();
        let (a, b) = pair(&ctx);
        let codec: &MessagePack = &MessagePack;
        a.send_serialized(&job(), codec, 0).unwrap();
        let twice: &&MessagePack = &codec;
        assert_eq!(b.recv_serialized::<_, Job>(twice, 0).unwrap(), job());
        assert_eq!(<&&MessagePack as Codec>::NAME, "MessagePack");
    }

    #[test]
    fn json_and_msgpack_conveniences_use_their_codecs() {
        let ctx = zmq::Context::new();
        let (a, b) = pair(&ctx);
        a.send_json(&job(), 0).unwrap();
        assert_eq!(b.recv_msg(0).unwrap()[..], Json.encode(&job()).unwrap()[..]);
        a.send_msgpack(&job(), 0).unwrap();
        assert_eq!(
            b.recv_msg(0).unwrap()[..],
            MessagePack.encode(&job()).unwrap()[..]
        );
        a.send_serialized(&job(), Json, 0).unwrap();
        assert_eq!(b.recv_json::<Job>(0).unwrap(), job());
        a.send_serialized(&job(), MessagePack, 0).unwrap();
        assert_eq!(b.recv_msgpack::<Job>(0).unwrap(), job());
    }

    #[test]
    fn multipart_tuples_arrays_and_vectors_round_trip() {
        let ctx = zmq::Context::new();
        let (a, b) = pair(&ctx);
        // A tuple: each frame its own type; references serialize as their values.
        a.send_serialized_multipart(&("jobs.new", &job(), Status::Idle), Json, 0)
            .unwrap();
        let got: (String, Job, Status) = b.recv_serialized_multipart(Json, 0).unwrap();
        assert_eq!(got, ("jobs.new".to_owned(), job(), Status::Idle));

        a.send_serialized_multipart(&(1u8, job()), MessagePack, 0)
            .unwrap();
        let got: (u8, Job) = b.recv_serialized_multipart(MessagePack, 0).unwrap();
        assert_eq!(got, (1, job()));

        // One frame per element, as the receiver sees it.
        a.send_serialized_multipart(&vec![1u32, 2, 3], Json, 0)
            .unwrap();
        assert_eq!(
            b.recv_multipart(0).unwrap(),
            vec![b"1".to_vec(), b"2".to_vec(), b"3".to_vec()]
        );

        // Arrays, slices and vectors decode from as many frames as were sent.
        a.send_serialized_multipart(&[Status::Idle, Status::Running(1)], MessagePack, 0)
            .unwrap();
        let got: [Status; 2] = b.recv_serialized_multipart(MessagePack, 0).unwrap();
        assert_eq!(got, [Status::Idle, Status::Running(1)]);

        let jobs = vec![job(); 5];
        a.send_serialized_multipart(&jobs[..], Json, 0).unwrap();
        let got: Vec<Job> = b.recv_serialized_multipart(Json, 0).unwrap();
        assert_eq!(got, jobs);

        // An eight-value tuple, the largest.
        let eight = (1u8, 2u16, 3u32, 4u64, 5i8, 6i16, "7".to_owned(), 8.5f64);
        a.send_serialized_multipart(&eight, MessagePack, 0).unwrap();
        let got: (u8, u16, u32, u64, i8, i16, String, f64) =
            b.recv_serialized_multipart(MessagePack, 0).unwrap();
        assert_eq!(got, eight);

        // A one-frame message decodes into a vector of one.
        a.send_json(&job(), 0).unwrap();
        let got: Vec<Job> = b.recv_serialized_multipart(Json, 0).unwrap();
        assert_eq!(got, vec![job()]);
    }

    #[test]
    fn an_empty_slice_sends_nothing() {
        let ctx = zmq::Context::new();
        let (a, b) = pair(&ctx);
        a.send_serialized_multipart(&Vec::<u32>::new(), Json, 0)
            .unwrap();
        assert_nothing_waiting(&b);
    }

    #[test]
    fn typed_and_raw_frames_mix_with_sndmore() {
        let ctx = zmq::Context::new();
        let (a, b) = pair(&ctx);
        // An envelope of raw frames, then a typed body, as a ROUTER reply is built.
        a.send("client-1", zmq::SNDMORE).unwrap();
        a.send("", zmq::SNDMORE).unwrap();
        a.send_json(&Status::Running(2), 0).unwrap();
        // A single-frame receive takes one frame, as `recv_msg` does.
        assert_eq!(b.recv_bytes(0).unwrap(), b"client-1");
        assert_eq!(b.recv_bytes(0).unwrap(), b"");
        assert!(b.get_rcvmore().unwrap());
        assert_eq!(b.recv_json::<Status>(0).unwrap(), Status::Running(2));
        assert!(!b.get_rcvmore().unwrap());

        // A typed frame can lead: SNDMORE passes through.
        a.send_msgpack(&7u8, zmq::SNDMORE).unwrap();
        a.send("tail", 0).unwrap();
        assert_eq!(b.recv_msgpack::<u8>(0).unwrap(), 7);
        assert_eq!(b.recv_bytes(0).unwrap(), b"tail");
    }

    // ---- wire formats ---------------------------------------------------------

    #[test]
    fn json_frames_are_compact_utf8_json() {
        let ctx = zmq::Context::new();
        let (a, b) = pair(&ctx);
        a.send_json(&job(), 0).unwrap();
        assert_eq!(
            b.recv_string(0).unwrap().unwrap(),
            "{\"id\":7,\"name\":\"b\u{fc}ro \u{2603} \u{1F600}\",\"tags\":[\"a\",\"b\"],\
             \"ratio\":0.5,\"done\":false,\"parent\":null}"
        );
        for (status, text) in [
            (Status::Idle, "\"Idle\""),
            (Status::Running(3), "{\"Running\":3}"),
            (Status::Paused(1, "x".into()), "{\"Paused\":[1,\"x\"]}"),
            (
                Status::Failed {
                    code: -2,
                    reason: "r".into(),
                },
                "{\"Failed\":{\"code\":-2,\"reason\":\"r\"}}",
            ),
        ] {
            a.send_json(&status, 0).unwrap();
            assert_eq!(b.recv_string(0).unwrap().unwrap(), text);
        }
        // JSON has no NaN: it goes out as null.
        assert_eq!(Json.encode(&f64::NAN).unwrap(), b"null");
        // White space around the value is JSON; pyzmq's json.dumps writes it.
        assert_eq!(Json.decode::<Vec<u8>>(b" [1, 2] \n").unwrap(), vec![1, 2]);
    }

    #[test]
    fn msgpack_structs_are_maps_keyed_by_field_name() {
        #[derive(Serialize, Deserialize, Debug, PartialEq)]
        struct Point {
            x: u8,
            y: i8,
        }
        let ctx = zmq::Context::new();
        let (a, b) = pair(&ctx);
        a.send_msgpack(&Point { x: 1, y: -1 }, 0).unwrap();
        // fixmap of 2: fixstr "x", 1, fixstr "y", -1 (negative fixint).
        assert_eq!(
            b.recv_bytes(0).unwrap(),
            [0x82, 0xa1, b'x', 0x01, 0xa1, b'y', 0xff]
        );
        for (status, bytes) in [
            (Status::Idle, &b"\xa4Idle"[..]),
            (Status::Running(3), b"\x81\xa7Running\x03"),
            (
                Status::Paused(1, "x".into()),
                b"\x81\xa6Paused\x92\x01\xa1x",
            ),
            (
                Status::Failed {
                    code: -2,
                    reason: "r".into(),
                },
                b"\x81\xa6Failed\x82\xa4code\xfe\xa6reason\xa1r",
            ),
        ] {
            a.send_msgpack(&status, 0).unwrap();
            assert_eq!(b.recv_bytes(0).unwrap(), bytes, "{status:?}");
        }
        // serde_bytes values are bin; a Vec<u8> is an array of integers.
        assert_eq!(
            MessagePack.encode(&ByteBuf::from(vec![0, 255])).unwrap(),
            b"\xc4\x02\x00\xff"
        );
        assert_eq!(
            MessagePack.encode(&vec![0u8, 255]).unwrap(),
            b"\x92\x00\xcc\xff"
        );
        // The compact form (structs as arrays) decodes too.
        let compact = rmp_serde::to_vec(&Point { x: 1, y: -1 }).unwrap();
        assert_eq!(compact, [0x92, 0x01, 0xff]);
        assert_eq!(
            MessagePack.decode::<Point>(&compact).unwrap(),
            Point { x: 1, y: -1 }
        );
    }

    // ---- failures: decoding ---------------------------------------------------

    /// Receives one frame that must fail to decode as `T`; checks that the error
    /// keeps it and says where and with which codec.
    fn assert_undecodable<C: Codec + Copy, T>(
        a: &zmq::Socket,
        b: &zmq::Socket,
        codec: C,
        bytes: &[u8],
    ) -> Box<dyn std::error::Error + Send + Sync>
    where
        T: serde::de::DeserializeOwned + std::fmt::Debug,
    {
        a.send(bytes, 0).unwrap();
        let err = b.recv_serialized::<C, T>(codec, 0).unwrap_err();
        assert_eq!(err.frames().map(|f| f.len()), Some(1), "{err}");
        assert_eq!(&err.frames().unwrap()[0][..], bytes, "{err}");
        assert!(err.zmq_error().is_none());
        let text = err.to_string();
        assert!(
            text.starts_with(&format!("cannot decode frame 0 of 1 as {}: ", C::NAME)),
            "{text}"
        );
        match err {
            SerdeError::Decode {
                codec: name,
                frame,
                frames,
                source,
            } => {
                assert_eq!((name, frame), (C::NAME, 0));
                assert_eq!(&frames[0][..], bytes);
                source
            }
            other => panic!("not a decode error: {other:?}"),
        }
    }

    #[test]
    fn bad_json_is_an_error_that_keeps_the_frame() {
        let ctx = zmq::Context::new();
        let (a, b) = pair(&ctx);
        let full = Json.encode(&job()).unwrap();
        // Every cut of a struct's JSON, the empty frame included, fails.
        for len in 0..full.len() {
            assert_undecodable::<_, Job>(&a, &b, Json, &full[..len]);
        }
        assert_undecodable::<_, Job>(&a, &b, Json, b"{\"id\":\"seven\"}"); // wrong type
        assert_undecodable::<_, Job>(&a, &b, Json, b"{\"id\":7}"); // missing fields
        assert_undecodable::<_, u8>(&a, &b, Json, b"256"); // out of range
        assert_undecodable::<_, u32>(&a, &b, Json, b"-1");
        assert_undecodable::<_, Status>(&a, &b, Json, b"\"Sleeping\""); // no such variant
        assert_undecodable::<_, u32>(&a, &b, Json, b"1 2"); // two values
        assert_undecodable::<_, u32>(&a, &b, Json, b"1}"); // trailing garbage
        assert_undecodable::<_, f64>(&a, &b, Json, b"NaN");
        assert_undecodable::<_, String>(&a, &b, Json, b"\"\\ud800\""); // lone surrogate
        assert_undecodable::<_, String>(&a, &b, Json, b"\"\xff\xfe\""); // not UTF-8
        assert_undecodable::<_, String>(&a, &b, Json, &[0x80; 64]);
        // Deep nesting hits serde_json's recursion limit instead of the stack's end.
        let deep = [b'['; 100_000];
        assert_undecodable::<_, serde_json::Value>(&a, &b, Json, &deep);
        assert_undecodable::<_, serde::de::IgnoredAny>(&a, &b, Json, &deep);
        // The socket is still in step: the next frame decodes.
        a.send_json(&job(), 0).unwrap();
        assert_eq!(b.recv_json::<Job>(0).unwrap(), job());
    }

    #[test]
    fn bad_msgpack_is_an_error_that_keeps_the_frame() {
        let ctx = zmq::Context::new();
        let (a, b) = pair(&ctx);
        let full = MessagePack.encode(&job()).unwrap();
        for len in 0..full.len() {
            assert_undecodable::<_, Job>(&a, &b, MessagePack, &full[..len]);
        }
        // 0xc1 is the one marker MessagePack never uses.
        assert_undecodable::<_, u32>(&a, &b, MessagePack, &[0xc1]);
        assert_undecodable::<_, u32>(&a, &b, MessagePack, b"\xa5seven"); // a str, not a number
        assert_undecodable::<_, u8>(&a, &b, MessagePack, b"\xcd\x01\x00"); // 256
        assert_undecodable::<_, Status>(&a, &b, MessagePack, b"\xa8Sleeping");
        assert_undecodable::<_, String>(&a, &b, MessagePack, b"\xa2\xff\xfe"); // not UTF-8
                                                                               // Lengths far beyond the frame: refused, not allocated.
        assert_undecodable::<_, Vec<u64>>(&a, &b, MessagePack, b"\xdd\xff\xff\xff\xff");
        assert_undecodable::<_, ByteBuf>(&a, &b, MessagePack, b"\xc6\xff\xff\xff\xff\x00");
        assert_undecodable::<_, String>(&a, &b, MessagePack, b"\xdb\xff\xff\xff\xff\x00");
        assert_undecodable::<_, BTreeMap<String, u8>>(&a, &b, MessagePack, b"\xdf\xff\xff\xff\xff");
        // Deep nesting hits rmp-serde's depth limit instead of the stack's end.
        let deep = [0x91u8; 100_000];
        assert_undecodable::<_, serde::de::IgnoredAny>(&a, &b, MessagePack, &deep);
        // A value and more: the codec says so.
        for trailing in [
            &b"\x01\x02"[..],
            b"\x01\xc1",
            b"\x01\x91",
            b"\x01\x90",
            b"\x01\xc0",
            b"\x01\xcc",
            b"\x01\xd9",
            b"\x01\xdd\xff\xff\xff\xff",
            b"\x01\xd4",
        ] {
            let source = assert_undecodable::<_, u8>(&a, &b, MessagePack, trailing);
            assert!(
                matches!(
                    source.downcast_ref::<MessagePackError>(),
                    Some(MessagePackError::TrailingBytes)
                ),
                "{source:?}"
            );
        }
        a.send_msgpack(&job(), 0).unwrap();
        assert_eq!(b.recv_msgpack::<Job>(0).unwrap(), job());
    }

    #[test]
    fn nesting_is_limited_as_in_serde_json() {
        use serde::de::IgnoredAny;
        fn nested_json(depth: usize) -> Vec<u8> {
            [vec![b'['; depth], vec![b']'; depth]].concat()
        }
        // fixarray of one, down to an empty fixarray.
        fn nested_msgpack(depth: usize) -> Vec<u8> {
            [vec![0x91; depth - 1], vec![0x90]].concat()
        }
        // 127 levels decode, 128 do not, in both (serde_json skips an
        // IgnoredAny without recursion: count with Values there).
        for depth in [1, 127] {
            Json.decode::<serde_json::Value>(&nested_json(depth))
                .unwrap();
            MessagePack
                .decode::<IgnoredAny>(&nested_msgpack(depth))
                .unwrap();
            MessagePack
                .decode::<serde_json::Value>(&nested_msgpack(depth))
                .unwrap();
        }
        for depth in [128, 100_000] {
            let err = Json
                .decode::<serde_json::Value>(&nested_json(depth))
                .unwrap_err();
            assert!(err.to_string().contains("recursion limit"), "{err}");
            let err = MessagePack
                .decode::<IgnoredAny>(&nested_msgpack(depth))
                .unwrap_err();
            assert!(
                matches!(
                    err,
                    MessagePackError::Decode(rmp_serde::decode::Error::DepthLimitExceeded)
                ),
                "{err:?}"
            );
        }
    }

    #[test]
    fn codec_errors_are_the_codecs_own() {
        let json = Json.decode::<u32>(b"x").unwrap_err();
        assert!(json.is_syntax());
        let msgpack = MessagePack.decode::<u32>(b"\xa1x").unwrap_err();
        assert!(
            matches!(msgpack, MessagePackError::Decode(_)),
            "{msgpack:?}"
        );
        let unencodable = MessagePack.encode(&Unencodable).unwrap_err();
        assert!(matches!(unencodable, MessagePackError::Encode(_)));
        assert!(unencodable.to_string().contains("refuses"), "{unencodable}");
    }

    #[test]
    fn random_bytes_never_panic_a_decoder() {
        // A fixed xorshift stream: the same 3 000 frames on every run.
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut decoded = [0usize; 2];
        for _ in 0..3_000 {
            let len = (next() % 48) as usize;
            let bytes: Vec<u8> = (0..len).map(|_| next() as u8).collect();
            decoded[0] += usize::from(MessagePack.decode::<(Job, Status)>(&bytes).is_ok());
            decoded[0] += usize::from(MessagePack.decode::<serde::de::IgnoredAny>(&bytes).is_ok());
            decoded[1] += usize::from(Json.decode::<Vec<Status>>(&bytes).is_ok());
            decoded[1] += usize::from(Json.decode::<serde::de::IgnoredAny>(&bytes).is_ok());
        }
        // Random bytes are rarely a value: most must fail (and none panic).
        assert!(decoded[0] < 3_000 && decoded[1] < 300, "{decoded:?}");
    }

    #[test]
    fn a_wrong_frame_count_keeps_every_frame() {
        let ctx = zmq::Context::new();
        let (a, b) = pair(&ctx);
        // Too many for a pair.
        a.send_multipart(["1", "2", "3"], 0).unwrap();
        let err = b
            .recv_serialized_multipart::<_, (u8, u8)>(Json, 0)
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "expected a message of 2 frames, received 3"
        );
        match err {
            SerdeError::FrameCount { expected, frames } => {
                assert_eq!(expected, 2);
                let frames: Vec<Vec<u8>> = frames.iter().map(|m| m.to_vec()).collect();
                assert_eq!(frames, [b"1", b"2", b"3"]);
            }
            other => panic!("{other:?}"),
        }
        // Too few for a triple and for an array.
        a.send_multipart(["1", "2"], 0).unwrap();
        let err = b
            .recv_serialized_multipart::<_, (u8, u8, u8)>(MessagePack, 0)
            .unwrap_err();
        assert!(matches!(err, SerdeError::FrameCount { expected: 3, .. }));
        assert_eq!(err.into_frames().unwrap().len(), 2);
        a.send_multipart(["1", "2"], 0).unwrap();
        let err = b
            .recv_serialized_multipart::<_, [u8; 1]>(Json, 0)
            .unwrap_err();
        assert!(matches!(err, SerdeError::FrameCount { expected: 1, .. }));
        // The socket is in step.
        a.send_serialized_multipart(&(1u8, 2u8), Json, 0).unwrap();
        assert_eq!(
            b.recv_serialized_multipart::<_, (u8, u8)>(Json, 0).unwrap(),
            (1, 2)
        );
    }

    #[test]
    fn a_bad_frame_in_a_multipart_message_names_its_index() {
        let ctx = zmq::Context::new();
        let (a, b) = pair(&ctx);
        a.send_multipart(["1", "oops", "3"], 0).unwrap();
        let err = b
            .recv_serialized_multipart::<_, Vec<u32>>(Json, 0)
            .unwrap_err();
        assert!(
            err.to_string()
                .starts_with("cannot decode frame 1 of 3 as JSON: "),
            "{err}"
        );
        let SerdeError::Decode { frame, frames, .. } = err else {
            panic!("{err:?}");
        };
        assert_eq!(frame, 1);
        let expected: Multipart = vec!["1", "oops", "3"].into();
        assert_eq!(frames, expected);

        // In a tuple, too: the last frame is the wrong type.
        a.send_serialized_multipart(&("topic", 5u8, "five"), MessagePack, 0)
            .unwrap();
        let err = b
            .recv_serialized_multipart::<_, (String, u8, u8)>(MessagePack, 0)
            .unwrap_err();
        assert!(
            matches!(err, SerdeError::Decode { frame: 2, .. }),
            "{err:?}"
        );
        assert_eq!(err.frames().unwrap().len(), 3);
        // And in an array.
        a.send_multipart(["1", "2", "x"], 0).unwrap();
        let err = b
            .recv_serialized_multipart::<_, [u8; 3]>(Json, 0)
            .unwrap_err();
        assert!(
            matches!(err, SerdeError::Decode { frame: 2, .. }),
            "{err:?}"
        );
    }

    // ---- failures: encoding and transport --------------------------------------

    #[test]
    fn an_unencodable_value_sends_nothing() {
        let ctx = zmq::Context::new();
        let (a, b) = pair(&ctx);
        let err = a.send_json(&Unencodable, 0).unwrap_err();
        assert!(
            matches!(
                err,
                SerdeError::Encode {
                    codec: "JSON",
                    frame: 0,
                    ..
                }
            ),
            "{err:?}"
        );
        assert!(err.frames().is_none());
        assert!(err.to_string().contains("refuses"), "{err}");
        // serde_json wants string keys; MessagePack takes any.
        let map = BTreeMap::from([((1u8, 2u8), "pair")]);
        assert!(matches!(
            a.send_json(&map, 0),
            Err(SerdeError::Encode { .. })
        ));
        assert!(matches!(
            a.send_msgpack(&Unencodable, 0),
            Err(SerdeError::Encode {
                codec: "MessagePack",
                ..
            })
        ));
        assert_nothing_waiting(&b);

        // A multipart message is encoded whole before any frame goes out.
        let err = a
            .send_serialized_multipart(&(1u8, Unencodable, 3u8), MessagePack, 0)
            .unwrap_err();
        assert!(
            err.to_string()
                .starts_with("cannot encode frame 1 as MessagePack: "),
            "{err}"
        );
        assert_nothing_waiting(&b);
        a.send_msgpack(&map, 0).unwrap();
        assert_eq!(
            b.recv_msgpack::<BTreeMap<(u8, u8), String>>(0).unwrap(),
            BTreeMap::from([((1, 2), "pair".to_owned())])
        );
    }

    #[test]
    fn transport_errors_are_zmq_errors() {
        let ctx = zmq::Context::new();
        let (_a, b) = pair(&ctx);
        let err = b.recv_json::<u8>(zmq::DONTWAIT).unwrap_err();
        assert_eq!(err.zmq_error(), Some(zmq::Error::EAGAIN));
        assert!(matches!(err, SerdeError::Zmq(zmq::Error::EAGAIN)));
        assert_eq!(err.to_string(), zmq::Error::EAGAIN.to_string());
        let err = b
            .recv_serialized_multipart::<_, Vec<u8>>(MessagePack, zmq::DONTWAIT)
            .unwrap_err();
        assert_eq!(err.zmq_error(), Some(zmq::Error::EAGAIN));

        // Nobody connected: a PUSH with a full queue of nothing cannot send.
        let push = socket(&ctx, zmq::PUSH);
        push.bind(&common::inproc("serde-push")).unwrap();
        let err = push.send_json(&1u8, zmq::DONTWAIT).unwrap_err();
        assert_eq!(err.zmq_error(), Some(zmq::Error::EAGAIN));
        let err = push
            .send_serialized_multipart(&[1u8, 2], Json, zmq::DONTWAIT)
            .unwrap_err();
        assert_eq!(err.zmq_error(), Some(zmq::Error::EAGAIN));
        // `?` turns a zmq::Error into a SerdeError.
        fn through_question_mark() -> Result<(), SerdeError> {
            let terminated: zmq::Result<()> = Err(zmq::Error::ETERM);
            terminated?;
            Ok(())
        }
        assert!(matches!(
            through_question_mark(),
            Err(SerdeError::Zmq(zmq::Error::ETERM))
        ));
    }

    static_assertions::assert_impl_all!(SerdeError: Send, Sync, std::error::Error);
    static_assertions::assert_impl_all!(MessagePackError: Send, Sync, std::error::Error);
    static_assertions::assert_impl_all!(Json: Codec, Copy, Send, Sync, Default);
    static_assertions::assert_impl_all!(MessagePack: Codec, Copy, Send, Sync, Default);

    // ---- pyzmq at the other end -------------------------------------------------

    const PEER: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/peers/pyzmq_serde.py");

    /// A Python with pyzmq, and with msgpack when `format` is "msgpack"; `None`
    /// after a visible skip.
    fn python_for(format: &str) -> Option<std::process::Command> {
        let python = common::python()?;
        if format == "msgpack" {
            let has_msgpack = std::process::Command::new(python.get_program())
                .args(["-c", "import msgpack"])
                .output()
                .is_ok_and(|o| o.status.success());
            if !has_msgpack {
                common::skip_or_fail(
                    "the python3 with pyzmq has no msgpack (python3-msgpack, or pip install msgpack)",
                );
                return None;
            }
        }
        Some(python)
    }

    /// The Python peer: its stdout line by line.
    struct Peer {
        child: Child,
        lines: Receiver<String>,
    }

    impl Peer {
        /// Starts the peer (connecting to `endpoint`) and waits for its READY.
        fn start(mut python: std::process::Command, args: [&str; 3]) -> Peer {
            let mut child = python
                .arg(PEER)
                .args(args)
                .stdout(Stdio::piped())
                .spawn()
                .expect("python3");
            let lines = common::stdout_lines(&mut child);
            let peer = Peer { child, lines };
            let ready = peer.lines.recv_timeout(Duration::from_secs(15));
            assert_eq!(
                ready.as_deref(),
                Ok("READY"),
                "the python peer did not start"
            );
            peer
        }

        /// Waits for DONE and a clean exit; returns the lines before DONE.
        fn finish(mut self) -> Vec<String> {
            let deadline = Instant::now() + Duration::from_secs(20);
            let mut lines = Vec::new();
            loop {
                let left = deadline.saturating_duration_since(Instant::now());
                let line = self
                    .lines
                    .recv_timeout(left)
                    .expect("the python peer did not finish");
                if line == "DONE" {
                    break;
                }
                lines.push(line);
            }
            assert!(self.child.wait().unwrap().success());
            lines
        }
    }

    impl Drop for Peer {
        fn drop(&mut self) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }

    /// A PAIR on tcp loopback for the peer to connect to, and the peer.
    fn with_peer(format: &str, direction: &str) -> Option<(zmq::Context, zmq::Socket, Peer)> {
        let python = python_for(format)?;
        let ctx = zmq::Context::new();
        let s = socket(&ctx, zmq::PAIR);
        let endpoint = common::bind_tcp(&s);
        let peer = Peer::start(python, [format, direction, &endpoint]);
        Some((ctx, s, peer))
    }

    /// Receives the cases of `tests/peers/pyzmq_serde.py`, in its order, with `codec`.
    fn receive_python_cases<C: Codec + Copy>(s: &zmq::Socket, codec: C) {
        assert_eq!(s.recv_serialized::<_, Job>(codec, 0).unwrap(), job());
        assert_eq!(
            s.recv_serialized::<_, Status>(codec, 0).unwrap(),
            Status::Idle
        );
        assert_eq!(
            s.recv_serialized::<_, Status>(codec, 0).unwrap(),
            Status::Running(3)
        );
        assert_eq!(
            s.recv_serialized::<_, Status>(codec, 0).unwrap(),
            Status::Failed {
                code: -2,
                reason: "disk full".into()
            }
        );
        assert_eq!(
            s.recv_serialized::<_, (u8, String, f64)>(codec, 0).unwrap(),
            (1, "two".into(), 3.25)
        );
        assert_eq!(
            s.recv_serialized::<_, BTreeMap<String, u32>>(codec, 0)
                .unwrap(),
            BTreeMap::from([("a".into(), 1), ("b".into(), 2)])
        );
        assert_eq!(
            s.recv_serialized::<_, (u64, i64)>(codec, 0).unwrap(),
            (u64::MAX, i64::MIN)
        );
        assert_eq!(
            s.recv_serialized::<_, String>(codec, 0).unwrap(),
            "\u{e9}\u{4e2d}\u{1F600}\u{0} \"quoted\" \\"
        );
    }

    /// The cases of `tests/peers/pyzmq_serde.py`, sent in its order with `codec`.
    fn send_rust_cases<C: Codec + Copy>(s: &zmq::Socket, codec: C) {
        s.send_serialized(&job(), codec, 0).unwrap();
        s.send_serialized(&Status::Idle, codec, 0).unwrap();
        s.send_serialized(&Status::Running(3), codec, 0).unwrap();
        let failed = Status::Failed {
            code: -2,
            reason: "disk full".into(),
        };
        s.send_serialized(&failed, codec, 0).unwrap();
        s.send_serialized(&(1u8, "two", 3.25f64), codec, 0).unwrap();
        let map = BTreeMap::from([("a", 1u8), ("b", 2)]);
        s.send_serialized(&map, codec, 0).unwrap();
        s.send_serialized(&(u64::MAX, i64::MIN), codec, 0).unwrap();
        s.send_serialized("\u{e9}\u{4e2d}\u{1F600}\u{0} \"quoted\" \\", codec, 0)
            .unwrap();
    }

    /// Every line is a MATCH, and they name `expected` in order.
    fn assert_all_match(lines: &[String], expected: &[&str]) {
        let want: Vec<String> = expected
            .iter()
            .map(|name| format!("MATCH {name}"))
            .collect();
        assert_eq!(lines, want);
    }

    const CASE_NAMES: [&str; 8] = [
        "job",
        "unit_variant",
        "newtype_variant",
        "struct_variant",
        "tuple",
        "map",
        "extremes",
        "text",
    ];

    #[test]
    fn pyzmq_send_json_to_rust_recv_json() {
        let Some((_ctx, s, peer)) = with_peer("json", "to_rust") else {
            return;
        };
        receive_python_cases(&s, Json);
        let multipart: (Job, Status, Vec<u32>) = s.recv_serialized_multipart(Json, 0).unwrap();
        assert_eq!(multipart, (job(), Status::Idle, vec![1, 2, 3]));
        // What Python writes and JSON forbids: refused, kept, and the next frame decodes.
        let nan = s.recv_json::<f64>(0).unwrap_err();
        assert_eq!(&nan.frames().unwrap()[0][..], b"NaN");
        assert_eq!(s.recv_json::<u8>(0).unwrap(), 1);
        let surrogate = s.recv_json::<String>(0).unwrap_err();
        assert_eq!(&surrogate.frames().unwrap()[0][..], b"\"\\ud800\"");
        assert_eq!(s.recv_json::<u8>(0).unwrap(), 2);
        s.send("done", 0).unwrap();
        assert_eq!(peer.finish(), Vec::<String>::new());
    }

    #[test]
    fn rust_send_json_to_pyzmq_recv_json() {
        let Some((_ctx, s, peer)) = with_peer("json", "from_rust") else {
            return;
        };
        send_rust_cases(&s, Json);
        s.send_serialized_multipart(&(job(), Status::Idle, [1u8, 2, 3]), Json, 0)
            .unwrap();
        let mut expected = CASE_NAMES.to_vec();
        expected.push("multipart");
        assert_all_match(&peer.finish(), &expected);
    }

    #[test]
    fn python_msgpack_to_rust() {
        let Some((_ctx, s, peer)) = with_peer("msgpack", "to_rust") else {
            return;
        };
        receive_python_cases(&s, MessagePack);
        assert_eq!(
            s.recv_msgpack::<ByteBuf>(0).unwrap(),
            ByteBuf::from(vec![0, 255, 16])
        );
        let multipart: (Job, Status, Vec<u32>) =
            s.recv_serialized_multipart(MessagePack, 0).unwrap();
        assert_eq!(multipart, (job(), Status::Idle, vec![1, 2, 3]));
        // A struct packed as a list.
        assert_eq!(s.recv_msgpack::<Job>(0).unwrap(), job());
        // A str for a number; two values in one frame: refused and kept.
        let wrong_type = s.recv_msgpack::<u32>(0).unwrap_err();
        assert_eq!(&wrong_type.frames().unwrap()[0][..], b"\xa5seven");
        assert_eq!(s.recv_msgpack::<u8>(0).unwrap(), 1);
        let two = s.recv_msgpack::<u8>(0).unwrap_err();
        assert_eq!(&two.frames().unwrap()[0][..], b"\x01\x02");
        assert_eq!(s.recv_msgpack::<u8>(0).unwrap(), 2);
        s.send("done", 0).unwrap();
        assert_eq!(peer.finish(), Vec::<String>::new());
    }

    #[test]
    fn rust_msgpack_to_python() {
        let Some((_ctx, s, peer)) = with_peer("msgpack", "from_rust") else {
            return;
        };
        send_rust_cases(&s, MessagePack);
        s.send_msgpack(&ByteBuf::from(vec![0, 255, 16]), 0).unwrap();
        s.send_serialized_multipart(&(job(), Status::Idle, [1u8, 2, 3]), MessagePack, 0)
            .unwrap();
        s.send_msgpack(&BTreeMap::from([(1u8, "one"), (2, "two")]), 0)
            .unwrap();
        let mut expected = CASE_NAMES.to_vec();
        expected.extend(["bytes", "multipart", "int_keys"]);
        assert_all_match(&peer.finish(), &expected);
    }
}
