//! The events of `--changes` as lines: a timestamp (UTC, RFC 3339 with
//! milliseconds), the event's name and what it is about, in text or, with
//! `-j`, one JSON object a line (its shape in docs/changes.schema.json).
//! Addresses are numeric. Pure.

use std::time::Duration;

use super::Labels;
use serde_json::{json, Map, Value};

use super::diff::{server_fields, service_fields, Change, DestKey, Event};
use crate::format::json;
use crate::ipvs::{ConnCounts, ServiceId};

/// A time since the Unix epoch as `YYYY-MM-DDTHH:MM:SS.mmmZ`.
pub fn timestamp(since_epoch: Duration) -> String {
    let secs = since_epoch.as_secs();
    let (days, rest) = (secs / 86400, secs % 86400);
    let (y, m, d) = civil(days as i64);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
        rest / 3600,
        rest / 60 % 60,
        rest % 60,
        since_epoch.subsec_millis()
    )
}

/// The date `days` after 1970-01-01 (Gregorian: Hinnant's
/// `civil_from_days`).
fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

pub use crate::format::{endpoint, service_text};

/// A field's value in a text line: strings bare, lists joined by commas,
/// null as `none`.
fn value_text(v: &Value) -> String {
    match v {
        Value::Null => "none".into(),
        Value::String(s) => s.clone(),
        Value::Array(xs) if xs.is_empty() => "none".into(),
        Value::Array(xs) => xs.iter().map(value_text).collect::<Vec<_>>().join(","),
        Value::Object(o) => {
            let kv: Vec<String> = o
                .iter()
                .map(|(k, v)| format!("{k}={}", value_text(v)))
                .collect();
            kv.join(",")
        }
        v => v.to_string(),
    }
}

/// Set fields of something added, as `name=value` words.
fn config_words(fields: Vec<(&'static str, Value)>) -> String {
    fields
        .into_iter()
        .filter(|(_, v)| !v.is_null() && *v != json!([]) && *v != json!(0))
        .map(|(k, v)| format!(" {k}={}", value_text(&v)))
        .collect()
}

fn change_words(changes: &[Change]) -> String {
    let word = |c: &Change| {
        format!(
            " {} {}->{}",
            c.field,
            value_text(&c.old),
            value_text(&c.new)
        )
    };
    changes.iter().map(word).collect()
}

fn server_text(id: &ServiceId, k: &DestKey) -> String {
    format!("{} -> {}", service_text(id), endpoint(&k.addr, k.port))
}

fn conns_words(c: &ConnCounts) -> String {
    format!(" active={} inactive={}", c.active, c.inactive)
}

/// One event as a line of text, newline included.
/// `text`, with the service's label after it where one is given.
pub fn text_labelled(e: &Event, time: &str, labels: &Labels) -> String {
    let line = text(e, time);
    match e.service().and_then(|id| labels.text_of(id)) {
        Some(l) => format!("{}  ({l})\n", line.trim_end_matches('\n')),
        None => line,
    }
}

/// `json_line`, with the service's label object where labels are given.
pub fn json_line_labelled(e: &Event, time: &str, labels: &Labels) -> String {
    let mut o = json_object(e, time);
    if let Some(v) = e.service().and_then(|id| labels.json_of(id)) {
        o.insert(labels.key.to_string(), v.clone());
    }
    let mut line = Value::Object(o).to_string();
    line.push('\n');
    line
}

pub fn text(e: &Event, time: &str) -> String {
    let what = match e {
        Event::Watching { services } => format!("{services} services"),
        Event::ServiceAdded(s) => service_text(&s.id) + &config_words(service_fields(s)),
        Event::ServiceRemoved(id) => service_text(id),
        Event::ServiceChanged(id, c) => service_text(id) + &change_words(c),
        Event::ServerAdded(id, d) => {
            server_text(id, &DestKey::of(d)) + &config_words(server_fields(d))
        }
        Event::ServerRemoved(id, k) | Event::Drained(id, k) => server_text(id, k),
        Event::ServerChanged(id, k, c) => server_text(id, k) + &change_words(c),
        Event::DrainStarted(id, k, c) | Event::DrainStuck(id, k, c) => {
            server_text(id, k) + &conns_words(c)
        }
        Event::Error(m) => m.clone(),
        Event::Recovered => String::new(),
    };
    let sep = if what.is_empty() { "" } else { " " };
    format!("{time} {}{sep}{what}\n", e.name())
}

fn fields_object(fields: Vec<(&'static str, Value)>) -> Value {
    Value::Object(
        fields
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
    )
}

fn changes_object(changes: &[Change]) -> Value {
    let o = changes
        .iter()
        .map(|c| (c.field.to_string(), json!({ "old": c.old, "new": c.new })));
    Value::Object(o.collect())
}

/// One event as a JSON object on one line, newline included.
pub fn json_line(e: &Event, time: &str) -> String {
    let mut line = Value::Object(json_object(e, time)).to_string();
    line.push('\n');
    line
}

/// The event's JSON object.
fn json_object(e: &Event, time: &str) -> Map<String, Value> {
    let mut o = Map::new();
    o.insert("time".into(), json!(time));
    o.insert("event".into(), json!(e.name()));
    let mut put = |k: &str, v: Value| o.insert(k.to_string(), v);
    let server = |k: &DestKey| json::server_id(&k.addr, k.port);
    match e {
        Event::Watching { services } => {
            put("services", json!(services));
        }
        Event::ServiceAdded(s) => {
            put("service", json::service_id(&s.id));
            put("config", fields_object(service_fields(s)));
        }
        Event::ServiceRemoved(id) => {
            put("service", json::service_id(id));
        }
        Event::ServiceChanged(id, c) => {
            put("service", json::service_id(id));
            put("changes", changes_object(c));
        }
        Event::ServerAdded(id, d) => {
            put("service", json::service_id(id));
            put("server", server(&DestKey::of(d)));
            put("config", fields_object(server_fields(d)));
        }
        Event::ServerRemoved(id, k) | Event::Drained(id, k) => {
            put("service", json::service_id(id));
            put("server", server(k));
        }
        Event::ServerChanged(id, k, c) => {
            put("service", json::service_id(id));
            put("server", server(k));
            put("changes", changes_object(c));
        }
        Event::DrainStarted(id, k, c) | Event::DrainStuck(id, k, c) => {
            put("service", json::service_id(id));
            put("server", server(k));
            put("active_conns", json!(c.active));
            put("inactive_conns", json!(c.inactive));
        }
        Event::Error(m) => {
            put("message", json!(m));
        }
        Event::Recovered => {}
    }
    o
}

#[cfg(test)]
mod tests;
