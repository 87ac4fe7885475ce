//! Guide chapter 4, high-availability pair, the Binary Star pattern ("bstarsrv",
//! "bstarcli"): a primary and a backup server publish their state to each other
//! every heartbeat over PUB/SUB and run the same small state machine. The
//! primary becomes active and the backup passive; clients talk to the active
//! one and fail over when it stops answering. The passive server takes over
//! only when both hold: the peer has gone silent *and* a client has come to it
//! (so a broken link between the servers alone cannot make two actives). Here
//! the primary crashes after four requests, the backup takes over, and the
//! restarted primary sees an active backup and becomes passive.
//!
//! Run: `cargo run --example binary_star`

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

const HEARTBEAT: Duration = Duration::from_millis(100);
/// Silence after which a peer counts as gone (4 heartbeats: some slack for a
/// busy machine).
const PEER_EXPIRY: Duration = Duration::from_millis(400);
/// The client waits longer than PEER_EXPIRY, so by the time it fails over, the
/// passive server has noticed the silence too.
const REQUEST_TIMEOUT_MS: i64 = 600;
const REQUESTS: usize = 10;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    Primary,
    Backup,
    Active,
    Passive,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Event {
    Peer(State),
    ClientRequest,
}

impl State {
    fn wire(self) -> &'static str {
        match self {
            State::Primary => "PRIMARY",
            State::Backup => "BACKUP",
            State::Active => "ACTIVE",
            State::Passive => "PASSIVE",
        }
    }

    fn parse(wire: &[u8]) -> Option<State> {
        [State::Primary, State::Backup, State::Active, State::Passive]
            .into_iter()
            .find(|s| s.wire().as_bytes() == wire)
    }
}

/// The Binary Star state machine of one server.
struct Fsm {
    state: State,
    peer_expiry: Instant,
}

impl Fsm {
    fn new(state: State) -> Fsm {
        // Give the peer one expiry period to show up before acting alone.
        Fsm {
            state,
            peer_expiry: Instant::now() + PEER_EXPIRY,
        }
    }

    /// Applies `event`; `Ok(true)` when a client request may be served now.
    fn handle(&mut self, event: Event) -> Result<bool, String> {
        let peer_gone = Instant::now() >= self.peer_expiry;
        let next = match (self.state, event) {
            (State::Primary, Event::Peer(State::Backup)) => State::Active,
            (State::Primary, Event::Peer(State::Active)) => State::Passive,
            (State::Primary, Event::ClientRequest) if peer_gone => State::Active,
            (State::Backup, Event::Peer(State::Active)) => State::Passive,
            (State::Active, Event::Peer(State::Active)) => {
                return Err("fatal: two active servers (split brain)".into())
            }
            (State::Passive, Event::Peer(State::Primary | State::Backup)) => State::Active,
            (State::Passive, Event::Peer(State::Passive)) => {
                return Err("fatal: two passive servers, nobody serves".into())
            }
            (State::Passive, Event::ClientRequest) if peer_gone => State::Active,
            (state, _) => state,
        };
        self.state = next;
        Ok(next == State::Active && event == Event::ClientRequest)
    }
}

fn bind(
    ctx: &zmq::Context,
    kind: zmq::SocketType,
    endpoint: &str,
) -> Result<zmq::Socket, zmq::Error> {
    let socket = ctx.socket(kind)?;
    socket.set_linger(0)?;
    // A restarted server binds the port it had: give the OS a few tries.
    for _ in 0..20 {
        match socket.bind(endpoint) {
            Err(zmq::Error::EADDRINUSE) => thread::sleep(Duration::from_millis(50)),
            other => return other.map(|()| socket),
        }
    }
    socket.bind(endpoint).map(|()| socket)
}

struct Server {
    name: &'static str,
    start: State,
    frontend: zmq::Socket,
    statepub: zmq::Socket,
    peer_statepub: String,
    crash_after: Option<usize>,
}

