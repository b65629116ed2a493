"""Small pieces every reading page shares: a citation line, an event's dates."""

from django import template
from django.urls import reverse
from django.utils.html import format_html

register = template.Library()


def source_url(source) -> str:
    return f"{reverse('relations:sources')}#source-{source.slug}"


@register.simple_tag
def citation(cited):
    """'Source: <title> — <locator>', the title linking to its entry on /sources/.

    Takes a Citation (or anything with a .citation), so templates can write
    {% citation section %} or {% citation section.citation %}.
    """
    cited = getattr(cited, "citation", cited)
    if cited is None:
        return ""
    return format_html(
        '<p class="citation">Source: <a href="{}">{}</a> — {}</p>',
        source_url(cited.source),
        cited.source.title,
        cited.locator,
    )


@register.simple_tag
def event_when(event):
    """An event's date or years as <time> elements a machine can read."""
    if event.date:
        return format_html('<time datetime="{}">{}</time>', event.date.isoformat(), event.when)
    if event.end_year and event.end_year != event.year:
        return format_html(
            '<time datetime="{}">{}</time>–<time datetime="{}">{}</time>',
            f"{event.year:04d}",
            event.year,
            f"{event.end_year:04d}",
            event.end_year,
        )
    return format_html('<time datetime="{}">{}</time>', f"{event.year:04d}", event.year)


@register.simple_tag
def section_url(item):
    """Where on its lesson page an item is taught: the section anchor if it has one."""
    url = reverse("relations:lesson", kwargs={"slug": item.lesson.slug})
    return f"{url}#{item.section.slug}" if item.section_id else url
