//! AFL++ target: the share-link decoder, layer picked by the first byte (see the oracle).
//! Run it with `scripts/fuzz-share.sh`; the inputs worth keeping go to `corpus/share_link/`,
//! which `cargo test -p plugboard-model --test share` replays.

#[path = "../tests/share_support/oracle.rs"]
mod oracle;

fn main() {
    afl::fuzz!(|data: &[u8]| oracle::check(data));
}
