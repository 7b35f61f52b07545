"""The only module that imports yaml: safe loading that keeps line and column of every key."""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import accumulate
from typing import Any

import yaml

# NOTE: libyaml's C parser is ~7x faster than the pure-Python one (docs/performance.md);
# the pure-Python loader is a fallback for platforms where PyYAML was built without it.
_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_ALIASES = 100  # alias references to mappings/lists per file; evidence rarely needs any
MAX_DEPTH = 64  # nesting of mappings and lists per file
MAX_EXPANDED_NODES = 1_000_000  # values reachable once aliases are expanded


class LineDict(dict[str, Any]):
    """A mapping from YAML that knows where it and each of its keys start (1-based)."""

    __slots__ = ("line", "column", "key_positions")

    def __init__(self) -> None:
        super().__init__()
        self.line = 0
        self.column = 0
        self.key_positions: dict[str, tuple[int, int]] = {}

    def position_of(self, key: str) -> tuple[int, int]:
        """Line and column of ``key``, or of the mapping when the key is absent."""
        return self.key_positions.get(key, (self.line, self.column))


class LineList(list[Any]):
    """A sequence from YAML that knows where each of its entries starts (1-based)."""

    __slots__ = ("line", "column", "item_positions")

    def __init__(self) -> None:
        super().__init__()
        self.line = 0
        self.column = 0
        self.item_positions: list[tuple[int, int]] = []


@dataclass(frozen=True)
class YamlProblem:
    """A defect in a YAML text, located; ``kind`` is stable (used in finding fingerprints)."""

    kind: str
    message: str
    line: int
    column: int


class YamlError(Exception):
    """The text cannot be loaded at all."""

    def __init__(self, problem: YamlProblem) -> None:
        super().__init__(problem.message)
        self.problem = problem


class _Loader(_BaseLoader):  # type: ignore[valid-type,misc]
    """Safe loader: YAML 1.2 booleans, dates kept as text, located mappings, duplicate keys."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.problems: list[YamlProblem] = []
        self.alias_uses = 0


def _position(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _reused(loader: _Loader, node: yaml.Node) -> bool:
    """Count alias references; refuse expansion bombs before anything walks the data."""
    if node in loader.constructed_objects:
        loader.alias_uses += 1
        if loader.alias_uses > MAX_ALIASES:
            line, column = _position(node)
            raise YamlError(
                YamlProblem(
                    "structure/alias-limit",
                    f"too many alias references (*name); at most {MAX_ALIASES} per file "
                    "are allowed, which protects against alias expansion bombs",
                    line,
                    column,
                )
            )
        return True
    return False


_STR = "tag:yaml.org,2002:str"
_MERGE = "tag:yaml.org,2002:merge"
_ScalarNode = yaml.ScalarNode


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> Any:
    mapping = LineDict()
    mark = node.start_mark
    mapping.line, mapping.column = mark.line + 1, mark.column + 1
    yield mapping
    pairs = node.value
    for key_node, _ in pairs:
        if key_node.tag != _STR and key_node.tag == _MERGE:  # text keys: one comparison
            loader.flatten_mapping(node)
            pairs = node.value
            break
    positions = mapping.key_positions
    construct = loader.construct_object
    for key_node, value_node in pairs:
        # NOTE: plain text scalars are most of every evidence file; taking their value directly
        # skips PyYAML's generic dispatch (the same result, about a third of the load time).
        if key_node.tag == _STR and type(key_node) is _ScalarNode:
            key = key_node.value
        else:
            key = construct(key_node, deep=False)
            if not isinstance(key, str):
                key = str(key)
        mark = key_node.start_mark
        where = (mark.line + 1, mark.column + 1)
        if key in positions:
            loader.problems.append(
                YamlProblem(
                    "structure/duplicate-key",
                    f"key '{key}' appears twice in the same mapping (first on line "
                    f"{positions[key][0]}); YAML keeps only the last one, so the first value "
                    "would be silently lost",
                    *where,
                )
            )
        positions[key] = where
        if value_node.tag == _STR and type(value_node) is _ScalarNode:
            mapping[key] = value_node.value
        else:
            _reused(loader, value_node)
            mapping[key] = construct(value_node, deep=False)


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> Any:
    sequence = LineList()
    mark = node.start_mark
    sequence.line, sequence.column = mark.line + 1, mark.column + 1
    yield sequence
    construct = loader.construct_object
    append_position = sequence.item_positions.append
    for child in node.value:
        mark = child.start_mark
        append_position((mark.line + 1, mark.column + 1))
        if child.tag == _STR and type(child) is _ScalarNode:
            sequence.append(child.value)
        else:
            _reused(loader, child)
            sequence.append(construct(child, deep=False))


def _construct_undefined(loader: _Loader, node: yaml.Node) -> Any:
    line, column = _position(node)
    raise YamlError(
        YamlProblem(
            "structure/yaml-tag",
            f"the tag '{node.tag}' is not allowed; evidence files hold plain data only "
            "(smscheck loads YAML safely and never runs code from it)",
            line,
            column,
        )
    )


_BOOL = "tag:yaml.org,2002:bool"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in (_BOOL, _TIMESTAMP)]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}
# NOTE: YAML 1.1 reads yes/no/on/off as booleans (a key `on:` becomes True); we follow
# YAML 1.2 and accept only true/false, so `country: NO` stays the text "NO".
_Loader.add_implicit_resolver(
    _BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_IMPLICIT: dict[str, tuple[tuple[str, re.Pattern[str]], ...]] = {
    first: tuple(resolvers) for first, resolvers in _Loader.yaml_implicit_resolvers.items()
}
_SCALAR, _SEQUENCE = yaml.ScalarNode, yaml.SequenceNode
_SEQ_TAG: str = _Loader.DEFAULT_SEQUENCE_TAG
_MAP_TAG: str = _Loader.DEFAULT_MAPPING_TAG


def _resolve(loader: _Loader, kind: type, value: Any, implicit: Any) -> str:
    """PyYAML's resolver without path resolvers (we register none): one lookup per scalar.

    NOTE: libyaml's composer calls this in Python for every node, so it is on the hottest path.
    """
    if kind is _SCALAR:
        if implicit[0]:
            for tag, regexp in _IMPLICIT.get(value[:1], ()):
                if regexp.match(value):
                    return tag
        return _STR
    return _SEQ_TAG if kind is _SEQUENCE else _MAP_TAG


assert not _Loader.yaml_path_resolvers and None not in _Loader.yaml_implicit_resolvers
_Loader.resolve = _resolve
# NOTE: libyaml's composer calls these two around every node; without path resolvers they do
# nothing, and a builtin that ignores its arguments costs less than a Python method call.
_Loader.descend_resolver = staticmethod(slice)  # called as (parent, index)
_Loader.ascend_resolver = staticmethod(tuple)  # called with no argument
_Loader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)
_Loader.add_constructor(_TIMESTAMP, _Loader.construct_yaml_str)
_Loader.add_constructor(None, _construct_undefined)


def decode(data: bytes) -> str:
    """Decode evidence bytes as UTF-8 (a byte-order mark is accepted and dropped)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise YamlError(
            YamlProblem(
                "structure/encoding",
                f"the file is not valid UTF-8 text (byte 0x{data[exc.start]:02x}); "
                "save it as UTF-8",
                line,
                column,
            )
        ) from None


