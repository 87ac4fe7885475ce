//! CURVE certificates in the text format of czmq's `zcert` and pyzmq's
//! `zmq.auth`: a public file with `metadata` and `curve` sections holding
//! `public-key = "…"`, and a `_secret` file that also holds `secret-key`.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use super::z85::{self, z85_encode, CurveKeyPair};
use crate::ffi;

/// Why a certificate could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum CertError {
    /// The file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What the OS said.
        #[source]
        source: std::io::Error,
    },
    /// A line is not a section name, a `name = value` pair, a comment or blank.
    #[error("line {line}: {reason}")]
    Syntax {
        /// The 1-based line number.
        line: usize,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// There is no `public-key` in the `curve` section.
    #[error("no public-key in the curve section")]
    MissingPublicKey,
    /// A key is not 40 characters of Z85.
    #[error("{0} is not a 40-character Z85 key")]
    BadKey(&'static str),
    /// The secret key does not belong to the public key.
    #[error("the secret key does not match the public key")]
    KeyMismatch,
    /// libzmq could not derive the public key (no CURVE support).
    #[error("cannot derive the public key: {0}")]
    Curve(crate::Error),
    /// A metadata name or value that the certificate format cannot hold.
    #[error("metadata {name:?}: {reason}")]
    Unrepresentable {
        /// The metadata name.
        name: String,
        /// What the format cannot hold.
        reason: &'static str,
    },
}

/// A CURVE certificate: a public key, maybe its secret key, and metadata.
///
/// Metadata names and values round-trip exactly: a value is written in double
/// quotes, in single quotes when it holds a double quote, and bare when it
/// holds both; what the format cannot hold (a line break or another control
/// character, a name outside `A-Z a-z 0-9 $ - _ @ . & + /`) is refused when it
/// is set.
///
/// ```
/// let cert = zmq::Certificate::generate().unwrap().with_meta("name", "server").unwrap();
/// let text = cert.to_secret_text();
/// let back = zmq::Certificate::parse(&text).unwrap();
/// assert_eq!(back.public_key(), cert.public_key());
/// assert_eq!(back.meta("name"), Some("server"));
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Certificate {
    public: [u8; 32],
    secret: Option<[u8; 32]>,
    metadata: BTreeMap<String, String>,
}

impl fmt::Debug for Certificate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Certificate")
            .field("public_key", &self.public_key_z85())
            .field("secret_key", &self.secret.map(|_| "<hidden>"))
            .field("metadata", &self.metadata)
            .finish()
    }
}

impl Drop for Certificate {
    fn drop(&mut self) {
        if let Some(secret) = self.secret.as_mut() {
            ffi::zero_secret(secret);
        }
    }
}

fn encode_key(key: &[u8; 32]) -> String {
    // 32 bytes are a multiple of 4: encoding cannot fail.
    z85_encode(key).unwrap_or_default()
}

/// Decodes a Z85 key (40 characters) into 32 bytes.
fn decode_key(text: &str, what: &'static str) -> Result<[u8; 32], CertError> {
    z85::decode_key(text).ok_or(CertError::BadKey(what))
}

impl Certificate {
    /// A certificate with a new random key pair.
    pub fn generate() -> crate::Result<Certificate> {
        let pair = CurveKeyPair::new()?;
        Ok(Certificate::from_keys(
            pair.public_key,
            Some(pair.secret_key),
        ))
    }

    /// A certificate for these keys (no check that they belong together).
    pub fn from_keys(public: [u8; 32], secret: Option<[u8; 32]>) -> Certificate {
        Certificate {
            public,
            secret,
            metadata: BTreeMap::new(),
        }
    }

    /// The certificate of a secret key (the public key is derived).
    pub fn from_secret_key(secret: [u8; 32]) -> Result<Certificate, CertError> {
        let pair = CurveKeyPair::from_secret_key(secret).map_err(CertError::Curve)?;
        Ok(Certificate::from_keys(pair.public_key, Some(secret)))
    }

    /// Adds a metadata entry; an error for what the format cannot hold.
    pub fn with_meta(mut self, name: &str, value: &str) -> Result<Certificate, CertError> {
        self.set_meta(name, value)?;
        Ok(self)
    }

