//! Account administration apart from HTTP: the account's users, handing the billing-contact role
//! to another of them (R26), and the billing information, that is the company name, the postal
//! address and the VAT id (R27). `routes/account_admin.rs` translates these to the API.
//!
//! Who may do what is read from the store with each call, in the query the call makes anyway: a
//! session is read with every request and the role with the account, so a handover counts in
//! every server process from the next request (R26). Every call but the users list is for the
//! billing contact only (R1); none is for corporate accounts (R2).

pub use api::{AccountUser, Address, BillingInfo};
use billing::{AccountKind, Country, VatId};
use serde::Deserialize;
use serde_json::Value;

use crate::sessions::Session;
use crate::store::{AccountUserRow, AddressRow, BillingInfoRow, Handover, Store, StoreError};

/// The longest company name, in characters (S46).
pub const MAX_COMPANY_CHARS: usize = 200;

/// The longest address line, city or region, in characters (S46).
pub const MAX_ADDRESS_CHARS: usize = 100;

/// The longest postal code, in characters (S46).
pub const MAX_POSTAL_CODE_CHARS: usize = 10;

/// The countries whose postal codes are exactly five digits (S46); others are checked loosely.
pub const FIVE_DIGIT_POSTAL_CODES: &[&str] = &["IT", "DE", "FR", "ES"];

/// Why an account-administration call did nothing.
#[derive(Debug, thiserror::Error)]
pub enum AdminError {
    /// The session's user no longer belongs to the account (moved or deleted meanwhile).
    #[error("the signed-in user is not a user of this account")]
    NotAUser,
    /// Only the billing contact may do this (R1).
    #[error("only the account's billing contact can {action} (R1)")]
    NotBillingContact {
        /// What was refused, in words.
        action: &'static str,
    },
    /// A corporate account, managed in the Corporate Billing Portal (R2).
    #[error(
        "corporate accounts are managed in the Corporate Billing Portal with a sales representative (R2)"
    )]
    CorporateAccount,
    /// The new billing contact is not a user of the account (R26).
    #[error("`{user}` is not a user of this account")]
    UnknownUser {
        /// The user id as sent.
        user: String,
    },
    /// A VAT id that fails R21.
    #[error("the VAT id `{vat_id}` is not valid: {reason}")]
    InvalidVatId {
        /// The id as sent.
        vat_id: String,
        /// Why.
        reason: String,
    },
    /// A field of the billing information that breaks S46.
    #[error("`{field}` {reason}")]
    InvalidField {
        /// The field, as a path in the body (`address.city`).
        field: &'static str,
        /// What is wrong with it.
        reason: String,
    },
    /// A member the billing information does not have (the country among them: it is the
    /// account's, R27), or a body that is not a JSON object.
    #[error("{reason}")]
    NotAMember {
        /// The member, as a path in the body (`address.country`); empty for the body itself.
        member: String,
        /// What is wrong.
        reason: String,
    },
    /// The store failed or holds data it cannot read.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl AdminError {
    /// The field of the request at fault, if one is.
    pub fn field(&self) -> Option<String> {
        match self {
            AdminError::UnknownUser { .. } => Some("user".to_owned()),
            AdminError::InvalidVatId { .. } => Some("vat_id".to_owned()),
            AdminError::InvalidField { field, .. } => Some((*field).to_owned()),
            AdminError::NotAMember { member, .. } if !member.is_empty() => Some(member.clone()),
            _ => None,
        }
    }
}

impl From<AccountUserRow> for AccountUser {
    fn from(row: AccountUserRow) -> AccountUser {
        AccountUser {
            id: row.id,
            name: row.name,
            email: row.email,
            billing_contact: row.billing_contact,
        }
    }
}

/// A handover of the billing-contact role (R26): the user who takes it; any other field is
/// refused.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HandoverRequest {
    /// The id of the new billing contact, one of the account's users.
    pub user: String,
}

/// A postal address as written by the client. Every member is optional here so that a missing
/// one is answered with its field (S46) rather than a parse error.
#[derive(Clone, Debug, Default)]
pub struct AddressInput {
    /// Street and number (required).
    pub line1: Option<String>,
    /// More of the address (optional).
    pub line2: Option<String>,
    /// The city (required).
    pub city: Option<String>,
    /// The postal code (required).
    pub postal_code: Option<String>,
    /// The region or province (optional).
    pub region: Option<String>,
}

