//! The bounds a flow text is read within (size, block depth, step count, string length).

/// Bounds on what `decode_with` accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Size of the whole text in bytes.
    pub max_bytes: usize,
    /// How deep steps may nest: 1 = top-level steps only, 2 = steps inside one block, ….
    pub max_depth: usize,
    /// Steps in all subflows together.
    pub max_steps: usize,
    /// Bytes in one JSON string (as written, escapes included).
    pub max_string: usize,
}

impl Limits {
    /// Generous enough for 10,000+ step flows, small enough to keep a tab responsive.
    pub const DEFAULT: Limits = Limits {
        max_bytes: 32 * 1024 * 1024,
        max_depth: 64,
        max_steps: 100_000,
        max_string: 1024 * 1024,
    };

    /// JSON nesting allowed for `max_depth` steps: the flow object, the subflow list, a subflow,
    /// its step list, then per step level a step object and its children list (the deepest step
    /// also opens its inputs map): 2 × depth + 4. Two more levels let one step too many through
    /// to the step check, which names that step.
    pub(super) fn json_depth(&self) -> usize {
        self.max_depth.saturating_mul(2).saturating_add(6)
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits::DEFAULT
    }
}
