//! A state machine's definition (Amazon States Language) read for drawing: every state with
//! its type, where it can go next (Next, Choice rules and Default, Catch) and the flows nested
//! in a Parallel's branches or a Map's processor. Tolerant of what it does not draw (fields,
//! state types it does not know) and never trusts the text: names are kept as written and
//! escaped where they are shown. The interpreter's strict reading lives in the sandbox.

mod cursor;
pub mod layout;

use serde_json::Value;
use std::collections::HashMap;

/// How deep Parallels and Maps may nest before the text is refused: far beyond any real
/// definition, and it keeps a hostile one from exhausting the stack.
const MAX_NESTING: usize = 24;

/// One flow: the states of the definition's top level, of one Parallel branch or of one Map
/// processor, in the order the definition lists them.
#[derive(Debug, Clone, PartialEq)]
pub struct Flow {
    pub start_at: String,
    /// Indexes into [`Definition::nodes`].
    pub states: Vec<usize>,
}

/// Where a transition comes from, which decides how it is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EdgeKind {
    Next,
    /// A Choice rule's target, or its Default.
    Choice,
    Catch,
}

/// One transition out of a state.
#[derive(Debug, Clone, PartialEq)]
pub struct Exit {
    pub kind: EdgeKind,
    pub target: String,
    /// What takes it, in a few words: a Choice rule's condition (`$.userId IsPresent`),
    /// `default`, or the errors a Catch catches. None for a plain Next.
    pub label: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StateNode {
    pub name: String,
    /// The `Type` as written (`Task`, `Parallel`, `Map`, `Choice`, …).
    pub kind: String,
    /// A short word on what it does beside its type: a Task's service (`lambda`,
    /// `rekognition`, `activity`), a Map's mode, a Parallel's branch count.
    pub detail: Option<String>,
    /// The transitions out of this state, in the order the definition gives them.
    pub exits: Vec<Exit>,
    /// Parallel: one flow per branch. Map: the processor (one flow).
    pub children: Vec<Flow>,
    /// The state's own JSON, pretty-printed: the details pane shows it.
    pub source: String,
}

impl StateNode {
    /// A Parallel or Map: a box that holds flows.
    pub fn is_container(&self) -> bool {
        !self.children.is_empty()
    }

