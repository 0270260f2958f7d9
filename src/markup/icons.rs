//! Inline SVG icons as markup: one per action category plus the few the toolbar needs (24×24,
//! stroked). An icon is named by a key from outside (a category's icon key); only the keys
//! known here reach the markup.

use std::fmt::Write;

/// SVG path data for an icon key.
fn paths(key: &str) -> &'static [&'static str] {
    match key {
        // {x}
        "variables" => &[
            "M8 4c-2 0-3 1-3 3v2c0 1.5-1 2.5-2 3 1 .5 2 1.5 2 3v2c0 2 1 3 3 3",
            "M16 4c2 0 3 1 3 3v2c0 1.5 1 2.5 2 3-1 .5-2 1.5-2 3v2c0 2-1 3-3 3",
            "M9.5 9l5 6M14.5 9l-5 6",
        ],
        // branching arrows
        "conditionals" => &[
            "M6 3v6a4 4 0 0 0 4 4h4a4 4 0 0 1 4 4v4",
            "M6 21v-8",
            "M15 18l3 3 3-3",
        ],
        // circular arrows
        "loops" => &[
            "M17 2l3 3-3 3",
            "M4 11V9a4 4 0 0 1 4-4h12",
            "M7 22l-3-3 3-3",
            "M20 13v2a4 4 0 0 1-4 4H4",
        ],
        // flag / flow
        "flow" => &["M5 21V4", "M5 4h11l-2 4 2 4H5"],
        // T
        "text" => &["M5 6V4h14v2", "M12 4v16", "M9 20h6"],
        // clock
        "datetime" => &["M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18z", "M12 7v5l3 2"],
        // stacked disks
        "data" => &[
            "M4 6c0-1.7 3.6-3 8-3s8 1.3 8 3-3.6 3-8 3-8-1.3-8-3z",
            "M4 6v12c0 1.7 3.6 3 8 3s8-1.3 8-3V6",
            "M4 12c0 1.7 3.6 3 8 3s8-1.3 8-3",
        ],
        // globe
        "http" => &[
            "M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18z",
            "M3 12h18",
            "M12 3c2.5 2.5 3.5 5.5 3.5 9s-1 6.5-3.5 9c-2.5-2.5-3.5-5.5-3.5-9s1-6.5 3.5-9z",
        ],
        // speech bubble
        "messages" => &["M4 5h16v11H9l-5 4z"],
        "connector" => &["M9 2v6M15 2v6", "M6 8h12v3a6 6 0 0 1-12 0z", "M12 17v5"],
        "undo" => &["M9 14L4 9l5-5", "M4 9h11a5 5 0 0 1 0 10h-4"],
        "redo" => &["M15 14l5-5-5-5", "M20 9H9a5 5 0 0 0 0 10h4"],
        "search" => &["M11 4a7 7 0 1 0 0 14 7 7 0 0 0 0-14z", "M21 21l-5-5"],
        "chevron" => &["M9 6l6 6-6 6"],
        "star" => &["M12 3.5l2.6 5.3 5.9.9-4.3 4.1 1 5.8-5.2-2.7-5.2 2.7 1-5.8-4.3-4.1 5.9-.9z"],
        "error" => &[
            "M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18z",
            "M12 8v5",
            "M12 16.5v.5",
        ],
        "user" => &[
            "M12 4a4 4 0 1 0 0 8 4 4 0 0 0 0-8z",
            "M4 21c0-4 3.6-6 8-6s8 2 8 6",
        ],
        // stacked layers: an environment
        "environment" => &["M12 3l9 5-9 5-9-5z", "M3 13l9 5 9-5"],
        "close" => &["M6 6l12 12M18 6L6 18"],
        "plus" => &["M12 5v14M5 12h14"],
        "file" => &["M6 3h8l4 4v14H6z", "M14 3v4h4"],
        "download" => &["M12 4v11", "M7 10l5 5 5-5", "M5 20h14"],
        "upload" => &["M12 20V9", "M7 14l5-5 5 5", "M5 4h14"],
        "trash" => &["M4 7h16", "M9 7V4h6v3", "M6 7l1 13h10l1-13"],
        "copy" => &["M8 8h12v12H8z", "M16 8V4H4v12h4"],
        "pencil" => &["M4 20l4-1L19 8l-3-3L5 16z"],
        // two chain links: a share link
        "link" => &[
            "M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1 1",
            "M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1",
        ],
        "variable-x" => &["M9.5 9l5 6M14.5 9l-5 6"],
        // running a flow: Run, Stop, Run next action
        "play" => &["M7 4l13 8-13 8z"],
        "stop" => &["M6 6h12v12H6z"],
        "step" => &["M4 12h11", "M11 7l5 5-5 5", "M20 5v14"],
        _ => &["M5 5h14v14H5z"],
    }
}

/// The known key `name` names, else "unknown" (drawn as a square): the one written raw.
pub fn icon_key(name: &str) -> &'static str {
    KEYS.iter()
        .copied()
        .find(|k| *k == name)
        .unwrap_or("unknown")
}

/// The icons there are.
const KEYS: [&str; 32] = [
    "variables",
    "conditionals",
    "loops",
    "flow",
    "text",
    "datetime",
    "data",
    "http",
    "messages",
    "connector",
    "undo",
    "redo",
    "search",
    "chevron",
    "star",
    "error",
    "user",
    "environment",
    "close",
    "plus",
    "file",
    "download",
    "upload",
    "trash",
    "copy",
    "pencil",
    "link",
    "variable-x",
    "play",
    "stop",
    "step",
    "unknown",
];

/// The `<path>` elements of an icon, as markup.
pub fn icon_paths(name: &str) -> String {
    let mut out = String::new();
    for d in paths(name) {
        let _ = write!(out, "<path d=\"{d}\"></path>");
    }
    out
}

/// Append a decorative icon as SVG markup (hidden from assistive technology).
pub fn icon(out: &mut String, name: &str, class: &'static str) {
    let _ = write!(
        out,
        "<svg class=\"icon ic-{} {class}\" viewBox=\"0 0 24 24\" aria-hidden=\"true\" focusable=\"false\">{}</svg>",
        icon_key(name),
        icon_paths(name)
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_known_keys_are_written() {
        let mut out = String::new();
        icon(&mut out, "trash", "x");
        assert!(out.starts_with("<svg class=\"icon ic-trash x\""));
        for input in crate::markup::hostile::INPUTS {
            assert_eq!(icon_key(input), "unknown");
            let mut out = String::new();
            icon(&mut out, input, "");
            assert!(out.starts_with("<svg class=\"icon ic-unknown \""), "{out}");
            assert!(!out.contains("alert"));
        }
        // Every key draws its own paths (the square is the unknown one's alone).
        let square = paths("unknown");
        for k in KEYS.iter().filter(|k| **k != "unknown") {
            assert_ne!(paths(k), square, "{k}");
        }
    }
}
