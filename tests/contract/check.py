#!/usr/bin/env python3
"""The contract check: Zoom's OpenAPI (openapi/users.openapi.json and
users-master.openapi.json, Zoom's own description of the Users API) as the oracle for
both programs.

Reads every record file (JSON Lines) in a directory: the exchanges zoomsim recorded with
--record, and the requests the tests' scripted servers received. Each request zprov sent
(User-Agent "zprov") is resolved to its OpenAPI operation (the server base /v2, path
templates, /accounts/{accountId}/... in the master file) and its path and query parameters
and its body are validated against the operation's schemas; each answer zoomsim gave is
checked against the operation's documented responses: the status must be listed, a body
documented as JSON must fit its schema, a 204 carries no body, and an error answer must be
Zoom's error object whose code the OpenAPI lists for that status (when it lists any).
Schemas are closed before validation (a member the OpenAPI does not document is a
violation): neither program may invent fields. Validation is jsonschema's (Debian's
python3-jsonschema), OpenAPI 3.0 schema objects being JSON Schema draft 4 plus keywords the
validator ignores (example, deprecated).

Outside the OpenAPI, and skipped explicitly (counted, never checked): zoomsim's control
endpoints (/_sim/...), OAuth (/oauth/token), requests sent by the tests themselves (curl,
in-process unit tests: deliberately malformed ones included) whose answers are still
checked, connections dropped without an answer, the 5xx zoomsim injects (--fail-rate), and
the 401/124 Zoom gives any call made with an invalid token (FACTS.md, "Answers": no
operation lists 401).

The OpenAPI's operations and the schema validation are openapi_operations.py's.

Usage: check.py --openapi DIR --records DIR [--summary-json FILE]
Prints the counts and every violation (grouped); exits 1 when there is any.
"""
import argparse
import collections
import email.parser
import email.policy
import json
import os
import re
import sys
import urllib.parse

sys.dont_write_bytecode = True  # the module beside it is imported without a cache in the tree
from openapi_operations import (OPENAPI_FILES, load_operations, resolve, schema_errors,
                                without_format)

ZPROV_CLIENT = "zprov"

# Zoom's error object (FACTS.md, "Answers": `{"code": N, "message": ...}`, and `errors[]` with
# a validation failure). The OpenAPI documents error answers by status and code only.
ERROR_SCHEMA = {
    "type": "object",
    "required": ["code", "message"],
    "properties": {
        "code": {"type": "integer"},
        "message": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
                "additionalProperties": False,
            },
        },
    },
    "additionalProperties": False,
}

# Error codes FACTS.md documents from beyond the OpenAPI, accepted for any operation with
# the status they are seen with.
CODES_BEYOND_OPENAPI = {
    (400, 300): "FACTS.md 'Answers': 400/300 validation failed, Zoom's answer to a body that "
                "does not fit the request schema (the OpenAPI lists it for most operations)",
    (400, 4700): "FACTS.md 'Answers': the token lacks a scope (reportedly HTTP 400)",
    (400, 4711): "FACTS.md 'Answers': the token lacks a scope (reportedly HTTP 400)",
    (400, 2001): "an unknown sub-account under /accounts/{accountId}, for which the master "
                 "OpenAPI documents no answer (zprov/zoom/codes.hpp: account_not_found)",
}

# Outside the OpenAPI: the 401/124 of a call with an invalid or expired token.
AUTH_FAILURE = (401, 124)

# The OpenAPI contradicting itself: PATCH /users/{userId} `manager` has format email while
# its description says "the manager's email address or display name within the same
# account". The description is taken: a display name is not a violation.
FORMAT_EXCEPTIONS = {("patch", "/users/{userId}", "manager")}

ERROR_CODE = re.compile(r"\*\*Error Code:\*\*\s*`(\d+)`")


def media_type(content_type):
    return (content_type or "").split(";")[0].strip().lower()


def convert_query_value(text, schema):
    kind = schema.get("type")
    if kind == "integer":
        try:
            return int(text)
        except ValueError:
            return text
    if kind == "boolean":
        return {"true": True, "false": False}.get(text, text)
    return text


