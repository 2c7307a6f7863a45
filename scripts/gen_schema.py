#!/usr/bin/env python3
"""Generate src/engine/schema/v1_21.json, the API structure kubetutor validates against.

Source: the Kubernetes v1.21 OpenAPI definitions as shipped in the PyPI package
`kubernetes-validate==1.21.0` (Apache-2.0), file
`kubernetes-json-schema/v1.21.0-local/_definitions.json` inside its source archive:

    pip download --no-deps kubernetes-validate==1.21.0 -d /tmp/kv
    tar xzf /tmp/kv/kubernetes-validate-1.21.0.tar.gz -C /tmp/kv
    python3 scripts/gen_schema.py \
        /tmp/kv/kubernetes-validate-1.21.0/src/kubernetes_validate/kubernetes-json-schema/v1.21.0-local/_definitions.json

Only the structure is kept (types, formats, references, required fields, the group/version/kind
of top-level kinds); description texts are dropped on purpose. Only definitions reachable from
the kinds the simulator supports (and their *List kinds) are written.

Two definitions differ from the API server's swagger in that file: `IntOrString` and `Quantity`
were rewritten by the JSON-schema converter as `oneOf: [string, integer]`. kubectl sees them as
`type: string` (IntOrString with `format: int-or-string`), so that is what is written here.

Run by hand (python3, standard library only); the output is committed.
"""

import json
import os
import sys

OUTPUT = os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "src", "engine", "schema", "v1_21.json"
)

# (group, version, kind) of every kind the simulated cluster serves.
KINDS = [
    ("", "v1", "Namespace"),
    ("", "v1", "Node"),
    ("", "v1", "Pod"),
    ("", "v1", "Service"),
    ("", "v1", "Event"),
    ("", "v1", "ConfigMap"),
    ("", "v1", "Secret"),
    ("", "v1", "ServiceAccount"),
    ("", "v1", "Endpoints"),
    ("discovery.k8s.io", "v1", "EndpointSlice"),
    ("apps", "v1", "DaemonSet"),
    ("apps", "v1", "Deployment"),
    ("apps", "v1", "ReplicaSet"),
    ("apps", "v1", "ControllerRevision"),
]

REF_PREFIX = "#/definitions/"

# Swagger's view of the two definitions the JSON-schema converter rewrote (see the header).
SWAGGER_PRIMITIVES = {
    "io.k8s.apimachinery.pkg.util.intstr.IntOrString": {"type": "string", "format": "int-or-string"},
    "io.k8s.apimachinery.pkg.api.resource.Quantity": {"type": "string"},
}


def gvks(definition):
    return [
        (g.get("group", ""), g.get("version", ""), g.get("kind", ""))
        for g in definition.get("x-kubernetes-group-version-kind", [])
    ]


def find_roots(defs):
    wanted = set(KINDS) | {(g, v, k + "List") for g, v, k in KINDS}
    roots = []
    for name, definition in defs.items():
        if any(gvk in wanted for gvk in gvks(definition)):
            roots.append(name)
    found = {gvk for name in roots for gvk in gvks(defs[name])}
    missing = wanted - found
    if missing:
        sys.exit("kinds not found in the definitions: %s" % sorted(missing))
    return sorted(roots)


def ref_name(ref):
    if not ref.startswith(REF_PREFIX):
        sys.exit("unexpected reference: %s" % ref)
    return ref[len(REF_PREFIX):]


def slim(schema, refs):
    """Keep the structural keys of one schema node, collecting the definitions it refers to."""
    out = {}
    if "$ref" in schema:
        name = ref_name(schema["$ref"])
        refs.append(name)
        out["ref"] = name
    for key in ("type", "format"):
        if key in schema:
            out[key] = schema[key]
    if "items" in schema:
        out["items"] = slim(schema["items"], refs)
    if isinstance(schema.get("additionalProperties"), dict):
        out["additionalProperties"] = slim(schema["additionalProperties"], refs)
    return out


def slim_definition(name, definition, refs):
    if name in SWAGGER_PRIMITIVES:
        return dict(SWAGGER_PRIMITIVES[name])
    out = slim(definition, refs)
    if "required" in definition:
        out["required"] = list(definition["required"])
    if "properties" in definition:
        out["properties"] = {
            field: slim(schema, refs) for field, schema in definition["properties"].items()
        }
    if "x-kubernetes-group-version-kind" in definition:
        out["x-kubernetes-group-version-kind"] = [
            {"group": g, "version": v, "kind": k} for g, v, k in gvks(definition)
        ]
    return out


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: gen_schema.py PATH/TO/_definitions.json")
    with open(sys.argv[1], encoding="utf-8") as f:
        defs = json.load(f)["definitions"]

    kept = {}
    queue = find_roots(defs)
    while queue:
        name = queue.pop()
        if name in kept:
            continue
        if name not in defs:
            sys.exit("dangling reference: %s" % name)
        refs = []
        kept[name] = slim_definition(name, defs[name], refs)
        queue.extend(refs)

    # One definition per line keeps diffs readable.
    lines = [
        "%s: %s" % (json.dumps(name), json.dumps(kept[name], sort_keys=True, separators=(",", ":")))
        for name in sorted(kept)
    ]
    with open(OUTPUT, "w", encoding="utf-8") as f:
        f.write('{"definitions": {\n' + ",\n".join(lines) + "\n}}\n")
    print("wrote %d definitions to %s" % (len(kept), os.path.normpath(OUTPUT)))


if __name__ == "__main__":
    main()
