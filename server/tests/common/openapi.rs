//! The committed OpenAPI description (`server/openapi.json`) as a test oracle: every answer a
//! test client receives for a documented operation is checked against it ([`check_answer`]),
//! so the whole suite fails when the server and the description disagree.
//!
//! The schemas are checked by a small validator of the JSON Schema subset the file uses
//! (`$ref`, `type`, `const`, `enum`, `properties`, `required`, `additionalProperties`,
//! `minProperties`, `items`, `minItems`, `maxItems`, `minLength`, `maxLength`, `pattern`,
//! `format: date-time`, `minimum`, `maximum`, `anyOf`, `oneOf`); any other keyword is an error,
//! so a constraint is never silently skipped.

use std::collections::HashMap;
use std::sync::OnceLock;

use regex::Regex;
use serde_json::Value;

/// The description, parsed once.
pub fn spec() -> &'static Value {
    static SPEC: OnceLock<Value> = OnceLock::new();
    SPEC.get_or_init(|| {
        serde_json::from_str(jitsu_server::OPENAPI_JSON).expect("server/openapi.json is JSON")
    })
}

/// Every `(METHOD, path template)` the description lists.
pub fn documented_operations() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (path, item) in spec()["paths"].as_object().expect("paths") {
        for method in item.as_object().expect("path item").keys() {
            if HTTP_METHODS.contains(&method.as_str()) {
                out.push((method.to_ascii_uppercase(), path.clone()));
            }
        }
    }
    out
}

/// The operation keys of an OpenAPI path item.
pub const HTTP_METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// The documented path template a concrete path (without query) falls under.
pub fn template_of(path: &str) -> Option<&'static str> {
    let segments: Vec<&str> = path.split('/').collect();
    spec()["paths"]
        .as_object()
        .expect("paths")
        .keys()
        .find(|template| {
            let parts: Vec<&str> = template.split('/').collect();
            parts.len() == segments.len()
                && parts.iter().zip(&segments).all(|(t, s)| {
                    (t.starts_with('{') && t.ends_with('}') && !s.is_empty()) || t == s
                })
        })
        .map(String::as_str)
}

/// Checks one answer against the description: the status is listed for the operation, the
/// content type is the documented one, the documented headers are there (when required) and
/// match their schemas, and the body matches its schema. Answers to paths or methods the
/// description does not list are not checked here (the drift test in `tests/openapi.rs` is).
pub fn check_answer(
    method: &str,
    path_and_query: &str,
    status: u16,
    headers: &HashMap<String, String>,
    body: &str,
) -> Result<(), String> {
    let path = path_and_query.split('?').next().unwrap_or("");
    let Some(template) = template_of(path) else {
        return Ok(());
    };
    let operation = &spec()["paths"][template][method.to_ascii_lowercase()];
    if operation.is_null() {
        return Ok(());
    }
    let what = format!("{method} {path} ({template}) answered {status}");
    let responses = &operation["responses"];
    let answer = match responses.get(status.to_string()) {
        Some(a) => resolve(a),
        None => match responses.get("default") {
            Some(a) => resolve(a),
            None => return Err(format!("{what}: status not documented\nbody: {body}")),
        },
    };
    if let Some(documented) = answer["headers"].as_object() {
        for (name, header) in documented {
            let header = resolve(header);
            match headers.get(&name.to_ascii_lowercase()) {
                None if header["required"] == Value::Bool(true) => {
                    return Err(format!("{what}: required header {name} missing"));
                }
                None => {}
                Some(value) => {
                    let as_json = if header["schema"]["type"] == "integer" {
                        value.parse::<i64>().map(Value::from).map_err(|_| {
                            format!("{what}: header {name}: {value:?} is no integer")
                        })?
                    } else {
                        Value::from(value.as_str())
                    };
                    validate(&as_json, &header["schema"])
                        .map_err(|e| format!("{what}: header {name}: {e}"))?;
                }
            }
        }
    }
    match answer["content"].as_object() {
        None => Ok(()),
        Some(content) => {
            let given = headers.get("content-type").map_or("", String::as_str);
            let (media, schema) = content
                .iter()
                .find(|(media, _)| given.starts_with(media.as_str()))
                .ok_or_else(|| {
                    format!("{what}: content type {given:?}, documented: {content:?}")
                })?;
            if media != "application/json" {
                return Ok(());
            }
            let value: Value = serde_json::from_str(body)
                .map_err(|e| format!("{what}: body is not JSON ({e}): {body}"))?;
            validate(&value, &schema["schema"]).map_err(|e| format!("{what}: body: {e}\n{body}"))
        }
    }
}

/// Follows a local `$ref` (`#/components/...`) to what it names.
pub fn resolve(v: &Value) -> &Value {
    match v.get("$ref").and_then(Value::as_str) {
        Some(reference) => {
            let pointer = reference.strip_prefix('#').expect("local $ref");
            resolve(
                spec()
                    .pointer(pointer)
                    .unwrap_or_else(|| panic!("{reference}")),
            )
        }
        None => v,
    }
}

