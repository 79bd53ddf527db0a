//! Where in the YAML the editor's cursor is, read from the lines of a text
//! that may be half-typed and need not parse: the path of keys and list
//! items that holds the cursor, and what is being typed there.

/// One step of a path into the YAML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Seg {
    Key(String),
    Item,
}

/// The YAML lines of a text: the front matter of a document, or the
/// whole of `hindsight.yaml`. Line numbers are 0-based, as in LSP.
pub(crate) fn yaml_lines(text: &str, whole: bool) -> Option<std::ops::Range<usize>> {
    let lines: Vec<&str> = text.split('\n').collect();
    if whole {
        return Some(0..lines.len());
    }
    let first = lines.first()?.trim_start_matches('\u{feff}').trim_end();
    if first != "---" {
        return None;
    }
    let end = lines
        .iter()
        .skip(1)
        .position(|l| l.trim_end() == "---")
        .map_or(lines.len(), |p| p + 1);
    Some(1..end)
}

/// One line of YAML, classified.
#[derive(Debug)]
struct Line<'t> {
    blank: bool,
    indent: usize,
    /// The line starts a list item (`- `).
    dash: bool,
    /// Column (in characters) where the item's or line's content starts.
    content_at: usize,
    content: &'t str,
    key: Option<&'t str>,
    /// After the key's colon, trimmed; empty when the value follows on
    /// the next lines.
    value: &'t str,
}

fn classify(line: &str) -> Line<'_> {
    let line = line.strip_suffix('\r').unwrap_or(line);
    let indent = line.len() - line.trim_start_matches(' ').len();
    let rest = &line[indent..];
    let blank = rest.trim().is_empty() || rest.starts_with('#');
    let (dash, content, content_at) = match rest.strip_prefix('-') {
        Some(after) if after.is_empty() || after.starts_with(' ') => {
            let content = after.trim_start_matches(' ');
            (true, content, indent + (rest.len() - content.len()))
        }
        _ => (false, rest, indent),
    };
    let (key, value) = split_key(content);
    Line {
        blank,
        indent,
        dash,
        content_at,
        content,
        key,
        value,
    }
}

/// `key: value` -> (key, value without comment); quoted keys unquoted.
fn split_key(content: &str) -> (Option<&str>, &str) {
    let colon = content
        .char_indices()
        .find(|&(i, c)| c == ':' && content[i + 1..].chars().next().is_none_or(|n| n == ' '))
        .map(|(i, _)| i);
    let Some(colon) = colon else {
        return (None, "");
    };
    let key = content[..colon].trim();
    let key = key
        .strip_prefix('"')
        .and_then(|k| k.strip_suffix('"'))
        .or_else(|| key.strip_prefix('\'').and_then(|k| k.strip_suffix('\'')))
        .unwrap_or(key);
    if key.is_empty() || key.contains(['[', '{', '#']) {
        return (None, "");
    }
    let value = content[colon + 1..].trim();
    let value = match value.find(" #") {
        Some(i) => value[..i].trim_end(),
        None if value.starts_with('#') => "",
        None => value,
    };
    (Some(key), value)
}

/// The path of the mapping or list that holds a line indented `indent`,
/// read upwards from the lines before it.
fn parent_path(before: &[Line<'_>], mut indent: usize) -> Vec<Seg> {
    let mut path = Vec::new();
    for l in before.iter().rev() {
        if l.blank || l.indent >= indent {
            continue;
        }
        if l.dash {
            if l.content_at <= indent {
                // Inside this item; the list belongs to a key further up.
                path.push(Seg::Item);
                if let (Some(key), true) = (l.key, l.value.is_empty()) {
                    // `- key:` whose value is indented below it.
                    if l.content_at < indent {
                        path.pop();
                        path.push(Seg::Key(key.to_string()));
                        path.push(Seg::Item);
                    }
                }
                indent = l.indent + 1;
            }
            continue;
        }
        match l.key {
            Some(key) if l.value.is_empty() => {
                path.push(Seg::Key(key.to_string()));
                indent = l.indent;
            }
            _ => break,
        }
    }
    path.reverse();
    path
}

/// What the cursor is typing.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Typing {
    /// For a key: the mapping it goes into. For a value: the node it is.
    pub(crate) path: Vec<Seg>,
    pub(crate) kind: TypingKind,
    /// The part already typed, and the character column where it starts.
    pub(crate) typed: String,
    pub(crate) start: usize,
}

