//! The billing information a receipt shows (R27): as it was when its order was placed. Each
//! order keeps a copy of the account's company name, country, VAT id and postal address, taken
//! in the transaction that stores the order (after the order's own VAT id is written), so a later
//! `PUT /api/v1/account/billing-info` never changes an old receipt (S77). Renewals keep theirs in
//! `renewal_charges.billing_info` (`renewals.rs`).

use serde_json::{Value, json};
use sqlx::AnyConnection;

use super::rows::push_placeholders;
use super::{Store, StoreError, col};

/// Copies the accounts' billing information into the orders `order_ids` (just inserted, in the
/// writer's transaction), in one statement.
pub(super) async fn keep_billing_info(
    conn: &mut AnyConnection,
    order_ids: &[&str],
) -> Result<(), StoreError> {
    if order_ids.is_empty() {
        return Ok(());
    }
    let mut sql = String::from(
        "UPDATE orders SET billing_company = a.name, billing_country = a.country,
            billing_vat_id = a.vat_id, billing_line1 = a.address_line1,
            billing_line2 = a.address_line2, billing_city = a.address_city,
            billing_postal_code = a.address_postal_code, billing_region = a.address_region
         FROM accounts a WHERE a.id = orders.account_id AND orders.id IN (",
    );
    push_placeholders(&mut sql, order_ids.len(), 1);
    sql.push(')');
    let mut query = sqlx::query(&sql);
    for id in order_ids {
        query = query.bind(*id);
    }
    query.execute(&mut *conn).await?;
    Ok(())
}

impl Store {
    /// One order of the account with the billing information it was placed with
    /// (`billing_info`, in the shape of `GET /api/v1/account/billing-info`; `null` for an order
    /// stored before copies were kept); another account's order is not found.
    pub async fn order_receipt(
        &self,
        account_id: &str,
        id: &str,
    ) -> Result<Option<Value>, StoreError> {
        let row = sqlx::query(
            "SELECT body, billing_company, billing_country, billing_vat_id, billing_line1,
                billing_line2, billing_city, billing_postal_code, billing_region
             FROM orders WHERE account_id = $1 AND id = $2",
        )
        .bind(account_id)
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let mut body: Value = serde_json::from_str(&col::<String>(&row, "body")?)
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let company: Option<String> = col(&row, "billing_company")?;
        let line1: Option<String> = col(&row, "billing_line1")?;
        let address = match line1 {
            None => Value::Null,
            Some(line1) => json!({
                "line1": line1,
                "line2": col::<Option<String>>(&row, "billing_line2")?,
                "city": col::<Option<String>>(&row, "billing_city")?.unwrap_or_default(),
                "postal_code": col::<Option<String>>(&row, "billing_postal_code")?
                    .unwrap_or_default(),
                "region": col::<Option<String>>(&row, "billing_region")?,
            }),
        };
        body["billing_info"] = match company {
            None => Value::Null,
            Some(company) => json!({
                "company": company,
                "country": col::<Option<String>>(&row, "billing_country")?,
                "address": address,
                "vat_id": col::<Option<String>>(&row, "billing_vat_id")?,
            }),
        };
        Ok(Some(body))
    }
}
