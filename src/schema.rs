//! Schema stage: the built-in JSON Schemas in `schema/`, adjusted by the
//! configuration, compiled once, and their errors turned into diagnostics.
//! Used by `config` (for `hindsight.yaml` itself), `check`, `schema` and
//! `new`.

use crate::diagnostic::{Code, Diagnostic, Pos};
use crate::document::kind::{DocKind, KINDS};
use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::Validator;
use serde::Deserialize;
use serde_json::Value;

pub(crate) const CONFIG_SCHEMA: &str = include_str!("../schema/config.schema.json");

/// Team extensions of the built-in schemas (`schema:` in hindsight.yaml).
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default)]
pub(crate) struct SchemaExtensions {
    pub(crate) incident: Option<Value>,
    pub(crate) runbook: Option<Value>,
    pub(crate) drill: Option<Value>,
}

impl SchemaExtensions {
    pub(crate) fn get(&self, kind: DocKind) -> Option<&Value> {
        match kind {
            DocKind::Incident => self.incident.as_ref(),
            DocKind::Runbook => self.runbook.as_ref(),
            DocKind::Drill => self.drill.as_ref(),
        }
    }
}

/// What the configuration changes in the document schemas.
#[derive(Debug, Clone)]
pub(crate) struct Settings<'a> {
    /// Severity names, most severe first.
    pub(crate) severities: Vec<&'a str>,
    pub(crate) whys_min: u64,
    pub(crate) extensions: &'a SchemaExtensions,
}

pub(crate) fn compile(schema: &Value) -> Result<Validator, String> {
    jsonschema::options()
        .should_validate_formats(true)
        .build(schema)
        .map_err(|e| e.to_string())
}

