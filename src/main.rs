//! Plugboard designer entry point: mount the app.
//!
//! The modules are layered; each imports only from its own layer or the ones below it:
//! - leaves: `platform` (storage, files, focus, the canvas's DOM ids and geometry), `markup`
//!   (the string-built lists), `text`, `api`, `icons`, `modal`;
//! - state: `cloud` (the proxy-backed state), `state` (`Designer`), `flows` (kept flows,
//!   autosave), `problems` (the checker's findings), `run` (the flow run and its host);
//! - gestures: `gestures` (delete, nudge, drop, paste, copy, open a new step);
//! - panes and dialogs: `canvas` (its lines: `line`), `drag`, `keys`, `menu`, `subflows`,
//!   `flow_header`, `library`, `side`, `variables`, `references`, `errors`, `dialog`, `connect`,
//!   `account`, `run_panel`, `run_dialogs`, `value_view`, `storage_notice`, `share`;
//! - the app: `app`.

// Leaves.
mod api;
mod icons;
mod markup;
mod modal;
mod platform;
mod text;
// State.
mod cloud;
mod flows;
mod problems;
mod run;
mod state;
// Gestures.
mod gestures;
// Panes and dialogs.
mod account;
mod canvas;
mod connect;
mod dialog;
mod drag;
mod errors;
mod flow_header;
mod keys;
mod library;
mod line;
mod menu;
mod references;
mod run_dialogs;
mod run_panel;
mod share;
mod side;
mod storage_notice;
mod subflows;
mod value_view;
mod variables;
// The app.
mod app;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
