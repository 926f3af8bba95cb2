import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from smartedu.classes import services as class_services
from tests.factories import vocational as f
from vocational import services
from vocational.models import ChangeKind, Course, CourseKind, Decision, Item, Resource, Unit

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_fork_copies_the_tree_and_a_second_fork_returns_the_first_copy():
    # given
    source = f.standard_course(units=2, items=3)
    owner = f.teacher()
    # when
    copy, created = services.course_fork(user=owner, source=source)
    again, created_again = services.course_fork(user=owner, source=source)
    # then
    assert created
    assert not created_again
    assert again.pk == copy.pk
    assert copy.kind == CourseKind.PERSONAL
    assert copy.owner == owner
    assert copy.source == source
    assert not copy.is_published
    assert copy.units.count() == 2
    assert Item.objects.filter(unit__course=copy).count() == 6
    originals = set(Item.objects.filter(unit__course=source).values_list("pk", flat=True))
    assert set(Item.objects.filter(unit__course=copy).values_list("origin_ref", flat=True)) == originals
    # resources are shared, not copied
    assert set(Item.objects.filter(unit__course=copy).values_list("resource_id", flat=True)) == set(
        Item.objects.filter(unit__course=source).values_list("resource_id", flat=True)
    )


@pytest.mark.parametrize("maker", [f.student, lambda: f.admin()])
def test_only_teachers_fork(maker):
    with pytest.raises(PermissionDenied):
        services.course_fork(user=maker(), source=f.standard_course(units=1, items=1))


def test_quality_courses_are_not_forked():
    course = f.standard_course(units=1, items=1, kind=CourseKind.QUALITY)
    with pytest.raises(PermissionDenied):
        services.course_fork(user=f.teacher(), source=course)


def test_edits_of_a_personal_course_are_the_owners_only():
    copy, _klass, (member,) = f.published_copy()
    other = f.teacher()
    unit = copy.units.first()
    for user in (other, member):
        with pytest.raises(PermissionDenied):
            services.unit_update(user=user, unit=unit, hidden=True)
        with pytest.raises(PermissionDenied):
            services.course_update(user=user, course=copy, title="改名")
    services.unit_update(user=copy.owner, unit=unit, hidden=True)
    assert Unit.objects.get(pk=unit.pk).hidden


def test_reorder_refuses_unknown_foreign_and_missing_ids_by_name_and_writes_nothing():
    copy, _klass, _members = f.published_copy(source=f.standard_course(units=3, items=1))
    ids = list(copy.units.order_by("order").values_list("pk", flat=True))
    foreign = f.standard_course(units=1, items=1).units.first().pk
    with pytest.raises(ValidationError) as exc:
        services.unit_reorder(user=copy.owner, course=copy, ids=[ids[0], ids[1], foreign])
    assert str(foreign) in str(exc.value.message_dict["ids"])
    with pytest.raises(ValidationError) as exc:
        services.unit_reorder(user=copy.owner, course=copy, ids=ids[:2])
    assert str(ids[2]) in str(exc.value.message_dict["ids"])
    assert list(copy.units.order_by("order").values_list("pk", flat=True)) == ids
    services.unit_reorder(user=copy.owner, course=copy, ids=list(reversed(ids)))
    assert list(copy.units.order_by("order").values_list("pk", flat=True)) == list(reversed(ids))


def test_upload_checks_the_content_and_the_size():
    owner = f.teacher()
    fake = SimpleUploadedFile("slides.pdf", b"MZ\x90\x00 not a pdf at all", content_type="application/pdf")
    with pytest.raises(ValidationError) as exc:
        services.resource_upload(user=owner, title="讲义", file=fake)
    assert "file" in exc.value.message_dict
    assert not Resource.objects.filter(owner=owner).exists()
    big = io.BytesIO(PDF)
    big.size = 201 * 1024 * 1024  # type: ignore[attr-defined]
    with pytest.raises(ValidationError) as exc:
        services.resource_upload(user=owner, title="讲义", file=big)
    assert "200 MB" in exc.value.message_dict["file"][0]
    res = services.resource_upload(user=owner, title="讲义", file=SimpleUploadedFile("x.bin", PDF))
    assert res.kind == "document"
    assert res.owner == owner
    with pytest.raises(PermissionDenied):
        services.resource_upload(user=f.student(), title="讲义", file=SimpleUploadedFile("x.pdf", PDF))


