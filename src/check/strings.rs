//! Every string of a front matter with where it is: what the wording
//! rules (blame language, placeholders) read besides the body.

/// Every string of a front matter with its JSON pointer, in document
/// order, leaving out the values of the keys in `skip` (at any depth).
pub(super) fn front_matter_strings<'v>(
    value: &'v serde_json::Value,
    skip: &[&str],
) -> Vec<(String, &'v str)> {
    fn walk<'v>(
        v: &'v serde_json::Value,
        pointer: String,
        skip: &[&str],
        out: &mut Vec<(String, &'v str)>,
    ) {
        match v {
            serde_json::Value::String(s) => out.push((pointer, s)),
            serde_json::Value::Array(a) => {
                for (i, item) in a.iter().enumerate() {
                    walk(item, format!("{pointer}/{i}"), skip, out);
                }
            }
            serde_json::Value::Object(o) => {
                for (k, item) in o {
                    if skip.contains(&k.as_str()) {
                        continue;
                    }
                    let segment = crate::document::yaml::escape_segment(k);
                    walk(item, format!("{pointer}/{segment}"), skip, out);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(value, String::new(), skip, &mut out);
    out
}
