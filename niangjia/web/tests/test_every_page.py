"""Every page of the demo, for every role: Chinese, no raw codes, no float tails, money as ¥1,234.50.

A crawler logs in as each role over a small demo (the same generator as `make demo`), follows the
links it is shown (a few pages of each URL shape), and checks the visible text of each page.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from collections.abc import Iterator
from datetime import date
from html import unescape
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from niangjia.core import roles
from niangjia.demo.orgs import tree_seed
from niangjia.demo.registry import registry_seed
from niangjia.demo.screening import screening_seed
from niangjia.demo.tickets import tickets_seed
from niangjia.demo.transfers import transfers_seed
from niangjia.orgs import choices as org_choices
from niangjia.orgs.models import StaffUser
from niangjia.registry import choices as registry_choices
from niangjia.screening.pack import current_policies

ROLES = ["xa_admin", "yanliang_staff", "cadre", "yanliang_chair", "xa_leader"]
PAGES_PER_ROLE = 70
PER_SHAPE = 2
SKIP = re.compile(r"^/(static|api|i18n)/|/logout/|/export/|\.xlsx$|/template/|/reveal/|/report")
# ASCII words a Chinese page may show: the product's name and formats people know by these names.
ALLOWED_WORDS = {"niangjia", "Excel", "xlsx", "xls", "csv", "CSV", "PDF", "API", "ID", "GBK", "UTF"}


def _raw_codes() -> set[str]:
    """Stored codes that must never reach a page: choice values and policy ids."""
    codes: set[str] = set()
    for value in [*vars(registry_choices).values(), *vars(org_choices).values(), *vars(roles).values()]:
        if isinstance(value, type) and hasattr(value, "values") and hasattr(value, "choices"):
            codes |= {str(v) for v in value.values if str(v).isascii() and not str(v).isdigit()}
    codes |= {p.id for p in current_policies()}
    codes |= {"eligible", "possibly", "not_eligible", "pending", "approved", "rejected", "None", "True", "False"}
    return {code for code in codes if len(code) > 1}


def visible_text(html: str) -> str:
    """The text a person reads: no scripts, styles, tags or attribute values; the title kept."""
    html = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", html)
    html = re.sub(r"(?s)<!--.*?-->", " ", html)
    return unescape(re.sub(r"(?s)<[^>]+>", " ", html))


def problems(html: str, raw: set[str]) -> list[str]:
    found = []
    title = re.search(r"(?is)<title>(.*?)</title>", html)
    if title and "<" in title.group(1):
        found.append(f"HTML in the title: {title.group(1)[:60]}")
    text = visible_text(html)
    # Whole words only: letters inside a code such as a USCC (91610114MA0000099X) or a username are data.
    for word in set(re.findall(r"(?<![A-Za-z0-9_.@-])[A-Za-z_]{2,}(?![A-Za-z0-9_@-])", text)):
        if word in raw:
            found.append(f"raw code: {word}")
        elif word not in ALLOWED_WORDS and "_" not in word and len(word) >= 3:
            found.append(f"English word: {word}")
    for tail in re.findall(r"\d+\.\d{3,}", text):
        found.append(f"float tail: {tail}")
    for money in re.findall(r"¥\s?[\d,]*\.?\d*", text):
        if not re.fullmatch(r"¥\d{1,3}(,\d{3})*\.\d{2}", money.replace(" ", "")):
            found.append(f"money not as ¥1,234.50: {money}")
    if re.search(r"\{'|':\s", text):
        found.append("a Python dict")
    return found


def shape(url: str) -> str:
    return re.sub(r"\d+", "N", url.split("?")[0])


BUTTON = re.compile(
    r'<a\b[^>]*class="[^"]*\bbtn\b[^"]*"[^>]*href="(/[^"#]*)"|<a\b[^>]*href="(/[^"#]*)"[^>]*class="[^"]*\bbtn\b'
)
LEADER_NEVER = ("导入", "登记职工", "登记家庭", "编辑", "去办理", "添加成员", "提交调动申请")


def buttons(html: str) -> set[str]:
    """The targets of the link buttons on a page."""
    return {unescape(a or b) for a, b in BUTTON.findall(html)}


def crawl(client: Client) -> Iterator[tuple[str, int, str]]:
    """Yield (url, status, html) for the pages reachable from the home page."""
    queue, seen, shapes = ["/"], set(), Counter()
    while queue and len(seen) < PAGES_PER_ROLE:
        url = queue.pop(0)
        if url in seen or shapes[shape(url)] >= PER_SHAPE:
            continue
        seen.add(url)
        shapes[shape(url)] += 1
        response = client.get(url)
        html = response.content.decode() if "text/html" in response.get("Content-Type", "") else ""
        yield url, response.status_code, html
        for href in re.findall(r'href="(/[^"#]*)"', html):
            href = unescape(href)
            if not SKIP.search(href) and href not in seen:
                queue.append(href)


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[dict[str, StaffUser]]:
    with django_db_blocker.unblock(), transaction.atomic():
        out = io.StringIO()
        tree = tree_seed(seed=11)
        registry_seed(tree=tree, seed=11, workers=1500, stdout=out, today=date(2026, 11, 29))
        transfers_seed(tree=tree, seed=11, stdout=out)
        tickets_seed(tree=tree, seed=11, stdout=out)
        screening_seed(stdout=out)
        cadre = StaffUser.objects.filter(role="cadre", org__path__startswith=tree.districts["610114"].path)
        cadre = cadre.filter(enterprise_assignments__isnull=False).order_by("username").first()
        users = {u.username: u for u in StaffUser.objects.filter(username__in=ROLES)}
        users["cadre"] = cadre
        yield users
        transaction.set_rollback(True)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_every_page_reads_as_chinese_with_no_raw_values(demo: dict[str, StaffUser], role: str) -> None:
    client = Client()
    client.force_login(demo[role])
    raw = _raw_codes()
    report: list[str] = []
    targets: set[str] = set()
    visited = 0
    for url, status, html in crawl(client):
        visited += 1
        if status >= 500:
            report.append(f"{url}: HTTP {status}")
        for problem in problems(html, raw):
            report.append(f"{url}: {problem}")
        targets |= {b for b in buttons(html) if not SKIP.search(b)}
        if role == "xa_leader":
            report += [f"{url}: a leader sees “{w}”" for w in LEADER_NEVER if re.search(rf">\s*{w}", html)]
    # No button the role cannot use: every link button shown to it opens.
    for target in sorted(targets)[:60]:
        status = client.get(target).status_code
        if status >= 400:
            report.append(f"button to {target}: HTTP {status}")
    assert visited >= 5, f"{role} reached only {visited} pages"
    assert role == "xa_leader" or len(targets) >= 3, f"{role}: only {sorted(targets)} checked"
    assert not report, "\n".join(sorted(set(report)))


def test_the_checks_catch_what_they_should() -> None:
    raw = {"warmth", "regular"}
    page = "<title>a <b>x</b></title><p>warmth 6854247.06000000 ¥1234.5 {'a': 1} regular Hello</p>"
    found = problems(page, raw)
    assert {f.split(":")[0] for f in found} == {
        "HTML in the title",
        "raw code",
        "English word",
        "float tail",
        "money not as ¥1,234.50",
        "a Python dict",
    }
    assert problems("<p>共 ¥1,234.50，niangjia 导出 Excel</p>", raw) == []
