//! Pointer-event drags (mouse, touch, pen) from the library or the canvas onto the canvas: the
//! window listeners that follow and finish them, and the ghost under the pointer. A press starts
//! one (`gestures::press`); a drop goes through `gestures::drop_at`, as the keyboard's moves do.

use crate::gestures;
use crate::platform::{self, FLOW_LINES, FLOW_SCROLLER, ROW_HEIGHT};
use crate::state::{use_designer, Designer};
use crate::text::px;
use leptos::ev;
use leptos::prelude::*;

/// Pixels the pointer must travel before a press becomes a drag.
const THRESHOLD: f64 = 5.0;

/// The gap between lines under the pointer, if it is over the canvas.
fn gap_at(d: &Designer, x: f64, y: f64) -> Option<usize> {
    let scroller = platform::element(FLOW_SCROLLER)?;
    let r = scroller.get_bounding_client_rect();
    if x < r.left() || x > r.right() || y < r.top() || y > r.bottom() {
        return None;
    }
    let list = platform::element(FLOW_LINES)?;
    let top = list.get_bounding_client_rect().top();
    let n = d.rows.with_untracked(|r| r.len());
    let gap = ((y - top) / ROW_HEIGHT).round().max(0.0) as usize;
    Some(gap.min(n))
}

/// Scroll the canvas while the pointer is near its top or bottom edge during a drag.
fn autoscroll(y: f64) {
    let Some(s) = platform::element(FLOW_SCROLLER) else {
        return;
    };
    let r = s.get_bounding_client_rect();
    let edge = 40.0;
    if y < r.top() + edge && y > r.top() - edge {
        s.set_scroll_top(s.scroll_top() - 12);
    } else if y > r.bottom() - edge && y < r.bottom() + edge {
        s.set_scroll_top(s.scroll_top() + 12);
    }
}

/// Install the window listeners that follow and finish drags. Call once, in the app.
pub fn install() {
    let d = use_designer();
    let moved = window_event_listener(ev::pointermove, move |ev| {
        let Some(mut drag) = d.drag.get_untracked() else {
            return;
        };
        if drag.pointer_id != ev.pointer_id() {
            return;
        }
        let at = (ev.client_x() as f64, ev.client_y() as f64);
        let dist = ((at.0 - drag.start.0).powi(2) + (at.1 - drag.start.1).powi(2)).sqrt();
        if !drag.active && dist < THRESHOLD {
            return;
        }
        ev.prevent_default();
        drag.active = true;
        drag.at = at;
        drag.gap = gap_at(&d, at.0, at.1);
        autoscroll(at.1);
        d.drag.set(Some(drag));
    });
    let up = window_event_listener(ev::pointerup, move |ev| {
        let Some(drag) = d.drag.get_untracked() else {
            return;
        };
        if drag.pointer_id != ev.pointer_id() {
            return;
        }
        d.drag.set(None);
        if !drag.active {
            return;
        }
        let Some(gap) = gap_at(&d, ev.client_x() as f64, ev.client_y() as f64) else {
            return;
        };
        gestures::drop_at(&d, drag.source, gap);
    });
    let cancel = window_event_listener(ev::pointercancel, move |_| d.drag.set(None));
    let esc = window_event_listener(ev::keydown, move |ev| {
        if ev.key() == "Escape" && d.drag.with_untracked(Option::is_some) {
            d.drag.set(None);
        }
    });
    on_cleanup(move || {
        moved.remove();
        up.remove();
        cancel.remove();
        esc.remove();
    });
}

/// The ghost that follows the pointer and the insertion line on the canvas.
#[component]
pub fn DragGhost() -> impl IntoView {
    let d = use_designer();
    let active = move || d.drag.with(|g| g.as_ref().is_some_and(|g| g.active));
    view! {
        <Show when=active>
            <div
                class="drag-ghost"
                aria-hidden="true"
                style:left=move || d.drag.with(|g| g.as_ref().map_or(String::new(), |g| px(g.at.0 as i64 + 12)))
                style:top=move || d.drag.with(|g| g.as_ref().map_or(String::new(), |g| px(g.at.1 as i64 + 8)))
            >
                {move || d.drag.with(|g| g.as_ref().map(|g| g.label.clone()).unwrap_or_default())}
            </div>
        </Show>
    }
}
