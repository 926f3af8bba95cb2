"""Chinese (and mixed) text → index tokens, and a user's query → the terms to match. Pure functions.

Both backends store the same tokens beside each record and match the same terms, so the two modes find the
same documents:

* **Index tokens** of a text are (1) jieba's words in search mode (``勾股定理`` also gives ``勾股``,
  ``定理``), (2) every two-character substring (bigram) of each run of Chinese characters, in order, so
  that any two-character query and any run of characters typed as a phrase matches whatever jieba made of
  the text, and (3) for titles only, every single Chinese character, so that one-character queries (圆, 力)
  find titles. Tokens are NFKC-normalised, lower-cased and made only of letters and digits: no character
  of any query syntax (tsquery ``& | ! : *``, FTS5 ``" * NEAR``, SQL ``'``) survives into a token.
* **Query terms**: the query is split on spaces, then into runs of Chinese characters and of other letters
  and digits. A Chinese run is cut into words with jieba (accurate mode); single characters left over by
  an unknown word (勾|股定|里) are glued back to their neighbours, and function words (的, 和…) are dropped
  when other words remain. Each word becomes a *phrase of its bigrams* (勾股定理 → 勾股 股定 定理),
  which every document that contains the word as written matches. Every term must match (AND).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache

from django.utils.html import format_html
from django.utils.safestring import SafeString

from smartedu.search.dictionary import tokenizer

MAX_QUERY_LENGTH = 100
MAX_TOKEN_LENGTH = 60
# Function words that carry no meaning on their own in a query (kept in the index).
STOPWORDS = frozenset("的 了 和 与 及 或 之 在 是 中 对 把 被 等 也 就 都 而 并".split())  # noqa: SIM905


def _is_cjk(char: str) -> bool:
    code = ord(char)
    return (
        0x4E00 <= code <= 0x9FFF  # CJK unified ideographs
        or 0x3400 <= code <= 0x4DBF  # extension A
        or 0x20000 <= code <= 0x2EBEF  # extensions B–F
        or 0xF900 <= code <= 0xFAFF  # compatibility ideographs
        or 0x3040 <= code <= 0x30FF  # kana (日语 titles)
    )


def normalize(text: str) -> str:
    """NFKC (full-width → half-width letters and digits), lower case, one space between words; control
    characters (NUL, which PostgreSQL refuses in a string, among them) separate words like spaces."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    return " ".join("".join(" " if unicodedata.category(c) == "Cc" else c for c in text).split())


def _segments(text: str) -> Iterator[tuple[bool, str]]:
    """Maximal runs of Chinese characters (True) and of other letters/digits (False), in order."""
    kind: bool | None = None
    start = 0
    for index, char in enumerate(text):
        current = _is_cjk(char) if char.isalnum() else None
        if current != kind:
            if kind is not None:
                yield kind, text[start:index]
            kind, start = current, index
    if kind is not None:
        yield kind, text[start:]


def _clean(word: str) -> list[str]:
    """A jieba word as index tokens: letters and digits only, split where a script changes."""
    return [segment for _, segment in _segments(normalize(word)) if len(segment) <= MAX_TOKEN_LENGTH]


def bigrams(run: str) -> list[str]:
    """The two-character substrings of a run of Chinese characters, in order (the run itself if shorter)."""
    if len(run) < 2:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


def index_tokens(text: str, *, unigrams: bool = False) -> list[str]:
    """The tokens stored for ``text``: jieba search-mode words, then the bigrams (and unigrams) of its
    Chinese runs. Duplicates are kept: the order and count feed phrase matching and ranking.

    Computed per space-separated group and concatenated, which is exact (jieba cuts blocks that never
    span a space; runs end at one), so that repeated groups (an employer's name, a city, a subject) are
    tokenised once per process."""
    text = normalize(text)
    if not text:
        return []
    words: list[str] = []
    grams: list[str] = []
    singles: list[str] = []
    for group in text.split(" "):
        group_words, group_grams, group_singles = _tokens_of(group)
        words += group_words
        grams += group_grams
        singles += group_singles
    return words + grams + (singles if unigrams else [])


def index_token_parts(text: str) -> tuple[list[str], list[str]]:
    """``index_tokens(text)`` (without unigrams) as its words and its bigrams. The tokens of texts joined
    by spaces are the words of each, in order, then the bigrams of each: a bulk loader tokenises a part
    that repeats (an employer's name, a city) once and joins the parts."""
    words: list[str] = []
    grams: list[str] = []
    for group in normalize(text).split(" "):
        group_words, group_grams, _ = _tokens_of(group)
        words += group_words
        grams += group_grams
    return words, grams


GroupTokens = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]
_bulk_groups: dict[str, GroupTokens] | None = None


@contextmanager
def bulk_token_cache() -> Iterator[None]:
    """Within it, every group tokenised is kept until the end (not only the last 20,000): a bulk load
    that meets 200,000 employer names twice (their documents, then their jobs') cuts each once."""
    global _bulk_groups
    outer = _bulk_groups
    if outer is None:
        _bulk_groups = {}
    try:
        yield
    finally:
        _bulk_groups = outer


def _tokens_of(group: str) -> GroupTokens:
    cache = _bulk_groups
    if cache is None:
        return _group_tokens(group)
    found = cache.get(group)
    if found is None:
        found = cache[group] = _group_tokens.__wrapped__(group)
    return found


