//! Machine-readable diagnostics: SPEC's JSON, GitHub workflow commands and
//! SARIF 2.1.0.

//!
//! Each is written to `out` as it is serialised, one diagnostic at a time,
//! not built as one value first.

use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::document::percent;
use serde::ser::{Serialize, SerializeSeq, Serializer};
use serde_json::{json, Value};
use std::io::{self, Write};

pub(crate) fn json(
    out: &mut dyn Write,
    diagnostics: &[Diagnostic],
    files_checked: usize,
) -> io::Result<()> {
    #[derive(serde::Serialize)]
    struct Report<'a> {
        files_checked: usize,
        errors: usize,
        warnings: usize,
        diagnostics: &'a [Diagnostic],
    }
    let report = Report {
        files_checked,
        errors: crate::diagnostic::count(diagnostics, Severity::Error),
        warnings: crate::diagnostic::count(diagnostics, Severity::Warning),
        diagnostics,
    };
    serde_json::to_writer_pretty(&mut *out, &report)?;
    out.write_all(b"\n")
}

/// Workflow-command escaping: data escapes `%`, CR and LF; properties also
/// `:` and `,`.
fn escape_data(s: &str) -> String {
    percent::encode(s, percent::WORKFLOW_DATA)
}

fn escape_property(s: &str) -> String {
    percent::encode(s, percent::WORKFLOW_PROPERTY)
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

pub(crate) fn github(
    out: &mut dyn Write,
    diagnostics: &[Diagnostic],
    prefix: &str,
) -> io::Result<()> {
    for d in diagnostics {
        let mut message = d.message.clone();
        if let Some(help) = &d.help {
            message.push_str("\nhelp: ");
            message.push_str(help);
        }
        writeln!(
            out,
            "::{} file={},line={},col={},title={}::{}",
            d.severity.as_str(),
            escape_property(&in_work_tree(prefix, &d.file)),
            d.line,
            d.column,
            escape_property(&format!("hindsight {}", d.code.as_str())),
            escape_data(&message)
        )?;
    }
    Ok(())
}

/// Where the documentation of a code lives, for this version: the page
/// `hindsight lint --explain CODE` prints.
/// A code's page (docs/src/codes/<code>.md): the paragraph under its title,
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

/// One SARIF result.
fn sarif_result(d: &Diagnostic, prefix: &str) -> Value {
    let mut text = d.message.clone();
    if let Some(help) = &d.help {
        text.push_str(&format!(" (help: {help})"));
    }
    if !text.ends_with('.') {
        text.push('.');
    }
    let mut result = json!({
        "ruleId": d.code.as_str(),
        "ruleIndex": d.code as usize,
        "level": d.severity.as_str(),
        "message": {"text": text},
        "locations": [{
            "physicalLocation": {
                "artifactLocation": {
                    "uri": percent::encode(&in_work_tree(prefix, &d.file), percent::PATH),
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
}

/// The results of a run, each made as it is serialised.
struct SarifResults<'a> {
    diagnostics: &'a [Diagnostic],
    prefix: &'a str,
}

impl Serialize for SarifResults<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.diagnostics.len()))?;
        for d in self.diagnostics {
            seq.serialize_element(&sarif_result(d, self.prefix))?;
        }
        seq.end()
    }
}

pub(crate) fn sarif(
    out: &mut dyn Write,
    diagnostics: &[Diagnostic],
    prefix: &str,
) -> io::Result<()> {
    #[derive(serde::Serialize)]
    struct Log<'a> {
        #[serde(rename = "$schema")]
        schema: &'static str,
        version: &'static str,
        runs: [Run<'a>; 1],
    }
    #[derive(serde::Serialize)]
    struct Run<'a> {
        tool: Value,
        // Columns count characters, as everywhere in hindsight.
        #[serde(rename = "columnKind")]
        column_kind: &'static str,
        results: SarifResults<'a>,
    }
    let rules: Vec<Value> = Code::all()
        .map(|c| {
            let (full, help) = documentation(c)
                .unwrap_or_else(|| (c.description().to_string(), c.description().to_string()));
            json!({
                "id": c.as_str(),
                "name": rule_name(c),
                "shortDescription": {"text": c.description()},
                "fullDescription": {"text": full},
                "help": {"text": help, "markdown": help},
                "helpUri": c.page_url(),
                "defaultConfiguration": {"level": c.rule().default.as_str()},
            })
        })
        .collect();
    let log = Log {
        schema: "https://json.schemastore.org/sarif-2.1.0.json",
        version: "2.1.0",
        runs: [Run {
            tool: json!({"driver": {
                "name": "hindsight",
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "informationUri": env!("CARGO_PKG_REPOSITORY"),
                "rules": rules,
            }}),
            column_kind: "unicodeCodePoints",
            results: SarifResults {
                diagnostics,
                prefix,
            },
        }],
    };
    serde_json::to_writer_pretty(&mut *out, &log)?;
    out.write_all(b"\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Pos;

    fn text(write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> String {
        let mut out = Vec::new();
        write(&mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn github_escapes() {
        let d = Diagnostic::error("a,b.md", Pos::new(2, 3), Code::Yaml, "50% bad\nline");
        assert_eq!(
            text(|out| github(out, &[d], "")),
            "::error file=a%2Cb.md,line=2,col=3,title=hindsight yaml::50%25 bad%0Aline\n"
        );
    }

    #[test]
    fn github_paths_start_at_the_work_tree_top() {
        let d = Diagnostic::error("incidents/m.md", Pos::new(1, 1), Code::Yaml, "bad");
        assert!(
            text(|out| github(out, &[d], "docs")).starts_with("::error file=docs/incidents/m.md,")
        );
    }

    #[test]
    fn json_and_sarif_are_the_documents_they_were() {
        let d = vec![Diagnostic::error(
            "incidents/a b.md",
            Pos::new(2, 3),
            Code::Yaml,
            "bad",
        )];
        let json_text = text(|out| json(out, &d, 4));
        let expected = json!({
            "files_checked": 4, "errors": 1, "warnings": 0, "diagnostics": &d,
        });
        assert_eq!(
            json_text,
            serde_json::to_string_pretty(&expected).unwrap() + "\n"
        );
        let sarif_text = text(|out| sarif(out, &d, ""));
        let log: Value = serde_json::from_str(&sarif_text).unwrap();
        let keys: Vec<&String> = log["runs"][0].as_object().unwrap().keys().collect();
        assert_eq!(keys, ["tool", "columnKind", "results"]);
        assert_eq!(log["runs"][0]["results"][0], sarif_result(&d[0], ""));
        assert_eq!(
            log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
                ["uri"],
            "incidents/a%20b.md"
        );
    }

    #[test]
    fn every_code_is_documented_with_a_readable_name() {
        for code in Code::all() {
            let (full, help) = documentation(code).unwrap_or_else(|| {
                panic!("docs/src/codes/{}.md has no description", code.as_str())
            });
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
