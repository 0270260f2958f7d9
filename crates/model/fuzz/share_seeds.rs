//! Writes the first inputs of the share-link fuzz target into the directory given: the body
//! and the link of a few flows (the benchmark's, one with references and every step field, an
//! empty one), each behind the mode byte the oracle reads.

#[path = "../tests/share_support/benchmark_flows.rs"]
mod benchmark_flows;

use plugboard_model::connector::ConnectionReference;
use plugboard_model::flow::{Flow, OnError, Step};
use plugboard_model::share::{self, frame};

fn main() {
    let dir = std::env::args().nth(1).expect("usage: share_seeds DIR");
    let mut rich = Flow::new("Rich \"flow\"");
    let mut mail = Step::new("connector:shared_office365/SendEmailV2").with_input("To", "a@b");
    mail.reference = Some("pb_outlook_7f3a".into());
    mail.on_error = Some(OnError {
        retries: 2,
        interval_secs: 5,
        continue_flow: true,
    });
    let mut off = Step::new("flow.comment").with_input("comment", "off");
    off.enabled = false;
    rich.subflows[0].steps = vec![
        Step::new("conditionals.if")
            .with_input("first", "%A%")
            .with_children(vec![mail, Step::new("conditionals.else"), off]),
        Step::new("variables.set")
            .with_input("value", "1")
            .with_output("variable", "A"),
    ];
    rich.subflows.push(plugboard_model::flow::Subflow {
        name: "Helper".into(),
        steps: vec![Step::new("flow.label").with_input("name", "L")],
    });
    let env = [ConnectionReference {
        logical_name: "pb_outlook_7f3a".into(),
        display_name: "Outlook".into(),
        connector_id: "shared_office365".into(),
        ..ConnectionReference::default()
    }];
    let flows = [
        ("empty", Flow::new("")),
        ("rich", rich),
        ("generated10", benchmark_flows::generate_flow(10)),
        ("generated30", benchmark_flows::generate_flow(30)),
    ];
    for (name, flow) in flows {
        let packed = share::pack(&flow, &env);
        let body = frame::open(&packed).expect("a packed flow opens");
        write(&dir, &format!("{name}.body"), 1, body);
        write(
            &dir,
            &format!("{name}.link"),
            0,
            share::encode_link(&flow, &env).as_bytes(),
        );
    }
}

fn write(dir: &str, name: &str, mode: u8, data: &[u8]) {
    let mut bytes = vec![mode];
    bytes.extend_from_slice(data);
    std::fs::write(format!("{dir}/{name}"), bytes).expect("the seed directory is writable");
}
