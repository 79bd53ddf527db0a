//! The one percent-encoder and decoder (RFC 3986 `%XX`, upper-case hex),
//! for every stage: the site's file and edit links, heading fragments,
//! the report's Markdown links, SARIF's URIs and GitHub's workflow
//! commands encode; link classification, `serve` and the language server
//! decode. Each use names the [`Set`] of characters it must encode.

/// The characters one use encodes; every other character is kept as it is.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Set(fn(char) -> bool);

/// A `/`-separated path in a URL: everything but the unreserved
/// characters (RFC 3986) and `/`, so a space, `#` or `%` in a file name
/// survives, and non-ASCII text as its UTF-8 bytes.
pub(crate) const PATH: Set =
    Set(|c| !(c.is_ascii_alphanumeric() || matches!(c, '/' | '-' | '_' | '.' | '~')));

/// A heading's id after `#` in a page: the space, which would end the
/// URL; the rest (non-ASCII letters too) reads as written, and the
/// markup characters are left to the HTML escaper.
pub(crate) const FRAGMENT: Set = Set(|c| c == ' ');

/// A web or mail address in a Markdown link target `(<target>)`: what
/// would end the target, the table cell or the line.
pub(crate) const MARKDOWN_LINK: Set =
    Set(|c| c.is_control() || matches!(c, '<' | '>' | ' ' | '\\' | '"' | '\'' | '`' | '|'));

/// The data of a GitHub workflow command: `%`, CR and LF.
pub(crate) const WORKFLOW_DATA: Set = Set(|c| matches!(c, '%' | '\r' | '\n'));

/// A property of a GitHub workflow command: its data set, `:` and `,`.
pub(crate) const WORKFLOW_PROPERTY: Set = Set(|c| matches!(c, '%' | '\r' | '\n' | ':' | ','));

/// `text` with each character of `set` written as the `%XX` of its UTF-8
/// bytes.
pub(crate) fn encode(text: &str, set: Set) -> String {
    let Some(first) = text.find(set.0) else {
        return text.to_string();
    };
    let mut out = String::with_capacity(text.len() + 8);
    out.push_str(&text[..first]);
    for c in text[first..].chars() {
        if (set.0)(c) {
            let mut buf = [0; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push('%');
                out.push(char::from(HEX[usize::from(b >> 4)]));
                out.push(char::from(HEX[usize::from(b & 0xf)]));
            }
        } else {
            out.push(c);
        }
    }
    out
}

const HEX: &[u8; 16] = b"0123456789ABCDEF";

/// The bytes `text` stands for: each `%` and two hex digits (either case)
/// is that byte; anything else, a `%` without two hex digits too, is kept.
/// The caller decides what bytes that are not UTF-8 mean.
pub(crate) fn decode(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            if let (Some(hi), Some(lo)) = (
                bytes.get(i + 1).and_then(|&b| hex_value(b)),
                bytes.get(i + 2).and_then(|&b| hex_value(b)),
            ) {
                out.push(hi << 4 | lo);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    out
}

fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_keep_the_unreserved_characters_and_slashes() {
        assert_eq!(
            encode("incidents/a b%#c.md", PATH),
            "incidents/a%20b%25%23c.md"
        );
        assert_eq!(encode("incidents/café.md", PATH), "incidents/caf%C3%A9.md");
        assert_eq!(encode("a-b_c.d~e/F9", PATH), "a-b_c.d~e/F9");
        assert_eq!(encode("", PATH), "");
    }

    #[test]
    fn fragments_encode_only_the_space() {
        assert_eq!(encode("über größe", FRAGMENT), "über%20größe");
        assert_eq!(encode("a&b", FRAGMENT), "a&b");
    }

    #[test]
    fn markdown_links_lose_what_would_end_them() {
        assert_eq!(
            encode("https://t.example/a> <b", MARKDOWN_LINK),
            "https://t.example/a%3E%20%3Cb"
        );
        assert_eq!(
            encode("https://t.example/a|b\n", MARKDOWN_LINK),
            "https://t.example/a%7Cb%0A"
        );
        assert_eq!(
            encode("https://t.example/é", MARKDOWN_LINK),
            "https://t.example/é"
        );
    }

    #[test]
    fn workflow_commands_escape_percent_and_line_breaks() {
        assert_eq!(encode("50%\r\nx", WORKFLOW_DATA), "50%25%0D%0Ax");
        assert_eq!(encode("a:b,c", WORKFLOW_DATA), "a:b,c");
        assert_eq!(encode("a:b,c%", WORKFLOW_PROPERTY), "a%3Ab%2Cc%25");
    }

    #[test]
    fn decoding_takes_either_case_and_keeps_stray_percents() {
        assert_eq!(decode("img%20one.png"), b"img one.png");
        assert_eq!(decode("/incidents/INC%2D1/"), b"/incidents/INC-1/");
        assert_eq!(decode("%2e%2E"), b"..");
        assert_eq!(decode("100%"), b"100%");
        assert_eq!(decode("%2"), b"%2");
        assert_eq!(decode("%zz%+1"), b"%zz%+1");
        assert_eq!(decode("caf%C3%A9"), "café".as_bytes());
        assert_eq!(decode("%FF"), [0xff]);
    }

    #[test]
    fn decoding_undoes_encoding() {
        for text in ["incidents/a b%#c.md", "caf\u{e9}/\u{969c}\u{5bb3}", "%41"] {
            assert_eq!(decode(&encode(text, PATH)), text.as_bytes());
        }
    }
}
