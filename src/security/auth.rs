//! [`Authenticator`]: a ZAP handler (ZeroMQ RFC 27) on `inproc://zeromq.zap.01`,
//! on its own thread, with IP allow/deny lists, PLAIN passwords, CURVE keys
//! (any, or a certificate store) and GSSAPI passthrough, per ZAP domain.

use std::collections::HashMap;
use std::net::IpAddr;
use std::path::Path;
use std::str::FromStr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;

use super::store::CertStore;
use crate::error::{Error, Result};
use crate::ffi;
use crate::socket::SocketType;
use crate::{Context, Socket};

/// The endpoint libzmq sends ZAP requests to.
pub const ZAP_ENDPOINT: &str = "inproc://zeromq.zap.01";

/// An IPv4 or IPv6 network: an address and a prefix length (`10.0.0.0/8`,
/// `::1/128`, or a bare address for a single host).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IpNet {
    addr: IpAddr,
    prefix: u8,
}

impl IpNet {
    /// Whether `ip` is inside this network.
    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = match (self.addr, ip) {
            (IpAddr::V4(_), IpAddr::V6(v6)) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
            _ => ip,
        };
        match (self.addr, ip) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                prefix_eq(&net.octets(), &ip.octets(), self.prefix)
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                prefix_eq(&net.octets(), &ip.octets(), self.prefix)
            }
            _ => false,
        }
    }
}

fn prefix_eq(a: &[u8], b: &[u8], prefix: u8) -> bool {
    let full = usize::from(prefix / 8);
    let rest = prefix % 8;
    if a[..full] != b[..full] {
        return false;
    }
    if rest == 0 {
        return true;
    }
    let mask = 0xFFu8 << (8 - rest);
    (a[full] & mask) == (b[full] & mask)
}

impl FromStr for IpNet {
    type Err = Error;

    /// Parses `a.b.c.d`, `a.b.c.d/n`, an IPv6 address, or `v6/n`; `EINVAL`
    /// otherwise.
    fn from_str(s: &str) -> Result<IpNet> {
        let (addr, prefix) = match s.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (s, None),
        };
        let addr: IpAddr = addr.trim().parse().map_err(|_| Error::EINVAL)?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            Some(p) => p.trim().parse::<u8>().map_err(|_| Error::EINVAL)?,
            None => max,
        };
        if prefix > max {
            return Err(Error::EINVAL);
        }
        Ok(IpNet { addr, prefix })
    }
}

/// How CURVE clients are accepted in a domain.
#[derive(Debug)]
pub enum CurvePolicy {
    /// Any client with a valid key (the encryption still holds).
    AllowAny,
    /// Only clients whose public key is in this store (reloaded on change).
    Store(CertStore),
}

/// What one ZAP domain accepts.
#[derive(Debug, Default)]
pub struct DomainPolicy {
    /// PLAIN: user name → password. `None` refuses PLAIN.
    pub plain: Option<HashMap<String, String>>,
    /// CURVE: `None` refuses CURVE.
    pub curve: Option<CurvePolicy>,
    /// GSSAPI: accept what the GSSAPI mechanism already authenticated.
    pub gssapi: bool,
}

#[derive(Debug, Default)]
struct Policy {
    allow: Vec<IpNet>,
    deny: Vec<IpNet>,
    domains: HashMap<String, DomainPolicy>,
}

/// The ZAP domain whose policy applies to requests for domains without one.
pub const ANY_DOMAIN: &str = "*";

/// A ZAP handler running on its own thread for one context. Configure it at any
/// time; drop it (or call [`Authenticator::stop`]) to stop it and join the thread.
///
/// libzmq consults it for every PLAIN, CURVE and GSSAPI handshake, but for a
/// NULL-mechanism (unsecured) one only when the server socket has a ZAP domain
/// (`set_zap_domain`): without one, its allow and deny lists never see those
/// connections.
///
/// Decisions are logged through the `log` crate (target `zmq::auth`).
///
/// ```
/// let ctx = zmq::Context::new();
/// let auth = zmq::Authenticator::start(&ctx).unwrap();
/// auth.set_plain_passwords(zmq::ANY_DOMAIN, [("admin", "secret")]);
///
/// let server = ctx.socket(zmq::REP).unwrap();
/// server.plain_server().unwrap();
/// server.bind("tcp://127.0.0.1:*").unwrap(); // security applies to tcp and ipc
/// let endpoint = server.get_last_endpoint().unwrap().unwrap();
/// let client = ctx.socket(zmq::REQ).unwrap();
/// client.plain_client("admin", "secret").unwrap();
/// client.connect(&endpoint).unwrap();
/// client.send("hello", 0).unwrap();
/// let mut msg = server.recv_msg(0).unwrap();
/// assert_eq!(msg.gets("User-Id"), Some("admin"));
/// ```
pub struct Authenticator {
    policy: Arc<Mutex<Policy>>,
    control: Socket,
    thread: Option<JoinHandle<()>>,
}

