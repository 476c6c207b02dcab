"""Reading YAML: a fast safe loader with YAML 1.2 rules and limits on size, nodes and depth.

Decoding the bytes is in ``decoding.py``; finding a line and column for a location is in
``positions.py``.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from typing import Any, ClassVar

import yaml
from ruamel.yaml.resolver import implicit_resolvers as _RUAMEL_RESOLVERS

from chibo4tot.i18n import N_, _
from chibo4tot.inputs.decoding import YamlProblem
from chibo4tot.inputs.slips import find_slip

MAX_NODES = 200_000
MAX_DEPTH = 100


# --- fast loader -------------------------------------------------------------------------
# PyYAML's C parser is several times faster than ruamel, but speaks YAML 1.1. We give it
# ruamel's own YAML 1.2 resolvers and ruamel's number rules, so both loaders agree (tested).

_CLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


# A plain scalar's tag depends on its text alone (no path resolvers), and the same short texts
# (keys, "Đạt", small numbers) recur in every record: resolving each once saves a regex scan per node.
_RESOLVED: dict[str, str] = {}
_RESOLVED_MAX = 50_000
_RESOLVED_TEXT_MAX = 64


class _Loader(_CLoader):  # type: ignore[misc]
    yaml_implicit_resolvers: ClassVar[dict[Any, Any]] = {}

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is not yaml.ScalarNode or not implicit[0]:
            return super().resolve(kind, value, implicit)
        tag = _RESOLVED.get(value)
        if tag is None:
            tag = super().resolve(kind, value, implicit)
            if len(value) <= _RESOLVED_TEXT_MAX:
                if len(_RESOLVED) >= _RESOLVED_MAX:
                    _RESOLVED.clear()
                _RESOLVED[value] = tag
        return tag


for _versions, _tag, _regexp, _first in _RUAMEL_RESOLVERS:
    if (1, 2) in _versions and _tag not in ("tag:yaml.org,2002:value", "tag:yaml.org,2002:yaml"):
        _Loader.add_implicit_resolver(_tag, _regexp, _first)


def _bad_number(node: yaml.ScalarNode) -> yaml.constructor.ConstructorError:
    return yaml.constructor.ConstructorError(None, None, "invalid number", node.start_mark)


def _construct_int(loader: Any, node: yaml.ScalarNode) -> int:
    text = str(loader.construct_scalar(node)).replace("_", "")
    sign = -1 if text.startswith("-") else 1
    text = text[1:] if text[:1] in "+-" else text
    try:
        for prefix, base in (("0b", 2), ("0x", 16), ("0o", 8)):
            if text.startswith(prefix):
                return sign * int(text[2:], base)
        return sign * int(text)
    except ValueError:
        raise _bad_number(node) from None


def _construct_float(loader: Any, node: yaml.ScalarNode) -> float:
    text = str(loader.construct_scalar(node)).replace("_", "").lower()
    sign = -1.0 if text.startswith("-") else 1.0
    text = text[1:] if text[:1] in "+-" else text
    if text == ".inf":
        return sign * float("inf")
    if text == ".nan":
        return float("nan")
    try:
        return sign * float(text)
    except ValueError:
        raise _bad_number(node) from None


def _construct_bool(loader: Any, node: yaml.ScalarNode) -> bool:
    return str(loader.construct_scalar(node)).lower() == "true"


def _construct_timestamp(loader: Any, node: yaml.ScalarNode) -> Any:
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except (ValueError, AttributeError):  # 2024-02-30; or a !!timestamp that is not a date at all
        raise yaml.constructor.ConstructorError(None, None, "invalid date", node.start_mark) from None


_Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)
_Loader.add_constructor("tag:yaml.org,2002:float", _construct_float)
_Loader.add_constructor("tag:yaml.org,2002:bool", _construct_bool)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)

_SYNTAX_MESSAGES = {
    "mapping values are not allowed": N_("dấu hai chấm không đúng chỗ (thiếu dấu nháy hoặc sai thụt lề?)"),
    "did not find expected ',' or ']'": N_("danh sách [..] chưa đóng hoặc thiếu dấu phẩy"),
    "did not find expected ',' or '}'": N_("bảng {..} chưa đóng hoặc thiếu dấu phẩy"),
    "did not find expected node content": N_("thiếu giá trị (danh sách hoặc bảng chưa đóng?)"),
    "could not find expected ':'": N_("thiếu dấu hai chấm sau khóa"),
    "found character '\\t' that cannot start any token": N_("có ký tự tab: YAML chỉ thụt lề bằng dấu cách"),
    "found a tab character that violates indentation": N_("có ký tự tab: YAML chỉ thụt lề bằng dấu cách"),
    "expected <block end>, but found": N_("thụt lề không đúng"),
    "did not find expected key": N_("thụt lề không đúng hoặc thiếu dấu gạch đầu dòng"),
    "found undefined alias": N_("tham chiếu (*) tới một neo (&) chưa khai báo"),
    "found unexpected end of stream": N_("tệp kết thúc đột ngột (thiếu dấu nháy đóng?)"),
    "could not find expected": N_("cú pháp không đúng"),
    "expected a single document in the stream": N_("tệp chỉ được chứa một tài liệu YAML (bỏ bớt dấu ---)"),
    "invalid number": N_("số không hợp lệ (nếu là chữ, hãy đặt trong dấu nháy)"),
    "invalid date": N_("ngày không có thật hoặc viết sai (ví dụ đúng: 2024-03-12)"),
    "could not determine a constructor for the tag": N_("thẻ YAML (!...) không được hỗ trợ"),
    "found unhashable key": N_("khóa phải là một giá trị đơn, không phải danh sách hay bảng"),
    "while scanning a quoted scalar": N_("chuỗi trong dấu nháy chưa được đóng"),
    "found unknown escape character": N_("ký tự thoát (\\) không hợp lệ trong chuỗi dấu nháy kép"),
    "found character that cannot start any token": N_(
        "có ký tự không được phép ở đầu giá trị (hãy đặt giá trị trong dấu nháy)"
    ),
}


_SYNTAX_ERROR = N_("cú pháp không đúng")
_VALUE_PROBLEMS = frozenset({"invalid number", "invalid date"})


def _syntax_message(exc: yaml.YAMLError) -> str:
    """PyYAML's problem in Vietnamese. Its English wording differs between versions and between
    the C and Python parsers, so a problem we do not recognise gets a general message (the
    caller keeps its line:col), never PyYAML's own words."""
    problem = str(getattr(exc, "problem", "") or "")
    context = str(getattr(exc, "context", "") or "")
    for needle, message in _SYNTAX_MESSAGES.items():
        if needle in problem or needle in context:
            if needle in _VALUE_PROBLEMS:  # the syntax is fine, the value is not
                return _(message)
            return _("lỗi cú pháp YAML: {detail}").format(detail=_(message))
    return _("lỗi cú pháp YAML: {detail}").format(detail=_(_SYNTAX_ERROR))


