//! Document templates: rendering one, and checking and completing what it
//! gave before `init` or `new` writes it.

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::document::{DocKind, SourceFile};
use anyhow::{bail, Context, Result};

/// The repository's own postmortem template, in the incidents folder.
pub(crate) const TEMPLATE_FILE: &str = "_template.md";

/// Render a document template (`source`, named `name` in errors).
pub(crate) fn render_template(
    name: &str,
    source: &str,
    context: impl serde::Serialize,
) -> Result<String> {
    let mut tera = tera::Tera::default();
    // Not `.md` for Tera's sake: the name decides HTML escaping, and
    // YAML must not be HTML-escaped.
    tera.autoescape_on(Vec::<&str>::new());
    // The same filters as the site's templates (`json_encode` quotes a
    // YAML value).
    crate::present::format::register_filters(&mut tera);
    tera.add_raw_template(name, source)
        .with_context(|| format!("template {name} does not compile"))?;
    let context = tera::Context::from_serialize(&context).context("template context")?;
    let text = tera
        .render(name, &context)
        .with_context(|| format!("cannot render template {name}"))?;
    // Tera leaves the line breaks of leading `{# comments #}`; the front
    // matter must open on the first line.
    let mut text = text.trim_start_matches(['\r', '\n']).to_string();
    if !text.ends_with('\n') {
        text.push('\n');
    }
    Ok(text)
}

/// Check a rendered document of any kind before it is written, and
/// complete it (see `finish_postmortem`). `id_format` names, for an error,
/// the format that gave the id.
pub(crate) fn finish(
    config: &Config,
    template_name: &str,
    mut text: String,
    id: &str,
    kind: DocKind,
    id_format: &str,
) -> Result<(String, Vec<Diagnostic>)> {
    let what = match kind {
        DocKind::Incident => "postmortem",
        other => other.spec().name,
    };
    let doc = crate::document::parse(SourceFile {
        file: template_name.to_string(),
        kind,
        bytes: text.as_bytes().to_vec(),
    });
    if let Some(problem) = doc.problems.first() {
        bail!(
            "{template_name} gives a {what} that hindsight cannot read: line {}: {}",
            problem.line,
            problem.message
        );
    }
    let Some(front) = &doc.front else {
        bail!("{template_name} gives a {what} without front matter");
    };
    if front.value.get("id").and_then(|v| v.as_str()) != Some(id) {
        bail!("{template_name} does not set `id: {{{{ id }}}}` in its front matter");
    }
    let schemas = crate::schema::Schemas::new(&config.schema_settings());
    let problems = crate::schema::schema_diagnostics(
        schemas.get(kind),
        &front.value,
        "",
        &doc,
        kind.spec().relaxed,
    );
    if let Some(d) = problems.iter().find(|d| d.path.as_deref() == Some("/id")) {
        bail!(
            "{id_format} gives the id `{id}`, which is not valid: {}",
            d.message
        );
    }
    let have: Vec<String> = crate::document::markdown::headings(doc.body())
        .into_iter()
        .map(|(_, h)| h.to_lowercase())
        .collect();
    for section in config.required_sections(kind) {
        if !have.contains(&section.trim().to_lowercase()) {
            text.push_str(&format!("\n## {}\n\nTODO\n", section.trim()));
        }
    }
    Ok((text, problems))
}

/// The repository's `<dir>/_template.md` of a kind, read through the
/// file gate, or the built-in `builtin`; with the name to give it in
/// messages (`the built-in <what> template`).
pub(crate) fn repository_or_built_in(
    root: &std::path::Path,
    dir: &str,
    what: &str,
    builtin: &str,
) -> Result<(String, String)> {
    let rel = format!("{dir}/{TEMPLATE_FILE}");
    match crate::discover::read_optional(root, &crate::discover::Origin::WorkTree, &rel)? {
        Some(bytes) => {
            let text =
                String::from_utf8(bytes).with_context(|| format!("{rel} is not valid UTF-8"))?;
            Ok((rel, text))
        }
        None => Ok((format!("the built-in {what} template"), builtin.to_string())),
    }
}
