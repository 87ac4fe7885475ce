//! The steady send/receive loop makes no heap allocation on the Rust side: a
//! counting global allocator (this test binary's only test) proves it. It
//! counts on the test's own thread only: the test harness's thread may still
//! be allocating its bookkeeping when the loop starts (seen on a loaded
//! machine), and libzmq's threads allocate through C++, not through Rust.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering};

struct Counting;

thread_local! {
    /// Whether allocations on this thread are counted.
    static COUNTING: Cell<bool> = const { Cell::new(false) };
}
static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

fn count_here() {
    if COUNTING.try_with(Cell::get).unwrap_or(false) {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
    }
}

// SAFETY: defers every operation to the system allocator; it only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count_here();
        // SAFETY: same contract as ours.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as ours.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count_here();
        // SAFETY: same contract as ours.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

#[test]
fn a_steady_send_recv_loop_allocates_nothing() {
    let ctx = zmq::Context::new();
    let a = ctx.socket(zmq::PAIR).unwrap();
    let b = ctx.socket(zmq::PAIR).unwrap();
    b.set_rcvtimeo(5_000).unwrap();
    a.bind("inproc://zero-alloc").unwrap();
    b.connect("inproc://zero-alloc").unwrap();
    let payload = [7u8; 256];
    let mut out = zmq::Message::new();
    let mut inbox = zmq::Message::new();
    let mut parts = zmq::Multipart::new();
    // Warm up: pipes, queues, the multipart's deque.
    for _ in 0..100 {
        a.send(&payload[..], 0).unwrap();
        b.recv(&mut inbox, 0).unwrap();
        a.send_multipart_msg(&mut [&payload[..64], &payload[..]].into_iter().collect(), 0)
            .unwrap();
        b.recv_multipart_msg(&mut parts, 0).unwrap();
    }

    COUNTING.set(true);
    for i in 0..10_000u32 {
        out = zmq::Message::from(&payload[..]);
        a.send(&mut out, 0).unwrap();
        b.recv(&mut inbox, 0).unwrap();
        assert_eq!(inbox.len(), payload.len());
        a.send(&payload[..(i % 200) as usize], 0).unwrap();
        b.recv(&mut inbox, 0).unwrap();
        assert_eq!(inbox.len(), (i % 200) as usize);
        assert!(!b.get_rcvmore().unwrap());
        a.send(&payload[..64], zmq::SNDMORE).unwrap();
        a.send(&payload[..], 0).unwrap();
        b.recv_multipart_msg(&mut parts, 0).unwrap();
        assert_eq!(parts.len(), 2);
    }
    let in_loop = ALLOCATIONS.load(Ordering::SeqCst);
    // The counter does count: one allocation shows.
    drop(std::hint::black_box(Vec::<u8>::with_capacity(16)));
    COUNTING.set(false);
    drop(out);
    assert_eq!(in_loop, 0, "heap allocations in the loop");
    assert_eq!(
        ALLOCATIONS.load(Ordering::SeqCst),
        1,
        "the counting allocator missed an allocation"
    );
}