/// Objects merge key by key, `required` lists are unioned, anything else
/// in the extension replaces the built-in value.
pub(crate) fn merge(base: &mut Value, ext: &Value) {
    match (base, ext) {
        (Value::Object(b), Value::Object(e)) => {
            for (k, v) in e {
                match (b.get_mut(k), v) {
                    (Some(Value::Array(have)), Value::Array(add)) if k == "required" => {
                        for a in add {
                            if !have.contains(a) {
                                have.push(a.clone());
                            }
                        }
                    }
                    (Some(existing @ Value::Object(_)), Value::Object(_)) => merge(existing, v),
                    _ => {
                        b.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        (b, e) => *b = e.clone(),
    }
}

/// A kind's schema as this repository's configuration makes it: the
/// built-in one, with the configured severities and `whys_min` where the
/// schema has those fields, and the team's extension merged in.
pub(crate) fn document_schema(kind: DocKind, config: &Settings<'_>) -> Value {
    let mut schema: Value =
        serde_json::from_str(kind.spec().schema).expect("built-in schema is JSON");
    if let Some(e) = schema.pointer_mut("/properties/severity/enum") {
        *e = config
            .severities
            .iter()
            .map(|s| Value::String(s.to_string()))
            .collect();
    }
    if let Some(m) = schema.pointer_mut("/else/properties/whys/minItems") {
        *m = Value::from(config.whys_min);
    }
    if let Some(ext) = config.extensions.get(kind) {
        merge(&mut schema, ext);
    }
    schema
}

/// Every kind's schema, compiled once per run.
pub(crate) struct Schemas {
    validators: Vec<(DocKind, Validator)>,
}

impl Schemas {
    /// A team extension that does not compile was already reported by
    /// `config`; the built-in schema is used instead.
    pub(crate) fn new(config: &Settings<'_>) -> Schemas {
        let validators = KINDS
            .iter()
            .map(|spec| {
                let validator = compile(&document_schema(spec.kind, config)).unwrap_or_else(|_| {
                    compile(&serde_json::from_str(spec.schema).expect("schema is JSON"))
                        .expect("built-in schema compiles")
                });
                (spec.kind, validator)
            })
            .collect();
        Schemas { validators }
    }

    pub(crate) fn get(&self, kind: DocKind) -> &Validator {
        &self
            .validators
            .iter()
            .find(|(k, _)| *k == kind)
            .expect("every kind has a schema")
            .1
    }
}

/// Display name of the node at a pointer: `impact.users_affected`, `action_items[2].due`
/// (items counted from 1, as people count).
pub(crate) fn field_name(pointer: &str) -> String {
    let mut out = String::new();
    for seg in pointer.split('/').skip(1) {
        let seg = seg.replace("~1", "/").replace("~0", "~");
        if let Ok(n) = seg.parse::<usize>() {
            out.push_str(&format!("[{}]", n + 1));
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(&seg);
        }
    }
    if out.is_empty() {
        "front matter".to_string()
    } else {
        out
    }
}

fn describe(v: &Value) -> String {
    let s = match v {
        Value::Null => "nothing".to_string(),
        Value::Bool(b) => format!("`{b}`"),
        Value::Number(n) => n.to_string(),
        Value::String(s) => format!("{s:?}"),
        Value::Array(_) => "a list".to_string(),
        Value::Object(_) => "a mapping".to_string(),
    };
    if s.chars().count() > 60 {
        let cut: String = s.chars().take(57).collect();
        format!("{cut}...")
    } else {
        s
    }
}

/// The digits of a number written as text ("1,200 users" -> "1200").
fn digits(s: &str) -> String {
    let d: String = s
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    if d.is_empty() {
        "0".to_string()
    } else {
        d
    }
}

fn type_name(kind: &TypeKind) -> String {
    let name = |t: &jsonschema::JsonType| match t.to_string().as_str() {
        "integer" => "a whole number".to_string(),
        "number" => "a number".to_string(),
        "string" => "text".to_string(),
        "boolean" => "`true` or `false`".to_string(),
        "array" => "a list".to_string(),
        "object" => "a mapping".to_string(),
        other => other.to_string(),
    };
    match kind {
        TypeKind::Single(t) => name(t),
        TypeKind::Multiple(ts) => ts.iter().map(|t| name(&t)).collect::<Vec<_>>().join(" or "),
    }
}

/// Turn schema errors into diagnostics. `locate(pointer, at_key)` gives
/// the position of a node, or of its nearest ancestor when it is missing.
pub(crate) fn schema_diagnostics(
    validator: &Validator,
    value: &Value,
    file: &str,
    locate: &dyn Fn(&str, bool) -> (Pos, u32),
    relaxed: Option<&str>,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for error in validator.iter_errors(value) {
        let pointer = error.instance_path().as_str().to_string();
        if let ValidationErrorKind::AdditionalProperties { unexpected } = error.kind() {
            for key in unexpected {
                let child = format!("{pointer}/{}", crate::document::yaml::escape_segment(key));
                let (at, _) = locate(&child, true);
                out.push(
                    Diagnostic::error(file, at, Code::Schema, format!("unknown key `{key}`"))
                        .with_path(child)
                        .with_help("check the spelling; `hindsight schema config` lists every key")
                        .with_width(key.chars().count() as u32),
                );
            }
            continue;
        }
        let (path, message, help) = explain(&error, &pointer, relaxed);
        let (at, width) = locate(&path, false);
        let mut d = Diagnostic::error(file, at, Code::Schema, message)
            .with_path(path)
            .with_width(width);
        d.help = help;
        out.push(d);
    }
    out
}

/// The path, message and help of one schema error (other than unknown keys).
/// `relaxed` says what the kind's relaxed form needs (see
/// `document::kind::KindSpec::relaxed`), after a missing top-level field.
fn explain(
    error: &jsonschema::ValidationError<'_>,
    pointer: &str,
    relaxed: Option<&str>,
) -> (String, String, Option<String>) {
    let pointer = pointer.to_string();
    let name = field_name(&pointer);
    let instance = error.instance();
    match error.kind() {
        ValidationErrorKind::Required { property } => {
            let prop = property.as_str().unwrap_or_default();
            let child = format!("{pointer}/{}", crate::document::yaml::escape_segment(prop));
            let message = if pointer.is_empty() {
                format!("missing required field `{prop}`")
            } else {
                format!("`{name}` is missing the required field `{prop}`")
            };
            let help = if pointer.is_empty() {
                match relaxed {
                    Some(rule) => format!("add a `{prop}:` line; {rule}"),
                    None => format!("add a `{prop}:` line"),
                }
            } else {
                format!("add `{prop}:` under `{name}`")
            };
            (child, message, Some(help))
        }
        ValidationErrorKind::Type { kind } => {
            let expected = type_name(kind);
            let key = pointer.rsplit('/').next().unwrap_or_default();
            let help = match (expected.as_str(), &**instance) {
                ("a list", Value::String(s)) => Some(format!("write a list: `{key}: [{s}]`")),
                ("a whole number" | "a number", Value::String(s)) => {
                    Some(format!("write the number without quotes, separators or units, such as `{key}: {}`", digits(s)))
                }
                _ => None,
            };
            (
                pointer.clone(),
                format!("`{name}` must be {expected}, not {}", describe(instance)),
                help,
            )
        }
        ValidationErrorKind::Enum { options } => {
            let list = options
                .as_array()
                .map(|a| a.iter().map(|o| o.as_str().map_or_else(|| o.to_string(), str::to_string)).collect::<Vec<_>>().join(", "))
                .unwrap_or_default();
            (
                pointer.clone(),
                format!("`{name}` must be one of {list}, not {}", describe(instance)),
                None,
            )
        }
        ValidationErrorKind::Format { format } => {
            let (what, help) = match format.as_str() {
                "date" => ("a date (YYYY-MM-DD)", "write a real calendar date such as 2026-03-14"),
                "date-time" => (
                    "an RFC 3339 timestamp with offset",
                    "write it as 2026-03-14T09:30:00Z or 2026-03-14T11:30:00+02:00",
                ),
                "uri" => ("a URL", "write the full address, such as https://tracker.example.com/OPS-12"),
                _ => ("valid", ""),
            };
            let help = (!help.is_empty()).then(|| help.to_string());
            (pointer.clone(), format!("{} is not {what}", describe(instance)), help)
        }
        ValidationErrorKind::MinItems { limit } => {
            let have = instance.as_array().map_or(0, Vec::len);
            let help = (pointer == "/whys").then(|| {
                "keep asking \"why?\" until you reach a cause in the system; `whys_min` in hindsight.yaml sets the number".to_string()
            });
            (
                pointer.clone(),
                format!(
                    "`{name}` has {have} {}; at least {limit} required",
                    if have == 1 { "entry" } else { "entries" }
                ),
                help,
            )
        }
        ValidationErrorKind::MinLength { .. } => {
            (pointer.clone(), format!("`{name}` must not be empty"), None)
        }
        ValidationErrorKind::Pattern { .. } if pointer.ends_with("/id") || pointer == "/name" || pointer.ends_with("/name") => (
            pointer.clone(),
            format!("{} is not a valid id", describe(instance)),
            Some("use letters, digits, `.`, `_` and `-` (first a letter or digit), at most 64 characters".to_string()),
        ),
        ValidationErrorKind::Minimum { limit } => (
            pointer.clone(),
            format!("`{name}` must be at least {limit}, not {}", describe(instance)),
            None,
        ),
        ValidationErrorKind::ExclusiveMinimum { limit } => (
            pointer.clone(),
            format!("`{name}` must be greater than {limit}, not {}", describe(instance)),
            None,
        ),
        ValidationErrorKind::Maximum { limit } => (
            pointer.clone(),
            format!("`{name}` must be at most {limit}, not {}", describe(instance)),
            None,
        ),
        _ => (pointer.clone(), format!("`{name}`: {error}"), None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn merge_unions_required_and_merges_properties() {
        let mut base = json!({"required": ["id"], "properties": {"services": {"type": "array", "items": {"type": "string"}}}});
        merge(
            &mut base,
            &json!({"required": ["team", "id"], "properties": {"team": {"type": "string"}, "services": {"items": {"enum": ["a"]}}}}),
        );
        assert_eq!(base["required"], json!(["id", "team"]));
        assert_eq!(
            base["properties"]["services"]["items"],
            json!({"type": "string", "enum": ["a"]})
        );
        assert_eq!(base["properties"]["team"], json!({"type": "string"}));
    }

    #[test]
    fn field_names_count_items_from_one() {
        assert_eq!(field_name("/action_items/1/due"), "action_items[2].due");
        assert_eq!(
            field_name("/impact/users_affected"),
            "impact.users_affected"
        );
        assert_eq!(field_name(""), "front matter");
    }
}
