//! What a run asks of its host and how the host answers: connector calls (by reference logical
//! name, connector id, operation id and JSON inputs), HTTP requests, waits, message boxes, input
//! dialogs and the clock. `Host` is the same conversation as a trait, with `drive` running a
//! flow to its end on a synchronous host (native tests, the benchmark); the browser answers
//! each `Need` itself, asynchronously, between calls to `Run::step`.

use super::datetime::DateTime;
use super::machine::{Outcome, Run};
use crate::flow::StepId;

/// What `Run::step` needs before the run can go on.
#[derive(Clone, Debug, PartialEq)]
pub enum Need {
    /// A step ran; call `step` again (or pause here: a breakpoint, "Run next action").
    Ready,
    /// Execute a connector action; answer `Answer::Connector`.
    Connector(ConnectorCall),
    /// Send an HTTP request (Invoke web service); answer `Answer::Http`.
    Http(HttpRequest),
    /// Wait this long (Wait, or the interval before a retry); answer `Answer::Waited`.
    Wait { ms: u64 },
    /// Show a message box; answer `Answer::Button` with the button pressed.
    Message(Message),
    /// Ask for a text; answer `Answer::Input`.
    Input(InputRequest),
    /// Tell the local date and time; answer `Answer::Now`.
    Now,
    /// The run is over.
    Done(Outcome),
}

/// The host's answer to the `Need` the run is waiting on.
#[derive(Clone, Debug, PartialEq)]
pub enum Answer {
    /// The response body of the connector call, or why it failed (a sentence, never a secret).
    Connector(Result<serde_json::Value, String>),
    Http(Result<HttpResponse, String>),
    Waited,
    /// The message box's button, as written in its `buttons` (`OK`, `Cancel`, `Yes`…).
    Button(String),
    Input(InputAnswer),
    Now(DateTime),
}

impl Answer {
    /// What the answer is, for the message when it answers a different need.
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Answer::Connector(_) => "a connector result",
            Answer::Http(_) => "an HTTP response",
            Answer::Waited => "the end of a wait",
            Answer::Button(_) => "a button",
            Answer::Input(_) => "an input",
            Answer::Now(_) => "the time",
        }
    }
}

/// A connector action to execute through the proxy (`POST /api/environments/{env}/execute`).
#[derive(Clone, Debug, PartialEq)]
pub struct ConnectorCall {
    pub step: StepId,
    /// The connection reference's logical name (the proxy binds it to a connection).
    pub reference: String,
    pub connector_id: String,
    pub operation_id: String,
    /// Each input's value by parameter name (inputs left empty are not sent).
    pub inputs: serde_json::Map<String, serde_json::Value>,
}

/// An Invoke web service request.
#[derive(Clone, Debug, PartialEq)]
pub struct HttpRequest {
    pub step: StepId,
    pub method: String,
    pub url: String,
    /// `Accept` and `Content-Type` first, then the custom headers, as `(name, value)`.
    pub headers: Vec<(String, String)>,
    pub body: String,
    pub timeout_secs: u32,
}

/// What came back from an HTTP request.
#[derive(Clone, Debug, PartialEq)]
pub struct HttpResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

/// A message box to show (Display message).
#[derive(Clone, Debug, PartialEq)]
pub struct Message {
    pub step: StepId,
    pub title: String,
    pub message: String,
    /// `None`, `Information`, `Question`, `Warning` or `Error`.
    pub icon: String,
    /// The buttons to offer, e.g. `["Yes", "No", "Cancel"]`.
    pub buttons: Vec<String>,
}

/// An input dialog to show (Display input dialog).
#[derive(Clone, Debug, PartialEq)]
pub struct InputRequest {
    pub step: StepId,
    pub title: String,
    pub message: String,
    pub default: String,
    /// `Single line`, `Password` or `Multiline`.
    pub input_type: String,
}

/// What the user typed and which button closed the dialog (`OK` or `Cancel`).
#[derive(Clone, Debug, PartialEq)]
pub struct InputAnswer {
    pub text: String,
    pub button: String,
}

/// A host that answers synchronously. Its methods are the `Need`s; errors are sentences.
pub trait Host {
    fn execute(&mut self, call: &ConnectorCall) -> Result<serde_json::Value, String>;
    fn http(&mut self, request: &HttpRequest) -> Result<HttpResponse, String>;
    fn wait(&mut self, ms: u64);
    fn message(&mut self, message: &Message) -> String;
    fn input(&mut self, request: &InputRequest) -> InputAnswer;
    fn now(&mut self) -> DateTime;
    /// Asked before each step: `true` cancels the run there.
    fn cancelled(&mut self) -> bool {
        false
    }
}

/// Run `run` to its end, answering each need from `host`.
pub fn drive(run: &mut Run, host: &mut dyn Host) -> Outcome {
    loop {
        if host.cancelled() {
            run.cancel();
        }
        let answer = match run.step() {
            Need::Ready => continue,
            Need::Done(outcome) => return outcome,
            Need::Connector(call) => Answer::Connector(host.execute(&call)),
            Need::Http(request) => Answer::Http(host.http(&request)),
            Need::Wait { ms } => {
                host.wait(ms);
                Answer::Waited
            }
            Need::Message(m) => Answer::Button(host.message(&m)),
            Need::Input(r) => Answer::Input(host.input(&r)),
            Need::Now => Answer::Now(host.now()),
        };
        run.answer(answer);
    }
}
