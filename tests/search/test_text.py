"""Tokens, query parsing and highlighting (pure functions)."""

from hypothesis import given, settings
from hypothesis import strategies as st

from smartedu.search.text import highlight, index_tokens, match_spans, normalize, parse_query

HOSTILE = [
    "'",
    "&",
    "|",
    "!",
    ":*",
    '"',
    "*",
    "NEAR",
    "NEAR(",
    "(",
    ")",
    "\\",
    "--",
    ";",
    "%",
    "_",
    "{col}:",
    "-",
]


def test_titles_get_words_bigrams_and_single_characters_texts_no_single_characters():
    title = index_tokens("17.1 勾股定理", unigrams=True)
    body = index_tokens("勾股定理")
    assert {"勾股定理", "勾股", "股定", "定理", "17", "1", "勾", "理"} <= set(title)
    assert "勾" not in body
    assert {"勾股定理", "股定"} <= set(body)


def test_full_width_and_upper_case_are_normalised():
    assert normalize("ＰＹＴＨＯＮ　数据分析") == "python 数据分析"
    assert "python" in index_tokens("Ｐｙｔｈｏｎ基础")


def test_control_characters_separate_words_and_never_reach_the_database():
    # PostgreSQL refuses NUL in a string literal: a query carrying one was a 500 (found by hypothesis)
    assert normalize("勾股\x00定理\t\r\nABC") == "勾股 定理 abc"
    assert "\x00" not in " ".join(parse_query("' 0\x00", prefix=True).words())


def test_an_unknown_word_stays_whole_and_function_words_are_dropped():
    assert parse_query("勾股定里").words() == ["勾股定里"]
    assert parse_query("一元二次方程的解法").words() == ["一元二次方程", "解法"]
    assert parse_query("Python数据分析").words() == ["python", "数据分析"]
    assert parse_query("的").words() == ["的"]


def test_syntax_characters_are_only_separators():
    assert parse_query("' & | ! :* \" * NEAR").words() == ["near"]
    assert parse_query("&&&").is_empty


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(HOSTILE), st.text(max_size=8)), max_size=8).map(" ".join))
def test_every_token_of_any_string_is_letters_and_digits(text):
    for token in index_tokens(text, unigrams=True):
        assert token.isalnum()
        assert token == token.lower()
    for term in parse_query(text).terms:
        assert all(token.isalnum() for token in term.tokens)


def test_highlight_escapes_the_text_and_marks_the_matches():
    text = "<script>alert(1)</script> 勾股定理"
    html = highlight(text, match_spans(text, parse_query("勾股定理 script")))
    assert "<script>" not in html
    assert "&lt;<mark>script</mark>&gt;" in html
    assert "<mark>勾股定理</mark>" in html


def test_bulk_token_cache_gives_the_same_tokens_and_keeps_every_group_until_it_ends():
    from smartedu.search import text

    names = [f"广东示例企业{n}有限公司 深圳 Java开发" for n in range(3)]
    plain = [index_tokens(name) for name in names]
    with text.bulk_token_cache():
        assert [index_tokens(name) for name in names] == plain
        # the parts API: words then bigrams, the same tokens index_tokens stores
        assert [[*words, *grams] for words, grams in map(text.index_token_parts, names)] == plain
        assert {"广东示例企业0有限公司", "深圳", "java开发"} <= set(text._bulk_groups or {})
    assert text._bulk_groups is None
