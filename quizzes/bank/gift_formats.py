"""GIFT's text formats: [moodle], [plain], [html] and [markdown] before a question's text, an
answer or a feedback, as Moodle reads them.

The app shows every question text as plain text (escaped on output; SECURITY.md), so HTML
is sanitized with nh3 down to its text (scripts and styles with their contents, event
handlers and javascript: links all go), and Markdown is rendered with Python-Markdown and
then sanitized the same way. What that changes is reported, never done silently.
"""

import html
import re

import markdown
import nh3

FORMATS = ("moodle", "html", "plain", "markdown")
_MARKER = re.compile(r"^\s*\[(moodle|html|plain|markdown)\]", re.IGNORECASE)
# Where a block of HTML ends, a line of text ends.
_BLOCK_END = re.compile(r"(<br\s*/?>|</(?:p|div|li|h[1-6]|tr|blockquote|pre)\s*>)", re.IGNORECASE)
_TAG = re.compile(r"<[a-zA-Z/!][^>]*>")


def split_format(text: str, default: str = "moodle") -> tuple[str, str]:
    """(format, text without its marker); `default` when the text names none."""
    match = _MARKER.match(text)
    if not match:
        return default, text
    return match.group(1).lower(), text[match.end():]


def html_to_text(source: str) -> str:
    """Sanitized to its text: no tag, attribute or script survives, line breaks kept.

    Cleaned until nothing changes, so markup that Markdown passed through as escaped text
    (an <img> it did not recognise) is not left behind looking like a tag either."""
    text = source
    for _ in range(3):
        marked = _BLOCK_END.sub(lambda m: m.group(1) + "\n", text)
        cleaner = html.unescape(nh3.clean(marked, tags=set()))
        if cleaner == text:
            break
        text = cleaner
    return text


def as_plain_text(text: str, text_format: str) -> str:
    if text_format == "html":
        return html_to_text(text)
    if text_format == "markdown":
        return html_to_text(markdown.markdown(text))
    return text  # moodle and plain: the text as written


def format_change(text_format: str, before: str, after: str) -> str | None:
    """What reading the text as plain text changed, in words; None when nothing did."""
    if text_format == "html" and _TAG.search(before):
        return "its HTML was sanitized and is shown as plain text"
    if text_format == "markdown" and " ".join(before.split()) != " ".join(after.split()):
        return "its Markdown formatting is shown as plain text"
    return None
