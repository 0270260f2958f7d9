//! The "Flow" pane: numbered lines of the shown subflow, drawn virtually (only the lines in view
//! exist in the DOM), with selection, drag sources and the drop insertion line.

use crate::gestures;
use crate::line::{describe, line_body, LineContent, LineRun};
use crate::platform::{element, FLOW_LINES, FLOW_SCROLLER, INDENT_PX, ROW_HEIGHT, ROW_PX};
use crate::state::{use_designer, DialogTarget, DragSource};
use crate::text::{actions_label, px};
use leptos::ev;
use leptos::prelude::*;
use plugboard_model::rows::{drop_depth, RowKind};

/// Lines drawn above and below the visible ones so fast scrolling does not show blanks.
const OVERSCAN: usize = 10;

/// A drawn line: its content and where it sits. Placement changes (an insert above shifts every
/// number) only update attributes of the lines already drawn.
#[derive(Clone, PartialEq)]
struct LineView {
    content: LineContent,
    line: usize,
    selected: bool,
    total: usize,
}

#[component]
pub fn FlowPane() -> impl IntoView {
    let d = use_designer();
    let runner = crate::run::use_runner();
    let scroll_top = RwSignal::new(0.0f64);
    let view_height = RwSignal::new(900.0f64);
    // Found by id, not through a node ref: no element reference code in the wasm at all.
    let scroller = || element(FLOW_SCROLLER);

    let measure = move || {
        if let Some(el) = scroller() {
            view_height.set(el.client_height() as f64);
            scroll_top.set(el.scroll_top() as f64);
        }
    };
    // An effect first runs once the pane is mounted.
    Effect::new(move |_| measure());
    let resize = window_event_listener(ev::resize, move |_| measure());
    on_cleanup(move || resize.remove());

    // Keep the cursor line in view when asked (keyboard moves, Errors panel clicks).
    Effect::new(move |_| {
        d.reveal.track();
        let Some(id) = d.cursor() else { return };
        let (Some(line), Some(el)) = (d.line_of(id), scroller()) else {
            return;
        };
        // From the kept scroll position and height, not the element's: the edit that asked
        // has just changed the DOM, and reading its layout here would lay out the whole canvas
        // once more before the frame.
        let top = line as f64 * ROW_HEIGHT;
        let st = scroll_top.get_untracked();
        let h = view_height.get_untracked();
        let to = if top < st {
            top
        } else if top + ROW_HEIGHT > st + h {
            top + ROW_HEIGHT - h
        } else {
            return;
        };
        el.set_scroll_top(to as i32);
        scroll_top.set(to.max(0.0));
    });

    let problems = crate::problems::use_problems();
    let error_ids = Memo::new(move |_| {
        problems.with(|p| {
            p.iter()
                .map(|p| p.step)
                .collect::<std::collections::HashSet<_>>()
        })
    });
    let visible = Memo::new(move |_| {
        let st = scroll_top.get();
        let vh = view_height.get();
        let selection = d.selection.get();
        // Connector definitions arrive after the flow: redraw their names and icons then.
        d.catalog_rev.track();
        let running = runner.current.get();
        let badge = if runner.phase.get() == crate::run::Phase::Paused {
            "Paused here"
        } else {
            "Running"
        };
        let marks = runner.marks;
        let breakpoints = runner.breakpoints;
        d.rows.with(|rows| {
            let total = rows.len();
            let first = ((st / ROW_HEIGHT).floor() as usize).saturating_sub(OVERSCAN);
            let last = (((st + vh) / ROW_HEIGHT).ceil() as usize + OVERSCAN).min(total);
            d.editor.with(|e| {
                d.catalog.with_value(|cat| {
                    (first.min(last)..last)
                        .filter_map(|i| {
                            let row = rows[i];
                            let step = e.flow().step(row.id)?;
                            let end = row.kind == RowKind::End;
                            let (name, summary, icon) = describe(step, end, cat);
                            Some(LineView {
                                line: i,
                                selected: selection.contains(&row.id),
                                total,
                                content: LineContent {
                                    id: row.id,
                                    end,
                                    depth: row.depth,
                                    name,
                                    summary,
                                    icon,
                                    enabled: step.enabled,
                                    error: !end && error_ids.with(|e| e.contains(&row.id)),
                                    run: LineRun {
                                        mark: if end {
                                            None
                                        } else {
                                            marks.with(|m| {
                                                m.get(&row.id)
                                                    .map(|m| (m.mark, m.ms.round() as u64))
                                            })
                                        },
                                        breakpoint: !end
                                            && breakpoints.with(|b| b.contains(&row.id)),
                                        running: (!end && running == Some(row.id)).then_some(badge),
                                    },
                                },
                            })
                        })
                        .collect::<Vec<_>>()
                })
            })
        })
    });

    let total_height = move || px(d.rows.with(|r| r.len()) as i64 * ROW_PX);
    let insertion = move || {
        d.drag.with(|g| {
            let g = g.as_ref().filter(|g| g.active)?;
            let gap = g.gap?;
            let depth = d.rows.with(|r| drop_depth(r, gap));
            Some((gap as i64 * ROW_PX, depth as i64 * INDENT_PX))
        })
    };

    view! {
        <section class="pane flow-pane" aria-label="Flow">
            <crate::flow_header::FlowHeader />
            <crate::subflows::SubflowTabs />
            <div
                id=FLOW_SCROLLER
                class="flow-scroller"
                class:dragging=move || d.drag.with(|g| g.as_ref().is_some_and(|g| g.active))
                tabindex="0"
                aria-label="Flow steps"
                on:scroll=move |_| measure()
                on:keydown=move |ev| crate::keys::on_canvas_key(&d, ev)
            >
                <Show when=move || d.rows.with(|r| r.is_empty())>
                    <div class="empty-flow">
                        <p class="empty-title">"This flow has no actions yet"</p>
                        <p>"Drag an action here from the Actions pane, or double-click it."</p>
                    </div>
                </Show>
                <ul id=FLOW_LINES class="lines" role="list" aria-label="Steps" style:height=total_height>
                    <For
                        each=move || visible.get()
                        key=|l| l.content.clone()
                        children=move |l: LineView| line_view(l.content, visible)
                    />
                </ul>
                <crate::menu::StepMenu />
                {move || insertion().map(|(top, left)| view! {
                    <div class="insertion-line" aria-hidden="true"
                        style:top=px(top - 1)
                        style:left=px(left + 52) />
                })}
            </div>
            <crate::run_panel::RunLog />
        </section>
    }
}

