//! Schema stage: the built-in JSON Schemas in `schema/`, adjusted by the
//! configuration, compiled once, and their errors turned into diagnostics.
//! Used by `config` (for `hindsight.yaml` itself), `check`, `schema` and
//! `new`.

use crate::diagnostic::{Code, Diagnostic, Pos};
use crate::document::kind::{DocKind, KINDS};
use crate::document::yaml::escape_segment;
use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::Validator;
use serde::Deserialize;
use serde_json::Value;
use std::fmt::Write;

pub(crate) const CONFIG_SCHEMA: &str = include_str!("../schema/config.schema.json");

/// Team extensions of the built-in schemas (`schema:` in hindsight.yaml),
/// by each kind's `schema_key` (the configuration's schema lists the keys).
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(transparent)]
pub(crate) struct SchemaExtensions(std::collections::BTreeMap<String, Value>);

impl SchemaExtensions {
    pub(crate) fn get(&self, kind: DocKind) -> Option<&Value> {
        self.0.get(kind.spec().schema_key)
    }
}

/// What the configuration changes in the document schemas.
#[derive(Debug, Clone)]
pub(crate) struct Settings<'a> {
    /// Severity names, most severe first.
    pub(crate) severities: Vec<&'a str>,
    pub(crate) whys_min: u64,
    pub(crate) extensions: &'a SchemaExtensions,
    /// The configured contributing factors, when there is a taxonomy.
    pub(crate) factors: Option<Vec<&'a str>>,
    /// The roles each severity's protocol asks a finished postmortem to
    /// name (SPEC section 10); only severities that ask for one.
    pub(crate) roles: Vec<(&'a str, Vec<&'static str>)>,
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
    // A team's maps keyed by severity take the configured levels.
    for keys in [
        "/properties/escalation/propertyNames/enum",
        "/properties/communication/properties/updates_every_minutes/propertyNames/enum",
    ] {
        if let Some(e) = schema.pointer_mut(keys) {
            *e = config
                .severities
                .iter()
                .map(|s| Value::String(s.to_string()))
                .collect();
        }
    }
    if kind == DocKind::Incident {
        protocol_roles(&mut schema, &config.roles);
    }
    if let Some(m) = schema.pointer_mut("/else/else/properties/whys/minItems") {
        *m = Value::from(config.whys_min);
    }
    // The configured factors are checked by `unknown-factor` (with a
    // suggestion), so the schema names them as examples, not as an enum.
    if let (Some(factors), Some(Value::Object(items))) = (
        &config.factors,
        schema.pointer_mut("/properties/factors/items"),
    ) {
        let names: Vec<Value> = factors.iter().map(|f| Value::from(*f)).collect();
        items.insert("examples".to_string(), Value::Array(names));
    }
    if let Some(ext) = config.extensions.get(kind) {
        merge(&mut schema, ext);
    }
    schema
}