def test_library_edits_are_recorded_as_upstream_changes_and_personal_edits_are_not():
    source = f.standard_course(units=1, items=2)
    copy, _klass, _m = f.published_copy(source=source)
    unit = source.units.first()
    item = unit.items.order_by("order").first()
    services.item_update(user=None, item=item, title="新标题")
    services.item_add(user=None, unit=unit, resource=f.resource(source.library, "新资源"))
    services.item_delete(user=None, item=unit.items.order_by("order")[1])
    services.item_update(
        user=copy.owner, item=Item.objects.filter(unit__course=copy).first(), title="我的标题"
    )
    kinds = list(source.changes.order_by("seq").values_list("kind", flat=True))
    assert kinds == [ChangeKind.ITEM_EDITED, ChangeKind.ITEM_ADDED, ChangeKind.ITEM_REMOVED]
    assert not copy.changes.exists()
    assert Course.objects.get(pk=source.pk).change_seq == 3


def _changes(source):
    return {c.kind: c for c in source.changes.all()}


def test_accept_and_ignore_upstream_changes_keep_own_edits_and_ignored_stays_ignored():
    source = f.standard_course(units=1, items=3)
    copy, _klass, _m = f.published_copy(source=source)
    unit = source.units.first()
    first, second, third = unit.items.order_by("order")
    third_pk = third.pk
    mine = Item.objects.get(unit__course=copy, origin_ref=second.pk)
    services.item_update(user=copy.owner, item=mine, title="我自己的标题")
    services.item_update(user=None, item=first, title="标准课改了标题")
    services.item_update(user=None, item=second, title="上游也改了标题")
    services.item_delete(user=None, item=third)
    edits = list(source.changes.filter(kind=ChangeKind.ITEM_EDITED).order_by("seq"))
    removal = source.changes.get(kind=ChangeKind.ITEM_REMOVED)
    owner = copy.owner

    services.upstream_decide(user=owner, course=copy, change_id=edits[0].pk, decision=Decision.ACCEPTED)
    assert Item.objects.get(unit__course=copy, origin_ref=first.pk).title == "标准课改了标题"
    # the teacher's own title is never replaced without their say
    with pytest.raises(services.UpstreamConflict):
        services.upstream_decide(user=owner, course=copy, change_id=edits[1].pk, decision=Decision.ACCEPTED)
    assert Item.objects.get(pk=mine.pk).title == "我自己的标题"
    services.upstream_decide(user=owner, course=copy, change_id=removal.pk, decision=Decision.IGNORED)
    # ignored stays ignored: the item is still there, a second ignore is the same decision, accept is refused
    assert Item.objects.filter(unit__course=copy, origin_ref=third_pk).exists()
    again = services.upstream_decide(user=owner, course=copy, change_id=removal.pk, decision=Decision.IGNORED)
    assert again.decision == Decision.IGNORED
    with pytest.raises(services.UpstreamConflict):
        services.upstream_decide(user=owner, course=copy, change_id=removal.pk, decision=Decision.ACCEPTED)
    # overwrite is the teacher's explicit choice
    services.upstream_decide(
        user=owner, course=copy, change_id=edits[1].pk, decision=Decision.ACCEPTED, overwrite=True
    )
    assert Item.objects.get(pk=mine.pk).title == "上游也改了标题"


