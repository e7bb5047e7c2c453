//! Multi-row statements: one `INSERT ... VALUES (...), (...)` for many rows, so that a batch of
//! orders costs a few statements rather than a few per order. With sqlx every statement is a
//! round trip (to SQLite's worker thread or to the PostgreSQL server), and those round trips, not
//! the database's work, were most of the time of an order.

use sqlx::AnyConnection;
use sqlx::any::AnyArguments;
use sqlx::query::Query;

use super::StoreError;

/// The most rows in one statement: a bound on the parameters per statement (at most 10 columns
/// here, so at most 1,000 parameters, well below SQLite's 32,766 and PostgreSQL's 65,535).
const ROWS_PER_STATEMENT: usize = 100;

/// A value to bind.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Arg<'a> {
    /// Text.
    Text(&'a str),
    /// Text or `NULL`.
    OptText(Option<&'a str>),
    /// A 64-bit integer.
    Int(i64),
}

/// Binds `args` in order.
pub(crate) fn bind_all<'q>(
    mut query: Query<'q, sqlx::Any, AnyArguments<'q>>,
    args: &[Arg<'q>],
) -> Query<'q, sqlx::Any, AnyArguments<'q>> {
    for arg in args {
        query = match *arg {
            Arg::Text(text) => query.bind(text),
            Arg::OptText(text) => query.bind(text),
            Arg::Int(int) => query.bind(int),
        };
    }
    query
}

/// Appends `rows` groups of `columns` numbered placeholders to a multi-row `VALUES` list:
/// `($1, $2), ($3, $4)` for two rows of two.
pub(crate) fn push_placeholders(sql: &mut String, rows: usize, columns: usize) {
    use std::fmt::Write as _;
    for row in 0..rows {
        sql.push_str(if row == 0 { "(" } else { ", (" });
        for column in 0..columns {
            let sep = if column == 0 { "" } else { ", " };
            // Writing into a String cannot fail.
            let _ = write!(sql, "{sep}${}", row * columns + column + 1);
        }
        sql.push(')');
    }
}

/// Runs `head VALUES (...), (...) tail` over `rows` (each of the same number of values), in
/// statements of at most [`ROWS_PER_STATEMENT`] rows; answers the rows affected.
pub(crate) async fn insert_rows(
    conn: &mut AnyConnection,
    head: &str,
    rows: &[Vec<Arg<'_>>],
    tail: &str,
) -> Result<u64, StoreError> {
    let mut affected = 0;
    for chunk in rows.chunks(ROWS_PER_STATEMENT) {
        let columns = chunk.first().map_or(0, Vec::len);
        let mut sql = format!("{head} VALUES ");
        push_placeholders(&mut sql, chunk.len(), columns);
        sql.push_str(tail);
        let mut query = sqlx::query(&sql);
        for row in chunk {
            query = bind_all(query, row);
        }
        affected += query.execute(&mut *conn).await?.rows_affected();
    }
    Ok(affected)
}
