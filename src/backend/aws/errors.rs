//! From SDK errors to `BackendError`: each failure becomes information the operator can act on
//! (which permission is missing, which resource does not exist, that credentials expired, that
//! the endpoint is unreachable). The SDK error is first reduced to a plain `CallFailure` (the
//! only SDK-aware step); the mapping from there is pure and tested on its own.

use crate::backend::BackendError;
use aws_credential_types::provider::error::CredentialsError;
use aws_sdk_sfn::config::http::HttpResponse;
use aws_sdk_sfn::error::{ProvideErrorMetadata, SdkError};
use std::error::Error;

/// One API operation as IAM names it, with the resource it was about (for messages).
#[derive(Debug, Clone, PartialEq)]
pub struct ApiCall {
    /// IAM service prefix: `states`, `rekognition`, `s3`.
    pub service: &'static str,
    /// Operation name, e.g. `GetExecutionHistory`.
    pub operation: &'static str,
    /// What the call was about, e.g. `execution arn:aws:states:…`; empty for listings.
    pub resource: String,
}

impl ApiCall {
    pub fn new(
        service: &'static str,
        operation: &'static str,
        resource: impl Into<String>,
    ) -> Self {
        ApiCall {
            service,
            operation,
            resource: resource.into(),
        }
    }

    /// The IAM action, e.g. `states:GetExecutionHistory`.
    pub fn action(&self) -> String {
        format!("{}:{}", self.service, self.operation)
    }

    /// Reads (`Describe*`, `List*`, `Get*`, `Search*`) change nothing, so sending one twice is
    /// harmless. Whether to send a start, stop, redrive or delete again after an unknown
    /// outcome is the caller's to decide, from what it reads back.
    pub fn is_idempotent(&self) -> bool {
        ["Describe", "List", "Get", "Search"]
            .iter()
            .any(|verb| self.operation.starts_with(verb))
    }
}

/// Why a call did not return, reduced from the SDK's error to plain data.
#[derive(Debug, Clone, PartialEq)]
pub enum CallFailure {
    /// The service answered with an error.
    Service {
        code: Option<String>,
        message: Option<String>,
        status: u16,
    },
    /// No connection within the time allowed: nothing was sent.
    Timeout(String),
    /// No connection: refused, DNS, TLS handshake. Nothing was sent.
    Unreachable(String),
    /// The connection was open and the request (maybe all of it) went out, then the answer
    /// never came: closed or reset mid-answer, or too slow. It may have been carried out.
    NoAnswer(String),
    /// Credentials could not be resolved (no provider had any, SSO session expired, …).
    Credentials(String),
    /// Anything else: a request that could not be built, an answer that could not be read.
    Other(String),
}

const THROTTLING_CODES: &[&str] = &[
    "ThrottlingException",
    "Throttling",
    "ThrottledException",
    "TooManyRequestsException",
    "RequestLimitExceeded",
    "ProvisionedThroughputExceededException",
    "SlowDown",
];

const CREDENTIAL_CODES: &[&str] = &[
    "ExpiredToken",
    "ExpiredTokenException",
    "UnrecognizedClientException",
    "InvalidSignatureException",
    "InvalidClientTokenId",
    "SignatureDoesNotMatch",
    "InvalidAccessKeyId",
    "MissingAuthenticationToken",
    "IncompleteSignature",
    "RequestExpired",
    "AuthFailure",
];

const ACCESS_DENIED_CODES: &[&str] = &[
    "AccessDeniedException",
    "AccessDenied",
    "UnauthorizedOperation",
];

const NOT_FOUND_CODES: &[&str] = &[
    "ExecutionDoesNotExist",
    "StateMachineDoesNotExist",
    "ActivityDoesNotExist",
    "ResourceNotFound",
    "ResourceNotFoundException",
    "NoSuchBucket",
    "NoSuchKey",
    "NotFound",
];

const ALREADY_EXISTS_CODES: &[&str] = &["ExecutionAlreadyExists"];

