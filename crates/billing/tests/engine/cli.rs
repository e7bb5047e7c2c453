//! The `billing-quote` command: every worked example to the cent, its exit codes and messages.

use std::path::Path;
use std::process::{Command, Output};

use crate::fixtures::example_dir;

fn billing_quote(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_billing-quote"))
        .args(args)
        .output()
        .expect("billing-quote runs")
}

fn run_example(dir: &Path) -> Output {
    let as_of = std::fs::read_to_string(dir.join("as-of")).expect("as-of file");
    let path = |file: &str| dir.join(file).to_string_lossy().into_owned();
    billing_quote(&[
        "--account",
        &path("account.json"),
        "--order",
        &path("order.json"),
        "--as-of",
        as_of.trim(),
    ])
}

fn json(bytes: &[u8]) -> serde_json::Value {
    serde_json::from_slice(bytes).expect("JSON output")
}

#[test]
fn billing_quote_reproduces_every_worked_example() {
    let names = [
        "1-seats-up-mid-month",
        "2-seats-down-annual",
        "3-net-credit",
        "4-upgrade-annual-reverse-charge",
        "5-downgrade-refused",
        "6-trial",
        "7-end-of-month",
    ];
    for name in names {
        let dir = example_dir(name);
        let output = run_example(&dir);
        let expected = json(&std::fs::read(dir.join("expected.json")).expect("expected.json"));
        let expected_code = if expected.get("error").is_some() {
            2
        } else {
            0
        };
        assert_eq!(output.status.code(), Some(expected_code), "{name}");
        assert_eq!(json(&output.stdout), expected, "{name}");
    }
}

#[test]
fn a_rejected_order_prints_the_api_error_object_and_exits_2() {
    let output = run_example(&example_dir("5-downgrade-refused"));
    assert_eq!(output.status.code(), Some(2));
    let error = json(&output.stdout);
    assert_eq!(error["error"]["code"], "downgrade_requires_support");
    assert_eq!(error["error"]["field"], "items[0].tier");
    assert!(
        error["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("Customer Care"))
    );
}

#[test]
fn unreadable_or_malformed_input_exits_1_with_a_message_on_stderr() {
    let dir = example_dir("1-seats-up-mid-month");
    let account = dir.join("account.json").to_string_lossy().into_owned();
    let order = dir.join("order.json").to_string_lossy().into_owned();
    let cases: [(&[&str], &str); 4] = [
        (
            &[
                "--account",
                "/nonexistent.json",
                "--order",
                &order,
                "--as-of",
                "2026-11-16",
            ],
            "cannot read",
        ),
        (
            &[
                "--account",
                &order,
                "--order",
                &order,
                "--as-of",
                "2026-11-16",
            ],
            "not a valid account",
        ),
        (
            &[
                "--account",
                &account,
                "--order",
                &order,
                "--as-of",
                "16/11/2026",
            ],
            "YYYY-MM-DD",
        ),
        (
            &["--account", &account, "--order", &order],
            "--as-of is required",
        ),
    ];
    for (args, message) in cases {
        let output = billing_quote(args);
        assert_eq!(output.status.code(), Some(1), "{args:?}");
        assert!(output.stdout.is_empty());
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(message), "{stderr}");
    }
}

/// Prices worked example 1 on 2026-11-16 with the catalog file `text` (written to a temporary
/// file named after `name` and this process, removed afterwards).
fn quote_example_1_with_catalog(text: &str, name: &str) -> std::process::Output {
    let file =
        std::env::temp_dir().join(format!("billing-quote-{name}-{}.json", std::process::id()));
    std::fs::write(&file, text).expect("write catalog");
    let dir = example_dir("1-seats-up-mid-month");
    let path = |f: &str| dir.join(f).to_string_lossy().into_owned();
    let output = billing_quote(&[
        "--account",
        &path("account.json"),
        "--order",
        &path("order.json"),
        "--as-of",
        "2026-11-16",
        "--catalog",
        &file.to_string_lossy(),
    ]);
    std::fs::remove_file(&file).ok();
    output
}

#[test]
fn another_catalog_can_be_priced_with() {
    let mut catalog: serde_json::Value =
        serde_json::from_str(billing::catalog::BUNDLED_CATALOG_JSON).expect("catalog JSON");
    catalog["version"] = "2027-01-01".into();
    catalog["products"][0]["tiers"][0]["prices"]["EUR"]["monthly"] = "20.00".into();
    let output = quote_example_1_with_catalog(&catalog.to_string(), "catalog");
    assert_eq!(output.status.code(), Some(0));
    let quote = json(&output.stdout);
    assert_eq!(quote["catalog_version"], "2027-01-01");
    // 8 × 20.00 - 5 × 20.00 × 15/30 = 110.00, plus 22% VAT.
    assert_eq!(quote["subtotal"], "110.00");
    assert_eq!(quote["total"], "134.20");
}

#[test]
fn a_catalog_file_the_engine_refuses_exits_1_naming_the_refusal() {
    // S63: a catalog file is read strictly, so a misspelt member is named, not ignored.
    let cases = [
        (
            billing::catalog::BUNDLED_CATALOG_JSON.replacen("\"max_seats\"", "\"max_seat\"", 1),
            "the catalog's member `max_seat` is unknown or given twice",
        ),
        (
            billing::catalog::BUNDLED_CATALOG_JSON.replacen("\"14.00\"", "\"14.005\"", 1),
            "tier `meeting/professional`: price 14.005 EUR must be positive and exact",
        ),
        ("{\"version\":".to_owned(), "the catalog is not JSON"),
    ];
    for (index, (text, message)) in cases.into_iter().enumerate() {
        let output = quote_example_1_with_catalog(&text, &format!("bad-catalog-{index}"));
        assert_eq!(output.status.code(), Some(1), "{message}");
        assert!(output.stdout.is_empty());
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(message), "{stderr}");
    }
}
