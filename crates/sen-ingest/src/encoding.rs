//! Which text encoding a file uses, and a streaming decoder to UTF-8.
//!
//! Rules: a BOM wins (UTF-8, UTF-16LE, UTF-16BE); otherwise the whole file is
//! checked for valid UTF-8 (one cheap streaming read), and if it is not, it is
//! taken as windows-1258, the Vietnamese Windows code page.

use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::Path;

use encoding_rs::{Decoder, Encoding, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1258};

use crate::IngestError;

/// How much of the file's start is looked at for BOMs, binary content and dialect.
pub(crate) const HEAD_BYTES: usize = 64 * 1024;

#[derive(Debug, Clone, Copy)]
pub(crate) struct TextEncoding {
    pub encoding: &'static Encoding,
    pub bom: bool,
}

impl TextEncoding {
    pub(crate) fn label(&self) -> String {
        match (self.encoding.name(), self.bom) {
            ("UTF-8", true) => "UTF-8 (BOM)".to_owned(),
            (name, _) => name.to_owned(),
        }
    }
}

pub(crate) fn read_head(path: &Path) -> io::Result<Vec<u8>> {
    let mut head = Vec::with_capacity(HEAD_BYTES);
    File::open(path)?
        .take(HEAD_BYTES as u64)
        .read_to_end(&mut head)?;
    Ok(head)
}

/// Bytes that text files do not contain: NUL and most C0 controls.
pub(crate) fn looks_binary(head: &[u8]) -> bool {
    let controls = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c | 0x1a))
        .count();
    head.contains(&0) || controls * 100 > head.len()
}

pub(crate) fn detect(path: &Path) -> Result<TextEncoding, IngestError> {
    let head = read_head(path)?;
    let bom = Encoding::for_bom(&head);
    let after_bom = &head[bom.map_or(0, |(_, len)| len)..];
    // Whitespace only (NULs included, for UTF-16): nothing to load.
    if head.len() < HEAD_BYTES && after_bom.iter().all(|b| b.is_ascii_whitespace() || *b == 0) {
        return Err(IngestError::Empty);
    }
    if let Some((encoding, _)) = bom {
        return Ok(TextEncoding {
            encoding,
            bom: true,
        });
    }
    if looks_binary(&head) {
        return Err(IngestError::Unreadable("binary content".to_owned()));
    }
    let encoding = if is_utf8(path)? { UTF_8 } else { WINDOWS_1258 };
    Ok(TextEncoding {
        encoding,
        bom: false,
    })
}

/// Streams the file through the UTF-8 validator, carrying a split character over.
fn is_utf8(path: &Path) -> io::Result<bool> {
    let mut file = BufReader::with_capacity(1 << 16, File::open(path)?);
    let mut buf = vec![0u8; 1 << 16];
    let mut carry = 0usize;
    loop {
        let n = file.read(&mut buf[carry..])?;
        let len = carry + n;
        match std::str::from_utf8(&buf[..len]) {
            Ok(_) => carry = 0,
            Err(e) if e.error_len().is_none() && n > 0 => {
                // An incomplete character at the end: keep it for the next read.
                let valid = e.valid_up_to();
                buf.copy_within(valid..len, 0);
                carry = len - valid;
            }
            Err(_) => return Ok(false),
        }
        if n == 0 {
            return Ok(carry == 0);
        }
    }
}

/// Decodes any supported encoding to UTF-8 bytes on the fly, dropping a BOM.
pub(crate) struct DecodingReader<R> {
    inner: R,
    /// None: valid UTF-8, passed through untouched.
    decoder: Option<Decoder>,
    input: Vec<u8>,
    in_pos: usize,
    in_len: usize,
    output: Vec<u8>,
    out_pos: usize,
    out_len: usize,
    eof: bool,
    done: bool,
}

