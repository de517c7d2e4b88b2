"""Importing a roster of staff (most often cadres) from an xlsx, xls or csv file.

    result = staff_import(path=path, actor=user, dry_run=True)

The file is read by core's bounded reader (`core.tabular`: `read_rows`, header matching, the
cell parsers), and reported in the same shape as the registry's rosters (row, column, value,
Chinese reason with the fix, in file order). All or nothing by default; `good_rows_only` takes
the good rows and reports the rest. The accounts are created by `staff_bulk_onboard`, each with a one-time password the user
replaces at first login; the passwords are in the result only, never stored or audited.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from itertools import count
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError

from niangjia.core.identifiers import normalize_phone
from niangjia.core.pinyin import name_pinyin
from niangjia.core.roles import Role
from niangjia.core.scoping import Action, restrict
from niangjia.core.tabular import cells
from niangjia.core.tabular.columns import PHONE_ALIASES, Column
from niangjia.core.tabular.errors import ImportFileError, RowError, error_keep, errors_in_order
from niangjia.core.tabular.reading import read_rows
from niangjia.core.tabular.rows import Row, find_header, parse_rows
from niangjia.orgs.granting import GRANTABLE, ROLE_LEVELS, check_level, grantable_roles, role_label
from niangjia.orgs.models import StaffUser, UnionOrg
from niangjia.orgs.services.staff import USERNAME_MESSAGE, USERNAME_RE, StaffDraft, staff_bulk_onboard

ROLE_SYNONYMS = {
    "干部": Role.CADRE,
    "工会干部": Role.CADRE,
    "企业工会主席": Role.ENTERPRISE_CHAIR,
    "工会主席": Role.ENTERPRISE_CHAIR,
    "主席": Role.ENTERPRISE_CHAIR,
    "领导": Role.LEADER,
    "区县工作人员": Role.DISTRICT_STAFF,
    "区总工作人员": Role.DISTRICT_STAFF,
    "市总管理员": Role.CITY_ADMIN,
}

COLUMNS: tuple[Column, ...] = (
    Column(
        "display_name", "姓名", cells.text(64), aliases=("名字", "干部姓名", "人员姓名"), required=True,
        note="最多 64 个字",
    ),
    Column(
        "username", "用户名", cells.text(150),
        aliases=("工号", "工号/用户名", "用户名/工号", "账号", "登录名", "登录账号", "帐号"),
        note="登录用，字母、数字和 . _ - @ +；留空则按姓名拼音生成",
    ),
    Column(
        "org", "所属组织", cells.text(100),
        aliases=("组织", "所在组织", "所属工会", "工会", "工会组织", "组织名称", "组织标识", "单位"), required=True,
        note="组织全称或组织标识，须在您的管辖范围内",
    ),
    Column("phone", "手机号", cells.raw_identifier, aliases=PHONE_ALIASES, note="选填"),
    Column(
        "role", "角色", cells.choice(Role, synonyms=ROLE_SYNONYMS, what="角色"), aliases=("职务", "身份"),
        options=tuple(str(label) for label in Role.labels), note="留空为“工会干部”",
    ),
)  # fmt: skip
TITLES = {column.key: column.header for column in COLUMNS}


@dataclass
class StaffImportResult:
    """What reading (and perhaps committing) a staff roster found; `accounts` hold the one-time passwords."""

    rows: int = 0
    new: int = 0
    error_rows: int = 0
    error_count: int = 0
    errors: list[RowError] = field(default_factory=list)
    committed: bool = False
    ignored_headers: list[str] = field(default_factory=list)
    # (row, username, name, organization, role label, one-time password or "" in a dry run)
    accounts: list[tuple[int, str, str, str, str, str]] = field(default_factory=list)

    def add_error(self, error: RowError) -> None:
        self.error_count += 1
        error_keep(self.errors, error)

    def summary(self) -> str:
        """One Chinese sentence of counts."""
        state = "已导入" if self.committed else "未写入"
        return (
            f"工作人员导入（{state}）：共 {self.rows} 行，新增 {self.new} 人，"
            f"有错误 {self.error_rows} 行（{self.error_count} 处）。"
        )

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready form without the passwords (the web preview stores it beside the upload)."""
        data = asdict(self)
        data["errors"] = [asdict(error) for error in self.errors]
        data["accounts"] = [(*account[:5], "") for account in self.accounts]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> StaffImportResult:
        values = dict(data)
        values["errors"] = [RowError(**error) for error in values.get("errors", [])]
        values["accounts"] = [tuple(account) for account in values.get("accounts", [])]
        return cls(**values)


def staff_import(
    *,
    path: Path,
    actor: StaffUser | None,
    dry_run: bool = False,
    good_rows_only: bool = False,
    file_label: str = "",
    max_bytes: int | None = None,
) -> StaffImportResult:
    """Read a staff roster and create its accounts on behalf of `actor` (None: the system, unscoped).

    Raises ImportFileError when the file as a whole cannot be read.
    """
    result = StaffImportResult()
    rows = read_rows(Path(path), limit=max_bytes)
    header = find_header(rows, COLUMNS, advice="请下载工作人员导入模板对照列名。")
    result.ignored_headers = header.ignored
    checker = _Checker(actor, header.titles)
    drafts: list[tuple[int, StaffDraft]] = []
    for row in parse_rows(rows, header, COLUMNS):
        result.rows += 1
        draft = checker.check(row)
        for error in row.errors:
            result.add_error(error)
        if row.errors:
            result.error_rows += 1
        elif draft is not None:
            drafts.append((row.number, draft))
    errors_in_order(result.errors)
    if not drafts and not result.rows:
        raise ImportFileError("文件中没有数据行：表头下面全是空行。请填写后再导入。")
    result.new = len(drafts)
    commit = not dry_run and drafts and (good_rows_only or not result.error_rows)
    passwords = (
        staff_bulk_onboard(actor=actor, drafts=[draft for _, draft in drafts], file_label=file_label) if commit else {}
    )
    result.committed = bool(commit)
    for number, draft in drafts:
        result.accounts.append(
            (number, draft.username, draft.display_name, draft.org.name, role_label(draft.role),
             passwords.get(draft.username, ""))
        )  # fmt: skip
    return result


