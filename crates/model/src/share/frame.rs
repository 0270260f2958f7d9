//! The checksum around the link body: CRC-32 (IEEE, as zip and PNG use it) of the body, then the
//! body. Raw deflate carries no checksum, and a changed character often still inflates (stored
//! and fixed-Huffman blocks take any bits), so without this an altered link would open as some
//! other flow.

use super::ShareError;

/// Bytes the checksum takes in front of the body.
const SIZE: usize = 4;

/// The CRC-32 table, built per call (2,048 steps, a microsecond): as a constant it would put
/// 1 KB of incompressible data into the designer's wasm.
fn table() -> [u32; 256] {
    let mut table = [0u32; 256];
    let mut i = 0;
    while i < 256 {
        let mut c = i as u32;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 == 1 {
                0xedb8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
            k += 1;
        }
        table[i] = c;
        i += 1;
    }
    table
}

/// CRC-32 of `bytes`.
pub fn crc32(bytes: &[u8]) -> u32 {
    let table = table();
    !bytes.iter().fold(!0u32, |c, &b| {
        table[((c ^ u32::from(b)) & 0xff) as usize] ^ (c >> 8)
    })
}

/// The checksum (little-endian) followed by `body`: what is compressed into the link.
pub fn seal(body: &[u8]) -> Vec<u8> {
    let mut framed = Vec::with_capacity(SIZE + body.len());
    framed.extend_from_slice(&crc32(body).to_le_bytes());
    framed.extend_from_slice(body);
    framed
}

/// The body inside `framed`, when its checksum matches.
pub fn open(framed: &[u8]) -> Result<&[u8], ShareError> {
    if framed.len() < SIZE {
        return Err(ShareError::Damaged {
            detail: "it is too short to hold a flow".into(),
        });
    }
    let (sum, body) = framed.split_at(SIZE);
    if sum != crc32(body).to_le_bytes() {
        return Err(ShareError::Damaged {
            detail: "its checksum does not match its content".into(),
        });
    }
    Ok(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc32_is_the_ieee_one() {
        // The check value of CRC-32/ISO-HDLC (zip, PNG, Ethernet).
        assert_eq!(crc32(b"123456789"), 0xcbf4_3926);
        assert_eq!(crc32(b""), 0);
    }

    #[test]
    fn a_changed_bit_anywhere_is_caught() {
        let framed = seal(b"a flow body");
        assert_eq!(open(&framed).unwrap(), b"a flow body");
        for i in 0..framed.len() * 8 {
            let mut bad = framed.clone();
            bad[i / 8] ^= 1 << (i % 8);
            assert_eq!(
                open(&bad).unwrap_err().to_string(),
                "the link is damaged or was changed: its checksum does not match its content",
                "bit {i}"
            );
        }
        assert!(open(&framed[..3])
            .unwrap_err()
            .to_string()
            .contains("too short"));
    }
}
