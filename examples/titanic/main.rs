//! Guide chapter 4, disconnected reliability, the Titanic pattern ("titanic",
//! "ticlient"): a store-and-forward service on top of the `majordomo` broker.
//! Titanic is a Majordomo worker for three services: `titanic.request` writes a
//! request to disk and answers at once with a ticket (a unique id),
//! `titanic.reply` answers "300" (pending), "200" and the reply, or "400"
//! (unknown ticket), and `titanic.close` deletes both. A dispatcher forwards the
//! stored requests to the real service, as a Majordomo client, once
//! `mmi.service` says that service has workers. So a client can ask for a
//! service that is not running yet and collect the answer later: here the
//! "echo" worker starts only after the requests are filed.
//!
//! Run: `cargo run --example titanic`

#[path = "../majordomo/broker.rs"]
mod broker;
#[path = "../majordomo/client.rs"]
mod client;
#[path = "../majordomo/mdp.rs"]
mod mdp;
#[path = "../majordomo/worker.rs"]
mod worker;

use std::collections::VecDeque;
use std::fs;
use std::io;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

type Frames = Vec<Vec<u8>>;
type Failure = Box<dyn std::error::Error + Send + Sync>;

/// A new ticket: unique within this run (time and a counter, as hex).
fn new_ticket() -> String {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!(
        "{:016x}{:08x}",
        nanos as u64,
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

/// The on-disk store: `TICKET.request` and `TICKET.reply`, each a list of
/// frames, every frame a 4-byte little-endian length and its bytes.
struct Store {
    dir: PathBuf,
}

impl Store {
    fn path(&self, ticket: &str, kind: &str) -> PathBuf {
        self.dir.join(format!("{ticket}.{kind}"))
    }

    fn save(&self, ticket: &str, kind: &str, frames: &[Vec<u8>]) -> io::Result<()> {
        let mut bytes = Vec::new();
        for frame in frames {
            bytes.extend_from_slice(&(frame.len() as u32).to_le_bytes());
            bytes.extend_from_slice(frame);
        }
        // Write then rename, so a reader never sees half a file.
        let tmp = self.path(ticket, &format!("{kind}.tmp"));
        fs::write(&tmp, bytes)?;
        fs::rename(tmp, self.path(ticket, kind))
    }

    fn load(&self, ticket: &str, kind: &str) -> io::Result<Option<Frames>> {
        let bytes = match fs::read(self.path(ticket, kind)) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e),
        };
        let mut frames = Vec::new();
        let mut rest = bytes.as_slice();
        while let Some((len, tail)) = rest.split_first_chunk::<4>() {
            let len = u32::from_le_bytes(*len) as usize;
            if tail.len() < len {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    "a truncated frame",
                ));
            }
            frames.push(tail[..len].to_vec());
            rest = &tail[len..];
        }
        Ok(Some(frames))
    }

    fn remove(&self, ticket: &str) -> io::Result<()> {
        for kind in ["request", "reply"] {
            match fs::remove_file(self.path(ticket, kind)) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
                _ => {}
            }
        }
        Ok(())
    }

    fn files(&self) -> io::Result<usize> {
        Ok(fs::read_dir(&self.dir)?.count())
    }
}

/// A ticket must be a plain name: nothing that could reach outside the store.
fn valid_ticket(ticket: &[u8]) -> Option<String> {
    let ticket = std::str::from_utf8(ticket).ok()?;
    (!ticket.is_empty() && ticket.bytes().all(|b| b.is_ascii_hexdigit())).then(|| ticket.to_owned())
}

/// Runs one Titanic service as a Majordomo worker until `stop`.
fn titanic_service(
    ctx: zmq::Context,
    broker: String,
    service: &'static str,
    store: Arc<Store>,
    stop: Arc<AtomicBool>,
) -> Result<(), Failure> {
    // titanic.request tells the dispatcher about new tickets.
    let dispatch = ctx.socket(zmq::PUSH)?;
    dispatch.set_linger(0)?;
    dispatch.connect("inproc://titanic-dispatch")?;
    let mut worker = worker::Worker::new(&ctx, &broker, service, service)?;
    while let Some(request) = worker.recv(&stop)? {
        let reply: Frames = match service {
            // [service, body...] -> ["200", ticket]
            "titanic.request" if request.len() >= 2 => {
                let ticket = new_ticket();
                store.save(&ticket, "request", &request)?;
                dispatch.send(ticket.as_str(), 0)?;
                vec![b"200".to_vec(), ticket.into_bytes()]
            }
            // [ticket] -> ["200", reply...] | ["300"] | ["400"]
            "titanic.reply" => match request.first().and_then(|t| valid_ticket(t)) {
                Some(ticket) => match store.load(&ticket, "reply")? {
                    Some(mut reply) => {
                        reply.insert(0, b"200".to_vec());
                        reply
                    }
                    None if store.path(&ticket, "request").exists() => vec![b"300".to_vec()],
                    None => vec![b"400".to_vec()],
                },
                None => vec![b"400".to_vec()],
            },
            // [ticket] -> ["200"]
            "titanic.close" => match request.first().and_then(|t| valid_ticket(t)) {
                Some(ticket) => {
                    store.remove(&ticket)?;
                    vec![b"200".to_vec()]
                }
                None => vec![b"400".to_vec()],
            },
            _ => vec![b"400".to_vec()],
        };
        worker.reply(reply)?;
    }
    Ok(())
}

