//! `billing-quote`: prices an order for an account at a date, offline, with the same engine as the
//! checkout and the order server.
//!
//! ```text
//! billing-quote --account ACCOUNT.json --order ORDER.json --as-of YYYY-MM-DD [--catalog CATALOG.json]
//! ```
//!
//! Exit codes: 0 with the quote (api.md shape) on stdout; 2 with the api.md error object on stdout
//! when the order is rejected; 1 with a message on stderr when the input cannot be read.

use std::path::PathBuf;
use std::process::ExitCode;

use billing::{Account, Catalog, Order, OrderRequest, quote};
use chrono::NaiveDate;

const USAGE: &str = "usage: billing-quote --account ACCOUNT.json --order ORDER.json --as-of YYYY-MM-DD [--catalog CATALOG.json]";

/// The command line, parsed.
struct Arguments {
    account: PathBuf,
    order: PathBuf,
    as_of: NaiveDate,
    catalog: Option<PathBuf>,
}

fn parse_arguments(mut args: impl Iterator<Item = String>) -> Result<Arguments, String> {
    let (mut account, mut order, mut as_of, mut catalog) = (None, None, None, None);
    while let Some(flag) = args.next() {
        if flag == "--help" || flag == "-h" {
            return Err(USAGE.to_owned());
        }
        let value = args
            .next()
            .ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))?;
        match flag.as_str() {
            "--account" => account = Some(PathBuf::from(value)),
            "--order" => order = Some(PathBuf::from(value)),
            "--catalog" => catalog = Some(PathBuf::from(value)),
            "--as-of" => {
                let date = value.parse::<NaiveDate>().map_err(|_| {
                    format!("--as-of `{value}` is not a date of the form YYYY-MM-DD")
                })?;
                as_of = Some(date);
            }
            other => return Err(format!("unknown option `{other}`\n{USAGE}")),
        }
    }
    let missing = |name: &str| format!("{name} is required\n{USAGE}");
    Ok(Arguments {
        account: account.ok_or_else(|| missing("--account"))?,
        order: order.ok_or_else(|| missing("--order"))?,
        as_of: as_of.ok_or_else(|| missing("--as-of"))?,
        catalog,
    })
}

fn read(path: &PathBuf, what: &str) -> Result<String, String> {
    std::fs::read_to_string(path)
        .map_err(|error| format!("cannot read the {what} file {}: {error}", path.display()))
}

/// What the run produced: a quote or a rejection for stdout, or a failure for stderr.
enum Outcome {
    Priced(String),
    Rejected(String),
}

fn run(arguments: &Arguments) -> Result<Outcome, String> {
    let owned_catalog;
    let catalog = match &arguments.catalog {
        Some(path) => {
            owned_catalog = Catalog::from_json(&read(path, "catalog")?)
                .map_err(|error| format!("{}: {error}", path.display()))?;
            &owned_catalog
        }
        None => Catalog::bundled(),
    };
    let account = Account::from_json(&read(&arguments.account, "account")?).map_err(|error| {
        format!(
            "{}: not a valid account: {error}",
            arguments.account.display()
        )
    })?;
    let request: OrderRequest =
        serde_json::from_str(&read(&arguments.order, "order")?).map_err(|error| {
            format!(
                "{}: not a valid order request: {error}",
                arguments.order.display()
            )
        })?;
    let priced =
        Order::parse(&request).and_then(|order| quote(catalog, &account, &order, arguments.as_of));
    let to_text = |value: serde_json::Result<String>| value.map_err(|error| error.to_string());
    Ok(match priced {
        Ok(quote) => Outcome::Priced(to_text(serde_json::to_string_pretty(&quote))?),
        Err(error) => Outcome::Rejected(to_text(serde_json::to_string_pretty(&error.to_json()))?),
    })
}

fn main() -> ExitCode {
    let outcome = parse_arguments(std::env::args().skip(1)).and_then(|arguments| run(&arguments));
    match outcome {
        Ok(Outcome::Priced(json)) => {
            println!("{json}");
            ExitCode::SUCCESS
        }
        Ok(Outcome::Rejected(json)) => {
            println!("{json}");
            ExitCode::from(2)
        }
        Err(message) => {
            eprintln!("billing-quote: {message}");
            ExitCode::from(1)
        }
    }
}
