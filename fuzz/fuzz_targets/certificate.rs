//! Certificate parsing: any text gives a certificate or an error, never a panic;
//! what parses survives a write and a re-read exactly (keys and metadata).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(cert) = zmq::Certificate::parse(text) {
        let again = zmq::Certificate::parse(&cert.to_secret_text()).expect("our own output parses");
        assert_eq!(again, cert);
    }
});
