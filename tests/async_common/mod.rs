//! Helpers shared by the async test files: both runtimes, bounded.
#![allow(dead_code)]

use std::future::Future;
use std::time::Duration;

/// The bound on each whole test, per runtime.
pub const LIMIT: Duration = Duration::from_secs(120);

/// The bound on one awaited step that should finish at once.
pub const STEP: Duration = Duration::from_secs(5);

pub fn current_thread() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

pub fn multi_thread() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

/// Runs `test` as a spawned task on a current-thread and on a multi-thread
/// runtime, each bounded by `LIMIT`.
pub fn on_both_runtimes<F, Fut>(test: F)
where
    F: Fn() -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    for rt in [current_thread(), multi_thread()] {
        rt.block_on(async {
            tokio::time::timeout(LIMIT, tokio::spawn(test()))
                .await
                .expect("the test timed out")
                .expect("the test task panicked");
        });
    }
}

/// Awaits `future`, failing the test if it takes longer than `STEP`.
pub async fn soon<T>(future: impl Future<Output = T>) -> T {
    tokio::time::timeout(STEP, future)
        .await
        .expect("a step that should finish at once timed out")
}

/// A socket with linger 0, wrapped for async use.
pub fn async_socket(ctx: &zmq::Context, kind: zmq::SocketType) -> zmq::AsyncSocket {
    let s = ctx.socket(kind).unwrap();
    s.set_linger(0).unwrap();
    zmq::AsyncSocket::new(s).unwrap()
}