/// The billing information as written by the client: the whole of it, replacing what is on file
/// (S45). The country is not part of it: it is the account's (R27), and a `country` member is
/// refused like any member it does not have.
#[derive(Clone, Debug, Default)]
pub struct BillingInfoInput {
    /// The company name (required).
    pub company: Option<String>,
    /// The postal address (required).
    pub address: Option<AddressInput>,
    /// The VAT id; `null`, `""` or absent means the account has none (S47).
    pub vat_id: Option<String>,
}

/// The members of an object, refusing any not in `known` (named by its path under `prefix`).
fn members<'a>(
    value: &'a Value,
    prefix: &str,
    known: &[&str],
) -> Result<&'a serde_json::Map<String, Value>, AdminError> {
    let object = value.as_object().ok_or_else(|| AdminError::NotAMember {
        member: prefix.trim_end_matches('.').to_owned(),
        reason: "must be a JSON object".to_owned(),
    })?;
    if let Some(unknown) = object.keys().find(|key| !known.contains(&key.as_str())) {
        let member = format!("{prefix}{unknown}");
        let reason = if unknown == "country" {
            "the country is the account's and is not changed here (R27)".to_owned()
        } else {
            format!("`{member}` is not a member of the billing information")
        };
        return Err(AdminError::NotAMember { member, reason });
    }
    Ok(object)
}

/// A text member: `None` when absent or `null`; anything but a string is refused with its path.
fn text_member(
    object: &serde_json::Map<String, Value>,
    key: &str,
    field: &'static str,
) -> Result<Option<String>, AdminError> {
    match object.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) => Ok(Some(text.clone())),
        Some(_) => Err(AdminError::InvalidField {
            field,
            reason: "must be a string or null".to_owned(),
        }),
    }
}

impl BillingInfoInput {
    /// Reads the billing information from a JSON body, naming the member at fault (S46): a
    /// member of the wrong type or one the billing information does not have is refused with its
    /// path, so the client can show it next to its field.
    pub fn from_json(body: &Value) -> Result<BillingInfoInput, AdminError> {
        let top = members(body, "", &["company", "address", "vat_id"])?;
        let address = match top.get("address") {
            None | Some(Value::Null) => None,
            Some(value) => {
                let address = members(
                    value,
                    "address.",
                    &["line1", "line2", "city", "postal_code", "region"],
                )?;
                Some(AddressInput {
                    line1: text_member(address, "line1", "address.line1")?,
                    line2: text_member(address, "line2", "address.line2")?,
                    city: text_member(address, "city", "address.city")?,
                    postal_code: text_member(address, "postal_code", "address.postal_code")?,
                    region: text_member(address, "region", "address.region")?,
                })
            }
        };
        Ok(BillingInfoInput {
            company: text_member(top, "company", "company")?,
            address,
            vat_id: text_member(top, "vat_id", "vat_id")?,
        })
    }
}

impl From<AddressRow> for Address {
    fn from(row: AddressRow) -> Address {
        Address {
            line1: row.line1,
            line2: row.line2,
            city: row.city,
            postal_code: row.postal_code,
            region: row.region,
        }
    }
}

impl From<BillingInfoRow> for BillingInfo {
    fn from(row: BillingInfoRow) -> BillingInfo {
        BillingInfo {
            company: row.company,
            country: row.country,
            address: row.address.map(Address::from),
            vat_id: row.vat_id,
        }
    }
}

/// Whether an account kind as stored is the engine's corporate kind (R2); a kind the engine
/// does not know is not corporate (the account query would refuse such an account anyway).
pub(crate) fn is_corporate(kind: &str) -> bool {
    serde_json::from_value::<AccountKind>(Value::String(kind.to_owned()))
        .is_ok_and(|kind| kind == AccountKind::Corporate)
}

/// The account's users (R26), for every user of the account: the read-only notice names the
/// billing contact from it (R1). Corporate accounts are refused (R2).
pub async fn users(store: &Store, session: &Session) -> Result<Vec<AccountUser>, AdminError> {
    let listed = store
        .account_users(&session.account_id)
        .await?
        .ok_or(AdminError::NotAUser)?;
    if !listed.users.iter().any(|u| u.id == session.user_id) {
        return Err(AdminError::NotAUser);
    }
    if is_corporate(&listed.kind) {
        return Err(AdminError::CorporateAccount);
    }
    Ok(listed.users.into_iter().map(AccountUser::from).collect())
}

