//! The account pages' data, apart from the browser: the api.md v1.1 answers read with
//! `json-text` (no serde in the bundle), the billing-information form with the checks shown next
//! to its fields (R21, S46, S12), the request bodies, and where the pages send the user.
//! Everything here is tested natively.

use billing::vat::VatIdError;
use billing::{Country, VatId};
use json_text::{Json, Object};

/// The signed-in account as the pages need it (`GET /api/v1/account`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccountView {
    /// The company name shown in the header.
    pub name: String,
    /// Whether the account is `corporate` (R2: managed in the Corporate Billing Portal).
    pub corporate: bool,
    /// The account's country (two capitals), which the VAT id must belong to (S12).
    pub country: String,
    /// The account's currency, for the next renewal's amount.
    pub currency: String,
    /// Whether the signed-in user is the billing contact (R1): otherwise everything is read-only.
    pub is_billing_contact: bool,
    /// The billing contact as "name (e-mail)", to ask (R1); none for an account without one.
    pub contact: Option<String>,
    /// The next renewal's date and amount (R16), if one is due.
    pub next_payment: Option<(String, String)>,
}

impl AccountView {
    /// Whether the signed-in user may change anything here (R1, R2).
    pub fn can_manage(&self) -> bool {
        self.is_billing_contact && !self.corporate
    }
}

/// A card on file (`GET /api/v1/payment-methods`, R25): never a card number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Card {
    /// The payment-method id (`pm_1`).
    pub id: String,
    /// The brand (`visa`).
    pub brand: String,
    /// The last four digits.
    pub last4: String,
    /// The expiry month, `YYYY-MM`.
    pub exp: String,
    /// Whether renewals are charged to it.
    pub default: bool,
}

impl Card {
    /// The brand as written on the card ("Visa", "Mastercard"; an unknown brand as it came).
    pub fn brand_name(&self) -> String {
        brand_name(&self.brand)
    }

    /// The expiry as printed on cards, `MM/YYYY`.
    pub fn exp_text(&self) -> String {
        match self.exp.split_once('-') {
            Some((year, month)) => format!("{month}/{year}"),
            None => self.exp.clone(),
        }
    }
}

/// A card brand as written on the card ("Visa", "Mastercard"; an unknown brand as it came).
pub fn brand_name(brand: &str) -> String {
    match brand {
        "visa" => "Visa".to_owned(),
        "mastercard" => "Mastercard".to_owned(),
        "amex" => "American Express".to_owned(),
        other => other.to_owned(),
    }
}

/// A user of the account (`GET /api/v1/account/users`, R26).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct User {
    /// The user id, named by a handover.
    pub id: String,
    /// The user's name.
    pub name: String,
    /// The user's e-mail address.
    pub email: String,
    /// Whether the user is the billing contact.
    pub billing_contact: bool,
}

impl User {
    /// "name (e-mail)", as the pages name a user.
    pub fn label(&self) -> String {
        format!("{} ({})", self.name, self.email)
    }
}

/// A refusal of the API: the status and the api.md error code and field, if the body had them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    /// The HTTP status.
    pub status: u16,
    /// The api.md error code (`payment_method_in_use`), empty when the body was not an error.
    pub code: String,
    /// The field the error names (`address.postal_code`), if any.
    pub field: Option<String>,
}

impl Refusal {
    /// Reads an error answer; a body that is not api.md's error object keeps only the status.
    pub fn read(status: u16, body: &str) -> Refusal {
        let error = json_text::parse(body);
        let error = error.as_ref().and_then(|json| json.get("error"));
        Refusal {
            status,
            code: error
                .and_then(|e| text(e, "code"))
                .unwrap_or_default()
                .to_owned(),
            field: error.and_then(|e| text(e, "field")).map(str::to_owned),
        }
    }
}

fn text<'a>(json: &'a Json, key: &str) -> Option<&'a str> {
    json.get(key).and_then(Json::as_str)
}

fn owned(json: &Json, key: &str) -> Option<String> {
    text(json, key).map(str::to_owned)
}

/// A member that may be absent, `null` or a string.
fn nullable(json: &Json, key: &str) -> Option<Option<String>> {
    match json.get(key) {
        None | Some(Json::Null) => Some(None),
        Some(value) => value.as_str().map(|s| Some(s.to_owned())),
    }
}

