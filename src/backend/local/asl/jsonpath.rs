//! The JSONPath subset Amazon States Language uses: `$`, `$.a.b`, `$['a b']`, `$.a[0]`,
//! wildcards `[*]` / `.*` (read-only), and `$$…` paths into the context object. Reading
//! returns owned values; writing implements `ResultPath` (a reference path without wildcards).

use serde_json::{Map, Value};
use std::fmt;

#[derive(Debug, Clone, PartialEq)]
pub enum Segment {
    Field(String),
    Index(usize),
    /// `[*]` or `.*`: every element of an array or every value of an object.
    Wildcard,
}

/// A parsed path. `context` is true for `$$…` paths (evaluated against the context object).
#[derive(Debug, Clone, PartialEq)]
pub struct Path {
    pub context: bool,
    pub segments: Vec<Segment>,
    text: String,
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl Path {
    /// `$`: the whole document.
    pub fn root() -> Path {
        Path {
            context: false,
            segments: Vec::new(),
            text: "$".into(),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Parses a path; the error says what is wrong and where.
    pub fn parse(text: &str) -> Result<Path, String> {
        let (context, rest) = if let Some(rest) = text.strip_prefix("$$") {
            (true, rest)
        } else if let Some(rest) = text.strip_prefix('$') {
            (false, rest)
        } else {
            return Err(format!("path '{text}' must start with '$'"));
        };
        let chars: Vec<char> = rest.chars().collect();
        let mut segments = Vec::new();
        let mut i = 0;
        let bad = |why: &str| format!("invalid path '{text}': {why}");
        while i < chars.len() {
            match chars[i] {
                '.' => {
                    i += 1;
                    if chars.get(i) == Some(&'*') {
                        segments.push(Segment::Wildcard);
                        i += 1;
                        continue;
                    }
                    let start = i;
                    while i < chars.len() && chars[i] != '.' && chars[i] != '[' {
                        i += 1;
                    }
                    if start == i {
                        return Err(bad("empty field name"));
                    }
                    segments.push(Segment::Field(chars[start..i].iter().collect()));
                }
                '[' => {
                    i += 1;
                    match chars.get(i) {
                        Some('\'') | Some('"') => {
                            let quote = chars[i];
                            i += 1;
                            let start = i;
                            while i < chars.len() && chars[i] != quote {
                                i += 1;
                            }
                            if i >= chars.len() {
                                return Err(bad("unterminated quoted field"));
                            }
                            segments.push(Segment::Field(chars[start..i].iter().collect()));
                            i += 1;
                        }
                        Some('*') => {
                            segments.push(Segment::Wildcard);
                            i += 1;
                        }
                        _ => {
                            let start = i;
                            while i < chars.len() && chars[i].is_ascii_digit() {
                                i += 1;
                            }
                            let digits: String = chars[start..i].iter().collect();
                            let index = digits.parse::<usize>().map_err(|_| {
                                bad("expected an index, '*' or a quoted name inside []")
                            })?;
                            segments.push(Segment::Index(index));
                        }
                    }
                    if chars.get(i) != Some(&']') {
                        return Err(bad("expected ']'"));
                    }
                    i += 1;
                }
                other => return Err(bad(&format!("unexpected '{other}'"))),
            }
        }
        Ok(Path {
            context,
            segments,
            text: text.to_string(),
        })
    }

    /// A reference path names one node (no wildcards): required for `ResultPath`, `Variable`.
    pub fn is_reference(&self) -> bool {
        !self.segments.contains(&Segment::Wildcard)
    }

    /// The value at this path, or None when it does not exist. With a wildcard the matches
    /// are returned as an array.
    pub fn read(&self, root: &Value) -> Option<Value> {
        if self.is_reference() {
            let mut node = root;
            for segment in &self.segments {
                node = match (segment, node) {
                    (Segment::Field(name), Value::Object(map)) => map.get(name)?,
                    (Segment::Index(i), Value::Array(items)) => items.get(*i)?,
                    _ => return None,
                };
            }
            return Some(node.clone());
        }
        let mut current: Vec<&Value> = vec![root];
        for segment in &self.segments {
            let mut next = Vec::new();
            for node in current {
                match (segment, node) {
                    (Segment::Field(name), Value::Object(map)) => next.extend(map.get(name)),
                    (Segment::Index(i), Value::Array(items)) => next.extend(items.get(*i)),
                    (Segment::Wildcard, Value::Array(items)) => next.extend(items.iter()),
                    (Segment::Wildcard, Value::Object(map)) => next.extend(map.values()),
                    _ => {}
                }
            }
            current = next;
        }
        Some(Value::Array(current.into_iter().cloned().collect()))
    }

    /// `ResultPath` semantics: `target` with `value` placed at this path, creating missing
    /// objects on the way. Fails when the path runs through a non-object or past an array.
    pub fn write(&self, target: Value, value: Value) -> Result<Value, String> {
        if !self.is_reference() || self.context {
            return Err(format!("'{}' is not a reference path", self.text));
        }
        let mut root = target;
        let mut node = &mut root;
        for (position, segment) in self.segments.iter().enumerate() {
            node = match segment {
                Segment::Field(name) => {
                    if !node.is_object() {
                        return Err(format!(
                            "unable to apply ResultPath '{}': '{}' is not an object",
                            self.text,
                            prefix_text(&self.segments[..position])
                        ));
                    }
                    let map: &mut Map<String, Value> = node.as_object_mut().expect("checked");
                    map.entry(name.clone())
                        .or_insert_with(|| Value::Object(Map::new()))
                }
                Segment::Index(i) => match node {
                    Value::Array(items) if *i < items.len() => &mut items[*i],
                    _ => {
                        return Err(format!(
                            "unable to apply ResultPath '{}': no element [{i}] in '{}'",
                            self.text,
                            prefix_text(&self.segments[..position])
                        ));
                    }
                },
                Segment::Wildcard => unreachable!("reference paths have no wildcard"),
            };
        }
        *node = value;
        Ok(root)
    }
}

fn prefix_text(segments: &[Segment]) -> String {
    let mut text = String::from("$");
    for segment in segments {
        match segment {
            Segment::Field(name) => {
                text.push('.');
                text.push_str(name);
            }
            Segment::Index(i) => text.push_str(&format!("[{i}]")),
            Segment::Wildcard => text.push_str("[*]"),
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn read(path: &str, doc: &Value) -> Option<Value> {
        Path::parse(path).unwrap().read(doc)
    }

    #[test]
    fn reads_fields_indexes_and_quoted_names() {
        let doc = json!({"a": {"b": [10, {"c": "x"}]}, "odd key": 1});
        assert_eq!(read("$", &doc), Some(doc.clone()));
        assert_eq!(read("$.a.b[0]", &doc), Some(json!(10)));
        assert_eq!(read("$.a.b[1].c", &doc), Some(json!("x")));
        assert_eq!(read("$['odd key']", &doc), Some(json!(1)));
        assert_eq!(read("$.a.missing", &doc), None);
        assert_eq!(read("$.a.b[5]", &doc), None);
        assert_eq!(read("$.a.b.c", &doc), None);
    }

    #[test]
    fn wildcards_collect_matches() {
        let doc = json!({"items": [{"k": 1}, {"k": 2}, {"other": 3}]});
        assert_eq!(read("$.items[*].k", &doc), Some(json!([1, 2])));
        assert_eq!(read("$.items.*.k", &doc), Some(json!([1, 2])));
        assert!(!Path::parse("$.items[*]").unwrap().is_reference());
    }

    #[test]
    fn context_paths_are_flagged() {
        let path = Path::parse("$$.Map.Item.Value").unwrap();
        assert!(path.context);
        assert_eq!(
            path.segments,
            vec![
                Segment::Field("Map".into()),
                Segment::Field("Item".into()),
                Segment::Field("Value".into())
            ]
        );
    }

    #[test]
    fn malformed_paths_are_refused_with_a_reason() {
        assert!(
            Path::parse("a.b")
                .unwrap_err()
                .contains("must start with '$'")
        );
        assert!(Path::parse("$.a[").unwrap_err().contains("invalid path"));
        assert!(Path::parse("$.a[x]").unwrap_err().contains("index"));
        assert!(Path::parse("$..a").unwrap_err().contains("empty field"));
        assert!(Path::parse("$a").unwrap_err().contains("unexpected 'a'"));
    }

    #[test]
    fn result_path_writes_create_objects_and_replace_values() {
        let input = json!({"userId": "u", "nested": {"x": 1}, "list": [1, 2]});
        let written = Path::parse("$.detected.face")
            .unwrap()
            .write(input.clone(), json!({"ok": true}))
            .unwrap();
        assert_eq!(written["detected"]["face"], json!({"ok": true}));
        assert_eq!(written["userId"], json!("u"));
        let replaced = Path::parse("$.list[1]")
            .unwrap()
            .write(input.clone(), json!(9))
            .unwrap();
        assert_eq!(replaced["list"], json!([1, 9]));
        assert_eq!(
            Path::root().write(input.clone(), json!("all")).unwrap(),
            json!("all")
        );
        let err = Path::parse("$.userId.deeper")
            .unwrap()
            .write(input.clone(), json!(1))
            .unwrap_err();
        assert!(err.contains("'$.userId' is not an object"), "{err}");
        assert!(
            Path::parse("$.list[7]")
                .unwrap()
                .write(input, json!(1))
                .is_err()
        );
    }
}
