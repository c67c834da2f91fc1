"""Identifier validators shared by every form and service."""
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_WEIGHTS_1 = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)
_WEIGHTS_2 = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)


def bin_iin_check_digit(first11: str) -> int | None:
    """The 12th digit of a BIN/IIN, or None when the number cannot be valid (check 10 twice)."""
    digits = [int(c) for c in first11]
    check = sum(d * w for d, w in zip(digits, _WEIGHTS_1, strict=True)) % 11
    if check == 10:
        check = sum(d * w for d, w in zip(digits, _WEIGHTS_2, strict=True)) % 11
        if check == 10:
            return None
    return check


def validate_bin_iin(value: str | int) -> None:
    """Raise ValidationError unless `value` is a 12-digit BIN or IIN with a correct check digit.

    An int (e.g. a number cell of an imported spreadsheet) is accepted; it cannot keep leading
    zeros, so it is padded back to 12 digits.
    """
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value).zfill(12) if value >= 0 else str(value)
    value = "" if value is None else str(value).strip()
    if not value:
        raise ValidationError(_("BIN/IIN is required: enter the 12-digit number."), code="required")
    if not value.isdigit() or not value.isascii():
        raise ValidationError(
            _("BIN/IIN must contain digits only."), code="bin_iin_digits"
        )
    if len(value) != 12:
        raise ValidationError(
            _("BIN/IIN must be exactly 12 digits; you entered %(count)d."),
            code="bin_iin_length",
            params={"count": len(value)},
        )
    if set(value) == {"0"}:
        raise ValidationError(_("BIN/IIN cannot consist of zeros only."), code="bin_iin_zeros")
    if bin_iin_check_digit(value[:11]) != int(value[11]):
        raise ValidationError(
            _("BIN/IIN %(value)s has a wrong check digit; please check the number."),
            code="bin_iin_checksum",
            params={"value": value},
        )


def make_bin_iin(first11: str) -> str:
    """Complete 11 digits into a valid BIN/IIN (demo data and tests)."""
    check = bin_iin_check_digit(first11)
    if check is None:
        raise ValueError("no valid check digit for these 11 digits")
    return first11 + str(check)