def multipart_fields(content_type, body):
    """The form fields of a multipart/form-data body as the JSON object they stand for:
    Zoom's own code samples send POST /users this way, `user_info` as JSON text."""
    raw = b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + body.encode("utf-8")
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(raw)
    if not message.is_multipart():
        return None
    fields = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        value = part.get_payload(decode=True).decode("utf-8", "replace")
        if name == "user_info":
            try:
                value = json.loads(value)
            except ValueError:
                pass
        fields[name] = value
    return fields


def check_request(o, path_params, target, content_type, body):
    problems = []
    for name, value in path_params.items():
        p = o.parameters.get(("path", name))
        if p:
            problems += [f"path parameter {name}: {m}" for m in schema_errors(p["schema"], value)]
    query = urllib.parse.urlsplit(target).query
    seen = collections.Counter()
    for name, value in urllib.parse.parse_qsl(query, keep_blank_values=True):
        seen[name] += 1
        p = o.parameters.get(("query", name))
        if not p:
            problems.append(f"query parameter {name}: not documented for this operation")
            continue
        value = convert_query_value(value, p.get("schema", {}))
        problems += [f"query {name}={value!r}: {m}" for m in schema_errors(p["schema"], value)]
    problems += [f"query parameter {n}: given {c} times" for n, c in seen.items() if c > 1]
    for (where, name), p in o.parameters.items():
        if where == "query" and p.get("required") and name not in seen:
            problems.append(f"query parameter {name}: required, missing")

    documented = o.op.get("requestBody", {}).get("content", {})
    kind = media_type(content_type)
    if not documented:
        if body:
            problems.append("a body, where the operation takes none")
        return problems, None
    if kind == "multipart/form-data" and "application/json" in documented and o.method == "post":
        instance = multipart_fields(content_type, body)
        form = "multipart"
        if instance is None:
            return problems + ["multipart body without parts"], form
    elif kind in documented:
        form = "json"
        try:
            instance = json.loads(body)
        except ValueError as e:
            return problems + [f"body is not JSON: {e}"], form
    else:
        return problems + [f"content type {kind or '(none)'} not documented: {sorted(documented)}"], None
    schema = documented.get("application/json", {}).get("schema", {})
    for member in instance if isinstance(instance, dict) else ():
        if (o.method, o.own_template, member) in FORMAT_EXCEPTIONS:
            schema = without_format(schema, member)
    problems += [f"body {m}" for m in schema_errors(schema, instance)]
    return problems, form


def documented_codes(response):
    return {int(c) for c in ERROR_CODE.findall(response.get("description", ""))}


def check_answer(o, status, content_type, body):
    responses = o.op.get("responses", {})
    response = responses.get(str(status))
    if response is None:
        return [f"status {status} not documented (documented: {', '.join(sorted(responses))})"]
    content = response.get("content") or {}
    if status == 204 or (not content and status < 300):
        return [f"status {status} with a body"] if body else []
    if status >= 400:
        try:
            doc = json.loads(body)
        except ValueError:
            return [f"error answer {status} is not JSON"]
        problems = [f"error body {m}" for m in schema_errors(ERROR_SCHEMA, doc)]
        codes = documented_codes(response)
        code = doc.get("code") if isinstance(doc, dict) else None
        if codes and isinstance(code, int) and code not in codes:
            if (status, code) not in CODES_BEYOND_OPENAPI:
                problems.append(f"code {code} not documented for status {status} "
                                f"(documented: {sorted(codes)})")
        return problems
    kind = media_type(content_type)
    if kind not in content:
        return [f"content type {kind or '(none)'} not documented: {sorted(content)}"]
    try:
        doc = json.loads(body)
    except ValueError as e:
        return [f"body is not JSON: {e}"]
    return [f"body {m}" for m in schema_errors(content[kind].get("schema", {}), doc)]


class Report:
    def __init__(self):
        self.counts = collections.Counter()
        self.violations = collections.OrderedDict()  # (side, op, problem) -> [count, example]

    def violation(self, side, what, problem, where):
        key = (side, what, problem)
        if key not in self.violations:
            self.violations[key] = [0, where]
        self.violations[key][0] += 1