    /// Every state nested inside this one, at any depth.
    pub fn nested_count(&self, definition: &Definition) -> usize {
        self.children
            .iter()
            .flat_map(|flow| &flow.states)
            .map(|&i| 1 + definition.nodes[i].nested_count(definition))
            .sum()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Definition {
    pub comment: Option<String>,
    pub top: Flow,
    pub nodes: Vec<StateNode>,
    index: HashMap<String, usize>,
}

impl Definition {
    pub fn find(&self, name: &str) -> Option<&StateNode> {
        self.index.get(name).map(|&i| &self.nodes[i])
    }

    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }
}

/// Reads a definition's text. The error says, in a few words, why it is not one this console
/// can draw (the tab then shows the raw text instead).
pub fn parse_definition(text: &str) -> Result<Definition, String> {
    let value: Value = serde_json::from_str(text).map_err(|e| format!("not JSON ({e})"))?;
    let mut definition = Definition {
        comment: value
            .get("Comment")
            .and_then(Value::as_str)
            .map(str::to_string),
        top: Flow {
            start_at: String::new(),
            states: Vec::new(),
        },
        nodes: Vec::new(),
        index: HashMap::new(),
    };
    definition.top = read_flow(&value, &mut definition, 0, "the definition")?;
    Ok(definition)
}

fn read_flow(
    value: &Value,
    definition: &mut Definition,
    depth: usize,
    whose: &str,
) -> Result<Flow, String> {
    if depth > MAX_NESTING {
        return Err(format!("nested more than {MAX_NESTING} deep"));
    }
    let start_at = value
        .get("StartAt")
        .and_then(Value::as_str)
        .ok_or_else(|| format!("{whose} has no StartAt"))?
        .to_string();
    let states = value
        .get("States")
        .and_then(Value::as_object)
        .ok_or_else(|| format!("{whose} has no States"))?;
    if !states.contains_key(&start_at) {
        return Err(format!("{whose} starts at a state it does not have"));
    }
    let mut flow = Flow {
        start_at,
        states: Vec::with_capacity(states.len()),
    };
    for (name, state) in states {
        if definition.index.contains_key(name) {
            return Err("a state name is used twice".to_string());
        }
        let index = definition.nodes.len();
        definition.index.insert(name.clone(), index);
        definition.nodes.push(StateNode {
            name: name.clone(),
            kind: String::new(),
            detail: None,
            exits: Vec::new(),
            children: Vec::new(),
            source: serde_json::to_string_pretty(state).unwrap_or_default(),
        });
        let node = read_state(name, state, definition, depth)?;
        definition.nodes[index] = node;
        flow.states.push(index);
    }
    Ok(flow)
}

fn read_state(
    name: &str,
    state: &Value,
    definition: &mut Definition,
    depth: usize,
) -> Result<StateNode, String> {
    let kind = state
        .get("Type")
        .and_then(Value::as_str)
        .unwrap_or("?")
        .to_string();
    let mut exits = Vec::new();
    let mut exit = |kind: EdgeKind, target: &str, label: Option<String>| {
        exits.push(Exit {
            kind,
            target: target.to_string(),
            label,
        });
    };
    if let Some(next) = state.get("Next").and_then(Value::as_str) {
        exit(EdgeKind::Next, next, None);
    }
    for rule in state
        .get("Choices")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if let Some(next) = rule.get("Next").and_then(Value::as_str) {
            exit(EdgeKind::Choice, next, Some(rule_label(rule)));
        }
    }
    if let Some(default) = state.get("Default").and_then(Value::as_str) {
        exit(EdgeKind::Choice, default, Some("default".to_string()));
    }
    for catcher in state
        .get("Catch")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if let Some(next) = catcher.get("Next").and_then(Value::as_str) {
            let errors: Vec<&str> = catcher
                .get("ErrorEquals")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            exit(EdgeKind::Catch, next, Some(errors.join(", ")));
        }
    }
    // One arrow per target: two Choice rules to one state read as one transition.
    let mut seen: Vec<String> = Vec::new();
    exits.retain(|exit| {
        if seen.contains(&exit.target) {
            false
        } else {
            seen.push(exit.target.clone());
            true
        }
    });

    let mut children = Vec::new();
    let mut detail = None;
    match kind.as_str() {
        "Parallel" => {
            let branches = state
                .get("Branches")
                .and_then(Value::as_array)
                .map(Vec::as_slice)
                .unwrap_or_default();
            for (i, branch) in branches.iter().enumerate() {
                let whose = format!("branch {} of {name}", i + 1);
                children.push(read_flow(branch, definition, depth + 1, &whose)?);
            }
            detail = Some(format!(
                "{} branch{}",
                branches.len(),
                if branches.len() == 1 { "" } else { "es" }
            ));
        }
        "Map" => {
            let processor = state.get("ItemProcessor").or_else(|| state.get("Iterator"));
            if let Some(processor) = processor {
                let whose = format!("the processor of {name}");
                children.push(read_flow(processor, definition, depth + 1, &whose)?);
                let mode = processor
                    .pointer("/ProcessorConfig/Mode")
                    .and_then(Value::as_str)
                    .unwrap_or("INLINE");
                detail = Some(mode.to_ascii_lowercase());
            }
        }
        "Task" => {
            detail = state
                .get("Resource")
                .and_then(Value::as_str)
                .map(service_of)
        }
        _ => {}
    }
    Ok(StateNode {
        name: name.to_string(),
        kind,
        detail,
        exits,
        children,
        source: serde_json::to_string_pretty(state).unwrap_or_default(),
    })
}

