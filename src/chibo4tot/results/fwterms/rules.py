"""The rules around the points in words: bonus, deductions, gates, rating bands, recognition, quotas. Pure."""

from __future__ import annotations

import string

from chibo4tot.i18n import N_, _
from chibo4tot.models.framework import (
    ClassificationGate,
    DisciplineGate,
    Framework,
    Gate,
    IndicatorGate,
    MemberShareGate,
    MissingMonthsGate,
    Quota,
    RegistrationGate,
    SubUnitShareGate,
)
from chibo4tot.models.scales import Band
from chibo4tot.models.types import CLASSIFICATION_LABELS, UNIT_KIND_LABELS, UnitKind
from chibo4tot.results.fwterms.model import Item, Term, term
from chibo4tot.results.fwterms.words import (
    listing,
    number,
    of_org,
    percent,
    points,
    quoted,
    source_text,
)

# What each particular of a gate's reason stands for ({cases}, {months}…).
REASON_FIELDS = {
    "detail": N_("điều tìm thấy"),
    "n": N_("số vụ hoặc số tháng tìm thấy"),
    "cases": N_("các vụ kỷ luật"),
    "classification": N_("mức xếp loại của chi bộ"),
    "months": N_("các tháng thiếu hồ sơ"),
    "year": N_("năm đánh giá"),
    "indicator": N_("chỉ tiêu"),
    "periods": N_("các kỳ không đạt"),
    "share": N_("tỉ lệ thực tế"),
}
_TIE_BREAK = {
    "total": N_("tổng điểm (cao trước)"),
    "name": N_("tên chi bộ (theo thứ tự chữ cái)"),
    "id": N_("mã chi bộ"),
}


def kinds_text(kinds: list[UnitKind]) -> str:
    return ", ".join(_(UNIT_KIND_LABELS[k]) for k in kinds)


def _band_text(bands: list[Band], i: int) -> str:
    band = bands[i]
    if i == 0:
        text = _("từ {min} điểm trở lên").format(min=number(band.min))
    elif band.min == 0:
        text = _("dưới {max} điểm").format(max=number(bands[i - 1].min))
    else:
        text = _("từ {min} đến dưới {max} điểm").format(min=number(band.min), max=number(bands[i - 1].min))
    conditions: list[str] = []
    c = band.conditions
    if c is not None:
        if len(c.indicators_at_max) == 1:
            conditions.append(_("chỉ tiêu {id} đạt điểm tối đa").format(id=c.indicators_at_max[0]))
        elif c.indicators_at_max:
            conditions.append(
                _("các chỉ tiêu {ids} đều đạt điểm tối đa").format(ids=", ".join(c.indicators_at_max))
            )
        if c.criteria_min_met:
            conditions.append(_("mọi tiêu chí đạt điểm tối thiểu"))
        if c.no_failed_gates:
            conditions.append(_("không vướng điều kiện loại trừ nào"))
    if conditions:
        text += _(", khi {conditions}").format(conditions=listing(conditions))
    if band.otherwise is not None:
        text += _("; nếu không đủ điều kiện, xếp {band}").format(band=quoted(band.otherwise))
    elif conditions:
        text += _("; nếu không đủ điều kiện, xếp mức liền dưới")
    return text


def band_terms(bands: list[Band], prefix: str, label: str) -> list[Term]:
    """One line per band: "Xếp loại Tốt: từ 90 điểm trở lên, khi …; nếu không đủ điều kiện, xếp “Khá”"."""
    return [
        term(f"{prefix}:{band.name}", label.format(name=band.name), _band_text(bands, i))
        for i, band in enumerate(bands)
    ]


def _count_source(source: str) -> str:
    if source == "self":
        return of_org(N_("số lần chi bộ tự ghi trong hồ sơ"), N_("số lần đảng bộ tự ghi trong hồ sơ"))
    return source_text(source)