def read_records(path):
    meta = {}
    with open(path, encoding="utf-8", errors="replace") as f:
        lines = f.read().split("\n")
    records = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except ValueError:
            if number == len(lines):  # torn by a kill mid-write: the last line only
                continue
            raise SystemExit(f"{path}: line {number}: not JSON")
        if "test" in entry and "method" not in entry:
            meta = entry
        else:
            records.append(entry)
    return meta, records


def check_record(operations, report, entry, where):
    target = entry.get("target", "")
    path = urllib.parse.urlsplit(target).path
    if path.startswith("/_sim/"):
        report.counts["skipped: zoomsim control endpoints (/_sim/...)"] += 1
        return
    if path == "/oauth/token":
        report.counts["skipped: OAuth (/oauth/token)"] += 1
        return
    if (media_type(entry.get("content_type")) == "application/x-www-form-urlencoded"
            and "grant_type=" in entry.get("request", "") and not path.startswith("/v2/")):
        report.counts["skipped: OAuth (at a test's --oauth-url)"] += 1
        return
    method = entry.get("method", "")
    found = resolve(operations, method, path)
    by_zprov = entry.get("client", "") == ZPROV_CLIENT
    if found is None:
        if by_zprov:
            report.counts["zprov requests checked"] += 1
            report.violation("request", f"{method} {path}", "no such operation in the OpenAPI", where)
        else:
            report.counts["skipped: test clients' requests to no documented operation"] += 1
        return
    o, params = found
    if by_zprov:
        report.counts["zprov requests checked"] += 1
        report.counts[f"zprov requests: {o.name()}"] += 1
        problems, form = check_request(o, params, target, entry.get("content_type", ""),
                                       entry.get("request", ""))
        if form == "multipart":
            report.counts["zprov requests with a multipart body (Zoom's code samples), "
                          "checked against the JSON schema"] += 1
        for p in problems:
            report.violation("request", o.name(), p, where)
    else:
        report.counts["skipped: requests by the tests themselves (curl, unit tests)"] += 1
    if "answered" not in entry:
        return  # a scripted server's log: its answers are the test's script
    if not entry["answered"]:
        report.counts["skipped: connections dropped without an answer"] += 1
        return
    status = entry["status"]
    if status >= 500:
        report.counts["skipped: injected 5xx faults (outside the OpenAPI)"] += 1
        return
    body = entry.get("response", "")
    if status == AUTH_FAILURE[0]:
        try:
            code = json.loads(body).get("code")
        except (ValueError, AttributeError):
            code = None
        if code == AUTH_FAILURE[1]:
            report.counts["skipped: 401/124 invalid token (FACTS.md; no operation lists 401)"] += 1
            return
    report.counts["zoomsim answers checked"] += 1
    report.counts[f"zoomsim answers: {status}"] += 1
    for p in check_answer(o, status, entry.get("response_content_type", ""), body):
        report.violation("answer", o.name(), p, where)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--openapi", required=True)
    parser.add_argument("--records", required=True)
    parser.add_argument("--summary-json")
    args = parser.parse_args()

    operations = load_operations(args.openapi)
    report = Report()
    files = sorted(f for f in os.listdir(args.records) if f.endswith(".jsonl")) \
        if os.path.isdir(args.records) else []
    for name in files:
        meta, records = read_records(os.path.join(args.records, name))
        report.counts["record files"] += 1
        for entry in records:
            report.counts["records"] += 1
            where = f"{name} ({meta.get('test', 'unknown test')})"
            check_record(operations, report, entry, where)

    violations = sum(n for n, _ in report.violations.values())
    print(f"contract check against {', '.join(OPENAPI_FILES)} ({len(operations)} operations)")
    for key in sorted(report.counts):
        print(f"  {key}: {report.counts[key]}")
    print(f"  violations: {violations}")
    for (side, what, problem), (n, where) in report.violations.items():
        print(f"VIOLATION {side} {what}: {problem} [x{n}; first in {where}]")
    if args.summary_json:
        with open(args.summary_json, "w", encoding="utf-8") as f:
            json.dump({"counts": report.counts, "violations": violations,
                       "details": [{"side": s, "operation": w, "problem": p, "count": n,
                                    "first_in": where}
                                   for (s, w, p), (n, where) in report.violations.items()]},
                      f, indent=1, sort_keys=True)
    return 1 if violations else 0


if __name__ == "__main__":
    sys.exit(main())
