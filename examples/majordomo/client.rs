//! A synchronous Majordomo client (RFC 7): a REQ socket that sends [MDPC01,
//! service, body...] and waits for the reply with a timeout, retrying on a fresh
//! socket (the Lazy Pirate way) before it gives up.

use super::mdp;

type Frames = Vec<Vec<u8>>;

/// A client of one broker.
pub struct Client {
    ctx: zmq::Context,
    broker: String,
    socket: zmq::Socket,
    timeout_ms: i64,
    retries: u32,
}

fn connect(ctx: &zmq::Context, broker: &str) -> Result<zmq::Socket, zmq::Error> {
    let socket = ctx.socket(zmq::REQ)?;
    socket.set_linger(0)?;
    socket.connect(broker)?;
    Ok(socket)
}

impl Client {
    /// A client that waits `timeout_ms` per try, `retries` tries in all.
    pub fn new(
        ctx: &zmq::Context,
        broker: &str,
        timeout_ms: i64,
        retries: u32,
    ) -> Result<Client, zmq::Error> {
        Ok(Client {
            ctx: ctx.clone(),
            broker: broker.to_owned(),
            socket: connect(ctx, broker)?,
            timeout_ms,
            retries,
        })
    }

    /// Sends `body` to `service`; returns the reply body, or `None` when every
    /// try timed out.
    pub fn send(&mut self, service: &str, body: Frames) -> Result<Option<Frames>, zmq::Error> {
        let mut request = vec![mdp::CLIENT.to_vec(), service.as_bytes().to_vec()];
        request.extend(body);
        for attempt in 1..=self.retries {
            self.socket.send_multipart(request.iter(), 0)?;
            if self.socket.poll(zmq::POLLIN, self.timeout_ms)? > 0 {
                let mut frames = self.socket.recv_multipart(0)?;
                // [MDPC01, service, body...]
                if frames.len() >= 2 && frames[0] == mdp::CLIENT && frames[1] == service.as_bytes()
                {
                    return Ok(Some(frames.split_off(2)));
                }
                println!("client: malformed reply, dropped");
            } else if attempt < self.retries {
                println!("client: no reply from {service:?}, retrying");
            }
            self.socket = connect(&self.ctx, &self.broker)?;
        }
        Ok(None)
    }
}
