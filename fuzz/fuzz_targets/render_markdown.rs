//! Fuzz the Markdown renderer and its sanitiser: whatever a body holds,
//! the page's HTML has no element or attribute that can run script or
//! load anything from outside the site.
#![no_main]

use libfuzzer_sys::fuzz_target;

/// Elements the renderer may write.
const ALLOWED: &[&str] = &[
    "a", "abbr", "acronym", "area", "article", "aside", "b", "bdi", "bdo", "blockquote", "br",
    "caption", "center", "cite", "code", "col", "colgroup", "data", "dd", "del", "details", "dfn",
    "div", "dl", "dt", "em", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6",
    "header", "hgroup", "hr", "i", "img", "input", "ins", "kbd", "li", "map", "mark", "nav", "ol",
    "p", "pre", "q", "rp", "rt", "rtc", "ruby", "s", "samp", "small", "span", "strike", "strong",
    "sub", "summary", "sup", "table", "tbody", "td", "th", "thead", "time", "tr", "tt", "u", "ul",
    "var", "wbr", "section", "sup",
];

fn check(html: &str) {
    let mut i = 0;
    while let Some(off) = html[i..].find('<') {
        let start = i + off;
        // The tag ends at the first `>` outside a quoted attribute value
        // (the serialiser leaves `>` unescaped inside values).
        let mut quoted = false;
        let end = html[start..]
            .char_indices()
            .find(|&(_, c)| {
                if c == '"' {
                    quoted = !quoted;
                }
                c == '>' && !quoted
            })
            .map(|(e, _)| start + e)
            .unwrap_or_else(|| panic!("unterminated tag in {html:?}"));
        let tag = &html[start + 1..end];
        let tag = tag.strip_prefix('/').unwrap_or(tag);
        let name: String = tag
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        assert!(
            ALLOWED.contains(&name.as_str()),
            "element <{name}> in {html:?}"
        );
        // Attributes: name="value", values quoted, `"` escaped inside.
        let mut rest = &tag[name.len()..];
        loop {
            rest = rest.trim_start_matches(|c: char| c.is_ascii_whitespace() || c == '/');
            if rest.is_empty() {
                break;
            }
            let attr_end = rest.find(['=', ' ', '/']).unwrap_or(rest.len());
            let attr = rest[..attr_end].to_ascii_lowercase();
            assert!(!attr.starts_with("on"), "handler {attr} in {html:?}");
            assert!(attr != "style" || name == "th" || name == "td", "style in {html:?}");
            rest = &rest[attr_end..];
            if let Some(r) = rest.strip_prefix('=') {
                let r = r.strip_prefix('"').expect("quoted attribute values");
                let close = r.find('"').expect("closed attribute value");
                let value = r[..close].to_ascii_lowercase();
                let value: String = value.chars().filter(|c| !c.is_whitespace() && !c.is_control()).collect();
                if matches!(attr.as_str(), "href" | "src" | "action" | "formaction" | "xlink:href") {
                    for scheme in ["javascript:", "vbscript:", "data:"] {
                        assert!(!value.starts_with(scheme), "{attr}={value} in {html:?}");
                    }
                    if attr == "src" {
                        // A scheme is what comes before the first `:`, when
                        // no `/`, `?` or `#` comes before it
                        // (`runbooks/:x.png` is a relative path).
                        let scheme = value
                            .find(':')
                            .is_some_and(|at| !value[..at].contains(['/', '?', '#']));
                        assert!(
                            !scheme && !value.starts_with("//"),
                            "remote {attr}={value} in {html:?}"
                        );
                    }
                }
                rest = &r[close + 1..];
            }
        }
        i = end + 1;
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(body) = std::str::from_utf8(data) else {
        return;
    };
    check(&hindsight::fuzzing::render_markdown(body));
});
