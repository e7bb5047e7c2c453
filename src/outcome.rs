//! What an answer of the order server means for each call the checkout makes, as plain
//! functions of the answer (status, body, `Retry-After`) with native tests: the screens only
//! show the outcome, they never look at a status code themselves (issue 14).

use billing::Quote;

use crate::browser::{NetworkError, Reply};
use crate::i18n::{Key, refusal_key};
use crate::model::{AccountData, ApiError, PlacedOrder};
use crate::{json, wire};

/// An answer, or none: what [`crate::browser::send`] returns. A request that timed out (S93)
/// is `Err(NetworkError)` like any other lost answer.
pub type Answer = Result<Reply, NetworkError>;

/// What `POST /api/v1/session` means (S94).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SignIn {
    /// Signed in: the session token.
    SignedIn(String),
    /// The e-mail or the password is wrong (`401 invalid_credentials`, or another refusal of
    /// the form's values).
    WrongCredentials,
    /// The sign-in limits ask to wait (`429 too_many_attempts`, S30): the seconds of its
    /// `Retry-After`.
    TooManyAttempts(u32),
    /// The server answered but failed: a `5xx` (`503 server_busy` included), a `408`, or a
    /// `200` without a token.
    ServerFailing,
    /// No answer at all (offline, the server down, the request timed out).
    Unreachable,
}

/// The wait when a `429` comes without a readable `Retry-After` (S94): the shortest wait of the
/// sign-in limits after their free attempts is 30 s, one minute is never too short by much.
const DEFAULT_WAIT_SECONDS: u32 = 60;

impl SignIn {
    /// Reads the answer to a sign-in.
    pub fn from_answer(answer: Answer) -> SignIn {
        let reply = match answer {
            Ok(reply) => reply,
            Err(NetworkError) => return SignIn::Unreachable,
        };
        match reply.status {
            200 => json::parse(&reply.body)
                .and_then(|v| wire::session_token(&v))
                .map_or(SignIn::ServerFailing, SignIn::SignedIn),
            429 => SignIn::TooManyAttempts(reply.retry_after.unwrap_or(DEFAULT_WAIT_SECONDS)),
            408 => SignIn::ServerFailing,
            400..=499 => SignIn::WrongCredentials,
            _ => SignIn::ServerFailing,
        }
    }

    /// The message of a failed sign-in; `None` when signed in.
    pub fn message_key(&self) -> Option<Key> {
        Some(match self {
            SignIn::SignedIn(_) => return None,
            SignIn::WrongCredentials => Key::BadCredentials,
            SignIn::TooManyAttempts(_) => Key::TooManyAttempts,
            SignIn::ServerFailing => Key::ServerFailing,
            SignIn::Unreachable => Key::NetworkError,
        })
    }
}

/// A wait in seconds as the messages write it: seconds under a minute, else whole minutes
/// rounded up, so the user never tries again too early ("30 s", "2 min": the same units in
/// Italian and English).
pub fn wait_text(seconds: u32) -> String {
    if seconds < 60 {
        format!("{} s", seconds.max(1))
    } else {
        format!("{} min", seconds.div_ceil(60))
    }
}

/// What `GET /api/v1/account` means (S50).
#[derive(Clone, Debug, PartialEq)]
pub enum Load {
    /// The account, read.
    Loaded(Box<AccountData>),
    /// The session is refused (`401`): back to the sign-in form, saying so.
    SessionEnded,
    /// Anything else: the message of the "Impossibile mostrare l'account" screen, which keeps
    /// the session and offers a retry.
    Failed(Key),
}

impl Load {
    /// Reads the answer to an account request.
    pub fn from_answer(answer: Answer) -> Load {
        match answer {
            Ok(Reply {
                status: 200, body, ..
            }) => AccountData::from_json(&body)
                .map_or(Load::Failed(Key::AccountUnreadable), |account| {
                    Load::Loaded(Box::new(account))
                }),
            Ok(Reply { status: 401, .. }) => Load::SessionEnded,
            Ok(_) => Load::Failed(Key::ServerFailing),
            Err(NetworkError) => Load::Failed(Key::NetworkError),
        }
    }
}

