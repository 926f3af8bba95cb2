"""jieba with a user dictionary of education terms, built from the reference data in ``reference/``.

The dictionary holds the K-12 stages, subjects and editions, the chapter and section topics of real
textbooks (勾股定理, 一元二次方程), the undergraduate 专业类 and their 学科门类, the vocational 专业大类,
universities and industries. jieba keeps these words whole and search mode also yields their parts, so
``勾股定理`` is one token and ``勾股``, ``定理`` are others. Changing the dictionary changes how new documents
are cut: run ``manage.py search_reindex`` afterwards (two-character matching does not depend on it).
"""

from __future__ import annotations

import csv
import logging
import re
from functools import cache
from pathlib import Path

import jieba

REFERENCE = Path(__file__).resolve().parent / "reference"
# "第十七章 勾股定理", "17.1 勾股定理", "课题1 空气", "1 时、分、秒" → the topic after the number.
NUMBERING = re.compile(r"^(第[一二三四五六七八九十百零\d]+[章单元节课]|课题\s*\d+|\d+(\.\d+)*)\s*")
PARTS = re.compile(r"[、，,（）()——\s|：:；;“”\"《》]+")


def _rows(name: str) -> list[dict[str, str]]:
    with (REFERENCE / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _topic_words(title: str) -> list[str]:
    """A TOC title's topic and its parts: "3.2 解一元一次方程（一）——合并同类项与移项" → the whole topic, and
    "解一元一次方程", "合并同类项与移项"."""
    topic = NUMBERING.sub("", title.strip())
    parts = [p for p in PARTS.split(topic) if len(p) >= 2 and not p.isdigit()]
    return [topic, *parts] if topic and len(topic) <= 20 else parts


def education_terms() -> list[str]:
    """Every term of the user dictionary, without duplicates, in a stable order."""
    terms: list[str] = []
    for line in (REFERENCE / "subjects.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            terms.append(line.strip())
    for row in _rows("k12_textbook_toc.csv"):
        terms += _topic_words(row["chapter"])
        for section in filter(None, row["sections"].split("|")):
            terms += _topic_words(section)
    for row in _rows("higher_ed_disciplines.csv"):
        terms += [row["category"], row["class"], row["class"].removesuffix("类")]
    for row in _rows("vocational_categories.csv"):
        terms += [row["category"], row["category"].removesuffix("大类")]
    for row in _rows("universities.csv"):
        terms.append(row["name"])
    for row in _rows("industries.csv"):
        terms += [p for p in PARTS.split(row["industry"]) if len(p) >= 2]
    return [t for t in dict.fromkeys(terms) if " " not in t and len(t) >= 2]


@cache
def tokenizer() -> jieba.Tokenizer:
    """One jieba tokenizer per process, loaded on first use (about a second) with the user dictionary."""
    jieba.setLogLevel(logging.WARNING)
    instance = jieba.Tokenizer()
    instance.initialize()
    for term in education_terms():
        # A high frequency keeps the term whole against the general dictionary's splits.
        instance.add_word(term, freq=max(2000, 400 * len(term)))
    return instance
