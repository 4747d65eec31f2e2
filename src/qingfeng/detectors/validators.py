"""Validators that tell a real identifier from a look-alike digit string."""

from __future__ import annotations

from datetime import date

# GB/T 2260 province-level codes: the first two digits of every mainland resident ID.
PROVINCE_CODES = frozenset(
    {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46}
    | {50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82}
)
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK_CHARS = "10X98765432"


def resident_id_check_digit(first17: str) -> str:
    """ISO 7064 MOD 11-2 check character of an 18-character resident ID."""
    total = sum(int(digit) * weight for digit, weight in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK_CHARS[total % 11]


def resident_id_birth_date(number: str) -> date | None:
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None
    return born if date(1900, 1, 1) <= born <= date.today() else None


def resident_id_plausible(number: str) -> bool:
    """Region prefix and birth date are real: the number is shaped like an ID whatever its check digit."""
    return (
        len(number) == 18
        and number[:17].isdigit()
        and int(number[:2]) in PROVINCE_CODES
        and resident_id_birth_date(number) is not None
    )


def resident_id_checksum_ok(number: str) -> bool:
    return resident_id_check_digit(number[:17]) == number[17].upper()


def luhn_ok(number: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(number)):
        digit = int(char)
        if position % 2:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0


def mobile_ok(number: str) -> bool:
    """Mainland mobile numbers: 11 digits, 1 then a network digit 3–9."""
    digits = number[-11:]
    return len(digits) == 11 and digits.isdigit() and digits[0] == "1" and digits[1] in "3456789"
