//! Z85: decoding any text never panics; encoding then decoding gives the input.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = zmq::z85_decode(text);
    }
    let whole = &data[..data.len() / 4 * 4];
    let encoded = zmq::z85_encode(whole).expect("a multiple of 4 encodes");
    assert_eq!(zmq::z85_decode(&encoded).expect("our own encoding decodes"), whole);
});
