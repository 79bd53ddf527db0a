//! The contact fields of a team document (SPEC section 10): the `phone:`
//! and `email:` values of its call tree, stakeholders and partners are the
//! plan itself, not personal data quoted by accident, so `personal-data`
//! does not report them and the screen leaves them for `hindsight oncall`.
//! The site leaves them out unless `site.contacts: true`.
//!
//! Found on the text, before it is parsed: the byte ranges of the values
//! of `phone` and `email` keys in the front matter, block or flow style.

use std::ops::Range;

const KEYS: [&str; 2] = ["phone", "email"];

/// Byte ranges of the values of the `phone:` and `email:` keys in the
/// front matter of `text` (empty when it has none).
pub(crate) fn contact_fields(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut lines = text.split_inclusive('\n');
    let mut offset = 0;
    match lines.next() {
        Some(first) if first.trim_end() == "---" => offset += first.len(),
        _ => return out,
    }
    for line in lines {
        let body = line.trim_end_matches(['\n', '\r']);
        if body == "---" || body == "..." {
            break;
        }
        values_in_line(body, offset, &mut out);
        offset += line.len();
    }
    out
}

/// The values of the contact keys written on one line.
fn values_in_line(line: &str, offset: usize, out: &mut Vec<Range<usize>>) {
    let bytes = line.as_bytes();
    let mut depth = 0usize;
    let mut quote: Option<u8> = None;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if let Some(q) = quote {
            if b == q {
                quote = None;
            }
            i += 1;
            continue;
        }
        match b {
            b'"' | b'\'' => quote = Some(b),
            b'{' | b'[' => depth += 1,
            b'}' | b']' => depth = depth.saturating_sub(1),
            b'#' if i == 0 || bytes[i - 1] == b' ' => return,
            _ => {}
        }
        let starts_key = i == 0 || matches!(bytes[i - 1], b' ' | b'\t' | b'{' | b',' | b'-');
        if starts_key {
            if let Some(key) = KEYS.iter().find(|k| line[i..].starts_with(**k)) {
                let mut j = i + key.len();
                while j < bytes.len() && bytes[j] == b' ' {
                    j += 1;
                }
                if j < bytes.len()
                    && bytes[j] == b':'
                    && bytes.get(j + 1).is_none_or(|c| *c == b' ')
                {
                    let start = skip_spaces(bytes, j + 1);
                    let end = value_end(bytes, start, depth > 0);
                    if end > start {
                        out.push(offset + start..offset + end);
                    }
                    i = end.max(i + 1);
                    continue;
                }
            }
        }
        i += 1;
    }
}

fn skip_spaces(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() && bytes[i] == b' ' {
        i += 1;
    }
    i
}

/// Where a scalar that starts at `start` ends: its closing quote, or in a
/// flow collection the next `,`, `}` or `]`, else the end of the line or a
/// comment.
fn value_end(bytes: &[u8], start: usize, flow: bool) -> usize {
    if let Some(&q @ (b'"' | b'\'')) = bytes.get(start) {
        return bytes[start + 1..]
            .iter()
            .position(|b| *b == q)
            .map_or(bytes.len(), |p| start + 2 + p);
    }
    let mut end = start;
    while end < bytes.len() {
        let b = bytes[end];
        if flow && matches!(b, b',' | b'}' | b']') {
            break;
        }
        if b == b'#' && end > start && bytes[end - 1] == b' ' {
            break;
        }
        end += 1;
    }
    while end > start && bytes[end - 1] == b' ' {
        end -= 1;
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(text: &str) -> Vec<&str> {
        contact_fields(text).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn block_and_flow_values_are_found_in_the_front_matter_only() {
        let text = "---\nid: t\ncall_tree:\n  - {name: Ana, phone: +44 20 7946 0101, email: ana@acme.io, calls: [Ben]}\n  - name: Ben\n    phone: \"+1 415 555 0134\"\n    email: ben@acme.io # work\nwar_room: {primary: x, fallback: \"bridge +44 20 7946 0999\"}\nstakeholders:\n  - {name: C, phone: '+49 30 901820'}\n---\nphone: +44 20 7946 0000 in the body\n";
        assert_eq!(
            values(text),
            [
                "+44 20 7946 0101",
                "ana@acme.io",
                "\"+1 415 555 0134\"",
                "ben@acme.io",
                "'+49 30 901820'"
            ]
        );
    }

    #[test]
    fn a_key_that_only_ends_in_phone_is_not_a_contact_field() {
        assert!(values("---\nmicrophone: +44 20 7946 0101\nphones: x\n---\n").is_empty());
        assert!(values("no front matter\nphone: +44 20 7946 0101\n").is_empty());
    }
}