fn pattern(text: &str) -> Regex {
    static CACHE: OnceLock<std::sync::Mutex<HashMap<String, Regex>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let mut cache = cache.lock().unwrap();
    cache
        .entry(text.to_owned())
        .or_insert_with(|| Regex::new(text).expect("a valid pattern"))
        .clone()
}

fn type_matches(v: &Value, ty: &str) -> bool {
    match ty {
        "null" => v.is_null(),
        "boolean" => v.is_boolean(),
        "object" => v.is_object(),
        "array" => v.is_array(),
        "string" => v.is_string(),
        "number" => v.is_number(),
        "integer" => v.is_i64() || v.is_u64(),
        other => panic!("unknown type {other}"),
    }
}

/// Validates `v` against `schema` (the subset this description uses).
pub fn validate(v: &Value, schema: &Value) -> Result<(), String> {
    let Some(rules) = schema.as_object() else {
        return match schema {
            Value::Bool(true) => Ok(()),
            _ => Err(format!("{v} is refused by the schema {schema}")),
        };
    };
    for (key, rule) in rules {
        match key.as_str() {
            "$ref" => validate(v, resolve(schema))?,
            "description" | "default" | "title" | "example" => {}
            "type" => {
                let ok = match rule {
                    Value::String(t) => type_matches(v, t),
                    Value::Array(ts) => ts.iter().any(|t| type_matches(v, t.as_str().unwrap())),
                    _ => panic!("bad type {rule}"),
                };
                if !ok {
                    return Err(format!("{v} is not of type {rule}"));
                }
            }
            "const" if v != rule => return Err(format!("{v} is not {rule}")),
            "enum" if !rule.as_array().unwrap().contains(v) => {
                return Err(format!("{v} is not one of {rule}"))
            }
            "const" | "enum" => {}
            "format" => {
                let format = rule.as_str().unwrap();
                assert_eq!(format, "date-time", "format {format} is not supported");
                if let Some(s) = v.as_str() {
                    jitsu_core::time::parse_rfc3339(s)
                        .map_err(|e| format!("{s:?} is no date-time: {e}"))?;
                }
            }
            "pattern" | "minLength" | "maxLength" => {
                let Some(s) = v.as_str() else { continue };
                let n = rule.as_u64().unwrap_or(0) as usize;
                let ok = match key.as_str() {
                    "pattern" => pattern(rule.as_str().unwrap()).is_match(s),
                    "minLength" => s.chars().count() >= n,
                    _ => s.chars().count() <= n,
                };
                if !ok {
                    return Err(format!("{s:?} breaks {key} {rule}"));
                }
            }
            "minimum" | "maximum" => {
                let Some(n) = v.as_f64() else { continue };
                let bound = rule.as_f64().unwrap();
                if (key == "minimum" && n < bound) || (key == "maximum" && n > bound) {
                    return Err(format!("{n} breaks {key} {bound}"));
                }
            }
            "minItems" | "maxItems" => {
                let Some(items) = v.as_array() else { continue };
                let n = rule.as_u64().unwrap() as usize;
                if (key == "minItems" && items.len() < n) || (key == "maxItems" && items.len() > n)
                {
                    return Err(format!("{} items break {key} {n}", items.len()));
                }
            }
            "items" => {
                for (i, item) in v.as_array().into_iter().flatten().enumerate() {
                    validate(item, rule).map_err(|e| format!("[{i}]: {e}"))?;
                }
            }
            "required" => {
                let Some(object) = v.as_object() else {
                    continue;
                };
                for name in rule.as_array().unwrap() {
                    if !object.contains_key(name.as_str().unwrap()) {
                        return Err(format!("required property {name} missing in {v}"));
                    }
                }
            }
            "minProperties" => {
                let Some(object) = v.as_object() else {
                    continue;
                };
                if (object.len() as u64) < rule.as_u64().unwrap() {
                    return Err(format!("{v} has fewer than {rule} properties"));
                }
            }
            "properties" => {
                let Some(object) = v.as_object() else {
                    continue;
                };
                for (name, sub) in rule.as_object().unwrap() {
                    if let Some(value) = object.get(name) {
                        validate(value, sub).map_err(|e| format!(".{name}: {e}"))?;
                    }
                }
            }
            "additionalProperties" => {
                let Some(object) = v.as_object() else {
                    continue;
                };
                let known = &schema["properties"];
                for (name, value) in object {
                    if known.get(name).is_none() {
                        validate(value, rule)
                            .map_err(|e| format!("additional property {name:?}: {e}"))?;
                    }
                }
            }
            "anyOf" => {
                let options = rule.as_array().unwrap();
                if !options.iter().any(|o| validate(v, o).is_ok()) {
                    return Err(format!("{v} matches none of anyOf {rule}"));
                }
            }
            "oneOf" => {
                let options = rule.as_array().unwrap();
                let n = options.iter().filter(|o| validate(v, o).is_ok()).count();
                if n != 1 {
                    return Err(format!("{v} matches {n} of oneOf {rule}"));
                }
            }
            other => panic!("the validator does not know the keyword {other:?}"),
        }
    }
    Ok(())
}