const UNSUPPORTED_CODES: &[&str] = &["StateMachineTypeNotSupported", "UnsupportedOperation"];

impl CallFailure {
    /// Reduces an SDK error of any of the clients (they share the error types).
    pub fn from_sdk<E>(error: &SdkError<E, HttpResponse>) -> CallFailure
    where
        E: ProvideErrorMetadata + Error + 'static,
    {
        if let Some(credentials) = credentials_error_in(error) {
            return CallFailure::Credentials(credentials);
        }
        match error {
            SdkError::ServiceError(context) => CallFailure::Service {
                code: context.err().code().map(str::to_string),
                message: context.err().message().map(str::to_string),
                status: context.raw().status().as_u16(),
            },
            // The operation's own deadline: the request may well have gone out.
            SdkError::TimeoutError(_) => CallFailure::NoAnswer(error_chain(error)),
            SdkError::DispatchFailure(failure) => {
                // The SDK files a refused connection and one reset mid-answer alike under
                // "io"; what tells them apart is where the failure happened. The HTTP client
                // marks a failure to connect as such (nothing was sent); a failure of an open
                // connection comes from hyper (the request was written, or partly).
                let detail = error_chain(error);
                if failed_to_connect(error) {
                    if failure.is_timeout() {
                        CallFailure::Timeout(detail)
                    } else {
                        CallFailure::Unreachable(detail)
                    }
                } else if failure.is_timeout() || failure.is_io() || hyper_error_in(error) {
                    CallFailure::NoAnswer(detail)
                } else {
                    CallFailure::Other(detail)
                }
            }
            SdkError::ResponseError(context) => {
                // An answer the SDK could not read; its status still says a lot (e.g. 429 or a
                // 404 without a body from a HEAD).
                CallFailure::Service {
                    code: None,
                    message: Some(error_chain(error)),
                    status: context.raw().status().as_u16(),
                }
            }
            _ => CallFailure::Other(error_chain(error)),
        }
    }

    fn code(&self) -> Option<&str> {
        match self {
            CallFailure::Service { code, .. } => code.as_deref(),
            _ => None,
        }
    }

    fn code_in(&self, codes: &[&str]) -> bool {
        self.code().is_some_and(|code| codes.contains(&code))
    }

    /// Throttling is the one failure worth retrying at once (with backoff).
    pub fn is_throttling(&self) -> bool {
        self.code_in(THROTTLING_CODES) || matches!(self, CallFailure::Service { status: 429, .. })
    }

    /// A failure that may pass by itself: a server error (5xx), a timeout, a connection that
    /// failed. The request may or may not have been carried out.
    pub fn is_transient(&self) -> bool {
        match self {
            CallFailure::Service { status, .. } => *status >= 500 && !self.is_throttling(),
            CallFailure::Timeout(_) | CallFailure::Unreachable(_) | CallFailure::NoAnswer(_) => {
                true
            }
            CallFailure::Credentials(_) | CallFailure::Other(_) => false,
        }
    }

    /// A few words on a transient failure, for the notice that says it is retried.
    pub fn short_reason(&self) -> String {
        match self {
            CallFailure::Service { status, .. } => format!("HTTP {status}"),
            CallFailure::Timeout(_) => "no answer in time".into(),
            CallFailure::Unreachable(_) => "connection failed".into(),
            CallFailure::NoAnswer(_) => "no answer".into(),
            CallFailure::Credentials(_) => "no credentials".into(),
            CallFailure::Other(_) => "unreadable answer".into(),
        }
    }

    /// Whether `call` is sent again after this failure: a throttled request was refused
    /// before it was carried out, so any call is; after a transient failure only a read is.
    pub fn is_retryable_for(&self, call: &ApiCall) -> bool {
        self.is_throttling() || (self.is_transient() && call.is_idempotent())
    }

