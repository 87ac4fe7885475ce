//! CURVE certificates in the text format of czmq's `zcert` and pyzmq's
//! `zmq.auth`: a public file with `metadata` and `curve` sections holding
//! `public-key = "…"`, and a `_secret` file that also holds `secret-key`.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use crate::z85::{z85_decode, z85_encode, CurveKeyPair};

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
}

/// A CURVE certificate: a public key, maybe its secret key, and metadata.
///
/// ```
/// let cert = zmq::Certificate::generate().unwrap().with_meta("name", "server");
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
            for byte in secret.iter_mut() {
                // SAFETY: byte is a valid, exclusive reference; volatile so the
                // zeroing is not optimised away.
                unsafe { std::ptr::write_volatile(byte, 0) };
            }
        }
    }
}

fn encode_key(key: &[u8; 32]) -> String {
    // 32 bytes are a multiple of 4: encoding cannot fail.
    z85_encode(key).unwrap_or_default()
}

/// Decodes a Z85 key (40 characters) into 32 bytes.
pub fn decode_key(text: &str, what: &'static str) -> Result<[u8; 32], CertError> {
    if text.len() != 40 {
        return Err(CertError::BadKey(what));
    }
    let bytes = z85_decode(text).map_err(|_| CertError::BadKey(what))?;
    bytes.try_into().map_err(|_| CertError::BadKey(what))
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

    /// Adds a metadata entry.
    pub fn with_meta(mut self, name: &str, value: &str) -> Certificate {
        self.set_meta(name, value);
        self
    }

    /// Sets a metadata entry.
    pub fn set_meta(&mut self, name: &str, value: &str) {
        self.metadata.insert(name.to_owned(), value.to_owned());
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
            if name.is_empty() {
                return Err(CertError::Syntax {
                    line: line_no,
                    reason: "empty name",
                });
            }
            let value = unquote(value.trim()).ok_or(CertError::Syntax {
                line: line_no,
                reason: "unterminated quote",
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
            out.push_str(&format!("    {name} = \"{}\"\n", value.replace('"', "'")));
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

fn unquote(value: &str) -> Option<&str> {
    for quote in ['"', '\''] {
        if let Some(rest) = value.strip_prefix(quote) {
            return rest.strip_suffix(quote);
        }
    }
    Some(value)
}

fn write_file(path: &Path, text: &str, private: bool) -> Result<(), CertError> {
    let io = |source| CertError::Io {
        path: path.to_owned(),
        source,
    };
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    if private {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    #[cfg(not(unix))]
    let _ = private;
    use std::io::Write;
    options
        .open(path)
        .and_then(|mut f| f.write_all(text.as_bytes()))
        .map_err(io)
}
