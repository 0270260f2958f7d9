//! The dialogs a run asks through: Display message (its buttons) and Display input dialog (a
//! text, OK or Cancel), in the shared modal frame; closing one answers as its Cancel would.

use crate::modal::Modal;
use crate::run::{use_runner, Ask};
use leptos::ev;
use leptos::prelude::*;
use plugboard_model::runtime::{Answer, InputAnswer, InputRequest, Message};

/// The button Escape or the backdrop presses: Cancel, No or Close when offered, else the last.
fn closing_button(buttons: &[String]) -> String {
    ["Cancel", "Close", "No"]
        .iter()
        .find_map(|w| buttons.iter().find(|b| b == w))
        .or(buttons.last())
        .cloned()
        .unwrap_or_else(|| "OK".into())
}

fn message_dialog(m: Message) -> impl IntoView {
    let r = use_runner();
    let close = closing_button(&m.buttons);
    let title = if m.title.trim().is_empty() {
        "Message".to_string()
    } else {
        m.title.clone()
    };
    let buttons = if m.buttons.is_empty() {
        vec!["OK".to_string()]
    } else {
        m.buttons.clone()
    };
    view! {
        <Modal title=title class="narrow run-dialog" focus_primary=true
            on_close=Callback::new(move |_| r.reply(Answer::Button(close.clone())))>
            <div class="dialog-body"><p class="run-message">{m.message.clone()}</p></div>
            <footer class="dialog-foot">
                {buttons.into_iter().enumerate().map(|(i, b)| {
                    let label = b.clone();
                    view! {
                        <button type="button" class:primary=i == 0
                            on:click=move |_| r.reply(Answer::Button(label.clone()))>{b}</button>
                    }
                }).collect_view()}
            </footer>
        </Modal>
    }
}

fn input_dialog(q: InputRequest) -> impl IntoView {
    let r = use_runner();
    let text = RwSignal::new(q.default.clone());
    let answer = move |button: &str| {
        r.reply(Answer::Input(InputAnswer {
            text: if button == "OK" {
                text.get_untracked()
            } else {
                String::new()
            },
            button: button.to_string(),
        }))
    };
    let title = if q.title.trim().is_empty() {
        "Input".to_string()
    } else {
        q.title.clone()
    };
    let label = if q.message.trim().is_empty() {
        "Your answer".to_string()
    } else {
        q.message.clone()
    };
    let field = match q.input_type.as_str() {
        "Multiline" => view! {
            <textarea aria-label=label.clone() rows="4"
                prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))></textarea>
        }
        .into_any(),
        kind => view! {
            <input type=if kind == "Password" { "password" } else { "text" }
                aria-label=label.clone() autocomplete="off"
                prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))
                on:keydown=move |ev: ev::KeyboardEvent| if ev.key() == "Enter" { ev.prevent_default(); answer("OK") } />
        }
        .into_any(),
    };
    view! {
        <Modal title=title class="narrow run-dialog" on_close=Callback::new(move |_| answer("Cancel"))>
            <div class="dialog-body">
                <label class="field">
                    <span class="run-message">{q.message.clone()}</span>
                    {field}
                </label>
            </div>
            <footer class="dialog-foot">
                <button type="button" class="primary" on:click=move |_| answer("OK")>"OK"</button>
                <button type="button" on:click=move |_| answer("Cancel")>"Cancel"</button>
            </footer>
        </Modal>
    }
}

/// Whichever dialog the run is asking through, if any.
#[component]
pub fn RunDialogs() -> impl IntoView {
    let r = use_runner();
    move || {
        r.ask.get().map(|a| match a {
            Ask::Message(m) => message_dialog(m).into_any(),
            Ask::Input(q) => input_dialog(q).into_any(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closing_presses_cancel_no_or_the_last_button() {
        let b = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(closing_button(&b(&["Yes", "No", "Cancel"])), "Cancel");
        assert_eq!(closing_button(&b(&["Yes", "No"])), "No");
        assert_eq!(closing_button(&b(&["OK", "Cancel"])), "Cancel");
        assert_eq!(closing_button(&b(&["OK"])), "OK");
        assert_eq!(closing_button(&[]), "OK");
    }
}
