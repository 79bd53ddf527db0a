//! Reading what `hindsight lint --format json` printed.

use serde_json::Value;

pub(crate) fn diagnostics(json: &Value) -> &Vec<Value> {
    json["diagnostics"]
        .as_array()
        .expect("diagnostics is a list")
}

/// The messages of one file's diagnostics, in order.
pub(crate) fn messages_of<'j>(json: &'j Value, file: &str) -> Vec<&'j str> {
    diagnostics(json)
        .iter()
        .filter(|d| d["file"] == file)
        .map(|d| d["message"].as_str().unwrap())
        .collect()
}

/// The files that have diagnostics, in report order, each once.
pub(crate) fn files(json: &Value) -> Vec<&str> {
    let mut files: Vec<&str> = diagnostics(json)
        .iter()
        .map(|d| d["file"].as_str().unwrap())
        .collect();
    files.dedup();
    files
}