#[derive(Debug, PartialEq, Eq)]
pub(crate) enum TypingKind {
    Key,
    Value,
    /// A list item without a colon: a key when the items are mappings,
    /// else a value.
    KeyOrItem,
}

/// What is being typed at `line`, character `column` (both 0-based).
pub(crate) fn typing_at(
    text: &str,
    yaml: std::ops::Range<usize>,
    line: usize,
    column: usize,
) -> Option<Typing> {
    if !yaml.contains(&line) {
        return None;
    }
    let all: Vec<&str> = text.split('\n').collect();
    let before: Vec<Line<'_>> = all[yaml.start..line].iter().map(|l| classify(l)).collect();
    let current = all.get(line)?;
    let prefix: String = current
        .trim_end_matches('\r')
        .chars()
        .take(column)
        .collect();
    let here = classify(&prefix);
    let mut path = if here.dash {
        let mut p = parent_path(&before, here.indent + 1);
        p.push(Seg::Item);
        p
    } else {
        parent_path(&before, here.indent)
    };
    let typed_start = |typed: &str| column - typed.chars().count();
    if let Some(key) = here.key {
        path.push(Seg::Key(key.to_string()));
        let after_colon = here.content[here.content.find(':').map_or(0, |i| i + 1)..].trim_start();
        let typed = if after_colon.starts_with('[') {
            path.push(Seg::Item);
            let cut = after_colon.rfind(['[', ',']).map_or(0, |i| i + 1);
            after_colon[cut..].trim_start()
        } else {
            after_colon
        };
        let typed = typed.trim_start_matches(['"', '\'']);
        return Some(Typing {
            path,
            kind: TypingKind::Value,
            typed: typed.to_string(),
            start: typed_start(typed),
        });
    }
    let typed = here.content.trim_start_matches(['"', '\'']);
    Some(Typing {
        path,
        kind: if here.dash {
            TypingKind::KeyOrItem
        } else {
            TypingKind::Key
        },
        typed: typed.to_string(),
        start: typed_start(typed),
    })
}

/// The node under the cursor, for hover: its path and, on a value, the
/// word there.
pub(crate) fn node_at(
    text: &str,
    yaml: std::ops::Range<usize>,
    line: usize,
    column: usize,
) -> Option<(Vec<Seg>, Option<String>)> {
    if !yaml.contains(&line) {
        return None;
    }
    let all: Vec<&str> = text.split('\n').collect();
    let before: Vec<Line<'_>> = all[yaml.start..line].iter().map(|l| classify(l)).collect();
    let here = classify(all.get(line)?);
    if here.blank {
        return None;
    }
    let mut path = if here.dash {
        let mut p = parent_path(&before, here.indent + 1);
        p.push(Seg::Item);
        p
    } else {
        parent_path(&before, here.indent)
    };
    let chars: Vec<char> = all[line].trim_end_matches('\r').chars().collect();
    let word = word_at(&chars, column);
    match here.key {
        Some(key) => {
            path.push(Seg::Key(key.to_string()));
            let key_end = here.content_at
                + here
                    .content
                    .find(':')
                    .map_or(0, |i| here.content[..i].chars().count());
            if column < key_end {
                return Some((path, None));
            }
            if here.value.starts_with('[') {
                path.push(Seg::Item);
            }
            Some((path, word))
        }
        None if here.dash && column >= here.content_at => Some((path, word)),
        None => None,
    }
}