impl Authenticator {
    /// Binds the ZAP endpoint in `ctx` and starts answering requests. With no
    /// configuration, NULL connections pass and PLAIN, CURVE and GSSAPI ones
    /// are refused.
    pub fn start(ctx: &Context) -> Result<Authenticator> {
        let zap = ctx.socket(SocketType::REP)?;
        zap.set_linger(0)?;
        zap.bind(ZAP_ENDPOINT)?;
        let (thread_control, control) = ctx.inproc_pair("auth-control")?;
        let policy = Arc::new(Mutex::new(Policy::default()));
        let shared = policy.clone();
        let thread = std::thread::Builder::new()
            .name("zmq-zap".into())
            .spawn(move || serve(zap, thread_control, shared))
            .map_err(|e| Error::from_spawn(&e))?;
        Ok(Authenticator {
            policy,
            control,
            thread: Some(thread),
        })
    }

    fn policy(&self) -> MutexGuard<'_, Policy> {
        self.policy.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn domain(&self, domain: &str, change: impl FnOnce(&mut DomainPolicy)) {
        change(self.policy().domains.entry(domain.to_owned()).or_default());
    }

    /// Accepts connections only from these addresses or networks (all others
    /// are refused), in addition to what was allowed before.
    ///
    /// The address lists apply to every mechanism, but libzmq asks the ZAP
    /// handler about a NULL-mechanism (unsecured) connection only when the
    /// server socket has a ZAP domain: set one (`set_zap_domain`) on servers
    /// whose NULL clients these lists must filter.
    pub fn allow(&self, nets: impl IntoIterator<Item = IpNet>) {
        self.policy().allow.extend(nets);
    }

    /// Refuses connections from these addresses or networks (see
    /// [`Authenticator::allow`] for NULL-mechanism connections).
    pub fn deny(&self, nets: impl IntoIterator<Item = IpNet>) {
        self.policy().deny.extend(nets);
    }

    /// Takes these networks off the allow list (exact matches). Once the list
    /// is empty, every address is allowed again (unless denied).
    pub fn remove_allowed(&self, nets: impl IntoIterator<Item = IpNet>) {
        let nets: Vec<IpNet> = nets.into_iter().collect();
        self.policy().allow.retain(|n| !nets.contains(n));
    }

    /// Takes these networks off the deny list (exact matches).
    pub fn remove_denied(&self, nets: impl IntoIterator<Item = IpNet>) {
        let nets: Vec<IpNet> = nets.into_iter().collect();
        self.policy().deny.retain(|n| !nets.contains(n));
    }

    /// PLAIN in `domain` ([`ANY_DOMAIN`] for all): these users and passwords.
    pub fn set_plain_passwords<U: Into<String>, P: Into<String>>(
        &self,
        domain: &str,
        users: impl IntoIterator<Item = (U, P)>,
    ) {
        let map = users
            .into_iter()
            .map(|(u, p)| (u.into(), p.into()))
            .collect();
        self.domain(domain, |d| d.plain = Some(map));
    }

    /// PLAIN in `domain` from a passwords file: one `user=password` per line,
    /// `#` comments and blank lines ignored.
    pub fn load_plain_passwords(
        &self,
        domain: &str,
        path: impl AsRef<Path>,
    ) -> std::io::Result<()> {
        let text = std::fs::read_to_string(path)?;
        let users = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .filter_map(|l| l.split_once('='))
            .map(|(u, p)| (u.trim().to_owned(), p.trim().to_owned()));
        self.set_plain_passwords(domain, users);
        Ok(())
    }

    /// CURVE in `domain`: accept any client key.
    pub fn allow_any_curve(&self, domain: &str) {
        self.domain(domain, |d| d.curve = Some(CurvePolicy::AllowAny));
    }

    /// CURVE in `domain`: accept the public keys of the certificates in `dir`
    /// (reloaded when the directory changes).
    pub fn set_curve_certificates(
        &self,
        domain: &str,
        dir: impl AsRef<Path>,
    ) -> std::io::Result<()> {
        let store = CertStore::open(dir)?;
        self.domain(domain, |d| d.curve = Some(CurvePolicy::Store(store)));
        Ok(())
    }

