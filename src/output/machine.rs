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

pub(crate) fn github(diagnostics: &[Diagnostic]) -> String {
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
            escape_property(&d.file),
            d.line,
            d.column,
            escape_property(&format!("hindsight {}", d.code.as_str())),
            escape_data(&message)
        ));
    }
    out
}

pub(crate) fn sarif(diagnostics: &[Diagnostic]) -> String {
    let rules: Vec<Value> = Code::ALL
        .iter()
        .map(|c| {
            json!({
                "id": c.as_str(),
                "name": c.as_str(),
                "shortDescription": {"text": c.description()},
                "defaultConfiguration": {"level": if *c == Code::BlameLanguage { "warning" } else { "error" }},
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
            json!({
                "ruleId": d.code.as_str(),
                "ruleIndex": Code::ALL.iter().position(|c| *c == d.code).unwrap_or(0),
                "level": d.severity.as_str(),
                "message": {"text": text},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": {"uri": d.file, "uriBaseId": "%SRCROOT%"},
                        "region": {"startLine": d.line, "startColumn": d.column},
                    }
                }],
            })
        })
        .collect();
    let value = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "hindsight",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/hindsight-dev/hindsight",
                "rules": rules,
            }},
            "originalUriBaseIds": {"%SRCROOT%": {"uri": "./"}},
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
            github(&[d]),
            "::error file=a%2Cb.md,line=2,col=3,title=hindsight yaml::50%25 bad%0Aline\n"
        );
    }
}
