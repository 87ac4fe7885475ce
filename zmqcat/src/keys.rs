//! `keygen` and `keyinfo`: CURVE certificates in the czmq/pyzmq file format.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Args;

use crate::security::load_cert;

/// Options of `zmqcat keygen`.
#[derive(Args, Debug)]
#[command(after_help = "Prints the new public key (Z85) on standard output.")]
pub struct KeygenArgs {
    /// The public certificate to write; the secret one goes to PATH_secret
    /// (readable by its owner only).
    path: PathBuf,
    /// A metadata entry stored in both files (repeatable), e.g. name=server.
    #[arg(long, value_name = "NAME=VALUE", value_parser = parse_meta)]
    meta: Vec<(String, String)>,
    /// Overwrite existing files.
    #[arg(long)]
    force: bool,
}

/// Options of `zmqcat keyinfo`.
#[derive(Args, Debug)]
#[command(
    after_help = "Prints `public-key KEY`, `secret-key present|absent` (or the key with \
                  --show-secret) and `meta NAME VALUE` lines."
)]
pub struct KeyinfoArgs {
    /// A certificate file (public, or the _secret one).
    path: PathBuf,
    /// Print the secret key (Z85) instead of whether there is one.
    #[arg(long)]
    show_secret: bool,
}

/// Parses NAME=VALUE for `--meta`, refusing what a certificate cannot hold
/// (the library's own rule).
fn parse_meta(text: &str) -> Result<(String, String), String> {
    let (name, value) = text
        .split_once('=')
        .ok_or_else(|| "expected NAME=VALUE".to_owned())?;
    zmq::Certificate::from_keys([0; 32], None)
        .set_meta(name, value)
        .map_err(|e| e.to_string())?;
    Ok((name.to_owned(), value.to_owned()))
}

fn secret_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push("_secret");
    PathBuf::from(name)
}

/// Writes a new certificate pair.
pub fn keygen(args: &KeygenArgs) -> Result<(), Box<dyn std::error::Error>> {
    let secret = secret_path(&args.path);
    for path in [&args.path, &secret] {
        if path.exists() && !args.force {
            return Err(format!("{} exists (--force overwrites it)", path.display()).into());
        }
    }
    let mut cert = zmq::Certificate::generate().map_err(|e| {
        if zmq::has("curve") == Some(true) {
            format!("cannot make a CURVE key pair: {e}")
        } else {
            "cannot make a CURVE key pair: this libzmq has no CURVE support".to_owned()
        }
    })?;
    for (name, value) in &args.meta {
        cert.set_meta(name, value)?;
    }
    cert.save(&args.path)?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "{}", cert.public_key_z85())?;
    Ok(out.flush()?)
}

/// Prints what a certificate file holds.
pub fn keyinfo(args: &KeyinfoArgs) -> Result<(), Box<dyn std::error::Error>> {
    let cert = load_cert(&args.path, "keyinfo")?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "public-key {}", cert.public_key_z85())?;
    match (cert.secret_key(), args.show_secret) {
        (Some(secret), true) => writeln!(out, "secret-key {}", zmq::z85_encode(secret)?)?,
        (Some(_), false) => writeln!(out, "secret-key present")?,
        (None, _) => writeln!(out, "secret-key absent")?,
    }
    for (name, value) in cert.metadata() {
        writeln!(out, "meta {name} {value}")?;
    }
    Ok(out.flush()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_options_are_checked() {
        assert_eq!(
            parse_meta("name=my server=1"),
            Ok(("name".into(), "my server=1".into()))
        );
        assert_eq!(parse_meta("empty="), Ok(("empty".into(), String::new())));
        assert_eq!(
            parse_meta("q=say \"hi\""),
            Ok(("q".into(), "say \"hi\"".into()))
        );
        for bad in [
            "novalue",
            "=x",
            "two words=x",
            "nl=a\nb",
            "both=it's \"#1\"",
        ] {
            assert!(parse_meta(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn secret_files_sit_beside_public_ones() {
        assert_eq!(
            secret_path(Path::new("/k/server.key")),
            PathBuf::from("/k/server.key_secret")
        );
    }
}
