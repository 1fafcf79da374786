"""stepdeck's fault-injecting HTTP proxy between the AWS SDK and moto server, for the tests.

Usage: proxy.py UPSTREAM ENDPOINT_FILE   (started in the background by scripts/faultproxy/start.sh)

Why it exists: moto answers every call at once and never throttles, denies, fails or loses an
answer, and it ignores the paging parameters of GetExecutionHistory. The console's behaviour on
a busy production account (issue #12) depends on exactly those things, so the integration tests
put this proxy between the real SDK clients and moto. Stdlib only: it runs with any python3.

It binds 127.0.0.1 on a port the kernel picks and writes `http://127.0.0.1:PORT` to
ENDPOINT_FILE once listening. Every request is forwarded to UPSTREAM unchanged (method, path,
headers including Host, so SigV4 signatures still match what the client signed; body), and:

- names the API of each request: `X-Amz-Target` for the JSON services (Step Functions,
  Rekognition), `Action=` for STS, method + path + query for S3;
- counts calls per API with timestamps (seconds on the proxy's monotonic clock);
- injects faults by rule (throttle, deny, 5xx, drop_answer, delay, reset), each in the error
  shape the real service uses, so the SDK parses it as it would parse AWS's answer;
- pages GetExecutionHistory as AWS does (maxResults, opaque nextToken, reverseOrder), which
  moto does not.

Control API (JSON), on the same port, under /__proxy/ (no S3 bucket can be named `__proxy`):
  GET    /__proxy/health  -> {"ok": true, "upstream": URL}
  GET    /__proxy/stats   -> {"now": T, "calls": {API: [T, ...]},
                              "faulted": {API: [[T, FAULT], ...]}}
  POST   /__proxy/reset   -> forget calls and remove every rule
  GET    /__proxy/faults  -> the rules in force, with what is left of them
  POST   /__proxy/faults  body: [RULE, ...] replaces the rules; DELETE /__proxy/faults clears them
RULE = {"api": "DescribeExecution" | "states:*" | "s3:*" | "*", "fault": "throttle" | "deny" |
        "5xx" | "drop_answer" | "delay" | "reset", "times": N (optional: the next N matching
        calls; default: every one), "seconds": S (optional: for S seconds from now; default:
        until cleared), "status": 500 | 503 (5xx only), "delay": S (delay only),
        "close": "fin" | "reset" (drop_answer only: how the connection ends; default "fin"),
        "after": N (optional: let the first N matching calls through untouched; default 0)}
The first rule in the list that matches a call and is not used up decides its fault.
"""

from __future__ import annotations

import base64
import http.client
import json
import os
import signal
import socket
import struct
import sys
import threading
import time
import urllib.parse
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

FAULTS = ("throttle", "deny", "5xx", "drop_answer", "delay", "reset")

# Not forwarded: they describe one hop (this connection), not the request. The proxy reads
# whole bodies and sends them with a Content-Length of its own, and answers `Expect:
# 100-continue` itself (BaseHTTPRequestHandler does), so the upstream never has to.
HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "proxy-connection",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "expect",
    "content-length",
}

# GetExecutionHistory paging, as the API reference gives it: "The default is 100 and the
# maximum allowed page size is 1000. A value of 0 uses the default."
HISTORY_DEFAULT_PAGE = 100
HISTORY_MAX_PAGE = 1000


