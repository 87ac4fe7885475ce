//! The socket subcommands: send what is given, print what arrives.

use std::io::{BufRead, Write};
use std::path::PathBuf;

use clap::{Args, ValueEnum};

use crate::endpoint::attach_all;
use crate::security::SecurityArgs;

/// The socket types zmqcat can open.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum Kind {
    Req,
    Rep,
    Dealer,
    Router,
    Pub,
    Sub,
    Xpub,
    Xsub,
    Push,
    Pull,
    Pair,
    Stream,
}

impl Kind {
    pub fn socket_type(self) -> zmq::SocketType {
        match self {
            Kind::Req => zmq::REQ,
            Kind::Rep => zmq::REP,
            Kind::Dealer => zmq::DEALER,
            Kind::Router => zmq::ROUTER,
            Kind::Pub => zmq::PUB,
            Kind::Sub => zmq::SUB,
            Kind::Xpub => zmq::XPUB,
            Kind::Xsub => zmq::XSUB,
            Kind::Push => zmq::PUSH,
            Kind::Pull => zmq::PULL,
            Kind::Pair => zmq::PAIR,
            Kind::Stream => zmq::STREAM,
        }
    }

    fn sends(self) -> bool {
        !matches!(self, Kind::Sub | Kind::Pull)
    }

    fn receives(self) -> bool {
        !matches!(self, Kind::Pub | Kind::Push)
    }
}

/// Where the socket goes: endpoints, bind or connect.
#[derive(Args, Debug)]
pub struct Place {
    /// Endpoints, e.g. tcp://127.0.0.1:5555, ipc:///tmp/sock. With --bind, a
    /// tcp port `*` picks a free port; the bound endpoint is printed on
    /// standard error.
    #[arg(required = true)]
    pub endpoints: Vec<String>,
    /// Bind the endpoints (the default is to connect).
    #[arg(short, long)]
    pub bind: bool,
}

/// Options of the socket subcommands.
#[derive(Args, Debug)]
pub struct CatArgs {
    #[command(flatten)]
    place: Place,
    /// A message to send (repeat for more); without any, sending types read
    /// standard input, one message per line.
    #[arg(short, long = "send", value_name = "TEXT")]
    send: Vec<String>,
    /// Send the --send values (or the frames of each input line) as the frames
    /// of one multipart message.
    #[arg(short, long)]
    multipart: bool,
    /// Split each input line into frames at this separator.
    #[arg(long, value_name = "SEP")]
    frames: Option<String>,
    /// Send the contents of this file as one message.
    #[arg(short, long, value_name = "PATH")]
    file: Option<PathBuf>,
    /// SUB: subscribe to this topic prefix (repeatable; default: everything).
    #[arg(long, value_name = "TOPIC")]
    subscribe: Vec<String>,
    /// Stop after receiving this many messages.
    #[arg(short = 'n', long)]
    count: Option<u64>,
    /// Give up when nothing arrives (or cannot be sent) for this many milliseconds.
    #[arg(short, long, value_name = "MS")]
    timeout: Option<i32>,
    /// Print frames as hexadecimal.
    #[arg(long)]
    hex: bool,
    /// Separator printed between the frames of a received message.
    #[arg(long, default_value = " | ", value_name = "SEP")]
    separator: String,
    /// Wait this many milliseconds after connecting before sending (PUB/SUB
    /// subscriptions take a moment to travel).
    #[arg(long, default_value_t = 0, value_name = "MS")]
    delay: u64,
    #[command(flatten)]
    security: SecurityArgs,
}

/// Prints a frame: as text with escapes for what is not printable, or as hex.
fn render(frame: &[u8], hex: bool) -> String {
    if hex {
        return frame.iter().map(|b| format!("{b:02x}")).collect();
    }
    frame.escape_ascii().to_string()
}

fn configure(kind: Kind, args: &CatArgs, socket: &zmq::Socket) -> zmq::Result<()> {
    socket.set_linger(1_000)?;
    if let Some(ms) = args.timeout {
        socket.set_rcvtimeo(ms)?;
        socket.set_sndtimeo(ms)?;
    }
    if matches!(kind, Kind::Sub) {
        if args.subscribe.is_empty() {
            socket.set_subscribe(b"")?;
        }
        for topic in &args.subscribe {
            socket.set_subscribe(topic.as_bytes())?;
        }
    }
    Ok(())
}

