"""Bytes to text: size and emptiness checks, UTF-16 and old Vietnamese encodings named, UTF-8 decoded.

A file fails here before any YAML parser sees it, with a message that tells an office worker how
to save it again (Notepad's "Unicode" is UTF-16; TCVN3/VNI and Windows-1258 are the old encodings).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from chibo4tot.i18n import _

MAX_FILE_BYTES = 2 * 1024 * 1024
_VIETNAMESE_CP1258_MARKS = {0xCC, 0xEC, 0xD2, 0xDE, 0xF2}
_TCVN3_HINTS = re.compile(rb"[\xa4-\xfe][a-zA-Z ]|[a-zA-Z][\xa4-\xfe]")


@dataclass(frozen=True)
class YamlProblem(Exception):
    """Something wrong with a file before any model sees it; ``line`` is 1-based."""

    message: str
    line: int | None = None
    col: int | None = None


def size_problem(size: int) -> YamlProblem | None:
    """A file of ``size`` bytes is refused before it is read when it is over the cap."""
    if size <= MAX_FILE_BYTES:
        return None
    return YamlProblem(
        _("tệp quá lớn ({size} byte, tối đa {limit} byte)").format(
            size=f"{size:,}".replace(",", "."), limit=f"{MAX_FILE_BYTES:,}".replace(",", ".")
        )
    )


def decode(raw: bytes) -> str:
    """Bytes → text, or a YamlProblem saying what the bytes look like."""
    if (too_large := size_problem(len(raw))) is not None:
        raise too_large
    if not raw.strip():
        raise YamlProblem(_("tệp rỗng: chưa có nội dung nào"), 1, 1)
    if (variant := utf16_variant(raw)) is not None:
        raise YamlProblem(
            _(
                "tệp được lưu bằng bảng mã UTF-16 ({variant}), không phải UTF-8; hãy mở tệp và lưu lại "
                "với bảng mã UTF-8 (ví dụ trong Notepad: chọn “Lưu thành”, mục “Mã hóa” chọn UTF-8)"
            ).format(variant=variant),
            1,
            1,
        )
    if b"\x00" in raw[:8192] or _control_ratio(raw[:8192]) > 0.1:
        raise YamlProblem(_("tệp nhị phân, không phải tệp văn bản YAML"), 1, 1)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise YamlProblem(
            _("tệp không phải mã UTF-8 ({guess}); hãy lưu lại tệp với bảng mã UTF-8").format(
                guess=guess_legacy_encoding(raw)
            ),
            line,
            col,
        ) from None
    return text


_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def utf16_variant(raw: bytes) -> str | None:
    """ "UTF-16 LE"/"UTF-16 BE" if the bytes are UTF-16 text (Notepad's "Unicode"), else None.

    With a byte-order mark it is certain. Without one, UTF-16 text of YAML (ASCII keys, spaces,
    line ends) has a zero byte in one half of many character pairs and almost never in the other;
    the guess is kept only if the bytes then decode to text without control characters.
    """
    if raw.startswith(b"\xff\xfe"):
        return "UTF-16 LE"
    if raw.startswith(b"\xfe\xff"):
        return "UTF-16 BE"
    sample = raw[:8192]
    sample = sample[: len(sample) - len(sample) % 2]
    pairs = len(sample) // 2
    if pairs < 2:
        return None
    even_zeros = sample[0::2].count(0) / pairs
    odd_zeros = sample[1::2].count(0) / pairs
    for zeros, other, codec, name in (
        (odd_zeros, even_zeros, "utf-16-le", "UTF-16 LE"),
        (even_zeros, odd_zeros, "utf-16-be", "UTF-16 BE"),
    ):
        if zeros > 0.2 and other < 0.02:
            try:
                text = sample.decode(codec)
            except UnicodeDecodeError:
                continue
            if not _NOT_TEXT.search(text):
                return name
    return None


_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 13))


def _control_ratio(raw: bytes) -> float:
    if not raw:
        return 0.0
    controls = len(raw) - len(raw.translate(None, _CONTROL_BYTES))  # counted in C, not per byte
    return controls / len(raw)


def guess_legacy_encoding(raw: bytes) -> str:
    """Name the old Vietnamese encoding the bytes most look like."""
    try:
        raw.decode("cp1258")
        cp1258_ok = True
    except UnicodeDecodeError:
        cp1258_ok = False
    marks = sum(1 for b in raw if b in _VIETNAMESE_CP1258_MARKS)
    high = sum(1 for b in raw if b >= 0x80)
    if cp1258_ok and high and marks / high > 0.25:
        return _("có vẻ là bảng mã Windows-1258 (cp1258)")
    if _TCVN3_HINTS.search(raw):
        return _("có vẻ là bảng mã TCVN3 (ABC) hoặc VNI của phông chữ cũ")
    return _("bảng mã không xác định")
