//! A one-second tour: REQ/REP, PUB/SUB, PUSH/PULL, ROUTER/DEALER, CURVE with a
//! ZAP authenticator, and a Poller, each checked, with a short report.
//!
//! Run: `cargo run --release --example tour`

use std::time::{Duration, Instant};

type Check = Result<String, Box<dyn std::error::Error>>;

/// One named step of the tour.
type Step = (&'static str, fn(&zmq::Context) -> Check);

fn socket(ctx: &zmq::Context, kind: zmq::SocketType) -> Result<zmq::Socket, zmq::Error> {
    let s = ctx.socket(kind)?;
    s.set_linger(0)?;
    s.set_rcvtimeo(2_000)?;
    s.set_sndtimeo(2_000)?;
    Ok(s)
}

fn tcp(s: &zmq::Socket) -> Result<String, zmq::Error> {
    s.bind("tcp://127.0.0.1:*")?;
    Ok(s.get_last_endpoint()?.unwrap_or_default())
}

fn req_rep(ctx: &zmq::Context) -> Check {
    let rep = socket(ctx, zmq::REP)?;
    let req = socket(ctx, zmq::REQ)?;
    req.connect(&tcp(&rep)?)?;
    let started = Instant::now();
    for i in 0..1000u32 {
        req.send(i.to_le_bytes().to_vec(), 0)?;
        let mut msg = rep.recv_msg(0)?;
        rep.send(&mut msg, 0)?;
        req.recv(&mut msg, 0)?;
    }
    Ok(format!(
        "1000 round trips over tcp in {:.1} ms",
        started.elapsed().as_secs_f64() * 1e3
    ))
}

fn pub_sub(ctx: &zmq::Context) -> Check {
    let publisher = socket(ctx, zmq::PUB)?;
    publisher.bind("inproc://tour-pubsub")?;
    let subscriber = socket(ctx, zmq::SUB)?;
    subscriber.set_subscribe(b"news.")?;
    subscriber.connect("inproc://tour-pubsub")?;
    let (mut news, deadline) = (0, Instant::now() + Duration::from_secs(2));
    while news < 10 && Instant::now() < deadline {
        publisher.send("sports.score", 0)?;
        publisher.send("news.headline", 0)?;
        while subscriber.poll(zmq::POLLIN, 1)? > 0 {
            let topic = subscriber.recv_bytes(0)?;
            if !topic.starts_with(b"news.") {
                return Err("an unsubscribed topic arrived".into());
            }
            news += 1;
        }
    }
    Ok(format!("{news} news updates, no sports (topic filter)"))
}

fn push_pull(ctx: &zmq::Context) -> Check {
    let push = socket(ctx, zmq::PUSH)?;
    push.bind("inproc://tour-pipeline")?;
    let pulls = [socket(ctx, zmq::PULL)?, socket(ctx, zmq::PULL)?];
    for p in &pulls {
        p.connect("inproc://tour-pipeline")?;
    }
    for i in 0..100u8 {
        push.send(vec![i; 1024], 0)?;
    }
    let mut counts = [0; 2];
    for (count, p) in counts.iter_mut().zip(&pulls) {
        while p.poll(zmq::POLLIN, 50)? > 0 {
            p.recv_bytes(0)?;
            *count += 1;
        }
    }
    Ok(format!(
        "100 tasks fanned out as {} + {}",
        counts[0], counts[1]
    ))
}

fn router_dealer(ctx: &zmq::Context) -> Check {
    let router = socket(ctx, zmq::ROUTER)?;
    let endpoint = tcp(&router)?;
    let dealers: Vec<zmq::Socket> = (0..3)
        .map(|i| -> Result<zmq::Socket, zmq::Error> {
            let d = socket(ctx, zmq::DEALER)?;
            d.set_identity(format!("dealer-{i}").as_bytes())?;
            d.connect(&endpoint)?;
            d.send("hello", 0)?;
            Ok(d)
        })
        .collect::<Result<_, _>>()?;
    for _ in 0..3 {
        let frames = router.recv_multipart(0)?;
        router.send_multipart(
            [
                frames[0].clone(),
                b"welcome ".iter().chain(&frames[0]).copied().collect(),
            ],
            0,
        )?;
    }
    let replies: Vec<String> = dealers
        .iter()
        .map(|d| d.recv_string(0).map(|r| r.unwrap_or_default()))
        .collect::<Result<_, _>>()?;
    Ok(format!("routed by id: {}", replies.join(", ")))
}

fn curve(ctx: &zmq::Context) -> Check {
    if zmq::has("curve") != Some(true) {
        return Ok("skipped: this libzmq has no CURVE".into());
    }
    let auth = zmq::Authenticator::start(ctx)?;
    let dir = std::env::temp_dir().join(format!("zmq-tour-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let client_cert = zmq::Certificate::generate()?;
    client_cert.save(dir.join("client.key"))?;
    auth.set_curve_certificates(zmq::ANY_DOMAIN, &dir)?;
    let server_cert = zmq::Certificate::generate()?;
    let server = socket(ctx, zmq::REP)?;
    server.curve_server(&server_cert)?;
    let endpoint = tcp(&server)?;
    let client = socket(ctx, zmq::REQ)?;
    client.curve_client(&client_cert, server_cert.public_key())?;
    client.connect(&endpoint)?;
    client.send("secret", 0)?;
    let mut msg = server.recv_msg(0)?;
    let user = msg.gets("User-Id").unwrap_or("?").to_owned();
    let stranger = socket(ctx, zmq::REQ)?;
    stranger.curve_client(&zmq::Certificate::generate()?, server_cert.public_key())?;
    stranger.connect(&endpoint)?;
    stranger.send("let me in", 0)?;
    let refused = server.poll(zmq::POLLIN, 300)? == 0;
    std::fs::remove_dir_all(&dir)?;
    if !refused {
        return Err("an unknown key got through".into());
    }
    Ok(format!(
        "encrypted message from {}..., unknown key refused",
        &user[..8.min(user.len())]
    ))
}

fn poller(ctx: &zmq::Context) -> Check {
    let sockets: Vec<(zmq::Socket, zmq::Socket)> = (0..50)
        .map(|i| -> Result<_, zmq::Error> {
            let a = socket(ctx, zmq::PAIR)?;
            a.bind(&format!("inproc://tour-poll-{i}"))?;
            let b = socket(ctx, zmq::PAIR)?;
            b.connect(&format!("inproc://tour-poll-{i}"))?;
            Ok((a, b))
        })
        .collect::<Result<_, _>>()?;
    let mut poller = zmq::Poller::new();
    for (i, (a, _)) in sockets.iter().enumerate() {
        poller.add(a, i, zmq::POLLIN)?;
    }
    for i in [3, 17, 42] {
        sockets[i].1.send("ping", 0)?;
    }
    let mut ready: Vec<usize> = poller
        .wait(Some(Duration::from_secs(1)))?
        .map(|(t, _)| *t)
        .collect();
    ready.sort_unstable();
    if ready != [3, 17, 42] {
        return Err(format!("wrong sockets ready: {ready:?}").into());
    }
    Ok(format!(
        "50 sockets polled ({:?} backend), ready: {ready:?}",
        poller.backend()
    ))
}

fn main() {
    let ctx = zmq::Context::new();
    let (major, minor, patch) = zmq::version();
    println!("zmq tour on libzmq {major}.{minor}.{patch}");
    let started = Instant::now();
    let checks: [Step; 6] = [
        ("REQ/REP", req_rep),
        ("PUB/SUB", pub_sub),
        ("PUSH/PULL", push_pull),
        ("ROUTER/DEALER", router_dealer),
        ("CURVE + ZAP", curve),
        ("Poller", poller),
    ];
    let mut failed = 0;
    for (name, check) in checks {
        match check(&ctx) {
            Ok(report) => println!("  ok    {name:<14} {report}"),
            Err(e) => {
                failed += 1;
                println!("  FAIL  {name:<14} {e}");
            }
        }
    }
    println!(
        "{} checks, {failed} failed, in {:.0} ms",
        checks.len(),
        started.elapsed().as_secs_f64() * 1e3
    );
    if failed > 0 {
        std::process::exit(1);
    }
}