    /// Sets a metadata entry; an error for what the format cannot hold.
    pub fn set_meta(&mut self, name: &str, value: &str) -> Result<(), CertError> {
        let refuse = |reason| {
            Err(CertError::Unrepresentable {
                name: name.to_owned(),
                reason,
            })
        };
        if !is_name(name) {
            return refuse("a name is 1 or more of A-Z a-z 0-9 $ - _ @ . & + /");
        }
        if value.chars().any(char::is_control) {
            return refuse("a value cannot hold a line break or a control character");
        }
        if quoted(value).is_none() {
            return refuse("a value with both quote marks cannot have spaces at its ends, start with a quote or hold '#'");
        }
        self.metadata.insert(name.to_owned(), value.to_owned());
        Ok(())
    }

    /// A metadata entry.
    pub fn meta(&self, name: &str) -> Option<&str> {
        self.metadata.get(name).map(String::as_str)
    }

    /// Every metadata entry.
    pub fn metadata(&self) -> &BTreeMap<String, String> {
        &self.metadata
    }

    /// The public key, binary.
    pub fn public_key(&self) -> &[u8; 32] {
        &self.public
    }

    /// The public key, Z85.
    pub fn public_key_z85(&self) -> String {
        encode_key(&self.public)
    }

    /// The secret key, binary, if this certificate has it.
    pub fn secret_key(&self) -> Option<&[u8; 32]> {
        self.secret.as_ref()
    }

    /// This certificate without its secret key.
    pub fn public_only(&self) -> Certificate {
        Certificate {
            public: self.public,
            secret: None,
            metadata: self.metadata.clone(),
        }
    }

    /// Parses a certificate's text (public or secret form).
    pub fn parse(text: &str) -> Result<Certificate, CertError> {
        let mut section = String::new();
        let mut metadata = BTreeMap::new();
        let (mut public, mut secret) = (None, None);
        for (index, raw_line) in text.lines().enumerate() {
            let line_no = index + 1;
            let content = raw_line.trim_end();
            let trimmed = content.trim_start();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            let indented = trimmed.len() != content.len();
            if !indented {
                if trimmed.contains('=') {
                    return Err(CertError::Syntax {
                        line: line_no,
                        reason: "a name = value pair outside a section",
                    });
                }
                section = trimmed.to_owned();
                continue;
            }
            let (name, value) = trimmed.split_once('=').ok_or(CertError::Syntax {
                line: line_no,
                reason: "expected name = value",
            })?;
            let name = name.trim();
            if !is_name(name) {
                return Err(CertError::Syntax {
                    line: line_no,
                    reason: "a name is 1 or more of A-Z a-z 0-9 $ - _ @ . & + /",
                });
            }
            let value = parse_value(value).map_err(|reason| CertError::Syntax {
                line: line_no,
                reason,
            })?;
            match (section.as_str(), name) {
                ("curve", "public-key") => public = Some(decode_key(value, "public-key")?),
                ("curve", "secret-key") => secret = Some(decode_key(value, "secret-key")?),
                ("metadata", _) => {
                    metadata.insert(name.to_owned(), value.to_owned());
                }
                _ => {}
            }
        }
        let public = public.ok_or(CertError::MissingPublicKey)?;
        if let Some(secret) = secret {
            // Only checkable where libzmq has CURVE; elsewhere trust the file.
            if let Ok(pair) = CurveKeyPair::from_secret_key(secret) {
                if pair.public_key != public {
                    return Err(CertError::KeyMismatch);
                }
            }
        }
        Ok(Certificate {
            public,
            secret,
            metadata,
        })
    }

