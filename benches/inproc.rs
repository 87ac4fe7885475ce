//! Micro-benchmark: one inproc send + receive through the safe API against the
//! same through raw zmq-sys calls. `cargo bench --bench inproc`
#![allow(missing_docs)] // criterion's macros generate undocumented items

use std::ffi::c_void;
use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

fn pair(ctx: &zmq::Context, name: &str) -> (zmq::Socket, zmq::Socket) {
    let a = ctx.socket(zmq::PAIR).unwrap();
    let b = ctx.socket(zmq::PAIR).unwrap();
    a.bind(name).unwrap();
    b.connect(name).unwrap();
    (a, b)
}

fn send_recv(c: &mut Criterion) {
    let mut group = c.benchmark_group("inproc send+recv");
    for size in [1usize, 64, 1024, 65536] {
        group.throughput(Throughput::Bytes(size as u64));
        let payload = vec![7u8; size];

        let ctx = zmq::Context::new();
        let (a, b) = pair(&ctx, &format!("inproc://bench-safe-{size}"));
        let mut inbox = zmq::Message::new();
        group.bench_with_input(BenchmarkId::new("safe", size), &size, |bench, _| {
            bench.iter(|| {
                let msg = zmq::Message::from(&payload[..]);
                a.send(msg, 0).unwrap();
                b.recv(&mut inbox, 0).unwrap();
                black_box(inbox.len());
            })
        });

        let (mut a, mut b) = pair(&ctx, &format!("inproc://bench-raw-{size}"));
        let (ra, rb) = (a.as_mut_ptr(), b.as_mut_ptr());
        group.bench_with_input(BenchmarkId::new("raw zmq-sys", size), &size, |bench, _| {
            // SAFETY: plain libzmq calls on live sockets and initialised messages,
            // exactly what a C program would do.
            bench.iter(|| unsafe {
                let mut msg = std::mem::zeroed::<zmq_sys::zmq_msg_t>();
                zmq_sys::zmq_msg_init_size(&mut msg, size);
                std::ptr::copy_nonoverlapping(
                    payload.as_ptr(),
                    zmq_sys::zmq_msg_data(&mut msg).cast::<u8>(),
                    size,
                );
                zmq_sys::zmq_msg_send(&mut msg, ra, 0);
                let mut got = std::mem::zeroed::<zmq_sys::zmq_msg_t>();
                zmq_sys::zmq_msg_init(&mut got);
                zmq_sys::zmq_msg_recv(&mut got, rb, 0);
                black_box(zmq_sys::zmq_msg_size(&got));
                zmq_sys::zmq_msg_close(&mut got);
            })
        });
        let _: (*mut c_void, *mut c_void) = (ra, rb);
    }
    group.finish();
}

criterion_group!(benches, send_recv);
criterion_main!(benches);
