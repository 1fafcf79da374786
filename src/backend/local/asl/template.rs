//! Payload templates (`Parameters`, `ItemSelector`, `ResultSelector`): objects whose `key.$`
//! fields are filled from a path into the input, a `$$` path into the context object, or an
//! intrinsic function (`States.Format(...)` …). Compiled once when the definition is loaded,
//! so a malformed path or an unknown function is reported before any run.

use super::StateError;
use super::jsonpath::Path;
use serde_json::{Map, Value};

#[derive(Debug, Clone, PartialEq)]
pub enum Template {
    Literal(Value),
    Object(Vec<(String, Template)>),
    Array(Vec<Template>),
    Path(Path),
    Intrinsic(Call),
}

/// What a template is evaluated against.
pub struct EvalEnv<'a> {
    pub input: &'a Value,
    pub context: &'a Value,
    /// Source of `States.UUID()` values (the run's seeded generator).
    pub uuid: &'a mut dyn FnMut() -> String,
}

impl Template {
    /// Compiles a template value; errors name the offending key.
    pub fn compile(value: &Value) -> Result<Template, String> {
        match value {
            Value::Object(map) => {
                let mut fields = Vec::with_capacity(map.len());
                for (key, field) in map {
                    if let Some(name) = key.strip_suffix(".$") {
                        let Value::String(expression) = field else {
                            return Err(format!("the value of '{key}' must be a string"));
                        };
                        let compiled = compile_expression(expression)
                            .map_err(|e| format!("field '{key}': {e}"))?;
                        fields.push((name.to_string(), compiled));
                    } else {
                        fields.push((key.clone(), Template::compile(field)?));
                    }
                }
                Ok(Template::Object(fields))
            }
            Value::Array(items) => Ok(Template::Array(
                items
                    .iter()
                    .map(Template::compile)
                    .collect::<Result<_, _>>()?,
            )),
            other => Ok(Template::Literal(other.clone())),
        }
    }

    pub fn evaluate(&self, env: &mut EvalEnv<'_>) -> Result<Value, StateError> {
        match self {
            Template::Literal(value) => Ok(value.clone()),
            Template::Object(fields) => {
                let mut map = Map::with_capacity(fields.len());
                for (name, field) in fields {
                    map.insert(name.clone(), field.evaluate(env)?);
                }
                Ok(Value::Object(map))
            }
            Template::Array(items) => Ok(Value::Array(
                items
                    .iter()
                    .map(|item| item.evaluate(env))
                    .collect::<Result<_, _>>()?,
            )),
            Template::Path(path) => read_path(path, env),
            Template::Intrinsic(call) => call.evaluate(env),
        }
    }
}

fn compile_expression(expression: &str) -> Result<Template, String> {
    if expression.starts_with('$') {
        Path::parse(expression).map(Template::Path)
    } else if expression.starts_with("States.") {
        parse_call(expression).map(Template::Intrinsic)
    } else {
        Err(format!(
            "'{expression}' is neither a path nor an intrinsic function"
        ))
    }
}

