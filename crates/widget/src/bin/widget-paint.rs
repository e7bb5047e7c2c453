//! `widget-paint`: writes the pricing widget's first paint into a page at build time (issue 16).
//!
//! ```text
//! widget-paint [--css-href URL] [--out OUT.html] PAGE.html
//! ```
//!
//! Every `[data-checkout-pricing]` element of `PAGE.html` (empty, or holding an earlier paint)
//! gets the widget's markup for its `data-*` configuration, rendered from the bundled catalog
//! by the same components the WebAssembly mounts, as a declarative shadow root. The page is
//! rewritten in place unless `--out` names another file. The widget's style sheet is linked from
//! `--css-href`, by default from beside the page's `.../pricing.js` (`.../widget.css`).
//! Exit status: 0 when painted, 1 on unreadable input or a page it refuses, 2 on bad arguments.

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    use std::process::ExitCode;

    const USAGE: &str = "usage: widget-paint [--css-href URL] [--out OUT.html] PAGE.html";
    let mut css_href = None;
    let mut out = None;
    let mut page = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--css-href" => css_href = args.next(),
            "--out" => out = args.next(),
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            _ if page.is_none() && !arg.starts_with('-') => page = Some(arg),
            _ => {
                eprintln!("widget-paint: unexpected argument {arg:?}\n{USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    let Some(page) = page else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let html = match std::fs::read_to_string(&page) {
        Ok(html) => html,
        Err(error) => {
            eprintln!("widget-paint: cannot read {page}: {error}");
            return ExitCode::from(1);
        }
    };
    let (painted, count) = match widget::paint::paint_page(&html, css_href.as_deref()) {
        Ok(result) => result,
        Err(error) => {
            eprintln!("widget-paint: {page}: {error}");
            return ExitCode::from(1);
        }
    };
    let target = out.unwrap_or_else(|| page.clone());
    if let Err(error) = std::fs::write(&target, painted) {
        eprintln!("widget-paint: cannot write {target}: {error}");
        return ExitCode::from(1);
    }
    println!("widget-paint: {count} widget(s) painted into {target}");
    ExitCode::SUCCESS
}

/// The tool runs at build time on the build machine; in a browser bundle there is nothing to do.
#[cfg(target_arch = "wasm32")]
fn main() {}
