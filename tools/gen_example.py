#!/usr/bin/env python3
"""Regenerate the example workspace's units.yaml and records (stdlib only, deterministic).

Usage: python tools/gen_example.py [WORKSPACE]
(default: examples/dang-bo-xa-thuong-phung next to this file's parent).

The records follow the framework ha-giang-2024 (criteria/ha-giang-2024.yaml of the workspace,
which extends criteria/mac-dinh-2024.yaml). The list of self-assessed indicators below must be
kept in step with those two files. Variation comes from a hash of (unit, month, tag), never from
the clock or the random module, so every run writes the same bytes.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

YEAR = 2024
FRAMEWORK = "ha-giang-2024"
ISSUER = "Đảng ủy xã Thượng Phùng"

# The đảng bộ itself, scored as a unit under the shipped framework for đảng bộ cơ sở: once a
# year, from its own year record and the share of its cells (chi bộ trực thuộc) recognised.
DANG_BO_ID = "dang-bo-xa-thuong-phung"
DANG_BO_NAME = "Đảng bộ xã Thượng Phùng"
DANG_BO_FRAMEWORK = "dang-bo-co-so-2024"
# Its self-assessed year indicators (dang-bo-co-so-2024), value and hint.
DANG_BO_SELF: list[tuple[str, object, str]] = [
    ("1.1", "Tốt", "thực hiện chỉ tiêu nghị quyết của đảng bộ: Tốt / Khá / Trung bình / Kém"),
    ("1.2", "Đạt", "chính quyền, Mặt trận, đoàn thể hoàn thành tốt nhiệm vụ: Đạt / Không đạt"),
    ("2.1", 8, "Ban Chấp hành họp đủ 12 kỳ, Ban Thường vụ họp đúng quy chế: 0–8 điểm"),
    ("2.2", "Khá", "chỉ đạo sinh hoạt chi bộ trực thuộc: Tốt / Khá / Trung bình / Kém"),
    ("2.3", "Đạt", "tập trung dân chủ, tự phê bình và phê bình trong cấp ủy: Đạt / Không đạt"),
    ("3.1", "Đạt", "nội bộ đoàn kết, không có điểm nóng: Đạt / Không đạt"),
    ("3.3", 7, "kiểm tra, giám sát theo chương trình năm: 0–8 điểm"),
    ("4.2", "Đạt", "hoàn thành chỉ tiêu kết nạp đảng viên cấp trên giao: Đạt / Không đạt"),
    ("4.3", "Tốt", "cấp ủy viên gương mẫu, công tác cán bộ: Tốt / Khá / Trung bình / Kém"),
]

# Criterion names, for the comments inside each record.
CRITERIA = {
    "1": "Lãnh đạo hoàn thành tốt nhiệm vụ chính trị",
    "2": "Chất lượng sinh hoạt tốt",
    "3": "Đoàn kết, kỷ luật tốt",
    "4": "Cán bộ, đảng viên tốt",
}

# Every self-assessed monthly indicator of ha-giang-2024, in framework order, with a short
# Vietnamese hint written as a trailing comment.
MONTHLY_SELF: list[tuple[str, str]] = [
    ("1.1", "lãnh đạo nhiệm vụ chính trị: Tốt / Khá / Trung bình / Kém"),
    ("1.2", "nghị quyết tháng sát thực tế: 0–5 điểm"),
    ("1.3", "lãnh đạo chính quyền, đoàn thể: Đạt / Không đạt"),
    ("1.4", "kinh tế hộ, giảm nghèo, nông thôn mới (chỉ chi bộ thôn, bản)"),
    ("2.1.7", "đảng viên phát biểu, tự phê bình và phê bình: 0–15 điểm"),
    ("2.1.8", "nội dung sinh hoạt thiết thực: Tốt / Khá / Trung bình / Kém"),
    ("2.3", "tập trung dân chủ, tự phê bình và phê bình: Đạt / Không đạt"),
    ("3.1", "nội bộ đoàn kết, thống nhất: Đạt / Không đạt"),
    ("3.2", "chấp hành chủ trương, pháp luật: Tốt / Khá / Trung bình / Kém"),
    ("3.3", "không có khiếu nại vượt cấp, điểm nóng: Đạt / Không đạt"),
    ("3.5", "kiểm tra, giám sát: 0–0,25 điểm mỗi tháng"),
    ("3.6", "an ninh, trật tự, chủ quyền biên giới: Đạt / Không đạt"),
    ("4.3", "đảng viên gương mẫu, nêu gương: Đạt / Không đạt"),
    ("4.4", "đảng viên hoàn thành nhiệm vụ, liên hệ nơi cư trú: Đạt / Không đạt"),
]
YEARLY_SELF: list[tuple[str, str]] = [
    ("4.5", "bồi dưỡng quần chúng ưu tú, đào tạo cán bộ: 0–4 điểm"),
]

DAT, KHONG_DAT = "Đạt", "Không đạt"

TOPICS_THON = [
    "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh về ý chí tự lực, tự cường "
    "và khát vọng phát triển đất nước phồn vinh, hạnh phúc",
    "Phát triển kinh tế hộ gia đình, giảm nghèo bền vững gắn với xây dựng nông thôn mới",
    "Vận động nhân dân xóa bỏ hủ tục, xây dựng nếp sống văn minh trong việc cưới, việc tang",
    "Phát huy vai trò đảng viên trong bảo vệ chủ quyền lãnh thổ, an ninh biên giới quốc gia",
]
TOPICS_TOURISM = [
    "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh về ý chí tự lực, tự cường "
    "và khát vọng phát triển đất nước phồn vinh, hạnh phúc",
    "Phát triển du lịch cộng đồng gắn với bảo tồn bản sắc văn hóa dân tộc Mông",
    "Giữ gìn vệ sinh môi trường, cảnh quan trên tuyến đường Hạnh Phúc",
    "Phát huy vai trò đảng viên trong bảo vệ chủ quyền lãnh thổ, an ninh biên giới quốc gia",
]
TOPICS_SCHOOL = [
    "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh về ý chí tự lực, tự cường "
    "và khát vọng phát triển đất nước phồn vinh, hạnh phúc",
    "Nâng cao chất lượng dạy học tiếng Việt cho học sinh dân tộc thiểu số",
    "Trách nhiệm nêu gương của đảng viên là nhà giáo",
    "Duy trì sĩ số, chống học sinh bỏ học ở vùng cao",
]
TOPICS_HEALTH = [
    "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh về ý chí tự lực, tự cường "
    "và khát vọng phát triển đất nước phồn vinh, hạnh phúc",
    "Nâng cao chất lượng khám, chữa bệnh ban đầu và chăm sóc sức khỏe bà mẹ, trẻ em",
    "Y đức và trách nhiệm nêu gương của đảng viên ngành y tế",
    "Phòng, chống dịch bệnh mùa mưa lũ ở vùng cao",
]
TOPICS_SECURITY = [
    "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh về ý chí tự lực, tự cường "
    "và khát vọng phát triển đất nước phồn vinh, hạnh phúc",
    "Phòng, chống tội phạm ma túy, mua bán người trên địa bàn biên giới",
    "Xây dựng thế trận quốc phòng toàn dân gắn với thế trận an ninh nhân dân",
    "Bảo vệ nền tảng tư tưởng của Đảng, đấu tranh phản bác các quan điểm sai trái, thù địch",
]

HMONG = [
    "Giàng Mí Chứ",
    "Sùng Mí Páo",
    "Vàng Thị Mai",
    "Lù Mí Sính",
    "Ly Mí Dính",
    "Thào Thị Dế",
    "Hầu Mí Lử",
    "Mua Mí Vàng",
    "Sùng Thị Súa",
    "Giàng Thị Pà",
    "Vừ Mí Chá",
    "Lầu Mí Dìn",
    "Thào Mí Chơ",
    "Ly Thị Mỷ",
    "Vàng Mí Sử",
    "Sình Mí Ly",
    "Giàng Mí Lình",
    "Sùng Thị Cở",
]
OFFICIALS = [
    "Nguyễn Thị Hoa",
    "Trần Văn Minh",
    "Lê Thị Thu Hằng",
    "Hoàng Văn Tuấn",
    "Nông Thị Lan",
    "Phạm Đức Anh",
    "Lò Thị Hương",
    "Đỗ Văn Hùng",
    "Bùi Thị Ngọc",
    "Vũ Minh Đức",
    "Ma Thị Tuyết",
    "Lương Văn Thắng",
    "Sùng Mí Chư",
    "Vàng Thị Dợ",
]


@dataclass
class Unit:
    id: str
    name: str
    kind: str
    members: int  # at the end of the year
    pool: list[str]  # names of members who may be absent
    topics: list[str]
    case: str  # one-line Vietnamese summary written as a comment in units.yaml
    profile: str = "tot"  # "tot" or "yeu"
    exempt: int = 0
    registered: tuple[int, ...] = (YEAR,)
    admitted: tuple[int, ...] = ()  # months in which a new member was admitted
    thematic_months: tuple[int, ...] = (3, 6, 9, 12)
    combined: tuple[int, ...] = ()  # thematic months combined with the regular meeting
    meeting_day: int = 5
    village: bool = True  # indicator 1.4 applies only to village cells
    missing: tuple[int, ...] = ()  # months with no record at all
    classification: dict[str, int] = field(default_factory=dict)
    annual: str = "httnv"
    yearly_45: object = 4
    flaws: float = 1.0  # scales how often a good cell rates itself below the top
    notes: str | None = None


UNITS: list[Unit] = [
    Unit(
        "ma-pi-leng",
        "Chi bộ thôn Mã Pì Lèng",
        "chi_bo_truc_thuoc",
        24,
        HMONG[0:8],
        TOPICS_TOURISM,
        "đạt: mọi tiêu chí tốt; tháng 02 tỉ lệ dự họp đúng 85% (không đạt “trên 85%”)",
        exempt=2,
        admitted=(5, 9),
        thematic_months=(3, 6, 9, 12),
        combined=(6, 12),
        meeting_day=5,
        annual="htxsnv",
        yearly_45=4,
        classification={"htxsnv": 3, "httnv": 15, "htnv": 2, "khtnv": 0, "not_rated": 4},
        notes=(
            "Đảng viên miễn sinh hoạt (2) và đảng viên mới kết nạp (2) chưa xếp loại. Mô hình "
            "“Du lịch cộng đồng gắn với giữ gìn bản sắc văn hóa dân tộc Mông” của chi bộ được "
            "Huyện ủy công nhận, nhân rộng."
        ),
    ),
    Unit(
        "khu-bieu-nghi",
        "Chi bộ khu Biểu Nghi",
        "chi_bo_truc_thuoc",
        36,
        OFFICIALS[0:8],
        TOPICS_THON,
        "đạt: 12 kỳ sinh hoạt, 4 chuyên đề, 12 lần chi ủy họp trước; 5 đảng viên xuất sắc",
        admitted=(8,),
        thematic_months=(2, 5, 8, 11),
        combined=(5,),
        meeting_day=3,
        annual="htxsnv",
        yearly_45=4,
        classification={"htxsnv": 5, "httnv": 28, "htnv": 2, "khtnv": 0, "not_rated": 1},
        notes=(
            "Năm 2024 chi bộ tổ chức đủ 12 kỳ sinh hoạt định kỳ, 4 kỳ sinh hoạt chuyên đề, "
            "12 cuộc họp chi ủy; 36 đảng viên, 5 đồng chí hoàn thành xuất sắc nhiệm vụ; "
            "không có đảng viên bị kỷ luật."
        ),
    ),
    Unit(
        "truong-th-thuong-phung",
        "Chi bộ Trường Tiểu học Thượng Phùng",
        "chi_bo_truc_thuoc",
        18,
        OFFICIALS[2:9],
        TOPICS_SCHOOL,
        "đạt: chi bộ trường học, chỉ tiêu 1.4 ghi “không áp dụng”",
        admitted=(9,),
        thematic_months=(1, 4, 7, 10),
        combined=(4, 10),
        meeting_day=8,
        village=False,
        annual="htxsnv",
        yearly_45="3,5",
        flaws=0.6,
        classification={"htxsnv": 3, "httnv": 13, "htnv": 1, "khtnv": 0, "not_rated": 1},
    ),
    Unit(
        "tram-y-te",
        "Chi bộ Trạm Y tế xã",
        "chi_bo_truc_thuoc",
        8,
        OFFICIALS[6:12],
        TOPICS_HEALTH,
        "không đạt sau thẩm định: tự đánh giá thì đạt, nhưng đảng ủy chấm lại 4.5 (và tháng 10) "
        "thấp hơn nên tiêu chí 4 dưới mức tối thiểu",
        thematic_months=(3, 6, 9, 12),
        combined=(9,),
        meeting_day=10,
        village=False,
        annual="httnv",
        yearly_45=4,
        flaws=0.4,
        classification={"htxsnv": 1, "httnv": 6, "htnv": 1, "khtnv": 0, "not_rated": 0},
    ),
    Unit(
        "cong-an-xa",
        "Chi bộ Công an xã",
        "chi_bo_truc_thuoc",
        12,
        OFFICIALS[8:14],
        TOPICS_SECURITY,
        "đạt: lực lượng vũ trang, chỉ tiêu 1.4 ghi “không áp dụng”",
        admitted=(3,),
        thematic_months=(2, 5, 8, 11),
        combined=(2, 5, 8, 11),
        meeting_day=2,
        village=False,
        annual="htxsnv",
        yearly_45=4,
        classification={"htxsnv": 2, "httnv": 9, "htnv": 0, "khtnv": 0, "not_rated": 1},
    ),
    Unit(
        "quan-su-xa",
        "Chi bộ Quân sự xã",
        "chi_bo_truc_thuoc",
        9,
        ["Lò Văn Sáng", "Sùng Mí Tủa", "Vàng Mí Lử", "Nông Văn Khải", "Giàng Mí Sú"],
        TOPICS_SECURITY,
        "đạt: chuyên đề luôn lồng ghép với sinh hoạt định kỳ (từ 120 phút)",
        admitted=(4,),
        thematic_months=(3, 6, 9, 12),
        combined=(3, 6, 9, 12),
        meeting_day=6,
        village=False,
        annual="htxsnv",
        yearly_45="3,5",
        flaws=0.6,
        classification={"htxsnv": 1, "httnv": 7, "htnv": 0, "khtnv": 0, "not_rated": 1},
    ),
    Unit(
        "xin-chai",
        "Chi bộ thôn Xín Chải",
        "chi_bo_truc_thuoc",
        15,
        HMONG[8:16],
        TOPICS_THON,
        "không đạt vì điểm: dự họp thấp, họp ngắn, vắng không lý do, chỉ 2 quý có chuyên đề",
        profile="yeu",
        exempt=1,
        thematic_months=(3, 11),
        meeting_day=12,
        annual="httnv",
        yearly_45=2,
        classification={"htxsnv": 0, "httnv": 12, "htnv": 2, "khtnv": 0, "not_rated": 1},
        notes="Chi bộ cần khắc phục tình trạng đảng viên vắng sinh hoạt, thời lượng họp ngắn.",
    ),
    Unit(
        "pa-vi",
        "Chi bộ thôn Pả Vi",
        "chi_bo_truc_thuoc",
        20,
        HMONG[4:12],
        TOPICS_THON,
        "không đạt vì điều kiện loại trừ: 2 đảng viên bị kỷ luật trong cùng một vụ việc (tháng 7)",
        exempt=1,
        admitted=(10,),
        thematic_months=(3, 6, 9, 12),
        combined=(12,),
        meeting_day=7,
        annual="httnv",
        yearly_45=4,
        classification={"htxsnv": 1, "httnv": 14, "htnv": 1, "khtnv": 2, "not_rated": 2},
    ),
    Unit(
        "lung-lau",
        "Chi bộ thôn Lũng Lầu",
        "chi_bo_truc_thuoc",
        14,
        HMONG[10:18],
        TOPICS_THON,
        "không đạt vì thiếu hồ sơ: không có hồ sơ tháng 6, 7, 8 (chỉ 9 tháng)",
        exempt=1,
        thematic_months=(2, 5, 9, 11),
        meeting_day=9,
        missing=(6, 7, 8),
        annual="httnv",
        yearly_45="3,5",
        classification={"htxsnv": 1, "httnv": 11, "htnv": 1, "khtnv": 0, "not_rated": 1},
    ),
    Unit(
        "ta-ca-van",
        "Chi bộ thôn Tả Cá Ván",
        "chi_bo_truc_thuoc",
        16,
        HMONG[2:10],
        TOPICS_THON,
        "không đạt vì không đăng ký danh hiệu năm 2024 (chỉ đăng ký năm 2023), dù đủ điểm",
        exempt=1,
        registered=(2023,),
        admitted=(6,),
        thematic_months=(1, 4, 7, 10),
        combined=(7,),
        meeting_day=4,
        annual="htxsnv",
        yearly_45=4,
        classification={"htxsnv": 2, "httnv": 11, "htnv": 1, "khtnv": 0, "not_rated": 2},
    ),
    Unit(
        "truong-thcs-thuong-phung",
        "Chi bộ Trường Phổ thông dân tộc bán trú THCS Thượng Phùng",
        "chi_bo_co_so",
        22,
        OFFICIALS[0:10],
        TOPICS_SCHOOL,
        "đạt: chi bộ cơ sở; có 1 vụ kỷ luật nhưng chi bộ tự phát hiện, khắc phục (tháng 4)",
        admitted=(11,),
        thematic_months=(3, 6, 9, 12),
        combined=(3,),
        meeting_day=11,
        village=False,
        annual="htxsnv",
        yearly_45=4,
        flaws=0.6,
        classification={"htxsnv": 4, "httnv": 16, "htnv": 1, "khtnv": 0, "not_rated": 1},
    ),
]

# ── deterministic variation ───────────────────────────────────────────────────


def roll(*parts: object) -> float:
    """A number in [0, 1) fixed by its arguments."""
    digest = hashlib.sha256("|".join(map(str, parts)).encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def pick(options: list[object], *parts: object) -> object:
    return options[int(roll(*parts) * len(options))]


# ── YAML writing (block style, quoted only when needed) ───────────────────────

_RESERVED = {
    "true",
    "false",
    "yes",
    "no",
    "on",
    "off",
    "null",
    "y",
    "n",
    "~",
    "",
}


def scalar(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    plain_ok = (
        text.strip() == text
        and text.lower() not in _RESERVED
        and text[0] not in "-?:,[]{}#&*!|>'\"%@`"
        and ": " not in text
        and " #" not in text
        and not text.endswith(":")
        and not text.replace(".", "", 1).isdigit()
    )
    if plain_ok:
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


class Writer:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def line(self, text: str = "") -> None:
        self.lines.append(text)

    def kv(self, indent: int, key: str, value: object, comment: str | None = None) -> None:
        text = f"{' ' * indent}{key}: {scalar(value)}"
        if comment:
            text = f"{text.ljust(34)} # {comment}"
        self.lines.append(text)

    def text(self) -> str:
        return "\n".join(self.lines).rstrip("\n") + "\n"


# ── facts of one month ────────────────────────────────────────────────────────


@dataclass
class Review:
    """A đảng ủy review of some self-assessed values: id → (value, note)."""

    by: str
    date: dt.date
    values: dict[str, tuple[str, str]]


@dataclass
class Month:
    unit: Unit
    month: int
    members: int
    present: int
    excused: list[str]
    unexcused: list[str]
    date: dt.date
    duration: int
    chi_uy: bool
    draft: bool
    minutes: bool
    thematic: bool
    combined: bool
    values: dict[str, object]
    streak_ok: bool
    events: list[dict[str, object]] = field(default_factory=list)
    notes: str | None = None
    review: Review | None = None

    @property
    def expected(self) -> int:
        return self.members - self.unit.exempt


def meeting_date(unit: Unit, month: int, day: int) -> dt.date:
    day = min(day, calendar.monthrange(YEAR, month)[1])
    date = dt.date(YEAR, month, day)
    if date.weekday() == 6:  # no meeting on Sundays; stay inside the month
        date += dt.timedelta(days=1 if date.day < 28 else -1)
    return date


def members_in(unit: Unit, month: int) -> int:
    return unit.members - sum(1 for m in unit.admitted if m > month)


def max_absent(expected: int) -> int:
    """Most absentees that keep attendance strictly above 85%."""
    n = 0
    while (expected - (n + 1)) * 100 > 85 * expected:
        n += 1
    return n


def choose_absentees(unit: Unit, month: int, count: int, history: dict[str, int]) -> list[str]:
    """Names absent with reason; good cells never let anyone reach 4 months in a row."""
    chosen: list[str] = []
    order = sorted(unit.pool, key=lambda name: roll(unit.id, month, "vang", name))
    for name in order:
        if len(chosen) == count:
            break
        if unit.profile == "tot" and history.get(name, 0) >= 3:
            continue
        chosen.append(name)
    return chosen


def sub_points(m: Month) -> tuple[int, bool]:
    """Handbook score of the meeting (0..100) and whether the Tốt conditions hold."""
    rate_ok = m.present * 100 > 85 * m.expected
    need = 120 if m.combined else 90
    dur_ok = m.duration >= need
    part = m.values["2.1.7"]
    part_num = float(str(part).replace(",", "."))
    content = {"Tốt": 10, "Khá": 7, "Trung bình": 5, "Kém": 0}[str(m.values["2.1.8"])]
    total = (
        10 * m.chi_uy
        + 10 * m.draft
        + 15 * rate_ok
        + 10 * (not m.unexcused)
        + 5 * m.streak_ok
        + 15 * dur_ok
        + part_num
        + content
        + 10 * m.minutes
    )
    at_max = rate_ok and dur_ok and part_num == 15 and m.minutes
    return round(total), at_max


def quality(m: Month) -> str:
    total, at_max = sub_points(m)
    if total >= 90:
        return "Tốt" if at_max else "Khá"
    if total >= 70:
        return "Khá"
    if total >= 50:
        return "Trung bình"
    return "Kém"


def good_values(unit: Unit, month: int) -> dict[str, object]:
    def r(tag: str) -> float:
        return roll(unit.id, month, tag) / unit.flaws

    values: dict[str, object] = {
        "1.1": "Tốt" if r("1.1") > 0.15 else "Khá",
        "1.2": 5 if r("1.2") > 0.35 else "4,5",
        "1.3": DAT,
        "1.4": DAT if unit.village else None,
        "2.1.7": 15 if r("2.1.7") > 0.1 else "14,5",
        "2.1.8": "Tốt" if r("2.1.8") > 0.08 else "Khá",
        "2.3": DAT,
        "3.1": DAT,
        "3.2": "Tốt",
        "3.3": DAT,
        "3.5": "0,25" if r("3.5") > 0.15 else "0,2",
        "3.6": DAT,
        "4.3": DAT,
        "4.4": DAT,
    }
    return values


def weak_values(unit: Unit, month: int) -> dict[str, object]:
    def r(tag: str) -> float:
        return roll(unit.id, month, tag)

    return {
        "1.1": "Khá" if r("1.1") > 0.4 else "Trung bình",
        "1.2": pick([3, "3,5", 4, "3,5"], unit.id, month, "1.2"),
        "1.3": KHONG_DAT if month in (2, 7) else DAT,
        "1.4": KHONG_DAT if month in (2, 8) else DAT,
        "2.1.7": pick([12, "12,5", 13, 11, "13,5"], unit.id, month, "2.1.7"),
        "2.1.8": "Khá" if r("2.1.8") > 0.3 else "Trung bình",
        "2.3": KHONG_DAT if month == 7 else DAT,
        "3.1": DAT,
        "3.2": "Trung bình" if month == 9 else "Khá",
        "3.3": KHONG_DAT if month == 9 else DAT,
        "3.5": pick(["0,1", "0,15", "0,2", "0,15"], unit.id, month, "3.5"),
        "3.6": DAT,
        "4.3": DAT,
        "4.4": KHONG_DAT if month == 8 else DAT,
    }


def build_month(unit: Unit, month: int, history: dict[str, int]) -> Month:
    members = members_in(unit, month)
    expected = members - unit.exempt
    thematic = month in unit.thematic_months
    combined = month in unit.combined
    if unit.profile == "tot":
        weights = roll(unit.id, month, "so-vang")
        count = 0 if weights < 0.45 else 1 if weights < 0.85 else 2
        count = min(count, max_absent(expected))
        if unit.id == "ma-pi-leng" and month == 2:
            count = 3  # exactly 85%: fails "trên 85%"
        excused = choose_absentees(unit, month, count, history)
        unexcused: list[str] = []
        base = 120 if combined else 90
        duration = base + 5 * int(roll(unit.id, month, "phut") * 6)
        chi_uy = draft = minutes = True
        values = good_values(unit, month)
    else:
        # Xín Chải: one member away working in the lowlands (excused) from March to July.
        away = "Thào Mí Chơ"
        others = [n for n in unit.pool if n != away]
        count = int(roll(unit.id, month, "so-vang") * 2.5)
        excused = ([away] if 3 <= month <= 7 else []) + others[:count]
        n_unexcused = {1: 1, 4: 2, 6: 1, 9: 1, 10: 1}.get(month, 0)
        unexcused = others[count : count + n_unexcused]
        duration = [60, 90, 75, 90, 95, 80][int(roll(unit.id, month, "phut") * 6)]
        chi_uy = roll(unit.id, month, "chi-uy") > 0.25
        draft = roll(unit.id, month, "du-thao") > 0.3
        minutes = month not in (4, 10)
        values = weak_values(unit, month)
    for name in list(history):
        if name not in excused:
            history[name] = 0
    for name in excused:
        history[name] = history.get(name, 0) + 1
    streak_ok = max(history.values(), default=0) <= 3
    present = expected - len(excused) - len(unexcused)
    m = Month(
        unit,
        month,
        members,
        present,
        excused,
        unexcused,
        meeting_date(unit, month, unit.meeting_day + int(roll(unit.id, month, "ngay") * 3)),
        duration,
        chi_uy,
        draft,
        minutes,
        thematic,
        combined,
        values,
        streak_ok,
    )
    special_cases(m)
    return m


def special_cases(m: Month) -> None:
    """The deliberate events of the example (see the workspace README)."""
    uid, month = m.unit.id, m.month
    if uid == "ma-pi-leng" and month == 2:
        m.notes = "Sinh hoạt trước Tết Nguyên đán; 3 đảng viên đi làm ăn xa chưa về kịp."
    if uid == "pa-vi" and month == 7:
        for member in ("Hầu Mí Lử", "Mua Mí Vàng"):
            m.events.append(
                {
                    "kind": "discipline",
                    "date": dt.date(YEAR, 7, 18),
                    "member": member,
                    "description": (
                        "Vi phạm quy định về quản lý đất đai (san lấp, xây dựng nhà ở trái phép "
                        "trên đất nông nghiệp); chi bộ thi hành kỷ luật hình thức khiển trách"
                    ),
                    "self_detected_remedied": False,
                }
            )
        m.notes = "Đoàn kiểm tra của huyện phát hiện vi phạm; chi bộ đã họp xét kỷ luật."
    if uid == "truong-thcs-thuong-phung" and month == 4:
        m.events.append(
            {
                "kind": "discipline",
                "date": dt.date(YEAR, 4, 22),
                "member": "Lê Thị Thu Hằng",
                "description": (
                    "Dạy thêm không đúng quy định; chi bộ tự phát hiện qua kiểm tra, đảng viên đã "
                    "hoàn trả tiền học và chấm dứt vi phạm; chi bộ thi hành kỷ luật khiển trách"
                ),
                "self_detected_remedied": True,
            }
        )
    if uid == "xin-chai" and month == 9:
        m.events.append(
            {
                "kind": "complaint_escalated",
                "date": dt.date(YEAR, 9, 20),
                "description": ("Hộ dân gửi đơn khiếu nại vượt cấp lên huyện về việc bình xét hộ nghèo"),
            }
        )
    if uid == "tram-y-te" and month == 10:
        m.review = Review(
            by=ISSUER,
            date=dt.date(YEAR, 11, 12),
            values={
                "1.1": ("Khá", "Chưa hoàn thành chỉ tiêu tiêm chủng mở rộng của tháng"),
                "2.1.7": ("12,5", "Biên bản cho thấy ít đảng viên phát biểu"),
            },
        )


# ── rendering ─────────────────────────────────────────────────────────────────


def write_review(w: Writer, review: Review) -> None:
    """The `review:` block, the same in a month's record and in the year's."""
    w.line("review:")
    w.kv(2, "by", review.by)
    w.kv(2, "date", review.date)
    w.line("  values:")
    for ind, (value, note) in review.values.items():
        w.line(f'    "{ind}":')
        w.kv(6, "value", value)
        w.kv(6, "note", note)


def write_items(w: Writer, items: list[dict[str, object]]) -> None:
    """A YAML list of mappings (a month's `events`, the year's `discipline`), keys in dict order."""
    for item in items:
        for i, (key, value) in enumerate(item.items()):
            w.kv(2 if i == 0 else 4, ("- " if i == 0 else "") + key, value)


def render_month(m: Month) -> str:
    u = m.unit
    w = Writer()
    w.line("# yaml-language-server: $schema=../../../schemas/record.schema.json")
    w.line(f"# Hồ sơ tự đánh giá tháng {m.month:02d}/{YEAR} — {u.name}")
    w.line(f"# Khung tiêu chí: {FRAMEWORK}. Tệp do tools/gen_example.py sinh ra.")
    w.kv(0, "unit", u.id)
    w.line(f"month: {YEAR}-{m.month:02d}")
    w.kv(0, "framework", FRAMEWORK)
    w.line()
    w.line("# Sinh hoạt chi bộ định kỳ")
    w.line("meeting:")
    w.kv(2, "held", True)
    w.kv(2, "date", m.date)
    w.kv(2, "duration_minutes", m.duration, "thời lượng (phút)")
    w.kv(2, "members", m.members, "tổng số đảng viên")
    w.kv(2, "exempt", u.exempt, "được miễn sinh hoạt")
    w.kv(2, "present", m.present, "có mặt")
    w.kv(2, "excused", len(m.excused), "vắng có lý do")
    w.kv(2, "unexcused", len(m.unexcused), "vắng không lý do")
    if m.excused or m.unexcused:
        w.line("  absentees:")
        for name in m.excused:
            w.kv(4, "- name", name)
            w.kv(6, "excused", True)
        for name in m.unexcused:
            w.kv(4, "- name", name)
            w.kv(6, "excused", False)
    w.kv(2, "chi_uy_met_before", m.chi_uy, "chi ủy họp trước chuẩn bị nội dung")
    w.kv(2, "draft_resolution", m.draft, "có dự thảo nghị quyết")
    w.kv(2, "minutes_recorded", m.minutes, "có biên bản")
    w.kv(2, "quality", quality(m), "tự xếp loại buổi sinh hoạt")
    w.line()
    w.line("# Sinh hoạt chuyên đề")
    w.line("thematic:")
    if m.thematic:
        quarter = (m.month - 1) // 3
        w.kv(2, "held", True)
        w.kv(2, "combined_with_regular", m.combined, "lồng ghép với sinh hoạt định kỳ")
        w.kv(2, "topic", u.topics[quarter % len(u.topics)])
        if m.combined:
            w.kv(2, "date", m.date)
        else:
            w.kv(2, "date", meeting_date(u, m.month, u.meeting_day + 12))
            w.kv(2, "duration_minutes", 90 + 15 * int(roll(u.id, m.month, "cd") * 3))
    else:
        w.kv(2, "held", False)
    w.line()
    w.line("# Tự đánh giá theo chỉ tiêu: Đạt / Không đạt; mức Tốt, Khá…; hoặc số điểm (8,5)")
    w.line("assessment:")
    current = ""
    for ind, hint in MONTHLY_SELF:
        crit = ind.split(".")[0]
        if crit != current:
            current = crit
            w.line(f"  # Tiêu chí {crit} — {CRITERIA[crit]}")
        value = m.values[ind]
        key = f'"{ind}"'
        if value is None:
            w.line(f"  {key}:")
            w.kv(4, "not_applicable", True)
            w.kv(4, "note", "Chi bộ cơ quan, đơn vị nên không áp dụng chỉ tiêu dành cho thôn, bản")
        else:
            w.kv(2, key, value, hint)
    if m.review:
        w.line()
        w.line("# Kết quả đảng ủy thẩm định (được dùng thay cho tự đánh giá khi có)")
        write_review(w, m.review)
    if m.events:
        w.line()
        w.line("# Sự việc trong tháng (kỷ luật, khiếu nại vượt cấp…)")
        w.line("events:")
        write_items(w, m.events)
    if m.notes:
        w.line()
        w.kv(0, "notes", m.notes)
    return w.text()


def discipline_cases(unit: Unit) -> list[dict[str, object]]:
    if unit.id == "pa-vi":
        return [
            {
                "member": name,
                "date": dt.date(YEAR, 7, 18),
                "form": "Khiển trách",
                "decision": "Quyết định số 12-QĐ/ĐU ngày 25/7/2024",
                "violation": "Vụ san lấp, xây dựng nhà ở trái phép trên đất nông nghiệp",
                "self_detected_remedied": False,
            }
            for name in ("Hầu Mí Lử", "Mua Mí Vàng")
        ]
    if unit.id == "truong-thcs-thuong-phung":
        return [
            {
                "member": "Lê Thị Thu Hằng",
                "date": dt.date(YEAR, 4, 22),
                "form": "Khiển trách",
                "violation": "Dạy thêm không đúng quy định",
                "self_detected_remedied": True,
            }
        ]
    return []


def render_year(unit: Unit) -> str:
    w = Writer()
    w.line("# yaml-language-server: $schema=../../../schemas/year-record.schema.json")
    w.line(f"# Hồ sơ cuối năm {YEAR} — {unit.name}")
    w.line(f"# Khung tiêu chí: {FRAMEWORK}. Tệp do tools/gen_example.py sinh ra.")
    w.kv(0, "unit", unit.id)
    w.kv(0, "year", YEAR)
    w.kv(0, "framework", FRAMEWORK)
    w.kv(0, "members", unit.members, "số đảng viên cuối năm")
    w.line()
    w.line("# Kết quả xếp loại đảng viên (cộng lại phải bằng số đảng viên)")
    w.line("member_classification:")
    labels = {
        "htxsnv": "hoàn thành xuất sắc nhiệm vụ",
        "httnv": "hoàn thành tốt nhiệm vụ",
        "htnv": "hoàn thành nhiệm vụ",
        "khtnv": "không hoàn thành nhiệm vụ",
        "not_rated": "chưa xếp loại (mới kết nạp, miễn sinh hoạt)",
    }
    for key, label in labels.items():
        w.kv(2, key, unit.classification.get(key, 0), label)
    assert sum(unit.classification.values()) == unit.members, unit.id
    w.line()
    w.line("# Xếp loại chất lượng chi bộ: htxsnv / httnv / htnv / khtnv")
    w.kv(0, "annual_classification", unit.annual)
    w.kv(0, "new_members", len(unit.admitted), "số đảng viên mới kết nạp trong năm")
    cases = discipline_cases(unit)
    w.line()
    w.line("# Đảng viên bị kỷ luật trong năm (một vụ việc chỉ tính một lần)")
    if cases:
        w.line("discipline:")
        write_items(w, cases)
    else:
        w.line("discipline: []")
    w.line()
    w.line("# Tự đánh giá các chỉ tiêu chấm cuối năm")
    w.line("assessment:")
    for ind, hint in YEARLY_SELF:
        w.kv(2, f'"{ind}"', unit.yearly_45, hint)
    if unit.id == "tram-y-te":
        w.line()
        w.line("# Kết quả chi bộ biểu quyết")
        w.line("vote:")
        w.kv(2, "by", "Hội nghị chi bộ Trạm Y tế xã")
        w.kv(2, "date", dt.date(YEAR, 12, 10))
        w.line("  values:")
        w.kv(4, '"4.5"', "3,5")
        w.line()
        w.line("# Kết quả đảng ủy thẩm định (quyết định khi có)")
        note = (
            "Trong năm chưa giới thiệu được quần chúng ưu tú nào để bồi dưỡng, "
            "kết nạp; chưa cử đảng viên đi bồi dưỡng lý luận chính trị"
        )
        write_review(w, Review(ISSUER, dt.date(YEAR, 12, 20), {"4.5": ("1,5", note)}))
    if unit.notes:
        w.line()
        w.kv(0, "notes", unit.notes)
    return w.text()


def dang_bo_cells() -> list[Unit]:
    """The cells under the đảng bộ: every cell of the example."""
    return UNITS


def render_units() -> str:
    w = Writer()
    w.line("# yaml-language-server: $schema=schemas/units.schema.json")
    w.line("# Đảng bộ xã Thượng Phùng và các chi bộ (năm 2024).")
    w.line("# members: số đảng viên cuối năm; registered: các năm đăng ký phấn đấu danh hiệu")
    w.line("# (“Đảng bộ cơ sở 4 tốt” với đảng bộ, “Chi bộ 4 tốt” với chi bộ);")
    w.line("# parent: mã tổ chức đảng cấp trên trực tiếp (null: cấp trên ở ngoài tệp này).")
    w.line("# Tệp do tools/gen_example.py sinh ra.")
    w.line("units:")
    for unit in UNITS:
        w.line(f"  # {unit.case}")
        w.kv(2, "- id", unit.id)
        w.kv(4, "name", unit.name)
        w.kv(4, "kind", unit.kind)
        w.kv(4, "parent", DANG_BO_ID)
        w.kv(4, "members", unit.members)
        w.line(f"    registered: [{', '.join(map(str, unit.registered))}]")
    w.line("  # đảng bộ cơ sở: chấm một lần cuối năm theo khung dang-bo-co-so-2024 (hồ sơ cuối năm")
    w.line("  # của đảng bộ và tỉ lệ chi bộ trực thuộc đạt “Chi bộ 4 tốt”, cần từ 70%)")
    w.kv(2, "- id", DANG_BO_ID)
    w.kv(4, "name", DANG_BO_NAME)
    w.kv(4, "kind", "dang_bo_co_so")
    w.line("    parent: null")
    w.kv(4, "members", sum(u.members for u in dang_bo_cells()))
    w.line(f"    registered: [{YEAR}]")
    return w.text()


def render_dang_bo_year() -> str:
    """The đảng bộ's own year record: its members' ratings are its cells' added up."""
    cells = dang_bo_cells()
    w = Writer()
    w.line("# yaml-language-server: $schema=../../../schemas/year-record.schema.json")
    w.line(f"# Hồ sơ cuối năm {YEAR} — {DANG_BO_NAME} (đánh giá “Đảng bộ cơ sở 4 tốt”)")
    w.line(f"# Khung tiêu chí: {DANG_BO_FRAMEWORK}. Tệp do tools/gen_example.py sinh ra.")
    w.kv(0, "unit", DANG_BO_ID)
    w.kv(0, "year", YEAR)
    w.kv(0, "framework", DANG_BO_FRAMEWORK)
    w.kv(0, "members", sum(u.members for u in cells), "số đảng viên cuối năm của các chi bộ")
    w.line()
    w.line("# Kết quả xếp loại đảng viên toàn đảng bộ (cộng từ các chi bộ)")
    w.line("member_classification:")
    for key in ("htxsnv", "httnv", "htnv", "khtnv", "not_rated"):
        w.kv(2, key, sum(u.classification.get(key, 0) for u in cells))
    w.line()
    w.line("# Xếp loại chất lượng đảng bộ: htxsnv / httnv / htnv / khtnv")
    w.kv(0, "annual_classification", "httnv")
    w.kv(0, "new_members", sum(len(u.admitted) for u in cells), "số đảng viên mới kết nạp trong năm")
    w.line()
    w.line("# Cấp ủy viên, tổ chức đảng trực thuộc bị kỷ luật trong năm (một vụ việc chỉ tính một lần)")
    w.line("discipline: []")
    w.line()
    w.line("# Đảng ủy tự đánh giá các chỉ tiêu chấm cuối năm")
    w.line("assessment:")
    for ind, value, hint in DANG_BO_SELF:
        w.kv(2, f'"{ind}"', value, hint)
    return w.text()


