//! Integration tests of the billing engine: the worked examples of billing-rules.md, placing
//! orders, renewals, property tests and the quote CLI. One test binary keeps link times short.

mod apply;
mod cli;
mod fixtures;
mod properties;
mod renewal;
mod worked_examples;
