"""A whole framework in words, and which framework each line comes from. Pure."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from decimal import Decimal

from chibo4tot.i18n import _
from chibo4tot.models.framework import Criterion, Framework
from chibo4tot.results.fwterms.indicators import indicator_items
from chibo4tot.results.fwterms.model import FrameworkTerms, Item, term
from chibo4tot.results.fwterms.rules import kinds_text, rule_items
from chibo4tot.results.fwterms.words import points, scores_dang_bo, short_date, speaking_of


def _framework_item(fw: Framework) -> Item:
    terms = [term("title", _("Tên khung"), fw.title), term("issuer", _("Cơ quan ban hành"), fw.issuer)]
    for doc in fw.documents:
        when = _(" ngày {date}").format(date=short_date(doc.date)) if doc.date else ""
        by = _(" của {issuer}").format(issuer=doc.issuer) if doc.issuer else ""
        terms.append(term(f"document:{doc.number}", _("Căn cứ"), f"{doc.number}{when}{by}: {doc.title}"))
    terms += [
        term("years", _("Năm áp dụng"), ", ".join(map(str, fw.years))),
        term("applies_to", _("Áp dụng cho"), kinds_text(fw.applies_to)),
    ]
    if fw.extends:
        terms.append(term("extends", _("Kế thừa khung"), fw.extends))
    if fw.remove:
        terms.append(term("remove", _("Bỏ chỉ tiêu của khung cấp trên"), ", ".join(fw.remove)))
    missing = (
        _("tính 0 điểm")
        if fw.missing_month == "zero"
        else _("không tính vào kỳ (chỉ tiêu chấm trên các tháng có hồ sơ)")
    )
    if fw.takes_months():  # a framework judged once a year has no month to miss
        terms.append(term("missing_month", _("Tháng thiếu hồ sơ"), missing))
    terms += [
        term("decimal_places", _("Làm tròn điểm"), _("{n} chữ số thập phân").format(n=fw.decimal_places)),
        term(
            "review_gap",
            _("Cảnh báo chênh lệch"),
            _("khi điểm thẩm định lệch điểm tự đánh giá quá {points}").format(
                points=points(fw.review.gap_warning_points)
            ),
        ),
    ]
    return Item("framework", "framework", _("Khung tiêu chí"), fw.id, fw.title, tuple(terms))


def _criterion_item(criterion: Criterion) -> Item:
    minimum = points(criterion.min_points) if criterion.min_points is not None else _("không quy định")
    terms = (
        term("name", _("Nội dung"), criterion.name),
        term("points", _("Điểm tối đa"), points(criterion.max_points)),
        term("min_points", _("Điểm tối thiểu"), minimum),
    )
    return Item(
        f"criterion:{criterion.id}",
        "criterion",
        _("Tiêu chí"),
        criterion.id,
        criterion.name,
        terms,
        points=criterion.max_points,
    )


def describe(fw: Framework, parent: FrameworkTerms | None = None) -> FrameworkTerms:
    """Every part of ``fw`` in words. With ``parent`` (the description of the framework it
    extends), a line that reads the same there keeps the parent's origin; every other line
    (changed, or added) belongs to ``fw``."""
    with speaking_of(fw.applies_to):
        items = [_framework_item(fw)]
        for criterion in fw.criteria:
            items.append(_criterion_item(criterion))
            for indicator in criterion.indicators:
                items.extend(indicator_items(indicator))
        items += rule_items(fw)
    described = FrameworkTerms(
        id=fw.id,
        title=fw.title,
        extends=fw.extends,
        lineage=(*(parent.lineage if parent else ()), fw.id),
        total=sum((c.max_points for c in fw.criteria), Decimal(0)),
        items=tuple(items),
        dang_bo=scores_dang_bo(fw.applies_to),
    )
    return _with_origins(described, parent)


def _with_origins(described: FrameworkTerms, parent: FrameworkTerms | None) -> FrameworkTerms:
    own = described.id
    out = []
    for item in described.items:
        before = parent.item(item.key) if parent else None
        lines = []
        for line in item.terms:
            old = before.term(line.key) if before else None
            lines.append(
                replace(
                    line,
                    origin=old.origin
                    if old is not None and (old.label, old.text) == (line.label, line.text)
                    else own,
                )
            )
        out.append(replace(item, terms=tuple(lines), origin=before.origin if before else own))
    return replace(described, items=tuple(out))


def removed_items(described: FrameworkTerms, parent: FrameworkTerms | None) -> list[Item]:
    """The parent's indicators this framework removed (``remove``), for the reader of ``show``."""
    if parent is None:
        return []
    return [i for i in parent.items if i.section == "indicator" and described.item(i.key) is None]


def describe_chain(frameworks: Mapping[str, Framework], fid: str) -> FrameworkTerms:
    """``describe`` of framework ``fid`` with the origins of its lines along its ``extends`` chain."""
    chain: list[Framework] = []
    current: str | None = fid
    while current is not None and current in frameworks and all(f.id != current for f in chain):
        chain.insert(0, frameworks[current])
        current = frameworks[current].extends
    described: FrameworkTerms | None = None
    for fw in chain:
        described = describe(fw, described)
    assert described is not None, fid
    return described
