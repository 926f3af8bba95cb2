"""Large numbers as Chinese readers read them: 万 (10⁴) and 亿 (10⁸); separators in other languages."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.utils import translation


def _one_decimal(value: Decimal) -> str:
    text = str(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
    return text.removesuffix(".0")


def format_count(value: int | float | None, *, language: str | None = None) -> str:
    """``2099495`` → ``"209.9万"`` in Chinese, ``"2,099,495"`` otherwise; below 10,000 with separators."""
    if value is None:
        return ""
    number = int(value)
    language = language or translation.get_language() or "zh-hans"
    if language.startswith("zh") and abs(number) >= 10_000:
        if abs(number) >= 100_000_000:
            return f"{_one_decimal(Decimal(number) / Decimal(100_000_000))}亿"
        return f"{_one_decimal(Decimal(number) / Decimal(10_000))}万"
    return f"{number:,}"
