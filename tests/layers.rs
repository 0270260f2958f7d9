//! The designer's layers hold: no module of `src/` imports (by a `crate::` path) a module of a
//! layer above its own. The layers are the comment-headed groups of `mod` lines in `main.rs`,
//! lowest first; a folder module and its children count as one.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

/// Module name → layer (0 = lowest), read from `main.rs`.
fn layers(main: &str) -> HashMap<String, usize> {
    let mut out = HashMap::new();
    let mut layer = None;
    for line in main.lines().map(str::trim) {
        if line.starts_with("// ") {
            layer = Some(layer.map_or(0, |l| l + 1));
        } else if let Some(name) = line.strip_prefix("mod ").and_then(|l| l.strip_suffix(';')) {
            let layer = layer.expect("a `mod` line of main.rs under a layer comment");
            out.insert(name.to_string(), layer);
        }
    }
    out
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level modules a file names through `crate::` (its unit tests left out).
fn imports(text: &str) -> Vec<String> {
    let text = text.split("#[cfg(test)]").next().unwrap_or("");
    let mut out = Vec::new();
    for (i, _) in text.match_indices("crate::") {
        let rest = &text[i + "crate::".len()..];
        let name: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if !name.is_empty() {
            out.push(name);
        }
    }
    out
}

#[test]
fn no_module_imports_a_module_above_its_layer() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let layers = layers(&fs::read_to_string(src.join("main.rs")).unwrap());
    assert!(layers.len() > 20, "main.rs lists the modules by layer");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut wrong = Vec::new();
    for file in &files {
        let rel = file.strip_prefix(&src).unwrap();
        let top = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy()
            .trim_end_matches(".rs")
            .to_string();
        if top == "main" {
            continue;
        }
        let own = *layers
            .get(&top)
            .unwrap_or_else(|| panic!("{} is not listed under a layer in main.rs", rel.display()));
        for m in imports(&fs::read_to_string(file).unwrap()) {
            if let Some(&theirs) = layers.get(&m) {
                if theirs > own {
                    wrong.push(format!(
                        "{} (layer {own}) imports {m} (layer {theirs})",
                        rel.display()
                    ));
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports from above:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_check_sees_an_import_from_above() {
    let layers = layers("// Low.\nmod a;\n// High.\nmod b;\n");
    assert_eq!((layers["a"], layers["b"]), (0, 1));
    assert_eq!(
        imports("use crate::b::X;\nfn f() { crate::a::g() }\n#[cfg(test)]\nuse crate::c;"),
        ["b", "a"]
    );
}
