"""Zoom's OpenAPI as the contract check (check.py) reads it: the operations of
users.openapi.json and users-master.openapi.json, the operation serving a request's method
and path, and validation against an operation's schemas, closed first (a member the OpenAPI
does not document is a violation) and with RFC 3339 date-times checked.
"""
import datetime
import json
import os
import re
import urllib.parse

import jsonschema

OPENAPI_FILES = ("users.openapi.json", "users-master.openapi.json")
HTTP_METHODS = ("get", "put", "post", "delete", "patch")

FORMATS = jsonschema.FormatChecker()


@FORMATS.checks("date-time", raises=ValueError)
def is_date_time(text):
    # RFC 3339: a date, "T", a time and a zone ("Z" or an offset).
    if not isinstance(text, str):
        return True
    if not re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)", text):
        raise ValueError("not an RFC 3339 date-time")
    datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    return True


class Operation:
    def __init__(self, source, method, template, op, base):
        self.source = source
        self.method = method
        self.template = template  # as in the file: "/accounts/{accountId}/users/{userId}"
        self.segments = template.strip("/").split("/")
        self.literals = sum(1 for s in self.segments if not s.startswith("{"))
        self.op = op
        self.base = base
        self.parameters = {(p["in"], p["name"]): p for p in op.get("parameters", [])}
        # The template without the master prefix: FORMAT_EXCEPTIONS and messages.
        self.own_template = re.sub(r"^/accounts/\{accountId\}", "", template)

    def name(self):
        return f"{self.method.upper()} {self.base}{self.template}"

    def match(self, path):
        parts = path.strip("/").split("/")
        if len(parts) != len(self.segments):
            return None
        params = {}
        for want, have in zip(self.segments, parts):
            if want.startswith("{"):
                if not have:
                    return None
                params[want[1:-1]] = urllib.parse.unquote(have)
            elif want != have:
                return None
        return params


def load_operations(openapi_dir):
    operations = []
    for name in OPENAPI_FILES:
        with open(os.path.join(openapi_dir, name), encoding="utf-8") as f:
            doc = json.load(f)
        base = urllib.parse.urlparse(doc["servers"][0]["url"]).path.rstrip("/")
        for template, item in doc["paths"].items():
            for method, op in item.items():
                if method in HTTP_METHODS:
                    operations.append(Operation(name, method, template, op, base))
    return operations


def resolve(operations, method, path):
    """The operation serving `method` on `path` and its path parameters: concrete paths
    win over templated ones, as OpenAPI says."""
    best = None
    for o in operations:
        if o.method != method.lower() or not path.startswith(o.base + "/"):
            continue
        params = o.match(path[len(o.base):])
        if params is not None and (best is None or o.literals > best[0].literals):
            best = (o, params)
    return best


def closed(schema):
    """`schema` with allOf of objects merged and every object with documented properties
    refusing others: a member the OpenAPI does not document fails validation."""
    if isinstance(schema, list):
        return [closed(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    schema = dict(schema)
    parts = schema.get("allOf")
    if parts and all(isinstance(p, dict) and p.get("type", "object") == "object" for p in parts):
        merged = {"type": "object", "properties": {}, "required": []}
        for p in parts:
            merged["properties"].update(p.get("properties", {}))
            merged["required"] += [r for r in p.get("required", []) if r not in merged["required"]]
        del schema["allOf"]
        schema.update(merged)
        if not schema["required"]:
            del schema["required"]
    for key in ("items", "additionalProperties", "not"):
        if isinstance(schema.get(key), dict):
            schema[key] = closed(schema[key])
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            schema[key] = closed(schema[key])
    if "properties" in schema:
        schema["properties"] = {k: closed(v) for k, v in schema["properties"].items()}
        schema.setdefault("additionalProperties", False)
    return schema


def without_format(schema, member):
    schema = json.loads(json.dumps(schema))
    prop = schema.get("properties", {}).get(member)
    if isinstance(prop, dict):
        prop.pop("format", None)
    return schema


def schema_errors(schema, instance):
    validator = jsonschema.Draft4Validator(closed(schema), format_checker=FORMATS)
    out = []
    for e in sorted(validator.iter_errors(instance), key=lambda e: list(e.path)):
        where = "/".join(str(p) for p in e.path) or "(top)"
        out.append(f"{where}: {e.message[:200]}")
    return out
