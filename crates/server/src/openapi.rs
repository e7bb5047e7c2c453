//! The OpenAPI 3.1 document of the API, generated with `utoipa` from the wire types of
//! `crates/api` and served at `/api/v1/openapi.json` (S61). The schemas are the types the handlers
//! write, so the document cannot describe another shape than the answers; the operations below
//! list each route's statuses, and a test keeps them equal to [`crate::routes::ROUTES`] and
//! validates real answers against them (`tests/api/contract.rs`).
//!
//! Each operation is declared on an empty function of [`paths`] rather than on its handler: the
//! handlers stay plain axum functions, and the whole contract of the routes reads in one place.

use std::sync::LazyLock;

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

/// The generated document, built once.
pub fn document() -> &'static utoipa::openapi::OpenApi {
    static DOCUMENT: LazyLock<utoipa::openapi::OpenApi> = LazyLock::new(ApiDoc::openapi);
    &DOCUMENT
}

/// Adds the bearer scheme the signed-in operations name (`Authorization: Bearer <token>`).
struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "The token of `POST /api/v1/session`; a missing, unknown or ended one is \
                         `401 unauthenticated`.",
                    ))
                    .build(),
            ),
        );
    }
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Billing Center order API",
        version = "1.1",
        description = "The contract of shared/spec/api.md (v1 and the v1.1 additions), generated \
            from the wire types of crates/api. Money is a string with exactly the currency's minor \
            digits, dates are YYYY-MM-DD, ids are strings. Errors are \
            {\"error\":{\"code\",\"message\",\"field\"?}} with a 4xx status; a 5xx never tells \
            what failed inside. Request bodies are JSON (else 415), at most 64 KiB (else 413), \
            and unknown members are refused (422 invalid_request)."
    ),
    servers((url = "/")),
    modifiers(&BearerAuth),
    paths(
        paths::health,
        paths::catalog,
        paths::openapi,
        paths::sign_in,
        paths::sign_out,
        paths::change_password,
        paths::account,
        paths::account_users,
        paths::hand_over_billing_contact,
        paths::billing_info,
        paths::update_billing_info,
        paths::quote,
        paths::place_order,
        paths::list_orders,
        paths::get_order,
        paths::pay_renewal,
        paths::list_payment_methods,
        paths::make_default_payment_method,
        paths::remove_payment_method,
        paths::start_card_setup,
        paths::add_payment_method,
    ),
)]
struct ApiDoc;

/// The operations, one empty function each (see the module's comment).
#[allow(dead_code)]
mod paths {
    use api::{
        Account, AccountUsers, BillingContactChange, BillingInfo, BillingInfoUpdate, Catalog,
        ErrorBody, Health, HistoryEntry, Order, OrderRequest, Orders, PasswordChange, PayRequest,
        PaymentMethods, Quote, Renewal, SessionToken, SignIn,
    };

