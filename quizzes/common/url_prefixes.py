"""`{% url_prefix %}`: the part of a URL before its last id, for a table that links each of
its rows to the same view. Reversing once per table instead of once per row keeps a long
table's rendering time in its rows' text, not in the URL resolver."""

from django import template
from django.urls import reverse

register = template.Library()

# An id no row has, to find where the last argument goes in the reversed URL.
_SENTINEL = 987654321987


@register.simple_tag
def url_prefix(name: str, *args) -> str:
    """The URL of `name` for `args` and a last id, up to that id: a row's link is the prefix,
    its id and "/". Only for a URL whose pattern ends with that id and a slash."""
    url = reverse(name, args=[*args, _SENTINEL])
    prefix, found, rest = url.rpartition(f"/{_SENTINEL}")
    if not found or rest != "/":
        raise ValueError(f"{name}'s URL does not end with its last id: {url}")
    return prefix + "/"
