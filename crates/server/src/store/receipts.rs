//! The billing information a receipt shows (R27): as it was when its order was placed. Each
//! order keeps a copy of the account's company name, country, VAT id and postal address, taken
//! in the transaction that stores the order (after the order's own VAT id is written), so a later
//! `PUT /api/v1/account/billing-info` never changes an old receipt (S77). Renewals keep theirs in
//! `renewal_charges.billing_info` (`renewals.rs`).

use sqlx::AnyConnection;
use sqlx::any::AnyRow;

use super::orders::order_body;
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

/// The names of the columns a row holds the billing information in: the account's own
/// (`accounts`) or a receipt's copy of it (`orders`).
pub(super) struct BillingColumns {
    /// The company name; null when the row holds no copy.
    pub company: &'static str,
    /// The country.
    pub country: &'static str,
    /// The VAT id.
    pub vat_id: &'static str,
    /// The address's first line; null when no address was saved.
    pub line1: &'static str,
    /// The address's second line.
    pub line2: &'static str,
    /// The city.
    pub city: &'static str,
    /// The postal code.
    pub postal_code: &'static str,
    /// The region or province.
    pub region: &'static str,
}

/// The columns of a receipt's copy in `orders` (S77).
const ORDER_COPY: BillingColumns = BillingColumns {
    company: "billing_company",
    country: "billing_country",
    vat_id: "billing_vat_id",
    line1: "billing_line1",
    line2: "billing_line2",
    city: "billing_city",
    postal_code: "billing_postal_code",
    region: "billing_region",
};

/// The billing information held in `row`'s `columns`, in the shape of
/// `GET /api/v1/account/billing-info`, or `None` when the row holds no copy (no company name).
pub(super) fn billing_info(
    row: &AnyRow,
    columns: &BillingColumns,
) -> Result<Option<api::BillingInfo>, StoreError> {
    let Some(company) = col::<Option<String>>(row, columns.company)? else {
        return Ok(None);
    };
    let address = match col::<Option<String>>(row, columns.line1)? {
        None => None,
        Some(line1) => Some(api::Address {
            line1,
            line2: col(row, columns.line2)?,
            city: col::<Option<String>>(row, columns.city)?.unwrap_or_default(),
            postal_code: col::<Option<String>>(row, columns.postal_code)?.unwrap_or_default(),
            region: col(row, columns.region)?,
        }),
    };
    Ok(Some(api::BillingInfo {
        company,
        country: col::<Option<String>>(row, columns.country)?.unwrap_or_default(),
        address,
        vat_id: col(row, columns.vat_id)?,
    }))
}

/// The start of a query of orders with the copy of their billing information (S77): their body
/// and [`ORDER_COPY`]'s columns, read by [`order_with_copy`].
pub(super) const ORDERS_WITH_COPY: &str = "SELECT body, billing_company, billing_country,
    billing_vat_id, billing_line1, billing_line2, billing_city, billing_postal_code, billing_region
    FROM orders";

/// A row of [`ORDERS_WITH_COPY`] as the contract's order with the billing information it was
/// placed with (`billing_info`, null for an order stored before copies were kept).
pub(super) fn order_with_copy(row: &AnyRow) -> Result<api::Order, StoreError> {
    let mut order = order_body(&col::<String>(row, "body")?)?;
    order.billing_info = Some(billing_info(row, &ORDER_COPY)?);
    Ok(order)
}

impl Store {
    /// One order of the account as its receipt shows it: with the billing information it was
    /// placed with (`billing_info`, null for an order stored before copies were kept); another
    /// account's order is not found.
    pub async fn order_receipt(
        &self,
        account_id: &str,
        id: &str,
    ) -> Result<Option<api::Order>, StoreError> {
        let sql = format!("{ORDERS_WITH_COPY} WHERE account_id = $1 AND id = $2");
        sqlx::query(&sql)
            .bind(account_id)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .map(|row| order_with_copy(&row))
            .transpose()
    }
}