/// Reads `GET /api/v1/account`; `None` when the answer is not an account.
pub fn read_account(body: &str) -> Option<AccountView> {
    let json = json_text::parse(body)?;
    let contact = match json.get("billing_contact") {
        None | Some(Json::Null) => None,
        Some(c) => Some(format!("{} ({})", text(c, "name")?, text(c, "email")?)),
    };
    let next_payment = match json.get("next_payment") {
        None | Some(Json::Null) => None,
        Some(next) => Some((owned(next, "date")?, owned(next, "amount")?)),
    };
    Some(AccountView {
        name: owned(&json, "name")?,
        corporate: text(&json, "kind")? == "corporate",
        country: owned(&json, "country")?,
        currency: owned(&json, "currency")?,
        is_billing_contact: json.get("is_billing_contact")?.as_bool()?,
        contact,
        next_payment,
    })
}

fn read_card(json: &Json) -> Option<Card> {
    Some(Card {
        id: owned(json, "id")?,
        brand: owned(json, "brand")?,
        last4: owned(json, "last4")?,
        exp: owned(json, "exp")?,
        default: json.get("default")?.as_bool()?,
    })
}

/// Reads the card list (`GET /api/v1/payment-methods`, and a new default's answer).
pub fn read_cards(body: &str) -> Option<Vec<Card>> {
    let json = json_text::parse(body)?;
    json.get("payment_methods")?
        .as_array()?
        .iter()
        .map(read_card)
        .collect()
}

/// Reads one saved card (`201` of `POST /api/v1/payment-methods`).
pub fn read_new_card(body: &str) -> Option<Card> {
    read_card(&json_text::parse(body)?)
}

/// Reads the account's users (`GET /api/v1/account/users`, a handover's answer).
pub fn read_users(body: &str) -> Option<Vec<User>> {
    let json = json_text::parse(body)?;
    json.get("users")?
        .as_array()?
        .iter()
        .map(|user| {
            Some(User {
                id: owned(user, "id")?,
                name: owned(user, "name")?,
                email: owned(user, "email")?,
                billing_contact: user.get("billing_contact")?.as_bool()?,
            })
        })
        .collect()
}

/// Reads the provider's card page and the set-up id (`POST /api/v1/payment-methods/setup`).
pub fn read_setup(body: &str) -> Option<(String, String)> {
    let json = json_text::parse(body)?;
    Some((owned(&json, "url")?, owned(&json, "setup")?))
}

/// The set-up id the payment provider sends the customer back with (`?setup=<id>`, S85).
pub fn setup_from_query(query: &str) -> Option<String> {
    query
        .trim_start_matches('?')
        .split('&')
        .find_map(|pair| pair.strip_prefix("setup="))
        .filter(|id| {
            !id.is_empty()
                && id
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        })
        .map(str::to_owned)
}

/// Where a user without a session goes: the checkout's sign-in, which comes back to `path`
/// afterwards (`/?next=/account/`). Only a path of the account pages is passed on, so the
/// parameter never sends anyone elsewhere.
pub fn sign_in_url(path: &str) -> String {
    let path = if path.starts_with("/account/")
        && path
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'-' | b'_'))
    {
        path
    } else {
        "/account/"
    };
    format!("/?next={path}")
}

/// A field of the billing-information form (R27), in the order the server checks them (S46).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    /// The company name.
    Company,
    /// The street and number.
    Line1,
    /// The second address line (optional).
    Line2,
    /// The city.
    City,
    /// The postal code.
    PostalCode,
    /// The region or province (optional).
    Region,
    /// The VAT id (optional, R21).
    VatId,
}

impl Field {
    /// Every field, in the form's order.
    pub const ALL: [Field; 7] = [
        Field::Company,
        Field::Line1,
        Field::Line2,
        Field::City,
        Field::PostalCode,
        Field::Region,
        Field::VatId,
    ];

    /// The field's path in the request body, as the server's `field` names it (S46).
    pub fn path(self) -> &'static str {
        match self {
            Field::Company => "company",
            Field::Line1 => "address.line1",
            Field::Line2 => "address.line2",
            Field::City => "address.city",
            Field::PostalCode => "address.postal_code",
            Field::Region => "address.region",
            Field::VatId => "vat_id",
        }
    }

    /// The field a server refusal names; `address` alone is the first address line.
    pub fn from_path(path: &str) -> Option<Field> {
        if path == "address" {
            return Some(Field::Line1);
        }
        Field::ALL.into_iter().find(|f| f.path() == path)
    }

    /// The element id of the field's input (`bi-postal_code`).
    pub fn id(self) -> &'static str {
        match self {
            Field::Company => "bi-company",
            Field::Line1 => "bi-line1",
            Field::Line2 => "bi-line2",
            Field::City => "bi-city",
            Field::PostalCode => "bi-postal_code",
            Field::Region => "bi-region",
            Field::VatId => "bi-vat_id",
        }
    }

    /// The most characters the field takes (S46); the VAT id is bounded by its format.
    fn max(self) -> usize {
        match self {
            Field::Company => 200,
            Field::PostalCode => 10,
            _ => 100,
        }
    }

    fn required(self) -> bool {
        matches!(
            self,
            Field::Company | Field::Line1 | Field::City | Field::PostalCode
        )
    }
}

