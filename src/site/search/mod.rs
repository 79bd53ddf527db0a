//! The site's search and the data of its long lists, as scripts that
//! assign or hand over data: browsers refuse fetch() from file://, but
//! load scripts.
//!
//! - [`lists`]: the incident index and the open action items, compact, for
//!   the pages that show a screenful and render the rest on demand;
//! - [`text`]: the full-text index over every document, in shards.

mod lists;
mod text;

pub(crate) use lists::{actions_js, incidents_js, open_items_in_order, summaries_js, FIRST_ROWS};
pub(crate) use text::files as text_files;
