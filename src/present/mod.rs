//! Presentation: how figures, dates and charts read, and the one theme of
//! templates (the site's pages and the `report` documents alike), so the
//! report and the site say the same thing the same way.

pub(crate) mod charts;
pub(crate) mod format;
pub(crate) mod learning;
pub(crate) mod report;
pub(crate) mod review;
pub(crate) mod tables;
pub(crate) mod theme;
