//! A small JSON Schema (draft 2020-12) validator for the subset the
//! project's schemas in docs/ use: type, properties, required,
//! additionalProperties, items, enum, const, $ref to #/$defs, anyOf,
//! oneOf, minimum and maximum. Annotations ($schema, $id, title, description) are
//! ignored; any other keyword is refused, so that a schema never silently
//! claims more than is checked. Kept in the test crate: there is no
//! schema crate among the project's dependencies.

use serde_json::Value;

/// Check `doc` against `schema`; the first violation, with its JSON path.
pub fn validate(schema: &Value, doc: &Value) -> Result<(), String> {
    check(schema, schema, doc, "$")
}

const ANNOTATIONS: &[&str] = &["$schema", "$id", "title", "description", "$defs"];
const KEYWORDS: &[&str] = &[
    "type",
    "properties",
    "required",
    "additionalProperties",
    "items",
    "enum",
    "const",
    "$ref",
    "anyOf",
    "oneOf",
    "minimum",
    "maximum",
];

fn type_matches(t: &str, v: &Value) -> Result<bool, String> {
    Ok(match t {
        "object" => v.is_object(),
        "array" => v.is_array(),
        "string" => v.is_string(),
        "boolean" => v.is_boolean(),
        "null" => v.is_null(),
        "number" => v.is_number(),
        "integer" => v.is_i64() || v.is_u64() || v.as_f64().is_some_and(|f| f.fract() == 0.0),
        other => return Err(format!("schema: unknown type {other:?}")),
    })
}

fn resolve<'a>(root: &'a Value, r: &str) -> Result<&'a Value, String> {
    let name = r
        .strip_prefix("#/$defs/")
        .ok_or_else(|| format!("schema: only #/$defs/ references are supported, not {r:?}"))?;
    root.get("$defs")
        .and_then(|d| d.get(name))
        .ok_or_else(|| format!("schema: no definition {r:?}"))
}

