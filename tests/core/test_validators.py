import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from quota_portal.core.validators import bin_iin_check_digit, make_bin_iin, validate_bin_iin


def codes(value):
    with pytest.raises(ValidationError) as info:
        validate_bin_iin(value)
    with translation.override("en"):
        return info.value.code, str(info.value.messages[0])


def test_a_valid_bin_passes():
    validate_bin_iin(make_bin_iin("05014000012"))
    validate_bin_iin("  " + make_bin_iin("05014000012") + " ")


def test_a_known_real_world_style_iin_check_digit_uses_weights_one_to_eleven():
    # 1*0+2*5+3*0+4*1+5*4+6*0+7*0+8*0+9*0+10*1+11*2 = 66 -> 66 mod 11 = 0
    assert bin_iin_check_digit("05014000012") == 0


def test_a_wrong_length_is_refused_with_the_count():
    code, message = codes("12345")
    assert code == "bin_iin_length"
    assert "5" in message


def test_non_digits_are_refused():
    assert codes("05014000012A")[0] == "bin_iin_digits"
    assert codes("０５０１４０００００１２")[0] == "bin_iin_digits"  # full-width digits are not ASCII


def test_a_wrong_check_digit_is_refused():
    valid = make_bin_iin("05014000012")
    wrong = valid[:11] + str((int(valid[11]) + 1) % 10)
    assert codes(wrong)[0] == "bin_iin_checksum"


def test_when_the_first_check_gives_10_the_weights_3_to_11_1_2_decide():
    # 5*1+4*2+3*3+3*4+8*5+1*6+7*7+8*8+0*9+7*10+5*11 = 318 -> 318 mod 11 = 10; second weights give 2.
    assert bin_iin_check_digit("54338178075") == 2
    validate_bin_iin("543381780752")
    assert codes("543381780750")[0] == "bin_iin_checksum"


def test_a_number_whose_check_is_10_twice_is_never_valid():
    assert bin_iin_check_digit("00170167551") is None
    for last in range(10):
        assert codes("00170167551" + str(last))[0] == "bin_iin_checksum"
    with pytest.raises(ValueError):
        make_bin_iin("00170167551")


def test_a_number_given_as_an_int_is_checked_with_its_leading_zeros_restored():
    valid = make_bin_iin("05014000012")
    validate_bin_iin(int(valid))
    assert codes(int(valid) + 1 if valid[-1] != "9" else int(valid) - 1)[0] == "bin_iin_checksum"


@pytest.mark.parametrize("empty", [None, "", "   "])
def test_an_empty_value_says_the_number_is_required(empty):
    code, message = codes(empty)
    assert code == "required" and "required" in message and "12" in message


def test_a_number_of_zeros_only_is_refused_although_its_check_digit_fits():
    assert bin_iin_check_digit("00000000000") == 0
    code, message = codes("000000000000")
    assert code == "bin_iin_zeros" and "zeros" in message
    assert codes(0)[0] == "bin_iin_zeros"
