//! Aligned plain-text tables for the terminal: widths measured in display
//! columns (so CJK titles line up), colour added after padding so escape
//! codes never count as width.

use super::style::Style;
use unicode_width::UnicodeWidthStr;

/// How a cell is coloured on a terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tone {
    Plain,
    Bad,
    Warn,
    Good,
    Quiet,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Align {
    Left,
    Right,
}

#[derive(Debug, Clone)]
pub(crate) struct Cell {
    text: String,
    tone: Tone,
}

impl Cell {
    /// A cell of `text`, its line breaks and control characters shown
    /// as stand-ins so that a value keeps to its row.
    pub(crate) fn new(text: impl Into<String>) -> Cell {
        let text = text.into();
        Cell {
            text: match super::human::visible(&text) {
                std::borrow::Cow::Borrowed(_) => text,
                std::borrow::Cow::Owned(shown) => shown,
            },
            tone: Tone::Plain,
        }
    }

    pub(crate) fn tone(mut self, tone: Tone) -> Cell {
        self.tone = tone;
        self
    }
}

impl From<&str> for Cell {
    fn from(text: &str) -> Cell {
        Cell::new(text)
    }
}

impl From<String> for Cell {
    fn from(text: String) -> Cell {
        Cell::new(text)
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Table {
    columns: Vec<(&'static str, Align)>,
    rows: Vec<Vec<Cell>>,
}

/// Control characters would break the layout (a title with a tab or an
/// escape sequence); they are shown as spaces.
fn printable(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

impl Table {
    pub(crate) fn new(columns: &[(&'static str, Align)]) -> Table {
        Table {
            columns: columns.to_vec(),
            rows: Vec::new(),
        }
    }

    pub(crate) fn push(&mut self, row: Vec<Cell>) {
        debug_assert_eq!(row.len(), self.columns.len());
        self.rows.push(
            row.into_iter()
                .map(|c| Cell {
                    text: printable(&c.text),
                    ..c
                })
                .collect(),
        );
    }

    pub(crate) fn render(&self, style: Style) -> String {
        let mut widths: Vec<usize> = self.columns.iter().map(|(h, _)| h.width()).collect();
        for row in &self.rows {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(cell.text.width());
            }
        }
        let last = self.columns.len().saturating_sub(1);
        let mut out = String::new();
        let header: Vec<Cell> = self.columns.iter().map(|(h, _)| Cell::new(*h)).collect();
        let lines = std::iter::once((&header, true)).chain(self.rows.iter().map(|r| (r, false)));
        for (row, is_header) in lines {
            let mut line = String::new();
            for (n, cell) in row.iter().enumerate() {
                let pad = widths[n].saturating_sub(cell.text.width());
                let align = self.columns[n].1;
                if align == Align::Right {
                    line.push_str(&" ".repeat(pad));
                }
                line.push_str(&if is_header {
                    style.bold(&cell.text)
                } else {
                    paint(style, cell)
                });
                if n < last {
                    if align == Align::Left {
                        line.push_str(&" ".repeat(pad));
                    }
                    line.push_str("  ");
                }
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }
}

fn paint(style: Style, cell: &Cell) -> String {
    match cell.tone {
        Tone::Plain => cell.text.clone(),
        Tone::Bad => style.red(&cell.text),
        Tone::Warn => style.yellow(&cell.text),
        Tone::Good => style.green(&cell.text),
        Tone::Quiet => style.dim(&cell.text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_line_up_by_display_width() {
        let mut t = Table::new(&[
            ("ID", Align::Left),
            ("N", Align::Right),
            ("TITLE", Align::Left),
        ]);
        t.push(vec!["a".into(), "10".into(), "障害 report".into()]);
        t.push(vec!["障害".into(), "7".into(), "tab\there".into()]);
        assert_eq!(
            t.render(Style::plain()),
            "ID     N  TITLE\na     10  障害 report\n障害   7  tab here\n"
        );
    }

    #[test]
    fn colour_does_not_shift_columns() {
        let mut t = Table::new(&[("A", Align::Left), ("B", Align::Left)]);
        t.push(vec![Cell::new("x").tone(Tone::Bad), "y".into()]);
        let text = t.render(Style { color: true });
        assert!(text.ends_with("\x1b[1;31mx\x1b[0m  y\n"), "{text:?}");
    }
}
