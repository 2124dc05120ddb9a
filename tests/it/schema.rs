//! A small JSON Schema checker for the subset the project's schemas under
//! docs/ use (draft 2020-12 keywords: type, properties, required,
//! additionalProperties, items, enum, const, minimum, maximum, $ref to
//! #/$defs, anyOf, oneOf), so that tests can hold real output to them
//! without a validator crate.

use serde_json::Value;

/// Check `doc` against `schema`; the first violation, with its path.
pub fn validate(schema: &Value, doc: &Value) -> Result<(), String> {
    check(schema, schema, doc, "$")
}

fn type_matches(t: &str, v: &Value) -> bool {
    match t {
        "null" => v.is_null(),
        "boolean" => v.is_boolean(),
        "object" => v.is_object(),
        "array" => v.is_array(),
        "string" => v.is_string(),
        "number" => v.is_number(),
        "integer" => v.is_u64() || v.is_i64(),
        _ => false,
    }
}

fn check(root: &Value, s: &Value, v: &Value, path: &str) -> Result<(), String> {
    if let Some(r) = s.get("$ref").and_then(Value::as_str) {
        let name = r
            .strip_prefix("#/$defs/")
            .ok_or_else(|| format!("{path}: unsupported $ref {r}"))?;
        let target = root["$defs"]
            .get(name)
            .ok_or_else(|| format!("{path}: no $defs/{name}"))?;
        check(root, target, v, path)?;
    }
    if let Some(t) = s.get("type") {
        let ok = match t {
            Value::String(t) => type_matches(t, v),
            Value::Array(ts) => ts
                .iter()
                .filter_map(Value::as_str)
                .any(|t| type_matches(t, v)),
            _ => false,
        };
        if !ok {
            return Err(format!("{path}: {v} is not of type {t}"));
        }
    }
    if let Some(e) = s.get("enum").and_then(Value::as_array) {
        if !e.contains(v) {
            return Err(format!(
                "{path}: {v} is not one of {}",
                Value::Array(e.clone())
            ));
        }
    }
    if let Some(c) = s.get("const") {
        if c != v {
            return Err(format!("{path}: {v} is not {c}"));
        }
    }
    if let (Some(min), Some(n)) = (s.get("minimum").and_then(Value::as_f64), v.as_f64()) {
        if n < min {
            return Err(format!("{path}: {v} is below {min}"));
        }
    }
    if let (Some(max), Some(n)) = (s.get("maximum").and_then(Value::as_f64), v.as_f64()) {
        if n > max {
            return Err(format!("{path}: {v} is above {max}"));
        }
    }
    if let Some(obj) = v.as_object() {
        if let Some(req) = s.get("required").and_then(Value::as_array) {
            for k in req.iter().filter_map(Value::as_str) {
                if !obj.contains_key(k) {
                    return Err(format!("{path}: {k} is required"));
                }
            }
        }
        let props = s.get("properties").and_then(Value::as_object);
        for (k, x) in obj {
            let sub = format!("{path}.{k}");
            match props.and_then(|p| p.get(k)) {
                Some(ps) => check(root, ps, x, &sub)?,
                None => match s.get("additionalProperties") {
                    Some(Value::Bool(false)) => return Err(format!("{path}: {k} is not allowed")),
                    Some(a @ Value::Object(_)) => check(root, a, x, &sub)?,
                    _ => {}
                },
            }
        }
    }
    if let (Some(items), Some(arr)) = (s.get("items"), v.as_array()) {
        for (i, x) in arr.iter().enumerate() {
            check(root, items, x, &format!("{path}[{i}]"))?;
        }
    }
    if let Some(any) = s.get("anyOf").and_then(Value::as_array) {
        if !any.iter().any(|a| check(root, a, v, path).is_ok()) {
            return Err(format!("{path}: {v} matches none of anyOf"));
        }
    }
    if let Some(one) = s.get("oneOf").and_then(Value::as_array) {
        let n = one
            .iter()
            .filter(|a| check(root, a, v, path).is_ok())
            .count();
        if n != 1 {
            return Err(format!("{path}: {v} matches {n} of oneOf, not 1"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn catches_what_it_claims_to() {
        let s = json!({
            "type": "object",
            "required": ["a"],
            "additionalProperties": false,
            "properties": {
                "a": {"type": "integer", "minimum": 0},
                "b": {"oneOf": [{"type": "null"}, {"$ref": "#/$defs/e"}]}
            },
            "$defs": {"e": {"enum": ["x", "y"]}}
        });
        assert!(validate(&s, &json!({"a": 1, "b": "x"})).is_ok());
        assert!(validate(&s, &json!({"a": 1, "b": null})).is_ok());
        assert!(validate(&s, &json!({"b": "x"})).is_err());
        assert!(validate(&s, &json!({"a": -1})).is_err());
        assert!(validate(&s, &json!({"a": 1, "c": 0})).is_err());
        assert!(validate(&s, &json!({"a": 1, "b": "z"})).is_err());
        assert!(validate(&s, &json!({"a": "1"})).is_err());
    }
}
