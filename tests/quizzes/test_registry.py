"""The owner registry: owning apps answer for their quizzes; an unknown owner shows nothing."""

import pytest

from smartedu.quizzes import registry


@pytest.mark.parametrize(
    ("ref", "parsed"),
    [("k12.lessonhour:12", ("k12.lessonhour", 12)), ("vocational.resource:9", ("vocational.resource", 9))],
)
def test_owner_references_parse(ref, parsed):
    assert registry.owner_ref_parse(ref) == parsed
    assert registry.owner_ref(*parsed) == ref


@pytest.mark.parametrize(
    "ref",
    [
        "k12.lessonhour",
        "k12:12",
        "K12.Lesson:1",
        "k12.lesson:-1",
        "k12.lesson:1.5",
        "k12.lesson:١٢",
        "k12.lesson:" + "9" * 19,
        "k12.lesson:1; drop table",
        "",
    ],
)
def test_malformed_references_are_refused(ref):
    with pytest.raises(ValueError, match=r"app\.model"):
        registry.owner_ref_parse(ref)


def test_registering_and_asking_an_owner():
    owner = registry.register_quiz_owner(
        "tests.registered",
        platform="k12",
        label="lesson hour",
        may_view=lambda user, pk: pk == 1,
        page_url=lambda pk: f"/k12/hours/{pk}/",
    )
    try:
        assert registry.quiz_owner("tests.registered") is owner
        assert owner.may_view(None, 1)
        assert not owner.may_view(None, 2)
        assert not owner.may_manage(None, 1)  # nobody manages unless the app says so
        assert owner.page_url(3) == "/k12/hours/3/"
        assert owner in registry.quiz_owners()
    finally:
        registry.unregister_quiz_owner("tests.registered")
    assert registry.quiz_owner("tests.registered") is None


def test_bad_kinds_are_refused_at_registration():
    with pytest.raises(ValueError, match=r"app\.model"):
        registry.register_quiz_owner(
            "Lesson Hour", platform="k12", label="x", may_view=lambda u, p: True, page_url=lambda p: None
        )


def test_the_wrong_answer_book_is_registered_by_the_quizzes_app():
    owner = registry.quiz_owner("quizzes.wrongbook")
    assert owner is not None

    class Someone:
        is_authenticated = True
        pk = 5

    assert owner.may_view(Someone(), 5)
    assert not owner.may_view(Someone(), 6)
