//! Monitor event parsing: any frames give an event or an error, never a panic.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    // The first byte says where to cut the rest into frames.
    let Some((&cut, rest)) = data.split_first() else { return };
    let step = usize::from(cut % 16) + 1;
    let frames: Vec<&[u8]> = rest.chunks(step).collect();
    let _ = zmq::monitor::Event::parse_v1(&frames);
    let _ = zmq::monitor::Event::parse_v2(&frames);
});