# YAML allows these characters only; the reader stops at any other (control characters mostly).
_NOT_PRINTABLE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _unreadable(text: str) -> YamlProblem:
    """The reader's error, located by us: libyaml counts its position in bytes, PyYAML in characters."""
    found = _NOT_PRINTABLE.search(text)
    if found is None:
        return YamlProblem(_("lỗi cú pháp YAML: {detail}").format(detail=_(_SYNTAX_ERROR)))
    start = found.start()
    return YamlProblem(
        _("có ký tự điều khiển không được phép (mã U+{code:04X}); hãy xóa ký tự này").format(
            code=ord(found.group())
        ),
        text.count("\n", 0, start) + 1,
        start - (text.rfind("\n", 0, start) + 1) + 1,
    )


def _mark(mark: Any) -> tuple[int | None, int | None]:
    if mark is None:
        return None, None
    return mark.line + 1, mark.column + 1


def _check_graph(root: yaml.Node) -> list[YamlProblem]:
    """Duplicate keys, and the expanded size of the graph (alias bombs, cycles)."""
    problems: list[YamlProblem] = []
    sizes: dict[int, int] = {}
    active: set[int] = set()

    def size(node: yaml.Node) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in active:
            raise YamlProblem(_("tham chiếu vòng (neo & trỏ vào chính nó)"), *_mark(node.start_mark))
        active.add(key)
        total = 1
        if isinstance(node, yaml.MappingNode):
            seen: dict[tuple[str, str], Any] = {}
            for key_node, value_node in node.value:
                if isinstance(key_node, yaml.ScalarNode) and key_node.tag != "tag:yaml.org,2002:merge":
                    ident = (key_node.tag, key_node.value)
                    if ident in seen:
                        first_line = seen[ident].line + 1
                        problems.append(
                            YamlProblem(
                                _("khóa “{key}” bị lặp lại (đã có ở dòng {line})").format(
                                    key=key_node.value, line=first_line
                                ),
                                *_mark(key_node.start_mark),
                            )
                        )
                    else:
                        seen[ident] = key_node.start_mark
                total += size(key_node) + size(value_node)
                if total > MAX_NODES:
                    break
        elif isinstance(node, yaml.SequenceNode):
            for child in node.value:
                total += size(child)
                if total > MAX_NODES:
                    break
        active.discard(key)
        sizes[key] = total
        return total

    if size(root) > MAX_NODES:
        return [
            YamlProblem(
                _("tệp quá phức tạp: các tham chiếu (&, *) bung ra quá {limit} phần tử").format(
                    limit=f"{MAX_NODES:,}".replace(",", ".")
                ),
                *_mark(root.start_mark),
            )
        ]
    return problems


