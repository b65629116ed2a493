"""Answering questions in tests the way a page would: with the opaque posted values."""

from html.parser import HTMLParser

from quizzes.practice.simulation import form_data


def post_data(attempt, response, *, right=True) -> dict:
    """The form fields a learner's page posts for a right (or a wrong) answer."""
    return form_data(attempt=attempt, response=response, right=right)


class _Forms(HTMLParser):
    """Every form of a page, with the values a browser would submit as it is shown."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form = None
        self._textarea = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form = {}
            self.forms.append(self._form)
        if self._form is None or "disabled" in attrs:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self._form.setdefault(name, []).append(attrs.get("value", "on"))
            elif kind not in ("submit", "button", "file"):
                self._form.setdefault(name, []).append(attrs.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self._form.setdefault(name, []).append("")
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self._form.setdefault(self._select, []).append(attrs.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea and self._form is not None:
            self._form[self._textarea][-1] += data.lstrip("\n") if not self._form[
                self._textarea
            ][-1] else data


def form_as_shown(html: str, *, having: str) -> dict:
    """The fields of the page's form that has a field named `having`, as a browser would
    post them untouched (single values as strings, several as lists)."""
    parser = _Forms()
    parser.feed(html)
    for form in parser.forms:
        if having in form:
            return {k: v[0] if len(v) == 1 else v for k, v in form.items()}
    raise AssertionError(f"No form with a field {having!r} on the page")