/// Forwards stored requests to their services, oldest first, and stores the
/// replies. A request whose service has no worker yet waits for one.
fn dispatcher(
    ctx: zmq::Context,
    broker: String,
    store: Arc<Store>,
    stop: Arc<AtomicBool>,
) -> Result<(), Failure> {
    let tickets = ctx.socket(zmq::PULL)?;
    tickets.bind("inproc://titanic-dispatch")?;
    let mut client = client::Client::new(&ctx, &broker, 1_000, 3)?;
    let mut pending: VecDeque<String> = VecDeque::new();
    while !stop.load(Ordering::Relaxed) {
        if tickets.poll(zmq::POLLIN, 100)? > 0 {
            pending.push_back(tickets.recv_string(0)?.unwrap_or_default());
        }
        let mut waiting = VecDeque::new();
        while let Some(ticket) = pending.pop_front() {
            let Some(mut request) = store.load(&ticket, "request")? else {
                continue; // closed meanwhile
            };
            let service = String::from_utf8_lossy(&request.remove(0)).into_owned();
            let known = client.send("mmi.service", vec![service.clone().into_bytes()])?;
            if known.as_deref() != Some(&[b"200".to_vec()][..]) {
                waiting.push_back(ticket);
                continue;
            }
            match client.send(&service, request)? {
                Some(reply) => {
                    store.save(&ticket, "reply", &reply)?;
                    println!("titanic: ticket {ticket} served by {service:?}");
                }
                None => waiting.push_back(ticket),
            }
        }
        pending = waiting;
    }
    Ok(())
}

/// One Titanic call through the broker: the reply frames.
fn call(client: &mut client::Client, service: &str, body: Frames) -> Result<Frames, Failure> {
    Ok(client.send(service, body)?.ok_or("no reply from Titanic")?)
}

fn main() -> Result<(), Failure> {
    let dir = tempfile::tempdir()?;
    let store = Arc::new(Store {
        dir: dir.path().to_owned(),
    });
    let ctx = zmq::Context::new();
    let (broker, endpoint) = broker::Broker::bind(&ctx)?;
    let broker_stop = Arc::new(AtomicBool::new(false));
    let broker = {
        let stop = broker_stop.clone();
        thread::spawn(move || broker.run(&stop, Duration::from_secs(20)))
    };

    let stop = Arc::new(AtomicBool::new(false));
    let mut threads = Vec::new();
    {
        let (ctx, endpoint, store, stop) =
            (ctx.clone(), endpoint.clone(), store.clone(), stop.clone());
        threads.push(thread::spawn(move || {
            dispatcher(ctx, endpoint, store, stop)
        }));
    }
    for service in ["titanic.request", "titanic.reply", "titanic.close"] {
        let (ctx, endpoint, store, stop) =
            (ctx.clone(), endpoint.clone(), store.clone(), stop.clone());
        threads.push(thread::spawn(move || {
            titanic_service(ctx, endpoint, service, store, stop)
        }));
    }

    let mut client = client::Client::new(&ctx, &endpoint, 1_000, 3)?;
    // File three requests for "echo", which nobody serves yet.
    let mut tickets = Vec::new();
    for n in 1..=3 {
        let reply = call(
            &mut client,
            "titanic.request",
            vec![b"echo".to_vec(), format!("hello {n}").into_bytes()],
        )?;
        match reply.as_slice() {
            [status, ticket] if status == b"200" => {
                let ticket = String::from_utf8_lossy(ticket).into_owned();
                println!("client: request {n} filed as ticket {ticket}");
                tickets.push(ticket);
            }
            _ => return Err("titanic.request failed".into()),
        }
    }
    let status = call(
        &mut client,
        "titanic.reply",
        vec![tickets[0].clone().into_bytes()],
    )?;
    println!(
        "client: ticket {} is {} ({} files on disk)",
        tickets[0],
        String::from_utf8_lossy(&status[0]),
        store.files()?
    );

    // Now the echo service comes up.
    println!("echo: starting");
    let echo = {
        let (ctx, endpoint, stop) = (ctx.clone(), endpoint.clone(), stop.clone());
        thread::spawn(move || -> Result<(), Failure> {
            let mut worker = worker::Worker::new(&ctx, &endpoint, "echo", "echo")?;
            while let Some(request) = worker.recv(&stop)? {
                worker.reply(request)?;
            }
            Ok(())
        })
    };

    // Collect each reply (poll until "200"), then close the ticket.
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut outcome: Result<(), Failure> = Ok(());
    for (n, ticket) in tickets.iter().enumerate() {
        loop {
            let reply = call(
                &mut client,
                "titanic.reply",
                vec![ticket.clone().into_bytes()],
            )?;
            match reply.first().map(Vec::as_slice) {
                Some(b"200") => {
                    let body = String::from_utf8_lossy(&reply[1..].concat()).into_owned();
                    println!("client: ticket {ticket}: {body:?}");
                    if body != format!("hello {}", n + 1) {
                        outcome = Err("a wrong reply".into());
                    }
                    break;
                }
                Some(b"300") if Instant::now() < deadline => {
                    thread::sleep(Duration::from_millis(50))
                }
                _ => return Err(format!("ticket {ticket}: no reply").into()),
            }
        }
        call(
            &mut client,
            "titanic.close",
            vec![ticket.clone().into_bytes()],
        )?;
    }
    let left = store.files()?;
    println!("client: all tickets closed, {left} files left on disk");

    stop.store(true, Ordering::Relaxed);
    echo.join().expect("echo thread")?;
    for thread in threads {
        thread.join().expect("titanic thread")?;
    }
    thread::sleep(mdp::HEARTBEAT_INTERVAL);
    broker_stop.store(true, Ordering::Relaxed);
    broker.join().expect("broker thread")?;
    if left != 0 {
        outcome = Err("tickets left on disk".into());
    }
    outcome
}
