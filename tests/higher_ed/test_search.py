import pytest

from higher_ed.models import Platform
from higher_ed.search import SEARCH_KINDS
from tests.factories.higher_ed import course, teacher

pytestmark = pytest.mark.django_db

KINDS = {kind.key: kind for kind in SEARCH_KINDS}


def test_course_documents_have_title_body_facets_url_popularity_and_suggestions():
    lin = teacher("林毅夫")
    made = course("宏观经济学", class_code="0201", teachers=(lin,), first_class=True)
    (document,) = KINDS["higher_ed.course"].documents()
    assert document.title == "宏观经济学"
    assert "林毅夫" in document.body
    assert "北京大学" in document.body
    assert document.url == f"/higher-ed/courses/{made.pk}/"
    assert document.facets["category"] == "02"
    assert document.facets["platform"] == "icourse163"
    assert document.facets["first_class"] is True
    assert document.suggestions == ("宏观经济学", "北京大学", "林毅夫")


def test_documents_leave_out_switched_off_platforms():
    shown = course("数据结构", teachers=(teacher("李明"),))
    other = teacher("王芳", university_name="清华大学")
    hidden = course("操作系统", platform_code="xuetangx", teachers=(other,), university_name="清华大学")
    Platform.objects.filter(code="xuetangx").update(enabled=False)
    assert [d.object_id for d in KINDS["higher_ed.course"].documents()] == [shown.pk]
    assert list(KINDS["higher_ed.course"].documents(ids=[hidden.pk])) == []
    assert [d.title for d in KINDS["higher_ed.university"].documents()] == ["北京大学"]
    assert [d.title for d in KINDS["higher_ed.teacher"].documents()] == ["李明"]
