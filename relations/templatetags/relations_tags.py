"""Small pieces every reading page shares: a citation line, an event's dates, a note."""

from django import template
from django.urls import reverse
from django.utils.html import format_html

register = template.Library()


def source_url(source) -> str:
    return f"{reverse('relations:sources')}#source-{source.slug}"


def citation_url(citation) -> str:
    """A course-context paragraph has its own anchor on /sources/; a document, its entry."""
    if citation.source.is_course_context:
        return f"{reverse('relations:sources')}#citation-{citation.pk}"
    return source_url(citation.source)


@register.simple_tag
def citation(cited):
    """'Source: <title> — <locator>', the title linking to its entry on /sources/, and for
    the course's own context the public record the paragraph rests on.

    Takes a Citation (or anything with a .citation), so templates can write
    {% citation section %} or {% citation section.citation %}.
    """
    cited = getattr(cited, "citation", cited)
    if cited is None:
        return ""
    if cited.source.is_course_context:
        return format_html(
            '<p class="citation citation-context">Source: <a href="{}">{}</a> — {}'
            '<span class="record"> Record: {}</span></p>',
            citation_url(cited),
            cited.source.title,
            cited.locator,
            cited.record,
        )
    return format_html(
        '<p class="citation">Source: <a href="{}">{}</a> — {}</p>',
        citation_url(cited),
        cited.source.title,
        cited.locator,
    )


def _machine_date(event, value, year) -> str:
    """A date at the event's precision, as <time datetime> reads it: 1950-06-25, 1950-10
    or 1950."""
    if event.precision == event.Precision.DAY and value:
        return value.isoformat()
    if event.precision == event.Precision.MONTH and value:
        return f"{value:%Y-%m}"
    return f"{year:04d}"


@register.simple_tag
def event_when(event):
    """An event's date, to its precision, as <time> elements a machine can read; a range
    is two of them, its start and its end."""
    start, separator, end = event.when_parts
    first = format_html(
        '<time datetime="{}">{}</time>', _machine_date(event, event.date, event.year), start
    )
    if not end:
        return first
    last = format_html(
        '<time datetime="{}">{}</time>',
        _machine_date(event, event.end_date, event.end_year),
        end,
    )
    return format_html("{}{}{}", first, separator, last)


@register.simple_tag
def editor_note(note, *, anchor=False):
    """An editor's note as every page shows it: its sentence, its explanation and what it
    rests on. `anchor` gives it the id that links on its page point at. A note is not a
    landmark (a page may show many), so it is a div with role="note", not an <aside>."""
    if note is None:
        return ""
    basis = citation(note.basis) if note.basis_id else ""
    return format_html(
        '<div class="editor-note" role="note"{}><p><strong>Editor’s '
        "note:</strong> {}</p>{}{}{}</div>",
        format_html(' id="note-{}"', note.pk) if anchor else "",
        note.sentence,
        format_html("<p>{}</p>", note.explanation) if note.explanation else "",
        format_html('<div class="note-quoted">{}</div>', citation(note.citation)),
        format_html('<div class="note-basis">The note rests on: {}</div>', basis)
        if basis
        else "",
    )


@register.simple_tag
def section_url(item):
    """Where on its lesson page an item is taught: the section anchor if it has one."""
    url = reverse("relations:lesson", kwargs={"slug": item.lesson.slug})
    return f"{url}#{item.section.slug}" if item.section_id else url

