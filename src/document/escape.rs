//! The one HTML escaper, for text and quoted attribute values: the
//! template environment of the site and the report, the charts, the
//! Markdown renderer's heading links and `serve`'s error page. In the
//! parse stage, the lowest layer, so that every stage can reach it.

/// The bytes [`escape_html`] may replace: markup, C0 controls other than
/// tab and line breaks, and the lead byte of U+FFFE and U+FFFF.
const ESCAPED: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        t[b] = !matches!(b, 0x09 | 0x0a | 0x0d);
        b += 1;
    }
    t[b'&' as usize] = true;
    t[b'<' as usize] = true;
    t[b'>' as usize] = true;
    t[b'"' as usize] = true;
    t[b'\'' as usize] = true;
    t[0xef] = true;
    t
};

/// HTML escaping for text and quoted attribute values. Unlike tera's
/// default it leaves `/` alone, so links read `../../runbooks/x/` in the
/// page source; every attribute in the templates is quoted. Characters
/// that XML 1.0 forbids (C0 controls other than tab and line breaks,
/// U+FFFE, U+FFFF) become U+FFFD, so a title cannot make the Atom feed
/// or the sitemap unreadable.
pub(crate) fn escape_html(input: &str) -> String {
    let mut out = String::with_capacity(input.len() + input.len() / 8);
    let done: std::result::Result<(), std::convert::Infallible> = escape_runs(input, |run| {
        out.push_str(run);
        Ok(())
    });
    let Ok(()) = done;
    out
}

/// [`escape_html`] written straight into a page as tera renders it.
pub(crate) fn escape_html_to(input: &str, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    escape_runs(input, |run| w.write_all(run.as_bytes()))
}

/// The escaped text of `input`, given to `emit` in runs: plain stretches
/// of the input and the entities between them.
fn escape_runs<E>(
    input: &str,
    mut emit: impl FnMut(&str) -> std::result::Result<(), E>,
) -> std::result::Result<(), E> {
    let bytes = input.as_bytes();
    // Most values hold nothing to escape: found with one table look-up
    // a byte, and given whole.
    let Some(first) = bytes.iter().position(|&b| ESCAPED[usize::from(b)]) else {
        return emit(input);
    };
    let mut plain_from = 0;
    let mut i = first;
    loop {
        let (entity, len) = match bytes[i] {
            b'&' => ("&amp;", 1),
            b'<' => ("&lt;", 1),
            b'>' => ("&gt;", 1),
            b'"' => ("&quot;", 1),
            b'\'' => ("&#39;", 1),
            0xef if bytes.get(i + 1) == Some(&0xbf)
                && matches!(bytes.get(i + 2), Some(0xbe | 0xbf)) =>
            {
                ("\u{fffd}", 3)
            }
            // Another character that starts with the same byte.
            0xef => ("", 0),
            // The C0 controls that [`ESCAPED`] marks.
            _ => ("\u{fffd}", 1),
        };
        if len > 0 {
            emit(&input[plain_from..i])?;
            emit(entity)?;
            plain_from = i + len;
        }
        i += len.max(1);
        match bytes[i..].iter().position(|&b| ESCAPED[usize::from(b)]) {
            Some(off) => i += off,
            None => break,
        }
    }
    emit(&input[plain_from..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_leaves_out_what_xml_forbids() {
        assert_eq!(
            escape_html("a\u{1}b\u{1b}c\t\n\u{fffe}<\u{ffff}é"),
            "a\u{fffd}b\u{fffd}c\t\n\u{fffd}&lt;\u{fffd}é"
        );
    }

    #[test]
    fn escaping_keeps_slashes_and_multibyte_text() {
        assert_eq!(
            escape_html("a/b <é> & \"ü\" 'x'"),
            "a/b &lt;é&gt; &amp; &quot;ü&quot; &#39;x&#39;"
        );
        assert_eq!(escape_html(""), "");
        assert_eq!(escape_html("plain"), "plain");
    }
}