    /// The operator-facing error; `attempts` is how many tries were made.
    pub fn into_backend_error(self, call: &ApiCall, attempts: u32) -> BackendError {
        if self.is_throttling() {
            return BackendError::Throttled {
                api: call.operation.to_string(),
                attempts,
            };
        }
        let about = if call.resource.is_empty() {
            call.action()
        } else {
            format!("{} ({})", call.resource, call.action())
        };
        let status = match &self {
            CallFailure::Service { status, .. } => *status,
            _ => 0,
        };
        let code = self.code().unwrap_or_default().to_string();
        match self {
            CallFailure::Credentials(detail) => BackendError::Credentials(format!(
                "no usable credentials for {}: {detail}",
                call.action()
            )),
            CallFailure::Timeout(detail) => BackendError::Network(format!(
                "cannot reach the {} endpoint in time: {detail}",
                call.service
            )),
            CallFailure::NoAnswer(detail) => BackendError::NoAnswer {
                action: call.action(),
                detail,
            },
            CallFailure::Unreachable(detail) => BackendError::Network(format!(
                "cannot reach the {} endpoint (check the region, the endpoint URL and the network): {detail}",
                call.service
            )),
            CallFailure::Other(detail) => {
                BackendError::Other(format!("{} failed: {detail}", call.action()))
            }
            CallFailure::Service { message, .. } => {
                let message = message.unwrap_or_default();
                let said = if message.is_empty() {
                    code.clone()
                } else if code.is_empty() {
                    message.clone()
                } else {
                    format!("{code}: {message}")
                };
                if CREDENTIAL_CODES.contains(&code.as_str()) {
                    BackendError::Credentials(format!(
                        "{said} (refresh or renew the credentials, e.g. `aws sso login`)"
                    ))
                } else if ACCESS_DENIED_CODES.contains(&code.as_str()) || status == 403 {
                    BackendError::AccessDenied {
                        action: call.action(),
                        message: said,
                    }
                } else if NOT_FOUND_CODES.contains(&code.as_str()) || status == 404 {
                    BackendError::NotFound {
                        what: if message.is_empty() {
                            about
                        } else {
                            format!("{about}: {message}")
                        },
                    }
                } else if ALREADY_EXISTS_CODES.contains(&code.as_str()) {
                    BackendError::AlreadyExists(format!("{about}: {said}"))
                } else if UNSUPPORTED_CODES.contains(&code.as_str()) {
                    BackendError::Unsupported(said)
                } else if (400..500).contains(&status) {
                    BackendError::Invalid(format!("{}: {said}", call.action()))
                } else {
                    BackendError::Other(format!("{} failed (HTTP {status}): {said}", call.action()))
                }
            }
        }
    }
}

