"""Pure rules of the employment market: check digits, salary sanity and the pre-publication job review.

Imported by the services, the serializers' validators, the forms and the seeder alike (one home per rule).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

# --- GB 11643-1999: resident identity card number ---------------------------------------------------

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
_ID_SHAPE = re.compile(r"^\d{17}[\dX]$")


def id_number_normalise(value: str) -> str:
    return value.strip().upper()


def id_check_character(first17: str) -> str:
    return ID_CHECK[sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS, strict=True)) % 11]


def id_number_valid(value: str) -> bool:
    """An 18-character ID number whose 18th character is the ISO 7064 MOD 11-2 check of the first 17."""
    value = id_number_normalise(value)
    return bool(_ID_SHAPE.match(value)) and id_check_character(value[:17]) == value[17]


def id_number_mask(value: str) -> str:
    """``440524********0014``: the region and the last four characters only."""
    return value[:6] + "*" * 8 + value[-4:] if len(value) == 18 else "*" * len(value)


# --- GB 32100-2015: unified social credit code ------------------------------------------------------

CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_CREDIT_VALUES = {c: i for i, c in enumerate(CREDIT_ALPHABET)}


def credit_code_normalise(value: str) -> str:
    return value.strip().upper()


def credit_check_character(first17: str) -> str:
    total = sum(_CREDIT_VALUES[c] * w for c, w in zip(first17, CREDIT_WEIGHTS, strict=True))
    check = 31 - total % 31
    return CREDIT_ALPHABET[0 if check == 31 else check]


def credit_code_valid(value: str) -> bool:
    value = credit_code_normalise(value)
    if len(value) != 18 or any(c not in _CREDIT_VALUES for c in value):
        return False
    return credit_check_character(value[:17]) == value[17]


def phone_mask(value: str) -> str:
    """``138****5678``."""
    return value[:3] + "****" + value[-4:] if len(value) >= 8 else "****"


# --- Jobs: rule-based review before publication -----------------------------------------------------

# Monthly salaries in yuan; outside these bounds a posting is held for an administrator.
SALARY_FLOOR = 1000
SALARY_CEILING = 200_000
SALARY_MAX_SPREAD = 5  # max may be at most 5× min

BANNED_WORDS = ("传销", "刷单", "裸聊", "赌博", "博彩", "套路贷", "高额返利", "无需经验日赚")
# Requirements that discriminate by sex, ethnicity, region of origin, marital or childbearing status.
DISCRIMINATORY_PATTERNS = (
    re.compile(r"(限|只招|仅招|仅限)\s*(男|女)"),
    re.compile(r"(男|女)性?\s*(优先|限定|仅限)"),
    re.compile(r"(限|只招|仅招|仅限)?\s*汉族"),
    re.compile(r"(未婚|未育|已婚已育)"),
    re.compile(r"(不招|拒绝)\s*\S{0,4}(籍|省|人)"),
)


@dataclass(frozen=True)
class ReviewFlag:
    code: str
    message: str


def job_review_flags(*, title: str, description: str, salary_min: int, salary_max: int) -> list[ReviewFlag]:
    """Why a posting should wait for an administrator (empty: publish at once)."""
    text = f"{title}\n{description}"
    flags: list[ReviewFlag] = []
    banned = [word for word in BANNED_WORDS if word in text]
    if banned:
        flags.append(ReviewFlag("banned_words", str(_("Banned words: %s")) % "、".join(banned)))
    if any(pattern.search(text) for pattern in DISCRIMINATORY_PATTERNS):
        flags.append(
            ReviewFlag(
                "discrimination",
                str(_("Requirements on sex, ethnicity, origin or marital status are not allowed.")),
            )
        )
    if (
        salary_min < SALARY_FLOOR
        or salary_max > SALARY_CEILING
        or salary_max > salary_min * SALARY_MAX_SPREAD
    ):
        flags.append(ReviewFlag("salary", str(_("The salary range looks implausible."))))
    return flags
