//! A Majordomo worker (RFC 7): a DEALER that announces its service with READY,
//! takes REQUESTs, sends REPLYs, heartbeats the broker, and reconnects (after a
//! delay, with a fresh socket) when the broker falls silent or says DISCONNECT.

use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::Instant;

use super::mdp;

type Frames = Vec<Vec<u8>>;

/// One worker's connection to the broker.
pub struct Worker {
    ctx: zmq::Context,
    broker: String,
    service: String,
    name: String,
    socket: zmq::Socket,
    generation: u32,
    liveness: u32,
    heartbeat_at: Instant,
    /// The client address of the request being served.
    reply_to: Option<Vec<u8>>,
}

impl Worker {
    /// Connects to `broker` and offers `service`. `name` names the worker in
    /// logs and in its routing ids.
    pub fn new(
        ctx: &zmq::Context,
        broker: &str,
        service: &str,
        name: &str,
    ) -> Result<Worker, zmq::Error> {
        let socket = Worker::connect(ctx, broker, service, name, 0)?;
        Ok(Worker {
            ctx: ctx.clone(),
            broker: broker.to_owned(),
            service: service.to_owned(),
            name: name.to_owned(),
            socket,
            generation: 0,
            liveness: mdp::HEARTBEAT_LIVENESS,
            heartbeat_at: Instant::now() + mdp::HEARTBEAT_INTERVAL,
            reply_to: None,
        })
    }

    /// A fresh DEALER (with a routing id of its own, so the broker never
    /// confuses it with the previous connection) that has sent READY.
    fn connect(
        ctx: &zmq::Context,
        broker: &str,
        service: &str,
        name: &str,
        generation: u32,
    ) -> Result<zmq::Socket, zmq::Error> {
        let socket = ctx.socket(zmq::DEALER)?;
        socket.set_linger(0)?;
        socket.set_identity(format!("{name}#{generation}").as_bytes())?;
        socket.connect(broker)?;
        send(&socket, mdp::READY, vec![service.as_bytes().to_vec()])?;
        Ok(socket)
    }

    fn reconnect(&mut self) -> Result<(), zmq::Error> {
        thread::sleep(mdp::RECONNECT_DELAY);
        self.generation += 1;
        self.socket = Worker::connect(
            &self.ctx,
            &self.broker,
            &self.service,
            &self.name,
            self.generation,
        )?;
        self.liveness = mdp::HEARTBEAT_LIVENESS;
        self.heartbeat_at = Instant::now() + mdp::HEARTBEAT_INTERVAL;
        Ok(())
    }

    /// Sends the reply to the request last returned by [`Worker::recv`].
    pub fn reply(&mut self, body: Frames) -> Result<(), zmq::Error> {
        let client = self.reply_to.take().ok_or(zmq::Error::EFSM)?;
        let mut frames = vec![client, Vec::new()];
        frames.extend(body);
        send(&self.socket, mdp::REPLY, frames)
    }

    /// Waits for the next request and returns its body, heartbeating the broker
    /// meanwhile; `None` once `stop` is set, after telling the broker DISCONNECT.
    pub fn recv(&mut self, stop: &AtomicBool) -> Result<Option<Frames>, zmq::Error> {
        while !stop.load(Ordering::Relaxed) {
            if self
                .socket
                .poll(zmq::POLLIN, mdp::millis(mdp::HEARTBEAT_INTERVAL))?
                > 0
            {
                let mut frames = self.socket.recv_multipart(0)?;
                self.liveness = mdp::HEARTBEAT_LIVENESS;
                // ["", MDPW01, command, ...]
                if frames.len() < 3 || !frames[0].is_empty() || frames[1] != mdp::WORKER {
                    println!("{}: invalid message from the broker", self.name);
                    continue;
                }
                let mut rest = frames.split_off(3);
                match frames[2].as_slice() {
                    [mdp::REQUEST] if rest.len() >= 2 && rest[1].is_empty() => {
                        // [client, "", body...]
                        let body = rest.split_off(2);
                        self.reply_to = Some(rest.swap_remove(0));
                        return Ok(Some(body));
                    }
                    [mdp::HEARTBEAT] => {}
                    [mdp::DISCONNECT] => {
                        println!("{}: the broker said DISCONNECT; reconnecting", self.name);
                        self.reconnect()?;
                    }
                    other => println!("{}: unexpected {}", self.name, mdp::command_name(other)),
                }
            } else {
                self.liveness -= 1;
                if self.liveness == 0 {
                    println!("{}: the broker is silent; reconnecting", self.name);
                    self.reconnect()?;
                }
            }
            if Instant::now() >= self.heartbeat_at {
                send(&self.socket, mdp::HEARTBEAT, Vec::new())?;
                self.heartbeat_at = Instant::now() + mdp::HEARTBEAT_INTERVAL;
            }
        }
        send(&self.socket, mdp::DISCONNECT, Vec::new())?;
        Ok(None)
    }
}

/// ["", MDPW01, command, frames...]
fn send(socket: &zmq::Socket, command: u8, frames: Frames) -> Result<(), zmq::Error> {
    let mut message = vec![Vec::new(), mdp::WORKER.to_vec(), vec![command]];
    message.extend(frames);
    socket.send_multipart(message, 0)
}