/// What is wrong with a field's text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Problem {
    /// A required field is blank.
    Required,
    /// Longer than the field's limit (S46).
    TooLong,
    /// A line break or another control character (S46).
    ControlCharacter,
    /// Not five digits in IT, DE, FR and ES (S46).
    PostalCodeDigits,
    /// Elsewhere, not letters, digits, spaces and hyphens (S46).
    PostalCodeChars,
    /// Not the VAT id format of an EU member state (R21).
    VatFormat,
    /// An Italian VAT id whose check digit is wrong (R21).
    VatCheckDigit,
    /// A valid VAT id of another country than the account's (S12).
    VatOtherCountry,
    /// The server refused the field for a reason the page does not check itself.
    Refused,
}

/// The countries whose postal codes are five digits (S46).
const FIVE_DIGIT_POSTAL_CODES: [&str; 4] = ["IT", "DE", "FR", "ES"];

/// The billing-information form (R27): what the fields hold, as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Form {
    /// The text of each field, in [`Field::ALL`]'s order.
    pub values: [String; 7],
    /// The account's country (not editable here, R27).
    pub country: String,
}

impl Form {
    /// The form filled with the billing information on file (`GET /api/v1/account/billing-info`).
    pub fn read(body: &str) -> Option<Form> {
        let json = json_text::parse(body)?;
        let address = match json.get("address") {
            None | Some(Json::Null) => None,
            Some(address) => Some(address),
        };
        let member = |key: &str| -> Option<String> {
            match address {
                Some(a) => Some(nullable(a, key)?.unwrap_or_default()),
                None => Some(String::new()),
            }
        };
        Some(Form {
            values: [
                owned(&json, "company")?,
                member("line1")?,
                member("line2")?,
                member("city")?,
                member("postal_code")?,
                member("region")?,
                nullable(&json, "vat_id")?.unwrap_or_default(),
            ],
            country: owned(&json, "country")?,
        })
    }

    /// The text of `field`.
    pub fn get(&self, field: Field) -> &str {
        &self.values[field as usize]
    }

    /// Sets the text of `field`.
    pub fn set(&mut self, field: Field, value: String) {
        self.values[field as usize] = value;
    }

    /// What is wrong with `field`'s text, as the server would find it (S46, R21, S12).
    pub fn problem(&self, field: Field) -> Option<Problem> {
        let value = self.get(field).trim();
        if value.is_empty() {
            return field.required().then_some(Problem::Required);
        }
        if value.chars().count() > field.max() && field != Field::VatId {
            return Some(Problem::TooLong);
        }
        if value.chars().any(char::is_control) {
            return Some(Problem::ControlCharacter);
        }
        match field {
            Field::PostalCode if FIVE_DIGIT_POSTAL_CODES.contains(&self.country.as_str()) => {
                (value.len() != 5 || !value.bytes().all(|b| b.is_ascii_digit()))
                    .then_some(Problem::PostalCodeDigits)
            }
            Field::PostalCode => {
                let allowed = value
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == ' ' || c == '-');
                (!allowed).then_some(Problem::PostalCodeChars)
            }
            Field::VatId => match VatId::parse(value) {
                Err(VatIdError::BadCheckDigit { .. }) => Some(Problem::VatCheckDigit),
                Err(_) => Some(Problem::VatFormat),
                Ok(id) => (self.country.parse::<Country>().ok() != Some(id.country()))
                    .then_some(Problem::VatOtherCountry),
            },
            _ => None,
        }
    }

    /// The body of `PUT /api/v1/account/billing-info`: the whole information (S45), blank
    /// optional lines and a blank VAT id as `null` (S47).
    pub fn body(&self) -> String {
        let optional = |field: Field| {
            let value = self.get(field).trim();
            if value.is_empty() {
                "null".to_owned()
            } else {
                let mut out = String::new();
                json_text::write_string(&mut out, value);
                out
            }
        };
        let address = Object::new()
            .string("line1", self.get(Field::Line1).trim())
            .raw("line2", &optional(Field::Line2))
            .string("city", self.get(Field::City).trim())
            .string("postal_code", self.get(Field::PostalCode).trim())
            .raw("region", &optional(Field::Region))
            .finish();
        Object::new()
            .string("company", self.get(Field::Company).trim())
            .raw("address", &address)
            .raw("vat_id", &optional(Field::VatId))
            .finish()
    }
}

