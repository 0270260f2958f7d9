//! Share links: a flow and its references survive the round trip (ids made afresh), nothing
//! secret is carried, every bad link is refused with a sentence that says what is wrong, the
//! browser's raw deflate and ours read each other, and the benchmark's 100-step flow fits in
//! 2,000 characters. The fuzz corpus is replayed here too.

#[path = "share_support/benchmark_flows.rs"]
mod benchmark_flows;
mod common;
#[path = "share_support/oracle.rs"]
mod oracle;

use common::*;
use plugboard_model::codec;
use plugboard_model::connector::{BoundConnection, ConnectionReference, ConnectionStatus};
use plugboard_model::flow::{Flow, OnError, Step, Subflow};
use plugboard_model::share::{
    self, body, decode_link, decode_link_with, deflate, encode_link, frame, text, LinkLimits,
    Payload, ShareError, SharedReference,
};
use proptest::prelude::*;
use uuid::Uuid;

/// `flow` with every id set to nil: what a link keeps of it.
fn without_ids(flow: &Flow) -> Flow {
    fn clear(steps: &mut [Step]) {
        for s in steps {
            s.id = Uuid::nil();
            clear(&mut s.children);
        }
    }
    let mut f = flow.clone();
    f.id = Uuid::nil();
    for sub in &mut f.subflows {
        clear(&mut sub.steps);
    }
    f
}

fn reference(logical: &str, display: &str, connector: &str) -> ConnectionReference {
    ConnectionReference {
        logical_name: logical.into(),
        display_name: display.into(),
        connector_id: connector.into(),
        connection_id: Some(format!("conn-{logical}-SECRET-ID")),
        environment_id: "env-OWNER-ENVIRONMENT".into(),
        connection: Some(BoundConnection {
            id: format!("conn-{logical}-SECRET-ID"),
            display_name: "alice@contoso.example (mailbox)".into(),
            status: ConnectionStatus::Connected,
            owner: "Alice Owner-of-Connection".into(),
            usable: true,
        }),
    }
}

fn send_mail(to: &str, reference: &str) -> Step {
    let mut s = step("connector:shared_office365/SendEmailV2").with_input("To", to);
    s.reference = Some(reference.into());
    s
}

/// A flow with every kind of field a step has, hostile text included.
fn sample() -> Flow {
    let mut retry = display("<img src=x onerror=alert(1)>");
    retry.on_error = Some(OnError {
        retries: 3,
        interval_secs: 4_000_000_000,
        continue_flow: true,
        go_to_label: Some("\u{202e}retry\u{200b}".into()),
    });
    let mut crm = step("connector:fabrikam_crm/CreateLead")
        .with_input("Name", "\"><svg onload=alert(1)>")
        .with_output("lead", "Lead");
    crm.reference = Some("pb_fabrikam_crm_0001".into());
    let mut f = flow_with(
        vec![
            set("Counter", "1"),
            send_mail("javascript:alert(1)", "pb_outlook_7f3a"),
            if_(
                "%Counter%",
                vec![
                    retry,
                    else_(),
                    disabled(send_mail("b@x", "pb_outlook_7f3a")),
                ],
            ),
            disabled(loop_("3", "I", vec![crm, exit_loop()])),
        ],
        vec![(
            "Helper \u{202e}evil\u{200b}",
            vec![
                comment("right-to-left \u{202e}txt.exe and zero\u{200b}width"),
                label("L"),
            ],
        )],
    );
    f.name = "Onboarding \u{1F680} \"quoted\" \\ back".into();
    f
}

fn environment() -> Vec<ConnectionReference> {
    vec![
        reference("pb_outlook_7f3a", "Outlook (Sales)", "shared_office365"),
        reference("pb_unused_0000", "Not used by the flow", "shared_office365"),
    ]
}

