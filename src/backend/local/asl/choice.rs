//! Choice rules: comparison operators (String*, Numeric*, Boolean*, Timestamp*, each with a
//! `…Path` variant), type tests (`IsPresent`, `IsNull`, `IsString`, …), `StringMatches`
//! wildcards and the `And`/`Or`/`Not` combinators. Parsed when the definition is loaded.

use super::StateError;
use super::jsonpath::Path;
use chrono::DateTime;
use serde_json::Value;
use std::cmp::Ordering;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    String,
    Numeric,
    Boolean,
    Timestamp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparison {
    Equals,
    LessThan,
    GreaterThan,
    LessThanEquals,
    GreaterThanEquals,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TypeTest {
    IsNull,
    IsPresent,
    IsNumeric,
    IsString,
    IsBoolean,
    IsTimestamp,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Operand {
    Value(Value),
    Path(Path),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Rule {
    And(Vec<Rule>),
    Or(Vec<Rule>),
    Not(Box<Rule>),
    Compare {
        variable: Path,
        kind: Kind,
        comparison: Comparison,
        operand: Operand,
    },
    Matches {
        variable: Path,
        pattern: String,
    },
    Test {
        variable: Path,
        test: TypeTest,
        expected: bool,
    },
}

const COMPARISONS: [(&str, Comparison); 5] = [
    ("Equals", Comparison::Equals),
    ("LessThanEquals", Comparison::LessThanEquals),
    ("GreaterThanEquals", Comparison::GreaterThanEquals),
    ("LessThan", Comparison::LessThan),
    ("GreaterThan", Comparison::GreaterThan),
];

const KINDS: [(&str, Kind); 4] = [
    ("String", Kind::String),
    ("Numeric", Kind::Numeric),
    ("Boolean", Kind::Boolean),
    ("Timestamp", Kind::Timestamp),
];

const TESTS: [(&str, TypeTest); 6] = [
    ("IsNull", TypeTest::IsNull),
    ("IsPresent", TypeTest::IsPresent),
    ("IsNumeric", TypeTest::IsNumeric),
    ("IsString", TypeTest::IsString),
    ("IsBoolean", TypeTest::IsBoolean),
    ("IsTimestamp", TypeTest::IsTimestamp),
];

impl Rule {
    /// Parses one rule object (`Next` is read by the caller for top-level rules).
    pub fn parse(value: &Value) -> Result<Rule, String> {
        let Value::Object(map) = value else {
            return Err("a choice rule must be an object".into());
        };
        if let Some(rules) = map.get("And").or_else(|| map.get("Or")) {
            let Value::Array(items) = rules else {
                return Err("And/Or take an array of rules".into());
            };
            if items.is_empty() {
                return Err("And/Or need at least one rule".into());
            }
            let parsed = items.iter().map(Rule::parse).collect::<Result<_, _>>()?;
            return Ok(if map.contains_key("And") {
                Rule::And(parsed)
            } else {
                Rule::Or(parsed)
            });
        }
        if let Some(inner) = map.get("Not") {
            return Ok(Rule::Not(Box::new(Rule::parse(inner)?)));
        }
        let variable = match map.get("Variable") {
            Some(Value::String(text)) => Path::parse(text)?,
            Some(_) => return Err("Variable must be a string path".into()),
            None => return Err("a choice rule needs Variable, And, Or or Not".into()),
        };
        let mut operators = map
            .keys()
            .filter(|k| !matches!(k.as_str(), "Variable" | "Next" | "Comment"));
        let operator = operators.next().ok_or("a choice rule needs an operator")?;
        if let Some(extra) = operators.next() {
            return Err(format!("unexpected field '{extra}' beside '{operator}'"));
        }
        let operand = &map[operator.as_str()];
        if let Some((_, test)) = TESTS.iter().find(|(name, _)| name == operator) {
            let expected = operand
                .as_bool()
                .ok_or_else(|| format!("{operator} takes true or false"))?;
            return Ok(Rule::Test {
                variable,
                test: *test,
                expected,
            });
        }
        if operator == "StringMatches" {
            let pattern = operand
                .as_str()
                .ok_or("StringMatches takes a string pattern")?;
            return Ok(Rule::Matches {
                variable,
                pattern: pattern.to_string(),
            });
        }
        let (name, is_path) = match operator.strip_suffix("Path") {
            Some(name) => (name, true),
            None => (operator.as_str(), false),
        };
        let (kind_name, kind) = KINDS
            .iter()
            .find(|(prefix, _)| name.starts_with(prefix))
            .ok_or_else(|| format!("unsupported choice operator '{operator}'"))?;
        let comparison = COMPARISONS
            .iter()
            .find(|(suffix, _)| &name[kind_name.len()..] == *suffix)
            .map(|(_, c)| *c)
            .ok_or_else(|| format!("unsupported choice operator '{operator}'"))?;
        if *kind == Kind::Boolean && comparison != Comparison::Equals {
            return Err(format!("unsupported choice operator '{operator}'"));
        }
        let operand = if is_path {
            let text = operand
                .as_str()
                .ok_or_else(|| format!("{operator} takes a path"))?;
            Operand::Path(Path::parse(text)?)
        } else {
            if !literal_has_kind(operand, *kind) {
                return Err(format!(
                    "{operator} has an operand of the wrong type: {operand}"
                ));
            }
            Operand::Value(operand.clone())
        };
        Ok(Rule::Compare {
            variable,
            kind: *kind,
            comparison,
            operand,
        })
    }

    /// Evaluates against the state's (InputPath-filtered) input and the context object.
    pub fn evaluate(&self, input: &Value, context: &Value) -> Result<bool, StateError> {
        match self {
            Rule::And(rules) => {
                for rule in rules {
                    if !rule.evaluate(input, context)? {
                        return Ok(false);
                    }
                }
                Ok(true)
            }
            Rule::Or(rules) => {
                for rule in rules {
                    if rule.evaluate(input, context)? {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
            Rule::Not(rule) => Ok(!rule.evaluate(input, context)?),
            Rule::Test {
                variable,
                test,
                expected,
            } => {
                let value = resolve(variable, input, context);
                let actual = match (test, &value) {
                    (TypeTest::IsPresent, v) => v.is_some(),
                    (_, None) => false,
                    (TypeTest::IsNull, Some(v)) => v.is_null(),
                    (TypeTest::IsNumeric, Some(v)) => v.is_number(),
                    (TypeTest::IsString, Some(v)) => v.is_string(),
                    (TypeTest::IsBoolean, Some(v)) => v.is_boolean(),
                    (TypeTest::IsTimestamp, Some(v)) => v.as_str().and_then(timestamp).is_some(),
                };
                Ok(actual == *expected)
            }
            Rule::Matches { variable, pattern } => {
                let value = required(variable, input, context)?;
                Ok(value
                    .as_str()
                    .is_some_and(|text| wildcard_match(pattern, text)))
            }
            Rule::Compare {
                variable,
                kind,
                comparison,
                operand,
            } => {
                let left = required(variable, input, context)?;
                let right = match operand {
                    Operand::Value(v) => v.clone(),
                    Operand::Path(path) => required(path, input, context)?,
                };
                let Some(ordering) = compare(*kind, &left, &right) else {
                    // Values of another type never match (AWS does the same).
                    return Ok(false);
                };
                Ok(match comparison {
                    Comparison::Equals => ordering == Ordering::Equal,
                    Comparison::LessThan => ordering == Ordering::Less,
                    Comparison::GreaterThan => ordering == Ordering::Greater,
                    Comparison::LessThanEquals => ordering != Ordering::Greater,
                    Comparison::GreaterThanEquals => ordering != Ordering::Less,
                })
            }
        }
    }
}

fn resolve(path: &Path, input: &Value, context: &Value) -> Option<Value> {
    path.read(if path.context { context } else { input })
}

fn required(path: &Path, input: &Value, context: &Value) -> Result<Value, StateError> {
    resolve(path, input, context).ok_or_else(|| {
        StateError::runtime(format!(
            "Invalid path '{path}': The choice state's condition path references an invalid value."
        ))
    })
}

fn literal_has_kind(value: &Value, kind: Kind) -> bool {
    match kind {
        Kind::String => value.is_string(),
        Kind::Numeric => value.is_number(),
        Kind::Boolean => value.is_boolean(),
        Kind::Timestamp => value.as_str().and_then(timestamp).is_some(),
    }
}

fn timestamp(text: &str) -> Option<i64> {
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.timestamp_nanos_opt().unwrap_or(i64::MAX))
}

fn compare(kind: Kind, left: &Value, right: &Value) -> Option<Ordering> {
    match kind {
        Kind::String => Some(left.as_str()?.cmp(right.as_str()?)),
        Kind::Numeric => left.as_f64()?.partial_cmp(&right.as_f64()?),
        Kind::Boolean => Some(left.as_bool()?.cmp(&right.as_bool()?)),
        Kind::Timestamp => Some(timestamp(left.as_str()?)?.cmp(&timestamp(right.as_str()?)?)),
    }
}

/// `StringMatches`: `*` matches any run of characters; `\*` and `\\` are literal.
pub fn wildcard_match(pattern: &str, text: &str) -> bool {
    #[derive(PartialEq)]
    enum Token {
        Any,
        Char(char),
    }
    let mut tokens = Vec::new();
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => tokens.push(Token::Char(chars.next().unwrap_or('\\'))),
            '*' => tokens.push(Token::Any),
            c => tokens.push(Token::Char(c)),
        }
    }
    let text: Vec<char> = text.chars().collect();
    // Classic two-pointer glob match with backtracking to the last star.
    let (mut t, mut p) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        match tokens.get(p) {
            Some(Token::Char(c)) if *c == text[t] => {
                t += 1;
                p += 1;
            }
            Some(Token::Any) => {
                star = Some((p, t));
                p += 1;
            }
            _ => match star {
                Some((star_p, star_t)) => {
                    p = star_p + 1;
                    t = star_t + 1;
                    star = Some((star_p, star_t + 1));
                }
                None => return false,
            },
        }
    }
    tokens[p..].iter().all(|token| *token == Token::Any)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn check(rule: Value, input: Value) -> Result<bool, StateError> {
        Rule::parse(&rule)
            .unwrap()
            .evaluate(&input, &json!({"State": {"Name": "S"}}))
    }

    #[test]
    fn comparisons_of_every_kind() {
        let input = json!({"s": "beta", "n": 5, "b": true, "t": "2024-01-02T00:00:00Z",
                           "other": "beta", "limit": 7});
        assert!(
            check(
                json!({"Variable": "$.s", "StringEquals": "beta"}),
                input.clone()
            )
            .unwrap()
        );
        assert!(
            check(
                json!({"Variable": "$.s", "StringLessThan": "gamma"}),
                input.clone()
            )
            .unwrap()
        );
        assert!(
            check(
                json!({"Variable": "$.s", "StringGreaterThanEquals": "beta"}),
                input.clone()
            )
            .unwrap()
        );
        assert!(
            check(
                json!({"Variable": "$.s", "StringEqualsPath": "$.other"}),
                input.clone()
            )
            .unwrap()
        );
        assert!(
            check(
                json!({"Variable": "$.n", "NumericLessThanPath": "$.limit"}),
                input.clone()
            )
            .unwrap()
        );
        assert!(
            check(
                json!({"Variable": "$.n", "NumericGreaterThan": 4.5}),
                input.clone()
            )
            .unwrap()
        );
        assert!(
            !check(
                json!({"Variable": "$.n", "NumericEquals": 6}),
                input.clone()
            )
            .unwrap()
        );
        assert!(
            check(
                json!({"Variable": "$.n", "NumericLessThanEquals": 5}),
                input.clone()
            )
            .unwrap()
        );
        assert!(
            check(
                json!({"Variable": "$.b", "BooleanEquals": true}),
                input.clone()
            )
            .unwrap()
        );
        // 2024-01-01T23:00-02:00 is 2024-01-02T01:00Z, after $.t.
        assert!(
            !check(
                json!({"Variable": "$.t", "TimestampGreaterThan": "2024-01-01T23:00:00-02:00"}),
                input.clone()
            )
            .unwrap()
        );
        assert!(
            check(
                json!({"Variable": "$.t", "TimestampLessThan": "2024-01-03T00:00:00Z"}),
                input.clone()
            )
            .unwrap()
        );
        assert!(
            check(
                json!({"Variable": "$$.State.Name", "StringEquals": "S"}),
                input.clone()
            )
            .unwrap()
        );
        // A value of another type never matches.
        assert!(!check(json!({"Variable": "$.n", "StringEquals": "5"}), input).unwrap());
    }

    #[test]
    fn type_tests_and_presence() {
        let input = json!({"userId": "u", "nothing": null, "n": 1, "when": "2024-05-01T10:00:00Z"});
        assert!(
            check(
                json!({"Variable": "$.userId", "IsPresent": true}),
                input.clone()
            )
            .unwrap()
        );
        assert!(
            check(
                json!({"Variable": "$.missing", "IsPresent": false}),
                input.clone()
            )
            .unwrap()
        );
        assert!(
            check(
                json!({"Variable": "$.nothing", "IsNull": true}),
                input.clone()
            )
            .unwrap()
        );
        assert!(check(json!({"Variable": "$.n", "IsNumeric": true}), input.clone()).unwrap());
        assert!(
            check(
                json!({"Variable": "$.userId", "IsString": true}),
                input.clone()
            )
            .unwrap()
        );
        assert!(
            check(
                json!({"Variable": "$.n", "IsBoolean": false}),
                input.clone()
            )
            .unwrap()
        );
        assert!(
            check(
                json!({"Variable": "$.when", "IsTimestamp": true}),
                input.clone()
            )
            .unwrap()
        );
        assert!(!check(json!({"Variable": "$.missing", "IsString": true}), input).unwrap());
    }

    #[test]
    fn combinators_and_string_matches() {
        let input = json!({"key": "photos/1_happy_face.jpg", "n": 3});
        let rule = json!({"And": [
            {"Variable": "$.key", "StringMatches": "photos/*.jpg"},
            {"Not": {"Variable": "$.n", "NumericEquals": 4}},
            {"Or": [{"Variable": "$.n", "NumericLessThan": 0}, {"Variable": "$.n", "NumericGreaterThan": 2}]}
        ]});
        assert!(check(rule, input.clone()).unwrap());
        assert!(
            !check(
                json!({"Variable": "$.key", "StringMatches": "*.png"}),
                input
            )
            .unwrap()
        );
        assert!(wildcard_match("a*b*c", "aXXbYYc"));
        assert!(wildcard_match("*", ""));
        assert!(wildcard_match("lit\\*", "lit*"));
        assert!(!wildcard_match("lit\\*", "literal"));
        assert!(!wildcard_match("a*b", "acb_"));
    }

    #[test]
    fn a_missing_variable_in_a_comparison_is_a_runtime_error() {
        let err = check(
            json!({"Variable": "$.userId", "StringEquals": "x"}),
            json!({}),
        )
        .unwrap_err();
        assert_eq!(err.error, "States.Runtime");
        assert!(err.cause.contains("$.userId"));
    }

    #[test]
    fn malformed_rules_are_refused() {
        let err = |v: Value| Rule::parse(&v).unwrap_err();
        assert!(
            err(json!({"Variable": "$.a", "StringSortOf": "x"}))
                .contains("unsupported choice operator 'StringSortOf'")
        );
        assert!(err(json!({"Variable": "$.a", "BooleanLessThan": true})).contains("unsupported"));
        assert!(err(json!({"Variable": "$.a", "NumericEquals": "1"})).contains("wrong type"));
        assert!(
            err(json!({"Variable": "$.a", "IsNull": true, "IsString": true}))
                .contains("unexpected field")
        );
        assert!(err(json!({"StringEquals": "x"})).contains("needs Variable"));
    }
}