class Rule:
    """One fault rule; `times` counts down as matching calls take it, `until` is a deadline."""

    def __init__(self, spec: Any, now: float) -> None:
        if not isinstance(spec, dict):
            raise ValueError("a rule is a JSON object")
        self.api = spec.get("api", "*")
        self.fault = spec.get("fault")
        if not isinstance(self.api, str) or not self.api:
            raise ValueError("`api` must be an API name, `SERVICE:*` or `*`")
        if self.fault not in FAULTS:
            raise ValueError(f"`fault` must be one of {', '.join(FAULTS)}")
        times = spec.get("times")
        if times is not None and (not isinstance(times, int) or times < 1):
            raise ValueError("`times` must be a positive integer")
        seconds = spec.get("seconds")
        if seconds is not None and (not isinstance(seconds, (int, float)) or seconds <= 0):
            raise ValueError("`seconds` must be a positive number")
        after = spec.get("after", 0)
        if not isinstance(after, int) or after < 0:
            raise ValueError("`after` must be a non-negative integer")
        self.pass_left = after
        self.times_left = times
        self.until = None if seconds is None else now + float(seconds)
        self.status = int(spec.get("status", 500))
        if self.fault == "5xx" and self.status not in (500, 503):
            raise ValueError("`status` of a 5xx fault must be 500 or 503")
        self.close = spec.get("close", "fin")
        if self.close not in ("fin", "reset"):
            raise ValueError("`close` must be `fin` or `reset`")
        self.delay = float(spec.get("delay", 0))
        if self.fault == "delay" and self.delay <= 0:
            raise ValueError("a delay fault needs `delay` (seconds) above 0")

    def matches(self, service: str, api: str, now: float) -> bool:
        if self.times_left == 0 or (self.until is not None and now >= self.until):
            return False
        return self.api in ("*", api, f"{service}:*", f"{service}:{api}")

    def describe(self, now: float) -> dict[str, Any]:
        return {
            "api": self.api,
            "fault": self.fault,
            "times_left": self.times_left,
            "seconds_left": None if self.until is None else max(0.0, self.until - now),
            "status": self.status,
            "delay": self.delay,
            "close": self.close,
            "pass_left": self.pass_left,
        }


class State:
    """Calls seen and rules in force, shared by the handler threads."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.calls: dict[str, list[float]] = {}
        self.faulted: dict[str, list[tuple[float, str]]] = {}
        self.rules: list[Rule] = []

    def record(self, service: str, api: str) -> Rule | None:
        """Counts one call and returns the rule that faults it (taking one of its `times`)."""
        now = time.monotonic()
        with self.lock:
            self.calls.setdefault(api, []).append(now)
            for rule in self.rules:
                if rule.matches(service, api, now):
                    if rule.pass_left > 0:
                        rule.pass_left -= 1
                        continue
                    if rule.times_left is not None:
                        rule.times_left -= 1
                    self.faulted.setdefault(api, []).append((now, rule.fault))
                    return rule
        return None

    def stats(self) -> dict[str, Any]:
        with self.lock:
            return {
                "now": time.monotonic(),
                "calls": {api: list(times) for api, times in self.calls.items()},
                "faulted": {api: [list(f) for f in fs] for api, fs in self.faulted.items()},
            }

    def set_rules(self, specs: Any) -> list[dict[str, Any]]:
        if not isinstance(specs, list):
            raise ValueError("the body must be a JSON list of rules")
        now = time.monotonic()
        rules = [Rule(spec, now) for spec in specs]  # all valid, or none replaced
        with self.lock:
            self.rules = rules
            return [rule.describe(now) for rule in rules]

    def describe_rules(self) -> list[dict[str, Any]]:
        now = time.monotonic()
        with self.lock:
            return [rule.describe(now) for rule in self.rules]

    def reset(self) -> None:
        with self.lock:
            self.calls.clear()
            self.faulted.clear()
            self.rules = []


def signing_service(headers: Any) -> str:
    """The service in the SigV4 credential scope: `Credential=AKID/DATE/REGION/SERVICE/...`."""
    authorization = headers.get("Authorization", "")
    marker = "Credential="
    start = authorization.find(marker)
    if start < 0:
        return ""
    scope = authorization[start + len(marker) :].split(",")[0].split("/")
    return scope[3] if len(scope) > 3 else ""


def identify(method: str, path: str, headers: Any, body: bytes) -> tuple[str, str]:
    """(service, API) of a request, named as the services' API references name operations."""
    target = headers.get("X-Amz-Target")
    if target:
        prefix, _, operation = target.partition(".")
        service = {"AWSStepFunctions": "states", "RekognitionService": "rekognition"}.get(
            prefix, prefix
        )
        return service, operation
    url = urllib.parse.urlsplit(path)
    if url.path.startswith("/moto-api"):
        return "moto", "moto-api"
    service = signing_service(headers)
    if service == "s3":
        return "s3", s3_operation(method, url, headers)
    content_type = headers.get("Content-Type", "")
    if "x-www-form-urlencoded" in content_type:
        form = urllib.parse.parse_qs(body.decode("utf-8", "replace"))
        action = form.get("Action", [""])[0]
        if action:
            return service or "query", action
    return service or "unknown", f"{method} {url.path}"


