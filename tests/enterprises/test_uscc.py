import pytest

from enterprises import uscc


def test_the_standard_example_is_valid_and_lower_case_is_normalised():
    assert uscc.validate("91110000600037341l") == "91110000600037341L"


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("9111000060003734", "length"),
        ("91110000600037341LX", "length"),
        ("9111000060003734IL", "characters"),
        ("91AB0000600037341L", "region"),
        ("91110000600037341M", "check_character"),
    ],
)
def test_each_kind_of_error(value, reason):
    with pytest.raises(uscc.InvalidUSCC) as caught:
        uscc.validate(value)
    assert caught.value.reason == reason


def test_make_completes_a_valid_code():
    code = uscc.make("935134300MA6CT006")
    assert uscc.validate(code) == code
    assert uscc.is_sichuan(code)
