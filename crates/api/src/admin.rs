//! Account administration (api.md v1.1): the account's users and the billing contact (R26), the
//! billing information (R27), and the cards on file (R25).

use serde::{Deserialize, Serialize};

/// A user of the account (`GET /api/v1/account/users`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccountUser {
    /// The user id (`usr_giulia`), named by a billing-contact change.
    pub id: String,
    /// The user's name.
    pub name: String,
    /// The user's e-mail address.
    pub email: String,
    /// Whether the user is the account's billing contact (R1).
    pub billing_contact: bool,
}

/// The account's users, as `GET /api/v1/account/users` and a handover answer them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccountUsers {
    /// Every user of the account, by id.
    pub users: Vec<AccountUser>,
}

/// The body of `PUT /api/v1/account/billing-contact` (R26).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct BillingContactChange {
    /// The id of the new billing contact, a user of the same account (else `422 unknown_user`).
    pub user: String,
}

/// A postal address (R27, S46). Texts are trimmed; none may hold a control character.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Address {
    /// The street and number.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 100))]
    pub line1: String,
    /// A second line; optional, blank is null.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 100, required = true))]
    pub line2: Option<String>,
    /// The city.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 100))]
    pub city: String,
    /// Five digits in IT, DE, FR and ES; elsewhere letters, digits, spaces and hyphens (S46).
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 10))]
    pub postal_code: String,
    /// The region or province; optional, blank is null.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 100, required = true))]
    pub region: Option<String>,
}

/// The billing information (`GET`/`PUT /api/v1/account/billing-info`, R27).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BillingInfo {
    /// The company name.
    pub company: String,
    /// The account's country; not editable here (R27).
    pub country: String,
    /// The postal address, or null until one is saved.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub address: Option<Address>,
    /// The VAT id, normalized (`IT00743110157`), or null.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub vat_id: Option<String>,
}

/// The body of `PUT /api/v1/account/billing-info`: the whole billing information, replacing what
/// is on file (S45). A bad field is `422 invalid_request` naming it (`address.postal_code`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct BillingInfoUpdate {
    /// The company name.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 200))]
    pub company: String,
    /// The postal address.
    pub address: Address,
    /// The VAT id (R21, `422 invalid_vat_id`); null, empty or absent: the account has none (S47).
    #[serde(default)]
    pub vat_id: Option<String>,
}

/// A card on file with its role (`GET /api/v1/payment-methods`, R25): never a card number.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Card {
    /// The id an order names as its `payment_method` (`pm_1`).
    pub id: String,
    /// The card brand (`visa`).
    pub brand: String,
    /// The last four digits.
    pub last4: String,
    /// The expiry month, `YYYY-MM`.
    pub exp: String,
    /// Renewals are charged to it (R25); exactly one card of an account that has any (S56).
    pub default: bool,
}

/// The cards on file, as the list, a new default and a saved card answer them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaymentMethods {
    /// The account's cards.
    pub payment_methods: Vec<Card>,
}

/// The answer of `POST /api/v1/payment-methods/setup`: where the payment provider's card page is
/// (R25: the card number never reaches this server).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CardSetup {
    /// The setup id, sent back with `POST /api/v1/payment-methods` once the provider is done.
    pub setup: String,
    /// The provider's page that collects the card, on another origin.
    pub url: String,
}

/// The body of `POST /api/v1/payment-methods`: saves the card of a setup the provider confirmed
/// (else `402 payment_method_refused` or `409 setup_not_confirmed`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewCard {
    /// The setup id of `POST /api/v1/payment-methods/setup`.
    pub setup: String,
}
