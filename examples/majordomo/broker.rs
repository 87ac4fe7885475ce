//! A Majordomo broker (RFC 7): one ROUTER socket for clients and workers alike,
//! told apart by their protocol frame. Requests queue per service and go to that
//! service's idle workers, longest idle first; workers that stay silent past
//! their expiry are forgotten; `mmi.service` (RFC 8) answers whether a service
//! has workers.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use super::mdp;

type Frames = Vec<Vec<u8>>;

/// What the broker knows about one worker.
struct Worker {
    service: Vec<u8>,
    expiry: Instant,
}

/// One service: its pending requests and its idle workers.
#[derive(Default)]
struct Service {
    requests: VecDeque<(Vec<u8>, Frames)>,
    idle: VecDeque<Vec<u8>>,
}

/// The broker's state, driven by [`Broker::run`].
pub struct Broker {
    socket: zmq::Socket,
    services: HashMap<Vec<u8>, Service>,
    workers: HashMap<Vec<u8>, Worker>,
    heartbeat_at: Instant,
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn expiry() -> Instant {
    Instant::now() + mdp::HEARTBEAT_INTERVAL * mdp::HEARTBEAT_LIVENESS
}

impl Broker {
    /// A broker bound to a fresh loopback port; returns it and its endpoint.
    pub fn bind(ctx: &zmq::Context) -> Result<(Broker, String), zmq::Error> {
        let socket = ctx.socket(zmq::ROUTER)?;
        socket.set_linger(0)?;
        socket.bind("tcp://127.0.0.1:*")?;
        let endpoint = socket.get_last_endpoint()?.unwrap_or_default();
        let broker = Broker {
            socket,
            services: HashMap::new(),
            workers: HashMap::new(),
            heartbeat_at: Instant::now() + mdp::HEARTBEAT_INTERVAL,
        };
        Ok((broker, endpoint))
    }

    /// Serves until `stop` is set or `limit` has passed, then disconnects every
    /// worker it still knows.
    pub fn run(mut self, stop: &AtomicBool, limit: Duration) -> Result<(), zmq::Error> {
        let deadline = Instant::now() + limit;
        while !stop.load(Ordering::Relaxed) && Instant::now() < deadline {
            if self
                .socket
                .poll(zmq::POLLIN, mdp::millis(mdp::HEARTBEAT_INTERVAL))?
                > 0
            {
                let mut frames = self.socket.recv_multipart(0)?;
                // [sender, "", protocol, ...]
                if frames.len() < 3 || !frames[1].is_empty() {
                    println!("broker: dropped a malformed message");
                    continue;
                }
                let mut rest = frames.split_off(2);
                let sender = frames.swap_remove(0);
                let protocol = rest.remove(0);
                match protocol.as_slice() {
                    mdp::CLIENT => self.client_message(sender, rest)?,
                    mdp::WORKER => self.worker_message(sender, rest)?,
                    _ => println!(
                        "broker: dropped a message with protocol {:?}",
                        text(&protocol)
                    ),
                }
            }
            self.purge();
            if Instant::now() >= self.heartbeat_at {
                let idle: Vec<Vec<u8>> = self
                    .services
                    .values()
                    .flat_map(|s| s.idle.iter().cloned())
                    .collect();
                for worker in idle {
                    self.send_to_worker(&worker, mdp::HEARTBEAT, Vec::new())?;
                }
                self.heartbeat_at = Instant::now() + mdp::HEARTBEAT_INTERVAL;
            }
        }
        let workers: Vec<Vec<u8>> = self.workers.keys().cloned().collect();
        for worker in workers {
            self.delete_worker(&worker, true)?;
        }
        Ok(())
    }

    /// [service, body...] from `client`.
    fn client_message(&mut self, client: Vec<u8>, mut frames: Frames) -> Result<(), zmq::Error> {
        if frames.len() < 2 {
            println!("broker: dropped a client request without a body");
            return Ok(());
        }
        let service = frames.remove(0);
        if service.starts_with(b"mmi.") {
            return self.mmi(client, service, frames);
        }
        self.services
            .entry(service.clone())
            .or_default()
            .requests
            .push_back((client, frames));
        self.dispatch(&service)
    }

    /// The Majordomo Management Interface: answers at once, from the broker.
    fn mmi(&mut self, client: Vec<u8>, service: Vec<u8>, body: Frames) -> Result<(), zmq::Error> {
        let code: &[u8] = if service == b"mmi.service" {
            let asked = body.first().map(Vec::as_slice).unwrap_or_default();
            if self.workers.values().any(|w| w.service == asked) {
                b"200"
            } else {
                b"404"
            }
        } else {
            b"501"
        };
        self.socket
            .send_multipart([client.as_slice(), b"", mdp::CLIENT, &service, code], 0)
    }

