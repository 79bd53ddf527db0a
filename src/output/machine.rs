//! Machine-readable diagnostics: SPEC's JSON, GitHub workflow commands and
//! SARIF 2.1.0.

use crate::diagnostic::{Code, Diagnostic, Severity};
use serde_json::{json, Value};

pub(crate) fn json(diagnostics: &[Diagnostic], files_checked: usize) -> String {
    let value = json!({
        "files_checked": files_checked,
        "errors": crate::diagnostic::count(diagnostics, Severity::Error),
        "warnings": crate::diagnostic::count(diagnostics, Severity::Warning),
        "diagnostics": diagnostics,
    });
    serde_json::to_string_pretty(&value).expect("diagnostics serialise") + "\n"
}

/// Workflow-command escaping: data escapes `%`, CR and LF; properties also
/// `:` and `,`.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// `github` and `sarif` paths: relative to the git work tree's top, so
/// that annotations land when the repository is a folder of a monorepo.
fn in_work_tree(prefix: &str, file: &str) -> String {
    if prefix.is_empty() {
        file.to_string()
    } else {
        format!("{prefix}/{file}")
    }
}

pub(crate) fn github(diagnostics: &[Diagnostic], prefix: &str) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let mut message = d.message.clone();
        if let Some(help) = &d.help {
            message.push_str("\nhelp: ");
            message.push_str(help);
        }
        out.push_str(&format!(
            "::{} file={},line={},col={},title={}::{}\n",
            d.severity.as_str(),
            escape_property(&in_work_tree(prefix, &d.file)),
            d.line,
            d.column,
            escape_property(&format!("hindsight {}", d.code.as_str())),
            escape_data(&message)
        ));
    }
    out
}

/// Where the documentation of a code lives, for this version: the page
/// `hindsight lint --explain CODE` prints.
fn help_uri(code: Code) -> String {
    format!(
        "{}/blob/v{}/docs/codes/{}.md",
        env!("CARGO_PKG_REPOSITORY"),
        env!("CARGO_PKG_VERSION"),
        code.as_str()
    )
}

/// A code's page (docs/codes/<code>.md): the paragraph under its title,
/// and the whole page.
fn documentation(code: Code) -> Option<(String, String)> {
    let page = code.explanation();
    let body = page.split_once('\n')?.1.trim_start();
    let first = body.split("\n\n").next()?.replace('\n', " ");
    Some((first, page.trim().to_string()))
}

/// `unknown-runbook` -> `UnknownRunbook`: SARIF wants a readable `name`
/// that differs from the opaque `id` even ignoring case, so one-word codes
/// get a second word.
fn rule_name(code: Code) -> String {
    match code.as_str() {
        "yaml" => return "InvalidYaml".to_string(),
        "schema" => return "SchemaViolation".to_string(),
        "encoding" => return "InvalidEncoding".to_string(),
        "unreadable" => return "UnreadableFile".to_string(),
        one_word if !one_word.contains('-') => {
            return format!("{}Problem", pascal_case(one_word));
        }
        _ => {}
    }
    pascal_case(code.as_str())
}

fn pascal_case(code: &str) -> String {
    code.split('-')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// RFC 3986: every byte but the unreserved characters and `/` is
/// percent-encoded, so a space, `#` or `%` in a file name survives.
fn uri_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

pub(crate) fn sarif(diagnostics: &[Diagnostic], prefix: &str) -> String {
    let rules: Vec<Value> = Code::ALL
        .iter()
        .map(|&c| {
            let (full, help) = documentation(c)
                .unwrap_or_else(|| (c.description().to_string(), c.description().to_string()));
            json!({
                "id": c.as_str(),
                "name": rule_name(c),
                "shortDescription": {"text": c.description()},
                "fullDescription": {"text": full},
                "help": {"text": help, "markdown": help},
                "helpUri": help_uri(c),
                "defaultConfiguration": {"level": if c == Code::BlameLanguage { "warning" } else { "error" }},
            })
        })
        .collect();
    let results: Vec<Value> = diagnostics
        .iter()
        .map(|d| {
            let mut text = d.message.clone();
            if let Some(help) = &d.help {
                text.push_str(&format!(" (help: {help})"));
            }
            if !text.ends_with('.') {
                text.push('.');
            }
            let mut result = json!({
                "ruleId": d.code.as_str(),
                "ruleIndex": Code::ALL.iter().position(|c| *c == d.code).unwrap_or(0),
                "level": d.severity.as_str(),
                "message": {"text": text},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": {
                            "uri": uri_path(&in_work_tree(prefix, &d.file)),
                            "uriBaseId": "%SRCROOT%",
                        },
                        "region": {"startLine": d.line, "startColumn": d.column},
                    }
                }],
            });
            if let Some(fingerprint) = &d.fingerprint {
                result["partialFingerprints"] = json!({"hindsightFinding/v1": fingerprint});
            }
            result
        })
        .collect();
    let value = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "hindsight",
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "informationUri": env!("CARGO_PKG_REPOSITORY"),
                "rules": rules,
            }},
            // Columns count characters, as everywhere in hindsight.
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    serde_json::to_string_pretty(&value).expect("sarif serialises") + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Pos;

    #[test]
    fn github_escapes() {
        let d = Diagnostic::error("a,b.md", Pos::new(2, 3), Code::Yaml, "50% bad\nline");
        assert_eq!(
            github(&[d], ""),
            "::error file=a%2Cb.md,line=2,col=3,title=hindsight yaml::50%25 bad%0Aline\n"
        );
    }

    #[test]
    fn github_paths_start_at_the_work_tree_top() {
        let d = Diagnostic::error("incidents/m.md", Pos::new(1, 1), Code::Yaml, "bad");
        assert!(github(&[d], "docs").starts_with("::error file=docs/incidents/m.md,"));
    }

    #[test]
    fn uris_are_percent_encoded() {
        assert_eq!(uri_path("incidents/a b%#c.md"), "incidents/a%20b%25%23c.md");
        assert_eq!(uri_path("incidents/café.md"), "incidents/caf%C3%A9.md");
    }

    #[test]
    fn every_code_is_documented_with_a_readable_name() {
        for code in Code::ALL {
            let (full, help) = documentation(code)
                .unwrap_or_else(|| panic!("docs/codes/{}.md has no description", code.as_str()));
            assert!(
                full.len() > 20 && help.contains("## Fix"),
                "{}",
                code.as_str()
            );
            assert!(!rule_name(code).eq_ignore_ascii_case(code.as_str()));
        }
        assert_eq!(rule_name(Code::UnknownRunbook), "UnknownRunbook");
    }
}