/// One drawn line.
fn line_view(l: LineContent, visible: Memo<Vec<LineView>>) -> impl IntoView {
    let d = use_designer();
    let runner = crate::run::use_runner();
    let id = l.id;
    let end = l.end;
    let place = Memo::new(move |_| {
        visible.with(|v| {
            v.iter()
                .find(|x| x.content.id == id && x.content.end == end)
                .map_or((0, false, 0), |x| (x.line, x.selected, x.total))
        })
    });
    let selected = move || place.with(|p| p.1);
    let on_pointer = move |ev: ev::PointerEvent| {
        if ev.button() != 0 {
            return;
        }
        if ev.shift_key() {
            d.select_range(id);
            return;
        }
        if ev.ctrl_key() || ev.meta_key() {
            d.toggle(id);
            return;
        }
        if !d.selection.with_untracked(|s| s.contains(&id)) {
            d.selection.set(vec![id]);
            d.anchor.set(Some(id));
        }
        let ids = d.selected_in_order();
        let n = ids.len();
        let label = if n == 1 {
            d.editor.with_untracked(|e| {
                e.flow()
                    .step(id)
                    .and_then(|s| {
                        d.catalog
                            .with_value(|c| c.get(&s.action).map(|a| a.name.clone()))
                    })
                    .unwrap_or_default()
            })
        } else {
            actions_label(n)
        };
        gestures::press(&d, &ev, DragSource::Steps { ids }, label);
    };
    let on_dbl = move |_| {
        d.select_only(id);
        d.dialog.set(Some(DialogTarget::Existing { id }));
    };
    view! {
        <li
            class="line"
            class:selected=selected
            class:disabled=!l.enabled
            class:end=l.end
            class:has-error=l.error
            class:is-running=l.run.running.is_some()
            style:top=move || px(place.with(|p| p.0) as i64 * ROW_PX)
            aria-setsize=move || place.with(|p| p.2).to_string()
            aria-posinset=move || (place.with(|p| p.0) + 1).to_string()
            aria-current=move || selected().then_some("true")
            on:pointerdown=on_pointer
            on:dblclick=on_dbl
            on:contextmenu=move |ev: ev::MouseEvent| {
                ev.prevent_default();
                if !d.selection.with_untracked(|s| s.contains(&id)) {
                    d.select_only(id);
                }
                d.context_menu.set(Some((ev.client_x() as f64, ev.client_y() as f64)));
            }
        >
            <span class="num" class:has-breakpoint=l.run.breakpoint
                title=(!l.end).then_some(if l.run.breakpoint { "Remove the breakpoint (F9)" } else { "Set a breakpoint (F9)" })
                on:pointerdown=move |ev| if !end { ev.stop_propagation() }
                on:click=move |_| if !end { runner.toggle_breakpoint(id) }
            >{move || place.with(|p| p.0) + 1}</span>
            {line_body(&l)}
        </li>
    }
}
