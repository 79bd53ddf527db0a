//! The rendered bodies of documents by file, kept between preparations
//! of the site (`hindsight serve` renders only the bodies that changed).

use crate::document::markdown::{PageMap, Rendered};
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex};

/// Rendered bodies by document file, kept between preparations of the site.
#[derive(Default)]
pub(crate) struct BodyCache {
    inner: Mutex<Bodies>,
}

#[derive(Default)]
struct Bodies {
    /// Fingerprint of the page map the bodies were rendered with.
    pages: Option<u64>,
    by_file: HashMap<String, Arc<Rendered>>,
}

impl BodyCache {
    /// Forget the body of a document that changed.
    pub(crate) fn forget(&self, file: &str) {
        self.lock().by_file.remove(file);
    }

    pub(crate) fn clear(&self) {
        let mut inner = self.lock();
        inner.by_file.clear();
        inner.pages = None;
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Bodies> {
        // A panic while rendering leaves nothing half-written in the map.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Links between documents go to the pages of this map: when it
    /// differs from the last one (an id changed), every body is stale.
    pub(super) fn use_pages(&self, pages: &PageMap) {
        // Order-independent, as the map's iteration order is not fixed.
        let fingerprint = pages.iter().fold(0u64, |acc, entry| {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            entry.hash(&mut h);
            acc ^ h.finish()
        }) ^ pages.len() as u64;
        let mut inner = self.lock();
        if inner.pages != Some(fingerprint) {
            inner.by_file.clear();
            inner.pages = Some(fingerprint);
        }
    }

    pub(super) fn get_or_insert(
        &self,
        file: &str,
        render: impl FnOnce() -> Arc<Rendered>,
    ) -> Arc<Rendered> {
        if let Some(found) = self.lock().by_file.get(file) {
            return found.clone();
        }
        let fresh = render();
        self.lock().by_file.insert(file.to_string(), fresh.clone());
        fresh
    }
}