/// A refused order: nothing was placed (api.md), the next try is a new attempt.
#[derive(Clone, Debug, PartialEq)]
pub struct Refusal {
    /// The message.
    pub key: Key,
    /// The api.md error code.
    pub code: String,
    /// The request member at fault, as the server names it (`vat_id`, `items[0].seats`).
    pub field: Option<String>,
    /// The fresh quote of a `409 price_changed`, to confirm instead (R24).
    pub quote: Option<Box<Quote>>,
}

/// What `POST /api/v1/orders` means (R23, S95).
#[derive(Clone, Debug, PartialEq)]
pub enum Place {
    /// Placed: the order, or `None` when its answer could not be read (it is in the history).
    Placed(Option<Box<PlacedOrder>>),
    /// Refused for good: a changed key for the next try (R23, S22).
    Refused(Refusal),
    /// The order may have been placed (a lost answer, `408`, `429`, a `5xx`, or another
    /// order of the account being paid): the message, and a retry with the same key, which
    /// places it at most once (R23).
    MaybePlaced(Key),
    /// The session is refused (`401`): sign in again.
    SessionEnded,
}

impl Place {
    /// Reads the answer to an order.
    pub fn from_answer(answer: Answer) -> Place {
        let reply = match answer {
            Ok(reply) => reply,
            Err(NetworkError) => return Place::MaybePlaced(Key::MaybePlaced),
        };
        match reply.status {
            200 | 201 => Place::Placed(PlacedOrder::from_json(&reply.body).map(Box::new)),
            401 => Place::SessionEnded,
            408 | 429 | 500..=599 => Place::MaybePlaced(Key::MaybePlaced),
            status => {
                let error = ApiError::from_json(&reply.body);
                // Another order of the account is being paid (S20): it may be this one, sent
                // before an answer was lost, so the retry keeps the key.
                if status == 409 && error.code == "order_in_progress" {
                    return Place::MaybePlaced(Key::OrderInProgress);
                }
                Place::Refused(Refusal {
                    key: refusal_key(&error.code),
                    code: error.code,
                    field: error.field,
                    quote: error.quote.map(Box::new),
                })
            }
        }
    }
}