def s3_operation(method: str, url: urllib.parse.SplitResult, headers: Any) -> str:
    """S3's REST API: the operation is the method on a bucket or an object, refined by the
    subresource in the query (path-style addressing, as the backend uses with an endpoint)."""
    query = urllib.parse.parse_qs(url.query, keep_blank_values=True)
    if query.get("x-id"):
        return query["x-id"][0]  # the Rust SDK names most operations in the query itself
    parts = url.path.lstrip("/").split("/", 1)
    bucket = parts[0]
    key = parts[1] if len(parts) > 1 else ""
    if not bucket:
        return "ListBuckets" if method == "GET" else f"{method} /"
    subresources = {
        "tagging": "Tagging",
        "acl": "Acl",
        "location": "Location",
        "versioning": "Versioning",
        "policy": "Policy",
        "cors": "Cors",
        "lifecycle": "Lifecycle",
    }
    if not key:
        if method == "POST" and "delete" in query:
            return "DeleteObjects"
        for name, suffix in subresources.items():
            if name in query:
                verb = {"GET": "Get", "PUT": "Put", "DELETE": "Delete"}.get(method, method)
                return f"{verb}Bucket{suffix}"
        if "uploads" in query:
            return "ListMultipartUploads"
        if "versions" in query:
            return "ListObjectVersions"
        return {
            "GET": "ListObjectsV2" if query.get("list-type") == ["2"] else "ListObjects",
            "HEAD": "HeadBucket",
            "PUT": "CreateBucket",
            "DELETE": "DeleteBucket",
        }.get(method, f"{method} bucket")
    for name, suffix in subresources.items():
        if name in query:
            verb = {"GET": "Get", "PUT": "Put", "DELETE": "Delete"}.get(method, method)
            return f"{verb}Object{suffix}"
    if "uploads" in query:
        return "CreateMultipartUpload"
    if "uploadId" in query:
        return {
            "PUT": "UploadPart",
            "POST": "CompleteMultipartUpload",
            "DELETE": "AbortMultipartUpload",
            "GET": "ListParts",
        }.get(method, f"{method} upload")
    if method == "PUT" and headers.get("x-amz-copy-source"):
        return "CopyObject"
    return {
        "GET": "GetObject",
        "HEAD": "HeadObject",
        "PUT": "PutObject",
        "DELETE": "DeleteObject",
    }.get(method, f"{method} object")


# --- Error answers, in each protocol's shape ---------------------------------------------------
#
# JSON services (Step Functions is JSON 1.0, Rekognition JSON 1.1): HTTP 400/5xx with
# `{"__type": "<namespace>#<Code>", "message": ...}` and the `x-amzn-ErrorType` header
# `<Code>:<url>`; the Rust SDK reads the header first, else `__type` (or `code`), and keeps
# what is between the last `#` and the first `:` (aws-sdk-*/src/json_errors.rs,
# sanitize_error_code). Throttling comes from AWS's request framework, hence its namespace.
# S3 (REST-XML, unwrapped): `<Error><Code>..</Code><Message>..</Message>..</Error>`, no body on
# HEAD. STS (query protocol): `<ErrorResponse><Error><Type/><Code/><Message/></Error>..`.

JSON_ERRORS = {
    "throttle": (400, "com.amazon.coral.availability", "ThrottlingException", "Rate exceeded"),
    "deny": (400, "com.amazon.coral.service", "AccessDeniedException", None),
    500: (500, "com.amazon.coral.service", "InternalFailure", "An internal error occurred"),
    503: (
        503,
        "com.amazon.coral.availability",
        "ServiceUnavailableException",
        "Service unavailable",
    ),
}

