//! Browser entry point: mounts the checkout [`checkout::App`] on the page body.
//!
//! In the browser the module starts through wasm-bindgen's start function instead of a Rust
//! `main`: without `main`, the standard library's runtime around it (start-up, and at exit the
//! flush of a stdout the browser does not have, with the I/O error texts it links) stays out of
//! the bundle (docs/performance.md, section 1). Native builds keep a `main`, which only mounts.
#![cfg_attr(target_arch = "wasm32", no_main)]

/// Mounts the app; wasm-bindgen calls it once the module is instantiated.
#[cfg_attr(target_arch = "wasm32", wasm_bindgen::prelude::wasm_bindgen(start))]
fn main() {
    // Panic messages on the console help while developing; a release build leaves the hook (and
    // the formatting it links) out of the bundle.
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(checkout::App);
}
