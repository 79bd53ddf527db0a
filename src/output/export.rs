//! `hindsight export`'s files: each table of `present::tables` as CSV,
//! JSON Lines or Parquet, one file a table.

use crate::present::tables::{Cell, Kind, Table};
use anyhow::{Context, Result};
use chrono::SecondsFormat;
use parquet::data_type::{BoolType, ByteArray, ByteArrayType, DoubleType, Int32Type, Int64Type};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use std::sync::Arc;

/// How lists are written in CSV: one cell, items joined by `;`.
pub(crate) const CSV_LIST_SEPARATOR: &str = ";";

fn plain(cell: &Cell) -> String {
    match cell {
        Cell::Null => String::new(),
        Cell::Text(s) => s.clone(),
        Cell::Int(n) => n.to_string(),
        Cell::Float(f) => f.to_string(),
        Cell::Bool(b) => b.to_string(),
        Cell::Timestamp(t) => t.to_rfc3339_opts(SecondsFormat::AutoSi, true),
        Cell::Date(d) => d.to_string(),
        Cell::List(items) => items.join(CSV_LIST_SEPARATOR),
    }
}

/// RFC 4180, a header row of the column names, `\r\n` line ends.
pub(crate) fn csv(table: &Table) -> String {
    let mut out = String::new();
    let header: Vec<&str> = table.columns.iter().map(|c| c.name).collect();
    out.push_str(&header.join(","));
    out.push_str("\r\n");
    for row in &table.rows {
        let cells: Vec<String> = row
            .iter()
            .map(|c| super::follow_through::csv_field(&plain(c)))
            .collect();
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    }
    out
}

fn json(cell: &Cell) -> serde_json::Value {
    use serde_json::Value;
    match cell {
        Cell::Null => Value::Null,
        Cell::Int(n) => Value::from(*n),
        Cell::Float(f) => serde_json::Number::from_f64(*f).map_or(Value::Null, Value::Number),
        Cell::Bool(b) => Value::Bool(*b),
        Cell::List(items) => items.iter().map(|s| Value::from(s.as_str())).collect(),
        other => Value::String(plain(other)),
    }
}

/// One JSON object a line, keys in column order.
pub(crate) fn jsonl(table: &Table) -> String {
    let mut out = String::new();
    for row in &table.rows {
        let object: serde_json::Map<String, serde_json::Value> = table
            .columns
            .iter()
            .zip(row)
            .map(|(c, cell)| (c.name.to_string(), json(cell)))
            .collect();
        out.push_str(&serde_json::Value::Object(object).to_string());
        out.push('\n');
    }
    out
}

/// The Parquet schema of a table: every column optional; timestamps as
/// microseconds in UTC, dates as days, lists as standard LIST groups.
fn message_type(table: &Table) -> String {
    let fields: Vec<String> = table
        .columns
        .iter()
        .map(|c| {
            let name = c.name;
            match c.kind {
                Kind::Text => format!("optional binary {name} (STRING);"),
                Kind::Int => format!("optional int64 {name};"),
                Kind::Float => format!("optional double {name};"),
                Kind::Bool => format!("optional boolean {name};"),
                Kind::Timestamp => format!("optional int64 {name} (TIMESTAMP(MICROS,true));"),
                Kind::Date => format!("optional int32 {name} (DATE);"),
                Kind::List => format!(
                    "optional group {name} (LIST) {{ repeated group list {{ optional binary element (STRING); }} }}"
                ),
            }
        })
        .collect();
    format!("message {} {{ {} }}", table.name, fields.join(" "))
}

/// Values and definition levels of one optional leaf column: level 1
/// where the row has a value, 0 where it is null.
fn leaf<T>(table: &Table, n: usize, value: impl Fn(&Cell) -> Option<T>) -> (Vec<T>, Vec<i16>) {
    let mut values = Vec::new();
    let mut levels = Vec::with_capacity(table.rows.len());
    for row in &table.rows {
        match value(&row[n]) {
            Some(v) => {
                values.push(v);
                levels.push(1);
            }
            None => levels.push(0),
        }
    }
    (values, levels)
}

/// The file, written whole (one row group).
pub(crate) fn parquet(table: &Table) -> Result<Vec<u8>> {
    let schema = Arc::new(
        parquet::schema::parser::parse_message_type(&message_type(table))
            .context("the export's Parquet schema")?,
    );
    let props = Arc::new(WriterProperties::builder().build());
    let mut writer = SerializedFileWriter::new(Vec::new(), schema, props)?;
    let mut group = writer.next_row_group()?;
    let mut n = 0;
    while let Some(mut column) = group.next_column()? {
        let kind = table.columns[n].kind;
        match kind {
            Kind::Text => {
                let (v, d) = leaf(table, n, |c| match c {
                    Cell::Text(s) => Some(ByteArray::from(s.as_str())),
                    _ => None,
                });
                column
                    .typed::<ByteArrayType>()
                    .write_batch(&v, Some(&d), None)?;
            }
            Kind::Int => {
                let (v, d) = leaf(table, n, |c| match c {
                    Cell::Int(i) => Some(*i),
                    _ => None,
                });
                column
                    .typed::<Int64Type>()
                    .write_batch(&v, Some(&d), None)?;
            }
            Kind::Float => {
                let (v, d) = leaf(table, n, |c| match c {
                    Cell::Float(f) => Some(*f),
                    _ => None,
                });
                column
                    .typed::<DoubleType>()
                    .write_batch(&v, Some(&d), None)?;
            }
            Kind::Bool => {
                let (v, d) = leaf(table, n, |c| match c {
                    Cell::Bool(b) => Some(*b),
                    _ => None,
                });
                column.typed::<BoolType>().write_batch(&v, Some(&d), None)?;
            }
            Kind::Timestamp => {
                let (v, d) = leaf(table, n, |c| match c {
                    Cell::Timestamp(t) => Some(t.timestamp_micros()),
                    _ => None,
                });
                column
                    .typed::<Int64Type>()
                    .write_batch(&v, Some(&d), None)?;
            }
            Kind::Date => {
                let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).expect("a day");
                let (v, d) = leaf(table, n, |c| match c {
                    Cell::Date(day) => i32::try_from((*day - epoch).num_days()).ok(),
                    _ => None,
                });
                column
                    .typed::<Int32Type>()
                    .write_batch(&v, Some(&d), None)?;
            }
            Kind::List => {
                // Definition levels: 0 no list, 1 an empty list, 3 an item
                // (2 would be a null item, which hindsight never writes);
                // repetition levels: 0 starts a row, 1 continues its list.
                let mut values = Vec::new();
                let (mut def, mut rep) = (Vec::new(), Vec::new());
                for row in &table.rows {
                    match &row[n] {
                        Cell::List(items) if !items.is_empty() => {
                            for (k, item) in items.iter().enumerate() {
                                values.push(ByteArray::from(item.as_str()));
                                def.push(3);
                                rep.push(i16::from(k > 0));
                            }
                        }
                        Cell::List(_) => {
                            def.push(1);
                            rep.push(0);
                        }
                        _ => {
                            def.push(0);
                            rep.push(0);
                        }
                    }
                }
                column
                    .typed::<ByteArrayType>()
                    .write_batch(&values, Some(&def), Some(&rep))?;
            }
        }
        column.close()?;
        n += 1;
    }
    group.close()?;
    Ok(writer.into_inner()?)
}
