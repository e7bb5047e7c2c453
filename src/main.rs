//! Browser entry point: mounts the checkout [`checkout::App`] on the page body.
fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(checkout::App);
}
