"""The classes and quizzes apps keep their own zh-hans catalogues: complete, not fuzzy, compiled."""

from pathlib import Path

import polib
import pytest
from django.utils import translation

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("app", ["classes", "quizzes"])
def test_every_message_is_translated_and_compiled(app):
    folder = ROOT / "smartedu" / app / "locale" / "zh_Hans" / "LC_MESSAGES"
    po = polib.pofile(str(folder / "django.po"))
    assert len(po) > 50
    assert po.untranslated_entries() == []
    assert po.fuzzy_entries() == []
    compiled = {
        (e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural
        for e in polib.mofile(str(folder / "django.mo"))
        if e.msgid
    }
    source = {(e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural for e in po.translated_entries()}
    assert compiled == source


@pytest.mark.parametrize(
    ("msgid", "chinese"),
    [
        ("Class code", "班级码"),
        ("Join a class", "加入班级"),
        ("My classes", "我的班级"),
        ("Single choice", "单选题"),
        ("Multiple choice", "多选题"),
        ("True or false", "判断题"),
        ("Fill in the blank", "填空题"),
        ("knowledge point", "知识点"),
        ("Wrong-answer book", "错题本"),
        ("In-class test", "随堂测验"),
    ],
)
def test_the_words_chinese_teachers_use(msgid, chinese):
    with translation.override("zh-hans"):
        assert translation.gettext(msgid) == chinese
