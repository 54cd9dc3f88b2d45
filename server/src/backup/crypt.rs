//! The backup file's envelope: gzip inside `age` (X25519 recipients for
//! the operator, a passphrase for an admin's download). age authenticates
//! every 64 KiB chunk and the end of the stream, so a file with one byte
//! changed, or cut short, does not decrypt.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::str::FromStr;

use age::secrecy::SecretString;
use flate2::Compression;
use flate2::read::GzDecoder;
use flate2::write::GzEncoder;

use super::BackupError;

/// Who can open a backup.
pub enum Lock {
    /// An age public key (`age1...`): the holder of its identity file.
    Recipient(Box<age::x25519::Recipient>),
    /// Whoever knows the passphrase (scrypt, about a second to try each).
    Passphrase(SecretString),
}

impl std::fmt::Debug for Lock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Recipient(r) => write!(f, "Lock::Recipient({r})"),
            Self::Passphrase(_) => f.write_str("Lock::Passphrase(..)"),
        }
    }
}

impl Lock {
    /// An `age1...` public key.
    pub fn recipient(text: &str) -> Result<Self, BackupError> {
        age::x25519::Recipient::from_str(text.trim())
            .map(|r| Self::Recipient(Box::new(r)))
            .map_err(|e| BackupError::Decrypt(format!("not an age public key (age1...): {e}")))
    }
}

/// What opens a backup.
pub enum Key {
    Identities(Vec<age::x25519::Identity>),
    Passphrase(SecretString),
}

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Identities(ids) => write!(f, "Key::Identities({} keys)", ids.len()),
            Self::Passphrase(_) => f.write_str("Key::Passphrase(..)"),
        }
    }
}

impl Key {
    /// Reads an age identity file (`AGE-SECRET-KEY-1...` lines; `#`
    /// comments and blank lines are skipped), as `age-keygen` writes it.
    pub fn identity_file(path: &Path) -> Result<Self, BackupError> {
        let text = std::fs::read_to_string(path)?;
        let identities = text
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty() && !line.starts_with('#'))
            .map(|line| {
                age::x25519::Identity::from_str(line).map_err(|e| {
                    BackupError::Decrypt(format!("{} is not an age identity file: {e}", path.display()))
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        if identities.is_empty() {
            return Err(BackupError::Decrypt(format!(
                "{} holds no age identity",
                path.display()
            )));
        }
        Ok(Self::Identities(identities))
    }
}

/// A writer that compresses, then encrypts, into `W`.
pub struct Sealed<W: Write> {
    inner: GzEncoder<age::stream::StreamWriter<W>>,
}

impl<W: Write> std::fmt::Debug for Sealed<W> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Sealed(..)")
    }
}

impl<W: Write> Sealed<W> {
    pub fn new(out: W, lock: &Lock) -> Result<Self, BackupError> {
        Ok(Self {
            inner: GzEncoder::new(encrypting(out, lock)?, Compression::default()),
        })
    }

    /// Ends the compressed and the encrypted stream; returns the output.
    pub fn finish(self) -> std::io::Result<W> {
        self.inner.finish()?.finish()
    }
}

impl<W: Write> Write for Sealed<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.inner.write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

fn encrypting<W: Write>(out: W, lock: &Lock) -> Result<age::stream::StreamWriter<W>, BackupError> {
    let encryptor = match lock {
        Lock::Recipient(r) => {
            age::Encryptor::with_recipients(std::iter::once(r.as_ref() as &dyn age::Recipient))
                .map_err(|e| BackupError::Decrypt(e.to_string()))?
        }
        Lock::Passphrase(p) => age::Encryptor::with_user_passphrase(p.clone()),
    };
    Ok(encryptor.wrap_output(out)?)
}

/// Encrypts bytes that are already gzip-compressed (what [`Sealed`] would
/// have written). With a passphrase this takes about a second (scrypt):
/// call it off the async threads.
pub fn seal_gzipped(gzipped: &[u8], lock: &Lock) -> Result<Vec<u8>, BackupError> {
    let mut out = encrypting(Vec::with_capacity(gzipped.len() + 512), lock)?;
    out.write_all(gzipped)?;
    Ok(out.finish()?)
}

/// A writer that gzip-compresses into memory, for [`seal_gzipped`].
pub fn gzip_buffer() -> GzEncoder<Vec<u8>> {
    GzEncoder::new(Vec::new(), Compression::default())
}

/// Opens a sealed backup for reading, line by line.
pub fn open<R: Read + 'static>(input: R, key: &Key) -> Result<Box<dyn BufRead>, BackupError> {
    let decryptor =
        age::Decryptor::new(BufReader::new(input)).map_err(|e| BackupError::Decrypt(e.to_string()))?;
    let reader = match key {
        Key::Identities(ids) => decryptor.decrypt(ids.iter().map(|i| i as &dyn age::Identity)),
        Key::Passphrase(p) => {
            let identity = age::scrypt::Identity::new(p.clone());
            decryptor.decrypt(std::iter::once(&identity as &dyn age::Identity))
        }
    }
    .map_err(|e| BackupError::Decrypt(e.to_string()))?;
    Ok(Box::new(BufReader::new(GzDecoder::new(reader))))
}
