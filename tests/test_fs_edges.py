"""File-system edges: only regular files are read, links stay inside the workspace, sizes are
checked before reading, and every refusal is a located Vietnamese problem (exit 1)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from chibo4tot.inputs import decoding
from tests.conftest import dump_yaml, invoke, month_record

REC = Path("records/2024/chi-bo-1/2024-04.yaml")


def _errors(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if ": lỗi: " in line]


def _refused(root: Path, rel: Path, words: str) -> None:
    result = invoke(["validate", str(root)], exit_code=1)
    errors = _errors(result.stderr)
    assert any(line.startswith(f"{root / rel}:") and words in line for line in errors), result.stderr


def _validate_in_child(root: Path) -> subprocess.CompletedProcess[str]:
    """``validate`` in a child process with a timeout: opening a FIFO for reading waits for a
    writer, and a test must fail on that, not hang."""
    return subprocess.run(
        [sys.executable, "-m", "chibo4tot", "validate", str(root)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
        env={**os.environ, "CHIBO4TOT_LANG": "vi"},
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_record_is_reported_not_waited_for(make_ws: Callable[..., Path]) -> None:
    root = make_ws()
    os.mkfifo(root / REC)
    done = _validate_in_child(root)
    assert done.returncode == 1, done.stderr
    assert any(
        line.startswith(f"{root / REC}:") and "ống dẫn (FIFO)" in line for line in _errors(done.stderr)
    ), done.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
@pytest.mark.parametrize("name", ["units.yaml", "chibo4tot.yaml"])
def test_a_fifo_workspace_file_is_reported_as_a_fifo_not_as_missing(
    make_ws: Callable[..., Path], name: str
) -> None:
    root = make_ws()
    (root / name).unlink()
    os.mkfifo(root / name)
    done = _validate_in_child(root)
    assert done.returncode == 1, done.stderr
    fifo = [line for line in _errors(done.stderr) if line.startswith(f"{root / name}:")]
    assert fifo and "ống dẫn (FIFO)" in fifo[0], done.stderr
    assert "thiếu tệp" not in done.stderr and "không tìm thấy" not in done.stderr


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero on this system")
def test_a_record_linked_to_a_device_is_reported_without_reading(make_ws: Callable[..., Path]) -> None:
    root = make_ws()
    (root / REC).symlink_to("/dev/zero")
    # /dev/zero is outside the workspace: the link is refused before anything is opened.
    _refused(root, REC, "trỏ ra ngoài thư mục")


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero on this system")
def test_a_device_is_never_read(tmp_path: Path) -> None:
    from chibo4tot.fsio import ReadRefused, read_regular_bytes

    with pytest.raises(ReadRefused, match="thiết bị"):
        read_regular_bytes(Path("/dev/zero"), 100)


@pytest.mark.skipif(not hasattr(socket, "AF_UNIX"), reason="no Unix sockets on this system")
def test_a_socket_record_is_reported(make_ws: Callable[..., Path]) -> None:
    root = make_ws()
    server = socket.socket(socket.AF_UNIX)
    here = Path.cwd()
    try:
        os.chdir(root / REC.parent)  # a socket path is limited to ~100 bytes: bind it relatively
        try:
            server.bind(REC.name)
        finally:
            os.chdir(here)
        _refused(root, REC, "socket")
    finally:
        server.close()


def test_the_size_cap_is_checked_before_reading(
    make_ws: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_ws()
    with (root / REC).open("wb") as fh:
        fh.truncate(decoding.MAX_FILE_BYTES + 1)  # sparse: nothing written, nothing to read
    opened: list[str] = []
    real_open = os.open

    def spy(path: str | os.PathLike[str], *args: object, **kwargs: object) -> int:
        opened.append(os.fspath(path))
        return real_open(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", spy)
    _refused(root, REC, "tệp quá lớn (2.097.153 byte, tối đa 2.097.152 byte)")
    assert str(root / REC) not in opened


def test_a_record_linked_out_of_the_workspace_is_refused(
    make_ws: Callable[..., Path], tmp_path: Path
) -> None:
    root = make_ws()
    outside = tmp_path / "ngoai.yaml"
    outside.write_text(dump_yaml(month_record("chi-bo-1", "2024-04")), encoding="utf-8")
    (root / REC).symlink_to(outside)
    # Shown from the workspace, never as a path of this machine (DESIGN §6).
    _refused(root, REC, "trỏ ra ngoài thư mục “ws” (tới ../ngoai.yaml)")
    assert str(outside) not in invoke(["validate", str(root)], exit_code=1).stderr


def test_a_record_linked_inside_the_workspace_is_read(make_ws: Callable[..., Path]) -> None:
    root = make_ws()
    inside = root / "ban-sao" / "2024-04.yaml"
    inside.parent.mkdir()
    inside.write_text(dump_yaml(month_record("chi-bo-1", "2024-04")), encoding="utf-8")
    (root / REC).symlink_to(inside)
    result = invoke(["validate", str(root)])
    assert "7 hồ sơ tháng" in result.stdout


def test_a_records_folder_that_is_a_symlink_loop_is_reported(make_ws: Callable[..., Path]) -> None:
    root = make_ws()
    (root / "records").rename(root / "cu")
    (root / "records").symlink_to(root / "records")
    _refused(root, Path("records"), "vòng lặp")


@pytest.mark.parametrize("command", ["score", "report"])
def test_a_year_without_records_shows_why_the_records_could_not_be_read(
    make_ws: Callable[..., Path], command: str
) -> None:
    # "năm 2024 không chấm được: chưa có hồ sơ nào" alone hid the real cause: records/ is a loop.
    root = make_ws()
    (root / "records").rename(root / "cu")
    (root / "records").symlink_to(root / "records")
    result = invoke([command, str(root), "--year", "2024"], exit_code=1)
    loop = [line for line in _errors(result.stderr) if line.startswith(f"{root / 'records'}:")]
    assert loop and "vòng lặp" in loop[0], result.stderr
    assert "chưa có hồ sơ nào trong records/2024/" in result.stderr


def test_a_link_to_an_ancestor_folder_is_a_loop(make_ws: Callable[..., Path]) -> None:
    root = make_ws()
    (root / "records/2024/chi-bo-1/vong").symlink_to(root / "records")
    _refused(root, Path("records/2024/chi-bo-1/vong"), "vòng lặp")


def test_a_records_folder_linked_out_of_the_workspace_is_refused(
    make_ws: Callable[..., Path], tmp_path: Path
) -> None:
    root = make_ws()
    (root / "records").rename(tmp_path / "records")
    (root / "records").symlink_to(tmp_path / "records")
    _refused(root, Path("records"), "trỏ ra ngoài thư mục")


def test_a_framework_linked_out_of_the_workspace_is_refused(
    make_ws: Callable[..., Path], tmp_path: Path
) -> None:
    root = make_ws()
    (root / "criteria/mini-2024.yaml").rename(tmp_path / "mini-2024.yaml")
    (root / "criteria/mini-2024.yaml").symlink_to(tmp_path / "mini-2024.yaml")
    _refused(root, Path("criteria/mini-2024.yaml"), "trỏ ra ngoài thư mục")


def test_a_dangling_record_link_is_reported(make_ws: Callable[..., Path]) -> None:
    root = make_ws()
    (root / REC).symlink_to(root / "khong-co.yaml")
    _refused(root, REC, "trỏ tới tệp không có")


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_a_utf16_file_is_named_utf16_not_binary(make_ws: Callable[..., Path], codec: str) -> None:
    root = make_ws()
    text = dump_yaml(month_record("chi-bo-1", "2024-04", note="Chi bộ họp đúng kỳ, đủ nội dung"))
    (root / REC).write_bytes(text.encode(codec))  # "utf-16" writes a byte-order mark
    result = invoke(["validate", str(root)], exit_code=1)
    errors = [line for line in _errors(result.stderr) if line.startswith(f"{root / REC}:1:1:")]
    assert len(errors) == 1, result.stderr
    assert "bảng mã UTF-16" in errors[0] and "lưu lại với bảng mã UTF-8" in errors[0]
    assert "nhị phân" not in errors[0]


def test_legacy_vietnamese_encodings_are_still_named() -> None:
    from tests.test_cli_validate import to_cp1258

    with pytest.raises(decoding.YamlProblem, match="Windows-1258"):
        decoding.decode(b"ghi_chu: " + to_cp1258("Chi bộ thôn Việt Nam họp đúng kỳ hằng tháng") + b"\n")
    assert decoding.utf16_variant(b"unit: chi-bo-1\nmonth: 2024-04\n") is None