def main(argv: list[str]) -> int:
    if argv[1:2] in (["-h"], ["--help"]):
        print(__doc__)
        return 0
    here = Path(__file__).resolve().parent.parent
    workspace = Path(argv[1]) if len(argv) > 1 else here / "examples/dang-bo-xa-thuong-phung"
    if not (workspace / "chibo4tot.yaml").is_file():
        print(f"không tìm thấy không gian làm việc: {workspace}", file=sys.stderr)
        return 2
    (workspace / "units.yaml").write_text(render_units(), encoding="utf-8", newline="\n")
    records = workspace / "records" / str(YEAR)
    if records.exists():
        shutil.rmtree(records)
    count = 0
    for unit in UNITS:
        folder = records / unit.id
        folder.mkdir(parents=True)
        history: dict[str, int] = {}
        for month in range(1, 13):
            m = build_month(unit, month, history)
            if month in unit.missing:
                history.clear()  # nothing known about absences in a month with no record
                continue
            (folder / f"{YEAR}-{month:02d}.yaml").write_text(render_month(m), encoding="utf-8", newline="\n")
            count += 1
        (folder / "year.yaml").write_text(render_year(unit), encoding="utf-8", newline="\n")
        count += 1
    folder = records / DANG_BO_ID
    folder.mkdir(parents=True)
    (folder / "year.yaml").write_text(render_dang_bo_year(), encoding="utf-8", newline="\n")
    count += 1
    print(f"đã ghi units.yaml và {count} hồ sơ vào {records}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
