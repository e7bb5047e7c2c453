//! Browser entry point: mounts the checkout [`checkout::App`] on the page body.
fn main() {
    // Panic messages on the console help while developing; a release build leaves the hook (and
    // the formatting it links) out of the bundle.
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(checkout::App);
}