#[test]
fn a_link_opens_to_the_same_flow_with_fresh_ids_and_its_references() {
    let flow = sample();
    let link = encode_link(&flow, &environment());
    assert!(link.starts_with("pb1."), "{link}");
    let opened = decode_link(&format!("https://plugboard.example/#/s/{link}")).unwrap();
    assert_eq!(without_ids(&opened.flow), without_ids(&flow));
    assert_ne!(opened.flow.id, flow.id);
    let old: Vec<_> = flow.walk().iter().map(|(_, s)| s.id).collect();
    assert!(opened.flow.walk().iter().all(|(_, s)| !old.contains(&s.id)));
    assert_eq!(
        opened.references,
        vec![
            SharedReference {
                logical_name: "pb_outlook_7f3a".into(),
                connector_id: "shared_office365".into(),
                display_name: "Outlook (Sales)".into(),
            },
            // Not in the sharer's environment: no display name to carry.
            SharedReference {
                logical_name: "pb_fabrikam_crm_0001".into(),
                connector_id: "fabrikam_crm".into(),
                display_name: String::new(),
            },
        ]
    );
    // The fragment alone and the payload alone open too, and sharing again gives the same link.
    assert_eq!(
        decode_link(&format!("#/s/{link}")).unwrap().body(),
        opened.body()
    );
    assert_eq!(decode_link(&format!("  {link}\n")).unwrap().link(), link);
}

#[test]
fn a_link_holds_no_connection_owner_environment_or_id() {
    let flow = sample();
    let link = encode_link(&flow, &environment());
    let (stream, _) = text::read(&link).unwrap();
    let inflated = deflate::inflate(&stream, 1 << 20).unwrap();
    let inflated = String::from_utf8_lossy(&inflated);
    for secret in [
        "SECRET",
        "conn-",
        "Alice Owner",
        "alice@contoso",
        "env-OWNER",
        "Not used by the flow",
    ] {
        assert!(!inflated.contains(secret), "{secret} in the link's content");
    }
    let id = flow.subflows[0].steps[0].id;
    let bytes = share::pack(&flow, &environment());
    assert!(!inflated.contains(&id.to_string()));
    assert!(!bytes.windows(16).any(|w| w == id.as_bytes()));
    assert!(!inflated.contains(&flow.id.to_string()));
    // What the opener needs is there.
    for needed in ["pb_outlook_7f3a", "Outlook (Sales)", "shared_office365"] {
        assert!(inflated.contains(needed), "{needed} missing");
    }
}

#[test]
fn the_benchmarks_100_step_flow_fits_in_2000_characters() {
    let flow = benchmark_flows::generate_flow(100);
    assert_eq!(flow.step_count(), 100);
    let link = encode_link(&flow, &[]);
    assert!(link.len() <= 2000, "{} characters", link.len());
    let opened = decode_link(&link).unwrap();
    assert_eq!(without_ids(&opened.flow), without_ids(&flow));
}

#[test]
fn every_cut_of_a_link_says_it_is_incomplete() {
    let link = encode_link(&sample(), &environment());
    for cut in 0..link.len() {
        let err = decode_link(&link[..cut]).unwrap_err();
        let expected = if cut == 0 {
            ShareError::NotALink
        } else {
            ShareError::Truncated
        };
        assert_eq!(err, expected, "cut at {cut}");
    }
    assert_eq!(
        ShareError::Truncated.to_string(),
        "the link is incomplete: its end is missing (copy the whole link again)"
    );
}

/// Every one-character change of `link`: refused as damaged or cut, or (when it only changes
/// bits deflate ignores, such as the padding after a stored block's header) the very same flow.
/// Returns how many changes were refused.
fn changes_never_open_another_flow(link: &str) -> usize {
    let original = decode_link(link).unwrap().body();
    let alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut refused = 0;
    for i in 4..link.len() {
        for c in alphabet.chars().filter(|&c| !link[i..].starts_with(c)) {
            let mut bad = link.to_string();
            bad.replace_range(i..i + 1, &c.to_string());
            match decode_link(&bad) {
                Err(ShareError::Damaged { .. } | ShareError::Truncated) => refused += 1,
                Ok(same) if same.body() == original => {}
                other => panic!("{bad}: {other:?}"),
            }
        }
    }
    refused
}

#[test]
fn a_changed_character_never_opens_another_flow() {
    // Small flows are stored (deflate would make them longer), larger ones Huffman-coded.
    let small = encode_link(&flow(vec![set("A", "1"), comment("hello")]), &[]);
    let large = encode_link(&sample(), &environment());
    for link in [small, large.clone()] {
        let changes = (link.len() - 4) * 63;
        let refused = changes_never_open_another_flow(&link);
        // Only the few bits deflate skips may change unnoticed.
        assert!(
            refused * 100 >= changes * 99,
            "{refused} of {changes} refused"
        );
    }
    let link = large;
    // Characters added at the end are a change; one that leaves a character with no whole byte
    // reads as a cut instead (base64 never ends so), so add two then.
    let data_len = link.len() - "pb1.".len();
    let extra = if (data_len + 1) % 4 == 1 { "xy" } else { "x" };
    let err = decode_link(&format!("{link}{extra}"))
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("the link is damaged or was changed: "),
        "{err}"
    );
}