/// Runs one server until `stop` (or its simulated crash); reports its state
/// changes on `changes`.
fn run(
    ctx: zmq::Context,
    server: Server,
    stop: Arc<AtomicBool>,
    changes: mpsc::Sender<(&'static str, State)>,
) -> Result<(), String> {
    let zmq_err = |e: zmq::Error| e.to_string();
    let statesub = ctx.socket(zmq::SUB).map_err(zmq_err)?;
    statesub.set_subscribe(b"").map_err(zmq_err)?;
    statesub.connect(&server.peer_statepub).map_err(zmq_err)?;
    let mut fsm = Fsm::new(server.start);
    let mut reported = None;
    let mut served = 0;
    let mut send_state_at = Instant::now();
    let deadline = Instant::now() + Duration::from_secs(20);
    while !stop.load(Ordering::Relaxed) && Instant::now() < deadline {
        if Instant::now() >= send_state_at {
            server.statepub.send(fsm.state.wire(), 0).map_err(zmq_err)?;
            send_state_at += HEARTBEAT;
        }
        let wait = send_state_at.saturating_duration_since(Instant::now());
        let mut items = [
            server.frontend.as_poll_item(zmq::POLLIN),
            statesub.as_poll_item(zmq::POLLIN),
        ];
        zmq::poll(&mut items, wait.as_millis() as i64).map_err(zmq_err)?;
        if items[1].is_readable() {
            let wire = statesub.recv_bytes(0).map_err(zmq_err)?;
            if let Some(peer) = State::parse(&wire) {
                fsm.peer_expiry = Instant::now() + PEER_EXPIRY;
                fsm.handle(Event::Peer(peer))?;
            }
        }
        if items[0].is_readable() {
            // [client, "", request]
            let mut frames = server.frontend.recv_multipart(0).map_err(zmq_err)?;
            if fsm.handle(Event::ClientRequest)? {
                let request = frames.pop().unwrap_or_default();
                frames.push(
                    format!(
                        "{} (served by {})",
                        String::from_utf8_lossy(&request),
                        server.name
                    )
                    .into_bytes(),
                );
                server.frontend.send_multipart(frames, 0).map_err(zmq_err)?;
                served += 1;
            } // else: not ours to serve; the client will time out and fail over
        }
        if reported != Some(fsm.state) {
            reported = Some(fsm.state);
            let _ = changes.send((server.name, fsm.state));
        }
        if server.crash_after == Some(served) {
            println!("{}: simulating a crash", server.name);
            return Ok(());
        }
    }
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let ctx = zmq::Context::new();
    let primary_frontend = bind(&ctx, zmq::ROUTER, "tcp://127.0.0.1:*")?;
    let primary_statepub = bind(&ctx, zmq::PUB, "tcp://127.0.0.1:*")?;
    let backup_frontend = bind(&ctx, zmq::ROUTER, "tcp://127.0.0.1:*")?;
    let backup_statepub = bind(&ctx, zmq::PUB, "tcp://127.0.0.1:*")?;
    let endpoint = |s: &zmq::Socket| -> Result<String, zmq::Error> {
        Ok(s.get_last_endpoint()?.unwrap_or_default())
    };
    let (primary_fe, primary_sp) = (endpoint(&primary_frontend)?, endpoint(&primary_statepub)?);
    let (backup_fe, backup_sp) = (endpoint(&backup_frontend)?, endpoint(&backup_statepub)?);

    let stop = Arc::new(AtomicBool::new(false));
    let (changes, states) = mpsc::channel();
    let spawn = |server: Server| {
        let (ctx, stop, changes) = (ctx.clone(), stop.clone(), changes.clone());
        thread::spawn(move || run(ctx, server, stop, changes))
    };
    let mut primary = spawn(Server {
        name: "primary",
        start: State::Primary,
        frontend: primary_frontend,
        statepub: primary_statepub,
        peer_statepub: backup_sp.clone(),
        crash_after: Some(4),
    });
    let backup = spawn(Server {
        name: "backup",
        start: State::Backup,
        frontend: backup_frontend,
        statepub: backup_statepub,
        peer_statepub: primary_sp.clone(),
        crash_after: None,
    });
    // Let the pair settle (primary active, backup passive) before clients come.
    let (mut primary_state, mut backup_state) = (State::Primary, State::Backup);
    while (primary_state, backup_state) != (State::Active, State::Passive) {
        let (name, state) = states.recv_timeout(Duration::from_secs(5))?;
        println!("{name}: {}", state.wire());
        if name == "primary" {
            primary_state = state
        } else {
            backup_state = state
        }
    }

    let servers = [primary_fe.clone(), backup_fe.clone()];
    let connect = |index: usize| -> Result<zmq::Socket, zmq::Error> {
        let client = ctx.socket(zmq::REQ)?;
        client.set_linger(0)?;
        client.connect(&servers[index])?;
        Ok(client)
    };
    let mut current = 0;
    let mut client = connect(current)?;
    let mut restarted = false;
    for n in 1..=REQUESTS {
        let request = format!("request {n}");
        client.send(request.as_str(), 0)?;
        let mut attempts = 1;
        while client.poll(zmq::POLLIN, REQUEST_TIMEOUT_MS)? == 0 {
            if attempts == 6 {
                return Err("neither server answers".into());
            }
            attempts += 1;
            current = 1 - current;
            println!(
                "client: no answer, failing over to the {}",
                ["primary", "backup"][current]
            );
            client = connect(current)?;
            client.send(request.as_str(), 0)?;
        }
        println!("client: {}", client.recv_string(0)?.unwrap_or_default());
        while let Ok((name, state)) = states.try_recv() {
            println!("{name}: {}", state.wire());
        }
        // Once the backup has taken over, the primary comes back.
        if !restarted && primary.is_finished() && current == 1 {
            restarted = true;
            primary.join().expect("primary thread")?;
            println!("primary: restarting");
            primary = spawn(Server {
                name: "primary",
                start: State::Primary,
                frontend: bind(&ctx, zmq::ROUTER, &primary_fe)?,
                statepub: bind(&ctx, zmq::PUB, &primary_sp)?,
                peer_statepub: backup_sp.clone(),
                crash_after: None,
            });
        }
    }
    // Give the restarted primary time to hear the backup, then stop both.
    let settle = Instant::now() + Duration::from_secs(2);
    let mut primary_now = None;
    while primary_now != Some(State::Passive) && Instant::now() < settle {
        if let Ok((name, state)) = states.recv_timeout(Duration::from_millis(100)) {
            println!("{name}: {}", state.wire());
            if name == "primary" {
                primary_now = Some(state);
            }
        }
    }
    stop.store(true, Ordering::Relaxed);
    primary.join().expect("primary thread")?;
    backup.join().expect("backup thread")?;
    if !restarted || primary_now != Some(State::Passive) {
        return Err("the failover story did not play out".into());
    }
    Ok(())
}
