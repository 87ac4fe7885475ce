//! CURVE and PLAIN options for every socket zmqcat makes, and the ZAP handler
//! (the library's `Authenticator`) a server needs.

use std::path::{Path, PathBuf};

use clap::Args;

/// The security options shared by the socket subcommands.
#[derive(Args, Debug, Default)]
#[command(next_help_heading = "Security (tcp and ipc)")]
pub struct SecurityArgs {
    /// CURVE server: this socket's secret certificate (the PATH_secret file of
    /// `zmqcat keygen PATH`, or a czmq/pyzmq `_secret` file).
    #[arg(long, value_name = "SECRET_CERT", conflicts_with_all = ["curve_serverkey", "plain_user", "plain_server"])]
    pub curve_server: Option<PathBuf>,
    /// CURVE server: accept only clients whose public certificates are in this
    /// directory (`_secret` files there are ignored). Default: any client.
    #[arg(long, value_name = "DIR", requires = "curve_server")]
    pub curve_allow: Option<PathBuf>,
    /// CURVE client: the server's public key, as 40 Z85 characters or a
    /// certificate file.
    #[arg(long, value_name = "KEY|CERT", alias = "curve-server-cert", conflicts_with_all = ["plain_user", "plain_server"])]
    pub curve_serverkey: Option<String>,
    /// CURVE client: this socket's secret certificate. Default: a key pair
    /// made for this run.
    #[arg(long, value_name = "SECRET_CERT", requires = "curve_serverkey")]
    pub curve_cert: Option<PathBuf>,
    /// PLAIN client: the user name (needs --plain-password).
    #[arg(
        long,
        value_name = "USER",
        requires = "plain_password",
        conflicts_with = "plain_server"
    )]
    pub plain_user: Option<String>,
    /// PLAIN client: the password (needs --plain-user).
    #[arg(long, value_name = "PASSWORD", requires = "plain_user")]
    pub plain_password: Option<String>,
    /// PLAIN server: a passwords file (one user=password per line, # comments)
    /// or a user=password pair; repeat to add more. Pairs given here are
    /// visible in the process list: prefer a file.
    #[arg(long, value_name = "FILE|USER=PASSWORD")]
    pub plain_server: Vec<String>,
}

/// Reads a certificate file; `option` names the command-line option it came from.
pub fn load_cert(path: &Path, option: &str) -> Result<zmq::Certificate, String> {
    zmq::Certificate::load(path).map_err(|e| match e {
        // This error already names the file.
        zmq::security::CertError::Io { .. } => format!("{option}: {e}"),
        _ => format!("{option} {}: {e}", path.display()),
    })
}

/// Reads a certificate file that must hold a secret key.
fn load_secret_cert(path: &Path, option: &str) -> Result<zmq::Certificate, String> {
    let cert = load_cert(path, option)?;
    if cert.secret_key().is_none() {
        return Err(format!(
            "{option} {}: a public certificate has no secret key (give the _secret file)",
            path.display()
        ));
    }
    Ok(cert)
}

/// A server's public key: a certificate file if one exists at `text`, else
/// 40 characters of Z85.
fn server_key(text: &str) -> Result<[u8; 32], String> {
    let path = Path::new(text);
    if path.exists() {
        return Ok(*load_cert(path, "--curve-serverkey")?.public_key());
    }
    if text.len() == 40 {
        if let Ok(bytes) = zmq::z85_decode(text) {
            if let Ok(key) = <[u8; 32]>::try_from(bytes) {
                return Ok(key);
            }
        }
    }
    Err(format!(
        "--curve-serverkey {text}: neither a certificate file nor a 40-character Z85 key"
    ))
}

/// The users of the --plain-server values.
fn plain_users(values: &[String]) -> Result<Vec<(String, String)>, String> {
    let mut users = Vec::new();
    for value in values {
        let path = Path::new(value);
        if path.is_file() {
            let text = std::fs::read_to_string(path)
                .map_err(|e| format!("--plain-server {value}: {e}"))?;
            for (index, line) in text.lines().enumerate() {
                let line = line.trim();
                if line.is_empty() || line.starts_with('#') {
                    continue;
                }
                let pair = user_password(line).ok_or_else(|| {
                    format!(
                        "--plain-server {value} line {}: expected user=password",
                        index + 1
                    )
                })?;
                users.push(pair);
            }
        } else {
            users.push(user_password(value).ok_or_else(|| {
                format!(
                    "--plain-server {value}: no such passwords file, and not a user=password pair"
                )
            })?);
        }
    }
    Ok(users)
}

