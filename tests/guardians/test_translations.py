"""The guardians app keeps its own zh-hans catalogue: complete, not fuzzy, compiled."""

from pathlib import Path

import polib
from django.utils import translation

FOLDER = Path(__file__).resolve().parents[2] / "smartedu" / "guardians" / "locale" / "zh_Hans" / "LC_MESSAGES"


def test_every_message_is_translated_and_compiled():
    po = polib.pofile(str(FOLDER / "django.po"))
    assert len(po) > 30
    assert po.untranslated_entries() == []
    assert po.fuzzy_entries() == []
    compiled = {e.msgid: e.msgstr for e in polib.mofile(str(FOLDER / "django.mo")) if e.msgid}
    assert compiled == {e.msgid: e.msgstr for e in po.translated_entries()}


def test_the_family_words_in_chinese():
    with translation.override("zh-hans"):
        assert translation.gettext("Family") == "家庭"
        assert translation.gettext("Parent") == "家长"
        assert translation.gettext("Lesson preparation and homework") == "备课与作业"
