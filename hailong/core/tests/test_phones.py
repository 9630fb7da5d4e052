import pytest

from hailong.core.phones import canonical_phone, is_vietnamese_phone


@pytest.mark.parametrize(
    "phone",
    [
        "0912345678",
        "0912 345 678",
        "0912.345.678",
        "091-234-5678",
        "+84 912 345 678",
        "(+84) 912.345.678",
        "0084912345678",
        "0251 3822 123",  # a landline: 0 + area code 2xx + 8 digits
        "0387 654 321",
    ],
)
def test_it_accepts_vietnamese_numbers_as_people_type_them(phone):
    assert is_vietnamese_phone(phone) is True


@pytest.mark.parametrize(
    "phone",
    [
        "abc 0912",
        "0912",
        "123456789",
        "0912 345 67",  # a digit short
        "0912 345 6789",  # a digit too many
        "0123 456 789",  # the 01x prefixes ended in 2018
        "84912345678",  # the + is needed
        "+1 202 555 0100",
        "0912345678x",
        "",
    ],
)
def test_it_refuses_what_is_not_one(phone):
    assert is_vietnamese_phone(phone) is False


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("0912345678", "0912345678"),
        ("0912.345.678", "0912345678"),
        ("(+84) 912 345 678", "0912345678"),
        ("0084912345678", "0912345678"),
        ("0251 3822 123", "02513822123"),
        ("0912 345 67", "0912 345 67"),  # not a number: left as typed, refused elsewhere
        ("", ""),
    ],
)
def test_it_gives_the_national_form(typed, stored):
    assert canonical_phone(typed) == stored
