"""Join codes: an unambiguous alphabet, forgiving input, strict shape."""

import pytest

from smartedu.classes.codes import ALPHABET, CODE_LENGTH, code_generate, code_is_well_formed, code_normalise


def test_the_alphabet_has_no_look_alikes():
    for ambiguous in "01OIL":
        assert ambiguous not in ALPHABET
    assert len(set(ALPHABET)) == len(ALPHABET) == 31


def test_generated_codes_use_the_alphabet_and_differ():
    codes = {code_generate() for _ in range(500)}
    assert len(codes) == 500
    for code in codes:
        assert len(code) == CODE_LENGTH
        assert set(code) <= set(ALPHABET)
        assert code_is_well_formed(code)


@pytest.mark.parametrize(
    ("typed", "normalised"),
    [("k7m3q9p", "K7M3Q9P"), (" K7M 3Q9P ", "K7M3Q9P"), ("K7M-3Q9-P", "K7M3Q9P"), ("k7m_3q9p\t", "K7M3Q9P")],
)
def test_what_users_type_is_normalised(typed, normalised):
    assert code_normalise(typed) == normalised


@pytest.mark.parametrize(
    "code",
    ["K7M3Q", "K7M3Q9PAB", "K7M3Q0P", "K7M3QOP", "K7M3Q1P", "' OR 1=1", "", "К7М3Q9Р", "K7M3Q9P\x00"],
)
def test_malformed_codes_are_rejected(code):
    assert not code_is_well_formed(code_normalise(code))