    /// GSSAPI in `domain`: accept what the mechanism authenticated.
    pub fn allow_gssapi(&self, domain: &str) {
        self.domain(domain, |d| d.gssapi = true);
    }

    /// Stops the handler and joins its thread.
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        if let Some(thread) = self.thread.take() {
            if self.control.send("TERMINATE", 0).is_ok() || thread.is_finished() {
                let _ = thread.join();
            }
        }
    }
}

impl Drop for Authenticator {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// The handler's thread: answers ZAP requests until told to stop or the context
/// ends, then frees the ZAP endpoint at once (closing alone frees it only when
/// libzmq's reaper gets to it), so a new authenticator can bind it.
fn serve(zap: Socket, control: Socket, policy: Arc<Mutex<Policy>>) {
    // A signal would interrupt the poll below: let other threads take them.
    ffi::block_signals_on_this_thread();
    answer_requests(&zap, &control, &policy);
    let _ = zap.unbind(ZAP_ENDPOINT);
}

fn answer_requests(zap: &Socket, control: &Socket, policy: &Mutex<Policy>) {
    loop {
        let mut items = [
            zap.as_poll_item(crate::POLLIN),
            control.as_poll_item(crate::POLLIN),
        ];
        match crate::poll(&mut items, -1) {
            Ok(_) | Err(Error::EINTR) => {}
            Err(_) => return,
        }
        if items[1].is_readable() {
            return;
        }
        if !items[0].is_readable() {
            continue;
        }
        let request = match zap.recv_multipart(0) {
            Ok(frames) => frames,
            Err(_) => return,
        };
        let reply = {
            let mut policy = policy.lock().unwrap_or_else(|e| e.into_inner());
            answer(&mut policy, &request)
        };
        if zap.send_multipart(reply, 0).is_err() {
            return;
        }
    }
}

/// A decision: status code, text, user id, metadata.
struct Decision {
    code: &'static str,
    text: &'static str,
    user_id: String,
    metadata: Vec<(String, String)>,
}

impl Decision {
    fn deny(text: &'static str) -> Decision {
        Decision {
            code: "400",
            text,
            user_id: String::new(),
            metadata: Vec::new(),
        }
    }

