//! Opening a share link from the page's address (at start and on `hashchange`): a read-only
//! preview first (the flow's name, its lines drawn as the canvas draws them, the connectors and
//! connection references it needs, and what this proxy lacks), then "Open a copy" makes it a new
//! flow in this browser (the open flow is kept, never replaced) and asks to map its references.
//! A bad link says what is wrong and changes nothing. The fragment is cleared once read, so a
//! reload does not open the link again.

use super::{link, map::ask_to_map, use_sharing};
use crate::cloud::Load;
use crate::flows::use_flows;
use crate::line::{describe, line_body, LineContent, LineRun};
use crate::modal::Modal;
use crate::platform::location::{clear_fragment, on_fragment};
use crate::platform::ROW_PX;
use crate::state::use_designer;
use crate::text::px;
use leptos::prelude::*;
use leptos::task::spawn_local;
use plugboard_model::references::{connector_ids, connector_of};
use plugboard_model::rows::{rows, RowKind};
use plugboard_model::share::short::{fragment, Fragment};
use plugboard_model::share::SharedFlow;

/// Lines the preview draws at most (the rest are counted).
const PREVIEW_LINES: usize = 200;

/// One subflow's drawn lines (line index, content), titled when the flow has several.
type Section = (Option<String>, Vec<(usize, LineContent)>);

/// What the address asked to open.
#[derive(Clone)]
enum Opening {
    Reading,
    Ready(SharedFlow),
    Failed(String),
}

/// Watches the address for share links and shows their preview or what is wrong with them.
#[component]
pub fn LinkOpener() -> impl IntoView {
    let d = use_designer();
    let flows = use_flows();
    let sharing = use_sharing();
    let opening = RwSignal::new(None::<Opening>);
    on_fragment(move |hash| {
        let Some(kind) = fragment(&hash) else { return };
        opening.set(Some(Opening::Reading));
        let read = match kind {
            Fragment::Link(payload) => {
                let payload = payload.to_string();
                Box::pin(async move { link::decode(&payload).await.map_err(|e| e.to_string()) })
                    as std::pin::Pin<Box<dyn std::future::Future<Output = _>>>
            }
            Fragment::Short(Ok(short)) => Box::pin(async move { link::open_short(&short).await }),
            Fragment::Short(Err(e)) => {
                let e = e.to_string();
                Box::pin(async move { Err(e) })
            }
        };
        clear_fragment();
        spawn_local(async move {
            opening.set(Some(match read.await {
                Ok(shared) => {
                    for id in connector_ids(&shared.flow) {
                        d.cloud.ensure_detail_quiet(&id);
                    }
                    Opening::Ready(shared)
                }
                Err(e) => Opening::Failed(e),
            }));
        });
    });
    let close = Callback::new(move |()| opening.set(None));
    let open_copy = move |shared: SharedFlow| {
        let name = shared.flow.name.clone();
        // Refused while the open flow's changes cannot be saved: the preview stays.
        if flows.open(&d, shared.flow) {
            opening.set(None);
            d.status.set(Some(format!("Opened a copy of “{name}”")));
            ask_to_map(&d, sharing);
        }
    };
    view! {
        {move || opening.get().map(|o| match o {
            Opening::Reading => view! {
                <Modal title="Shared flow" on_close=close class="preview-dialog">
                    <div class="dialog-body"><p class="muted loading">"Reading the link…"</p>
                        <footer class="dialog-foot"><button type="button" on:click=move |_| close.run(())>"Cancel"</button></footer>
                    </div>
                </Modal>
            }.into_any(),
            Opening::Failed(e) => view! {
                <Modal title="This link cannot be opened" on_close=close class="narrow">
                    <div class="dialog-body">
                        <p class="form-error" role="alert">{format!("This link cannot be opened: {e}.")}</p>
                        <p class="muted">"Nothing was changed."</p>
                        <footer class="dialog-foot"><button type="button" class="primary" on:click=move |_| close.run(())>"Close"</button></footer>
                    </div>
                </Modal>
            }.into_any(),
            Opening::Ready(shared) => {
                let for_open = shared.clone();
                view! {
                    <Modal title="Shared flow" subtitle="A read-only preview. Open a copy to edit or run it: your open flow stays as it is."
                        on_close=close class="preview-dialog" focus_primary=true>
                        <div class="dialog-body">
                            <Preview shared=shared />
                            <footer class="dialog-foot">
                                <button type="button" class="primary" on:click=move |_| open_copy(for_open.clone())>"Open a copy"</button>
                                <button type="button" on:click=move |_| close.run(())>"Cancel"</button>
                            </footer>
                        </div>
                    </Modal>
                }.into_any()
            }
        })}
    }
}

/// A connector the shared flow uses, as this proxy knows it.
#[derive(Clone, PartialEq)]
struct Needed {
    id: String,
    name: String,
    /// Loading, here, or not on this proxy.
    state: Load<()>,
}