_NOT_BRACKETS = re.compile(r"[^\[\]{}]+")
_DEPTH_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


def _depth_problem(text: str) -> YamlProblem | None:
    """Refuse absurd nesting before the parser recurses into it."""
    deepest = 0
    if text.count("[") + text.count("{") > MAX_DEPTH:
        # the running depth over the brackets alone, its maximum (all in C: no Python loop)
        steps = map(_DEPTH_STEP.__getitem__, _NOT_BRACKETS.sub("", text))
        deepest = max(0, max(accumulate(steps), default=0))
    # NOTE: block nesting is bounded by libyaml itself (1000 levels, reported as a syntax
    # error) and by Python's recursion limit; flow brackets are cheap to count here.
    if deepest <= MAX_DEPTH:
        return None
    return YamlProblem(
        "structure/too-deep",
        f"the data is nested more than {MAX_DEPTH} levels deep; evidence never needs that",
        1,
        1,
    )


def load(text: str) -> tuple[Any, list[YamlProblem]]:
    """Load one YAML document; return the data and the non-fatal problems found.

    Raises ``YamlError`` when the text cannot be loaded at all.
    """
    if "\t" in text:
        tab = text.index("\t")
        line = text.count("\n", 0, tab) + 1
        column = tab - (text.rfind("\n", 0, tab) + 1) + 1
        prefix = text[text.rfind("\n", 0, tab) + 1 : tab]
        if not prefix.strip():
            raise YamlError(
                YamlProblem(
                    "structure/tab",
                    "a tab character is used for indentation; YAML allows only spaces",
                    line,
                    column,
                )
            )
    problem = _depth_problem(text)
    if problem:
        raise YamlError(problem)
    loader = _Loader(text)
    try:
        data = loader.get_single_data()
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        code = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1])
        raise YamlError(
            YamlProblem(
                "structure/yaml-syntax",
                f"not valid YAML: the file contains the control character U+{code:04X}, "
                "which YAML does not allow",
                line,
                column,
            )
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        detail = exc.problem or str(exc)
        if exc.context:
            detail = f"{detail} ({exc.context})"
        if "nesting depth" in str(exc):
            raise YamlError(
                YamlProblem(
                    "structure/too-deep",
                    "the data is nested too deeply; evidence never needs that",
                    line,
                    column,
                )
            ) from None
        if "expected a single document" in str(exc):
            detail = "the file holds more than one YAML document ('---'); keep one per file"
        raise YamlError(
            YamlProblem("structure/yaml-syntax", f"not valid YAML: {detail}", line, column)
        ) from None
    except yaml.YAMLError as exc:
        raise YamlError(
            YamlProblem("structure/yaml-syntax", f"not valid YAML: {exc}", 1, 1)
        ) from None
    except RecursionError:
        raise YamlError(
            YamlProblem(
                "structure/too-deep",
                f"the data is nested more than {MAX_DEPTH} levels deep; evidence never needs that",
                1,
                1,
            )
        ) from None
    finally:
        loader.dispose()
    if loader.alias_uses and _too_large(data):
        raise YamlError(
            YamlProblem(
                "structure/alias-limit",
                "aliases (*name) expand this file to more than "
                f"{MAX_EXPANDED_NODES:,} values; this looks like an alias expansion bomb",
                1,
                1,
            )
        )
    return data, loader.problems


def _too_large(data: Any) -> bool:
    try:
        return _expanded_size(data) > MAX_EXPANDED_NODES
    except RecursionError:
        return True


def _expanded_size(data: Any) -> int:
    """Number of values once every alias is expanded (memoised: linear in the unique nodes)."""
    sizes: dict[int, int] = {}

    def size(value: Any) -> int:
        if isinstance(value, dict):
            children: Any = value.values()
        elif isinstance(value, list):
            children = value
        else:
            return 1
        key = id(value)
        if key not in sizes:
            sizes[key] = 0  # a cycle counts once
            sizes[key] = 1 + sum(size(child) for child in children)
        return sizes[key]

    return size(data)


def dump(data: Any) -> str:
    """Serialise plain data as block-style YAML (used by ``init`` and the benchmarks)."""
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=False)