/// Hands the billing-contact role to `to_user`, another user of the account (R26); answers the
/// users as they are afterwards. The role moves in one statement, which also checks that the
/// session's user still holds it, so two handovers at once leave exactly one billing contact.
/// Naming oneself changes nothing (S48).
pub async fn hand_over(
    store: &Store,
    session: &Session,
    to_user: &str,
) -> Result<Vec<AccountUser>, AdminError> {
    let listed = store
        .account_users(&session.account_id)
        .await?
        .ok_or(AdminError::NotAUser)?;
    let me = listed
        .users
        .iter()
        .find(|u| u.id == session.user_id)
        .ok_or(AdminError::NotAUser)?;
    let refused = AdminError::NotBillingContact {
        action: "hand over the billing-contact role",
    };
    // R1 before R2, as orders check them.
    if !me.billing_contact {
        return Err(refused);
    }
    if is_corporate(&listed.kind) {
        return Err(AdminError::CorporateAccount);
    }
    match store
        .move_billing_contact(&session.account_id, &session.user_id, to_user)
        .await?
    {
        Handover::Moved => {}
        Handover::UnknownUser => {
            return Err(AdminError::UnknownUser {
                user: to_user.to_owned(),
            });
        }
        Handover::NotBillingContact => return Err(refused),
    }
    tracing::info!(
        account = %session.account_id,
        from = %session.user_id,
        to = %to_user,
        "billing contact handed over (R26)"
    );
    users(store, session).await
}

/// The billing information on file (R27), for the billing contact of a standard account.
pub async fn billing_info(store: &Store, session: &Session) -> Result<BillingInfo, AdminError> {
    let row = contact_row(store, session, "see the billing information").await?;
    Ok(BillingInfo::from(row))
}

/// Why the session's user may not manage the account's billing (R1 before R2), before the
/// caller's own error names the action refused.
pub(crate) enum Refusal {
    /// The user no longer belongs to the account.
    NotAUser,
    /// The user is not the billing contact (R1).
    NotBillingContact,
    /// A corporate account (R2).
    CorporateAccount,
}

/// The account's billing information when the session's user is its billing contact on a
/// self-service account (R1, then R2), else why not: the one role check of the account's
/// management calls (this module's and `payment_methods`).
pub(crate) async fn billing_contact_row(
    store: &Store,
    session: &Session,
) -> Result<Result<BillingInfoRow, Refusal>, StoreError> {
    let Some(row) = store
        .billing_info(&session.account_id, &session.user_id)
        .await?
    else {
        return Ok(Err(Refusal::NotAUser));
    };
    Ok(if !row.is_billing_contact {
        Err(Refusal::NotBillingContact)
    } else if is_corporate(&row.kind) {
        Err(Refusal::CorporateAccount)
    } else {
        Ok(row)
    })
}

/// The account's billing information as the billing contact may see and change it (R1, R2).
async fn contact_row(
    store: &Store,
    session: &Session,
    action: &'static str,
) -> Result<BillingInfoRow, AdminError> {
    billing_contact_row(store, session)
        .await?
        .map_err(|refusal| match refusal {
            Refusal::NotAUser => AdminError::NotAUser,
            Refusal::NotBillingContact => AdminError::NotBillingContact { action },
            Refusal::CorporateAccount => AdminError::CorporateAccount,
        })
}

/// Replaces the billing information (R27) after checking it (S46, and R21 for the VAT id through
/// the engine's parser); answers it as stored. The account's lock of this process is held for
/// the write, so an order or renewal of this process that read the account before cannot write
/// an older VAT id over the new one.
pub async fn update_billing_info(
    store: &Store,
    session: &Session,
    input: BillingInfoInput,
) -> Result<BillingInfo, AdminError> {
    let action = "change the billing information";
    let row = contact_row(store, session, action).await?;
    let country: Country = row
        .country
        .parse()
        .map_err(|_| StoreError::Corrupt(format!("account {}: country", session.account_id)))?;
    let checked = check(input, country)?;
    let guard = store.lock_account(&session.account_id).await;
    let saved = store
        .save_billing_info(
            &session.account_id,
            &session.user_id,
            &checked.company,
            checked.vat_id.as_ref().map(VatId::as_str),
            &checked.address,
        )
        .await?;
    drop(guard);
    if !saved {
        // The role moved (R26) between the check above and the write, which checks it again.
        return Err(AdminError::NotBillingContact { action });
    }
    // What was written, as `GET` reads it back: not read again, so a handover right after the
    // write cannot turn a saved change into a refusal.
    Ok(BillingInfo {
        company: checked.company,
        country: row.country,
        address: Some(Address::from(checked.address)),
        vat_id: checked.vat_id.map(|id| id.as_str().to_owned()),
    })
}