/// The preview: name, lines, connectors, references, and what this proxy lacks.
#[component]
fn Preview(shared: SharedFlow) -> impl IntoView {
    let d = use_designer();
    let flow = StoredValue::new(shared.flow);
    let references = shared.references;
    let lines = Memo::new(move |_| {
        d.catalog_rev.track();
        flow.with_value(|f| {
            d.catalog.with_value(|cat| {
                let mut out: Vec<Section> = Vec::new();
                let mut left = PREVIEW_LINES;
                for (sf, sub) in f.subflows.iter().enumerate() {
                    let rs = rows(f, sf, cat);
                    let drawn = rs
                        .iter()
                        .take(left)
                        .enumerate()
                        .filter_map(|(i, r)| {
                            let step = f.step(r.id)?;
                            let end = r.kind == RowKind::End;
                            let (name, summary, icon) = describe(step, end, cat);
                            Some((
                                i,
                                LineContent {
                                    id: r.id,
                                    end,
                                    depth: r.depth,
                                    name,
                                    summary,
                                    icon,
                                    enabled: step.enabled,
                                    error: false,
                                    run: LineRun::default(),
                                },
                            ))
                        })
                        .collect::<Vec<_>>();
                    left -= drawn.len().min(left);
                    let title = (f.subflows.len() > 1).then(|| sub.name.clone());
                    out.push((title, drawn));
                }
                out
            })
        })
    });
    let total = flow.with_value(|f| {
        d.catalog.with_value(|cat| {
            (0..f.subflows.len())
                .map(|sf| rows(f, sf, cat).len())
                .sum::<usize>()
        })
    });
    let needed = Memo::new(move |_| {
        d.cloud.details.with(|m| {
            flow.with_value(|f| {
                connector_ids(f)
                    .into_iter()
                    .map(|id| {
                        let (name, state) = match m.get(&id) {
                            Some(Load::Ready(x)) => (x.name.clone(), Load::Ready(())),
                            Some(Load::Failed(e)) => (id.clone(), Load::Failed(e.clone())),
                            _ => (id.clone(), Load::Loading),
                        };
                        Needed { id, name, state }
                    })
                    .collect::<Vec<_>>()
            })
        })
    });
    // Actions neither the library nor a loaded connector knows (a connector still loading is
    // not counted yet; one this proxy lacks is listed under connectors).
    let unknown = Memo::new(move |_| {
        d.catalog_rev.track();
        let details = d.cloud.details.get();
        flow.with_value(|f| {
            d.catalog.with_value(|cat| {
                let mut seen = Vec::<String>::new();
                for (_, s) in f.walk() {
                    let known = cat.get(&s.action).is_some()
                        || connector_of(&s.action)
                            .is_some_and(|(c, _)| !matches!(details.get(c), Some(Load::Ready(_))));
                    if !known && !seen.contains(&s.action) {
                        seen.push(s.action.clone());
                    }
                }
                seen
            })
        })
    });
    let (name, steps) = flow.with_value(|f| (f.name.clone(), f.step_count()));
    view! {
        <h3 class="preview-name">{name}</h3>
        <p class="muted">{format!("{steps} action{}", if steps == 1 { "" } else { "s" })}</p>
        <div class="preview-lines" role="region" aria-label="Preview">
            {move || lines.get().into_iter().map(|(title, drawn)| {
                let n = drawn.len();
                view! {
                    {title.map(|t| view! { <h4 class="preview-subflow">{t}</h4> })}
                    <ul class="lines" role="list" aria-label="Steps" style:height=px(n as i64 * ROW_PX)>
                        {drawn.into_iter().map(|(i, l)| view! {
                            <li class="line" class:disabled=!l.enabled class:end=l.end style:top=px(i as i64 * ROW_PX)>
                                <span class="num">{i + 1}</span>
                                {line_body(&l)}
                            </li>
                        }).collect_view()}
                    </ul>
                }
            }).collect_view()}
            {(total > PREVIEW_LINES).then(|| view! { <p class="muted">{format!("… and {} more lines", total - PREVIEW_LINES)}</p> })}
        </div>
        {move || {
            let list = needed.get();
            (!list.is_empty()).then(|| view! {
                <h3>"Connectors"</h3>
                <ul class="preview-list" aria-label="Connectors">
                    {list.into_iter().map(|n| view! {
                        <li>
                            <span class="ref-title">{n.name}</span>" "<span class="mono muted small">{n.id}</span>" "
                            {match n.state {
                                Load::Ready(()) => view! { <span class="status-badge ok">"Available"</span> }.into_any(),
                                Load::Failed(_) => view! { <span class="status-badge bad">"Not on this proxy"</span> }.into_any(),
                                _ => view! { <span class="muted small">"Checking…"</span> }.into_any(),
                            }}
                        </li>
                    }).collect_view()}
                </ul>
            })
        }}
        {(!references.is_empty()).then(|| view! {
            <h3>"Connection references"</h3>
            <ul class="preview-list" aria-label="Connection references">
                {references.into_iter().map(|r| view! {
                    <li>
                        <span class="ref-title">{if r.display_name.is_empty() { r.logical_name.clone() } else { r.display_name }}</span>" "
                        <span class="mono muted small">{r.logical_name}</span>
                    </li>
                }).collect_view()}
            </ul>
        })}
        {move || {
            let list = unknown.get();
            (!list.is_empty()).then(|| view! {
                <h3>"Unknown actions"</h3>
                <p class="muted small">"This proxy has no such actions: the copy opens, and the Errors panel lists them until they are replaced."</p>
                <ul class="preview-list" aria-label="Unknown actions">
                    {list.into_iter().map(|a| view! { <li class="mono">{a}</li> }).collect_view()}
                </ul>
            })
        }}
    }
}
