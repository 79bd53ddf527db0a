//! The indentation and blank lines that templates leave between tags,
//! squeezed out of a rendered page before it is written: a run of
//! whitespace that holds a line break becomes one line break, which the
//! browser shows exactly as it showed the run, and none at all before the
//! tag of a block element (whitespace next to a block is not shown). Text
//! inside tags (attribute values), comments, and `pre`, `textarea`,
//! `script` and `style` elements is copied as it is. One pass over the page.

/// Elements whose text is shown (or run) as written.
const VERBATIM: [&[u8]; 4] = [b"pre", b"textarea", b"script", b"style"];

/// Elements laid out as blocks (or table parts, or not shown): the
/// whitespace before their opening or closing tag is never shown.
const BLOCKS: [&[u8]; 44] = [
    b"html",
    b"head",
    b"body",
    b"meta",
    b"link",
    b"title",
    b"script",
    b"style",
    b"div",
    b"p",
    b"ul",
    b"ol",
    b"li",
    b"dl",
    b"dt",
    b"dd",
    b"table",
    b"thead",
    b"tbody",
    b"tfoot",
    b"tr",
    b"td",
    b"th",
    b"caption",
    b"section",
    b"article",
    b"header",
    b"footer",
    b"nav",
    b"main",
    b"aside",
    b"figure",
    b"figcaption",
    b"details",
    b"summary",
    b"h1",
    b"h2",
    b"h3",
    b"h4",
    b"h5",
    b"h6",
    b"form",
    b"blockquote",
    b"hr",
];

/// `html` with the whitespace between lines squeezed, appended to `out`.
/// Markup is skipped over, not copied piece by piece: the page is copied
/// in the runs between the line breaks it changes.
pub(crate) fn squeeze(html: &[u8], out: &mut Vec<u8>) {
    out.reserve(html.len());
    // The first byte not copied yet.
    let mut start = 0;
    // Whitespace before a line break is text of the current line back to
    // here (the end of the last tag or line break), never part of a tag.
    let mut floor = 0;
    let mut i = 0;
    while let Some(off) = memchr::memchr2(b'<', b'\n', &html[i..]) {
        let at = i + off;
        if html[at] == b'<' {
            i = markup_end(html, at);
            floor = i;
            continue;
        }
        // A line break: the whitespace around it becomes this one.
        let mut end = at;
        while end > floor && is_space(html[end - 1]) {
            end -= 1;
        }
        out.extend_from_slice(&html[start..end]);
        i = at + 1;
        while i < html.len() && is_space(html[i]) {
            i += 1;
        }
        if !block_tag(&html[i..]) {
            out.push(b'\n');
        }
        start = i;
        floor = i;
    }
    out.extend_from_slice(&html[start..]);
}

/// Whether `s` starts with the opening or closing tag of a block element.
fn block_tag(s: &[u8]) -> bool {
    let Some(rest) = s.strip_prefix(b"<") else {
        return false;
    };
    let rest = rest.strip_prefix(b"/").unwrap_or(rest);
    let name_len = rest
        .iter()
        .position(|b| !b.is_ascii_alphanumeric())
        .unwrap_or(rest.len());
    name_len < rest.len()
        && matches!(
            rest[name_len],
            b'>' | b'/' | b' ' | b'\t' | b'\n' | b'\r' | b'\x0c'
        )
        && BLOCKS
            .iter()
            .any(|b| b.eq_ignore_ascii_case(&rest[..name_len]))
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c')
}

/// Where the comment, tag or verbatim element that starts at `at` (a
/// `<`) ends: everything before is kept as written.
fn markup_end(html: &[u8], at: usize) -> usize {
    let rest = &html[at..];
    if rest.starts_with(b"<!--") {
        return at + find(rest, b"-->", 4).map_or(rest.len(), |e| e + 3);
    }
    let end = tag_end(rest);
    // Only `<p`, `<t`, `<s` (any case) can open a verbatim element.
    let verbatim = matches!(rest.get(1), Some(b'p' | b't' | b's' | b'P' | b'T' | b'S'))
        .then(|| VERBATIM.iter().find(|name| opens(rest, name)))
        .flatten();
    let Some(name) = verbatim else {
        return at + end;
    };
    // Everything up to the closing tag is kept as written.
    let body = &rest[end..];
    at + end + closing(body, name).unwrap_or(body.len())
}

