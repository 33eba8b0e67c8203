"""What kind of change one contract version is to the one before, for the version rule
(NL API Design Rules /core/semver, /core/deprecation-schedule):

- breaking (a major version; while the major is 0, a minor one): an operation, a parameter or a
  property removed, a new required parameter or request property, a property a response always
  had made optional, an enumeration value removed from a request or a response;
- additive (a minor version): a new operation, parameter, property or schema;
- anything else (descriptions, examples) a patch.
What is removed must have been marked `deprecated: true` in the version before.
"""

from __future__ import annotations

from dataclasses import dataclass, field

BREAKING, ADDITIVE, PATCH = 3, 2, 1
METHODS = ("get", "put", "post", "delete", "patch")


@dataclass
class Changes:
    breaking: list[str] = field(default_factory=list)
    additive: list[str] = field(default_factory=list)
    undeprecated_removals: list[str] = field(default_factory=list)

    @property
    def kind(self) -> int:
        return BREAKING if self.breaking else ADDITIVE if self.additive else PATCH


def needed(old_version: str, new_version: str, kind: int) -> str | None:
    """Why `new_version` is not enough for a change of this kind after `old_version`, or None."""
    old, new = (tuple(int(p) for p in v.split(".")) for v in (old_version, new_version))
    if new <= old:
        return f"{new_version} is not above {old_version}"
    major_bump, minor_bump = new[0] > old[0], new[0] == old[0] and new[1] > old[1]
    if kind == BREAKING and not (major_bump or (old[0] == 0 and minor_bump)):
        return f"a breaking change needs a new major version ({old[0] + 1}.0.0" + (
            f", or 0.{old[1] + 1}.0 before 1.0)" if old[0] == 0 else ")"
        )
    if kind == ADDITIVE and not (major_bump or minor_bump) and old[0] > 0:
        return f"an added operation or field needs a new minor version ({old[0]}.{old[1] + 1}.0)"
    return None


def compare(old: dict, new: dict) -> Changes:
    changes = Changes()
    inputs, outputs = _directions(old)
    for path, operations in old.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in METHODS:
                continue
            where = f"{method.upper()} {path}"
            after = new.get("paths", {}).get(path, {}).get(method)
            if after is None:
                _removed(changes, where, operation)
                continue
            _parameters(changes, where, operation, after)
    for path, operations in new.get("paths", {}).items():
        for method in operations:
            if method in METHODS and method not in old.get("paths", {}).get(path, {}):
                changes.additive.append(f"new operation {method.upper()} {path}")
    old_schemas, new_schemas = (
        old.get("components", {}).get("schemas", {}),
        new.get("components", {}).get("schemas", {}),
    )
    for name, schema in old_schemas.items():
        after = new_schemas.get(name)
        if after is None:
            if name in inputs or name in outputs:
                _removed(changes, f"schema {name}", schema)
            continue
        _schema(changes, name, schema, after, name in inputs, name in outputs)
    changes.additive += [f"new schema {n}" for n in new_schemas if n not in old_schemas]
    return changes


def _removed(changes: Changes, what: str, node: dict) -> None:
    changes.breaking.append(f"{what} removed")
    if not node.get("deprecated"):
        changes.undeprecated_removals.append(what)


def _parameters(changes: Changes, where: str, old: dict, new: dict) -> None:
    before = {(p["in"], p["name"]): p for p in old.get("parameters", [])}
    after = {(p["in"], p["name"]): p for p in new.get("parameters", [])}
    for key, parameter in before.items():
        if key not in after:
            _removed(changes, f"{where} parameter {key[1]}", parameter)
    for key, parameter in after.items():
        if key not in before:
            (changes.breaking if parameter.get("required") else changes.additive).append(
                f"{where} {'required ' if parameter.get('required') else ''}parameter {key[1]} added"
            )
        elif parameter.get("required") and not before[key].get("required"):
            changes.breaking.append(f"{where} parameter {key[1]} now required")


def _schema(changes: Changes, name: str, old: dict, new: dict, is_input: bool, is_output: bool) -> None:
    old_props, new_props = old.get("properties", {}), new.get("properties", {})
    old_required, new_required = set(old.get("required", [])), set(new.get("required", []))
    for prop, node in old_props.items():
        if prop not in new_props:
            _removed(changes, f"{name}.{prop}", node)
        elif _enum(node) - _enum(new_props[prop]) and (is_input or is_output):
            changes.breaking.append(f"{name}.{prop} lost enumeration values")
    for prop in new_props.keys() - old_props.keys():
        changes.additive.append(f"{name}.{prop} added")
    if is_input and (new_required - old_required):
        changes.breaking.append(f"{name} now requires {', '.join(sorted(new_required - old_required))}")
    if is_output and (old_required - new_required) & new_props.keys():
        changes.breaking.append(f"{name} no longer always has {', '.join(sorted(old_required - new_required))}")
    if _enum(old) - _enum(new):
        changes.breaking.append(f"{name} lost enumeration values")


def _enum(node: dict) -> set:
    return set(node.get("enum", [])) | {v for option in node.get("anyOf", []) for v in option.get("enum", [])}


def _directions(spec: dict) -> tuple[set[str], set[str]]:
    """The schemas a request can carry and those a response can, following references."""
    schemas = spec.get("components", {}).get("schemas", {})
    inputs: set[str] = set()
    outputs: set[str] = set()
    for operations in spec.get("paths", {}).values():
        for method, operation in operations.items():
            if method not in METHODS:
                continue
            _reach(operation.get("requestBody", {}), schemas, inputs)
            _reach(operation.get("parameters", []), schemas, inputs)
            _reach(operation.get("responses", {}), schemas, outputs)
    return inputs, outputs


def _reach(node, schemas: dict, found: set[str]) -> None:
    if isinstance(node, dict):
        ref = node.get("$ref", "")
        if ref.startswith("#/components/schemas/"):
            name = ref.rsplit("/", 1)[1]
            if name not in found:
                found.add(name)
                _reach(schemas.get(name, {}), schemas, found)
        for value in node.values():
            _reach(value, schemas, found)
    elif isinstance(node, list):
        for item in node:
            _reach(item, schemas, found)