    /// [command, ...] from `sender`, a worker.
    fn worker_message(&mut self, sender: Vec<u8>, mut frames: Frames) -> Result<(), zmq::Error> {
        if frames.is_empty() {
            return self.delete_worker(&sender, true);
        }
        let command = frames.remove(0);
        let known = self.workers.contains_key(&sender);
        match (command.as_slice(), known) {
            ([mdp::READY], false) if frames.len() == 1 && !frames[0].starts_with(b"mmi.") => {
                let service = frames.remove(0);
                println!(
                    "broker: worker {} ready for service {:?}",
                    text(&sender),
                    text(&service)
                );
                self.workers.insert(
                    sender.clone(),
                    Worker {
                        service: service.clone(),
                        expiry: expiry(),
                    },
                );
                self.worker_idle(sender, &service)?;
            }
            ([mdp::REPLY], true) if frames.len() >= 2 && frames[1].is_empty() => {
                // [client, "", body...] -> the client gets [client, "", MDPC01, service, body...]
                let client = frames.remove(0);
                frames.remove(0);
                let service = self.workers[&sender].service.clone();
                let mut reply = vec![client, Vec::new(), mdp::CLIENT.to_vec(), service.clone()];
                reply.extend(frames);
                self.socket.send_multipart(reply, 0)?;
                self.worker_idle(sender, &service)?;
            }
            ([mdp::HEARTBEAT], true) => {
                if let Some(worker) = self.workers.get_mut(&sender) {
                    worker.expiry = expiry();
                }
            }
            ([mdp::DISCONNECT], _) => {
                println!("broker: worker {} disconnected", text(&sender));
                self.delete_worker(&sender, false)?;
            }
            _ => {
                // RFC 7: a valid but unexpected command (HEARTBEAT or REPLY
                // before READY, a second READY...) gets a DISCONNECT.
                println!(
                    "broker: {} from worker {} is out of place; disconnecting it",
                    mdp::command_name(&command),
                    text(&sender)
                );
                self.delete_worker(&sender, true)?;
            }
        }
        Ok(())
    }

    /// `worker` waits for work again; give it some if there is any.
    fn worker_idle(&mut self, worker: Vec<u8>, service: &[u8]) -> Result<(), zmq::Error> {
        if let Some(w) = self.workers.get_mut(&worker) {
            w.expiry = expiry();
        }
        self.services
            .entry(service.to_vec())
            .or_default()
            .idle
            .push_back(worker);
        self.dispatch(service)
    }

    /// Hands the service's queued requests to its idle workers, oldest first.
    fn dispatch(&mut self, service: &[u8]) -> Result<(), zmq::Error> {
        self.purge();
        loop {
            let Some(entry) = self.services.get_mut(service) else {
                return Ok(());
            };
            if entry.idle.is_empty() || entry.requests.is_empty() {
                return Ok(());
            }
            let worker = entry.idle.pop_front().unwrap_or_default();
            let (client, body) = entry.requests.pop_front().unwrap_or_default();
            let mut frames = vec![client, Vec::new()];
            frames.extend(body);
            self.send_to_worker(&worker, mdp::REQUEST, frames)?;
        }
    }

    /// Forgets every worker not heard from for LIVENESS intervals, idle or busy
    /// (stricter than the guide's broker, which expires idle workers only, so a
    /// hung worker holding a request is found too; a worker that needs longer
    /// for one request must keep heartbeating while it works).
    fn purge(&mut self) {
        let now = Instant::now();
        let expired: Vec<Vec<u8>> = self
            .workers
            .iter()
            .filter(|(_, w)| w.expiry < now)
            .map(|(id, _)| id.clone())
            .collect();
        for id in expired {
            println!("broker: worker {} expired (no heartbeat)", text(&id));
            self.forget(&id);
        }
    }

    fn forget(&mut self, worker: &[u8]) {
        if let Some(w) = self.workers.remove(worker) {
            if let Some(service) = self.services.get_mut(&w.service) {
                service.idle.retain(|id| id != worker);
            }
        }
    }

    fn delete_worker(&mut self, worker: &[u8], disconnect: bool) -> Result<(), zmq::Error> {
        if disconnect {
            self.send_to_worker(worker, mdp::DISCONNECT, Vec::new())?;
        }
        self.forget(worker);
        Ok(())
    }

    /// [worker, "", MDPW01, command, frames...]
    fn send_to_worker(&self, worker: &[u8], command: u8, frames: Frames) -> Result<(), zmq::Error> {
        let mut message = vec![
            worker.to_vec(),
            Vec::new(),
            mdp::WORKER.to_vec(),
            vec![command],
        ];
        message.extend(frames);
        self.socket.send_multipart(message, 0)
    }
}
