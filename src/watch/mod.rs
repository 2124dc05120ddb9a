//! `-L --watch` and `--changes` (ours, issue 16): the table watched as it
//! changes. Pure: the executor lists the table at each refresh and hands
//! the listing here with the time it was taken; this module answers with
//! the events between two listings (`diff`), the drain state of each real
//! server at weight 0 (`drain`), what a view shows of a refresh: rates,
//! marks, trends (`track`), the events as lines of text or JSON (`lines`)
//! and the full-screen view drawn with ratatui (`view`). The loop, the
//! clock, the kernel and the terminal are the executor's.

pub mod diff;
pub mod drain;
pub mod lines;
pub mod track;
pub mod view;

use std::collections::HashMap;

use serde_json::Value;

use crate::ipvs::{Dest, Service, ServiceId};

/// One listing of the table: each service with its real servers, in the
/// kernel's order.
pub type Table = Vec<(Service, Vec<Dest>)>;

/// What each virtual service is, when the executor knows (`--k8s`: the
/// Service it serves): a label for people, under the service in the view
/// and after it in the lines, and an object for the JSON lines. Data, so
/// that this module needs nothing of where it comes from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Labels {
    /// The JSON lines' field name (`kubernetes`).
    pub key: &'static str,
    pub text: HashMap<ServiceId, String>,
    pub json: HashMap<ServiceId, Value>,
    /// What a service that is not in the maps is: its label and value.
    pub unknown: Option<(String, Value)>,
}

impl Labels {
    /// The label of a service, when labels are given.
    pub fn text_of(&self, id: &ServiceId) -> Option<&str> {
        match self.text.get(id) {
            Some(t) => Some(t),
            None => self.unknown.as_ref().map(|(t, _)| t.as_str()),
        }
    }

    /// The JSON value of a service, when labels are given.
    pub fn json_of(&self, id: &ServiceId) -> Option<&Value> {
        match self.json.get(id) {
            Some(v) => Some(v),
            None => self.unknown.as_ref().map(|(_, v)| v),
        }
    }
}

#[cfg(test)]
pub(crate) mod fixture;
