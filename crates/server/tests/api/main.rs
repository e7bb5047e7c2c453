//! The API tests of the order server: one test binary, every endpoint and error code, driven
//! in-process through the router with a fresh temporary database each.

mod account;
mod account_admin;
mod binary;
mod cancel_reason;
mod card_setup;
mod contract;
mod edge;
mod hardening;
mod helpers;
mod idempotency;
mod multiprocess;
mod orders;
mod outbox;
mod owasp;
mod payment_methods;
mod payments;
mod pg;
mod postgres;
mod process;
mod public;
mod quote;
mod renewals;
mod scenario;
mod session;
mod signin;
mod smtp;
mod store;