fn check(root: &Value, schema: &Value, v: &Value, path: &str) -> Result<(), String> {
    let s = match schema {
        Value::Bool(true) => return Ok(()),
        Value::Bool(false) => return Err(format!("{path}: not allowed here")),
        Value::Object(s) => s,
        _ => return Err(format!("schema at {path}: not an object")),
    };
    if let Some(k) = s
        .keys()
        .find(|k| !KEYWORDS.contains(&k.as_str()) && !ANNOTATIONS.contains(&k.as_str()))
    {
        return Err(format!("schema at {path}: unsupported keyword {k:?}"));
    }
    if let Some(r) = s.get("$ref") {
        let r = r.as_str().ok_or("schema: $ref not a string")?;
        check(root, resolve(root, r)?, v, path)?;
    }
    if let Some(t) = s.get("type") {
        let types: Vec<&str> = match t {
            Value::String(x) => vec![x.as_str()],
            Value::Array(xs) => xs.iter().filter_map(Value::as_str).collect(),
            _ => return Err(format!("schema at {path}: bad type")),
        };
        let mut ok = false;
        for t in &types {
            ok |= type_matches(t, v)?;
        }
        if !ok {
            return Err(format!("{path}: {v} is not of type {}", types.join(" or ")));
        }
    }
    if let Some(e) = s.get("enum") {
        let e = e.as_array().ok_or("schema: enum not an array")?;
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
    if let Some(m) = s.get("minimum") {
        let m = m.as_f64().ok_or("schema: minimum not a number")?;
        if let Some(x) = v.as_f64() {
            if x < m {
                return Err(format!("{path}: {v} is below {m}"));
            }
        }
    }
    if let Some(m) = s.get("maximum") {
        let m = m.as_f64().ok_or("schema: maximum not a number")?;
        // Compared exactly for integers: 2^64-1 is not exact as a float.
        let above = match (v.as_u64(), m) {
            (Some(_), m) if m >= u64::MAX as f64 => false,
            (Some(x), m) => x as f64 > m,
            (None, m) => v.as_f64().is_some_and(|x| x > m),
        };
        if above {
            return Err(format!("{path}: {v} is above {m}"));
        }
    }
    if let Value::Object(o) = v {
        let props = s.get("properties").and_then(Value::as_object);
        if let Some(req) = s.get("required") {
            for k in req.as_array().ok_or("schema: required not an array")? {
                let k = k.as_str().ok_or("schema: required name not a string")?;
                if !o.contains_key(k) {
                    return Err(format!("{path}: {k:?} is required"));
                }
            }
        }
        for (k, x) in o {
            let at = format!("{path}.{k}");
            match (props.and_then(|p| p.get(k)), s.get("additionalProperties")) {
                (Some(p), _) => check(root, p, x, &at)?,
                (None, Some(extra)) => check(root, extra, x, &at)?,
                (None, None) => {}
            }
        }
    }
    if let (Value::Array(xs), Some(items)) = (v, s.get("items")) {
        for (i, x) in xs.iter().enumerate() {
            check(root, items, x, &format!("{path}[{i}]"))?;
        }
    }
    if let Some(any) = s.get("anyOf") {
        let any = any.as_array().ok_or("schema: anyOf not an array")?;
        if !any.iter().any(|sub| check(root, sub, v, path).is_ok()) {
            return Err(format!("{path}: {v} matches none of anyOf"));
        }
    }
    if let Some(one) = s.get("oneOf") {
        let one = one.as_array().ok_or("schema: oneOf not an array")?;
        let n = one
            .iter()
            .filter(|sub| check(root, sub, v, path).is_ok())
            .count();
        if n != 1 {
            return Err(format!("{path}: {v} matches {n} of oneOf, not exactly one"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::validate;
    use serde_json::json;

    fn schema() -> serde_json::Value {
        json!({
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "type": "object",
            "required": ["a", "k"],
            "additionalProperties": false,
            "properties": {
                "a": { "type": "array", "items": { "$ref": "#/$defs/n" } },
                "k": { "enum": ["x", "y"] },
                "c": { "const": 1 },
                "o": { "oneOf": [{ "type": "string" }, { "type": "integer" }] },
                "u": { "anyOf": [{ "type": "null" }, { "type": "integer", "minimum": 3 }] },
                "t": { "type": ["string", "null"] }
            },
            "$defs": { "n": { "type": "integer", "minimum": 0 } }
        })
    }

    #[test]
    fn accepts_what_matches() {
        let doc = json!({"a": [0, 5], "k": "x", "c": 1, "o": 3, "u": null, "t": null});
        assert_eq!(validate(&schema(), &doc), Ok(()));
        assert_eq!(
            validate(&schema(), &json!({"a": [], "k": "y", "u": 4, "t": "s"})),
            Ok(())
        );
    }

    #[test]
    fn refuses_each_violation() {
        let s = schema();
        let bad = |doc: serde_json::Value, what: &str| {
            let e = validate(&s, &doc).unwrap_err();
            assert!(e.contains(what), "{doc}: {e}");
        };
        bad(json!({"k": "x"}), "\"a\" is required");
        bad(json!({"a": [1, -1], "k": "x"}), "$.a[1]: -1 is below 0");
        bad(json!({"a": ["1"], "k": "x"}), "is not of type integer");
        bad(json!({"a": [], "k": "z"}), "is not one of");
        bad(json!({"a": [], "k": "x", "c": 2}), "$.c: 2 is not 1");
        bad(json!({"a": [], "k": "x", "o": true}), "matches 0 of oneOf");
        bad(json!({"a": [], "k": "x", "u": 2}), "matches none of anyOf");
        bad(
            json!({"a": [], "k": "x", "zz": 1}),
            "$.zz: not allowed here",
        );
        bad(json!({"a": [], "k": "x", "t": 1}), "string or null");
    }

    #[test]
    fn refuses_what_it_cannot_check() {
        let e = validate(&json!({"pattern": "^a"}), &json!("a")).unwrap_err();
        assert!(e.contains("unsupported keyword"), "{e}");
        let e = validate(&json!({"$ref": "other.json"}), &json!(1)).unwrap_err();
        assert!(e.contains("only #/$defs/"), "{e}");
    }
}