S3_ERRORS = {
    "throttle": (503, "SlowDown", "Please reduce your request rate."),
    "deny": (403, "AccessDenied", "Access Denied"),
    500: (500, "InternalError", "We encountered an internal error. Please try again."),
    503: (503, "ServiceUnavailable", "Please reduce your request rate."),
}

QUERY_ERRORS = {
    "throttle": (400, "Sender", "Throttling", "Rate exceeded"),
    "deny": (403, "Sender", "AccessDenied", None),
    500: (500, "Receiver", "InternalFailure", "An internal error occurred"),
    503: (503, "Receiver", "ServiceUnavailable", "Service unavailable"),
}


def denied_message(service: str, api: str) -> str:
    return (
        "User: arn:aws:iam::123456789012:user/stepdeck-faultproxy is not authorized to "
        f"perform: {service}:{api} because no identity-based policy allows the "
        f"{service}:{api} action"
    )


def error_answer(
    service: str, api: str, fault: str, status: int, method: str
) -> tuple[int, list[tuple[str, str]], bytes]:
    """(status, headers, body) of the AWS error for `fault` ("throttle", "deny", "5xx")."""
    key: Any = status if fault == "5xx" else fault
    request_id = str(uuid.uuid4())
    if service == "s3":
        code_status, code, message = S3_ERRORS[key]
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f"<Error><Code>{code}</Code><Message>{message}</Message>"
            f"<RequestId>{uuid.uuid4().hex[:16].upper()}</RequestId>"
            f"<HostId>{base64.b64encode(request_id.encode()).decode()}</HostId></Error>"
        ).encode()
        headers = [("Content-Type", "application/xml"), ("x-amz-request-id", request_id)]
        return code_status, headers, b"" if method == "HEAD" else body
    if service in ("states", "rekognition"):
        code_status, namespace, code, message = JSON_ERRORS[key]
        message = message or denied_message(service, api)
        body = json.dumps({"__type": f"{namespace}#{code}", "message": message}).encode()
        version = "1.0" if service == "states" else "1.1"
        content_type = f"application/x-amz-json-{version}"
        headers = [
            ("Content-Type", content_type),
            ("x-amzn-RequestId", request_id),
            ("x-amzn-ErrorType", f"{code}:http://internal.amazon.com/coral/{namespace}/"),
        ]
        return code_status, headers, body
    code_status, kind, code, message = QUERY_ERRORS[key]
    message = message or denied_message(service, api)
    body = (
        f"<ErrorResponse><Error><Type>{kind}</Type><Code>{code}</Code>"
        f"<Message>{message}</Message></Error><RequestId>{request_id}</RequestId></ErrorResponse>"
    ).encode()
    return code_status, [("Content-Type", "text/xml"), ("x-amzn-RequestId", request_id)], body


def validation_error(code: str, message: str) -> tuple[int, list[tuple[str, str]], bytes]:
    body = json.dumps({"__type": f"com.amazonaws.swf.service.v2.model#{code}", "message": message})
    return 400, [("Content-Type", "application/x-amz-json-1.0")], body.encode()


# --- GetExecutionHistory paging as AWS does it -------------------------------------------------


def history_token(arn: str, reverse: bool, last_id: int) -> str:
    """An opaque token: where the next page starts, for this execution and direction only.
    It holds the last event id served rather than an offset, so a page boundary stays put
    while the execution adds events (the newest-first pages of a running one)."""
    state = json.dumps({"arn": arn, "reverse": reverse, "after": last_id}).encode()
    return "AAAA" + base64.urlsafe_b64encode(state).decode()


def read_history_token(token: str, arn: str, reverse: bool) -> int | None:
    try:
        state = json.loads(base64.urlsafe_b64decode(token[4:].encode()))
        if token[:4] == "AAAA" and state["arn"] == arn and state["reverse"] == reverse:
            return int(state["after"])
    except (ValueError, KeyError, TypeError):
        pass
    return None


