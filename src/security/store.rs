//! [`CertStore`]: the public certificates in a directory, reloaded when the
//! directory changes.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use super::cert::Certificate;

/// The public certificates found in one directory, by public key.
///
/// Files that do not parse (including `_secret` files, which are skipped) are
/// ignored. [`CertStore::refresh`] reloads the directory when a file in it was
/// added, removed or changed.
#[derive(Debug)]
pub struct CertStore {
    dir: PathBuf,
    certs: HashMap<[u8; 32], Certificate>,
    stamp: Vec<(PathBuf, Option<SystemTime>, u64)>,
}

impl CertStore {
    /// Loads every public certificate in `dir`.
    pub fn open(dir: impl AsRef<Path>) -> std::io::Result<CertStore> {
        let mut store = CertStore {
            dir: dir.as_ref().to_owned(),
            certs: HashMap::new(),
            stamp: Vec::new(),
        };
        store.reload()?;
        Ok(store)
    }

    fn scan(&self) -> std::io::Result<Vec<(PathBuf, Option<SystemTime>, u64)>> {
        let mut files = Vec::new();
        for entry in std::fs::read_dir(&self.dir)? {
            let entry = entry?;
            let path = entry.path();
            let is_secret = path
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.ends_with("_secret"));
            let meta = entry.metadata()?;
            if meta.is_file() && !is_secret {
                files.push((path, meta.modified().ok(), meta.len()));
            }
        }
        files.sort();
        Ok(files)
    }

    fn reload(&mut self) -> std::io::Result<()> {
        let stamp = self.scan()?;
        self.certs = stamp
            .iter()
            .filter_map(|(path, _, _)| Certificate::load(path).ok())
            .map(|cert| (*cert.public_key(), cert.public_only()))
            .collect();
        self.stamp = stamp;
        Ok(())
    }

    /// Reloads the directory if its files changed; returns whether it did.
    pub fn refresh(&mut self) -> std::io::Result<bool> {
        if self.scan()? == self.stamp {
            return Ok(false);
        }
        self.reload()?;
        Ok(true)
    }

    /// The certificate with this public key, if the store has it.
    pub fn get(&self, public_key: &[u8; 32]) -> Option<&Certificate> {
        self.certs.get(public_key)
    }

    /// The number of certificates.
    pub fn len(&self) -> usize {
        self.certs.len()
    }

    /// Whether the store is empty.
    pub fn is_empty(&self) -> bool {
        self.certs.is_empty()
    }

    /// The directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }
}
