import pytest
from django.core.exceptions import ValidationError

from unions.tests.factories import valid_credit_code
from unions.validators import credit_code_check_char, validate_credit_code


def test_check_char_matches_the_standards_example():
    # The example code printed in GB 32100-2015.
    assert credit_code_check_char("91350100M000100Y4") == "3"


@pytest.mark.parametrize("code", ["91350100M000100Y43", valid_credit_code(7), valid_credit_code(123456789)])
def test_valid_codes_pass(code):
    validate_credit_code(code)


def test_lower_case_is_accepted_as_upper():
    validate_credit_code("91350100m000100y43")


@pytest.mark.parametrize(
    ("code", "error_code"),
    [
        ("91350100M000100Y4", "credit_code_length"),
        ("91350100M000100Y431", "credit_code_length"),
        ("", "credit_code_length"),
        ("91350100M000I00Y43", "credit_code_chars"),
        ("9135010OM000100Y43", "credit_code_chars"),
        ("91A50100M000100Y43", "credit_code_division"),
        ("91350100M000100Y44", "credit_code_check_digit"),
        ("91350100M000100Y34", "credit_code_check_digit"),
    ],
)
def test_wrong_codes_fail_with_their_reason(code, error_code):
    with pytest.raises(ValidationError) as info:
        validate_credit_code(code)
    assert info.value.code == error_code
