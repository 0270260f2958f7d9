//! The cold-import benchmark: import the whole corpus from disk into a fresh catalog, print the
//! time beside the corpus size and the 1 s target, and the catalog index size (raw and gzip).

use crate::catalog::{import_dirs, Catalog};
use flate2::write::GzEncoder;
use flate2::Compression;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

fn dir_size(dir: &std::path::Path) -> (u64, usize) {
    let mut bytes = 0;
    let mut files = 0;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "json") {
                bytes += e.metadata().map(|m| m.len()).unwrap_or(0);
                files += 1;
            }
        }
    }
    (bytes, files)
}

pub fn run(dir: Option<PathBuf>) -> ExitCode {
    let dir = dir.unwrap_or_else(|| {
        PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/connector-corpus"
        ))
    });
    if !dir.is_dir() {
        eprintln!("error: no corpus at {}", dir.display());
        return ExitCode::from(2);
    }
    let (bytes, files) = dir_size(&dir);
    let mut times = Vec::new();
    let mut last = None;
    for _ in 0..3 {
        let t = Instant::now();
        let report = import_dirs(std::slice::from_ref(&dir));
        let catalog = Catalog::from_connectors(report.connectors);
        times.push(t.elapsed().as_secs_f64());
        last = Some((catalog, report.rejected.len()));
    }
    let Some((catalog, rejected)) = last else {
        return ExitCode::from(2);
    };
    let index = catalog.index_json();
    let mut gz = GzEncoder::new(Vec::new(), Compression::default());
    let _ = gz.write_all(&index);
    let gz = gz.finish().unwrap_or_default();
    times.sort_by(f64::total_cmp);
    println!(
        "corpus: {} ({} JSON files, {:.1} MB)",
        dir.display(),
        files,
        bytes as f64 / 1e6
    );
    println!(
        "cold import ({} connectors, {} rejected files): best {:.3} s, median {:.3} s   target <= 1.000 s",
        catalog.len(),
        rejected,
        times[0],
        times[times.len() / 2]
    );
    println!(
        "catalog index: {:.0} KB raw, {:.0} KB gzip",
        index.len() as f64 / 1024.0,
        gz.len() as f64 / 1024.0
    );
    ExitCode::SUCCESS
}