/// The body of `PUT /api/v1/account/billing-contact` (R26).
pub fn contact_body(user: &str) -> String {
    Object::new().string("user", user).finish()
}

/// The body of `POST /api/v1/payment-methods` (R25).
pub fn new_card_body(setup: &str) -> String {
    Object::new().string("setup", setup).finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card(id: &str, last4: &str, default: bool) -> api::Card {
        api::Card {
            id: id.into(),
            brand: "visa".into(),
            last4: last4.into(),
            exp: "2028-04".into(),
            default,
        }
    }

    #[test]
    fn the_cards_are_read_as_the_server_writes_them() {
        let list = api::PaymentMethods {
            payment_methods: vec![card("pm_1", "4242", true), card("pm_2", "3155", false)],
        };
        let cards = read_cards(&serde_json::to_string(&list).expect("json")).expect("cards");
        assert_eq!(cards.len(), 2);
        assert_eq!(
            (
                cards[0].id.as_str(),
                cards[0].default,
                cards[1].last4.as_str()
            ),
            ("pm_1", true, "3155")
        );
        assert_eq!(cards[0].exp_text(), "04/2028");
        assert_eq!(cards[0].brand_name(), "Visa");
        let one =
            read_new_card(&serde_json::to_string(&card("pm_9", "1111", false)).expect("json"));
        assert_eq!(one.map(|c| c.id), Some("pm_9".to_owned()));
        assert_eq!(read_cards(r#"{"payment_methods":[{"id":"pm_1"}]}"#), None);
    }

    #[test]
    fn users_setups_and_errors_are_read() {
        let users = api::AccountUsers {
            users: vec![api::AccountUser {
                id: "usr_giulia".into(),
                name: "Giulia Rossi".into(),
                email: "giulia.rossi@example.com".into(),
                billing_contact: true,
            }],
        };
        let read = read_users(&serde_json::to_string(&users).expect("json")).expect("users");
        assert_eq!(read[0].label(), "Giulia Rossi (giulia.rossi@example.com)");
        assert!(read[0].billing_contact);
        let setup = api::CardSetup {
            setup: "seti_1".into(),
            url: "http://127.0.0.1:9/setup/seti_1".into(),
        };
        assert_eq!(
            read_setup(&serde_json::to_string(&setup).expect("json")),
            Some(("http://127.0.0.1:9/setup/seti_1".into(), "seti_1".into()))
        );
        let refusal = Refusal::read(
            422,
            r#"{"error":{"code":"invalid_request","message":"m","field":"address.city"}}"#,
        );
        assert_eq!(refusal.code, "invalid_request");
        assert_eq!(
            refusal.field.as_deref().and_then(Field::from_path),
            Some(Field::City)
        );
        assert_eq!(Refusal::read(502, "<html>").code, "");
    }

    #[test]
    fn the_account_says_who_may_manage_it() {
        let body = r#"{"id":"acc_rossi","name":"Rossi S.r.l.","kind":"standard","country":"IT",
            "currency":"EUR","vat_id":null,"credit":"0.00",
            "billing_contact":{"name":"Giulia Rossi","email":"g@example.com"},
            "is_billing_contact":false,"payment_methods":[],"subscriptions":[],
            "next_payment":{"date":"2026-12-01","amount":"85.40","credit_applied":"0.00"},
            "as_of":"2026-11-16"}"#;
        let account = read_account(body).expect("account");
        assert_eq!(
            account.contact.as_deref(),
            Some("Giulia Rossi (g@example.com)")
        );
        assert_eq!(
            account.next_payment,
            Some(("2026-12-01".into(), "85.40".into()))
        );
        assert!(!account.can_manage(), "R1: not the billing contact");
        let corporate = body.replace("\"standard\"", "\"corporate\"").replace(
            "\"is_billing_contact\":false",
            "\"is_billing_contact\":true",
        );
        assert!(
            !read_account(&corporate).expect("account").can_manage(),
            "R2"
        );
        let contact = body.replace(
            "\"is_billing_contact\":false",
            "\"is_billing_contact\":true",
        );
        assert!(read_account(&contact).expect("account").can_manage());
    }

    #[test]
    fn the_form_reads_the_billing_information_and_writes_it_back() {
        let info = api::BillingInfo {
            company: "Rossi S.r.l.".into(),
            country: "IT".into(),
            address: Some(api::Address {
                line1: "Via Roma 1".into(),
                line2: None,
                city: "Milano".into(),
                postal_code: "20121".into(),
                region: Some("MI".into()),
            }),
            vat_id: None,
        };
        let mut form = Form::read(&serde_json::to_string(&info).expect("json")).expect("form");
        assert_eq!(form.get(Field::City), "Milano");
        assert_eq!(form.get(Field::Line2), "");
        form.set(Field::VatId, " IT00743110157 ".into());
        form.set(Field::Line2, "  ".into());
        let update: api::BillingInfoUpdate = serde_json::from_str(&form.body()).expect("update");
        assert_eq!(update.vat_id.as_deref(), Some("IT00743110157"));
        assert_eq!(update.address.line2, None, "S47: blank is null");
        assert_eq!(update.address.region.as_deref(), Some("MI"));
        assert_eq!(update.company, "Rossi S.r.l.");
        let empty = api::BillingInfo {
            address: None,
            ..info
        };
        let form =
            Form::read(&serde_json::to_string(&empty).expect("json")).expect("no address yet");
        assert_eq!(form.problem(Field::Line1), Some(Problem::Required));
    }

    #[test]
    fn the_checks_next_to_the_fields_are_the_servers() {
        let mut form = Form {
            country: "IT".into(),
            ..Form::default()
        };
        let mut problem = |field, value: &str| {
            form.set(field, value.into());
            form.problem(field)
        };
        assert_eq!(problem(Field::Company, "  "), Some(Problem::Required));
        assert_eq!(problem(Field::Line2, ""), None, "optional");
        assert_eq!(
            problem(Field::City, &"x".repeat(101)),
            Some(Problem::TooLong)
        );
        assert_eq!(
            problem(Field::City, "a\nb"),
            Some(Problem::ControlCharacter)
        );
        assert_eq!(
            problem(Field::PostalCode, "2012"),
            Some(Problem::PostalCodeDigits)
        );
        assert_eq!(problem(Field::PostalCode, "20121"), None);
        // R21: format, then the Italian check digit; S12: the account's country.
        assert_eq!(problem(Field::VatId, "IT123"), Some(Problem::VatFormat));
        assert_eq!(
            problem(Field::VatId, "IT00743110158"),
            Some(Problem::VatCheckDigit)
        );
        assert_eq!(
            problem(Field::VatId, "DE123456789"),
            Some(Problem::VatOtherCountry)
        );
        assert_eq!(problem(Field::VatId, "IT00743110157"), None);
        assert_eq!(problem(Field::VatId, ""), None, "S47: no VAT id");
        let mut uk = Form {
            country: "GB".into(),
            ..Form::default()
        };
        uk.set(Field::PostalCode, "SW1A 1AA".into());
        assert_eq!(uk.problem(Field::PostalCode), None);
        uk.set(Field::PostalCode, "SW1A_1AA".into());
        assert_eq!(
            uk.problem(Field::PostalCode),
            Some(Problem::PostalCodeChars)
        );
    }

    #[test]
    fn the_return_and_the_sign_in_addresses_are_read_strictly() {
        assert_eq!(
            setup_from_query("?setup=seti_ab12"),
            Some("seti_ab12".into())
        );
        assert_eq!(setup_from_query("?x=1&setup=seti_1"), Some("seti_1".into()));
        assert_eq!(setup_from_query("?setup=a%22b"), None);
        assert_eq!(setup_from_query(""), None);
        assert_eq!(sign_in_url("/account/"), "/?next=/account/");
        assert_eq!(sign_in_url("/account/cards"), "/?next=/account/cards");
        assert_eq!(sign_in_url("//evil.example/"), "/?next=/account/");
        assert_eq!(sign_in_url("/account/../x?y"), "/?next=/account/");
        assert_eq!(contact_body("usr_marco"), r#"{"user":"usr_marco"}"#);
        assert_eq!(new_card_body("seti_1"), r#"{"setup":"seti_1"}"#);
    }
}