/// The id of the page element for the request member an error names, when the page has one
/// (S96): the VAT id field, the seat stepper. Other members have no field of their own on the
/// checkout's pages; the message takes the focus instead.
pub fn field_element(field: &str) -> Option<&'static str> {
    if field == "vat_id" {
        Some("vat-id")
    } else if field.ends_with(".seats") {
        Some("seats")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reply(status: u16, body: &str) -> Answer {
        Ok(Reply {
            status,
            body: body.to_owned(),
            retry_after: None,
        })
    }

    fn error(code: &str, field: Option<&str>) -> String {
        match field {
            Some(field) => {
                format!(r#"{{"error":{{"code":"{code}","message":"m","field":"{field}"}}}}"#)
            }
            None => format!(r#"{{"error":{{"code":"{code}","message":"m"}}}}"#),
        }
    }

    #[test]
    fn a_sign_in_tells_every_answer_apart() {
        assert_eq!(
            SignIn::from_answer(reply(200, r#"{"token":"t1"}"#)),
            SignIn::SignedIn("t1".into())
        );
        assert_eq!(
            SignIn::from_answer(reply(401, &error("invalid_credentials", None))),
            SignIn::WrongCredentials
        );
        assert_eq!(
            SignIn::from_answer(reply(422, &error("invalid_request", Some("email")))),
            SignIn::WrongCredentials
        );
        let limited = Ok(Reply {
            status: 429,
            body: error("too_many_attempts", None),
            retry_after: Some(120),
        });
        assert_eq!(SignIn::from_answer(limited), SignIn::TooManyAttempts(120));
        assert_eq!(
            SignIn::from_answer(reply(429, "")),
            SignIn::TooManyAttempts(DEFAULT_WAIT_SECONDS)
        );
        for failing in [500, 502, 503, 408] {
            assert_eq!(
                SignIn::from_answer(reply(failing, "")),
                SignIn::ServerFailing,
                "{failing}"
            );
        }
        // A 200 without a token is a server that failed, not a wrong password.
        assert_eq!(SignIn::from_answer(reply(200, "{}")), SignIn::ServerFailing);
        assert_eq!(SignIn::from_answer(Err(NetworkError)), SignIn::Unreachable);
    }

    #[test]
    fn each_failed_sign_in_has_its_own_message() {
        let keys = [
            SignIn::WrongCredentials,
            SignIn::TooManyAttempts(30),
            SignIn::ServerFailing,
            SignIn::Unreachable,
        ]
        .map(|outcome| outcome.message_key().expect("a message"));
        for (i, key) in keys.iter().enumerate() {
            assert!(!keys[i + 1..].contains(key), "{key:?} twice");
        }
        assert_eq!(SignIn::SignedIn("t".into()).message_key(), None);
    }

    #[test]
    fn a_wait_is_written_in_seconds_or_minutes_rounded_up() {
        assert_eq!(wait_text(30), "30 s");
        assert_eq!(wait_text(0), "1 s");
        assert_eq!(wait_text(60), "1 min");
        assert_eq!(wait_text(61), "2 min");
        assert_eq!(wait_text(900), "15 min");
    }

    #[test]
    fn loading_the_account_keeps_the_session_unless_it_is_refused() {
        let account = include_str!("../tests/fixtures/server/account-billing-contact.json");
        assert!(matches!(
            Load::from_answer(reply(200, account)),
            Load::Loaded(_)
        ));
        assert_eq!(
            Load::from_answer(reply(200, "{}")),
            Load::Failed(Key::AccountUnreadable)
        );
        assert_eq!(Load::from_answer(reply(401, "")), Load::SessionEnded);
        for failing in [500, 503, 408, 404] {
            assert_eq!(
                Load::from_answer(reply(failing, "")),
                Load::Failed(Key::ServerFailing)
            );
        }
        assert_eq!(
            Load::from_answer(Err(NetworkError)),
            Load::Failed(Key::NetworkError)
        );
    }

    #[test]
    fn an_order_without_a_final_answer_may_have_been_placed() {
        for status in [408, 429, 500, 502, 503, 504] {
            assert_eq!(
                Place::from_answer(reply(status, "")),
                Place::MaybePlaced(Key::MaybePlaced),
                "{status}"
            );
        }
        assert_eq!(
            Place::from_answer(Err(NetworkError)),
            Place::MaybePlaced(Key::MaybePlaced)
        );
        assert_eq!(
            Place::from_answer(reply(409, &error("order_in_progress", None))),
            Place::MaybePlaced(Key::OrderInProgress)
        );
        assert_eq!(Place::from_answer(reply(401, "")), Place::SessionEnded);
    }

    #[test]
    fn a_refusal_carries_its_code_message_and_field() {
        let refused = Place::from_answer(reply(422, &error("invalid_vat_id", Some("vat_id"))));
        assert_eq!(
            refused,
            Place::Refused(Refusal {
                key: Key::VatIdInvalid,
                code: "invalid_vat_id".into(),
                field: Some("vat_id".into()),
                quote: None,
            })
        );
        let Place::Refused(declined) =
            Place::from_answer(reply(402, &error("payment_declined", None)))
        else {
            panic!("a refusal");
        };
        assert_eq!((declined.key, declined.field), (Key::Declined, None));
        // An error body the app cannot read is still a refusal, told in general words.
        let Place::Refused(unreadable) = Place::from_answer(reply(422, "<html>")) else {
            panic!("a refusal");
        };
        assert_eq!(
            (unreadable.key, unreadable.code.as_str()),
            (Key::OrderError, "unknown")
        );
    }

    #[test]
    fn a_placed_order_is_placed_even_when_its_answer_is_unreadable() {
        let order = include_str!("../tests/fixtures/server/order.json");
        assert!(matches!(
            Place::from_answer(reply(201, order)),
            Place::Placed(Some(_))
        ));
        assert_eq!(Place::from_answer(reply(201, "{}")), Place::Placed(None));
    }

    #[test]
    fn the_field_an_error_names_leads_to_its_element() {
        assert_eq!(field_element("vat_id"), Some("vat-id"));
        assert_eq!(field_element("items[0].seats"), Some("seats"));
        assert_eq!(field_element("items[2].seats"), Some("seats"));
        assert_eq!(field_element("payment_method"), None);
    }
}