    /// Reads a certificate file. For a key pair, read the `_secret` file.
    pub fn load(path: impl AsRef<Path>) -> Result<Certificate, CertError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|source| CertError::Io {
            path: path.to_owned(),
            source,
        })?;
        Certificate::parse(&text)
    }

    /// The text of the public certificate.
    pub fn to_public_text(&self) -> String {
        self.render(false)
    }

    /// The text of the secret certificate (with the secret key, if any).
    pub fn to_secret_text(&self) -> String {
        self.render(true)
    }

    fn render(&self, with_secret: bool) -> String {
        let mut out = String::new();
        if with_secret && self.secret.is_some() {
            out.push_str("#   ZeroMQ CURVE **Secret** Certificate\n");
            out.push_str(
                "#   DO NOT PROVIDE THIS FILE TO OTHER USERS nor change its permissions.\n\n",
            );
        } else {
            out.push_str("#   ZeroMQ CURVE Public Certificate\n");
            out.push_str(
                "#   Exchange securely, or use a secure mechanism to verify the contents\n",
            );
            out.push_str("#   of this file after exchange.\n\n");
        }
        out.push_str("metadata\n");
        for (name, value) in &self.metadata {
            // set_meta and parse only keep values that have a written form.
            let value = quoted(value).unwrap_or_default();
            out.push_str(&format!("    {name} = {value}\n"));
        }
        out.push_str("curve\n");
        out.push_str(&format!("    public-key = \"{}\"\n", self.public_key_z85()));
        if let (true, Some(secret)) = (with_secret, &self.secret) {
            out.push_str(&format!("    secret-key = \"{}\"\n", encode_key(secret)));
        }
        out
    }

    /// Writes `path` (the public certificate) and, when this certificate has a
    /// secret key, `path` + `_secret` (readable by the owner only on Unix).
    pub fn save(&self, path: impl AsRef<Path>) -> Result<(), CertError> {
        let path = path.as_ref();
        write_file(path, &self.to_public_text(), false)?;
        if self.secret.is_some() {
            let mut secret_path = path.as_os_str().to_owned();
            secret_path.push("_secret");
            write_file(Path::new(&secret_path), &self.to_secret_text(), true)?;
        }
        Ok(())
    }
}

/// Whether `name` is a ZPL name.
fn is_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"$-_@.&+/".contains(&b))
}

/// The written form of a value: in double quotes, in single quotes when it
/// holds a double quote, bare when it holds both (then it must read back the
/// same: no spaces at its ends, no leading quote, no `#`); `None` otherwise.
fn quoted(value: &str) -> Option<String> {
    if !value.contains('"') {
        return Some(format!("\"{value}\""));
    }
    if !value.contains('\'') {
        return Some(format!("'{value}'"));
    }
    let bare = value.trim() == value && !value.starts_with(['"', '\'']) && !value.contains('#');
    bare.then(|| value.to_owned())
}

/// The value after `=`: quoted (up to the matching quote, then only a comment
/// may follow) or bare (up to a `#` comment), without the surrounding blanks.
fn parse_value(text: &str) -> Result<&str, &'static str> {
    let text = text.trim();
    for quote in ['"', '\''] {
        if let Some(rest) = text.strip_prefix(quote) {
            let end = rest.find(quote).ok_or("unterminated quote")?;
            let after = rest[end + 1..].trim_start();
            if !after.is_empty() && !after.starts_with('#') {
                return Err("text after a quoted value");
            }
            return Ok(&rest[..end]);
        }
    }
    Ok(text.split('#').next().unwrap_or_default().trim_end())
}

/// Writes `text` to a new file beside `path` (readable by the owner only when
/// `private`, from its creation on), then renames it over `path`: whatever file
/// was there before, with whatever mode, is replaced whole, and no reader ever
/// sees a half-written or world-readable secret.
fn write_file(path: &Path, text: &str, private: bool) -> Result<(), CertError> {
    use std::io::Write;
    use std::sync::atomic::{AtomicUsize, Ordering};
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let io = |source| CertError::Io {
        path: path.to_owned(),
        source,
    };
    let name = path
        .file_name()
        .ok_or_else(|| io(std::io::Error::from(std::io::ErrorKind::InvalidInput)))?;
    let mut temp_name = std::ffi::OsString::from(".");
    temp_name.push(name);
    temp_name.push(format!(
        ".{}-{}.tmp",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    let temp = path.with_file_name(temp_name);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    if private {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    #[cfg(not(unix))]
    let _ = private;
    let written = options.open(&temp).and_then(|mut file| {
        file.write_all(text.as_bytes())?;
        file.sync_all()
    });
    let renamed = written.and_then(|()| std::fs::rename(&temp, path));
    if renamed.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    renamed.map_err(io)
}