#[test]
fn other_texts_and_newer_links_say_what_they_are() {
    for text in [
        "https://plugboard.example/",
        "hello",
        "{\"schema\": 1}",
        "https://plugboard.example/#/s/hello",
        "   ",
    ] {
        assert_eq!(
            decode_link(text).unwrap_err(),
            ShareError::NotALink,
            "{text}"
        );
    }
    assert_eq!(
        ShareError::NotALink.to_string(),
        "this is not a Plugboard flow link (its flow part starts with pb1.)"
    );
    let newer = decode_link("https://plugboard.example/#/s/pb2.AnythingAtAll").unwrap_err();
    assert_eq!(
        newer.to_string(),
        "this link was made by a newer version of Plugboard (link format 2); this version \
         opens link format 1"
    );
}

#[test]
fn links_and_flows_over_the_limits_are_refused_before_the_work() {
    let flow = benchmark_flows::generate_flow(100);
    let link = encode_link(&flow, &[]);
    let limits = |f: fn(&mut LinkLimits)| {
        let mut l = LinkLimits::DEFAULT;
        f(&mut l);
        l
    };
    let at = |l: LinkLimits| {
        decode_link_with(&link, &l)
            .map(|_| ())
            .map_err(|e| e.to_string())
    };
    assert_eq!(
        at(limits(|l| l.max_link = 100)),
        Err(format!(
            "the link is {} characters long; the limit is 100",
            link.len()
        ))
    );
    assert_eq!(
        at(limits(|l| l.flow.max_bytes = 1000)),
        Err("the flow in this link is larger than the limit of 0.0 MiB".into())
    );
    assert_eq!(
        at(limits(|l| l.flow.max_steps = 99)),
        Err("the flow in this link has more than 99 steps".into())
    );
    assert_eq!(at(limits(|l| l.flow.max_steps = 100)), Ok(()));
    assert_eq!(
        at(limits(|l| l.flow.max_depth = 1)),
        Err("Main: blocks are nested more than 1 deep".into())
    );
    assert_eq!(at(limits(|l| l.flow.max_depth = 2)), Ok(()));
    // "Step 3: a note about what follows" is the first text over 30 bytes (step 3 of Main).
    assert_eq!(
        at(limits(|l| l.flow.max_string = 30)),
        Err(
            "Main, step 3: an input: a text of 33 bytes is longer than the limit of 30 bytes"
                .into()
        )
    );
    // A quote takes two bytes in the flow file, and the limit counts it so.
    let mut f = Flow::new("\"\"\"");
    f.subflows[0].steps.push(comment("x"));
    let err = decode_link_with(&encode_link(&f, &[]), &limits(|l| l.flow.max_string = 5));
    assert_eq!(
        err.unwrap_err().to_string(),
        "the flow's name: a text of 6 bytes is longer than the limit of 5 bytes"
    );
}

#[test]
fn a_decompression_bomb_stops_at_the_limit() {
    // 33 MiB of zeros behind a valid checksum: a link of about 45,000 characters.
    let bomb = text::write(&deflate::compress(&frame::seal(&vec![0u8; 33 << 20])));
    assert!(bomb.len() < 50_000, "{}", bomb.len());
    assert_eq!(
        decode_link(&bomb).unwrap_err().to_string(),
        "the flow in this link is larger than the limit of 32.0 MiB"
    );
}

/// The link error for a hand-written body behind a valid checksum.
fn body_error(body: &[u8]) -> String {
    let link = text::write(&deflate::compress(&frame::seal(body)));
    decode_link(&link).unwrap_err().to_string()
}

/// LEB128 texts for hand-written bodies: its length, then the bytes.
fn t(s: &str) -> Vec<u8> {
    let mut v = vec![s.len() as u8];
    v.extend_from_slice(s.as_bytes());
    v
}

fn bytes(parts: &[&[u8]]) -> Vec<u8> {
    parts.concat()
}