def _depth_bound(text: str) -> int:
    """A cheap upper bound of the nesting depth (never below the real depth)."""
    bound = flow = 0
    for line in text.splitlines():
        stripped = line.lstrip(" ")
        opens = line.count("[") + line.count("{")
        flow = max(flow + opens - line.count("]") - line.count("}"), 0)
        depth = len(line) - len(stripped) + stripped.count("-") + flow + opens + 1
        bound = max(bound, depth)
    return bound


def _deepest(text: str, loader: Any) -> YamlProblem | None:
    depth = 0
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                return YamlProblem(
                    _("tệp lồng nhau quá sâu (hơn {limit} cấp)").format(limit=MAX_DEPTH),
                    *_mark(event.start_mark),
                )
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return None


def _too_deep(text: str) -> YamlProblem | None:
    """Exact depth from the event stream (libyaml's parser does not recurse, its composer does).

    Newer libyaml builds (PyYAML >= 6.0.3) stop deep flow collections in their scanner, with
    an English message, before any event reaches us. So when the C parser fails, the
    pure-Python parser (no such limit, no recursion) measures the depth. If both fail before
    the limit, it is an ordinary syntax error, which the normal load reports in its usual words.
    """
    for loader in (_CLoader, yaml.SafeLoader):
        try:
            return _deepest(text, loader)
        except yaml.YAMLError:
            continue
    return None


def _shallow(text: str) -> bool:
    """Whether :func:`_depth_bound` cannot exceed MAX_DEPTH, from a few C-speed counts.

    Per line that bound is indent + dashes + flow + opens + 1; the indent is shorter than the
    longest run of spaces, the dashes are at most all of the text's, and flow and opens at most
    all its ``[`` and ``{``. So when no run of ``room`` spaces exists, the bound is <= MAX_DEPTH.
    """
    brackets = text.count("[") + text.count("{")
    room = MAX_DEPTH - text.count("-") - 2 * brackets
    return room > 0 and " " * room not in text


class _NotPlain(Exception):
    """The fast builder met something only the full constructor and checks may decide."""


_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_SHARED_TEXT_MAX = 32
_PLAIN_SCALARS = frozenset(
    {
        _STR,
        "tag:yaml.org,2002:null",
        "tag:yaml.org,2002:bool",
        "tag:yaml.org,2002:int",
        "tag:yaml.org,2002:float",
        "tag:yaml.org,2002:timestamp",
    }
)


class _TreeBuilder:
    """The document's value when its nodes form a plain tree: no anchors, so no alias, cycle or
    sharing; no merge key; no tag beyond the core scalars, maps and lists; no two keys that load
    equal; at most MAX_NODES nodes. Anything else raises _NotPlain (or the constructor's error),
    and the caller then takes the full path, whose checks and constructor decide what to say.
    For a plain tree both give the same value; this one skips their bookkeeping per node.

    A class, not a recursive closure: a closure that calls itself is a reference cycle, and
    loading runs with the cyclic garbage collector off, so every file's nodes would stay alive.
    """

    __slots__ = ("constructors", "count", "loader")

    def __init__(self, loader: Any) -> None:
        self.loader = loader
        self.constructors = loader.yaml_constructors
        self.count = 1

    def build(self, node: yaml.Node) -> Any:
        kind = type(node)
        tag = node.tag
        if kind is yaml.ScalarNode:
            if tag == _STR:
                text = node.value
                # Ids, months and "Đạt" recur in every record: one shared copy each, not 60,000.
                return sys.intern(text) if len(text) <= _SHARED_TEXT_MAX else text
            if tag not in _PLAIN_SCALARS:
                raise _NotPlain
            return self.constructors[tag](self.loader, node)
        if kind is yaml.MappingNode and tag == _MAP:
            pairs = node.value
            self.count += 2 * len(pairs)
            if self.count > MAX_NODES:
                raise _NotPlain
            out: dict[Any, Any] = {}
            for key_node, value_node in pairs:
                if type(key_node) is not yaml.ScalarNode:
                    raise _NotPlain
                key = self.build(key_node)
                # equal keys (a duplicate, or 1 and 0x1) and NaN keys are for the full checks
                if key in out or key != key:
                    raise _NotPlain
                out[key] = self.build(value_node)
            return out
        if kind is yaml.SequenceNode and tag == _SEQ:
            items = node.value
            self.count += len(items)
            if self.count > MAX_NODES:
                raise _NotPlain
            return [self.build(item) for item in items]
        raise _NotPlain


