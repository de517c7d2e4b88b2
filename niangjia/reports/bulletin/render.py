"""The bulletin as a PDF (HTML through WeasyPrint, Noto Sans CJK SC) and as an xlsx workbook."""

from __future__ import annotations

import io
import logging

import xlsxwriter
from django.template.loader import render_to_string

from niangjia.reports.bulletin.data import Bulletin, chinese_date
from niangjia.reports.exports import write_table


def bulletin_html(bulletin: Bulletin) -> str:
    """The printable page the PDF is made of."""
    return render_to_string("reports/bulletin_print.html", {"b": bulletin, "date": chinese_date(bulletin.as_of)})


def bulletin_pdf(bulletin: Bulletin) -> bytes:
    """The bulletin as PDF bytes (WeasyPrint, A4 landscape; the font is the OS's Noto Sans CJK SC)."""
    from weasyprint import HTML  # imported here: it loads Pango, which the web process needs only for PDFs

    logging.getLogger("weasyprint").setLevel(logging.WARNING)
    logging.getLogger("fontTools").setLevel(logging.WARNING)
    pdf: bytes = HTML(string=bulletin_html(bulletin)).write_pdf()
    return pdf


def bulletin_xlsx(bulletin: Bulletin) -> bytes:
    """The bulletin as an xlsx workbook: the sentence, the table, the ranking, those behind schedule."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    formats = {
        "title": book.add_format({"bold": True, "font_size": 14}),
        "head": book.add_format({"bold": True, "bg_color": "#F2DEDE", "text_wrap": True}),
        "wrap": book.add_format({"text_wrap": True, "font_size": 9, "valign": "top"}),
        "bold": book.add_format({"bold": True}),
        "money": book.add_format({"num_format": "¥#,##0.00"}),
        "text": book.add_format({"text_wrap": True, "valign": "top"}),
    }
    sheet = book.add_worksheet("通报")
    sheet.set_column(0, 0, 24)
    sheet.set_column(1, len(bulletin.table.indicators), 14)
    sheet.write(0, 0, bulletin.title, formats["title"])
    sheet.write(1, 0, f"{bulletin.base.name} · 统计截至 {chinese_date(bulletin.as_of)} 24:00")
    sheet.merge_range(2, 0, 2, max(1, len(bulletin.table.indicators)), bulletin.headline, formats["text"])
    sheet.set_row(2, 60)
    row = 4
    for note in bulletin.notes:
        sheet.write(row, 0, note)
        row += 1
    sheet.write(row, 0, "一、各单位完成情况", formats["bold"])
    row = write_table(book, sheet, bulletin.table, row + 1, formats)
    if bulletin.progress is not None:
        ranking = book.add_worksheet("排名")
        ranking.set_column(0, 4, 16)
        done, target = bulletin.progress
        for col, head in enumerate(["名次", "单位", done.label, target.label, "完成率(%)"]):
            ranking.write(0, col, head, formats["head"])
        for line, ranked in enumerate(bulletin.ranking, start=1):
            ranking.write_row(
                line,
                0,
                [ranked.rank, ranked.row.label, int(ranked.done.raw), int(ranked.target.raw), round(ranked.rate, 1)],
            )
        behind = book.add_worksheet("低于进度")
        behind.set_column(0, 3, 18)
        behind.write(0, 0, f"按时间进度应完成 {bulletin.schedule:.1f}%", formats["bold"])
        for col, head in enumerate(["单位", "完成率(%)", "与进度相差(百分点)"]):
            behind.write(1, col, head, formats["head"])
        for line, ranked in enumerate(bulletin.behind, start=2):
            behind.write_row(
                line, 0, [ranked.row.label, round(ranked.rate, 1), round(bulletin.schedule - ranked.rate, 1)]
            )
    book.close()
    return out.getvalue()