fn user_password(text: &str) -> Option<(String, String)> {
    let (user, password) = text.split_once('=')?;
    let user = user.trim();
    (!user.is_empty()).then(|| (user.to_owned(), password.trim().to_owned()))
}

impl SecurityArgs {
    /// Sets up `socket` as asked, before it binds or connects. Returns the ZAP
    /// handler a server needs: keep it alive as long as the socket.
    pub fn apply(
        &self,
        ctx: &zmq::Context,
        socket: &zmq::Socket,
    ) -> Result<Option<zmq::Authenticator>, String> {
        let mut auth = None;
        if let Some(path) = &self.curve_server {
            let cert = load_secret_cert(path, "--curve-server")?;
            if let Some(dir) = &self.curve_allow {
                let store = zmq::CertStore::open(dir)
                    .map_err(|e| format!("--curve-allow {}: {e}", dir.display()))?;
                if store.is_empty() {
                    eprintln!(
                        "zmqcat: warning: no public certificates in {}: every client will be refused",
                        dir.display()
                    );
                }
                let handler = start_zap(ctx)?;
                handler
                    .set_curve_certificates(zmq::ANY_DOMAIN, dir)
                    .map_err(|e| format!("--curve-allow {}: {e}", dir.display()))?;
                auth = Some(handler);
            }
            socket
                .curve_server(&cert)
                .map_err(|e| format!("CURVE server: {e}"))?;
        }
        if let Some(key) = &self.curve_serverkey {
            let server = server_key(key)?;
            let cert = match &self.curve_cert {
                Some(path) => load_secret_cert(path, "--curve-cert")?,
                None => zmq::Certificate::generate()
                    .map_err(|e| format!("cannot make a CURVE key pair: {e}"))?,
            };
            socket
                .curve_client(&cert, &server)
                .map_err(|e| format!("CURVE client: {e}"))?;
        }
        if let (Some(user), Some(password)) = (&self.plain_user, &self.plain_password) {
            socket
                .plain_client(user, password)
                .map_err(|e| format!("PLAIN client: {e}"))?;
        }
        if !self.plain_server.is_empty() {
            let users = plain_users(&self.plain_server)?;
            let handler = start_zap(ctx)?;
            handler.set_plain_passwords(zmq::ANY_DOMAIN, users);
            socket
                .plain_server()
                .map_err(|e| format!("PLAIN server: {e}"))?;
            auth = Some(handler);
        }
        Ok(auth)
    }
}

fn start_zap(ctx: &zmq::Context) -> Result<zmq::Authenticator, String> {
    crate::stop::with_signals_blocked(|| zmq::Authenticator::start(ctx))
        .map_err(|e| format!("cannot start the ZAP handler: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_values_are_pairs_or_files() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("passwords");
        std::fs::write(&file, "# users\n\nann = one\nbob=two=2\n").unwrap();
        let users = plain_users(&[file.display().to_string(), "cy=three".into()]).unwrap();
        assert_eq!(
            users,
            [("ann", "one"), ("bob", "two=2"), ("cy", "three")]
                .map(|(u, p)| (u.to_owned(), p.to_owned()))
        );
        std::fs::write(&file, "ann=one\nnonsense\n").unwrap();
        let err = plain_users(&[file.display().to_string()]).unwrap_err();
        assert!(err.ends_with("line 2: expected user=password"), "{err}");
        assert!(plain_users(&["missing-file".into()]).is_err());
        assert!(plain_users(&["=nobody".into()]).is_err());
    }

    #[test]
    fn server_keys_are_z85_or_certificate_files() {
        let z85 = "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7";
        assert_eq!(
            server_key(z85).unwrap().to_vec(),
            zmq::z85_decode(z85).unwrap()
        );
        assert!(server_key("too short").is_err());
        assert!(server_key(&"~".repeat(40)).is_err());
    }
}