def fast_load(text: str) -> Any:
    """Parse one YAML document safely; raises a list of YamlProblems as ``YamlErrors``."""
    if not _shallow(text) and _depth_bound(text) > MAX_DEPTH and (deep := _too_deep(text)) is not None:
        raise YamlErrors([deep])
    loader = _Loader(text)
    try:
        try:
            node = loader.get_single_node()
            if node is None:
                raise YamlErrors([YamlProblem(_("tệp rỗng: chưa có nội dung nào"), 1, 1)])
            if "&" not in text:  # no anchor, so no alias: the nodes are a tree
                try:
                    return _TreeBuilder(loader).build(node)
                except Exception:  # any doubt: the full path below decides
                    pass
            try:
                problems = _check_graph(node)
            except YamlProblem as cycle:
                problems = [cycle]
            if problems:
                raise YamlErrors(problems)
            return loader.construct_document(node)
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        line, col = _mark(exc.problem_mark or exc.context_mark)
        slip = find_slip(text, lambda fixed, _at: _gets_past(fixed, line), line)
        raise YamlErrors([slip or YamlProblem(_syntax_message(exc), line, col)]) from None
    except yaml.reader.ReaderError:
        raise YamlErrors([_unreadable(text)]) from None
    except yaml.YAMLError as exc:
        raise YamlErrors([YamlProblem(_syntax_message(exc))]) from None
    except RecursionError:
        raise YamlErrors([YamlProblem(_("tệp lồng nhau quá sâu"), 1, 1)]) from None


def _load(text: str) -> Any:
    loader = _Loader(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def _gets_past(text: str, line: int | None) -> bool:
    """Whether ``text`` (a corrected copy) parses, or fails only after ``line``."""
    try:
        _load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        return line is not None and mark is not None and mark.line + 1 > line
    except (yaml.YAMLError, RecursionError):
        return False
    return True


def _mapping_or_further(text: str, line: int) -> bool:
    """Whether ``text`` (a file that read as one value, corrected at ``line``) now reads as a
    mapping, or at least as one up to a later line (the next slip)."""
    try:
        return isinstance(_load(text), dict)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        return mark is not None and mark.line + 1 > line
    except (yaml.YAMLError, RecursionError):
        return False


def slip_in_scalar_file(text: str) -> YamlProblem | None:
    """Why a file that parsed is not a mapping, when a slip explains it: ``unit:pa-vi`` alone
    reads as one piece of text."""
    return find_slip(text, _mapping_or_further)


KeyValue = Callable[[yaml.Node], Any]


def compose(text: str) -> tuple[yaml.Node, KeyValue] | None:
    """The document's nodes, each with its start mark, and the function that builds one node's
    value by the fast loader's rules (for keys: ``1.2`` is a float there); None if the text does
    not parse. No value is built unless asked, so this stays cheap for a big file."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except (yaml.YAMLError, RecursionError):
        return None
    finally:
        loader.dispose()
    if node is None:
        return None

    def key_value(key: yaml.Node) -> Any:
        try:
            return loader.construct_object(key, deep=True)
        except (yaml.YAMLError, RecursionError, TypeError, ValueError):
            return key.value if isinstance(key, yaml.ScalarNode) else None

    return node, key_value


class YamlErrors(Exception):
    """Every YAML-level problem of one file."""

    def __init__(self, problems: list[YamlProblem]) -> None:
        super().__init__(problems[0].message if problems else "")
        self.problems = problems
