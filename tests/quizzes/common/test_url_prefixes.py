"""`{% url_prefix %}` (quizzes/common/url_prefixes.py): a row's link is the prefix, its id and
a slash, the same URL `{% url %}` gives; a URL not ending with that id is refused."""

import pytest
from django.template import Context, Template
from django.urls import reverse

from quizzes.common.url_prefixes import url_prefix


def test_the_prefix_and_an_id_make_the_url_reverse_gives():
    prefix = url_prefix("quizzes:attempt")
    assert prefix + "42/" == reverse("quizzes:attempt", args=[42])


def test_it_loads_by_name_in_a_template():
    rendered = Template(
        "{% load url_prefixes %}{% url_prefix 'quizzes:attempt' as base %}{{ base }}7/"
    ).render(Context())
    assert rendered == reverse("quizzes:attempt", args=[7])


def test_a_url_that_does_not_end_with_its_last_id_is_refused():
    with pytest.raises(ValueError, match="does not end with its last id"):
        url_prefix("quizzes:results")  # attempts/<id>/results/: the id is not last
