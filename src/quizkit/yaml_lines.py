"""Read YAML and remember the line of every mapping, key and list entry.

PyYAML's ``safe_load`` forgets where things were, so a problem could only be reported
for the whole file. This loader builds the same plain values, but mappings and lists
come back as ``LocatedDict`` / ``LocatedList`` carrying 1-based line numbers, and keys
repeated within one mapping (which YAML silently collapses to the last) are recorded
so the bank loader can report them.
"""

from __future__ import annotations

import yaml


class LocatedDict(dict):
    """A mapping that knows its own line and the line of each key."""

    line: int
    key_lines: dict
    repeated_keys: list  # (key, line of the repeat, line of the first)


class LocatedList(list):
    """A list that knows its own line and the line of each entry."""

    line: int
    item_lines: list


class YamlSyntaxError(Exception):
    """Malformed YAML; ``line`` is 1-based or ``None``."""

    def __init__(self, line: int | None, message: str):
        super().__init__(message)
        self.line, self.message = line, message


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


# libyaml's parser when PyYAML was built with it (several times faster); the pure-Python
# one otherwise. Both report the same marks, so the lines are the same.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LocatingLoader(_BaseLoader):
    """SafeLoader whose mappings and sequences remember their lines."""


class _PureLocatingLoader(yaml.SafeLoader):
    """The same on the pure-Python parser, whose syntax errors read better: used to
    word the message once libyaml has found that the file is malformed."""


def _construct_mapping(loader: _LocatingLoader, node: yaml.MappingNode) -> LocatedDict:
    loader.flatten_mapping(node)  # resolves "<<: *anchor" merges like SafeLoader does
    result = LocatedDict()
    result.line, result.key_lines, result.repeated_keys = _line(node), {}, []
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:
            raise yaml.constructor.ConstructorError(
                "while constructing a mapping", node.start_mark,
                "found a key that is a list or mapping", key_node.start_mark) from None
        value = loader.construct_object(value_node, deep=True)
        if key in result.key_lines:
            result.repeated_keys.append((key, _line(key_node), result.key_lines[key]))
        result[key] = value
        result.key_lines[key] = _line(key_node)
    return result


def _construct_sequence(loader: _LocatingLoader, node: yaml.SequenceNode) -> LocatedList:
    result = LocatedList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = _line(node)
    result.item_lines = [_line(child) for child in node.value]
    return result


for _loader in (_LocatingLoader, _PureLocatingLoader):
    _loader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
    _loader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)


def load_located(text: str) -> object:
    """Parse one YAML document; raise ``YamlSyntaxError`` with the line on bad syntax."""
    try:
        return yaml.load(text, Loader=_LocatingLoader)  # a SafeLoader subclass
    except yaml.YAMLError:
        pass
    try:
        return yaml.load(text, Loader=_PureLocatingLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        parts = [p for p in (exc.context, exc.problem) if p]
        raise YamlSyntaxError(mark.line + 1 if mark else None,
                              "YAML syntax error: " + ", ".join(parts)) from None
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(None, f"YAML syntax error: {exc}") from None