    fn allow(user_id: String) -> Decision {
        Decision {
            code: "200",
            text: "OK",
            user_id,
            metadata: Vec::new(),
        }
    }
}

/// Builds the reply to one ZAP request (RFC 27).
fn answer(policy: &mut Policy, request: &[Vec<u8>]) -> Vec<Vec<u8>> {
    let text = |i: usize| {
        String::from_utf8_lossy(request.get(i).map_or(&[][..], Vec::as_slice)).into_owned()
    };
    let request_id = request.get(1).cloned().unwrap_or_default();
    let decision = if request.len() < 6 || request[0] != b"1.0" {
        Decision {
            code: "500",
            text: "malformed request",
            user_id: String::new(),
            metadata: Vec::new(),
        }
    } else {
        decide(policy, &text(2), &text(3), &text(5), &request[6..])
    };
    log::info!(
        target: "zmq::auth",
        "ZAP {} domain={:?} address={} mechanism={} -> {} {} user={:?}",
        text(4),
        text(2),
        text(3),
        text(5),
        decision.code,
        decision.text,
        decision.user_id
    );
    vec![
        b"1.0".to_vec(),
        request_id,
        decision.code.as_bytes().to_vec(),
        decision.text.as_bytes().to_vec(),
        decision.user_id.into_bytes(),
        encode_metadata(&decision.metadata),
    ]
}

fn decide(
    policy: &mut Policy,
    domain: &str,
    address: &str,
    mechanism: &str,
    credentials: &[Vec<u8>],
) -> Decision {
    let ip = address.parse::<IpAddr>().ok();
    if let Some(ip) = ip {
        if policy.deny.iter().any(|n| n.contains(ip)) {
            return Decision::deny("address denied");
        }
    }
    if !policy.allow.is_empty() && !ip.is_some_and(|ip| policy.allow.iter().any(|n| n.contains(ip)))
    {
        return Decision::deny("address not allowed");
    }
    let domain_policy = if policy.domains.contains_key(domain) {
        policy.domains.get_mut(domain)
    } else {
        policy.domains.get_mut(ANY_DOMAIN)
    };
    match mechanism {
        "NULL" => Decision::allow(String::new()),
        "PLAIN" => {
            let Some(users) = domain_policy.and_then(|d| d.plain.as_ref()) else {
                return Decision::deny("PLAIN not configured");
            };
            let (Some(user), Some(pass)) = (credentials.first(), credentials.get(1)) else {
                return Decision::deny("malformed PLAIN credentials");
            };
            let user = String::from_utf8_lossy(user).into_owned();
            match users.get(&user) {
                Some(expected) if expected.as_bytes() == pass.as_slice() => Decision::allow(user),
                _ => Decision::deny("invalid user name or password"),
            }
        }
        "CURVE" => {
            let Some(curve) = domain_policy.and_then(|d| d.curve.as_mut()) else {
                return Decision::deny("CURVE not configured");
            };
            let Some(key) = credentials
                .first()
                .and_then(|k| <[u8; 32]>::try_from(k.as_slice()).ok())
            else {
                return Decision::deny("malformed CURVE credentials");
            };
            let user_id = crate::z85_encode(&key).unwrap_or_default();
            match curve {
                CurvePolicy::AllowAny => Decision::allow(user_id),
                CurvePolicy::Store(store) => {
                    // A store that cannot be read is emptied: nothing passes.
                    let _ = store.refresh();
                    match store.get(&key) {
                        Some(cert) => {
                            let mut d = Decision::allow(user_id);
                            d.metadata = cert
                                .metadata()
                                .iter()
                                .map(|(k, v)| (k.clone(), v.clone()))
                                .collect();
                            d
                        }
                        None => Decision::deny("unknown CURVE key"),
                    }
                }
            }
        }
        "GSSAPI" => match domain_policy {
            Some(d) if d.gssapi => Decision::allow(
                credentials
                    .first()
                    .map(|p| String::from_utf8_lossy(p).into_owned())
                    .unwrap_or_default(),
            ),
            _ => Decision::deny("GSSAPI not configured"),
        },
        _ => Decision::deny("unknown mechanism"),
    }
}

/// ZMTP metadata: per property, a 1-byte name length, the name, a 4-byte
/// big-endian value length, the value. Names longer than 255 bytes are skipped.
fn encode_metadata(properties: &[(String, String)]) -> Vec<u8> {
    let mut out = Vec::new();
    for (name, value) in properties {
        let Ok(len) = u8::try_from(name.len()) else {
            continue;
        };
        let Ok(vlen) = u32::try_from(value.len()) else {
            continue;
        };
        out.push(len);
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(&vlen.to_be_bytes());
        out.extend_from_slice(value.as_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn networks_match_addresses_by_prefix() {
        let net: IpNet = "10.1.0.0/16".parse().unwrap();
        assert!(net.contains("10.1.200.3".parse().unwrap()));
        assert!(!net.contains("10.2.0.1".parse().unwrap()));
        let host: IpNet = "127.0.0.1".parse().unwrap();
        assert!(host.contains("127.0.0.1".parse().unwrap()));
        assert!(host.contains("::ffff:127.0.0.1".parse().unwrap()));
        let v6: IpNet = "fe80::/10".parse().unwrap();
        assert!(v6.contains("fe80::1".parse().unwrap()));
        assert!(!v6.contains("::1".parse().unwrap()));
        for bad in ["", "10.0.0.0/33", "::/129", "nonsense", "1.2.3.4/x"] {
            assert!(bad.parse::<IpNet>().is_err(), "{bad}");
        }
    }

    #[test]
    fn malformed_requests_get_a_500_and_never_panic() {
        let mut policy = Policy::default();
        let reply = answer(&mut policy, &[b"2.0".to_vec()]);
        assert_eq!(reply[2], b"500");
        let reply = answer(&mut policy, &[]);
        assert_eq!(reply[2], b"500");
        let frames: Vec<Vec<u8>> = ["1.0", "1", "", "127.0.0.1", "", "CURVE", "short"]
            .iter()
            .map(|s| s.as_bytes().to_vec())
            .collect();
        policy.domains.insert(
            ANY_DOMAIN.into(),
            DomainPolicy {
                curve: Some(CurvePolicy::AllowAny),
                ..Default::default()
            },
        );
        assert_eq!(answer(&mut policy, &frames)[2], b"400");
    }

    #[test]
    fn metadata_is_encoded_as_zmtp_properties() {
        let bytes = encode_metadata(&[("Hello".into(), "World".into())]);
        assert_eq!(bytes, b"\x05Hello\x00\x00\x00\x05World");
    }
}