/// Billing information that passed its checks.
#[derive(Debug)]
struct Checked {
    company: String,
    address: AddressRow,
    vat_id: Option<VatId>,
}

/// Checks the billing information for an account of `country` (S46, S47, R21).
fn check(input: BillingInfoInput, country: Country) -> Result<Checked, AdminError> {
    let company = required("company", input.company, MAX_COMPANY_CHARS)?;
    let address = input.address.ok_or_else(|| AdminError::InvalidField {
        field: "address",
        reason: "is required".to_owned(),
    })?;
    let line1 = required("address.line1", address.line1, MAX_ADDRESS_CHARS)?;
    let line2 = optional("address.line2", address.line2, MAX_ADDRESS_CHARS)?;
    let city = required("address.city", address.city, MAX_ADDRESS_CHARS)?;
    let postal_code = required(
        "address.postal_code",
        address.postal_code,
        MAX_POSTAL_CODE_CHARS,
    )?;
    check_postal_code(&postal_code, country)?;
    let region = optional("address.region", address.region, MAX_ADDRESS_CHARS)?;
    let vat_id = check_vat_id(input.vat_id.as_deref(), country)?;
    Ok(Checked {
        company,
        address: AddressRow {
            line1,
            line2,
            city,
            postal_code,
            region,
        },
        vat_id,
    })
}

/// A text field after trimming: `None` when absent or blank; refused when longer than `max`
/// characters or holding control characters (a line break would break the printed receipt).
fn text(
    field: &'static str,
    value: Option<String>,
    max: usize,
) -> Result<Option<String>, AdminError> {
    let Some(value) = value else {
        return Ok(None);
    };
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    if value.chars().count() > max {
        return Err(AdminError::InvalidField {
            field,
            reason: format!("has more than {max} characters"),
        });
    }
    if value.chars().any(char::is_control) {
        return Err(AdminError::InvalidField {
            field,
            reason: "holds a line break or another control character".to_owned(),
        });
    }
    Ok(Some(value.to_owned()))
}

/// A text field that must be given (S46).
fn required(field: &'static str, value: Option<String>, max: usize) -> Result<String, AdminError> {
    text(field, value, max)?.ok_or_else(|| AdminError::InvalidField {
        field,
        reason: "is required".to_owned(),
    })
}

/// A text field that may be left out; blank is left out (S46).
fn optional(
    field: &'static str,
    value: Option<String>,
    max: usize,
) -> Result<Option<String>, AdminError> {
    text(field, value, max)
}

/// The postal code's form (S46): five digits where the country's codes are, else letters,
/// digits, spaces and hyphens with at least one digit or letter.
fn check_postal_code(code: &str, country: Country) -> Result<(), AdminError> {
    let bad = |reason: String| AdminError::InvalidField {
        field: "address.postal_code",
        reason,
    };
    if FIVE_DIGIT_POSTAL_CODES.contains(&country.code()) {
        if code.len() != 5 || !code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad(format!("must be five digits in {country}")));
        }
        return Ok(());
    }
    let allowed = code
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == ' ' || c == '-');
    if !allowed || !code.chars().any(|c| c.is_ascii_alphanumeric()) {
        return Err(bad(
            "may hold only letters, digits, spaces and hyphens".to_owned()
        ));
    }
    Ok(())
}