class _Checker:
    """Checks rows one by one against the actor's scope, the database and the rows before."""

    def __init__(self, actor: StaffUser | None, titles: dict[str, str]) -> None:
        self.actor = actor
        self.titles = titles
        scoped = (
            UnionOrg.objects.all() if actor is None else restrict(UnionOrg.objects.all(), actor, Action.MANAGE_STAFF)
        )
        self.orgs = {org.pk: org for org in scoped.only("pk", "name", "key", "level", "path")}
        self.by_key = {org.key.casefold(): org for org in self.orgs.values() if org.key}
        self.by_name: dict[str, list[UnionOrg]] = {}
        for org in self.orgs.values():
            self.by_name.setdefault(cells.fold(org.name), []).append(org)
        self.roles = set(Role.values) if actor is None else set(grantable_roles(actor))
        # Staff tables are small (thousands): their usernames fit in memory, compared case-blind.
        self.taken = {name.casefold() for name in StaffUser.objects.values_list("username", flat=True)}
        self.usernames: dict[str, int] = {}
        self.people: dict[tuple[str, int, str], int] = {}

    def title(self, key: str) -> str:
        """The column's header as the file spells it."""
        return self.titles.get(key) or TITLES[key]

    def check(self, row: Row) -> StaffDraft | None:
        values = row.values
        name = values.get("display_name")
        if not name and "display_name" not in row.raw:
            row.error("display_name", "姓名不能为空，请填写。", self.title("display_name"))
        org = self._org(row)
        role = self._role(row, org)
        phone = self._phone(row)
        if row.errors or not name or org is None or role is None:
            return None
        person = (name, org.pk, phone)
        if person in self.people:
            row.error(
                "display_name",
                f"与第 {self.people[person]} 行是同一人（姓名、组织、手机号都相同），请删除重复的行。",
                self.title("display_name"),
            )
            return None
        username = self._username(row, name)
        if username is None:
            return None
        self.people[person] = row.number
        return StaffDraft(username=username, display_name=name, role=role, org=org, phone=phone)

    def _org(self, row: Row) -> UnionOrg | None:
        text = row.values.get("org")
        if not text:
            if "org" not in row.raw:
                row.error("org", "所属组织不能为空：请填写组织全称或组织标识。", self.title("org"))
            return None
        found = self.by_key.get(text.casefold())
        if found is not None:
            return found
        named = self.by_name.get(cells.fold(text), [])
        if len(named) > 1:
            paths = "、".join(f"#{org.pk}" for org in named[:5])
            row.error(
                "org", f"有 {len(named)} 个组织都叫“{text}”（{paths}），请改填组织标识以区分。", self.title("org")
            )
            return None
        if not named:
            # The same answer for an unknown name and one outside the actor's subtree.
            row.error(
                "org",
                f"在您的管辖范围内找不到组织“{text}”。请填写组织全称（与“组织”页面上的名称一致）或组织标识。",
                self.title("org"),
            )
            return None
        return named[0]

    def _role(self, row: Row, org: UnionOrg | None) -> str | None:
        if "role" in row.raw and row.values.get("role") is None:
            return None  # the parser has reported it
        role = row.values.get("role") or Role.CADRE
        if role not in self.roles:
            allowed = "、".join(role_label(r) for r in Role.values if r in self.roles)
            row.error("role", f"您无权授予“{role_label(role)}”角色，可选：{allowed}。", self.title("role"))
            return None
        if org is not None and ROLE_LEVELS.get(role):
            try:
                check_level(role=role, org=org)
            except ValidationError as exc:
                row.error("role", exc.messages[0] + "请改角色或改组织。", self.title("role"))
                return None
        return str(role)

    def _phone(self, row: Row) -> str:
        text = row.values.get("phone")
        if not text:
            return ""
        try:
            return normalize_phone(text)
        except ValidationError as exc:
            row.error("phone", exc.messages[0] + "；没有手机号可留空。", self.title("phone"))
            return ""

    def _username(self, row: Row, name: str) -> str | None:
        given = row.values.get("username")
        if given:
            if not USERNAME_RE.fullmatch(given):
                row.error(
                    "username",
                    USERNAME_MESSAGE + "也可留空，由系统按姓名拼音生成。",
                    self.title("username"),
                )
                return None
            folded = given.casefold()
            if folded in self.usernames:
                row.error(
                    "username",
                    f"与第 {self.usernames[folded]} 行的用户名重复，请换一个或留空由系统生成。",
                    self.title("username"),
                )
                return None
            if folded in self.taken:
                row.error("username", "该用户名已被占用，请换一个或留空由系统生成。", self.title("username"))
                return None
            username = given
        else:
            base = re.sub(r"[^a-z0-9]", "", name_pinyin(name).lower())[:40] or "staff"
            username = next(
                candidate
                for candidate in (base if n == 1 else f"{base}{n}" for n in count(1))
                if candidate not in self.taken and candidate not in self.usernames
            )
        self.usernames[username.casefold()] = row.number
        return str(username)


def grantable_summary() -> str:
    """Who may give which role, in one Chinese sentence (for the upload page)."""
    parts = [f"{role_label(actor)}可授予：{'、'.join(role_label(r) for r in Role.values if r in roles)}"
             for actor, roles in GRANTABLE.items()]  # fmt: skip
    return "；".join(parts) + "。"