/// The scalar word around `column`, without quotes.
fn word_at(chars: &[char], column: usize) -> Option<String> {
    let stop = |c: char| c.is_whitespace() || "[],{}\"'".contains(c);
    let column = column.min(chars.len());
    let start = chars[..column]
        .iter()
        .rposition(|&c| stop(c))
        .map_or(0, |i| i + 1);
    let end = chars[column..]
        .iter()
        .position(|&c| stop(c))
        .map_or(chars.len(), |i| column + i);
    let word: String = chars[start..end].iter().collect();
    let word = word.trim_end_matches(':');
    (!word.is_empty()).then(|| word.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(k: &str) -> Seg {
        Seg::Key(k.to_string())
    }

    /// The text with `|` marking the cursor.
    fn typing(marked: &str) -> Typing {
        let at = marked.find('|').unwrap();
        let text = marked.replace('|', "");
        let line = marked[..at].matches('\n').count();
        let column = marked[..at].rsplit('\n').next().unwrap().chars().count();
        let yaml = yaml_lines(&text, false).unwrap();
        typing_at(&text, yaml, line, column).unwrap()
    }

    #[test]
    fn top_level_key() {
        let t = typing("---\nid: A\nsta|\n---\n");
        assert_eq!(
            (t.path, t.kind, t.typed.as_str(), t.start),
            (vec![], TypingKind::Key, "sta", 0)
        );
    }

    #[test]
    fn value_of_a_key() {
        let t = typing("---\nstatus: dr|\n---\n");
        assert_eq!(
            (t.path, t.kind, t.typed.as_str(), t.start),
            (vec![key("status")], TypingKind::Value, "dr", 8)
        );
    }

    #[test]
    fn nested_mapping_and_flow_list() {
        let t = typing("---\nimpact:\n  users_affected: 3\n  cu|\n---\n");
        assert_eq!((t.path, t.kind), (vec![key("impact")], TypingKind::Key));
        let t = typing("---\nrunbooks: [db-failover, ca|\n---\n");
        assert_eq!(
            (t.path, t.typed.as_str()),
            (vec![key("runbooks"), Seg::Item], "ca")
        );
    }

    #[test]
    fn action_items() {
        let text = "---\naction_items:\n  - title: Fix\n    owner: bob\n    status: o|\n---\n";
        let t = typing(text);
        assert_eq!(t.path, vec![key("action_items"), Seg::Item, key("status")]);
        let t = typing("---\naction_items:\n  - title: Fix\n  - ti|\n---\n");
        assert_eq!(
            (t.path, t.kind),
            (vec![key("action_items"), Seg::Item], TypingKind::KeyOrItem)
        );
        // An indentless list.
        let t = typing("---\naction_items:\n- title: Fix\n  ow|\n---\n");
        assert_eq!(
            (t.path, t.kind),
            (vec![key("action_items"), Seg::Item], TypingKind::Key)
        );
    }

    #[test]
    fn block_list_of_strings() {
        let t = typing("---\nrunbooks:\n  - db\n  - |\n---\n");
        assert_eq!(
            (t.path, t.kind, t.typed.as_str()),
            (vec![key("runbooks"), Seg::Item], TypingKind::KeyOrItem, "")
        );
    }

    #[test]
    fn outside_the_front_matter() {
        let text = "---\nid: A\n---\n# Body\n";
        let yaml = yaml_lines(text, false).unwrap();
        assert!(typing_at(text, yaml.clone(), 3, 2).is_none());
        assert!(typing_at(text, yaml, 0, 1).is_none());
        assert!(yaml_lines("# no front matter\n", false).is_none());
    }

    #[test]
    fn hover_nodes() {
        let text =
            "---\nseverity: SEV2\nrunbooks: [db, cache]\naction_items:\n  - due: 2026-01-01\n---\n";
        let yaml = yaml_lines(text, false).unwrap();
        assert_eq!(
            node_at(text, yaml.clone(), 1, 2),
            Some((vec![key("severity")], None))
        );
        assert_eq!(
            node_at(text, yaml.clone(), 1, 11),
            Some((vec![key("severity")], Some("SEV2".into())))
        );
        assert_eq!(
            node_at(text, yaml.clone(), 2, 16),
            Some((vec![key("runbooks"), Seg::Item], Some("cache".into())))
        );
        assert_eq!(
            node_at(text, yaml, 4, 5),
            Some((vec![key("action_items"), Seg::Item, key("due")], None))
        );
    }
}
