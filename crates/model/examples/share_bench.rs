//! Share-link benchmark (native): link length for the benchmark's generated 10-, 100- and
//! 1,000-step flows beside plain JSON + base64 and JSON + deflate + base64 (what Mermaid Live
//! does), and encode/decode time for 100 steps, each beside its target.
//! `cargo run --release -p plugboard-model --example share_bench`

#[path = "../tests/share_support/benchmark_flows.rs"]
mod benchmark_flows;

use plugboard_model::share::{decode_link, deflate, encode_link, text};
use std::time::{Duration, Instant};

/// base64url characters for `bytes` (the `pb1.` prefix left out: baselines have none).
fn base64_len(bytes: &[u8]) -> usize {
    text::write(bytes).len() - 4
}

fn main() {
    println!("share link length, characters (target: 100 steps ≤ 2,000)");
    println!(
        "{:>6} {:>14} {:>22} {:>12} {:>10}",
        "steps", "JSON+base64", "JSON+deflate+base64", "share link", "vs deflate"
    );
    for n in [10, 100, 1000] {
        let flow = benchmark_flows::generate_flow(n);
        // Compact JSON: the smallest JSON the baselines could start from.
        let json = serde_json::to_vec(&flow).expect("a flow serializes");
        let plain = base64_len(&json);
        let deflated = base64_len(&deflate::compress(&json));
        let link = encode_link(&flow, &[]).len();
        println!(
            "{n:>6} {plain:>14} {deflated:>22} {link:>12} {:>9.0}%",
            100.0 * link as f64 / deflated as f64
        );
    }

    let flow = benchmark_flows::generate_flow(100);
    let runs = 200;
    let (mut enc, mut dec) = (Vec::with_capacity(runs), Vec::with_capacity(runs));
    for _ in 0..runs {
        let start = Instant::now();
        let link = encode_link(&flow, &[]);
        let mid = Instant::now();
        let opened = decode_link(&link).expect("the link opens");
        enc.push(mid - start);
        dec.push(mid.elapsed());
        std::hint::black_box(opened);
    }
    let total: Vec<Duration> = enc.iter().zip(&dec).map(|(e, d)| *e + *d).collect();
    println!();
    println!("100 steps, {runs} runs, native release build (target: encode + decode ≤ 5 ms)");
    println!("{:>16} {:>10} {:>10}", "", "median", "p95");
    for (name, times) in [("encode", enc), ("decode", dec), ("encode + decode", total)] {
        let (median, p95) = percentiles(times);
        println!("{name:>16} {:>8.3}ms {:>8.3}ms", ms(median), ms(p95));
    }
}

fn percentiles(mut times: Vec<Duration>) -> (Duration, Duration) {
    times.sort();
    (times[times.len() / 2], times[times.len() * 95 / 100])
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
