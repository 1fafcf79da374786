//! What a task's scheduled event says about the resource it called, as an operator needs it:
//! the integration (`lambda:invoke`, `sns:publish`, an activity), and for Lambda the function's
//! name and the CloudWatch log group its runs write to (to copy into a logs query).

use serde_json::Value;

/// The resource a task attempt called, read from its `TaskScheduled` /
/// `LambdaFunctionScheduled` / `ActivityScheduled` event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskResource {
    /// `lambda:invoke`, `sns:publish`, `states:startExecution.sync:2`, or the function or
    /// activity ARN for the older integrations.
    pub label: String,
    pub region: Option<String>,
    /// For Lambda: the function's name (no alias or version), from `FunctionName` (a name, a
    /// partial or a full ARN) or from the resource ARN.
    pub lambda_function: Option<String>,
}

impl TaskResource {
    /// `/aws/lambda/<name>`: where Lambda writes a function's logs unless configured otherwise.
    pub fn log_group(&self) -> Option<String> {
        self.lambda_function
            .as_ref()
            .map(|name| format!("/aws/lambda/{name}"))
    }
}

/// Reads the resource from a scheduled event's fields: `resource_type` (`lambda`, `sns`, …;
/// absent for `LambdaFunctionScheduled` and `ActivityScheduled`), `resource` (`invoke`, or
/// an ARN), the region, and the resolved `parameters` JSON when the history carried them.
pub fn task_resource(
    resource_type: Option<&str>,
    resource: Option<&str>,
    region: Option<&str>,
    parameters: Option<&str>,
) -> Option<TaskResource> {
    let label = match (resource_type, resource) {
        (Some(kind), Some(resource)) => format!("{kind}:{resource}"),
        (None, Some(resource)) => resource.to_string(),
        (Some(kind), None) => kind.to_string(),
        (None, None) => return None,
    };
    let from_parameters = || {
        let parameters: Value = serde_json::from_str(parameters?).ok()?;
        parameters
            .get("FunctionName")
            .and_then(Value::as_str)
            .and_then(function_name)
    };
    let is_lambda_arn = resource.is_some_and(|r| r.starts_with("arn:aws:lambda:"));
    let lambda_function = match resource_type {
        Some("lambda") => from_parameters(),
        _ if is_lambda_arn => resource.and_then(function_name),
        _ => None,
    };
    Some(TaskResource {
        label,
        region: region.map(str::to_string),
        lambda_function,
    })
}

/// The function's name from what `FunctionName` accepts: `my-function`, `my-function:alias`,
/// `123456789012:function:my-function`, or the full ARN with or without a qualifier.
pub fn function_name(reference: &str) -> Option<String> {
    let parts: Vec<&str> = reference.split(':').collect();
    let name = match parts.iter().position(|p| *p == "function") {
        Some(at) => parts.get(at + 1).copied(),
        None => parts.first().copied(),
    }?;
    (!name.is_empty()).then(|| name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_function_name_is_read_from_every_form_lambda_accepts() {
        for reference in [
            "resize",
            "resize:live",
            "123456789012:function:resize",
            "arn:aws:lambda:eu-west-1:123456789012:function:resize",
            "arn:aws:lambda:eu-west-1:123456789012:function:resize:$LATEST",
        ] {
            assert_eq!(
                function_name(reference).as_deref(),
                Some("resize"),
                "{reference}"
            );
        }
        assert_eq!(function_name(""), None);
    }

    #[test]
    fn an_optimised_lambda_integration_names_the_function_and_its_log_group() {
        let resource = task_resource(
            Some("lambda"),
            Some("invoke"),
            Some("eu-west-1"),
            Some(r#"{"FunctionName":"arn:aws:lambda:eu-west-1:1:function:thumbnail:2","Payload":{}}"#),
        )
        .unwrap();
        assert_eq!(resource.label, "lambda:invoke");
        assert_eq!(resource.region.as_deref(), Some("eu-west-1"));
        assert_eq!(
            resource.log_group().as_deref(),
            Some("/aws/lambda/thumbnail")
        );
    }

    #[test]
    fn the_legacy_lambda_resource_is_its_arn() {
        let resource = task_resource(
            None,
            Some("arn:aws:lambda:us-east-1:1:function:face-detection"),
            None,
            None,
        )
        .unwrap();
        assert_eq!(resource.lambda_function.as_deref(), Some("face-detection"));
    }

    #[test]
    fn other_integrations_have_no_log_group() {
        let resource = task_resource(Some("sns"), Some("publish"), None, Some("{}")).unwrap();
        assert_eq!(resource.label, "sns:publish");
        assert_eq!(resource.log_group(), None);
        assert_eq!(task_resource(None, None, None, None), None);
    }

    #[test]
    fn lambda_parameters_without_a_function_name_name_none() {
        let resource = task_resource(Some("lambda"), Some("invoke"), None, Some("not json"));
        assert_eq!(resource.unwrap().lambda_function, None);
    }
}