impl<R: Read> DecodingReader<R> {
    pub(crate) fn new(mut inner: R, enc: TextEncoding) -> io::Result<Self> {
        let decoder = if enc.encoding == UTF_8 {
            if enc.bom {
                let mut bom = [0u8; 3];
                inner.read_exact(&mut bom)?;
            }
            None
        } else if enc.encoding == UTF_16LE || enc.encoding == UTF_16BE {
            Some(enc.encoding.new_decoder_with_bom_removal())
        } else {
            Some(enc.encoding.new_decoder_without_bom_handling())
        };
        Ok(DecodingReader {
            inner,
            decoder,
            input: vec![0; 1 << 16],
            in_pos: 0,
            in_len: 0,
            output: vec![0; 3 << 16],
            out_pos: 0,
            out_len: 0,
            eof: false,
            done: false,
        })
    }
}

impl<R: Read> Read for DecodingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let Some(decoder) = self.decoder.as_mut() else {
            return self.inner.read(buf);
        };
        while self.out_pos == self.out_len {
            if self.done {
                return Ok(0);
            }
            if self.in_pos == self.in_len && !self.eof {
                self.in_len = self.inner.read(&mut self.input)?;
                self.in_pos = 0;
                self.eof = self.in_len == 0;
            }
            let (result, read, written, _) = decoder.decode_to_utf8(
                &self.input[self.in_pos..self.in_len],
                &mut self.output,
                self.eof,
            );
            self.in_pos += read;
            self.out_pos = 0;
            self.out_len = written;
            if self.eof && result == encoding_rs::CoderResult::InputEmpty {
                self.done = true;
            }
        }
        let n = buf.len().min(self.out_len - self.out_pos);
        buf[..n].copy_from_slice(&self.output[self.out_pos..self.out_pos + n]);
        self.out_pos += n;
        Ok(n)
    }
}

/// Counts bytes read from the file and reports progress every MiB.
pub(crate) struct ProgressReader<'p, R> {
    inner: R,
    done: u64,
    base: u64,
    total: u64,
    next: u64,
    progress: &'p mut dyn FnMut(u64, u64),
}

impl<'p, R: Read> ProgressReader<'p, R> {
    pub(crate) fn new(
        inner: R,
        base: u64,
        total: u64,
        progress: &'p mut dyn FnMut(u64, u64),
    ) -> Self {
        ProgressReader {
            inner,
            done: 0,
            base,
            total,
            next: 0,
            progress,
        }
    }
}

impl<R: Read> Read for ProgressReader<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.done += n as u64;
        if self.done >= self.next || n == 0 {
            (self.progress)(self.base + self.done, self.total);
            self.next = self.done + (1 << 20);
        }
        Ok(n)
    }
}

/// Opens the file decoded to UTF-8, reporting progress from `base` of `total`.
pub(crate) fn open_text<'p>(
    path: &Path,
    enc: TextEncoding,
    base: u64,
    total: u64,
    progress: &'p mut dyn FnMut(u64, u64),
) -> io::Result<DecodingReader<ProgressReader<'p, BufReader<File>>>> {
    let file = BufReader::with_capacity(1 << 16, File::open(path)?);
    DecodingReader::new(ProgressReader::new(file, base, total, progress), enc)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(bytes: &[u8], enc: TextEncoding) -> String {
        let mut out = String::new();
        let mut r = DecodingReader::new(bytes, enc).map_err(|e| e.to_string());
        if let Ok(r) = r.as_mut() {
            r.read_to_string(&mut out).ok();
        }
        out
    }

    #[test]
    fn utf16_and_windows_1258() {
        let mut le = vec![0xFF, 0xFE];
        for u in "Mã,Tên\n01,Hà Nội\n".encode_utf16() {
            le.extend_from_slice(&u.to_le_bytes());
        }
        let enc = TextEncoding {
            encoding: UTF_16LE,
            bom: true,
        };
        assert_eq!(decode(&le, enc), "Mã,Tên\n01,Hà Nội\n");
        // "Hà Nội" in windows-1258: ô then a combining dot below (0xF2).
        let w = [b'H', 0xE0, b' ', b'N', 0xF4, 0xF2, b'i'];
        let enc = TextEncoding {
            encoding: WINDOWS_1258,
            bom: false,
        };
        assert_eq!(decode(&w, enc), "Hà Nô\u{323}i");
    }

    #[test]
    fn binary_detection() {
        assert!(looks_binary(b"PK\x03\x04\x00\x00"));
        assert!(!looks_binary("a,b\r\n1,2\n".as_bytes()));
    }
}
