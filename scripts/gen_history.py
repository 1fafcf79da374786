#!/usr/bin/env python3
"""A large AWS-shaped execution history for measuring `stepdeck timeline --history`.

Usage: scripts/gen_history.py EVENTS OUT.json

Writes what `aws stepfunctions get-execution-history` prints for an execution that runs a Map
of Lambda tasks 40 at a time, events of concurrent iterations interleaved, every tenth task
retried once, with execution data (inputs, outputs, parameters) on the events that carry it,
written compactly: about 235 bytes of JSON per event, so 25,000 events make a file of about
5.9 MB, like the largest histories recorded against AWS. Deterministic (seeded), so
measurements repeat.
"""

import json
import random
import sys

MAP = "ProcessPhotos"
TASK = "Resize"
FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:resize-photo"
START = 1764064800.0


def main():
    target, out = int(sys.argv[1]), sys.argv[2]
    rng = random.Random(42)
    events = []
    now = [START]

    def emit(previous, kind, key=None, details=None):
        event = {
            "timestamp": round(now[0], 3),
            "type": kind,
            "id": len(events) + 1,
            "previousEventId": previous,
        }
        if key:
            event[key] = details
        events.append(event)
        return event["id"]

    def item(i):
        return json.dumps({"bucket": "rider-photos", "key": f"user_{i % 997}/photo_{i}.jpg"})

    def task_steps(i, retry):
        payload = item(i)
        entered = ("TaskStateEntered", "stateEnteredEventDetails",
                   {"name": TASK, "input": payload})
        scheduled = ("TaskScheduled", "taskScheduledEventDetails",
                     {"resourceType": "lambda", "resource": "invoke", "region": "us-east-1",
                      "parameters": json.dumps({"FunctionName": FUNCTION, "Payload": json.loads(payload)}),
                      "timeoutInSeconds": 60})
        started = ("TaskStarted", "taskStartedEventDetails",
                   {"resourceType": "lambda", "resource": "invoke"})
        steps = [entered, scheduled, started]
        if retry:
            steps.append(("TaskFailed", "taskFailedEventDetails",
                          {"resourceType": "lambda", "resource": "invoke",
                           "error": "Lambda.TooManyRequestsException", "cause": "Rate Exceeded."}))
            steps += [scheduled, started]
        result = json.dumps({"thumbnail": f"thumbs/photo_{i}.jpg", "width": 320, "height": 240})
        steps.append(("TaskSucceeded", "taskSucceededEventDetails",
                      {"resourceType": "lambda", "resource": "invoke", "output": result}))
        steps.append(("TaskStateExited", "stateExitedEventDetails",
                      {"name": TASK, "output": result}))
        return steps

    iterations = int(target / 7.3) + 1
    started = emit(0, "ExecutionStarted", "executionStartedEventDetails",
                   {"input": json.dumps({"items": iterations}), "inputDetails": {"truncated": False},
                    "roleArn": "arn:aws:iam::123456789012:role/StepFunctionsRole"})
    now[0] += 0.01
    entered = emit(started, "MapStateEntered", "stateEnteredEventDetails", {"name": MAP})
    last_closed = emit(entered, "MapStateStarted", "mapStateStartedEventDetails", {"length": iterations})
    running, next_index = [], 0
    while next_index < iterations or running:
        while len(running) < 40 and next_index < iterations:
            id_ = emit(last_closed, "MapIterationStarted", "mapIterationStartedEventDetails",
                       {"name": MAP, "index": next_index})
            running.append([next_index, task_steps(next_index, next_index % 10 == 3), id_])
            next_index += 1
        pick = rng.randrange(len(running))
        now[0] += (1 + rng.randrange(20)) / 1000
        index, steps, last = running[pick]
        if steps:
            kind, key, details = steps.pop(0)
            running[pick][2] = emit(last, kind, key, details)
        else:
            last_closed = emit(last, "MapIterationSucceeded", "mapIterationSucceededEventDetails",
                               {"name": MAP, "index": index})
            running.pop(pick)
    closed = emit(last_closed, "MapStateSucceeded")
    exited = emit(closed, "MapStateExited", "stateExitedEventDetails", {"name": MAP, "output": "[]"})
    emit(exited, "ExecutionSucceeded", "executionSucceededEventDetails", {"output": "[]"})
    with open(out, "w") as f:
        json.dump({"events": events}, f)
        f.write("\n")


if __name__ == "__main__":
    main()