/// The length of the tag at the start of `s`: up to the first `>` that is
/// not inside a quoted attribute value (or all of `s`).
fn tag_end(s: &[u8]) -> usize {
    let mut n = 1;
    while n < s.len() {
        match s[n] {
            b'>' => return n + 1,
            // A quoted value runs to the same quote.
            q @ (b'"' | b'\'') => match memchr::memchr(q, &s[n + 1..]) {
                Some(close) => n += close + 2,
                None => return s.len(),
            },
            _ => n += 1,
        }
    }
    s.len()
}

/// Whether `s` starts with the opening tag `<name` (any case).
fn opens(s: &[u8], name: &[u8]) -> bool {
    s.len() > name.len() + 1
        && s[1..=name.len()].eq_ignore_ascii_case(name)
        && matches!(
            s[name.len() + 1],
            b'>' | b'/' | b' ' | b'\t' | b'\n' | b'\r' | b'\x0c'
        )
}

/// Where `</name` starts in `s` (any case).
fn closing(s: &[u8], name: &[u8]) -> Option<usize> {
    let mut from = 0;
    while let Some(at) = find(s, b"</", from) {
        let after = &s[at + 2..];
        if after.len() >= name.len() && after[..name.len()].eq_ignore_ascii_case(name) {
            return Some(at);
        }
        from = at + 2;
    }
    None
}

fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    memchr::memmem::find(hay.get(from..)?, needle).map(|p| p + from)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sq(s: &str) -> String {
        let mut out = Vec::new();
        squeeze(s.as_bytes(), &mut out);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn runs_with_a_line_break_become_one_line_break() {
        assert_eq!(
            sq("<ul>\n\n    <li>a</li>\n  \n  <li>b c</li>\n</ul>\n"),
            "<ul><li>a</li><li>b c</li></ul>\n"
        );
        // Between inline elements the line break is a space, and stays.
        assert_eq!(
            sq("<p>\n  <span>a</span>\n  <a href=x>b</a>\n</p>"),
            "<p>\n<span>a</span>\n<a href=x>b</a></p>"
        );
        // Only whole names of block elements count.
        assert_eq!(sq("a\n<divx>b\n</pre>\n<TD>"), "a\n<divx>b\n</pre><TD>");
        // Spaces within a line are the text's own.
        assert_eq!(sq("<p>a  b\t<em>c</em> d</p>"), "<p>a  b\t<em>c</em> d</p>");
    }

    #[test]
    fn attribute_values_comments_and_verbatim_elements_are_kept() {
        let s = "<div title=\"a\n   b > c\">x</div>\n  <!-- a\n\n  b -->\n  <pre class=\"x\">  a\n\n    b\n</pre>\n  <PRE>\n  c\n</PRE>\n  <script>if (a\n  < b) {}\n</script>\n  <style>\n  p { }\n</style>\n  <textarea>\n  t\n</textarea>";
        assert_eq!(
            sq(s),
            "<div title=\"a\n   b > c\">x</div>\n<!-- a\n\n  b -->\n<pre class=\"x\">  a\n\n    b\n</pre>\n<PRE>\n  c\n</PRE><script>if (a\n  < b) {}\n</script><style>\n  p { }\n</style>\n<textarea>\n  t\n</textarea>"
        );
    }

    #[test]
    fn names_that_only_start_like_a_verbatim_element_are_squeezed() {
        assert_eq!(
            sq("<presence>\n  a\n</presence><pre-x>\n  b</pre-x>"),
            "<presence>\na\n</presence><pre-x>\nb</pre-x>"
        );
    }

    #[test]
    fn windows_line_ends_and_text_already_written_are_kept_apart() {
        assert_eq!(sq("<p>a \r\n\r\n  b</p>\r\n"), "<p>a\nb</p>\n");
        // What the buffer held before is not squeezed.
        let mut out = b"kept  ".to_vec();
        squeeze(b"\n  x", &mut out);
        assert_eq!(out, b"kept  \nx");
    }

    #[test]
    fn unclosed_markup_is_copied_to_the_end() {
        assert_eq!(sq("a\n  <pre>\n  b"), "a\n<pre>\n  b");
        assert_eq!(sq("a\n  <div class=\"x\n  y"), "a<div class=\"x\n  y");
        assert_eq!(sq("a <!-- b\n  c"), "a <!-- b\n  c");
        assert_eq!(sq(""), "");
        assert_eq!(sq("<"), "<");
    }
}
