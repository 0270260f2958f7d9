//! Finding connector folders (bounded depth) and reading their files: bounded in size, a UTF-8 BOM
//! tolerated, parse errors with file, line and column.

use super::{Rejected, DEFINITION_FILE, MAX_FILE_BYTES, PROPERTIES_FILE};
use crate::catalog::doc::Doc;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// How deep folders are searched for connectors.
const MAX_DIR_DEPTH: usize = 6;

/// A connector folder found by the walk.
pub(super) struct Found {
    pub(super) dir: PathBuf,
    /// The folder that holds it (for telling apart two connectors with the same folder name).
    pub(super) parent_name: String,
}

pub(super) fn walk(
    dir: &Path,
    depth: usize,
    found: &mut Vec<Found>,
    skipped: &mut Vec<PathBuf>,
    rejected: &mut Vec<Rejected>,
) {
    if depth > MAX_DIR_DEPTH {
        return;
    }
    if dir.join(DEFINITION_FILE).is_file() {
        let parent_name = dir
            .parent()
            .and_then(|p| p.file_name())
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        found.push(Found {
            dir: dir.to_path_buf(),
            parent_name,
        });
        return;
    }
    if depth > 0 && dir.join(PROPERTIES_FILE).is_file() {
        skipped.push(dir.to_path_buf());
        return;
    }
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            if depth == 0 {
                rejected.push(Rejected {
                    file: dir.to_path_buf(),
                    line: 0,
                    column: 0,
                    reason: format!("cannot read folder: {e}"),
                });
            }
            return;
        }
    };
    let mut subdirs: Vec<PathBuf> = entries
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().map(|t| t.is_dir()).unwrap_or(false))
        .map(|e| e.path())
        .collect();
    subdirs.sort();
    for d in subdirs {
        walk(&d, depth + 1, found, skipped, rejected);
    }
}

/// Read one file whole (one allocation, sized from the open file), bounded in size.
pub fn read_file(path: &Path) -> Result<Vec<u8>, Rejected> {
    use std::io::Read;
    let reject = |reason: String| Rejected {
        file: path.to_path_buf(),
        line: 0,
        column: 0,
        reason,
    };
    let mut file = std::fs::File::open(path).map_err(|e| reject(format!("cannot read: {e}")))?;
    let len = file
        .metadata()
        .map_err(|e| reject(format!("cannot read: {e}")))?
        .len();
    if len > MAX_FILE_BYTES {
        return Err(reject(format!(
            "file too large: {len} bytes (limit {MAX_FILE_BYTES})"
        )));
    }
    // One byte more than the size, so a file that grew is still read to its end in one go.
    let mut bytes = Vec::with_capacity(len as usize + 1);
    file.by_ref()
        .take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| reject(format!("cannot read: {e}")))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(reject(format!(
            "file too large: over {MAX_FILE_BYTES} bytes"
        )));
    }
    Ok(bytes)
}

/// Parse a file's bytes: a UTF-8 BOM is tolerated; errors carry position; the document must be
/// an object.
pub fn parse_doc<'a>(path: &Path, bytes: &'a [u8]) -> Result<Doc<'a>, Rejected> {
    let reject = |line, column, reason: String| Rejected {
        file: path.to_path_buf(),
        line,
        column,
        reason,
    };
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match serde_json::from_slice::<Doc>(body) {
        Ok(v) if v.is_object() => Ok(v),
        Ok(_) => Err(reject(1, 1, "the document is not a JSON object".into())),
        Err(e) => {
            let mut reason = e.to_string();
            // serde_json appends " at line L column C"; we print the position separately.
            if let Some(i) = reason.rfind(" at line ") {
                reason.truncate(i);
            }
            if std::str::from_utf8(body).is_err() && reason.contains("unicode") {
                reason = format!("{reason} (the file is not valid UTF-8)");
            }
            Err(reject(e.line(), e.column(), reason))
        }
    }
}

/// Read and parse one JSON file into a `Value` (see `read_file` and `parse_doc`).
pub fn read_json(path: &Path) -> Result<Value, Rejected> {
    let bytes = read_file(path)?;
    parse_doc(path, &bytes).map(|d| d.to_value())
}