@lru_cache(maxsize=20_000)
def _group_tokens(group: str) -> GroupTokens:
    """Words, bigrams and single characters of one normalised group of characters without spaces."""
    words = tuple(token for word in tokenizer().cut_for_search(group) for token in _clean(word))
    runs = [segment for is_cjk, segment in _segments(group) if is_cjk]
    grams = tuple(gram for run in runs if len(run) > 1 for gram in bigrams(run))
    singles = tuple(char for run in runs for char in run)
    return words, grams, singles


def token_string(tokens: Iterable[str]) -> str:
    return " ".join(tokens)


# --- Queries ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """One word of a query, matched as a phrase of ``tokens`` (adjacent, in order)."""

    text: str
    tokens: tuple[str, ...]
    cjk: bool

    @property
    def single_character(self) -> bool:
        """One Chinese character: matched as a prefix of tokens (the bigrams it starts), since the text's
        tokens hold single characters for titles only."""
        return self.cjk and len(self.text) == 1


@dataclass(frozen=True)
class ParsedQuery:
    """A normalised query and its terms; ``prefix`` makes the last term match as a prefix (typeahead)."""

    raw: str
    normalized: str
    terms: tuple[Term, ...] = field(default_factory=tuple)
    prefix: bool = False

    @property
    def is_empty(self) -> bool:
        return not self.terms

    @property
    def phrase(self) -> str:
        """The query without spaces, as it would appear inside a title (for the phrase-in-title tier)."""
        return "".join(term.text for term in self.terms)

    def words(self) -> list[str]:
        return [term.text for term in self.terms]


def _glue_fragments(fragments: list[str]) -> list[str]:
    """Glue single characters left by an unknown word back to their neighbours (勾|股定|里 → 勾股定里)."""
    glued: list[str] = []
    for fragment in fragments:
        if fragment in STOPWORDS:
            glued.append(fragment)
            continue
        previous = glued[-1] if glued else None
        if previous is not None and previous not in STOPWORDS and (len(previous) == 1 or len(fragment) == 1):
            glued[-1] = previous + fragment
        else:
            glued.append(fragment)
    return glued


def _cjk_words(run: str) -> list[str]:
    fragments = [w for w in tokenizer().lcut(run, HMM=False) if w.strip()]
    return _glue_fragments(fragments)


def _term(word: str, *, cjk: bool) -> Term:
    return Term(text=word, tokens=tuple(bigrams(word)) if cjk else (word,), cjk=cjk)


def parse_query(raw: str, *, prefix: bool = False) -> ParsedQuery:
    """The terms of a user's query. Characters other than letters and digits only separate words, so any
    string at all parses (to no terms at worst) and no query syntax reaches a backend."""
    normalized = normalize(raw)[: MAX_QUERY_LENGTH * 2]
    terms: list[Term] = []
    for chunk in normalized.split(" "):
        for is_cjk, segment in _segments(chunk):
            if len(segment) > MAX_TOKEN_LENGTH:
                segment = segment[:MAX_TOKEN_LENGTH]
            if is_cjk:
                terms += [_term(word, cjk=True) for word in _cjk_words(segment)]
            else:
                terms.append(_term(segment, cjk=False))
    meaningful = [term for term in terms if term.text not in STOPWORDS]
    if meaningful:
        terms = meaningful
    unique = list({term.text: term for term in terms}.values())
    return ParsedQuery(raw=raw, normalized=normalized, terms=tuple(unique[:12]), prefix=prefix)


# --- Highlighting -------------------------------------------------------------------------------


def _normalized_with_map(text: str) -> tuple[str, list[int]]:
    """``text`` normalised character by character, with the index in ``text`` of every output character."""
    out: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        piece = unicodedata.normalize("NFKC", char).lower()
        out.append(piece)
        origin += [index] * len(piece)
    return "".join(out), origin


def match_spans(text: str, query: ParsedQuery) -> list[tuple[int, int]]:
    """Where the query's words occur in ``text`` (offsets into ``text``), merged and sorted."""
    if not text or query.is_empty:
        return []
    normalized, origin = _normalized_with_map(text)
    needles = sorted({term.text for term in query.terms}, key=len, reverse=True)
    spans: list[tuple[int, int]] = []
    for needle in needles:
        for found in re.finditer(re.escape(needle), normalized):
            spans.append((origin[found.start()], origin[found.end() - 1] + 1))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def snippet_window(text: str, spans: list[tuple[int, int]], *, width: int = 90) -> tuple[str, list]:
    """A window of ``text`` around the first match, and the spans shifted into it."""
    if len(text) <= width:
        return text, spans
    first = spans[0][0] if spans else 0
    start = max(0, min(first - width // 4, len(text) - width))
    end = start + width
    window = ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")
    shift = start - (1 if start else 0)
    shifted = [(a - shift, b - shift) for a, b in spans if a >= start and b <= end]
    return window, shifted


def highlight(text: str, spans: list[tuple[int, int]]) -> SafeString:
    """``text`` escaped, with each span wrapped in ``<mark>``; only our own tags are left unescaped."""
    result = SafeString("")
    position = 0
    for start, end in spans:
        result += format_html("{}<mark>{}</mark>", text[position:start], text[start:end])
        position = end
    return result + format_html("{}", text[position:])
