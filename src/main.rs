//! Plugboard designer entry point: mount the app.

mod account;
mod api;
mod app;
mod canvas;
mod cloud;
mod connect;
mod dialog;
mod drag;
mod errors;
mod flows;
mod icons;
mod keys;
mod library;
mod lists;
mod menu;
mod modal;
mod references;
mod side;
mod state;
mod subflows;
mod text;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