def history_request(body: bytes) -> tuple[dict[str, Any], Any]:
    """The request's parameters, or an error answer for what AWS refuses before reading."""
    try:
        request = json.loads(body or b"{}")
    except ValueError:
        return {}, None  # not ours to judge: moto answers
    max_results = request.get("maxResults") or 0
    if not isinstance(max_results, int) or max_results < 0 or max_results > HISTORY_MAX_PAGE:
        return request, validation_error(
            "ValidationException",
            f"1 validation error detected: Value '{max_results}' at 'maxResults' failed to "
            f"satisfy constraint: Member must have value less than or equal to {HISTORY_MAX_PAGE}",
        )
    token = request.get("nextToken")
    if token is not None:
        after = read_history_token(
            token, request.get("executionArn", ""), bool(request.get("reverseOrder"))
        )
        if after is None:
            return request, validation_error("InvalidToken", f"Invalid Token: '{token}'")
    return request, None


def page_history(request: dict[str, Any], answer: bytes) -> bytes:
    """Slices moto's whole history to the page AWS would answer."""
    try:
        history = json.loads(answer)
        events = sorted(history["events"], key=lambda e: e["id"])
    except (ValueError, KeyError, TypeError):
        return answer
    arn = request.get("executionArn", "")
    reverse = bool(request.get("reverseOrder"))
    page_size = request.get("maxResults") or HISTORY_DEFAULT_PAGE
    if reverse:
        events.reverse()
    token = request.get("nextToken")
    if token is not None:
        after = read_history_token(token, arn, reverse)
        if after is not None:
            events = [e for e in events if (e["id"] < after if reverse else e["id"] > after)]
    page = events[:page_size]
    history["events"] = page
    history.pop("nextToken", None)
    if len(events) > page_size:
        history["nextToken"] = history_token(arn, reverse, page[-1]["id"])
    return json.dumps(history).encode()


# --- The server ---------------------------------------------------------------------------------


