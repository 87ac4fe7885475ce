//! [`CertStore`]: the public certificates in a directory, reloaded when the
//! directory changes.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use super::cert::Certificate;

/// The public certificates found in one directory, by public key.
///
/// Files that do not parse (including `_secret` files, which are skipped) are
/// ignored; symbolic links are followed. [`CertStore::refresh`] reloads the
/// directory when a file in it was added, removed or changed, and empties the
/// store when the directory is gone.
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
        let stamp = store.scan()?;
        store.load(stamp);
        Ok(store)
    }

    /// The files to load, with what tells whether they changed. Symbolic links
    /// are followed (a Kubernetes secret volume is made of them); an entry
    /// that vanishes meanwhile, or a link to nothing, is skipped.
    fn scan(&self) -> std::io::Result<Vec<(PathBuf, Option<SystemTime>, u64)>> {
        let mut files = Vec::new();
        for entry in std::fs::read_dir(&self.dir)?.flatten() {
            let path = entry.path();
            let is_secret = path
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.ends_with("_secret"));
            let Ok(meta) = std::fs::metadata(&path) else {
                continue;
            };
            if meta.is_file() && !is_secret {
                files.push((path, meta.modified().ok(), meta.len()));
            }
        }
        files.sort();
        Ok(files)
    }

    /// Loads the files of `stamp` (a scan's result).
    fn load(&mut self, stamp: Vec<(PathBuf, Option<SystemTime>, u64)>) {
        self.certs = stamp
            .iter()
            .filter_map(|(path, _, _)| Certificate::load(path).ok())
            .map(|cert| (*cert.public_key(), cert.public_only()))
            .collect();
        self.stamp = stamp;
    }

    /// Reloads the directory if its files changed; returns whether it did.
    /// When the directory cannot be read (deleted, say), the store is emptied,
    /// so that no key passes, and the error returned.
    pub fn refresh(&mut self) -> std::io::Result<bool> {
        match self.scan() {
            Ok(stamp) if stamp == self.stamp => Ok(false),
            Ok(stamp) => {
                self.load(stamp);
                Ok(true)
            }
            Err(e) => {
                self.certs.clear();
                self.stamp.clear();
                Err(e)
            }
        }
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
