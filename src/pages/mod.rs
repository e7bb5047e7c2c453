//! The screens of the app. Each is a thin component over [`crate::state::Ctx`] and the plain
//! view-model modules.
//!
//! For the bundle's size, reactive parts return few distinct types: a section that may be absent
//! returns `Option<AnyView>` (`.into_any()`), a text that may be absent an empty text, and fixed
//! texts are `ctx.text(key)`. Every other type a reactive closure returns would compile a
//! renderer of its own. Lists that never change are built once rather than by a closure.

mod cancel_reason;
mod done;
mod editor;
mod overview;
mod parts;
mod review;
mod sign_in;

pub use done::{Confirmation, Receipt, TrialStarted};
pub use editor::{AddProduct, Editor};
pub use overview::Overview;
pub use review::Review;
pub use sign_in::{LoadFailed, SignIn};
