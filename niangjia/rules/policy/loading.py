"""Read policy and parameter YAML files into :mod:`~niangjia.rules.policy.model` objects, keeping line numbers.

Structural checks live here; formula checks (names, types, declared fields) happen when the
policy is compiled (:func:`niangjia.rules.policy.pack.validate_policy`), still reported with file + line.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from niangjia.rules.policy.arithmetic import read_arithmetic
from niangjia.rules.policy.errors import PolicyError, PolicyIssue
from niangjia.rules.policy.model import Amount, DocumentRule, Level, MemberFact, Policy, Rule
from niangjia.rules.policy.parameters import Parameter

PARAMETERS_FILE = "parameters.yaml"
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_REGION = re.compile(r"^\d{6}(\d{3}){0,2}$")
Path_ = tuple[Any, ...]
TOP_KEYS = {
    "id",
    "name",
    "version",
    "status",
    "issuer",
    "legal_basis",
    "effective",
    "entity",
    "reads",
    "parameters",
    "uses",
    "applies_to",
    "member_let",
    "let",
    "member_missing",
    "exclusions",
    "conditions",
    "levels",
    "no_level",
    "amount",
    "arithmetic",
    "documents",
    "tests",
}


# libyaml's parser (PyYAML's C extension) when the wheel has it: same nodes and line marks, ~5× faster.
_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(path: Path) -> tuple[Any, dict[Path_, int], bytes]:
    """Parse YAML keeping a 1-based line number for every key and list item."""
    raw = path.read_bytes()
    loader = _LOADER(raw.decode("utf-8"))
    try:
        node = loader.get_single_node()
        lines: dict[Path_, int] = {}
        data = _build(loader, node, (), lines) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        raise PolicyError(
            [
                PolicyIssue(
                    str(path),
                    line,
                    f"YAML 格式错误：{getattr(exc, 'problem', exc)}",
                    "检查缩进（用空格不用 Tab）、冒号后的空格和引号是否成对",
                )
            ]
        ) from None
    finally:
        loader.dispose()
    return data, lines, raw


def _build(loader: yaml.SafeLoader, node: yaml.Node, path: Path_, lines: dict[Path_, int]) -> Any:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)  # honour YAML merge keys (<<: *defaults) in test rows
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node)
            key = str(key) if not isinstance(key, str) else key
            lines[(*path, key)] = key_node.start_mark.line + 1
            out[key] = _build(loader, value_node, (*path, key), lines)
            lines[(*path, key)] = key_node.start_mark.line + 1
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_build(loader, item, (*path, i), lines) for i, item in enumerate(node.value)]
    return loader.construct_object(node)


class _Reader:
    """Collects issues while pulling typed values out of the parsed YAML."""

    def __init__(self, path: Path, data: Any, lines: dict[Path_, int]) -> None:
        self.file, self.data, self.lines = str(path), data, lines
        self.issues: list[PolicyIssue] = []

    def line(self, path: Path_) -> int | None:
        while path and path not in self.lines:
            path = path[:-1]
        return self.lines.get(path)

    def fail(self, path: Path_, message: str, fix: str) -> None:
        self.issues.append(PolicyIssue(self.file, self.line(path), message, fix))

    def get(self, path: Path_, kind: type | tuple[type, ...], required: bool = True, default: Any = None) -> Any:
        node: Any = self.data
        for key in path:
            if (isinstance(node, dict) and key in node) or (
                isinstance(node, list) and isinstance(key, int) and key < len(node)
            ):
                node = node[key]
            else:
                if required:
                    self.fail(path[:-1], f"缺少字段 {_dotted(path)}", f"加上 {path[-1]}: …")
                return default
        if node is None and not required:
            return default
        if not isinstance(node, kind) or (kind is int and isinstance(node, bool)):
            self.fail(path, f"{_dotted(path)} 的类型不对：{type(node).__name__}", f"应为 {_kind_name(kind)}")
            return default
        return node


def _dotted(path: Path_) -> str:
    return ".".join(str(p) for p in path) or "（文件顶层）"


def _kind_name(kind: type | tuple[type, ...]) -> str:
    names = {
        str: "文字",
        int: "整数",
        dict: "映射（键: 值）",
        list: "列表（- 项）",
        bool: "true/false",
        dt.date: "日期（YYYY-MM-DD）",
    }
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return " 或 ".join(names.get(k, k.__name__) for k in kinds)


def _decimal(r: _Reader, path: Path_, value: Any) -> Decimal | None:
    try:
        if isinstance(value, bool):
            raise InvalidOperation
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        r.fail(path, f"参数值不是数字：{value!r}", "写成数字，例如 850 或 0.8")
        return None


def read_parameters(r: _Reader, base: Path_) -> dict[str, Parameter]:
    """Read a ``parameters:`` mapping (shared file or inline in a policy)."""
    out: dict[str, Parameter] = {}
    for name in r.get(base, dict, required=False, default={}):
        p = (*base, name)
        if not _ID.match(name):
            r.fail(p, f"参数名不合法：{name}", "只用小写字母、数字和下划线，字母开头")
        unit = r.get((*p, "unit"), str, required=False, default="number")
        if unit not in ("yuan", "number"):
            r.fail((*p, "unit"), f"未知的单位：{unit}", "unit 只能是 yuan（元）或 number")
        values: dict[str, tuple[tuple[dt.date, Any], ...]] = {}
        keys: set[str] = set()
        for region, rows in r.get((*p, "values"), dict, default={}).items():
            rp = (*p, "values", region)
            if not _REGION.match(str(region)):
                r.fail(
                    rp, f"区划代码不合法：{region}", '写成 6 位（或 9/12 位）GB/T 2260 代码，并加引号，例如 "610100"'
                )
            dated = []
            for i, _row in enumerate(rows if isinstance(rows, list) else []):
                start = r.get((*rp, i, "from"), dt.date)
                raw = r.get((*rp, i, "value"), (int, float, str, dict))
                if isinstance(raw, dict):
                    keys |= set(raw)
                    value: Any = {str(k): _decimal(r, (*rp, i, "value", k), v) for k, v in raw.items()}
                else:
                    value = _decimal(r, (*rp, i, "value"), raw)
                if start is not None:
                    dated.append((start, value))
            if not isinstance(rows, list) or not dated:
                r.fail(rp, f"参数 {name} 的区划 {region} 没有取值", "写成列表：- {from: 2025-01-01, value: 850}")
            if len({d for d, _ in dated}) != len(dated):
                r.fail(rp, f"参数 {name} 的区划 {region} 有重复的起始日期", "每个起始日期只写一次")
            values[str(region)] = tuple(sorted(dated, key=lambda x: x[0]))
        out[name] = Parameter(
            name,
            r.get((*p, "label"), str, required=False, default=name),
            unit,
            values,
            tuple(sorted(keys)),
            r.get((*p, "reference"), str, required=False, default=""),
        )
    return out


def load_parameters(path: Path) -> tuple[dict[str, Parameter], str]:
    """Load the shared parameter file; return the parameters and the file's sha256."""
    data, lines, raw = read_yaml(path)
    r = _Reader(path, data, lines)
    params = read_parameters(r, ("parameters",))
    if r.issues:
        raise PolicyError(r.issues)
    return params, hashlib.sha256(raw).hexdigest()


