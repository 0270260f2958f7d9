//! The "Errors" panel: the flow checker's problems, each naming its line; a click selects the step.

use crate::markup;
use crate::problems::{use_problems, ProblemView};
use crate::state::use_designer;
use leptos::prelude::*;

/// The most problems the panel lists at once.
const MAX_SHOWN: usize = 100;

#[component]
pub fn ErrorsPanel() -> impl IntoView {
    let d = use_designer();
    let problems = use_problems();
    view! {
        <section class="side-section errors" aria-label="Errors">
            <h2 class="pane-title">"Errors" <span class="count" class:bad=move || problems.with(|p| !p.is_empty())>{move || problems.with(Vec::len)}</span></h2>
            <Show when=move || problems.with(Vec::is_empty)>
                <p class="empty ok">"No errors found in this flow."</p>
            </Show>
            <ul class="error-list" inner_html=move || problems.with(|p| list_markup(p))
                on:click=move |ev| {
                    let Some(i) = markup::index_of(&ev, "button[data-i]") else { return };
                    if let Some((sf, id)) = problems.with_untracked(|p| p.get(i).map(|p| (p.subflow, p.step))) {
                        d.subflow.set(sf);
                        d.select_only(id);
                    }
                }></ul>
            <Show when=move || problems.with(|p| p.len() > MAX_SHOWN)>
                <p class="empty">{move || format!("and {} more: fix these first.", problems.with(Vec::len) - MAX_SHOWN)}</p>
            </Show>
        </section>
    }
}

/// The first `MAX_SHOWN` problems as list items (see `lists`).
fn list_markup(problems: &[ProblemView]) -> String {
    let mut icon = String::new();
    markup::icon(&mut icon, "error", "err-icon");
    let mut out = String::new();
    for (i, p) in problems.iter().take(MAX_SHOWN).enumerate() {
        markup::raw(&mut out, "<li>");
        markup::item(
            &mut out,
            "button",
            r#"type="button" class="error-item""#,
            i,
            None,
        );
        out.push_str(&icon);
        markup::span(&mut out, "where", &p.place);
        markup::span(&mut out, "msg", &p.message);
        markup::raw(&mut out, "</button></li>");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markup::hostile::{assert_shown_as_text, INPUTS};

    #[test]
    fn problems_show_hostile_text_as_text() {
        for input in INPUTS {
            let p = ProblemView {
                step: plugboard_model::flow::StepId::nil(),
                subflow: 0,
                line: 1,
                place: input.to_string(),
                message: input.to_string(),
            };
            let out = list_markup(&[p]);
            assert_shown_as_text(&out, input);
            assert!(
                out.starts_with("<li><button type=\"button\" class=\"error-item\" data-i=\"0\">")
            );
        }
    }
}
