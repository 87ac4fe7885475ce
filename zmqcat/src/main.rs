//! zmqcat: bind or connect a ZeroMQ socket, send what you give it, print what
//! it receives.

use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, ValueEnum};

/// The socket types zmqcat can open.
#[derive(Clone, Copy, Debug, ValueEnum)]
enum Kind {
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
    fn socket_type(self) -> zmq::SocketType {
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

/// Bind or connect a ZeroMQ socket; send messages from arguments, a file or
/// standard input (one message per line); print what arrives, one message per
/// line with its frames separated.
#[derive(Parser, Debug)]
#[command(name = "zmqcat", version, about)]
struct Args {
    /// The socket type.
    #[arg(value_enum)]
    kind: Kind,
    /// Endpoints, e.g. tcp://127.0.0.1:5555, ipc:///tmp/sock.
    #[arg(required = true)]
    endpoints: Vec<String>,
    /// Bind the endpoints (the default is to connect).
    #[arg(short, long)]
    bind: bool,
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
    /// CURVE: this socket's certificate (the `_secret` file).
    #[arg(long, value_name = "PATH")]
    curve_cert: Option<PathBuf>,
    /// CURVE client: the server's public certificate file.
    #[arg(long, value_name = "PATH")]
    curve_server_cert: Option<PathBuf>,
    /// Wait this many milliseconds after connecting before sending (PUB/SUB
    /// subscriptions take a moment to travel).
    #[arg(long, default_value_t = 0, value_name = "MS")]
    delay: u64,
}

/// Prints a frame: as text with escapes for what is not printable, or as hex.
fn render(frame: &[u8], hex: bool) -> String {
    if hex {
        return frame.iter().map(|b| format!("{b:02x}")).collect();
    }
    frame.escape_ascii().to_string()
}

fn configure(args: &Args, socket: &zmq::Socket) -> Result<(), Box<dyn std::error::Error>> {
    socket.set_linger(1_000)?;
    if let Some(ms) = args.timeout {
        socket.set_rcvtimeo(ms)?;
        socket.set_sndtimeo(ms)?;
    }
    if let Some(path) = &args.curve_cert {
        let cert = zmq::Certificate::load(path)?;
        match &args.curve_server_cert {
            Some(server) => {
                socket.curve_client(&cert, zmq::Certificate::load(server)?.public_key())?
            }
            None => socket.curve_server(&cert)?,
        }
    }
    if matches!(args.kind, Kind::Sub) {
        if args.subscribe.is_empty() {
            socket.set_subscribe(b"")?;
        }
        for topic in &args.subscribe {
            socket.set_subscribe(topic.as_bytes())?;
        }
    }
    for endpoint in &args.endpoints {
        if args.bind {
            socket.bind(endpoint)?;
        } else {
            socket.connect(endpoint)?;
        }
    }
    Ok(())
}

/// The messages to send: from --send, --file, or standard input.
fn outgoing(args: &Args) -> Result<Vec<Vec<Vec<u8>>>, Box<dyn std::error::Error>> {
    if let Some(path) = &args.file {
        return Ok(vec![vec![std::fs::read(path)?]]);
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

fn print_message(args: &Args, frames: &[Vec<u8>]) -> std::io::Result<()> {
    let line: Vec<String> = frames.iter().map(|f| render(f, args.hex)).collect();
    let mut out = std::io::stdout().lock();
    writeln!(out, "{}", line.join(&args.separator))?;
    out.flush()
}

fn run(args: &Args) -> Result<(), Box<dyn std::error::Error>> {
    let ctx = zmq::Context::new();
    let socket = ctx.socket(args.kind.socket_type())?;
    configure(args, &socket)?;
    if args.delay > 0 {
        std::thread::sleep(std::time::Duration::from_millis(args.delay));
    }
    let wants_input = args.kind.sends()
        && (!args.send.is_empty() || args.file.is_some() || !args.kind.receives());
    let mut received = 0;
    let limit = args.count.unwrap_or(u64::MAX);
    match args.kind {
        Kind::Rep => {
            // Echo every request back (or the --send text), printing it.
            while received < limit {
                let request = socket.recv_multipart(0)?;
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
                socket.send_multipart(message, 0)?;
                print_message(args, &socket.recv_multipart(0)?)?;
            }
        }
        _ => {
            if wants_input {
                for message in outgoing(args)? {
                    socket.send_multipart(message, 0)?;
                }
            }
            // Receive unless this run only sent (a --count asks for replies too).
            if args.kind.receives() && (!wants_input || args.count.is_some()) {
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

fn main() -> ExitCode {
    let args = Args::parse();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("zmqcat: {e}");
            ExitCode::FAILURE
        }
    }
}