/// Whether the HTTP client failed to open the connection (refused, DNS, TLS, connect timeout):
/// then the request certainly did not go out.
fn failed_to_connect(error: &(dyn Error + 'static)) -> bool {
    let mut current: Option<&(dyn Error + 'static)> = Some(error);
    while let Some(e) = current {
        if let Some(client) = e.downcast_ref::<hyper_util::client::legacy::Error>() {
            return client.is_connect();
        }
        current = e.source();
    }
    false
}

/// Whether hyper, which speaks HTTP on an open connection, reported the failure.
fn hyper_error_in(error: &(dyn Error + 'static)) -> bool {
    let mut current: Option<&(dyn Error + 'static)> = Some(error);
    while let Some(e) = current {
        if e.downcast_ref::<hyper::Error>().is_some() {
            return true;
        }
        current = e.source();
    }
    false
}

/// Credential resolution fails inside the SDK before anything is sent; the SDK reports it as a
/// dispatch failure whose source chain holds the provider's `CredentialsError`.
fn credentials_error_in(error: &(dyn Error + 'static)) -> Option<String> {
    let mut current: Option<&(dyn Error + 'static)> = Some(error);
    while let Some(e) = current {
        if let Some(credentials) = e.downcast_ref::<CredentialsError>() {
            return Some(error_chain(credentials));
        }
        current = e.source();
    }
    None
}

/// The error and its sources on one line: the SDK's top-level messages alone ("dispatch
/// failure") say too little.
fn error_chain(error: &(dyn Error + 'static)) -> String {
    let mut parts = vec![error.to_string()];
    let mut current = error.source();
    while let Some(e) = current {
        let text = e.to_string();
        if parts.last() != Some(&text) {
            parts.push(text);
        }
        current = e.source();
    }
    parts.join(": ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn service(code: &str, message: &str, status: u16) -> CallFailure {
        CallFailure::Service {
            code: (!code.is_empty()).then(|| code.to_string()),
            message: (!message.is_empty()).then(|| message.to_string()),
            status,
        }
    }

    fn history_call() -> ApiCall {
        ApiCall::new(
            "states",
            "GetExecutionHistory",
            "execution arn:aws:states:us-east-1:1:execution:sm:run-1",
        )
    }

    #[test]
    fn throttling_is_recognised_by_code_or_status() {
        assert!(service("ThrottlingException", "Rate exceeded", 400).is_throttling());
        assert!(service("ProvisionedThroughputExceededException", "", 400).is_throttling());
        assert!(service("SlowDown", "", 503).is_throttling());
        assert!(service("", "", 429).is_throttling());
        assert!(!service("AccessDeniedException", "", 400).is_throttling());
        assert!(!CallFailure::Timeout("t".into()).is_throttling());
        assert_eq!(
            service("ThrottlingException", "Rate exceeded", 400)
                .into_backend_error(&history_call(), 6),
            BackendError::Throttled {
                api: "GetExecutionHistory".into(),
                attempts: 6
            }
        );
    }

    #[test]
    fn only_reads_are_retried_after_server_errors_and_lost_connections() {
        let server_error = service("InternalServerError", "boom", 500);
        let unavailable = service("ServiceUnavailable", "", 503);
        let lost = CallFailure::Unreachable("connection refused".into());
        let timeout = CallFailure::Timeout("connect timeout".into());
        let no_answer = CallFailure::NoAnswer("connection closed before message completed".into());
        let throttled = service("ThrottlingException", "Rate exceeded", 400);
        let denied = service("AccessDeniedException", "", 400);
        let reads = [
            ("states", "DescribeExecution"),
            ("states", "ListExecutions"),
            ("states", "GetExecutionHistory"),
            ("rekognition", "SearchFaces"),
            ("s3", "ListBucket"),
            ("s3", "GetObject"),
            ("sts", "GetCallerIdentity"),
        ];
        let writes = [
            ("states", "StartExecution"),
            ("states", "StopExecution"),
            ("states", "RedriveExecution"),
            ("rekognition", "DeleteFaces"),
            ("s3", "DeleteObject"),
            ("s3", "PutObject"),
        ];
        for (service, operation) in reads {
            let call = ApiCall::new(service, operation, "");
            assert!(call.is_idempotent(), "{operation}");
            for failure in [
                &server_error,
                &unavailable,
                &lost,
                &timeout,
                &no_answer,
                &throttled,
            ] {
                assert!(failure.is_retryable_for(&call), "{operation} {failure:?}");
            }
            assert!(!denied.is_retryable_for(&call));
        }
        for (service, operation) in writes {
            let call = ApiCall::new(service, operation, "");
            assert!(!call.is_idempotent(), "{operation}");
            for failure in [&server_error, &unavailable, &lost, &timeout, &no_answer] {
                assert!(!failure.is_retryable_for(&call), "{operation} {failure:?}");
            }
            // A throttled request was never carried out: it is safe to send again.
            assert!(throttled.is_retryable_for(&call), "{operation}");
        }
        // S3's SlowDown is a 503 but throttling, not a server error.
        assert!(!service("SlowDown", "", 503).is_transient());
    }

    #[test]
    fn access_denied_names_the_missing_permission() {
        let error = service(
            "AccessDeniedException",
            "User: arn:aws:iam::1:user/ops is not authorized to perform: states:GetExecutionHistory",
            400,
        )
        .into_backend_error(&history_call(), 1);
        match error {
            BackendError::AccessDenied { action, message } => {
                assert_eq!(action, "states:GetExecutionHistory");
                assert!(message.contains("not authorized"), "{message}");
            }
            other => panic!("expected AccessDenied, got {other:?}"),
        }
        // S3 says it with a bare 403 on HEAD requests.
        assert!(matches!(
            service("", "", 403).into_backend_error(&ApiCall::new("s3", "HeadObject", "k"), 1),
            BackendError::AccessDenied { .. }
        ));
    }

    #[test]
    fn missing_resources_are_not_found_with_what_was_asked() {
        for code in [
            "ExecutionDoesNotExist",
            "StateMachineDoesNotExist",
            "ResourceNotFoundException",
            "NoSuchBucket",
            "NoSuchKey",
        ] {
            let error = service(code, "does not exist", 400).into_backend_error(&history_call(), 1);
            match error {
                BackendError::NotFound { what } => {
                    assert!(what.contains("execution arn:aws:states"), "{what}");
                    assert!(what.contains("does not exist"), "{what}");
                }
                other => panic!("{code}: expected NotFound, got {other:?}"),
            }
        }
        assert!(matches!(
            service("", "", 404).into_backend_error(&history_call(), 1),
            BackendError::NotFound { .. }
        ));
    }

    #[test]
    fn expired_or_invalid_credentials_are_credential_errors() {
        for code in [
            "ExpiredToken",
            "ExpiredTokenException",
            "UnrecognizedClientException",
            "InvalidSignatureException",
            "InvalidAccessKeyId",
        ] {
            assert!(
                matches!(
                    service(
                        code,
                        "The security token included in the request is expired",
                        400
                    )
                    .into_backend_error(&history_call(), 1),
                    BackendError::Credentials(_)
                ),
                "{code}"
            );
        }
        assert!(matches!(
            CallFailure::Credentials("no providers in chain provided credentials".into())
                .into_backend_error(&history_call(), 1),
            BackendError::Credentials(m) if m.contains("states:GetExecutionHistory")
        ));
    }

    #[test]
    fn transport_failures_are_network_errors() {
        assert!(matches!(
            CallFailure::Unreachable("Connection refused (os error 111)".into())
                .into_backend_error(&history_call(), 1),
            BackendError::Network(m) if m.contains("Connection refused") && m.contains("region")
        ));
        assert!(matches!(
            CallFailure::Timeout("operation timeout".into()).into_backend_error(&history_call(), 1),
            BackendError::Network(_)
        ));
    }

    #[test]
    fn a_lost_answer_says_the_request_may_have_been_carried_out() {
        let start = ApiCall::new("states", "StartExecution", "state machine sm");
        let error = CallFailure::NoAnswer(
            "dispatch failure: connection closed before message completed".into(),
        )
        .into_backend_error(&start, 1);
        assert_eq!(
            error,
            BackendError::NoAnswer {
                action: "states:StartExecution".into(),
                detail: "dispatch failure: connection closed before message completed".into(),
            }
        );
        let shown = error.to_string();
        assert!(
            shown.contains("no answer; the request may have been carried out"),
            "{shown}"
        );
        assert!(!shown.contains("cannot reach"), "{shown}");
    }

    #[test]
    fn validation_and_unsupported_and_server_errors() {
        assert!(matches!(
            service("ValidationException", "1 validation error", 400)
                .into_backend_error(&history_call(), 1),
            BackendError::Invalid(m) if m.contains("ValidationException")
        ));
        // A start whose name was used before: the caller reconciles rather than fails.
        assert!(matches!(
            service("ExecutionAlreadyExists", "Execution Already Exists", 400)
                .into_backend_error(&history_call(), 1),
            BackendError::AlreadyExists(m) if m.contains("Execution Already Exists")
        ));
        assert!(matches!(
            service("StateMachineTypeNotSupported", "express", 400)
                .into_backend_error(&history_call(), 1),
            BackendError::Unsupported(_)
        ));
        assert!(matches!(
            service("InternalServerError", "boom", 500).into_backend_error(&history_call(), 1),
            BackendError::Other(m) if m.contains("HTTP 500")
        ));
    }
}
