//! Where `validate` keeps the ids and names that are not generated ones
//! while a dataset streams: an anonymous temporary file (deleted by the
//! system when closed), read back only if a fingerprint repeats, so memory
//! stays bounded whatever the ids (see [`spendsense_validate::TextKey`]).

use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Seek, Write};

use spendsense_validate::{KeyKind, TextKey, Validator};

/// Profiles whose text keys are kept in memory before they go to the file.
const IN_MEMORY: usize = 1 << 16;

/// The spill file, created on first use.
#[derive(Default)]
pub struct Spill {
    file: Option<BufWriter<File>>,
    /// Keys written.
    written: u64,
    pending: usize,
}

impl Spill {
    /// Moves the validator's text keys to the file every [`IN_MEMORY`]
    /// profiles, so at most a few times that many are held.
    pub fn after_push(&mut self, validator: &mut Validator) -> io::Result<()> {
        self.pending += 1;
        if self.pending < IN_MEMORY {
            return Ok(());
        }
        self.pending = 0;
        let keys = validator.take_text_keys();
        if keys.is_empty() {
            return Ok(());
        }
        let file = match &mut self.file {
            Some(file) => file,
            None => self.file.insert(BufWriter::new(tempfile::tempfile()?)),
        };
        for key in keys {
            file.write_all(&[key.kind.index() as u8])?;
            file.write_all(&key.seq.to_le_bytes())?;
            file.write_all(&(key.text.len() as u64).to_le_bytes())?;
            file.write_all(key.text.as_bytes())?;
            self.written += 1;
        }
        Ok(())
    }

    /// Gives the spilled keys back to the validator when it needs them.
    pub fn confirm(self, validator: &mut Validator) -> io::Result<()> {
        let Some(file) = self.file else {
            return Ok(());
        };
        if !validator.needs_keys() {
            return Ok(());
        }
        let mut file = file.into_inner().map_err(|err| err.into_error())?;
        file.rewind()?;
        let mut input = BufReader::with_capacity(1 << 20, file);
        let mut chunk = Vec::with_capacity(IN_MEMORY);
        for _ in 0..self.written {
            let mut kind = [0u8; 1];
            let mut number = [0u8; 8];
            input.read_exact(&mut kind)?;
            input.read_exact(&mut number)?;
            let seq = u64::from_le_bytes(number);
            input.read_exact(&mut number)?;
            let mut text = vec![0u8; u64::from_le_bytes(number) as usize];
            input.read_exact(&mut text)?;
            let altered = || io::Error::other("the spill file of validate was altered");
            let kind = *KeyKind::ALL.get(usize::from(kind[0])).ok_or_else(altered)?;
            let text = String::from_utf8(text).map_err(|_| altered())?;
            chunk.push(TextKey { seq, kind, text });
            if chunk.len() == IN_MEMORY {
                validator.confirm(chunk.drain(..));
            }
        }
        validator.confirm(chunk);
        Ok(())
    }
}
