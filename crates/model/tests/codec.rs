//! Flow JSON import/export: round trips, the clipboard format, and every way a bad file is refused
//! (each with a message that says what is wrong and where).

mod common;

use common::*;
use plugboard_model::codec::{
    decode, decode_steps, decode_with, encode, encode_steps, DecodeError, Limits,
};
use plugboard_model::flow::{Flow, Step};
use std::time::Instant;

/// A valid flow's JSON with `edit` applied to its parsed value.
fn edited(flow: &Flow, edit: impl FnOnce(&mut serde_json::Value)) -> String {
    let mut v: serde_json::Value = serde_json::from_str(&encode(flow)).unwrap();
    edit(&mut v);
    serde_json::to_string_pretty(&v).unwrap()
}

fn sample() -> Flow {
    flow_with(
        vec![
            set("A", "5"),
            if_("%A%", vec![display("big"), else_(), comment("small")]),
            disabled(loop_("3", "I", vec![exit_loop()])),
        ],
        vec![("Helper", vec![label("L"), go_to("L")])],
    )
}

/// Decode `text` and compare the error's Display with `expected`.
fn check_error(text: &str, limits: &Limits, expected: &str) {
    match decode_with(text, limits) {
        Ok(_) => panic!("decoded, expected the error {expected:?}"),
        Err(e) => assert_eq!(e.to_string(), expected),
    }
}

#[test]
fn decode_of_encode_is_the_same_flow() {
    let mut f = sample();
    f.subflows[0].steps[0].reference = Some("pb_outlook_7f3a".into());
    f.subflows[0].steps[0].on_error = Some(plugboard_model::OnError {
        retries: 2,
        interval_secs: 5,
        continue_flow: true,
        go_to_label: Some("Retry later".into()),
    });
    assert_eq!(decode(&encode(&f)).unwrap(), f);
}

#[test]
fn encode_is_pretty_and_omits_defaults() {
    let f = flow(vec![step("flow.stop")]);
    let text = encode(&f);
    assert!(text.contains("\n  \"schema\": 1,"), "{text}");
    assert!(!text.contains("\"enabled\""), "{text}");
    assert!(!text.contains("\"children\""), "{text}");
}

#[test]
fn a_ten_thousand_step_flow_round_trips_within_the_default_limits() {
    let steps: Vec<Step> = (0..5_000)
        .map(|i| if_(&format!("%N{i}%"), vec![set(&format!("N{i}"), "1")]))
        .collect();
    let f = flow(steps);
    assert_eq!(f.step_count(), 10_000);
    assert_eq!(decode(&encode(&f)).unwrap(), f);
}

#[test]
fn blocks_nest_up_to_the_depth_limit() {
    fn nest(depth: usize) -> Flow {
        let mut s = comment("innermost");
        for _ in 1..depth {
            s = loop_("2", "I", vec![s]);
        }
        flow(vec![s])
    }
    let deepest = nest(Limits::DEFAULT.max_depth);
    assert_eq!(decode(&encode(&deepest)).unwrap(), deepest);
    // One level more is named by its step; far more is refused by the JSON scan.
    check_error(
        &encode(&nest(65)),
        &Limits::DEFAULT,
        "Main, line 65: blocks are nested more than 64 deep",
    );
    assert!(matches!(
        decode(&encode(&nest(70))),
        Err(DecodeError::TooDeep { limit: 64, .. })
    ));
}

#[test]
fn a_byte_order_mark_is_skipped() {
    let f = sample();
    assert_eq!(decode(&format!("\u{feff}{}", encode(&f))).unwrap(), f);
}

/// `encode(flow)` with `from` replaced by `to` (exactly once).
fn replaced(flow: &Flow, from: &str, to: &str) -> String {
    let text = encode(flow);
    assert_eq!(text.matches(from).count(), 1, "{from:?} in {text}");
    text.replace(from, to)
}

