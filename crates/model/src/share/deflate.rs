//! Raw deflate (RFC 1951, no zlib or gzip wrapper) through `miniz_oxide`: the same streams the
//! browser's `CompressionStream("deflate-raw")` writes and `DecompressionStream("deflate-raw")`
//! reads, so either side may compress what the other opens. Inflating stops at a size limit, so
//! a few kilobytes that would inflate to gigabytes cost no more than the limit.

use super::ShareError;
use miniz_oxide::inflate::core::{decompress, inflate_flags, DecompressorOxide};
use miniz_oxide::inflate::TINFLStatus;

/// miniz_oxide's strongest level: links are written once and read often, and at link sizes
/// the extra effort costs well under a millisecond.
const LEVEL: u8 = 10;

/// `bytes` as a raw deflate stream.
pub fn compress(bytes: &[u8]) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec(bytes, LEVEL)
}

/// The bytes `stream` inflates to, at most `limit` of them. The stream must end exactly where
/// the input does: bytes after its last block mean the link was changed.
pub fn inflate(stream: &[u8], limit: usize) -> Result<Vec<u8>, ShareError> {
    let flags = inflate_flags::TINFL_FLAG_USING_NON_WRAPPING_OUTPUT_BUF;
    // One byte past the limit tells "exactly at the limit" from "over it".
    let cap = limit.saturating_add(1);
    let mut out = vec![0u8; stream.len().saturating_mul(4).max(64).min(cap)];
    let mut state = Box::<DecompressorOxide>::default();
    let (mut read, mut written) = (0usize, 0usize);
    loop {
        let (status, used, made) =
            decompress(&mut state, &stream[read..], &mut out, written, flags);
        read += used;
        written += made;
        match status {
            TINFLStatus::Done if written > limit => return Err(ShareError::FlowTooLarge { limit }),
            TINFLStatus::Done if read < stream.len() => {
                return Err(ShareError::Damaged {
                    detail: "data follows the end of the compressed flow".into(),
                })
            }
            TINFLStatus::Done => {
                out.truncate(written);
                return Ok(out);
            }
            TINFLStatus::HasMoreOutput if out.len() >= cap => {
                return Err(ShareError::FlowTooLarge { limit })
            }
            TINFLStatus::HasMoreOutput => {
                let grown = out.len().saturating_mul(2).min(cap);
                out.resize(grown, 0);
            }
            TINFLStatus::FailedCannotMakeProgress | TINFLStatus::NeedsMoreInput => {
                return Err(ShareError::Truncated)
            }
            _ => {
                return Err(ShareError::Damaged {
                    detail: "its compressed data is not valid".into(),
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inflate_reads_what_compress_writes() {
        for text in [&b""[..], b"a", b"a flow, a flow, a flow", &[7u8; 100_000]] {
            assert_eq!(inflate(&compress(text), text.len()).unwrap(), text);
        }
    }

    #[test]
    fn a_bomb_stops_at_the_limit() {
        // 64 MiB of zeros deflate to about 64 KB; inflating stops one byte past 1 MiB.
        let bomb = compress(&vec![0u8; 64 << 20]);
        assert!(bomb.len() < 100_000, "{}", bomb.len());
        assert_eq!(
            inflate(&bomb, 1 << 20),
            Err(ShareError::FlowTooLarge { limit: 1 << 20 })
        );
        // Exactly at the limit is within it.
        let full = compress(&[1u8; 1000]);
        assert_eq!(inflate(&full, 1000).unwrap().len(), 1000);
        assert_eq!(
            inflate(&full, 999),
            Err(ShareError::FlowTooLarge { limit: 999 })
        );
    }

    #[test]
    fn truncated_changed_and_padded_streams_are_told_apart() {
        let stream = compress(b"Set variable Counter to 1; Set variable Var2 to 2");
        for cut in 0..stream.len() {
            assert_eq!(
                inflate(&stream[..cut], 1000),
                Err(ShareError::Truncated),
                "{cut}"
            );
        }
        let mut padded = stream.clone();
        padded.push(0);
        assert!(matches!(
            inflate(&padded, 1000),
            Err(ShareError::Damaged { .. })
        ));
        // Block type 3 is reserved: no deflate stream holds it.
        assert!(matches!(
            inflate(&[0x07], 1000),
            Err(ShareError::Damaged { .. })
        ));
    }
}
