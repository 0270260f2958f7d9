//! Plugboard's model: the flow document, the action catalog, edit commands with undo, the action
//! dialog's drafts, the flow checker, the flow's connection references and the flow codecs.
//! Pure Rust, shared by the designer (wasm) and the proxy.

pub mod catalog;
pub mod check;
pub mod codec;
pub mod command;
pub mod connector;
pub mod draft;
pub mod expr;
pub mod flow;
pub mod history;
pub mod library;
mod names;
pub mod order;
pub mod references;
pub mod rows;
pub mod search;
pub mod summary;

pub use catalog::{ActionDef, Catalog, Category, Output, Param, ParamType, Shape, Visibility};
pub use check::{check, Problem};
pub use codec::{decode, decode_steps, decode_with, encode, encode_steps, DecodeError, Limits};
pub use command::{apply, Command, CommandError, Edit};
pub use flow::{Flow, OnError, Pos, Step, StepConfig, StepId, Subflow};
pub use history::{Editor, Revision};
