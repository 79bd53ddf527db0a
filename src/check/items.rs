//! Rules on action items beyond the schema: `closed-on`, a `done` item
//! without the day it was closed (the review report counts closed items by
//! that day, so such an item is missing from `closed_in_period`).

use crate::diagnostic::{Code, Diagnostic};
use crate::document::Document;
use crate::schema::node_name;
use serde_json::Value;

pub(crate) fn closed_on(doc: &Document, out: &mut Vec<Diagnostic>) {
    let Some(items) = doc
        .front
        .as_ref()
        .and_then(|f| f.value.get("action_items"))
        .and_then(Value::as_array)
    else {
        return;
    };
    for (i, item) in items.iter().enumerate() {
        if item.get("status").and_then(Value::as_str) != Some("done")
            || item.get("closed_on").is_some()
        {
            continue;
        }
        let item_pointer = format!("/action_items/{i}");
        let pointer = format!("{item_pointer}/status");
        let (at, width) = doc.locate(&pointer);
        out.push(
            Diagnostic::warning(
                &doc.file,
                at,
                Code::ClosedOn,
                format!("{} is `done` but has no `closed_on`", node_name(&item_pointer)),
            )
            .with_path(pointer)
            .with_width(width)
            .with_help(
                "add `closed_on: YYYY-MM-DD`, the day it was closed: the review report counts closed items by that day",
            ),
        );
    }
}