    #[utoipa::path(get, path = "/api/v1/health", operation_id = "health", tag = "public",
        summary = "Liveness and the catalog version.",
        responses(
            (status = 200, description = "Up.", body = Health),
            (status = "default", description = "Any other error.", body = ErrorBody),
        ))]
    fn health() {}

    #[utoipa::path(get, path = "/api/v1/catalog", operation_id = "catalog", tag = "public",
        summary = "The catalog prices come from (R7); public to every origin, for the pricing widget.",
        responses(
            (status = 200, description = "The catalog.", body = Catalog),
            (status = "default", description = "Any other error.", body = ErrorBody),
        ))]
    fn catalog() {}

    #[utoipa::path(get, path = "/api/v1/openapi.json", operation_id = "openapi", tag = "public",
        summary = "This document.",
        responses(
            (status = 200, description = "The OpenAPI 3.1 document.", body = Object),
            (status = "default", description = "Any other error.", body = ErrorBody),
        ))]
    fn openapi() {}

    #[utoipa::path(post, path = "/api/v1/session", operation_id = "signIn", tag = "session",
        summary = "Sign in with e-mail and password, under the sign-in limits (S30).",
        request_body = SignIn,
        responses(
            (status = 200, description = "Signed in.", body = SessionToken),
            (status = 401, description = "Wrong e-mail or password (the same answer for both). \
                Codes: invalid_credentials.", body = ErrorBody),
            (status = 413, description = "Body over 64 KiB. Codes: payload_too_large.", body = ErrorBody),
            (status = 415, description = "Content-Type is not application/json. Codes: \
                unsupported_media_type.", body = ErrorBody),
            (status = 422, description = "Not a sign-in body. Codes: invalid_request.", body = ErrorBody),
            (status = 429, description = "The sign-in limits ask to wait (S30): the e-mail and \
                client address together after 5 attempts an hour, with growing delays; the e-mail \
                from any address after 50, the address for any e-mail after 100, unless this \
                e-mail signed in from this address in the last 30 days. No password was checked. \
                Codes: too_many_attempts.", body = ErrorBody,
                headers(("Retry-After" = u32, description = "Seconds to wait."))),
            (status = 503, description = "The password checks are queued full; nothing was \
                checked. Codes: server_busy.", body = ErrorBody,
                headers(("Retry-After" = u32, description = "Seconds to wait."))),
            (status = "default", description = "Any other error.", body = ErrorBody),
        ))]
    fn sign_in() {}

    #[utoipa::path(delete, path = "/api/v1/session", operation_id = "signOut", tag = "session",
        summary = "Signs out: every server process refuses the token from then on (R30).",
        security(("bearer" = [])),
        responses(
            (status = 204, description = "Signed out."),
            (status = 401, description = "Missing, unknown or ended token. Codes: unauthenticated.", body = ErrorBody),
            (status = "default", description = "Any other error.", body = ErrorBody),
        ))]
    fn sign_out() {}

    #[utoipa::path(put, path = "/api/v1/session/password", operation_id = "changePassword",
        tag = "session",
        summary = "Changes the password; the user's other sessions end, this one goes on (R30, S32).",
        security(("bearer" = [])),
        request_body = PasswordChange,
        responses(
            (status = 204, description = "Changed; the user's other sessions have ended."),
            (status = 401, description = "Missing, unknown or ended token. Codes: unauthenticated.", body = ErrorBody),
            (status = 403, description = "The current password is wrong (counted like a sign-in, \
                S30). Codes: invalid_credentials (field current_password).", body = ErrorBody),
            (status = 413, description = "Body over 64 KiB. Codes: payload_too_large.", body = ErrorBody),
            (status = 415, description = "Content-Type is not application/json. Codes: \
                unsupported_media_type.", body = ErrorBody),
            (status = 422, description = "Not a password-change body, or a new password of fewer \
                than 12 or more than 256 characters. Codes: invalid_request (field new_password \
                for the length).", body = ErrorBody),
            (status = 429, description = "The sign-in limits ask to wait (S30). Codes: \
                too_many_attempts.", body = ErrorBody,
                headers(("Retry-After" = u32, description = "Seconds to wait."))),
            (status = 503, description = "The password checks are queued full. Codes: server_busy.",
                body = ErrorBody,
                headers(("Retry-After" = u32, description = "Seconds to wait."))),
            (status = "default", description = "Any other error.", body = ErrorBody),
        ))]
    fn change_password() {}

    #[utoipa::path(get, path = "/api/v1/account", operation_id = "account", tag = "account",
        summary = "The signed-in user's account, renewed up to today (R16); read-only for users \
            who are not its billing contact (R1).",
        security(("bearer" = [])),
        responses(
            (status = 200, description = "The account.", body = Account),
            (status = 401, description = "Missing, unknown or ended token. Codes: unauthenticated.", body = ErrorBody),
            (status = "default", description = "Any other error.", body = ErrorBody),
        ))]
    fn account() {}

    #[utoipa::path(get, path = "/api/v1/account/users", operation_id = "accountUsers",
        tag = "account",
        summary = "The account's users, for every user of a standard account: the read-only \
            notice names the billing contact from it (R1, R26).",
        security(("bearer" = [])),
        responses(
            (status = 200, description = "The users.", body = AccountUsers),
            (status = 401, description = "Missing, unknown or ended token, or a user no longer of \
                the account. Codes: unauthenticated.", body = ErrorBody),
            (status = 403, description = "A corporate account (R2). Codes: corporate_account.", body = ErrorBody),
            (status = "default", description = "Any other error.", body = ErrorBody),
        ))]
    fn account_users() {}

    #[utoipa::path(put, path = "/api/v1/account/billing-contact",
        operation_id = "handOverBillingContact", tag = "account",
        summary = "Hands the billing-contact role to another user of the account in one \
            transaction (R26, S48); from the next request on, in every server process, R1 applies \
            to the new contact.",
        security(("bearer" = [])),
        request_body = BillingContactChange,
        responses(
            (status = 200, description = "The role moved; the users as they are now.", body = AccountUsers),
            (status = 401, description = "Missing, unknown or ended token, or a user no longer of \
                the account. Codes: unauthenticated.", body = ErrorBody),
            (status = 403, description = "Not the billing contact (R1) or a corporate account \
                (R2). Codes: not_billing_contact, corporate_account.", body = ErrorBody),
            (status = 413, description = "Body over 64 KiB. Codes: payload_too_large.", body = ErrorBody),
            (status = 415, description = "Content-Type is not application/json. Codes: \
                unsupported_media_type.", body = ErrorBody),
            (status = 422, description = "Not a handover body, or a user who is not one of the \
                account's users. Codes: invalid_request, unknown_user (field user).", body = ErrorBody),
            (status = "default", description = "Any other error.", body = ErrorBody),
        ))]
    fn hand_over_billing_contact() {}

    #[utoipa::path(get, path = "/api/v1/account/billing-info", operation_id = "billingInfo",
        tag = "account",
        summary = "The billing information: company name, country (the account's), postal \
            address and VAT id (R27).",
        security(("bearer" = [])),
        responses(
            (status = 200, description = "The billing information.", body = BillingInfo),
            (status = 401, description = "Missing, unknown or ended token, or a user no longer of \
                the account. Codes: unauthenticated.", body = ErrorBody),
            (status = 403, description = "Not the billing contact (R1) or a corporate account \
                (R2). Codes: not_billing_contact, corporate_account.", body = ErrorBody),
            (status = "default", description = "Any other error.", body = ErrorBody),
        ))]
    fn billing_info() {}

    #[utoipa::path(put, path = "/api/v1/account/billing-info", operation_id = "updateBillingInfo",
        tag = "account",
        summary = "Replaces the billing information (R27, S45-S47); the country stays the \
            account's.",
        security(("bearer" = [])),
        request_body = BillingInfoUpdate,
        responses(
            (status = 200, description = "Saved; the billing information as stored (texts \
                trimmed, the VAT id normalized).", body = BillingInfo),
            (status = 401, description = "Missing, unknown or ended token, or a user no longer of \
                the account. Codes: unauthenticated.", body = ErrorBody),
            (status = 403, description = "Not the billing contact (R1) or a corporate account \
                (R2). Codes: not_billing_contact, corporate_account.", body = ErrorBody),
            (status = 413, description = "Body over 64 KiB. Codes: payload_too_large.", body = ErrorBody),
            (status = 415, description = "Content-Type is not application/json. Codes: \
                unsupported_media_type.", body = ErrorBody),
            (status = 422, description = "A VAT id that fails R21 or belongs to another country \
                than the account's (field vat_id); a missing, too long, malformed, wrongly typed \
                or unknown member (S46), with its path as the field: company, address, \
                address.line1, address.line2, address.city, address.postal_code, address.region, \
                vat_id, country (the country is the account's, R27). Codes: invalid_vat_id, \
                invalid_request.", body = ErrorBody),
            (status = "default", description = "Any other error.", body = ErrorBody),
        ))]
    fn update_billing_info() {}

    #[utoipa::path(post, path = "/api/v1/quote", operation_id = "quote", tag = "orders",
        summary = "Prices an order request; changes nothing.",
        security(("bearer" = [])),
        request_body = OrderRequest,
        responses(
            (status = 200, description = "The quote.", body = Quote),
            (status = 401, description = "Missing, unknown or ended token. Codes: unauthenticated.", body = ErrorBody),
            (status = 403, description = "A corporate account (R2). Codes: corporate_account.", body = ErrorBody),
            (status = 409, description = "The order does not fit the subscriptions. Codes: \
                product_already_subscribed, subscription_not_active, subscription_not_cancelled, \
                subscription_not_expired, trial_not_available.", body = ErrorBody),
            (status = 413, description = "Body over 64 KiB. Codes: payload_too_large.", body = ErrorBody),
            (status = 415, description = "Content-Type is not application/json. Codes: \
                unsupported_media_type.", body = ErrorBody),
            (status = 422, description = "Not a valid order. Codes: invalid_request, empty_order, \
                invalid_seats, unknown_product, unknown_tier, unknown_subscription, \
                duplicate_item, downgrade_requires_support, no_change, invalid_vat_id, \
                as_of_outside_period, currency_not_sold, country_not_supported.", body = ErrorBody),
            (status = "default", description = "Any other error.", body = ErrorBody),
        ))]
    fn quote() {}

    #[utoipa::path(post, path = "/api/v1/orders", operation_id = "placeOrder", tag = "orders",
        summary = "Places an order (R10-R24). An error places nothing and changes nothing.",
        security(("bearer" = [])),
        params(
            ("Idempotency-Key" = String, Header, min_length = 1, max_length = 255,
                description = "1 to 255 visible characters; the same key and order get the same \
                answer without a second charge (R23)."),
        ),
        request_body = OrderRequest,
        responses(
            (status = 201, description = "The order.", body = Order),
            (status = 400, description = "Idempotency key missing or malformed. Codes: \
                missing_idempotency_key, invalid_idempotency_key.", body = ErrorBody),
            (status = 401, description = "Missing, unknown or ended token. Codes: unauthenticated.", body = ErrorBody),
            (status = 402, description = "The payment was declined (R20). Codes: \
                payment_declined. Stored for the key for 24 hours: the same key and order get \
                the same answer without a second charge attempt (R23, S22).", body = ErrorBody),
            (status = 403, description = "Not allowed to order. Codes: not_billing_contact, \
                corporate_account.", body = ErrorBody),
            (status = 409, description = "Conflict. Codes: price_changed (the body also holds the \
                fresh quote), product_already_subscribed, subscription_not_active, \
                subscription_not_cancelled, subscription_not_expired, trial_not_available, \
                order_in_progress (another order of the account is being paid; retry, S20).",
                body = ErrorBody),
            (status = 413, description = "Body over 64 KiB. Codes: payload_too_large.", body = ErrorBody),
            (status = 415, description = "Content-Type is not application/json. Codes: \
                unsupported_media_type.", body = ErrorBody),
            (status = 422, description = "Not a valid order. Codes: invalid_request, empty_order, \
                invalid_seats, unknown_product, unknown_tier, unknown_subscription, \
                duplicate_item, downgrade_requires_support, no_change, invalid_vat_id, \
                as_of_outside_period, currency_not_sold, country_not_supported, \
                idempotency_key_reused, payment_method_required.", body = ErrorBody),
            (status = "default", description = "Any other error.", body = ErrorBody),
        ))]
    fn place_order() {}

    #[utoipa::path(get, path = "/api/v1/orders", operation_id = "listOrders", tag = "orders",
        summary = "The billing history: orders and renewals, newest first (R28, S73).",
        security(("bearer" = [])),
        responses(
            (status = 200, description = "The orders and renewals.", body = Orders),
            (status = 401, description = "Missing, unknown or ended token. Codes: unauthenticated.", body = ErrorBody),
            (status = "default", description = "Any other error.", body = ErrorBody),
        ))]
    fn list_orders() {}

    #[utoipa::path(get, path = "/api/v1/orders/{id}", operation_id = "getOrder", tag = "orders",
        summary = "One order or renewal (the receipt), with the billing information of its \
            moment (R27, S77).",
        security(("bearer" = [])),
        params(("id" = String, Path, description = "The order id (`ord_...`) or renewal id \
            (`ren_...`).")),
        responses(
            (status = 200, description = "The order or renewal.", body = HistoryEntry),
            (status = 401, description = "Missing, unknown or ended token. Codes: unauthenticated.", body = ErrorBody),
            (status = 404, description = "No such order or renewal of this account. Codes: \
                not_found.", body = ErrorBody),
            (status = "default", description = "Any other error.", body = ErrorBody),
        ))]
    fn get_order() {}

    #[utoipa::path(post, path = "/api/v1/orders/{id}/pay", operation_id = "payRenewal",
        tag = "orders",
        summary = "\"Paga ora\": pays a failed renewal now with one of the account's unexpired \
            cards (R31, S75).",
        security(("bearer" = [])),
        params(("id" = String, Path, description = "The renewal id (`ren_...`).")),
        request_body = PayRequest,
        responses(
            (status = 200, description = "The renewal, now paid; its receipt is queued.",
                body = Renewal),
            (status = 401, description = "Missing, unknown or ended token. Codes: unauthenticated.", body = ErrorBody),
            (status = 402, description = "The card was declined; nothing else changed (no \
                failure counted, the next scheduled try stays). Codes: payment_declined.",
                body = ErrorBody),
            (status = 403, description = "Not allowed to pay. Codes: not_billing_contact, \
                corporate_account.", body = ErrorBody),
            (status = 404, description = "No such renewal of this account. Codes: not_found.",
                body = ErrorBody),
            (status = 409, description = "Not payable now. Codes: not_payable (the renewal is \
                not payment_failed), order_in_progress (a try of the renewal worker is running; \
                retry in a moment).", body = ErrorBody),
            (status = 413, description = "Body over 64 KiB. Codes: payload_too_large.", body = ErrorBody),
            (status = 415, description = "Content-Type is not application/json. Codes: \
                unsupported_media_type.", body = ErrorBody),
            (status = 422, description = "Not a valid request, or not one of the account's \
                unexpired cards. Codes: invalid_request, payment_method_required.",
                body = ErrorBody),
            (status = "default", description = "Any other error.", body = ErrorBody),
        ))]
    fn pay_renewal() {}

    #[utoipa::path(get, path = "/api/v1/payment-methods", operation_id = "listPaymentMethods",
        tag = "payment methods",
        summary = "The account's cards with the default one (R25), for the billing contact.",
        security(("bearer" = [])),
        responses(
            (status = 200, description = "The cards, the default among them.", body = PaymentMethods),
            (status = 401, description = "Missing, unknown or ended token, or a user no longer of \
                the account. Codes: unauthenticated.", body = ErrorBody),
            (status = 403, description = "Not the billing contact (R1) or a corporate account \
                (R2). Codes: not_billing_contact, corporate_account.", body = ErrorBody),
            (status = "default", description = "Any other error.", body = ErrorBody),
        ))]
    fn list_payment_methods() {}

    #[utoipa::path(put, path = "/api/v1/payment-methods/{id}/default",
        operation_id = "makeDefaultPaymentMethod", tag = "payment methods",
        summary = "Makes the card the default, which renewals are charged to (R25, S56).",
        security(("bearer" = [])),
        params(("id" = String, Path, description = "The payment method id (`pm_1`).")),
        responses(
            (status = 200, description = "The card is the default; the cards as they are now.",
                body = PaymentMethods),
            (status = 401, description = "Missing, unknown or ended token, or a user no longer of \
                the account. Codes: unauthenticated.", body = ErrorBody),
            (status = 403, description = "Not the billing contact (R1) or a corporate account \
                (R2). Codes: not_billing_contact, corporate_account.", body = ErrorBody),
            (status = 404, description = "Not a card of this account (another account's \
                included). Codes: not_found.", body = ErrorBody),
            (status = "default", description = "Any other error.", body = ErrorBody),
        ))]
    fn make_default_payment_method() {}

    #[utoipa::path(delete, path = "/api/v1/payment-methods/{id}",
        operation_id = "removePaymentMethod", tag = "payment methods",
        summary = "Removes the card (R25, S57); a removed default hands the default to the first \
            card left.",
        security(("bearer" = [])),
        params(("id" = String, Path, description = "The payment method id (`pm_1`).")),
        responses(
            (status = 204, description = "Removed."),
            (status = 401, description = "Missing, unknown or ended token, or a user no longer of \
                the account. Codes: unauthenticated.", body = ErrorBody),
            (status = 403, description = "Not the billing contact (R1) or a corporate account \
                (R2). Codes: not_billing_contact, corporate_account.", body = ErrorBody),
            (status = 404, description = "Not a card of this account (another account's \
                included). Codes: not_found.", body = ErrorBody),
            (status = 409, description = "The only card of an account whose subscriptions renew, \
                or a card an order is being paid with right now (S57). Codes: \
                payment_method_in_use.", body = ErrorBody),
            (status = "default", description = "Any other error.", body = ErrorBody),
        ))]
    fn remove_payment_method() {}

    #[utoipa::path(post, path = "/api/v1/payment-methods/setup", operation_id = "startCardSetup",
        tag = "payment methods",
        summary = "Starts adding a card (R25, S85): a set-up at the payment provider, whose own \
            page on another origin collects the card; the checkout sends the customer to `url`. \
            Takes no body.",
        security(("bearer" = [])),
        responses(
            (status = 200, description = "The set-up, recorded as this account's, and the \
                provider's card page for it.", body = api::CardSetup),
            (status = 401, description = "Missing, unknown or ended token, or a user no longer of \
                the account. Codes: unauthenticated.", body = ErrorBody),
            (status = 403, description = "Not the billing contact (R1) or a corporate account \
                (R2). Codes: not_billing_contact, corporate_account.", body = ErrorBody),
            (status = 422, description = "Neither the Origin nor the Host header names an \
                http(s) origin to send the customer back to (S85). Codes: invalid_request.",
                body = ErrorBody),
            (status = "default", description = "Any other error (the provider not answering \
                included).", body = ErrorBody),
        ))]
    fn start_card_setup() {}

    #[utoipa::path(post, path = "/api/v1/payment-methods", operation_id = "addPaymentMethod",
        tag = "payment methods",
        summary = "Saves the card of a set-up the provider confirmed (R25, S86-S87): the default \
            when the account had none (S56); the same set-up again answers the same card.",
        security(("bearer" = [])),
        request_body = api::NewCard,
        responses(
            (status = 201, description = "The saved card.", body = api::Card),
            (status = 401, description = "Missing, unknown or ended token, or a user no longer of \
                the account. Codes: unauthenticated.", body = ErrorBody),
            (status = 402, description = "The provider refused the card (declined, or the \
                customer cancelled its confirmation); nothing was saved. Codes: \
                payment_method_refused.", body = ErrorBody),
            (status = 403, description = "Not the billing contact (R1) or a corporate account \
                (R2). Codes: not_billing_contact, corporate_account.", body = ErrorBody),
            (status = 404, description = "No such set-up of this account (another account's \
                included). Codes: not_found.", body = ErrorBody),
            (status = 409, description = "The provider has not confirmed the set-up yet (the \
                card not typed, or its confirmation step not done). Codes: \
                setup_not_confirmed.", body = ErrorBody),
            (status = 413, description = "Body over 64 KiB. Codes: payload_too_large.", body = ErrorBody),
            (status = 415, description = "Content-Type is not application/json. Codes: \
                unsupported_media_type.", body = ErrorBody),
            (status = 422, description = "Not a `{\"setup\"}` body. Codes: invalid_request.",
                body = ErrorBody),
            (status = "default", description = "Any other error (the provider not answering \
                included).", body = ErrorBody),
        ))]
    fn add_payment_method() {}
}