/// The VAT id (R21, S47): none when absent, `null` or blank; else valid for its country's
/// format (and the Italian check digit) by the engine's parser, and issued by the account's
/// country.
pub fn check_vat_id(text: Option<&str>, country: Country) -> Result<Option<VatId>, AdminError> {
    let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    let vat_id = VatId::parse(text).map_err(|error| AdminError::InvalidVatId {
        vat_id: text.to_owned(),
        reason: error.to_string(),
    })?;
    if vat_id.country() != country {
        return Err(AdminError::InvalidVatId {
            vat_id: text.to_owned(),
            reason: format!(
                "it was issued by {}, but the account is in {country}",
                vat_id.country()
            ),
        });
    }
    Ok(Some(vat_id))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn italy() -> Country {
        "IT".parse().expect("a country")
    }

    fn input(postal_code: &str, vat_id: Option<&str>) -> BillingInfoInput {
        BillingInfoInput {
            company: Some("  Rossi S.r.l. ".to_owned()),
            address: Some(AddressInput {
                line1: Some("Via Roma 1".to_owned()),
                line2: Some("   ".to_owned()),
                city: Some("Milano".to_owned()),
                postal_code: Some(postal_code.to_owned()),
                region: None,
            }),
            vat_id: vat_id.map(str::to_owned),
        }
    }

    #[test]
    fn texts_are_trimmed_and_blank_optional_parts_left_out() {
        let checked = check(input("20121", Some(" it 00743110157 ")), italy()).expect("valid");
        assert_eq!(checked.company, "Rossi S.r.l.");
        assert_eq!(checked.address.line2, None);
        assert_eq!(
            checked.vat_id.as_ref().map(VatId::as_str),
            Some("IT00743110157")
        );
        assert!(
            check(input("20121", Some("")), italy())
                .expect("valid")
                .vat_id
                .is_none()
        );
    }

    #[test]
    fn each_broken_field_is_named() {
        let field = |input: BillingInfoInput, country: Country| {
            check(input, country).expect_err("refused").field()
        };
        assert_eq!(
            field(input("2012", None), italy()),
            Some("address.postal_code".to_owned())
        );
        let germany: Country = "DE".parse().expect("a country");
        assert_eq!(
            field(input("20121", Some("IT00743110157")), germany),
            Some("vat_id".to_owned())
        );
        assert_eq!(
            field(input("20121", Some("IT00743110158")), italy()),
            Some("vat_id".to_owned())
        );
        let mut long = input("20121", None);
        long.company = Some("x".repeat(MAX_COMPANY_CHARS + 1));
        assert_eq!(field(long, italy()), Some("company".to_owned()));
        let mut no_city = input("20121", None);
        if let Some(address) = no_city.address.as_mut() {
            address.city = Some(" ".to_owned());
        }
        assert_eq!(field(no_city, italy()), Some("address.city".to_owned()));
        let mut broken = input("20121", None);
        if let Some(address) = broken.address.as_mut() {
            address.line1 = Some("Via Roma\n1".to_owned());
        }
        assert_eq!(field(broken, italy()), Some("address.line1".to_owned()));
        let mut none = input("20121", None);
        none.address = None;
        assert_eq!(field(none, italy()), Some("address".to_owned()));
    }

    #[test]
    fn members_of_the_wrong_type_or_unknown_are_named_by_their_path() {
        let member = |body: Value| {
            BillingInfoInput::from_json(&body)
                .expect_err("refused")
                .field()
        };
        assert_eq!(member(json!({"company": 5})), Some("company".to_owned()));
        assert_eq!(
            member(json!({"address": {"city": ["Milano"]}})),
            Some("address.city".to_owned())
        );
        assert_eq!(member(json!({"country": "DE"})), Some("country".to_owned()));
        assert_eq!(
            member(json!({"address": {"country": "DE"}})),
            Some("address.country".to_owned())
        );
        assert_eq!(
            member(json!({"address": "Via Roma"})),
            Some("address".to_owned())
        );
        assert_eq!(member(json!([])), None);
        let read = BillingInfoInput::from_json(&json!({"company": "Rossi", "vat_id": null}))
            .expect("read");
        assert_eq!(read.company.as_deref(), Some("Rossi"));
        assert!(read.address.is_none() && read.vat_id.is_none());
    }

    #[test]
    fn the_corporate_kind_is_read_as_the_engine_writes_it() {
        assert!(is_corporate("corporate"));
        assert!(!is_corporate("standard"));
        assert!(!is_corporate("Corporate "));
    }

    #[test]
    fn postal_codes_outside_the_five_digit_countries_are_checked_loosely() {
        let ireland: Country = "IE".parse().expect("a country");
        assert!(check_postal_code("D02 X285", ireland).is_ok());
        assert!(check_postal_code("D02/X285", ireland).is_err());
        assert!(check_postal_code(" - ", ireland).is_err());
    }
}
