"""Form fields that refuse what the database cannot even compare.

Django's ModelMultipleChoiceField looks ids up with `pk__in`, and an id past the largest
integer a database column holds (say 2**70, posted by hand) raises OverflowError on SQLite
(a 500) instead of "not a valid choice". This field refuses such ids first, with the
field's own message.
"""

from django import forms
from django.core.exceptions import ValidationError

LARGEST_ID = 2**63 - 1


def _out_of_range(value) -> bool:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return False  # not a number at all: Django's own check reports it
    return not -LARGEST_ID - 1 <= number <= LARGEST_ID


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        if (self.to_field_name or "pk") == "pk" and isinstance(value, list | tuple):
            for pk in value:
                if _out_of_range(pk):
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": pk},
                    )
        return super()._check_values(value)
