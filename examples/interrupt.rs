//! Guide chapter 2, handling interrupt signals ("interrupt"): a server blocked
//! in `recv` on a REP socket shuts down cleanly when Ctrl-C (SIGINT) arrives. The
//! signal handler only sets a flag; the blocking call returns `EINTR`, the loop
//! sees the flag, and the sockets close normally. To stay self-contained, a
//! client thread sends a few requests and then delivers the SIGINT itself (on
//! platforms without POSIX signals it sends a `STOP` request instead).
//!
//! Run: `cargo run --example interrupt` (press Ctrl-C to try it by hand).

use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::{Duration, Instant};

/// Set by the signal handler, read by the server loop.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

#[cfg(unix)]
mod signals {
    use super::{Ordering, INTERRUPTED};

    extern "C" fn on_signal(_signal: libc::c_int) {
        // Only async-signal-safe work in a handler: an atomic store is.
        INTERRUPTED.store(true, Ordering::SeqCst);
    }

    /// Installs `on_signal` for SIGINT and SIGTERM, without SA_RESTART, so a
    /// blocked libzmq call returns EINTR instead of resuming.
    pub fn catch_interrupts() -> std::io::Result<()> {
        for signal in [libc::SIGINT, libc::SIGTERM] {
            // SAFETY: an all-zero sigaction is a valid value (empty mask, no flags)
            // that we fill in before use.
            let mut action: libc::sigaction = unsafe { std::mem::zeroed() };
            action.sa_sigaction = on_signal as extern "C" fn(libc::c_int) as libc::sighandler_t;
            // SAFETY: the mask is a valid sigset_t owned by `action`.
            unsafe { libc::sigemptyset(&mut action.sa_mask) };
            // SAFETY: `action` is fully initialised and the handler only touches an
            // atomic; a null old-action pointer is allowed.
            if unsafe { libc::sigaction(signal, &action, std::ptr::null_mut()) } != 0 {
                return Err(std::io::Error::last_os_error());
            }
        }
        Ok(())
    }

    /// The calling thread, as a target for `interrupt`.
    pub fn this_thread() -> libc::pthread_t {
        // SAFETY: pthread_self has no preconditions.
        unsafe { libc::pthread_self() }
    }

    /// Delivers SIGINT to `thread`, as Ctrl-C would to the main thread.
    pub fn interrupt(thread: libc::pthread_t) -> std::io::Result<()> {
        // SAFETY: `thread` is the main thread, which outlives this call (main
        // joins the caller before returning).
        match unsafe { libc::pthread_kill(thread, libc::SIGINT) } {
            0 => Ok(()),
            errno => Err(std::io::Error::from_raw_os_error(errno)),
        }
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    #[cfg(unix)]
    signals::catch_interrupts()?;
    #[cfg(unix)]
    let main_thread = signals::this_thread();

    let ctx = zmq::Context::new();
    let server = ctx.socket(zmq::REP)?;
    server.set_linger(0)?;
    // The timeout bounds the rare case of a signal landing between the flag
    // check and the moment recv blocks: then the next timeout sees the flag.
    server.set_rcvtimeo(250)?;
    server.bind("tcp://127.0.0.1:*")?;
    let endpoint = server.get_last_endpoint()?.unwrap_or_default();

    let client = {
        let ctx = ctx.clone();
        thread::spawn(
            move || -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
                let client = ctx.socket(zmq::REQ)?;
                client.set_linger(0)?;
                client.set_rcvtimeo(5_000)?;
                client.connect(&endpoint)?;
                for n in 1..=3 {
                    client.send(format!("request {n}").as_str(), 0)?;
                    println!("client: {}", client.recv_string(0)?.unwrap_or_default());
                }
                // Give the server time to block in recv again, then "press Ctrl-C".
                thread::sleep(Duration::from_millis(100));
                #[cfg(unix)]
                {
                    println!("client: sending SIGINT to the server's thread");
                    signals::interrupt(main_thread)?;
                }
                #[cfg(not(unix))]
                {
                    println!("client: no POSIX signals here, sending STOP");
                    client.send("STOP", 0)?;
                }
                Ok(())
            },
        )
    };

    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if INTERRUPTED.load(Ordering::SeqCst) {
            println!("server: interrupt received, shutting down cleanly");
            break;
        }
        match server.recv_string(0) {
            Ok(Ok(request)) if request == "STOP" => {
                println!("server: stop message received, shutting down cleanly");
                break;
            }
            Ok(request) => {
                let request = request.unwrap_or_default();
                server.send(format!("reply to {request}").as_str(), 0)?;
            }
            Err(zmq::Error::EINTR) => println!("server: recv returned EINTR"),
            Err(zmq::Error::EAGAIN) if Instant::now() < deadline => {}
            Err(zmq::Error::EAGAIN) => return Err("no interrupt arrived in time".into()),
            Err(e) => return Err(e.into()),
        }
    }
    client
        .join()
        .expect("client thread")
        .map_err(|e| e.to_string())?;
    drop(server);
    println!("server: socket closed, context ends when main returns");
    Ok(())
}