/// A finished postmortem of a severity whose protocol asks for roles must
/// name them under `roles:`: one `if`/`then` a severity, so that editors
/// and lint read the rule from the same schema.
fn protocol_roles(schema: &mut Value, roles: &[(&str, Vec<&'static str>)]) {
    if roles.is_empty() {
        return;
    }
    let rules: Vec<Value> = roles
        .iter()
        .map(|(severity, roles)| {
            serde_json::json!({
                "if": {
                    "properties": {
                        "severity": {"const": severity},
                        "status": {"enum": ["review", "published"]}
                    },
                    "required": ["severity", "status"]
                },
                "then": {
                    "required": ["roles"],
                    "properties": {"roles": {"required": roles}}
                }
            })
        })
        .collect();
    if let Value::Object(map) = schema {
        match map.get_mut("allOf") {
            Some(Value::Array(all)) => all.extend(rules),
            _ => {
                map.insert("allOf".to_string(), Value::Array(rules));
            }
        }
    }
}

/// The schema as an editor should read it. Lint reads a key with an
/// empty value (`acknowledged_at:`) as absent; an editor's YAML reads it as
/// `null`. So wherever a key may be absent, `null` is allowed too, and
/// wherever a branch requires a key (`else` for non-drafts), `null` is
/// refused there. Printed by `hindsight schema`; lint uses the plain one.
pub(crate) fn for_editors(mut schema: Value) -> Value {
    fn nullable(prop: &mut Value) {
        let Some(p) = prop.as_object_mut() else {
            return;
        };
        match p.get_mut("type") {
            Some(Value::String(t)) => {
                let t = t.clone();
                p.insert("type".into(), serde_json::json!([t, "null"]));
            }
            Some(Value::Array(ts)) if !ts.contains(&Value::from("null")) => {
                ts.push(Value::from("null"));
            }
            _ => {}
        }
        if let Some(Value::Array(options)) = p.get_mut("enum") {
            if !options.contains(&Value::Null) {
                options.push(Value::Null);
            }
        }
    }
    fn walk(node: &mut Value) {
        let Some(obj) = node.as_object_mut() else {
            return;
        };
        let required: Vec<String> = obj
            .get("required")
            .and_then(Value::as_array)
            .map(|r| {
                r.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();
        let typed = obj.contains_key("type");
        if let Some(Value::Object(props)) = obj.get_mut("properties") {
            for (key, prop) in props.iter_mut() {
                walk(prop);
                if typed && !required.contains(key) {
                    nullable(prop);
                }
            }
        }
        if !typed && !required.is_empty() {
            // A branch that adds requirements: present must mean filled in.
            let props = obj
                .entry("properties")
                .or_insert_with(|| Value::Object(Default::default()));
            if let Some(props) = props.as_object_mut() {
                for key in &required {
                    let prop = props
                        .entry(key.clone())
                        .or_insert_with(|| Value::Object(Default::default()));
                    if let Some(p) = prop.as_object_mut() {
                        if !p.contains_key("type") {
                            p.insert("not".into(), serde_json::json!({"type": "null"}));
                        }
                    }
                }
            }
        }
        for key in ["items", "if", "then", "else", "not"] {
            if let Some(child) = obj.get_mut(key) {
                walk(child);
            }
        }
        for key in ["allOf", "anyOf", "oneOf"] {
            if let Some(Value::Array(list)) = obj.get_mut(key) {
                list.iter_mut().for_each(walk);
            }
        }
    }
    walk(&mut schema);
    schema
}

/// A compiled schema and its JSON, which the diagnostics read for the
/// keys it knows and the fields it requires of every document.
pub(crate) struct Schema {
    pub(crate) validator: Validator,
    pub(crate) json: Value,
    /// The keys it knows at each place, for the misspelled-key warnings.
    shape: Shape,
}

impl Schema {
    pub(crate) fn compile(json: Value) -> Result<Schema, String> {
        Ok(Schema {
            validator: compile(&json)?,
            shape: Shape::new(&json),
            json,
        })
    }
}

/// Every kind's schema, compiled once per run.
pub(crate) struct Schemas {
    schemas: Vec<(DocKind, Schema)>,
}

impl Schemas {
    /// A team extension that does not compile was already reported by
    /// `config`; the built-in schema is used instead.
    pub(crate) fn new(config: &Settings<'_>) -> Schemas {
        let schemas = KINDS
            .iter()
            .map(|spec| {
                let schema =
                    Schema::compile(document_schema(spec.kind, config)).unwrap_or_else(|_| {
                        Schema::compile(serde_json::from_str(spec.schema).expect("schema is JSON"))
                            .expect("built-in schema compiles")
                    });
                (spec.kind, schema)
            })
            .collect();
        Schemas { schemas }
    }

    pub(crate) fn get(&self, kind: DocKind) -> &Schema {
        &self
            .schemas
            .iter()
            .find(|(k, _)| *k == kind)
            .expect("every kind has a schema")
            .1
    }
}

/// Where the nodes of a front matter were written.
pub(crate) trait Locate {
    /// The node's value, or for a missing node its nearest written
    /// ancestor (the start of the front matter for the top level).
    fn value(&self, pointer: &str) -> (Pos, u32);
    /// The key that introduced the node, when it was written, even with
    /// an empty value (which counts as absent).
    fn key(&self, pointer: &str) -> Option<Pos>;
}

impl Locate for crate::document::Document {
    fn value(&self, pointer: &str) -> (Pos, u32) {
        self.locate(pointer)
    }

    fn key(&self, pointer: &str) -> Option<Pos> {
        self.key_position(pointer)
    }
}

/// How a user names the node at a pointer: `` `impact.users_affected` ``,
/// or for a node inside a list, counted from 1 with the JSON pointer
/// beside: `` `due` of action item 2 (/action_items/1/due) ``.
pub(crate) fn node_name(pointer: &str) -> String {
    let segments: Vec<String> = pointer
        .split('/')
        .skip(1)
        .map(|s| s.replace("~1", "/").replace("~0", "~"))
        .collect();
    if segments.is_empty() {
        return "the front matter".to_string();
    }
    let Some(last_index) = segments.iter().rposition(|s| s.parse::<usize>().is_ok()) else {
        return format!("`{}`", segments.join("."));
    };
    let n = segments[last_index].parse::<usize>().unwrap_or(0) + 1;
    let list = segments[..last_index]
        .iter()
        .rfind(|s| s.parse::<usize>().is_err())
        .map_or("", String::as_str);
    let item = match list {
        "action_items" => format!("action item {n}"),
        "timeline" => format!("timeline entry {n}"),
        "whys" => format!("why {n}"),
        "severities" => format!("severity level {n}"),
        "call_tree" => format!("call-tree entry {n}"),
        "" => format!("entry {n}"),
        other => format!("entry {n} of `{other}`"),
    };
    let field = &segments[last_index + 1..];
    if field.is_empty() {
        format!("{item} ({pointer})")
    } else {
        format!("`{}` of {item} ({pointer})", field.join("."))
    }
}

/// `node` and the schema objects that apply with it (its `if`/`then`/
/// `else`/`allOf`/`anyOf`/`oneOf` branches), into `out`.
fn expand<'s>(node: &'s Value, out: &mut Vec<&'s Value>) {
    if !node.is_object() {
        return;
    }
    out.push(node);
    for branch in ["if", "then", "else"] {
        if let Some(b) = node.get(branch) {
            expand(b, out);
        }
    }
    for list in ["allOf", "anyOf", "oneOf"] {
        for b in node
            .get(list)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            expand(b, out);
        }
    }
}

/// The schema objects that apply to a child of a value that `nodes`
/// apply to: to the item of a list (`key` None) or to the value of `key`.
fn child_nodes<'s>(nodes: &[&'s Value], key: Option<&str>) -> Vec<&'s Value> {
    let mut next = Vec::new();
    for node in nodes {
        let child = match key {
            None => node.get("items"),
            Some(key) => node.get("properties").and_then(|p| p.get(key)),
        };
        if let Some(c) = child {
            expand(c, &mut next);
        }
    }
    next
}

