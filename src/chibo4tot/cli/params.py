"""The parameters every command shares, declared once so that they read the same everywhere.

* The workspace is always the optional positional ``THƯ_MỤC`` (DESIGN §5): omitted, it is the
  current folder, and the nearest folder above with ``chibo4tot.yaml`` is used. ``--dir`` is kept
  as a hidden alias, because earlier versions asked for it on ``explain``, ``new`` and ``criteria``.
* ``--year`` and ``--month`` have the same names, metavars and forms on every command: a month
  is ``6`` or ``2024-06`` (``evaluation.parse_month``).

Help texts and metavars are Vietnamese literals marked with ``N_``; the help page translates them
when it is shown (``click_vi``), so ``--lang en --help`` is English throughout.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from chibo4tot.errors import UsageError
from chibo4tot.i18n import N_, _

WORKSPACE_METAVAR = N_("THƯ_MỤC")
YEAR_METAVAR = N_("NĂM")
MONTH_METAVAR = N_("THÁNG")
UNIT_METAVAR = N_("MÃ_CHI_BỘ")

WorkspaceDir = Annotated[
    Path | None,
    typer.Argument(
        metavar=WORKSPACE_METAVAR,
        show_default=False,
        help=N_(
            "Thư mục không gian làm việc (mặc định: thư mục hiện tại, hoặc thư mục cha gần nhất có "
            "chibo4tot.yaml)."
        ),
    ),
]
DirAlias = Annotated[Path | None, typer.Option("--dir", hidden=True, show_default=False)]

ScoreYear = Annotated[
    int | None,
    typer.Option("--year", metavar=YEAR_METAVAR, help=N_("Năm đánh giá (mặc định: năm gần nhất có hồ sơ).")),
]
AsOfMonth = Annotated[
    str | None,
    typer.Option(
        "--month",
        metavar=MONTH_METAVAR,
        help=N_("Tính đến hết tháng này: 6 hoặc 2024-06 (mặc định: cả năm; năm nay: đến tháng trước)."),
    ),
]
NoCache = Annotated[
    bool,
    typer.Option(
        "--no-cache",
        help=N_("Đọc và chấm lại mọi hồ sơ, không dùng bộ nhớ đệm .chibo4tot/cache/ (kết quả vẫn như nhau)."),
    ),
]

# What every command that writes the year-end documents (report, rollup) asks the same way.
ReportFormats = Annotated[
    str,
    typer.Option(
        "--format",
        metavar="xlsx,md,docx",
        show_default=False,
        help=N_("Các định dạng, cách nhau dấu phẩy (mặc định: cả ba)."),
    ),
]
ReportDate = Annotated[
    str | None,
    typer.Option(
        "--date", metavar=N_("NGÀY"), help=N_("Ngày ghi trên báo cáo, ví dụ 2025-01-15 (mặc định: hôm nay).")
    ),
]
ReportForce = Annotated[bool, typer.Option("--force", help=N_("Ghi đè các tệp báo cáo đã có."))]


def workspace_dir(directory: Path | None, alias: Path | None) -> Path:
    """The folder the user named, as an argument or with the old ``--dir``; "." when neither."""
    if directory is not None and alias is not None and directory != alias:
        raise UsageError(
            _("thư mục không gian làm việc được nêu hai lần ({a} và --dir {b}); hãy nêu một lần").format(
                a=directory, b=alias
            )
        )
    return directory or alias or Path(".")