/// A Choice rule in a few words: a JSONata `Condition` as written; a JSONPath comparison
/// as `variable operator value`; `And`/`Or`/`Not` by their first rule.
fn rule_label(rule: &Value) -> String {
    if let Some(condition) = rule.get("Condition").and_then(Value::as_str) {
        return condition
            .trim_start_matches("{%")
            .trim_end_matches("%}")
            .trim()
            .to_string();
    }
    for combinator in ["And", "Or"] {
        if let Some(first) = rule
            .get(combinator)
            .and_then(Value::as_array)
            .and_then(|r| r.first())
        {
            return format!("{} {combinator} …", rule_label(first));
        }
    }
    if let Some(inner) = rule.get("Not") {
        return format!("not {}", rule_label(inner));
    }
    let variable = rule.get("Variable").and_then(Value::as_str).unwrap_or("?");
    let comparison = rule.as_object().and_then(|fields| {
        fields.iter().find(|(key, _)| {
            !matches!(
                key.as_str(),
                "Variable" | "Next" | "Comment" | "Assign" | "Output"
            )
        })
    });
    match comparison {
        Some((operator, value)) => format!("{variable} {operator} {value}"),
        None => variable.to_string(),
    }
}

/// The service a Task calls, in a word: `lambda` for `arn:aws:states:::lambda:invoke` and
/// for a function ARN, `activity` for an activity, `rekognition` for an SDK integration.
fn service_of(resource: &str) -> String {
    let parts: Vec<&str> = resource.split(':').collect();
    match parts.as_slice() {
        [_, _, "lambda", ..] => "lambda".to_string(),
        [_, _, "states", _, _, "activity", ..] => "activity".to_string(),
        [_, _, "states", _, _, "aws-sdk", service, ..] => service.to_string(),
        [_, _, "states", _, _, service, ..] => service.to_string(),
        _ => "task".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PIPELINE: &str = r#"{
      "Comment": "rider photos",
      "StartAt": "FaceDetection",
      "States": {
        "FaceDetection": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
          "Next": "CheckFaceDuplicate",
          "Catch": [{"ErrorEquals": ["PhotoDoesNotMeetRequirementError"], "Next": "NotifyRejected"}]},
        "CheckFaceDuplicate": {"Type": "Task",
          "Resource": "arn:aws:lambda:us-east-1:123456789012:function:check", "Next": "Both"},
        "Both": {"Type": "Parallel", "Next": "PersistMetadata", "Branches": [
          {"StartAt": "AddFaceToIndex", "States": {"AddFaceToIndex": {"Type": "Task",
            "Resource": "arn:aws:states:::aws-sdk:rekognition:indexFaces", "End": true}}},
          {"StartAt": "Thumbnail", "States": {"Thumbnail": {"Type": "Task",
            "Resource": "arn:aws:states:us-east-1:123456789012:activity:thumb", "End": true}}}
        ]},
        "PersistMetadata": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem", "End": true},
        "NotifyRejected": {"Type": "Pass", "End": true}
      }
    }"#;

    fn exits_of(node: &StateNode) -> Vec<(EdgeKind, &str, Option<&str>)> {
        node.exits
            .iter()
            .map(|e| (e.kind, e.target.as_str(), e.label.as_deref()))
            .collect()
    }

    #[test]
    fn reads_every_state_with_its_exits_and_nested_flows() {
        let definition = parse_definition(PIPELINE).unwrap();
        assert_eq!(definition.len(), 7);
        assert_eq!(definition.comment.as_deref(), Some("rider photos"));
        assert_eq!(definition.top.start_at, "FaceDetection");
        assert_eq!(definition.top.states.len(), 5);
        let detection = definition.find("FaceDetection").unwrap();
        assert_eq!(
            exits_of(detection),
            vec![
                (EdgeKind::Next, "CheckFaceDuplicate", None),
                (
                    EdgeKind::Catch,
                    "NotifyRejected",
                    Some("PhotoDoesNotMeetRequirementError")
                ),
            ]
        );
        assert_eq!(detection.detail.as_deref(), Some("lambda"));
        let both = definition.find("Both").unwrap();
        assert!(both.is_container());
        assert_eq!(both.children.len(), 2);
        assert_eq!(both.detail.as_deref(), Some("2 branches"));
        assert_eq!(both.nested_count(&definition), 2);
        assert_eq!(
            definition.find("AddFaceToIndex").unwrap().detail.as_deref(),
            Some("rekognition")
        );
        assert_eq!(
            definition.find("Thumbnail").unwrap().detail.as_deref(),
            Some("activity")
        );
        assert_eq!(
            definition
                .find("CheckFaceDuplicate")
                .unwrap()
                .detail
                .as_deref(),
            Some("lambda")
        );
        assert!(
            definition
                .find("PersistMetadata")
                .unwrap()
                .source
                .contains("putItem")
        );
    }

    #[test]
    fn a_map_reads_its_processor_and_mode_and_choice_targets_once_each() {
        let text = r#"{"StartAt": "Pick", "States": {
          "Pick": {"Type": "Choice", "Choices": [
             {"Variable": "$.a", "BooleanEquals": true, "Next": "Each"},
             {"Variable": "$.b", "BooleanEquals": true, "Next": "Each"}],
           "Default": "Done"},
          "Each": {"Type": "Map", "Next": "Done", "ItemProcessor": {
             "ProcessorConfig": {"Mode": "DISTRIBUTED"},
             "StartAt": "Work", "States": {"Work": {"Type": "Pass", "End": true}}}},
          "Done": {"Type": "Succeed"}}}"#;
        let definition = parse_definition(text).unwrap();
        let pick = definition.find("Pick").unwrap();
        assert_eq!(
            exits_of(pick),
            vec![
                (EdgeKind::Choice, "Each", Some("$.a BooleanEquals true")),
                (EdgeKind::Choice, "Done", Some("default")),
            ]
        );
        let each = definition.find("Each").unwrap();
        assert_eq!(each.detail.as_deref(), Some("distributed"));
        assert_eq!(each.children[0].start_at, "Work");
    }

    #[test]
    fn choice_rules_are_labelled_in_a_few_words() {
        let label = |rule: &str| rule_label(&serde_json::from_str(rule).unwrap());
        assert_eq!(
            label(r#"{"Condition": "{% $states.input.faces = 1 %}", "Next": "A"}"#),
            "$states.input.faces = 1"
        );
        assert_eq!(
            label(
                r#"{"And": [{"Variable": "$.a", "IsPresent": true}, {"Variable": "$.b", "IsNull": false}], "Next": "A"}"#
            ),
            "$.a IsPresent true And …"
        );
        assert_eq!(
            label(r#"{"Not": {"Variable": "$.n", "NumericGreaterThan": 3}, "Next": "A"}"#),
            "not $.n NumericGreaterThan 3"
        );
    }

    #[test]
    fn says_why_a_text_is_not_a_definition() {
        assert!(parse_definition("{").unwrap_err().starts_with("not JSON"));
        assert_eq!(
            parse_definition(r#"{"States": {}}"#).unwrap_err(),
            "the definition has no StartAt"
        );
        assert_eq!(
            parse_definition(r#"{"StartAt": "A", "States": {"B": {"Type": "Pass", "End": true}}}"#)
                .unwrap_err(),
            "the definition starts at a state it does not have"
        );
        let twice = r#"{"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": true,
          "Branches": [{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}]}}}"#;
        assert_eq!(
            parse_definition(twice).unwrap_err(),
            "a state name is used twice"
        );
    }

    #[test]
    fn refuses_a_definition_nested_beyond_reason() {
        // Names differ by depth: a reused name would be refused first.
        let mut text = r#"{"Type": "Pass", "End": true}"#.to_string();
        for depth in 0..30 {
            text = format!(
                r#"{{"Type": "Parallel", "End": true, "Branches": [{{"StartAt": "S{depth}", "States": {{"S{depth}": {text}}}}}]}}"#
            );
        }
        let root = format!(r#"{{"StartAt": "Top", "States": {{"Top": {text}}}}}"#);
        assert_eq!(
            parse_definition(&root).unwrap_err(),
            format!("nested more than {MAX_NESTING} deep")
        );
    }
}
