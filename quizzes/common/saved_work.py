"""Saying what a request saved when something fails after it.

A view whose work is committed calls `note_saved(request, sentence)`. If anything after
that fails (the page cannot be built, the database connection drops), the error page
(`config.views.server_error`) says the sentence, so nobody is left wondering whether to
send it again.
"""

SAVED_WORK_ATTRIBUTE = "saved_work"


def note_saved(request, sentence: str) -> None:
    setattr(request, SAVED_WORK_ATTRIBUTE, sentence)


def saved_work(request) -> str:
    return getattr(request, SAVED_WORK_ATTRIBUTE, "")
