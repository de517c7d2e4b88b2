"""``python -m niangjia.rules {check,test,diff,screen} …``: arguments in, messages and exit status out.

The work is done by :mod:`niangjia.rules.tools`. Exit status: 0 done, 1 a policy file or test
failed, 2 the input could not be used (unreadable or failing the checks; nothing written).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from typing import TextIO

from niangjia.rules.tools import check, diff_files, run_tests, screen_files

_DIFF_LINES = ("policy_id", "old_version", "new_version", "gained", "lost", "old_total", "new_total", "money_delta")


def as_of_date(text: str) -> dt.date:
    """``--as-of`` as a date, with a Chinese message naming the value and the form."""
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}”不是有效的日期，请写成 2025-12-01 这样的形式") from None


def build_parser() -> argparse.ArgumentParser:
    """The command line's options (the same as the management commands')."""
    parser = argparse.ArgumentParser(prog="python -m niangjia.rules", description="政策找人规则引擎")
    parser.add_argument("--policies", default="policies", help="政策目录（默认 policies）")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("check", help="校验政策文件")
    t = sub.add_parser("test", help="运行政策内嵌测试")
    t.add_argument("--cases", help="外部用例文件（YAML：政策编号 → 用例列表）")
    d = sub.add_parser("diff", help="政策修改影响预览")
    d.add_argument("old")
    d.add_argument("new")
    d.add_argument("--input", required=True)
    d.add_argument("--as-of", type=as_of_date, default=dt.date.today())
    s = sub.add_parser("screen", help="批量筛查")
    s.add_argument("--input", required=True)
    s.add_argument("--output", required=True)
    s.add_argument("--as-of", type=as_of_date, default=dt.date.today())
    s.add_argument(
        "--reasons", choices=["all", "kept"], default="all", help="kept：不符合的行只给出未通过的规则编号（更快）"
    )
    s.add_argument("--chunk", type=int, help="按家庭编号分段筛查，每段的户数；--output 为目录，每段一个 parquet")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; return its exit status."""
    args = build_parser().parse_args(argv)
    out = sys.stdout
    if args.command == "check":
        errors = check(args.policies)
        out.write("\n".join(errors) + "\n" if errors else "全部政策文件校验通过\n")
        return 1 if errors else 0
    if args.command == "test":
        report = run_tests(args.policies, args.cases)
        out.write("\n".join(report.lines()) + "\n")
        return 0 if report.ok else 1
    try:
        _run(args, out)
    except ValueError as exc:  # InputError and unreadable files: a message for the user, no traceback
        sys.stderr.write(f"{exc}\n")
        return 2
    return 0


def _run(args: argparse.Namespace, out: TextIO) -> None:
    if args.command == "diff":
        summary = diff_files(args.old, args.new, args.input, args.as_of)
        out.write("".join(f"{k}: {summary[k]}\n" for k in _DIFF_LINES))
        return
    rows = screen_files(
        args.input, args.output, args.as_of, args.policies, reasons=args.reasons, chunk_households=args.chunk
    )
    out.write(f"已写出 {rows} 行到 {args.output}\n")