fn read_path(path: &Path, env: &EvalEnv<'_>) -> Result<Value, StateError> {
    let document = if path.context { env.context } else { env.input };
    path.read(document).ok_or_else(|| {
        StateError::runtime(format!(
            "The JSONPath '{path}' could not be found in the {}",
            if path.context {
                "context object"
            } else {
                "input"
            }
        ))
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Function {
    Format,
    StringToJson,
    JsonToString,
    Array,
    Uuid,
    ArrayLength,
    ArrayGetItem,
    ArrayContains,
    ArrayUnique,
    StringSplit,
    MathAdd,
}

impl Function {
    fn parse(name: &str) -> Option<Function> {
        Some(match name {
            "States.Format" => Function::Format,
            "States.StringToJson" => Function::StringToJson,
            "States.JsonToString" => Function::JsonToString,
            "States.Array" => Function::Array,
            "States.UUID" => Function::Uuid,
            "States.ArrayLength" => Function::ArrayLength,
            "States.ArrayGetItem" => Function::ArrayGetItem,
            "States.ArrayContains" => Function::ArrayContains,
            "States.ArrayUnique" => Function::ArrayUnique,
            "States.StringSplit" => Function::StringSplit,
            "States.MathAdd" => Function::MathAdd,
            _ => return None,
        })
    }

    /// Allowed argument counts (min, max).
    fn arity(self) -> (usize, usize) {
        match self {
            Function::Format => (1, usize::MAX),
            Function::Array => (0, usize::MAX),
            Function::Uuid => (0, 0),
            Function::StringToJson
            | Function::JsonToString
            | Function::ArrayLength
            | Function::ArrayUnique => (1, 1),
            Function::ArrayGetItem
            | Function::ArrayContains
            | Function::StringSplit
            | Function::MathAdd => (2, 2),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    Literal(Value),
    Path(Path),
    Call(Call),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    pub function: Function,
    pub name: String,
    pub args: Vec<Arg>,
}

/// Parses `States.Name(arg, …)`; arguments are `'strings'` (with `\'`, `\{`, `\}`, `\\`
/// escapes), numbers, `true`/`false`/`null`, paths and nested calls.
pub fn parse_call(text: &str) -> Result<Call, String> {
    let chars: Vec<char> = text.chars().collect();
    let mut parser = CallParser { chars, at: 0 };
    let call = parser.call()?;
    parser.skip_spaces();
    if parser.at != parser.chars.len() {
        return Err(format!("unexpected text after the call in '{text}'"));
    }
    Ok(call)
}

struct CallParser {
    chars: Vec<char>,
    at: usize,
}

impl CallParser {
    fn skip_spaces(&mut self) {
        while self.chars.get(self.at).is_some_and(|c| c.is_whitespace()) {
            self.at += 1;
        }
    }

    fn call(&mut self) -> Result<Call, String> {
        let start = self.at;
        while self
            .chars
            .get(self.at)
            .is_some_and(|c| c.is_ascii_alphanumeric() || *c == '.')
        {
            self.at += 1;
        }
        let name: String = self.chars[start..self.at].iter().collect();
        let function = Function::parse(&name)
            .ok_or_else(|| format!("unsupported intrinsic function '{name}'"))?;
        if self.chars.get(self.at) != Some(&'(') {
            return Err(format!("expected '(' after {name}"));
        }
        self.at += 1;
        let mut args = Vec::new();
        self.skip_spaces();
        if self.chars.get(self.at) == Some(&')') {
            self.at += 1;
        } else {
            loop {
                self.skip_spaces();
                args.push(self.arg()?);
                self.skip_spaces();
                match self.chars.get(self.at) {
                    Some(',') => self.at += 1,
                    Some(')') => {
                        self.at += 1;
                        break;
                    }
                    _ => return Err(format!("expected ',' or ')' in the arguments of {name}")),
                }
            }
        }
        let (min, max) = function.arity();
        if args.len() < min || args.len() > max {
            return Err(format!(
                "{name} takes {}, got {}",
                arity_text(min, max),
                args.len()
            ));
        }
        Ok(Call {
            function,
            name,
            args,
        })
    }

    fn arg(&mut self) -> Result<Arg, String> {
        match self.chars.get(self.at) {
            Some('\'') => {
                self.at += 1;
                let mut text = String::new();
                loop {
                    match self.chars.get(self.at) {
                        None => return Err("unterminated string argument".into()),
                        Some('\\') => {
                            let escaped = self
                                .chars
                                .get(self.at + 1)
                                .ok_or("dangling '\\' in a string argument")?;
                            // Keep `\{` / `\}` escaped: States.Format interprets them.
                            if matches!(escaped, '{' | '}') {
                                text.push('\\');
                            }
                            text.push(*escaped);
                            self.at += 2;
                        }
                        Some('\'') => {
                            self.at += 1;
                            break;
                        }
                        Some(c) => {
                            text.push(*c);
                            self.at += 1;
                        }
                    }
                }
                Ok(Arg::Literal(Value::String(text)))
            }
            Some('$') => {
                let start = self.at;
                let mut depth = 0usize;
                while let Some(c) = self.chars.get(self.at) {
                    match c {
                        '[' => depth += 1,
                        ']' => depth = depth.saturating_sub(1),
                        ',' | ')' if depth == 0 => break,
                        c if c.is_whitespace() && depth == 0 => break,
                        _ => {}
                    }
                    self.at += 1;
                }
                let text: String = self.chars[start..self.at].iter().collect();
                Path::parse(&text).map(Arg::Path)
            }
            Some('S') => self.call().map(Arg::Call),
            Some(_) => {
                let start = self.at;
                while self
                    .chars
                    .get(self.at)
                    .is_some_and(|c| !matches!(c, ',' | ')') && !c.is_whitespace())
                {
                    self.at += 1;
                }
                let text: String = self.chars[start..self.at].iter().collect();
                match serde_json::from_str::<Value>(&text) {
                    Ok(value @ (Value::Number(_) | Value::Bool(_) | Value::Null)) => {
                        Ok(Arg::Literal(value))
                    }
                    _ => Err(format!("invalid argument '{text}'")),
                }
            }
            None => Err("missing argument".into()),
        }
    }
}

fn arity_text(min: usize, max: usize) -> String {
    if min == max {
        format!("{min} argument(s)")
    } else if max == usize::MAX {
        format!("at least {min} argument(s)")
    } else {
        format!("{min} to {max} arguments")
    }
}

impl Call {
    pub fn evaluate(&self, env: &mut EvalEnv<'_>) -> Result<Value, StateError> {
        let mut args = Vec::with_capacity(self.args.len());
        for arg in &self.args {
            args.push(match arg {
                Arg::Literal(value) => value.clone(),
                Arg::Path(path) => read_path(path, env)?,
                Arg::Call(call) => call.evaluate(env)?,
            });
        }
        let fail = |why: String| StateError::intrinsic(format!("{}: {why}", self.name));
        match self.function {
            Function::Format => {
                let Value::String(template) = &args[0] else {
                    return Err(fail("the template must be a string".into()));
                };
                format_template(template, &args[1..]).map_err(fail)
            }
            Function::StringToJson => match &args[0] {
                Value::String(text) => {
                    serde_json::from_str(text).map_err(|e| fail(format!("invalid JSON text: {e}")))
                }
                _ => Err(fail("the argument must be a string".into())),
            },
            Function::JsonToString => Ok(Value::String(args[0].to_string())),
            Function::Array => Ok(Value::Array(args)),
            Function::Uuid => Ok(Value::String((env.uuid)())),
            Function::ArrayLength => match &args[0] {
                Value::Array(items) => Ok(Value::from(items.len())),
                _ => Err(fail("the argument must be an array".into())),
            },
            Function::ArrayGetItem => match (&args[0], args[1].as_u64()) {
                (Value::Array(items), Some(i)) => items
                    .get(i as usize)
                    .cloned()
                    .ok_or_else(|| fail(format!("index {i} is out of bounds"))),
                _ => Err(fail("expects an array and a non-negative index".into())),
            },
            Function::ArrayContains => match &args[0] {
                Value::Array(items) => Ok(Value::Bool(items.contains(&args[1]))),
                _ => Err(fail("the first argument must be an array".into())),
            },
            Function::ArrayUnique => match &args[0] {
                Value::Array(items) => {
                    let mut unique: Vec<Value> = Vec::new();
                    for item in items {
                        if !unique.contains(item) {
                            unique.push(item.clone());
                        }
                    }
                    Ok(Value::Array(unique))
                }
                _ => Err(fail("the argument must be an array".into())),
            },
            Function::StringSplit => match (&args[0], &args[1]) {
                (Value::String(text), Value::String(delimiters)) => Ok(Value::Array(
                    text.split(|c| delimiters.contains(c))
                        .filter(|part| !part.is_empty())
                        .map(|part| Value::String(part.to_string()))
                        .collect(),
                )),
                _ => Err(fail("expects two strings".into())),
            },
            Function::MathAdd => match (args[0].as_i64(), args[1].as_i64()) {
                (Some(a), Some(b)) => Ok(Value::from(a + b)),
                _ => Err(fail("expects two integers".into())),
            },
        }
    }
}

/// `States.Format`: `{}` placeholders filled in order; strings are inserted as they are,
/// other values as JSON text; `\{` and `\}` are literal braces.
fn format_template(template: &str, args: &[Value]) -> Result<Value, String> {
    let mut out = String::new();
    let mut chars = template.chars().peekable();
    let mut next_arg = 0;
    while let Some(c) = chars.next() {
        match c {
            '\\' if matches!(chars.peek(), Some('{') | Some('}') | Some('\\')) => {
                out.push(chars.next().expect("peeked"));
            }
            '{' if chars.peek() == Some(&'}') => {
                chars.next();
                let arg = args
                    .get(next_arg)
                    .ok_or("more placeholders than arguments")?;
                next_arg += 1;
                match arg {
                    Value::String(s) => out.push_str(s),
                    other => out.push_str(&other.to_string()),
                }
            }
            other => out.push(other),
        }
    }
    if next_arg != args.len() {
        return Err("more arguments than placeholders".into());
    }
    Ok(Value::String(out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn eval(template: Value, input: Value) -> Result<Value, StateError> {
        let context =
            json!({"Execution": {"Id": "arn:exec"}, "Map": {"Item": {"Index": 2, "Value": "k"}}});
        let mut counter = 0;
        let mut uuid = move || {
            counter += 1;
            format!("uuid-{counter}")
        };
        let mut env = EvalEnv {
            input: &input,
            context: &context,
            uuid: &mut uuid,
        };
        Template::compile(&template).unwrap().evaluate(&mut env)
    }

    #[test]
    fn dollar_keys_read_the_input_and_the_context() {
        let out = eval(
            json!({"FunctionName": "f", "Payload.$": "$", "exec.$": "$$.Execution.Id",
                   "nested": {"key.$": "$$.Map.Item.Value", "idx.$": "$$.Map.Item.Index"},
                   "list": [{"first.$": "$.a[0]"}]}),
            json!({"a": [1, 2]}),
        )
        .unwrap();
        assert_eq!(
            out,
            json!({"FunctionName": "f", "Payload": {"a": [1, 2]}, "exec": "arn:exec",
                   "nested": {"key": "k", "idx": 2}, "list": [{"first": 1}]})
        );
    }

    #[test]
    fn a_missing_path_is_a_runtime_error() {
        let err = eval(json!({"x.$": "$.nope"}), json!({})).unwrap_err();
        assert_eq!(err.error, "States.Runtime");
        assert!(err.cause.contains("$.nope"), "{}", err.cause);
    }

    #[test]
    fn intrinsic_functions_compute_values() {
        let out = eval(
            json!({
                "greeting.$": "States.Format('Hello {} from {}, \\{literal\\}', $.name, $.n)",
                "parsed.$": "States.StringToJson($.text)",
                "text.$": "States.JsonToString($.obj)",
                "array.$": "States.Array($.name, 1, true, null)",
                "id.$": "States.UUID()",
                "user.$": "States.ArrayGetItem(States.StringSplit($.key, '/'), 0)",
                "len.$": "States.ArrayLength($.obj.list)",
                "sum.$": "States.MathAdd($.n, 3)",
                "has.$": "States.ArrayContains($.obj.list, 2)",
                "unique.$": "States.ArrayUnique(States.Array(1, 1, 2))"
            }),
            json!({"name": "ana", "n": 4, "text": "{\"k\": [1]}", "obj": {"list": [1, 2]},
                   "key": "user_7/selfie.jpg"}),
        )
        .unwrap();
        assert_eq!(out["greeting"], json!("Hello ana from 4, {literal}"));
        assert_eq!(out["parsed"], json!({"k": [1]}));
        assert_eq!(out["text"], json!("{\"list\":[1,2]}"));
        assert_eq!(out["array"], json!(["ana", 1, true, null]));
        assert_eq!(out["id"], json!("uuid-1"));
        assert_eq!(out["user"], json!("user_7"));
        assert_eq!(out["len"], json!(2));
        assert_eq!(out["sum"], json!(7));
        assert_eq!(out["has"], json!(true));
        assert_eq!(out["unique"], json!([1, 2]));
    }

    #[test]
    fn format_checks_placeholder_count_at_run_time() {
        let err = eval(
            json!({"x.$": "States.Format('{} {}', $.a)"}),
            json!({"a": 1}),
        )
        .unwrap_err();
        assert_eq!(err.error, "States.IntrinsicFailure");
    }

    #[test]
    fn compile_errors_name_the_field() {
        let err = Template::compile(&json!({"x.$": "States.Nope(1)"})).unwrap_err();
        assert_eq!(
            err,
            "field 'x.$': unsupported intrinsic function 'States.Nope'"
        );
        let err = Template::compile(&json!({"y.$": "States.UUID(1)"})).unwrap_err();
        assert!(err.contains("takes 0 argument(s)"), "{err}");
        let err = Template::compile(&json!({"z.$": "plain"})).unwrap_err();
        assert!(err.contains("neither a path nor an intrinsic"), "{err}");
        let err = Template::compile(&json!({"w.$": 5})).unwrap_err();
        assert!(err.contains("must be a string"), "{err}");
    }
}