class Handler(BaseHTTPRequestHandler):
    # Keep-alive, as the SDK's connection pool expects of AWS.
    protocol_version = "HTTP/1.1"
    server: "ProxyServer"

    def do_GET(self) -> None:
        self.handle_request()

    do_POST = do_PUT = do_DELETE = do_HEAD = do_PATCH = do_OPTIONS = do_GET

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (the base's name)
        pass  # one line per call would drown the log; faults are logged where applied

    def read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass  # trailers
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def handle_request(self) -> None:
        body = self.read_body()
        if self.path.startswith("/__proxy/"):
            self.control(body)
            return
        service, api = identify(self.command, self.path, self.headers, body)
        rule = self.server.state.record(service, api)
        fault = rule.fault if rule else None
        if fault:
            log(f"{fault} {service}:{api}")

        if fault == "reset":
            # Closed with a TCP reset before anything reached the service: a request that
            # certainly did not happen.
            self.reset_connection()
            return
        if fault in ("throttle", "deny", "5xx"):
            assert rule is not None
            self.answer(*error_answer(service, api, fault, rule.status, self.command))
            return

        history = api == "GetExecutionHistory" and service == "states"
        request: dict[str, Any] = {}
        if history:
            request, refusal = history_request(body)
            if refusal is not None:
                self.answer(*refusal)
                return
        try:
            status, headers, answer = self.forward(body)
        except OSError as error:
            log(f"upstream failed for {service}:{api}: {error}")
            self.answer(502, [("Content-Type", "text/plain")], f"upstream: {error}".encode())
            return
        if history and status == 200:
            answer = page_history(request, answer)

        if fault == "drop_answer":
            # The service did it; its answer is lost on the way back: the connection ends
            # without a response, and the client cannot know the outcome. A client reads an
            # orderly close (FIN) and a reset (RST, as from a load balancer) differently.
            assert rule is not None
            if rule.close == "reset":
                self.reset_connection()
            self.close_connection = True
            return
        if fault == "delay":
            assert rule is not None
            time.sleep(rule.delay)
        self.answer(status, headers, answer, upstream_length=True)

    def reset_connection(self) -> None:
        """Ends the connection with a TCP reset: closed now with a zero linger, before the
        server's orderly shutdown would send a FIN."""
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()
        self.close_connection = True

    def forward(self, body: bytes) -> tuple[int, list[tuple[str, str]], bytes]:
        host, port = self.server.upstream
        connection = http.client.HTTPConnection(host, port, timeout=120)
        try:
            # skip_host: the client's Host header goes through as signed.
            connection.putrequest(
                self.command, self.path, skip_host=True, skip_accept_encoding=True
            )
            for name, value in self.headers.items():
                if name.lower() not in HOP_BY_HOP:
                    connection.putheader(name, value)
            if body or self.command in ("POST", "PUT", "PATCH"):
                connection.putheader("Content-Length", str(len(body)))
            connection.endheaders(body or None)
            response = connection.getresponse()
            answer = response.read()
            headers = [(n, v) for n, v in response.getheaders() if n.lower() != "connection"]
            return response.status, headers, answer
        finally:
            connection.close()

    def answer(
        self,
        status: int,
        headers: list[tuple[str, str]],
        body: bytes,
        upstream_length: bool = False,
    ) -> None:
        self.send_response_only(status)
        length = None
        for name, value in headers:
            lower = name.lower()
            if lower == "content-length":
                length = value
            elif lower not in HOP_BY_HOP:
                self.send_header(name, value)
        if self.command == "HEAD" and upstream_length and length is not None:
            # A HEAD answer has no body but says how long the object is.
            self.send_header("Content-Length", length)
        else:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def control(self, body: bytes) -> None:
        state = self.server.state
        route = (self.command, urllib.parse.urlsplit(self.path).path.rstrip("/"))
        try:
            if route == ("GET", "/__proxy/health"):
                result: Any = {"ok": True, "upstream": self.server.upstream_url}
            elif route == ("GET", "/__proxy/stats"):
                result = state.stats()
            elif route == ("POST", "/__proxy/reset"):
                state.reset()
                result = {"ok": True}
            elif route == ("GET", "/__proxy/faults"):
                result = state.describe_rules()
            elif route == ("POST", "/__proxy/faults"):
                result = state.set_rules(json.loads(body or b"[]"))
                log(f"rules: {json.dumps(result)}")
            elif route == ("DELETE", "/__proxy/faults"):
                result = state.set_rules([])
            else:
                self.json(404, {"error": f"no control endpoint {route[0]} {route[1]}"})
                return
        except ValueError as error:
            self.json(400, {"error": str(error)})
            return
        self.json(200, result)

    def json(self, status: int, value: Any) -> None:
        self.answer(status, [("Content-Type", "application/json")], json.dumps(value).encode())


class ProxyServer(ThreadingHTTPServer):
    daemon_threads = True  # a stuck client connection must not keep the process alive

    def __init__(self, upstream_url: str) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        url = urllib.parse.urlsplit(upstream_url)
        if url.scheme != "http" or not url.hostname:
            raise SystemExit(f"proxy: upstream must be http://HOST:PORT, not {upstream_url!r}")
        self.upstream = (url.hostname, url.port or 80)
        self.upstream_url = upstream_url
        self.state = State()


def log(message: str) -> None:
    print(f"{time.strftime('%H:%M:%S')} {message}", file=sys.stderr, flush=True)


def main() -> None:
    if len(sys.argv) != 3:
        sys.exit("usage: proxy.py UPSTREAM ENDPOINT_FILE")
    upstream, endpoint_file = sys.argv[1].strip().rstrip("/"), sys.argv[2]
    server = ProxyServer(upstream)

    def stop(_signum: int, _frame: object) -> None:
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)

    temporary = endpoint_file + ".tmp"
    with open(temporary, "w") as out:
        out.write(f"http://127.0.0.1:{server.server_address[1]}\n")
    os.replace(temporary, endpoint_file)  # readers never see a half-written file
    log(f"listening on 127.0.0.1:{server.server_address[1]}, forwarding to {upstream}")
    server.serve_forever()


if __name__ == "__main__":
    main()
