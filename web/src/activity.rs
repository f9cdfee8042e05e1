//! The activity log as the dashboard holds it: the events loaded so far (newest first), the
//! cursor of the next older page and the token filter.

use std::rc::Rc;

use jitsu_core::protocol::{Event, EventPage};
use jitsu_core::TokenName;

/// The loaded part of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Activity {
    /// The events loaded, newest first; `None` before the first page.
    pub events: Option<Rc<Vec<Event>>>,
    /// The cursor of the next older page; `None` when the oldest event is loaded.
    pub next: Option<String>,
    /// Only the events of this token, when set.
    pub token: Option<TokenName>,
}

impl Activity {
    /// The log with `page` appended (or, when `fresh`, starting with it).
    pub fn with_page(&self, page: EventPage, fresh: bool) -> Self {
        let mut events = match (&self.events, fresh) {
            (Some(old), false) => old.as_ref().clone(),
            _ => Vec::new(),
        };
        events.extend(page.events);
        Activity {
            events: Some(Rc::new(events)),
            next: page.next,
            token: self.token.clone(),
        }
    }

    /// Whether older events remain to be loaded.
    pub fn has_more(&self) -> bool {
        self.events.is_none() || self.next.is_some()
    }
}
