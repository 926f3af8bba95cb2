import pytest

from smartedu.portal.numbers import format_count


@pytest.mark.parametrize(
    ("value", "zh", "en"),
    [
        (0, "0", "0"),
        (9_999, "9,999", "9,999"),
        (10_000, "1万", "10,000"),
        (2_099_495, "209.9万", "2,099,495"),
        (123_456_789, "1.2亿", "123,456,789"),
        (-25_000, "-2.5万", "-25,000"),
    ],
)
def test_counts_read_in_wan_and_yi_in_chinese_and_with_separators_otherwise(value, zh, en):
    assert format_count(value, language="zh-hans") == zh
    assert format_count(value, language="en") == en


def test_nothing_reads_as_nothing():
    assert format_count(None) == ""
