//! The order server of the checkout: the HTTP API of `shared/spec/api.md` over the billing engine,
//! with SQLite or PostgreSQL storage. Rule ids (R1-R24) refer to `shared/spec/billing-rules.md`.
//!
//! [`routes::app`] builds the whole router from an [`AppState`], so tests drive it in-process;
//! `main.rs` only reads the command line, opens the store and serves.

pub mod account_admin;
pub mod auth;
pub mod card_page;
pub mod config;
pub mod demo;
pub mod error;
pub mod mail;
pub mod openapi;
pub mod ordering;
pub mod payment_methods;
pub mod payments;
pub mod renewals;
pub mod routes;
pub mod serve;
pub mod sessions;
pub mod state;
pub mod store;
pub mod wire;

pub use config::{Clock, Config, HttpConfig};
pub use routes::app;
pub use state::AppState;
