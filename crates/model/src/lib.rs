//! Plugboard's model: the flow document, the action catalog, edit commands with undo, the action
//! dialog's drafts, the flow checker, the flow's connection references, the flow codecs and share
//! links, the flow runtime, and connector execution's wire types and checks. Pure Rust, shared by
//! the designer (wasm) and the proxy.

pub mod catalog;
pub mod check;
pub mod codec;
pub mod command;
pub mod connector;
pub mod draft;
pub mod execute;
pub mod expr;
pub mod flow;
pub mod history;
pub mod library;
mod names;
pub mod order;
pub mod references;
pub mod rows;
pub mod runtime;
pub mod search;
pub mod share;
pub mod summary;

pub use catalog::{ActionDef, Catalog, Category, Output, Param, ParamType, Shape, Visibility};
pub use check::{check, Problem};
pub use codec::{decode, decode_steps, decode_with, encode, encode_steps, DecodeError, Limits};
pub use command::{apply, Command, CommandError, Edit};
pub use flow::{Flow, OnError, Pos, Step, StepConfig, StepId, Subflow};
pub use history::{Editor, Revision};
pub use share::{decode_link, encode_link, LinkLimits, ShareError, SharedFlow, SharedReference};
