//! The flow runtime: runs a flow step by step in the designer (wasm) or natively. Standard
//! actions run here; connector actions, HTTP, waits, dialogs and the clock are asked of the host
//! (`Need` / `Answer`), so the same code runs in a single-threaded browser with no clock of its own.
//!
//! ```text
//! let mut run = Run::new(&flow, &catalog, Options::default())?;
//! loop { match run.step() { Need::Ready => {}, Need::Done(outcome) => break, need => run.answer(ask_host(need)) } }
//! ```
//!
//! The designer sets `Options::case` to its own case conversion (the browser's for non-ASCII
//! text) and `Options::seed` from the clock; breakpoints and "Run next action" are the host
//! not calling `step` again while `next_step()` is a breakpoint; "Run from here" is
//! `Run::from_step`.
//!
//! - `compile`: the flow as flat operations per subflow; structure errors before the first step
//! - `machine`: `Run`, the state machine (control flow, on-error policies, bounds, cancel)
//! - `host`: what a run asks of its host; the `Host` trait and `drive` for synchronous hosts
//! - `eval`: `%…%` expressions; `value`: what variables hold; `conditions`: comparison operators
//! - `actions`, `text`, `data`: the standard actions; `datetime`: calendar arithmetic, formats

mod actions;
mod compile;
mod conditions;
mod data;
pub mod datetime;
pub mod eval;
pub mod host;
pub mod machine;
mod text;
pub mod value;

pub use datetime::DateTime;
pub use host::{
    drive, Answer, ConnectorCall, Host, HttpRequest, HttpResponse, InputAnswer, InputRequest,
    Message, Need,
};
pub use machine::{Entry, Failure, Options, Outcome, Run, Status};
pub use value::Value;