def _rule(r: _Reader, p: Path_, exclusion: bool) -> Rule:
    def text(key: str, default: str = "") -> str:
        return str(r.get((*p, key), str, required=False, default=default))

    rid = r.get((*p, "id"), str, default="?")
    when = r.get((*p, "when"), (str, bool), default="False")
    fail = r.get((*p, "fail"), str, default="")
    if not exclusion:
        r.get((*p, "pass"), str)  # a condition must say why it holds
    return Rule(
        rid,
        str(when),
        text("pass"),
        fail,
        text("unknown", f"无法判断：{rid}"),
        text("hint"),
        text("missing"),
        r.line(p) or 0,
    )


def load_policy(path: Path, shared: dict[str, Parameter] | None = None, shared_hash: str = "") -> Policy:
    """Load and structurally validate one policy file; raise :class:`PolicyError` with every issue."""
    data, lines, raw = read_yaml(path)
    r = _Reader(path, data, lines)
    if not isinstance(data, dict):
        raise PolicyError(
            [PolicyIssue(str(path), 1, "政策文件必须是映射（键: 值）", "参照 policies/warmth.yaml 的结构")]
        )
    for key in data:
        if key not in TOP_KEYS and not str(key).startswith("x-"):
            r.fail(
                (key,),
                f"未知的字段：{key}",
                f"检查拼写；可用字段：{'、'.join(sorted(TOP_KEYS))}；以 x- 开头的键可存放 YAML 锚点",
            )
    pid = r.get(("id",), str, default="")
    if pid and (not _ID.match(pid) or pid != path.stem):
        r.fail(
            ("id",),
            f"政策编号 {pid} 与文件名 {path.name} 不符或不合法",
            f"把文件命名为 {pid}.yaml，编号只用小写字母、数字、下划线",
        )
    status = r.get(("status",), str, default="draft")
    if status not in ("draft", "published"):
        r.fail(("status",), f"未知的状态：{status}", "status 只能是 draft 或 published")
    entity = r.get(("entity",), str, default="household")
    if entity not in ("household", "person"):
        r.fail(("entity",), f"未知的对象类型：{entity}", "entity 只能是 household（家庭）或 person（个人）")
    version = r.get(("version",), (str, int, float), default="")
    own = read_parameters(r, ("parameters",))
    params = dict(own)
    for i, name in enumerate(r.get(("uses",), list, required=False, default=[])):
        if shared is None or name not in shared:
            r.fail(("uses", i), f"共享参数 {name} 不存在", f"在 policies/{PARAMETERS_FILE} 中定义它，或改正拼写")
        elif name in params:
            r.fail(("uses", i), f"参数 {name} 既在本文件定义又引用共享参数", "删除其中之一")
        else:
            params[name] = shared[name]
    reads = r.get(("reads",), dict, default={})
    for field, level in reads.items():
        if level not in ("sensitive", "normal"):
            r.fail(("reads", field), f"{field} 的敏感级别不对：{level}", "写 sensitive 或 normal")
    lets = {
        section: {
            k: (str(v), r.line((section, k)) or 0)
            for k, v in r.get((section,), dict, required=False, default={}).items()
        }
        for section in ("member_let", "let")
    }
    levels = tuple(
        Level(
            r.get(("levels", i, "id"), str, default="?"),
            r.get(("levels", i, "label"), str, default="?"),
            str(r.get(("levels", i, "when"), (str, bool), default="False")),
            r.get(("levels", i, "text"), str, required=False, default=""),
            r.line(("levels", i)) or 0,
        )
        for i in range(len(r.get(("levels",), list, required=False, default=[])))
    )
    amount = None
    if isinstance(data.get("amount"), dict):
        a = ("amount",)
        amount = Amount(
            str(r.get((*a, "value"), (str, int, float), default="0")),
            _opt_str(r, (*a, "cap")),
            _opt_str(r, (*a, "paid")),
            r.get((*a, "text"), str, default=""),
            r.get((*a, "zero"), str, required=False, default="可发金额为零"),
            r.line(a) or 0,
        )
    docs = tuple(
        DocumentRule(
            r.get(("documents", i, "kind"), str, default="?"),
            str(r.get(("documents", i, "when"), (str, bool), required=False, default="True")),
            r.line(("documents", i)) or 0,
        )
        for i in range(len(r.get(("documents",), list, required=False, default=[])))
    )
    effective_to = r.get(("effective", "to"), dt.date, required=False)
    arithmetic_members, arithmetic = read_arithmetic(r, data)
    applies_to = _opt_str(r, ("applies_to",))
    if applies_to is not None and entity != "person":
        r.fail(("applies_to",), "applies_to 只用于个人政策", "删去 applies_to，或把 entity 改为 person")
    if data.get("member_missing") and entity != "household":
        r.fail(
            ("member_missing",), "member_missing 只用于家庭政策", "个人政策缺少的信息就是这个人的，删去 member_missing"
        )
    member_missing = tuple(
        MemberFact(
            r.get(("member_missing", i, "fact"), str, default="?"),
            str(r.get(("member_missing", i, "when"), (str, bool), default="False")),
            r.line(("member_missing", i)) or 0,
        )
        for i in range(len(r.get(("member_missing",), list, required=False, default=[])))
    )
    policy = Policy(
        id=pid,
        name=r.get(("name",), str, default=""),
        version=str(version),
        status=status,
        issuer=r.get(("issuer",), str, default=""),
        legal_basis=tuple(str(x) for x in r.get(("legal_basis",), list, default=[])),
        effective_from=r.get(("effective", "from"), dt.date, default=dt.date.min),
        effective_to=effective_to,
        entity=entity,
        reads=dict(reads),
        parameters=params,
        member_let=lets["member_let"],
        let=lets["let"],
        exclusions=tuple(
            _rule(r, ("exclusions", i), True)
            for i in range(len(r.get(("exclusions",), list, required=False, default=[])))
        ),
        conditions=tuple(
            _rule(r, ("conditions", i), False)
            for i in range(len(r.get(("conditions",), list, required=False, default=[])))
        ),
        levels=levels,
        no_level_text=r.get(("no_level", "text"), str, required=bool(levels), default=""),
        no_level_hint=r.get(("no_level", "hint"), str, required=False, default=""),
        amount=amount,
        documents=docs,
        tests=tuple(r.get(("tests",), list, required=False, default=[])),
        path=str(path),
        content_hash=hashlib.sha256(raw).hexdigest(),
        parameters_hash=shared_hash,
        lines=lines,
        arithmetic_members=arithmetic_members,
        arithmetic=arithmetic,
        applies_to=applies_to or "",
        applies_to_line=r.line(("applies_to",)) or 0,
        member_missing=member_missing,
    )
    if r.issues:
        raise PolicyError(r.issues)
    return policy


def _opt_str(r: _Reader, path: Path_) -> str | None:
    value = r.get(path, (str, int, float), required=False)
    return None if value is None else str(value)


def policy_files(directory: Path) -> list[Path]:
    """The policy files of a directory (every ``*.yaml`` except the shared parameter file)."""
    return sorted(p for p in directory.glob("*.yaml") if p.name != PARAMETERS_FILE)