#[test]
fn bad_files_are_refused_with_what_and_where() {
    // Lines of `encode(&one)`: 2 schema, 3 id, 4 name, 5 subflows, 7 "Main", 9 the step,
    // 10 its id, 11 its action, 18 its closing brace, 22 the last.
    let one = flow(vec![set("A", "5")]);
    let step_id = one.subflows[0].steps[0].id.to_string();
    let d = &Limits::DEFAULT;
    let cases: Vec<(&str, String, &str)> = vec![
        ("empty text", "  \n".into(), "not valid JSON: line 1, column 1: the text is empty"),
        (
            "not JSON",
            "hello".into(),
            "not valid JSON: line 1, column 1: expected value",
        ),
        (
            "truncated",
            encode(&one)[..40].to_string(),
            "not valid JSON: line 3, column 23: EOF while parsing a string",
        ),
        (
            "trailing text",
            format!("{} x", encode(&one)),
            "not valid JSON: line 22, column 3: trailing characters",
        ),
        (
            "an array, not an object",
            "\n [1, 2]".into(),
            r#"not a valid flow: line 2, column 2: expected a flow (a JSON object with "schema", "id", "name" and "subflows")"#,
        ),
        (
            "a number, not an object",
            "1".into(),
            r#"not a valid flow: line 1, column 1: expected a flow (a JSON object with "schema", "id", "name" and "subflows")"#,
        ),
        (
            "missing schema",
            replaced(&one, "\"schema\": 1,", ""),
            r#"not a Plugboard flow: the "schema" version field is missing"#,
        ),
        (
            "newer schema with new fields",
            replaced(&one, "\"schema\": 1,", "\"schema\": 2, \"pins\": [],"),
            "schema version 2 is not supported; this version of Plugboard reads schema version 1",
        ),
        (
            "schema as text",
            replaced(&one, "\"schema\": 1,", "\"schema\": \"1\","),
            r#"schema version "1" is not supported; this version of Plugboard reads schema version 1"#,
        ),
        (
            "no subflows",
            format!(r#"{{"schema": 1, "id": "{step_id}", "name": "x", "subflows": []}}"#),
            "the flow has no subflows; it needs at least Main",
        ),
        (
            "wrong type",
            replaced(&one, "\"name\": \"Test\"", "\"name\": 5"),
            "not a valid flow: line 4, column 11: invalid type: integer `5`, expected a string",
        ),
        (
            "missing step field",
            replaced(&one, "\"action\": \"variables.set\",", ""),
            "not a valid flow: line 18, column 9: missing field `action`",
        ),
        (
            "bad step id",
            replaced(&one, &step_id, "42"),
            "not a valid flow: line 10, column 20: UUID parsing failed: invalid length: found 2",
        ),
        (
            "unknown step field",
            replaced(&one, "\"action\": \"variables.set\",", "\"action\": \"variables.set\", \"colour\": 1,"),
            "not a valid flow: line 11, column 45: unknown field `colour`, expected one of `id`, `action`, `inputs`, `outputs`, `enabled`, `reference`, `on_error`, `children`",
        ),
    ];
    let mut failures = Vec::new();
    for (name, text, expected) in cases {
        match decode_with(&text, d) {
            Ok(_) => failures.push(format!("{name}: decoded")),
            Err(e) if e.to_string() != expected => {
                failures.push(format!("{name}:\n  expected {expected}\n  got      {e}"))
            }
            Err(_) => {}
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn unknown_fields_are_named_with_their_line() {
    let f = sample();
    // Rewritten by serde_json::Value, so lines are found in the text, not assumed.
    let text = edited(&f, |v| {
        v["subflows"][0]["steps"][1]["colour"] = "red".into()
    });
    let e = decode(&text).unwrap_err();
    let DecodeError::Invalid { line, message, .. } = &e else {
        panic!("{e:?}");
    };
    assert!(message.starts_with("unknown field `colour`"), "{e}");
    assert_eq!(
        text.lines().nth(line - 1).map(str::trim),
        Some("\"colour\": \"red\",")
    );
    let top = edited(&f, |v| v["owner"] = "me".into());
    assert!(decode(&top)
        .unwrap_err()
        .to_string()
        .contains("unknown field `owner`"));
}

#[test]
fn duplicate_step_ids_name_the_second_step() {
    let mut f = sample();
    let id = f.subflows[0].steps[0].id;
    // Line 1 Set variable, 2 If, 3 Display message, 4 Else, 5 Comment.
    f.subflows[0].steps[1].children[2].id = id;
    check_error(
        &encode(&f),
        &Limits::DEFAULT,
        &format!("Main, line 5: step id {id} is already used by an earlier step"),
    );
    let mut f = sample();
    let id = f.subflows[0].steps[0].id;
    f.subflows[1].steps[1].id = id;
    check_error(
        &encode(&f),
        &Limits::DEFAULT,
        &format!("Helper, line 2: step id {id} is already used by an earlier step"),
    );
    // Children of a step that is not a block (a malformed file) are drawn below it: line 6.
    let mut f = sample();
    let id = f.subflows[0].steps[0].id;
    let mut hidden = comment("hidden");
    hidden.id = id;
    f.subflows[0].steps[1].children[2].children.push(hidden);
    check_error(
        &encode(&f),
        &Limits::DEFAULT,
        &format!("Main, line 6: step id {id} is already used by an earlier step"),
    );
}

#[test]
fn limits_are_enforced() {
    let f = sample(); // 9 steps
    let tight = Limits {
        max_steps: 8,
        ..Limits::DEFAULT
    };
    check_error(&encode(&f), &tight, "the flow has 9 steps; the limit is 8");
    let small = Limits {
        max_bytes: 100,
        ..Limits::DEFAULT
    };
    check_error(
        &encode(&f),
        &small,
        &format!(
            "the flow file is 0.0 MiB ({} bytes); the limit is 0.0 MiB",
            encode(&f).len()
        ),
    );
    let short = Limits {
        max_string: 4,
        ..Limits::DEFAULT
    };
    // The first string longer than 4 bytes is the key "schema" on line 2.
    check_error(
        &encode(&f),
        &short,
        "line 2, column 3: a text of 6 bytes is longer than the limit of 4 bytes",
    );
    let shallow = Limits {
        max_depth: 1,
        ..Limits::DEFAULT
    };
    check_error(
        &encode(&f),
        &shallow,
        "Main, line 3: blocks are nested more than 1 deep",
    );
}

#[test]
fn a_hundred_megabyte_string_is_refused_by_size_first() {
    let text = format!(
        r#"{{"schema":1,"name":"{}","id":"x","subflows":[]}}"#,
        "x".repeat(100 * 1024 * 1024)
    );
    let start = Instant::now();
    let e = decode(&text).unwrap_err();
    assert!(matches!(e, DecodeError::TooLarge { .. }), "{e:?}");
    assert_eq!(
        e.to_string(),
        format!(
            "the flow file is 100.0 MiB ({} bytes); the limit is 32.0 MiB",
            text.len()
        )
    );
    // Not a timing assertion: just report if refusing it ever became slow.
    eprintln!("refused in {:?}", start.elapsed());
}

#[test]
fn a_long_string_within_the_size_limit_is_refused_where_it_starts() {
    let mut f = flow(vec![comment(&"y".repeat(2 * 1024 * 1024))]);
    f.name = "Long".into();
    let text = encode(&f);
    let e = decode(&text).unwrap_err();
    let DecodeError::StringTooLong {
        line,
        column,
        bytes,
        limit,
    } = e
    else {
        panic!("{e:?}");
    };
    assert_eq!((bytes, limit), (2 * 1024 * 1024, 1024 * 1024));
    let at = &text.lines().nth(line - 1).unwrap()[column - 1..];
    assert!(at.starts_with("\"yyyy"), "{}", &at[..20]);
}

#[test]
fn a_million_nested_brackets_fail_fast_without_overflowing_the_stack() {
    for (open, close) in [("[", "]"), ("{\"a\":", "}")] {
        let text = format!("{}{}", open.repeat(1_000_000), close.repeat(1_000_000));
        let e = decode(&text).unwrap_err();
        assert_eq!(
            e.to_string(),
            format!(
                "line 1, column {}: the JSON nests deeper than a flow can (blocks at most 64 deep)",
                134 * open.len() + 1
            )
        );
    }
    // Unclosed too: the scan stops at the first level too deep.
    assert!(matches!(
        decode(&"[".repeat(1_000_000)),
        Err(DecodeError::TooDeep { .. })
    ));
}

#[test]
fn brackets_inside_strings_do_not_count_as_nesting() {
    let f = flow(vec![
        comment(&"[{".repeat(10_000)),
        set("A", "\"quoted\" \\ ["),
    ]);
    assert_eq!(decode(&encode(&f)).unwrap(), f);
}

#[test]
fn clipboard_text_is_a_flow_and_pastes_with_fresh_ids() {
    let copied = vec![set("A", "1"), if_("%A%", vec![display("x"), else_()])];
    let text = encode_steps(&copied);
    // Importing the clipboard text gives a flow named Clipboard.
    let as_flow = decode(&text).unwrap();
    assert_eq!(as_flow.name, "Clipboard");
    assert_eq!(as_flow.subflows.len(), 1);
    assert_eq!(as_flow.subflows[0].steps, copied);
    // Pasting gives the same steps with new ids everywhere.
    let pasted = decode_steps(&text).unwrap();
    fn ids(steps: &[Step], out: &mut Vec<uuid::Uuid>) {
        for s in steps {
            out.push(s.id);
            ids(&s.children, out);
        }
    }
    fn without_ids(steps: &[Step]) -> Vec<Step> {
        steps
            .iter()
            .map(|s| Step {
                id: uuid::Uuid::nil(),
                children: without_ids(&s.children),
                ..s.clone()
            })
            .collect()
    }
    assert_eq!(without_ids(&pasted), without_ids(&copied));
    let (mut old, mut new) = (Vec::new(), Vec::new());
    ids(&copied, &mut old);
    ids(&pasted, &mut new);
    assert_eq!(new.len(), old.len());
    assert!(new.iter().all(|id| !old.contains(id)));
    // Any exported flow pastes its Main; bad text is an error, not a panic.
    let other = flow_with(vec![comment("main")], vec![("S", vec![comment("sub")])]);
    assert_eq!(
        without_ids(&decode_steps(&encode(&other)).unwrap()),
        without_ids(&other.subflows[0].steps)
    );
    assert!(decode_steps("not json").is_err());
}