#[test]
fn a_valid_checksum_over_a_crafted_body_is_still_refused_with_the_byte() {
    let set = t("variables.set");
    let main = t("Main");
    // name "F", 1 action, 0 references, 1 subflow "Main" with one Set variable step.
    let good = bytes(&[&t("F"), &[1], &set, &[0, 1], &main, &[1, 0, 0, 0]]);
    let opened = body::decode(&good, &LinkLimits::DEFAULT).unwrap();
    assert_eq!(opened.flow.subflows[0].steps[0].action, "variables.set");
    assert_eq!(opened.body(), good);
    let cases: Vec<(Vec<u8>, &str)> = vec![
        (vec![], "byte 0: a number runs past the end"),
        (bytes(&[&t("F"), &[1], &set, &[0, 0]]), "no subflows; it needs at least Main"),
        (
            bytes(&[&good, &[0]]),
            "byte 28: bytes follow the last subflow",
        ),
        (
            bytes(&[&t("F"), &[2], &set, &set, &[0, 1], &main, &[1, 0, 0, 0]]),
            "byte 17: \"variables.set\" is listed twice in the actions",
        ),
        (
            bytes(&[&t("F"), &[2], &set, &t("flow.wait"), &[0, 1], &main, &[1, 0, 0, 0]]),
            "byte 17: action \"flow.wait\" is listed but no step uses it",
        ),
        (
            bytes(&[&t("F"), &[2], &set, &t("flow.wait"), &[0, 1], &main, &[2, 16, 0, 0, 0, 0, 0]]),
            "action index 1 is used before index 0",
        ),
        (
            bytes(&[&t("F"), &[1], &set, &[0, 1], &main, &[1, 32, 0, 0]]),
            "action index 2 is out of range (the table has 1)",
        ),
        (
            bytes(&[&t("F"), &[1], &set, &[0, 1], &main, &[1, 0, 2], &t("b"), &t("1"), &t("a"), &t("2"), &[0]]),
            "Main, step 1: an input: names out of order at \"a\"",
        ),
        (
            bytes(&[&t("F"), &[1], &set, &[0, 1], &main, &[1, 8, 0, 0, 0]]),
            "a step said to hold steps holds none",
        ),
        (
            bytes(&[&t("F"), &[1], &set, &[0, 1], &main, &[1, 4, 0, 0, 1, 2, 7]]),
            "on error is 7, not 0, 1 or 2",
        ),
        (
            bytes(&[&t("F"), &[1], &set, &[1], &t("pb_x"), &t("outlook"), &t(""), &[1], &main, &[1, 2, 0, 0, 0]]),
            "connection reference pb_x is for connector \"outlook\", but no connector step names it",
        ),
        (
            bytes(&[&t("F"), &[1], &set, &[0, 1], &main, &[0x80, 0x80, 0x80, 0x80, 0x10]]),
            "a number is larger than 4294967295",
        ),
        (
            bytes(&[&t("F"), &[1], &set, &[0, 1], &main, &[1, 0, 0x80, 0]]),
            "a number is not in its shortest form",
        ),
    ];
    for (body, expected) in cases {
        let err = body_error(&body);
        assert!(
            err.starts_with("the link holds no valid flow: byte "),
            "{err}"
        );
        assert!(err.contains(expected), "{err} lacks {expected}");
    }
}

#[test]
fn a_flow_compressed_by_the_browsers_deflate_raw_opens() {
    // `tests/fixtures/share/browser-link.txt` holds `pack(browser_flow())` compressed by
    // Chromium's `CompressionStream("deflate-raw")`, written by `make-browser-link.sh` (which
    // also checks that Chromium's `DecompressionStream` inflates our link to the same bytes).
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/share");
    let link = std::fs::read_to_string(format!("{dir}/browser-link.txt")).unwrap();
    let opened = decode_link(&link).unwrap();
    assert_eq!(without_ids(&opened.flow), without_ids(&browser_flow()));
    assert_eq!(opened.references[0].display_name, "Outlook (Sales)");
    // The bytes the browser compressed are the bytes we would have.
    let packed = std::fs::read_to_string(format!("{dir}/browser-pack.hex")).unwrap();
    assert_eq!(
        packed.trim(),
        hex(&share::pack(&browser_flow(), &environment()))
    );
    // Its stream differs from ours (another deflate), and each reads the other's.
    assert_ne!(link.trim(), encode_link(&browser_flow(), &environment()));
    // The designer's path when the browser inflates: read, inflate elsewhere, open.
    let payload = Payload::read(&link, &LinkLimits::DEFAULT).unwrap();
    let inflated = deflate::inflate(&payload.stream, 1 << 20).unwrap();
    let opened_there = payload.open(&inflated, &LinkLimits::DEFAULT).unwrap();
    assert_eq!(opened_there.body(), opened.body());
}