/// Edit distance with adjacent transpositions counted as one edit
/// (`resloved` is one edit from `resolved`), on lower-cased text. Three
/// rows of memory, so the cost is the product of the lengths and the
/// memory their shorter one; [`closest`] bounds both.
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.to_lowercase().chars().collect();
    let b: Vec<char> = b.to_lowercase().chars().collect();
    let mut before: Vec<usize> = vec![0; b.len() + 1];
    let mut above: Vec<usize> = (0..=b.len()).collect();
    let mut row: Vec<usize> = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        row[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (above[j] + 1).min(row[j - 1] + 1).min(above[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(before[j - 2] + 1);
            }
            row[j] = d;
        }
        std::mem::swap(&mut before, &mut above);
        std::mem::swap(&mut above, &mut row);
    }
    above[b.len()]
}

/// Longest written word that gets a suggestion: keys and enum values are
/// short, and a longer value is not a typo of one of them (comparing it
/// would cost its length times each candidate's).
pub(crate) const SUGGEST_MAX_CHARS: usize = 40;

/// The one candidate closest to `word`, as cargo suggests flags: within
/// a third of the length (at least one edit), and only when no other
/// candidate is as close. Nothing for a word past [`SUGGEST_MAX_CHARS`].
pub(crate) fn closest<'c>(
    word: &str,
    candidates: impl IntoIterator<Item = &'c str>,
) -> Option<&'c str> {
    if word.len() > SUGGEST_MAX_CHARS * 4 {
        return None;
    }
    let length = word.chars().count();
    if length > SUGGEST_MAX_CHARS {
        return None;
    }
    let limit = (length / 3).max(1);
    let mut best: Option<(usize, &str)> = None;
    let mut tied = false;
    for c in candidates {
        if c == word {
            continue;
        }
        let d = edit_distance(word, c);
        if d > limit {
            continue;
        }
        match best {
            Some((b, _)) if d > b => {}
            Some((b, _)) if d == b => tied = true,
            _ => {
                best = Some((d, c));
                tied = false;
            }
        }
    }
    best.filter(|_| !tied).map(|(_, c)| c)
}

/// A written key that looks like a misspelling of one the schema knows.
struct Misspelling {
    /// Pointer of the key as written.
    pointer: String,
    known: String,
    /// The schema refuses unknown keys there (its own error names the key).
    closed: bool,
}

impl Misspelling {
    fn parent(&self) -> &str {
        self.pointer.rsplit_once('/').map_or("", |(p, _)| p)
    }

    fn written(&self) -> &str {
        self.pointer.rsplit('/').next().unwrap_or_default()
    }
}

/// What the schema objects that apply to a value say of its keys, and of
/// the values under them: read from the schema once, not for every
/// mapping of every document.
#[derive(Debug, Default)]
struct Shape {
    /// The schema refuses unknown keys here.
    closed: bool,
    /// The keys the schema objects know, in their order; a key that two
    /// of them know is there twice (no key is then closer than the other).
    known: Vec<String>,
    /// The shape of the value under each known key that has schema
    /// objects.
    under: Vec<(String, Shape)>,
    /// The shape of a list's items.
    items: Option<Box<Shape>>,
}

impl Shape {
    fn new(schema: &Value) -> Shape {
        let mut root = Vec::new();
        expand(schema, &mut root);
        Shape::of(&root).unwrap_or_default()
    }

