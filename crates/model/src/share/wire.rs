//! The link body's primitives: unsigned LEB128 numbers and length-prefixed UTF-8 texts, written
//! in one canonical form and read back by a reader that never reads past the end, never
//! allocates from a count it was given, and refuses every other form of the same value.

use super::ShareError;

/// The largest number the body holds (counts, indices, lengths, retry settings).
const MAX: u64 = u32::MAX as u64;

/// Appends numbers and texts to the body.
#[derive(Default)]
pub(super) struct Writer {
    pub bytes: Vec<u8>,
}

impl Writer {
    /// `v` in unsigned LEB128, shortest form: 7 bits a byte, the high bit set on all but the last.
    pub fn uint(&mut self, mut v: u64) {
        while v >= 0x80 {
            self.bytes.push((v as u8) | 0x80);
            v >>= 7;
        }
        self.bytes.push(v as u8);
    }

    /// A count or index (a flow in memory never holds more than `u32::MAX` of anything the body
    /// counts: each costs at least one byte, and the reader refuses a larger body long before).
    pub fn count(&mut self, n: usize) {
        self.uint(n as u64);
    }

    /// The text's length in bytes, then its UTF-8 bytes.
    pub fn text(&mut self, s: &str) {
        self.count(s.len());
        self.bytes.extend_from_slice(s.as_bytes());
    }
}

/// Reads the body front to back; every error names the byte where the bad value starts.
pub(super) struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    pub fn new(bytes: &'a [u8]) -> Self {
        Reader { bytes, pos: 0 }
    }

    /// Where the next read starts (0-based, in the body).
    pub fn pos(&self) -> usize {
        self.pos
    }

    /// The bytes not read yet.
    pub fn remaining(&self) -> usize {
        self.bytes.len() - self.pos
    }

    pub fn invalid(&self, at: usize, message: impl Into<String>) -> ShareError {
        ShareError::Invalid {
            at,
            message: message.into(),
        }
    }

    /// A number up to `u32::MAX` in its shortest LEB128 form.
    pub fn uint(&mut self) -> Result<u64, ShareError> {
        let start = self.pos;
        let mut value = 0u64;
        let mut shift = 0u32;
        loop {
            let Some(&b) = self.bytes.get(self.pos) else {
                return Err(self.invalid(start, "a number runs past the end"));
            };
            self.pos += 1;
            // Five groups of 7 bits hold any u32; a sixth byte means the number is too large
            // (or padded), and stopping here keeps the shift in range.
            if shift == 35 {
                return Err(self.invalid(start, "a number is larger than 4294967295"));
            }
            value |= u64::from(b & 0x7f) << shift;
            shift += 7;
            if b & 0x80 == 0 {
                // A last byte of 0 after others adds nothing: the same number written longer.
                if b == 0 && self.pos - start > 1 {
                    return Err(self.invalid(start, "a number is not in its shortest form"));
                }
                if value > MAX {
                    return Err(self.invalid(start, "a number is larger than 4294967295"));
                }
                return Ok(value);
            }
        }
    }

    /// A count of items that follow. Each item takes at least one byte, so a count larger than
    /// what is left cannot be true: refusing it here keeps loops and allocations bounded by the
    /// body's size.
    pub fn count(&mut self, what: &str) -> Result<usize, ShareError> {
        let at = self.pos;
        let n = self.uint()? as usize;
        if n > self.remaining() {
            return Err(self.invalid(
                at,
                format!(
                    "{n} {what} announced, but only {} left",
                    bytes(self.remaining())
                ),
            ));
        }
        Ok(n)
    }

    /// An index into a table of `len` entries.
    pub fn index(&mut self, len: usize, table: &str) -> Result<usize, ShareError> {
        let at = self.pos;
        let i = self.uint()? as usize;
        if i >= len {
            return Err(self.invalid(
                at,
                format!("{table} index {i} is out of range (the table has {len})"),
            ));
        }
        Ok(i)
    }

    /// A text, borrowed from the body; the caller checks its length against the limits.
    pub fn text(&mut self) -> Result<&'a str, ShareError> {
        let at = self.pos;
        let len = self.uint()? as usize;
        if len > self.remaining() {
            return Err(self.invalid(at, "a text runs past the end"));
        }
        let bytes = &self.bytes[self.pos..self.pos + len];
        let text = std::str::from_utf8(bytes)
            .map_err(|_| self.invalid(at, "a text is not valid UTF-8"))?;
        self.pos += len;
        Ok(text)
    }
}

/// `n` bytes, in words: "1 byte", "2 bytes".
fn bytes(n: usize) -> String {
    format!("{n} byte{}", if n == 1 { "" } else { "s" })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(bytes: &[u8]) -> Result<u64, String> {
        Reader::new(bytes).uint().map_err(|e| e.to_string())
    }

    #[test]
    fn numbers_read_back_in_their_shortest_form() {
        for v in [0, 1, 127, 128, 300, 16_383, 16_384, 1 << 28, MAX] {
            let mut w = Writer::default();
            w.uint(v);
            assert_eq!(read(&w.bytes), Ok(v), "{v}");
            // The shortest form: the last byte is non-zero unless the number is 0.
            assert!(w.bytes.len() == 1 || *w.bytes.last().unwrap() != 0);
        }
    }

    #[test]
    fn every_other_form_of_a_number_is_refused() {
        let err = |bytes: &[u8]| read(bytes).unwrap_err();
        assert!(err(&[0x80, 0x00]).contains("byte 0: a number is not in its shortest form"));
        assert!(err(&[0x81, 0x80, 0x00]).contains("not in its shortest form"));
        assert!(err(&[0xff, 0xff, 0xff, 0xff, 0x10]).contains("larger than 4294967295"));
        assert!(err(&[0x80, 0x80, 0x80, 0x80, 0x80, 0x01]).contains("larger than 4294967295"));
        assert!(err(&[0x80]).contains("a number runs past the end"));
        assert!(err(&[]).contains("a number runs past the end"));
    }

    #[test]
    fn texts_and_counts_stay_inside_the_body() {
        let mut w = Writer::default();
        w.text("héllo");
        let mut r = Reader::new(&w.bytes);
        assert_eq!(r.text().unwrap(), "héllo");
        assert_eq!(r.remaining(), 0);
        let e = Reader::new(&[9, b'a']).text().unwrap_err().to_string();
        assert!(e.contains("byte 0: a text runs past the end"), "{e}");
        let e = Reader::new(&[2, 0xc3, 0x28])
            .text()
            .unwrap_err()
            .to_string();
        assert!(e.contains("byte 0: a text is not valid UTF-8"), "{e}");
        let e = Reader::new(&[0xff, 0x01, 0]).count("steps").unwrap_err();
        assert!(e
            .to_string()
            .contains("255 steps announced, but only 1 byte left"));
        let e = Reader::new(&[3])
            .index(3, "action")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("action index 3 is out of range (the table has 3)"),
            "{e}"
        );
    }
}