/// Writes the inputs of `tests/fixtures/share/make-browser-link.sh` (which runs it).
#[test]
#[ignore = "writes fixtures; run by tests/fixtures/share/make-browser-link.sh"]
fn write_browser_fixture() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/share");
    let pack = hex(&share::pack(&browser_flow(), &environment()));
    std::fs::write(format!("{dir}/browser-pack.hex"), pack + "\n").unwrap();
    let ours = encode_link(&browser_flow(), &environment());
    std::fs::write(format!("{dir}/miniz-link.txt"), ours).unwrap();
}

/// The flow behind the browser-compressed fixture.
fn browser_flow() -> Flow {
    let mut f = benchmark_flows::generate_flow(20);
    f.subflows[0]
        .steps
        .push(send_mail("ops@contoso.example", "pb_outlook_7f3a"));
    f
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn the_saved_fuzz_inputs_still_hold() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/fuzz/corpus/share_link");
    let mut n = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        oracle::check(&std::fs::read(&path).unwrap());
        n += 1;
    }
    assert!(n >= 10, "only {n} saved inputs in {dir}");
}

// ---------------------------------------------------------------- properties

/// Any text, control characters, quotes, right-to-left marks and astral characters included.
fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9 %]{0,6}",
        "\\PC{0,6}",
        "[\u{0}-\u{1f}\"\\\\\u{202e}\u{200b}\u{1F680}]{0,4}",
    ]
}

fn any_action() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("variables.set".to_string()),
        Just("flow.comment".to_string()),
        Just("conditionals.if".to_string()),
        "connector:[a-z_]{1,6}/[A-Za-z]{1,6}",
        any_text(),
    ]
}

fn any_leaf() -> impl Strategy<Value = Step> {
    (
        any_action(),
        prop::collection::btree_map(any_text(), any_text(), 0..3),
        prop::collection::btree_map(any_text(), any_text(), 0..2),
        any::<bool>(),
        prop::option::of(prop_oneof![
            Just("pb_a".to_string()),
            Just("pb_b".to_string()),
            any_text()
        ]),
        prop::option::of((
            any::<u32>(),
            any::<u32>(),
            any::<bool>(),
            prop::option::of(any_text()),
        )),
    )
        .prop_map(|(action, inputs, outputs, enabled, reference, on_error)| {
            let mut s = Step::new(action);
            s.inputs = inputs;
            s.outputs = outputs;
            s.enabled = enabled;
            s.reference = reference;
            s.on_error = on_error.map(|(retries, interval_secs, continue_flow, label)| OnError {
                retries,
                interval_secs,
                continue_flow,
                // A label is where a flow that continues goes: only with continue.
                go_to_label: label.filter(|_| continue_flow),
            });
            s
        })
}

fn any_step() -> impl Strategy<Value = Step> {
    any_leaf().prop_recursive(5, 48, 4, |inner| {
        (any_leaf(), prop::collection::vec(inner, 1..4))
            .prop_map(|(s, children)| s.with_children(children))
    })
}

fn any_flow() -> impl Strategy<Value = Flow> {
    (
        any_text(),
        prop::collection::vec((any_text(), prop::collection::vec(any_step(), 0..5)), 1..4),
    )
        .prop_map(|(name, subs)| {
            let mut f = Flow::new(name);
            f.subflows = subs
                .into_iter()
                .map(|(name, steps)| Subflow { name, steps })
                .collect();
            f
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn any_flow_round_trips_through_a_link(f in any_flow(), display in any_text()) {
        let env = vec![reference("pb_a", &display, "x")];
        let link = encode_link(&f, &env);
        let opened = decode_link(&link).unwrap();
        prop_assert_eq!(without_ids(&opened.flow), without_ids(&f));
        // One flow, one body; the opened flow imports from its file.
        prop_assert_eq!(opened.link(), link);
        prop_assert_eq!(codec::decode(&codec::encode(&opened.flow)).unwrap(), opened.flow.clone());
        for r in &opened.references {
            let expected = if r.logical_name == "pb_a" { display.as_str() } else { "" };
            prop_assert_eq!(&r.display_name, expected);
        }
    }

    #[test]
    fn a_changed_body_byte_is_refused_or_reads_back_to_itself(
        f in any_flow(), at in any::<usize>(), bits in 1..=255u8,
    ) {
        let mut data = vec![1u8];
        data.extend(body::encode(&f, |_| None));
        let i = 1 + at % (data.len() - 1);
        data[i] ^= bits;
        oracle::check(&data);
    }
}
