//! The screens of the app. Each is a thin component over [`crate::state::Ctx`] and the plain
//! view-model modules.

mod done;
mod editor;
mod overview;
mod parts;
mod review;
mod sign_in;

pub use done::{Confirmation, History, Receipt, TrialStarted};
pub use editor::{AddProduct, Editor};
pub use overview::Overview;
pub use review::Review;
pub use sign_in::SignIn;