    /// `None` when no schema object applies: nothing is known there.
    fn of(nodes: &[&Value]) -> Option<Shape> {
        if nodes.is_empty() {
            return None;
        }
        let closed = nodes
            .iter()
            .any(|n| n.get("additionalProperties") == Some(&Value::Bool(false)));
        let known: Vec<String> = nodes
            .iter()
            .filter_map(|n| n.get("properties").and_then(Value::as_object))
            .flat_map(|p| p.keys().cloned())
            .collect();
        let mut under: Vec<(String, Shape)> = Vec::new();
        for key in &known {
            if under.iter().any(|(k, _)| k == key) {
                continue;
            }
            if let Some(shape) = Shape::of(&child_nodes(nodes, Some(key))) {
                under.push((key.clone(), shape));
            }
        }
        Some(Shape {
            closed,
            known,
            under,
            items: Shape::of(&child_nodes(nodes, None)).map(Box::new),
        })
    }

    fn under(&self, key: &str) -> Option<&Shape> {
        self.under.iter().find(|(k, _)| k == key).map(|(_, s)| s)
    }
}

/// Keys the schema does not know that are close to a key it knows and
/// the mapping lacks.
fn misspellings(shape: &Shape, value: &Value) -> Vec<Misspelling> {
    /// `shape` is what the schema says of `value`, found on the way down.
    fn walk(shape: &Shape, value: &Value, pointer: &mut String, out: &mut Vec<Misspelling>) {
        match value {
            Value::Object(map) => {
                for (key, child) in map {
                    let len = pointer.len();
                    if shape.known.iter().any(|k| k == key) {
                        if child.is_object() || child.is_array() {
                            if let Some(under) = shape.under(key) {
                                pointer.push('/');
                                pointer.push_str(&escape_segment(key));
                                walk(under, child, pointer, out);
                            }
                        }
                    } else if let Some(k) = closest(key, shape.known.iter().map(String::as_str)) {
                        if shape.closed || !map.contains_key(k) {
                            pointer.push('/');
                            pointer.push_str(&escape_segment(key));
                            out.push(Misspelling {
                                pointer: pointer.clone(),
                                known: k.to_string(),
                                closed: shape.closed,
                            });
                        }
                    }
                    pointer.truncate(len);
                }
            }
            Value::Array(items) => {
                let Some(next) = &shape.items else {
                    return;
                };
                for (i, item) in items.iter().enumerate() {
                    if item.is_object() || item.is_array() {
                        let len = pointer.len();
                        let _ = write!(pointer, "/{i}");
                        walk(next, item, pointer, out);
                        pointer.truncate(len);
                    }
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(shape, value, &mut String::new(), &mut out);
    out
}

fn enum_values(options: &Value) -> Vec<String> {
    options
        .as_array()
        .map(|a| {
            a.iter()
                .map(|o| o.as_str().map_or_else(|| o.to_string(), str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// The valid value closest to a written one: the same but for case, or
/// the one nearest by edits.
fn closest_value<'c>(written: &Value, options: &'c [String]) -> Option<&'c str> {
    let written = written.as_str()?;
    options
        .iter()
        .find(|o| o.eq_ignore_ascii_case(written))
        .map(String::as_str)
        .or_else(|| {
            // Words trackers use for a value, far from it in spelling.
            let said = written.trim().to_lowercase();
            SYNONYMS
                .iter()
                .filter(|(word, _)| *word == said)
                .find_map(|(_, value)| options.iter().find(|o| o == value))
                .map(String::as_str)
        })
        .or_else(|| closest(written, options.iter().map(String::as_str)))
}

/// What people write for an enum value, as other trackers name it: an
/// action item `closed` in the tracker is `done` here.
const SYNONYMS: &[(&str, &str)] = &[
    ("closed", "done"),
    ("fixed", "done"),
    ("resolved", "done"),
    ("complete", "done"),
    ("completed", "done"),
    ("finished", "done"),
    ("won't fix", "wontfix"),
    ("wont fix", "wontfix"),
    ("won't-fix", "wontfix"),
    ("wont-fix", "wontfix"),
    ("won't_fix", "wontfix"),
    ("wont_fix", "wontfix"),
    ("rejected", "wontfix"),
    ("todo", "open"),
    ("to do", "open"),
    ("pending", "open"),
    ("in progress", "open"),
    ("in-progress", "open"),
    ("in_progress", "open"),
    ("doing", "open"),
    ("in review", "review"),
    ("in-review", "review"),
    ("done", "held"),
    ("completed", "held"),
    ("canceled", "cancelled"),
    ("scheduled", "planned"),
];

/// A document whose `status` is missing or not one of the schema's values
/// cannot be told to be a draft. It is checked with the draft rules, so
/// that the one error about its status is not buried under a "missing"
/// error for every field a finished postmortem needs.
pub(crate) fn status_unknown(schema: &Value, value: &Value) -> bool {
    let Some(options) = schema
        .pointer("/properties/status/enum")
        .and_then(Value::as_array)
    else {
        return false;
    };
    schema.get("else").is_some() && !value.get("status").is_some_and(|s| options.contains(s))
}

fn describe(v: &Value) -> String {
    let s = match v {
        Value::Null => "nothing".to_string(),
        Value::Bool(b) => format!("`{b}`"),
        Value::Number(n) => n.to_string(),
        // Only the start of a long value is shown: quote no more of it.
        Value::String(s) => match s.char_indices().nth(60) {
            Some((end, _)) => format!("{:?}", &s[..end]),
            None => format!("{s:?}"),
        },
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

/// Turn schema errors into diagnostics, with the warnings about keys that
/// look misspelt.
pub(crate) fn schema_diagnostics(
    schema: &Schema,
    value: &Value,
    file: &str,
    locate: &dyn Locate,
    relaxed_form: Option<&str>,
) -> Vec<Diagnostic> {
    let reader = Reader {
        json: &schema.json,
        file,
        locate,
        relaxed_form,
        misspelt: misspellings(&schema.shape, value),
        always_required: schema
            .json
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default(),
        relaxed: status_unknown(&schema.json, value),
    };
    let mut out = Vec::new();
    reader.misspelled_keys(&mut out);
    // Most documents are valid: asking that first is cheaper than
    // collecting no errors.
    if schema.validator.is_valid(value) {
        return out;
    }
    for error in schema.validator.iter_errors(value) {
        reader.error(&error, &mut out);
    }
    out
}

/// What turning one document's schema errors into diagnostics reads.
struct Reader<'a> {
    json: &'a Value,
    file: &'a str,
    locate: &'a dyn Locate,
    relaxed_form: Option<&'a str>,
    misspelt: Vec<Misspelling>,
    /// The fields every form of the document needs.
    always_required: Vec<&'a str>,
    /// Whether the status is unknown (the document is checked relaxed).
    relaxed: bool,
}

impl Reader<'_> {
    /// Where the key of `pointer` was written, and its width; the value's
    /// place when it has no key.
    fn key_at(&self, pointer: &str) -> (Pos, u32) {
        match self.locate.key(pointer) {
            Some(at) => {
                let name = pointer.rsplit('/').next().unwrap_or("");
                (at, name.chars().count().max(1) as u32)
            }
            None => self.locate.value(pointer),
        }
    }

    fn misspelled_keys(&self, out: &mut Vec<Diagnostic>) {
        for m in self.misspelt.iter().filter(|m| !m.closed) {
            let (at, width) = self.key_at(&m.pointer);
            out.push(
                Diagnostic::warning(
                    self.file,
                    at,
                    Code::MisspelledKey,
                    format!("unknown key `{}`: did you mean `{}`?", m.written(), m.known),
                )
                .with_path(m.pointer.clone())
                .with_width(width)
                .with_help(format!(
                    "rename it to `{}`; a key hindsight does not know is kept but never read",
                    m.known
                )),
            );
        }
    }

    fn error(&self, error: &jsonschema::ValidationError<'_>, out: &mut Vec<Diagnostic>) {
        let schema_path = error.schema_path().as_str();
        if self.relaxed && schema_path.starts_with("/else") {
            return;
        }
        if pattern_beside_format(self.json, schema_path) {
            return;
        }
        let conditional = schema_path.starts_with("/else") || schema_path.starts_with("/then");
        let pointer = error.instance_path().as_str().to_string();
        let name = node_name(&pointer);
        let (path, message, help) = match error.kind() {
            ValidationErrorKind::Required { property } => {
                let prop = property.as_str().unwrap_or_default();
                return self.required(prop, &pointer, &name, conditional, out);
            }
            ValidationErrorKind::AdditionalProperties { unexpected } => {
                return self.unexpected(unexpected, &pointer, out);
            }
            ValidationErrorKind::PropertyNames { error: inner } => {
                return self.severity_key(inner, &pointer, &name, out);
            }
            kind => self.message(kind, error, &pointer, &name),
        };
        let (at, width) = self.locate.value(&path);
        let mut d = Diagnostic::error(self.file, at, Code::Schema, message)
            .with_path(path)
            .with_width(width);
        d.help = help;
        out.push(d);
    }

    /// A required field that is missing, empty, or written misspelt.
    fn required(
        &self,
        prop: &str,
        pointer: &str,
        name: &str,
        conditional: bool,
        out: &mut Vec<Diagnostic>,
    ) {
        let child = format!("{pointer}/{}", escape_segment(prop));
        let message = if pointer.is_empty() {
            format!("missing required field `{prop}`")
        } else {
            format!("{name} is missing the required field `{prop}`")
        };
        if let Some(m) = self
            .misspelt
            .iter()
            .find(|m| m.known == prop && m.parent() == pointer)
        {
            let (at, width) = self.key_at(&m.pointer);
            out.push(
                Diagnostic::error(self.file, at, Code::Schema, message)
                    .with_path(child)
                    .with_width(width)
                    .with_help(format!(
                        "`{}` on line {} looks like a misspelling of `{prop}`: rename it",
                        m.written(),
                        at.line
                    )),
            );
            return;
        }
        if let Some(at) = self.locate.key(&child) {
            let message = if pointer.is_empty() {
                format!("required field `{prop}` is empty")
            } else {
                format!("the required field `{prop}` of {name} is empty")
            };
            out.push(
                Diagnostic::error(self.file, at, Code::Schema, message)
                    .with_path(child)
                    .with_width(prop.chars().count() as u32)
                    .with_help(format!("fill in `{prop}:` on line {}", at.line)),
            );
            return;
        }
        let mut help = if pointer.is_empty() {
            format!("add `{prop}:` to the front matter")
        } else {
            format!(
                "add `{prop}:` to {name}, which starts on line {}",
                self.locate.value(pointer).0.line
            )
        };
        if prop == "roles" || pointer == "/roles" {
            help.push_str(
            "; the protocol of this severity in hindsight.yaml (`severities[].protocol`) asks for it",
        );
        }
        match self.relaxed_form {
            Some(form) if conditional && pointer.is_empty() => {
                help.push_str(&format!(
                    "; {form} needs only {}",
                    self.always_required.join(", ")
                ));
            }
            Some(form) if conditional => {
                help.push_str(&format!("; {form} may leave it out"));
            }
            _ => {}
        }
        let (at, width) = self.locate.value(&child);
        out.push(
            Diagnostic::error(self.file, at, Code::Schema, message)
                .with_path(child)
                .with_width(width)
                .with_help(help),
        );
    }

    /// Keys a closed mapping (hindsight.yaml's) does not know.
    fn unexpected(&self, unexpected: &[String], pointer: &str, out: &mut Vec<Diagnostic>) {
        for key in unexpected {
            let child = format!("{pointer}/{}", escape_segment(key));
            let (at, _) = self.key_at(&child);
            let (message, help) = match self.misspelt.iter().find(|m| m.pointer == child) {
                Some(m) => (
                    format!("unknown key `{key}`: did you mean `{}`?", m.known),
                    format!(
                        "rename it to `{}`; `hindsight schema config` lists every key",
                        m.known
                    ),
                ),
                None => (
                    format!("unknown key `{key}`"),
                    "check the spelling; `hindsight schema config` lists every key".to_string(),
                ),
            };
            out.push(
                Diagnostic::error(self.file, at, Code::Schema, message)
                    .with_path(child)
                    .with_help(help)
                    .with_width(key.chars().count() as u32),
            );
        }
    }

    /// A key of a map keyed by severity (a team's `escalation`).
    fn severity_key(
        &self,
        inner: &jsonschema::ValidationError<'_>,
        pointer: &str,
        name: &str,
        out: &mut Vec<Diagnostic>,
    ) {
        // A key of a map keyed by severity (a team's `escalation`).
        let key = inner.instance().as_str().unwrap_or_default().to_string();
        let child = format!("{pointer}/{}", escape_segment(&key));
        let options = match inner.kind() {
            ValidationErrorKind::Enum { options } => enum_values(options),
            _ => Vec::new(),
        };
        let mut help = closest_value(&Value::String(key.clone()), &options)
            .map(|c| format!("did you mean `{c}`? "))
            .unwrap_or_default();
        help.push_str("the levels are configured under `severities:` in hindsight.yaml");
        let (at, _) = self.key_at(&child);
        out.push(
            Diagnostic::error(
                self.file,
                at,
                Code::Schema,
                format!(
                    "`{key}` in {name} is not a configured severity: use one of {}",
                    options.join(", ")
                ),
            )
            .with_path(child)
            .with_width(key.chars().count().max(1) as u32)
            .with_help(help),
        );
    }

    /// The path, message and help of every other error.
    fn message(
        &self,
        kind: &ValidationErrorKind,
        error: &jsonschema::ValidationError<'_>,
        pointer: &str,
        name: &str,
    ) -> (String, String, Option<String>) {
        let instance = error.instance();
        let pointer = pointer.to_string();
        match kind {
        ValidationErrorKind::Type { kind } => {
            let expected = type_name(kind);
            let key = pointer.rsplit('/').next().unwrap_or_default();
            let help = match (expected.as_str(), &**instance) {
                ("a list", Value::String(s)) => Some(format!("write a list: `{key}: [{s}]`")),
                ("a whole number" | "a number", Value::String(s)) => Some(format!(
                    "write the number without quotes, separators or units, such as `{key}: {}`",
                    digits(s)
                )),
                _ => None,
            };
            (
                pointer.clone(),
                format!("{name} must be {expected}, not {}", describe(instance)),
                help,
            )
        }
        ValidationErrorKind::Enum { options } => {
            let options = enum_values(options);
            let mut help: Vec<String> = closest_value(instance, &options)
                .map(|c| format!("did you mean `{c}`?"))
                .into_iter()
                .collect();
            if self.relaxed && pointer == "/status" {
                help.push(
                    "Until it is one of these, the postmortem is checked as a draft."
                        .to_string(),
                );
            }
            if help.is_empty() && pointer == "/severity" {
                help.push(
                    "the levels are configured under `severities:` in hindsight.yaml"
                        .to_string(),
                );
            }
            (
                pointer.clone(),
                format!(
                    "{name} must be one of {}, not {}",
                    options.join(", "),
                    describe(instance)
                ),
                (!help.is_empty()).then(|| help.join(" ")),
            )
        }
        ValidationErrorKind::Format { format } => {
            let (what, help) = match format.as_str() {
                "date" => (
                    "a date (YYYY-MM-DD)",
                    "write a real calendar date such as 2026-03-14",
                ),
                "date-time" => (
                    "an RFC 3339 timestamp with offset",
                    "write it as 2026-03-14T09:30:00Z or 2026-03-14T11:30:00+02:00",
                ),
                "uri" => (
                    "a URL",
                    "write the full address, such as https://tracker.example.com/OPS-12",
                ),
                _ => ("valid", ""),
            };
            let help = (!help.is_empty()).then(|| help.to_string());
            (
                pointer.clone(),
                format!("{} is not {what}", describe(instance)),
                help,
            )
        }
        ValidationErrorKind::MinItems { limit } => {
            let have = instance.as_array().map_or(0, Vec::len);
            let help = (pointer == "/whys").then(|| {
                "keep asking \"why?\" until you reach a cause in the system; `whys_min` in hindsight.yaml sets the number".to_string()
            });
            (
                pointer.clone(),
                format!(
                    "{name} has {have} {}; at least {limit} required",
                    if have == 1 { "entry" } else { "entries" }
                ),
                help,
            )
        }
        ValidationErrorKind::MinLength { .. } => {
            (pointer.clone(), format!("{name} must not be empty"), None)
        }
        ValidationErrorKind::Pattern { .. } if pointer.ends_with("/phone") => (
            pointer.clone(),
            format!(
                "{} is not a phone number in E.164 form",
                describe(instance)
            ),
            Some(
                "write `+`, the country code and the number, 8 to 15 digits in all (spaces and dashes between digits are allowed), such as +44 20 7946 0000"
                    .to_string(),
            ),
        ),
        ValidationErrorKind::Pattern { .. }
            if pointer.starts_with("/sources/") && pointer.ends_with("/name") =>
        {
            (
                pointer.clone(),
                format!("{} is not a source name", describe(instance)),
                Some("use lowercase letters, digits and `-` (first a letter or digit), at most 40 characters: the name is the source's folder in the site and the `name:` of `name:ID`".to_string()),
            )
        }
        ValidationErrorKind::Pattern { .. }
            if pointer.ends_with("/id") || pointer.ends_with("/name") =>
        {
            (
                pointer.clone(),
                format!("{} is not a valid id", describe(instance)),
                Some("use letters, digits, `.`, `_` and `-` (first a letter or digit), at most 64 characters".to_string()),
            )
        }
        ValidationErrorKind::Minimum { limit } => (
            pointer.clone(),
            format!("{name} must be at least {limit}, not {}", describe(instance)),
            None,
        ),
        ValidationErrorKind::ExclusiveMinimum { limit } => (
            pointer.clone(),
            format!(
                "{name} must be greater than {limit}, not {}",
                describe(instance)
            ),
            None,
        ),
        ValidationErrorKind::Maximum { limit } => (
            pointer.clone(),
            format!("{name} must be at most {limit}, not {}", describe(instance)),
            None,
        ),
            _ => (pointer.clone(), format!("{name}: {error}"), None),
        }
    }
}

/// Whether the error at `schema_path` is a `pattern` written beside a
/// `format` (dates and timestamps): the pattern is there for editors,
/// which treat `format` as a note, and is looser than the format, whose
/// own message (with its help) already covers any value it refuses.
fn pattern_beside_format(schema: &Value, schema_path: &str) -> bool {
    let Some(parent) = schema_path.strip_suffix("/pattern") else {
        return false;
    };
    schema
        .pointer(parent)
        .is_some_and(|s| s.get("format").is_some())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Every date and timestamp in the built-in schemas carries a pattern
    /// that editors check, refusing what lint refuses by its format.
    #[test]
    fn dates_and_timestamps_carry_a_pattern_editors_check() {
        fn walk<'a>(v: &'a Value, out: &mut Vec<(&'a str, &'a str)>) {
            match v {
                Value::Object(map) => {
                    if let Some(format @ ("date" | "date-time")) =
                        map.get("format").and_then(Value::as_str)
                    {
                        let pattern = map.get("pattern").and_then(Value::as_str).unwrap_or("");
                        out.push((format, pattern));
                    }
                    map.values().for_each(|v| walk(v, out));
                }
                Value::Array(items) => items.iter().for_each(|v| walk(v, out)),
                _ => {}
            }
        }
        let mut found = Vec::new();
        let schemas: Vec<Value> = crate::document::kind::KINDS
            .iter()
            .map(|k| serde_json::from_str(k.schema).unwrap())
            .collect();
        for schema in &schemas {
            walk(schema, &mut found);
        }
        assert_eq!(found.len(), 14);
        for (format, pattern) in found {
            let re = regex::Regex::new(pattern).unwrap_or_else(|e| panic!("{format}: {e}"));
            let (good, bad): (&[&str], &[&str]) = if format == "date" {
                (
                    &["2026-03-14", "2024-02-29", "2026-12-31"],
                    &[
                        "yesterday",
                        "2026-3-14",
                        "14/03/2026",
                        "2026-13-01",
                        "2026-03-14T09:00:00Z",
                        "",
                    ],
                )
            } else {
                (
                    &[
                        "2026-03-14T09:12:00Z",
                        "2026-03-14T09:12:00+01:00",
                        "2026-03-14T09:12:00.250-05:30",
                        "2026-03-14t09:12:00z",
                    ],
                    &[
                        "yesterday",
                        "2026-03-14",
                        "2026-03-14T09:12:00",
                        "2026-03-14T09:12Z",
                        "2026-03-14T25:00:00Z",
                        "2026-03-14T09:12:00+0100",
                    ],
                )
            };
            for v in good {
                assert!(re.is_match(v), "{format} pattern refuses {v}");
                // Looser than lint's format check, never stricter.
                assert!(
                    crate::model::parse_date(v).is_some()
                        || crate::model::parse_timestamp(v).is_some(),
                    "{v}"
                );
            }
            for v in bad {
                assert!(!re.is_match(v), "{format} pattern accepts {v}");
            }
        }
    }

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
    fn node_names_count_items_from_one_beside_the_pointer() {
        assert_eq!(
            node_name("/action_items/1/due"),
            "`due` of action item 2 (/action_items/1/due)"
        );
        assert_eq!(
            node_name("/action_items/0"),
            "action item 1 (/action_items/0)"
        );
        assert_eq!(
            node_name("/services/2"),
            "entry 3 of `services` (/services/2)"
        );
        assert_eq!(
            node_name("/impact/users_affected"),
            "`impact.users_affected`"
        );
        assert_eq!(node_name(""), "the front matter");
    }

    #[test]
    fn editor_schema_takes_empty_keys_as_lint_does() {
        let schema = Schema::compile(for_editors(
            serde_json::from_str(DocKind::Incident.spec().schema).unwrap(),
        ))
        .unwrap();
        let draft = json!({"id": "A", "title": "T", "status": "draft", "severity": "SEV2",
            "started_at": "2026-01-01T00:00:00Z", "detected_at": null, "owner": null,
            "impact": {"users_affected": null}, "whys": null, "action_items": null});
        assert!(schema.validator.is_valid(&draft));
        let mut review = draft.clone();
        review["status"] = json!("review");
        assert!(!schema.validator.is_valid(&review));
        let mut no_id = draft;
        no_id["id"] = Value::Null;
        assert!(
            !schema.validator.is_valid(&no_id),
            "a required key may not be empty"
        );
    }

    #[test]
    fn tracker_words_suggest_the_value_they_mean() {
        let items: Vec<String> = ["open", "done", "wontfix"].map(String::from).into();
        let drills: Vec<String> = ["planned", "held", "cancelled"].map(String::from).into();
        for (written, options, meant) in [
            ("closed", &items, "done"),
            ("Closed", &items, "done"),
            ("won't fix", &items, "wontfix"),
            ("in progress", &items, "open"),
            ("done", &drills, "held"),
            ("canceled", &drills, "cancelled"),
            ("opne", &items, "open"),
        ] {
            assert_eq!(
                closest_value(&json!(written), options),
                Some(meant),
                "{written}"
            );
        }
        assert_eq!(closest_value(&json!("zzz"), &items), None);
    }

    #[test]
    fn closest_is_unique_and_near() {
        let keys = ["resolved_at", "detected_at", "started_at", "owner"];
        assert_eq!(closest("resloved_at", keys), Some("resolved_at"));
        assert_eq!(closest("ownr", keys), Some("owner"));
        assert_eq!(closest("team", keys), None);
        assert_eq!(
            closest("SEV5", ["SEV1", "SEV2"]),
            None,
            "a tie suggests nothing"
        );
        assert_eq!(edit_distance("Draft", "draft"), 0);
    }

    #[test]
    fn misspellings_are_found_at_every_level() {
        let schema: Value = serde_json::from_str(DocKind::Incident.spec().schema).unwrap();
        let value = json!({"resloved_at": "x", "action_items": [{"tilte": "t"}], "team": "a"});
        let found: Vec<(String, String)> = misspellings(&Shape::new(&schema), &value)
            .into_iter()
            .map(|m| (m.pointer, m.known))
            .collect();
        assert_eq!(
            found,
            vec![
                ("/resloved_at".to_string(), "resolved_at".to_string()),
                ("/action_items/0/tilte".to_string(), "title".to_string()),
            ]
        );
    }
}