def test_accepting_a_change_that_no_longer_applies_is_a_conflict_and_writes_nothing():
    source = f.standard_course(units=1, items=2)
    copy, _klass, _m = f.published_copy(source=source)
    upstream_item = source.units.first().items.order_by("order").first()
    services.item_update(user=None, item=upstream_item, title="新标题")
    Item.objects.filter(unit__course=copy, origin_ref=upstream_item.pk).get().delete()
    change = source.changes.get()
    with translation.override("en"), pytest.raises(services.UpstreamConflict) as exc:
        services.upstream_decide(
            user=copy.owner, course=copy, change_id=change.pk, decision=Decision.ACCEPTED
        )
    assert "not in your course" in exc.value.reason
    assert not copy.decisions.exists()


def test_changes_before_the_copy_are_not_offered():
    source = f.standard_course(units=1, items=1)
    services.unit_update(user=None, unit=source.units.first(), title="旧的改动")
    copy, _klass, _m = f.published_copy(source=source)
    with pytest.raises(ValidationError):
        services.upstream_decide(
            user=copy.owner, course=copy, change_id=source.changes.get().pk, decision="accepted"
        )


def test_accepting_an_added_unit_and_item():
    source = f.standard_course(units=1, items=1)
    copy, _klass, _m = f.published_copy(source=source)
    new_unit = services.unit_create(user=None, course=source, title="第三单元 函数")
    services.item_add(user=None, unit=new_unit, resource=f.resource(source.library, "函数"))
    for change in source.changes.order_by("seq"):
        services.upstream_decide(user=copy.owner, course=copy, change_id=change.pk, decision="accepted")
    added = copy.units.get(origin_ref=new_unit.pk)
    assert added.title == "第三单元 函数"
    assert added.items.get().title == "函数"


def test_publish_only_to_own_active_vocational_classes():
    copy, _klass, _m = f.published_copy()
    other = class_services.class_create(teacher=f.teacher(), name="别人的班", platform="vocational")
    with pytest.raises(ValidationError):
        services.course_publish(user=copy.owner, course=copy, klass=other)
    k12 = class_services.class_create(teacher=copy.owner, name="七年级", platform="k12")
    with pytest.raises(ValidationError):
        services.course_publish(user=copy.owner, course=copy, klass=k12)


def test_questions_are_for_the_course_students_and_the_first_teacher_reply_is_kept():
    copy, _klass, (member,) = f.published_copy()
    with pytest.raises(PermissionDenied):
        services.question_ask(user=f.student(), course=copy, body="我能问吗？")
    question, created = services.question_ask(
        user=member, course=copy, body="range 是什么？", client_token="t1"
    )
    again, created_again = services.question_ask(
        user=member, course=copy, body="range 是什么？", client_token="t1"
    )
    assert created
    assert not created_again
    assert again.pk == question.pk
    services.question_reply(user=member, question=question, body="我也想知道")
    question.refresh_from_db()
    assert question.first_reply_at is None
    services.question_reply(user=copy.owner, question=question, body="从 1 数到 9")
    question.refresh_from_db()
    assert question.first_reply_at is not None
    with pytest.raises(PermissionDenied):
        services.question_reply(user=f.teacher(), question=question, body="路过")


def test_rating_replaces_the_users_rating():
    res = f.resource(f.library(), exercises=False)
    user = f.student()
    services.resource_rate(user=user, resource=res, stars=2)
    services.resource_rate(user=user, resource=res, stars=5)
    services.resource_rate(user=f.teacher(), resource=res, stars=4)
    res.refresh_from_db()
    assert (res.rating_count, res.rating_sum) == (2, 9)
    with pytest.raises(ValidationError):
        services.resource_rate(user=user, resource=res, stars=6)


def test_quality_scores_rise_and_fall():
    lib = f.library()
    a, b = f.resource(lib, "甲", exercises=False), f.resource(lib, "乙", exercises=False)
    services.quality_scores_refresh()
    services.resource_rate(user=f.student(), resource=a, stars=5)
    Resource.objects.filter(pk=b.pk).update(quality_score=90)
    services.quality_scores_refresh()
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.quality_score > a.quality_previous
    assert b.quality_score < b.quality_previous
