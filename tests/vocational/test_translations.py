"""The vocational catalogue (vocational/locale) is complete, compiled and in use."""

from pathlib import Path

import polib
from django.utils import translation

CATALOGUE = Path(__file__).resolve().parents[2] / "vocational" / "locale" / "zh_Hans" / "LC_MESSAGES"


def test_every_message_is_translated_and_none_is_fuzzy():
    po = polib.pofile(str(CATALOGUE / "django.po"))
    assert len(po) > 200
    assert po.untranslated_entries() == []
    assert po.fuzzy_entries() == []
    assert not po.metadata_is_fuzzy


def test_compiled_catalogue_matches_the_source():
    po = {e.msgid: e.msgstr or e.msgstr_plural for e in polib.pofile(str(CATALOGUE / "django.po"))}
    mo = {e.msgid: e.msgstr or e.msgstr_plural for e in polib.mofile(str(CATALOGUE / "django.mo")) if e.msgid}
    assert mo == po


def test_translations_are_active():
    with translation.override("zh-hans"):
        assert translation.gettext("Copy into my personalised course") == "复制为我的个性化课程"
        assert translation.gettext("Teacher response rate") == "教师答疑率"
    with translation.override("en"):
        assert translation.gettext("Teacher response rate") == "Teacher response rate"