def _bonus_items(fw: Framework) -> list[Item]:
    if fw.bonus is None:
        return []
    head = Item(
        "bonus",
        "bonus",
        _("Điểm thưởng"),
        "",
        "",
        (term("max_points", _("Tối đa"), points(fw.bonus.max_points)),),
        depth=1,
        points=fw.bonus.max_points,
    )
    out = [head]
    for b in fw.bonus.items:
        terms = (
            term("name", _("Nội dung"), b.name),
            term("points", _("Mỗi lần"), _("cộng {points}").format(points=points(b.points))),
            term("source", _("Đếm"), _count_source(b.source)),
        )
        out.append(Item(f"bonus:{b.id}", "bonus", _("Điểm thưởng"), b.id, b.name, terms, depth=1))
    return out


def _deduction_items(fw: Framework) -> list[Item]:
    names = {c.id: c.name for c in fw.criteria}
    out = []
    for d in fw.deductions:
        cap = points(d.max_points) if d.max_points is not None else _("không giới hạn")
        target = (
            _("tiêu chí {id} ({name})").format(id=d.criterion, name=names.get(d.criterion, "?"))
            if d.criterion
            else _("tổng điểm")
        )
        terms = (
            term("name", _("Nội dung"), d.name),
            term("points", _("Mỗi lần"), _("trừ {points}").format(points=points(d.points_each))),
            term("max_points", _("Trừ tối đa"), cap),
            term("criterion", _("Trừ vào"), target),
            term("source", _("Đếm"), _count_source(d.source)),
        )
        out.append(Item(f"deduction:{d.id}", "deduction", _("Điểm trừ"), d.id, d.name, terms, depth=1))
    return out


def gate_rule(gate: Gate, fw: Framework) -> str:
    """What a gate requires, as a sentence an organiser would write."""
    if isinstance(gate, DisciplineGate):
        text = (
            _("không có đảng viên bị kỷ luật trong năm")
            if gate.max_cases == 0
            else _("không quá {n} vụ kỷ luật đảng viên trong năm").format(n=gate.max_cases)
        )
        text += _("; một vi phạm chỉ tính một lần")
        if gate.except_self_remedied:
            return text + of_org(
                N_("; không tính vụ chi bộ tự phát hiện và khắc phục"),
                N_("; không tính vụ đảng bộ tự phát hiện và khắc phục"),
            )
        return text + of_org(
            N_("; tính cả vụ chi bộ tự phát hiện và khắc phục"),
            N_("; tính cả vụ đảng bộ tự phát hiện và khắc phục"),
        )
    if isinstance(gate, ClassificationGate):
        return of_org(
            N_("chi bộ được xếp loại chất lượng từ {level} trở lên"),
            N_("đảng bộ được xếp loại chất lượng từ {level} trở lên"),
        ).format(level=quoted(_(CLASSIFICATION_LABELS[gate.at_least])))
    if isinstance(gate, MissingMonthsGate):
        if gate.max_missing == 0:
            return _("có đủ hồ sơ tự đánh giá của mọi tháng")
        return _("thiếu hồ sơ tự đánh giá không quá {n} tháng").format(n=gate.max_missing)
    if isinstance(gate, RegistrationGate):
        return of_org(
            N_("chi bộ đăng ký phấn đấu đạt danh hiệu từ đầu năm"),
            N_("đảng bộ đăng ký phấn đấu đạt danh hiệu từ đầu năm"),
        )
    if isinstance(gate, IndicatorGate):
        name = next((ind.name for _c, ind in fw.all_indicators() if ind.id == gate.indicator), "?")
        return _("chỉ tiêu {id} ({name}) phải đạt, dù tổng điểm thế nào").format(id=gate.indicator, name=name)
    if isinstance(gate, MemberShareGate):
        return _("từ {share} đảng viên trở lên được xếp loại từ {level} trở lên").format(
            share=percent(gate.min_share), level=quoted(_(CLASSIFICATION_LABELS[gate.at_least]))
        )
    assert isinstance(gate, SubUnitShareGate)
    return _("từ {share} tổ chức đảng trực thuộc trở lên được công nhận").format(
        share=percent(gate.min_share)
    )


def reason_fields(gate: Gate) -> str:
    """The particulars the reason fills in, and those it could: "{cases}: các vụ kỷ luật …"."""
    used = [
        name
        for _text, name, _spec, _conv in string.Formatter().parse(gate.reason)
        if name is not None and name in REASON_FIELDS
    ]
    used = list(dict.fromkeys(used))
    allowed = ", ".join("{" + f + "}" for f in ("detail", *gate.REASON_FIELDS))
    if used:
        shown = "; ".join(f"{{{name}}}: {_(REASON_FIELDS[name])}" for name in used)
        return _("{used} (chèn được: {allowed})").format(used=shown, allowed=allowed)
    return _("không chèn trường nào: điều tìm thấy được ghi thêm trong ngoặc (chèn được: {allowed})").format(
        allowed=allowed
    )


