#!/usr/bin/env python3
"""The contract check's own test: records made up to break the OpenAPI in each way the
check looks for must each give the violation expected, and records that fit it none, so
that a check that cannot fail would fail here.

Usage: selftest.py --openapi DIR
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def zprov(method, target, body="", content_type="application/json", **answer):
    """A request zprov sent; with `answer`, zoomsim's answer (without, a scripted server's
    log: the request alone)."""
    entry = {"client": "zprov", "method": method, "target": target,
             "content_type": content_type if body else "", "request": body}
    if answer:
        entry.update(answered=True, **answer)
    return entry


def answered(status, body, content_type="application/json; charset=utf-8"):
    return {"status": status, "response_content_type": content_type,
            "response": body if isinstance(body, str) else json.dumps(body)}


CREATE = json.dumps({"action": "create", "user_info": {"email": "a@example.com", "type": 1}})
USER = {"id": "u1", "email": "a@example.com", "type": 1, "status": "pending",
        "created_at": "2026-11-28T10:00:00Z", "user_created_at": "2026-11-01T10:00:00Z",
        "group_ids": []}
PAGE = {"page_size": 300, "total_records": 1, "next_page_token": "",
        "users": [{"email": "a@example.com", "type": 1, "status": "pending",
                   "user_created_at": "2026-11-01T10:00:00Z"}]}

# (record, the violation expected in the output, or None for a record that fits)
CASES = [
    (zprov("POST", "/v2/users", CREATE, **answered(201, {"id": "u1", "email": "a@example.com",
                                                         "type": 1})), None),
    (zprov("GET", "/v2/users?status=pending&page_size=300", **answered(200, PAGE)), None),
    (zprov("GET", "/v2/users/a%40example.com", **answered(200, USER)), None),
    (zprov("PATCH", "/v2/accounts/S1/users/u1", '{"dept":"Ops","manager":"Jane Roe"}',
           **answered(204, "", "")), None),
    (zprov("GET", "/v2/users/u1", **answered(400, {"code": 1120, "message": "expired"})), None),
    (zprov("GET", "/v2/users/u1", **answered(401, {"code": 124, "message": "bad token"})), None),
    (zprov("POST", "/v2/users", CREATE, **answered(400, {"code": 4711, "message": "scope"})),
     None),
    (zprov("GET", "/v2/users?status=sleeping", **answered(200, PAGE)),
     "query status='sleeping'"),
    (zprov("GET", "/v2/users?status=pending&sort=name", **answered(200, PAGE)),
     "query parameter sort: not documented"),
    (zprov("GET", "/v2/users?page_size=2001", **answered(200, PAGE)),
     "query page_size=2001"),
    (zprov("POST", "/v2/users", json.dumps({"action": "invite", "user_info": {"email": "a", "type": 1}})),
     "body action"),
    (zprov("POST", "/v2/users", json.dumps({"action": "create", "user_info": {
        "email": "a@example.com", "type": 1, "nickname": "x"}})),
     "Additional properties are not allowed ('nickname'"),
    (zprov("POST", "/v2/users", CREATE, "text/plain"), "content type text/plain"),
    (zprov("PUT", "/v2/users", CREATE), "no such operation"),
    (zprov("GET", "/v2/users/u1", **answered(200, dict(USER, type="basic"))),
     "body type: 'basic'"),
    (zprov("GET", "/v2/users/u1", **answered(200, dict(USER, created_at="yesterday"))),
     "body created_at"),
    (zprov("GET", "/v2/users/u1", **answered(200, dict(USER, invented=1))),
     "Additional properties are not allowed ('invented'"),
    (zprov("GET", "/v2/users/u1", **answered(409, {"code": 1005, "message": "taken"})),
     "status 409 not documented"),
    (zprov("GET", "/v2/users/u1", **answered(404, {"code": 4130, "message": "no group"})),
     "code 4130 not documented for status 404"),
    (zprov("GET", "/v2/users/u1", **answered(404, {"message": "no code"})),
     "error body (top): 'code' is a required property"),
    (zprov("DELETE", "/v2/users/u1?action=disassociate", **answered(204, "{}")),
     "status 204 with a body"),
    (zprov("GET", "/v2/groups?page_size=301", **answered(200, {"groups": []})),
     "query page_size=301"),
    # Dropped (no answer to check), and a scripted server's request (no answer recorded):
    # only their requests are checked.
    (dict(zprov("POST", "/v2/users", CREATE), answered=False), None),
    (zprov("GET", "/v2/users?sort=x"), "query parameter sort: not documented"),
]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--openapi", required=True)
    args = parser.parse_args()
    failures = []
    with tempfile.TemporaryDirectory() as records:
        for i, (record, expected) in enumerate(CASES):
            case = os.path.join(records, str(i))
            os.mkdir(case)
            with open(os.path.join(case, "case.jsonl"), "w", encoding="utf-8") as f:
                f.write(json.dumps({"test": f"case {i}"}) + "\n" + json.dumps(record) + "\n")
            run = subprocess.run([sys.executable, os.path.join(HERE, "check.py"), "--openapi",
                                  args.openapi, "--records", case],
                                 capture_output=True, text=True, check=False)
            violations = [line for line in run.stdout.splitlines() if line.startswith("VIOLATION")]
            if expected is None and (run.returncode != 0 or violations):
                failures.append(f"case {i} should fit the OpenAPI: {violations or run.stderr}")
            if expected is not None and (run.returncode != 1
                                         or not any(expected in v for v in violations)):
                failures.append(f"case {i} should give a violation with {expected!r}: "
                                f"{violations or run.stderr}")
    for failure in failures:
        print(failure)
    print(f"contract check self-test: {len(CASES)} cases, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