/// The messages to send: from --send, --file, or standard input.
fn outgoing(args: &CatArgs) -> Result<Vec<Vec<Vec<u8>>>, Box<dyn std::error::Error>> {
    if let Some(path) = &args.file {
        let content = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
        return Ok(vec![vec![content]]);
    }
    let split = |line: &str| -> Vec<Vec<u8>> {
        match &args.frames {
            Some(sep) => line
                .split(sep.as_str())
                .map(|f| f.as_bytes().to_vec())
                .collect(),
            None => vec![line.as_bytes().to_vec()],
        }
    };
    if !args.send.is_empty() {
        let frames: Vec<Vec<u8>> = args.send.iter().map(|s| s.as_bytes().to_vec()).collect();
        return Ok(if args.multipart {
            vec![frames]
        } else {
            frames.into_iter().map(|f| vec![f]).collect()
        });
    }
    let mut messages = Vec::new();
    for line in std::io::stdin().lock().lines() {
        messages.push(split(&line?));
    }
    Ok(messages)
}

fn print_message(args: &CatArgs, frames: &[Vec<u8>]) -> std::io::Result<()> {
    let line: Vec<String> = frames.iter().map(|f| render(f, args.hex)).collect();
    let mut out = std::io::stdout().lock();
    writeln!(out, "{}", line.join(&args.separator))?;
    out.flush()
}

/// A clearer message for a send or receive that ran out of --timeout.
fn timed_out(e: zmq::Error, doing: &str) -> String {
    match e {
        zmq::Error::EAGAIN => format!("timed out {doing}"),
        e => format!("{doing}: {e}"),
    }
}

/// Runs a socket subcommand.
pub fn run(kind: Kind, args: &CatArgs) -> Result<(), Box<dyn std::error::Error>> {
    let ctx = zmq::Context::new();
    let socket = ctx.socket(kind.socket_type())?;
    configure(kind, args, &socket)?;
    let _auth = args.security.apply(&ctx, &socket)?;
    attach_all(&socket, &args.place.endpoints, args.place.bind)?;
    if args.delay > 0 {
        std::thread::sleep(std::time::Duration::from_millis(args.delay));
    }
    let wants_input =
        kind.sends() && (!args.send.is_empty() || args.file.is_some() || !kind.receives());
    let mut received = 0;
    let limit = args.count.unwrap_or(u64::MAX);
    match kind {
        Kind::Rep => {
            // Echo every request back (or the --send text), printing it.
            while received < limit {
                let request = socket
                    .recv_multipart(0)
                    .map_err(|e| timed_out(e, "waiting for a request"))?;
                print_message(args, &request)?;
                received += 1;
                match args.send.first() {
                    Some(reply) => socket.send(reply.as_str(), 0)?,
                    None => socket.send_multipart(request, 0)?,
                }
            }
        }
        Kind::Req => {
            for message in outgoing(args)? {
                socket
                    .send_multipart(message, 0)
                    .map_err(|e| timed_out(e, "sending a request"))?;
                let reply = socket
                    .recv_multipart(0)
                    .map_err(|e| timed_out(e, "waiting for a reply"))?;
                print_message(args, &reply)?;
            }
        }
        _ => {
            if wants_input {
                for message in outgoing(args)? {
                    socket.send_multipart(message, 0)?;
                }
            }
            // Receive unless this run only sent (a --count asks for replies too).
            if kind.receives() && (!wants_input || args.count.is_some()) {
                while received < limit {
                    match socket.recv_multipart(0) {
                        Ok(frames) => print_message(args, &frames)?,
                        Err(zmq::Error::EAGAIN) if args.count.is_some() => {
                            return Err(
                                format!("timed out after {received} of {limit} messages").into()
                            )
                        }
                        Err(zmq::Error::EAGAIN) => break,
                        Err(e) => return Err(e.into()),
                    }
                    received += 1;
                }
            }
        }
    }
    Ok(())
}