def _gate_items(fw: Framework) -> list[Item]:
    out = []
    for gate in fw.gates:
        rule = gate_rule(gate, fw)
        terms = [term("rule", _("Điều kiện"), rule)]
        if gate.title:
            terms.insert(0, term("title", _("Tên"), gate.title))
        terms += [
            term("reason", _("Lý do ghi khi không đạt"), quoted(gate.reason)),
            term("fields", _("Trường trong câu lý do"), reason_fields(gate)),
        ]
        out.append(
            Item(f"gate:{gate.id}", "gate", _("Điều kiện"), gate.id, gate.title or "", tuple(terms), depth=1)
        )
    return out


def _rating_items(fw: Framework) -> list[Item]:
    if fw.rating is None:
        return []
    terms = band_terms(fw.rating.bands, "band", "{name}")
    return [Item("rating", "rating", _("Xếp loại theo tổng điểm"), "", "", tuple(terms), depth=1)]


def _recognition_item(fw: Framework) -> Item:
    r = fw.recognition
    terms = [
        term("title", _("Danh hiệu"), r.title),
        term("min_total", _("Tổng điểm"), _("từ {n} điểm trở lên").format(n=number(r.min_total))),
        term(
            "every_criterion_min",
            _("Từng tiêu chí"),
            _("mọi tiêu chí đạt điểm tối thiểu")
            if r.every_criterion_min
            else _("không xét điểm tối thiểu của từng tiêu chí"),
        ),
        term(
            "gates_must_pass",
            _("Điều kiện loại trừ"),
            _("không vướng điều kiện loại trừ nào") if r.gates_must_pass else _("không xét"),
        ),
    ]
    if r.min_rating:
        terms.append(
            term("min_rating", _("Xếp loại"), _("từ {band} trở lên").format(band=quoted(r.min_rating)))
        )
    return Item("recognition", "recognition", _("Công nhận"), "", quoted(r.title), tuple(terms), depth=1)


def _tie_break(keys: list[str]) -> str:
    words = [
        _(_TIE_BREAK[k])
        if k in _TIE_BREAK
        else _("điểm tiêu chí {id} (cao trước)").format(id=k.split(":", 1)[1])
        for k in keys
    ]
    return _("xếp theo {first}").format(first=words[0]) + "".join(
        _("; bằng nhau thì theo {next}").format(next=w) for w in words[1:]
    )


def _quota_item(q: Quota) -> Item:
    terms = (
        term(
            "rule",
            _("Hạn mức"),
            _(
                "số chi bộ xếp loại {band} không quá {ratio} số chi bộ xếp loại {base} (làm tròn xuống)"
            ).format(
                band=quoted(q.band),
                ratio=percent(q.max_ratio),
                base=", ".join(quoted(b) for b in q.base_bands),
            ),
        ),
        term(
            "scope",
            _("Phạm vi"),
            _("tính trong từng đảng bộ")
            if q.scope == "parent"
            else _("tính chung cho cả không gian làm việc"),
        ),
        term("tie_break", _("Thứ tự xét"), _tie_break(q.tie_break)),
        term("demote_to", _("Chi bộ vượt hạn mức"), _("xếp xuống {band}").format(band=quoted(q.demote_to))),
        term("reason", _("Lý do ghi khi hạ mức"), quoted(q.reason)),
    )
    name = _("Xếp loại {band}").format(band=quoted(q.band))
    return Item(f"quota:{q.id}", "quota", _("Hạn mức"), q.id, name, terms, depth=1)


def rule_items(fw: Framework) -> list[Item]:
    """Bonus, deductions, gates, rating, recognition and quotas, in that order."""
    return [
        *_bonus_items(fw),
        *_deduction_items(fw),
        *_gate_items(fw),
        *_rating_items(fw),
        _recognition_item(fw),
        *(_quota_item(q) for q in fw.quotas),
    ]
