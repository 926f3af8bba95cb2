import pytest

from employment import rules


@pytest.mark.parametrize(
    "value", ["11010519491231002X", "440524188001010014", "110101199003074477", "11010519491231002x"]
)
def test_reference_id_numbers_are_valid(value):
    assert rules.id_number_valid(value)


@pytest.mark.parametrize(
    "value", ["11010519491231002Y", "440524188001010015", "110101199003074478", "1101011990030744", ""]
)
def test_a_changed_or_short_id_number_fails(value):
    assert not rules.id_number_valid(value)


@pytest.mark.parametrize("value", ["91350100M000100Y43", "91110000802100433B", "914403001922038216"])
def test_reference_credit_codes_are_valid(value):
    assert rules.credit_code_valid(value)
    assert rules.credit_code_valid(value.lower())


@pytest.mark.parametrize(
    "value", ["91350100M000100Y44", "91110000802100433C", "914403001922038217", "91350100M000100I43"]
)
def test_a_changed_credit_code_fails(value):
    assert not rules.credit_code_valid(value)


def test_masks_keep_only_the_edges():
    assert rules.id_number_mask("440524188001010014") == "440524********0014"
    assert rules.phone_mask("13812345678") == "138****5678"


def test_review_flags_banned_words_discrimination_and_salary():
    clean = rules.job_review_flags(title="会计", description="负责账务。", salary_min=5000, salary_max=8000)
    assert clean == []
    codes = {
        f.code
        for f in rules.job_review_flags(
            title="刷单客服", description="限男性，未婚。", salary_min=500, salary_max=90000
        )
    }
    assert codes == {"banned_words", "discrimination", "salary"}
    assert [
        f.code
        for f in rules.job_review_flags(title="护士", description="限女性", salary_min=6000, salary_max=9000)
    ] == ["discrimination"]
