//! The queries of account administration (`crate::account_admin`): the account's users, handing
//! the billing-contact role over (R26), and the billing information (R27). Each read brings the
//! account's kind and the asking user's role with it, so a request learns what its user may do
//! (R1, R2) from the query it makes anyway.

use super::{Store, StoreError, col};

/// A user of an account as the users list shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccountUserRow {
    /// The user id.
    pub id: String,
    /// The user's name.
    pub name: String,
    /// The sign-in e-mail.
    pub email: String,
    /// Whether the user is the account's billing contact (R1).
    pub billing_contact: bool,
}

/// An account's users, with the account's kind (`standard`, `corporate`).
#[derive(Clone, Debug)]
pub struct AccountUsers {
    /// The account's kind as stored.
    pub kind: String,
    /// The users, by name then id.
    pub users: Vec<AccountUserRow>,
}

/// A postal address as stored: every text trimmed, optional parts `None`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AddressRow {
    /// Street and number.
    pub line1: String,
    /// More of the address (floor, building), if any.
    pub line2: Option<String>,
    /// The city.
    pub city: String,
    /// The postal code.
    pub postal_code: String,
    /// The region or province, if any.
    pub region: Option<String>,
}

/// The billing information of an account as stored, with the account's kind and the asking
/// user's role.
#[derive(Clone, Debug)]
pub struct BillingInfoRow {
    /// The account's kind as stored.
    pub kind: String,
    /// Whether the asking user is a billing contact of the account (R1).
    pub is_billing_contact: bool,
    /// The company name (the account's name).
    pub company: String,
    /// The account's country (ISO code).
    pub country: String,
    /// The VAT id on file, normalized.
    pub vat_id: Option<String>,
    /// The postal address, once one was saved.
    pub address: Option<AddressRow>,
}

/// What a handover of the billing-contact role did (R26).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Handover {
    /// The role moved (or stayed, when the contact named itself).
    Moved,
    /// The new contact is not a user of the account; nothing changed.
    UnknownUser,
    /// The asking user is no longer a billing contact of the account; nothing changed.
    NotBillingContact,
}

impl Store {
    /// The users of an account and its kind; `None` when the account does not exist.
    pub async fn account_users(
        &self,
        account_id: &str,
    ) -> Result<Option<AccountUsers>, StoreError> {
        let kind: Option<String> = sqlx::query_scalar("SELECT kind FROM accounts WHERE id = $1")
            .bind(account_id.to_owned())
            .fetch_optional(&self.pool)
            .await?;
        let Some(kind) = kind else {
            return Ok(None);
        };
        let rows = sqlx::query(
            "SELECT id, name, email, is_billing_contact FROM users
             WHERE account_id = $1 ORDER BY name, id",
        )
        .bind(account_id.to_owned())
        .fetch_all(&self.pool)
        .await?;
        let users = rows
            .iter()
            .map(|row| {
                Ok(AccountUserRow {
                    id: col(row, "id")?,
                    name: col(row, "name")?,
                    email: col(row, "email")?,
                    billing_contact: col::<i64>(row, "is_billing_contact")? != 0,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        Ok(Some(AccountUsers { kind, users }))
    }

    /// Moves the billing-contact role of an account from `from_user` to `to_user` (R26) in one
    /// statement, so it is one transaction: afterwards `to_user` is the account's only billing
    /// contact. The statement changes nothing unless `to_user` is a user of the account and
    /// `from_user` is still one of its billing contacts; which of the two failed is then read
    /// back.
    pub async fn move_billing_contact(
        &self,
        account_id: &str,
        from_user: &str,
        to_user: &str,
    ) -> Result<Handover, StoreError> {
        let moved = sqlx::query(
            "UPDATE users SET is_billing_contact = CASE WHEN id = $2 THEN 1 ELSE 0 END
             WHERE account_id = $1
               AND EXISTS (SELECT 1 FROM users t WHERE t.id = $2 AND t.account_id = $1)
               AND EXISTS (SELECT 1 FROM users f WHERE f.id = $3 AND f.account_id = $1
                           AND f.is_billing_contact <> 0)",
        )
        .bind(account_id.to_owned())
        .bind(to_user.to_owned())
        .bind(from_user.to_owned())
        .execute(&self.pool)
        .await?;
        if moved.rows_affected() > 0 {
            return Ok(Handover::Moved);
        }
        let target: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE id = $1 AND account_id = $2")
                .bind(to_user.to_owned())
                .bind(account_id.to_owned())
                .fetch_one(&self.pool)
                .await?;
        Ok(if target == 0 {
            Handover::UnknownUser
        } else {
            Handover::NotBillingContact
        })
    }

    /// The billing information of an account with the role of `user_id` in it, in one query;
    /// `None` when the account does not exist or the user is not one of its users.
    pub async fn billing_info(
        &self,
        account_id: &str,
        user_id: &str,
    ) -> Result<Option<BillingInfoRow>, StoreError> {
        let row = sqlx::query(
            "SELECT a.kind, a.name, a.country, a.vat_id, a.address_line1, a.address_line2,
                a.address_city, a.address_postal_code, a.address_region, u.is_billing_contact
             FROM accounts a JOIN users u ON u.account_id = a.id
             WHERE a.id = $1 AND u.id = $2",
        )
        .bind(account_id.to_owned())
        .bind(user_id.to_owned())
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let line1: Option<String> = col(&row, "address_line1")?;
        let address = match line1 {
            None => None,
            Some(line1) => Some(AddressRow {
                line1,
                line2: col(&row, "address_line2")?,
                city: col::<Option<String>>(&row, "address_city")?.unwrap_or_default(),
                postal_code: col::<Option<String>>(&row, "address_postal_code")?
                    .unwrap_or_default(),
                region: col(&row, "address_region")?,
            }),
        };
        Ok(Some(BillingInfoRow {
            kind: col(&row, "kind")?,
            is_billing_contact: col::<i64>(&row, "is_billing_contact")? != 0,
            company: col(&row, "name")?,
            country: col(&row, "country")?,
            vat_id: col(&row, "vat_id")?,
            address,
        }))
    }

    /// Writes an account's company name, VAT id and address in one statement, only while
    /// `by_user` is one of its billing contacts (R1, checked in the same statement so that a
    /// handover in another process is never overtaken); `false` when nothing was written. The
    /// caller holds the account's lock, so that no order or renewal of this process writes a VAT
    /// id read before this one. A changed VAT id changes prices (reverse charge, R18), so it adds
    /// one to the account's version like every write of its priced state (S20): an order of
    /// another process priced with the old VAT id is then priced again instead of stored.
    pub async fn save_billing_info(
        &self,
        account_id: &str,
        by_user: &str,
        company: &str,
        vat_id: Option<&str>,
        address: &AddressRow,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE accounts SET name = $2, vat_id = $3, address_line1 = $4, address_line2 = $5,
                address_city = $6, address_postal_code = $7, address_region = $8,
                version = version + CASE WHEN vat_id IS DISTINCT FROM $3 THEN 1 ELSE 0 END
             WHERE id = $1
               AND EXISTS (SELECT 1 FROM users u WHERE u.id = $9 AND u.account_id = $1
                           AND u.is_billing_contact <> 0)",
        )
        .bind(account_id.to_owned())
        .bind(company.to_owned())
        .bind(vat_id.map(str::to_owned))
        .bind(address.line1.clone())
        .bind(address.line2.clone())
        .bind(address.city.clone())
        .bind(address.postal_code.clone())
        .bind(address.region.clone())
        .bind(by_user.to_owned())
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() > 0)
    }
}
