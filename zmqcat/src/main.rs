//! zmqcat: bind or connect a ZeroMQ socket, send what you give it, print what
//! it receives; make CURVE keys; watch a socket's events; run a proxy.

mod cat;
mod endpoint;
mod keys;
mod monitor;
mod proxy;
mod security;
mod stop;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use cat::CatArgs;

/// `cat` for ZeroMQ sockets: send and print messages, make CURVE keys, watch a
/// socket's events, run proxies.
///
/// The socket commands (req ... stream) bind or connect a socket of that type,
/// send messages from arguments, a file or standard input (one per line) and
/// print what arrives (one message per line, frames separated by " | ").
///
/// `zmqcat COMMAND --help` describes each command's options.
#[derive(Parser, Debug)]
#[command(name = "zmqcat", version, after_help = EXAMPLES)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

const EXAMPLES: &str = "\
Examples:
  zmqcat pull tcp://127.0.0.1:5555 --bind --count 10
  echo hello | zmqcat push tcp://127.0.0.1:5555
  zmqcat keygen server --meta name=demo
  zmqcat rep 'tcp://127.0.0.1:*' --bind --curve-server server_secret
  zmqcat req tcp://127.0.0.1:5557 --curve-serverkey server --send ping
  zmqcat monitor rep tcp://127.0.0.1:5558 --bind --count 3
  zmqcat proxy queue tcp://127.0.0.1:5559 tcp://127.0.0.1:5560 --capture tcp://127.0.0.1:5561";

#[derive(Subcommand, Debug)]
enum Command {
    /// REQ socket: send each message, print each reply.
    Req(CatArgs),
    /// REP socket: print each request and reply with it (or with --send).
    Rep(CatArgs),
    /// DEALER socket: send, then print what arrives.
    Dealer(CatArgs),
    /// ROUTER socket: print what arrives (the first frame is the peer's routing id).
    Router(CatArgs),
    /// PUB socket: publish messages.
    Pub(CatArgs),
    /// SUB socket: print what is published on the subscribed topics.
    Sub(CatArgs),
    /// XPUB socket: publish, print subscriptions.
    Xpub(CatArgs),
    /// XSUB socket: send subscriptions (\x01topic), print publications.
    Xsub(CatArgs),
    /// PUSH socket: send messages down a pipeline.
    Push(CatArgs),
    /// PULL socket: print what is pushed.
    Pull(CatArgs),
    /// PAIR socket: send, then print what arrives.
    Pair(CatArgs),
    /// STREAM socket: raw TCP, frames are [routing id, data].
    Stream(CatArgs),
    /// Write a new CURVE certificate: PATH (public) and PATH_secret (private).
    Keygen(keys::KeygenArgs),
    /// Print the keys and metadata of a certificate file.
    Keyinfo(keys::KeyinfoArgs),
    /// Bind or connect a socket and print its monitor events, one per line.
    Monitor(monitor::MonitorArgs),
    /// Run a forwarder, streamer or queue proxy between two endpoints.
    Proxy(proxy::ProxyArgs),
}

fn run(command: Command) -> Result<(), Box<dyn std::error::Error>> {
    use cat::Kind;
    let (kind, args) = match command {
        Command::Keygen(args) => return keys::keygen(&args),
        Command::Keyinfo(args) => return keys::keyinfo(&args),
        Command::Monitor(args) => return monitor::run(&args),
        Command::Proxy(args) => return proxy::run(&args),
        Command::Req(args) => (Kind::Req, args),
        Command::Rep(args) => (Kind::Rep, args),
        Command::Dealer(args) => (Kind::Dealer, args),
        Command::Router(args) => (Kind::Router, args),
        Command::Pub(args) => (Kind::Pub, args),
        Command::Sub(args) => (Kind::Sub, args),
        Command::Xpub(args) => (Kind::Xpub, args),
        Command::Xsub(args) => (Kind::Xsub, args),
        Command::Push(args) => (Kind::Push, args),
        Command::Pull(args) => (Kind::Pull, args),
        Command::Pair(args) => (Kind::Pair, args),
        Command::Stream(args) => (Kind::Stream, args),
    };
    cat::run(kind, &args)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("zmqcat: {e}");
            ExitCode::FAILURE
        }
    }
}
