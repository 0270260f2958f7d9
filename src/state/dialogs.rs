//! What the open dialogs edit or report back to: the action dialog's target, "Select a
//! connection reference" and "Add new connection reference" (each opened by a request that says
//! what to do with the outcome).

use crate::cloud::Then;
use plugboard_model::connector::ConnectionReference;
use plugboard_model::flow::{Pos, Step, StepId};

/// What the action dialog is editing.
// One exists at a time (the open dialog's), so the size gap between variants costs nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq)]
pub enum DialogTarget {
    /// A new step that Save inserts at `at` (Cancel adds nothing).
    New { step: Step, at: Pos },
    /// An existing step; Save replaces its configuration.
    Existing { id: StepId },
}

/// "Select a connection reference" is open for this connector; picking calls `on_pick`.
#[derive(Clone)]
pub struct PickerRequest {
    pub connector: String,
    pub selected: Option<String>,
    pub on_pick: Then<String>,
}

/// "Add new connection reference" is open for this connector; `on_done` gets the new reference.
#[derive(Clone)]
pub struct AddReferenceRequest {
    pub connector: String,
    /// Why the dialog opened by itself (no compatible reference yet), if it did.
    pub prompt: Option<String>,
    /// Bind a reference the flow already names (same logical name) instead of adding a new one.
    pub fixed: Option<FixedReference>,
    pub on_done: Then<ConnectionReference>,
}

/// A reference the flow names: create it in this environment (`exists: false`) or bind the one
/// that is here without a connection (`exists: true`).
#[derive(Clone)]
pub struct FixedReference {
    pub logical_name: String,
    pub display_name: String,
    pub exists: bool,
}
