"""The reading pages' content, cached for every visitor and dropped whenever content changes.

A lesson, the timeline, the people page and the glossary are the same for everyone, and
building them is most of their time. A lesson is cached as its rendered HTML (what the page
shows inside the site's frame, one copy for visitors and one for the signed in: only the
sign-in prompt differs), so a visit renders only the frame around it (the nav, the visitor's
own CSRF token); the others cache what their selectors build. Each is cached under a key
that carries the content's version; any save or delete of a content model (admin edits,
`load_course`) bumps the version once its transaction commits, so the next request builds
the page afresh. The version is a row in the database, so every process and app server sees
a bump at once. Django's cache framework holds the pages: each process's local memory by
default, Redis when REDIS_URL is set, so several app servers share one copy of each page.
"""

from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string

from relations.models import ContentVersion

PAGE_SECONDS = 24 * 60 * 60  # a safety net only: a change bumps the version at once


def content_version() -> int:
    """The content's version, as every process sees it (one read of one row)."""
    # No ORDER BY: one row at most (`first()` would build one).
    number = next(iter(ContentVersion.objects.filter(pk=1).values_list("number", flat=True)), None)
    return 0 if number is None else number


def bump_content_version() -> None:
    """Every cached reading page, in every process, is stale from now on."""
    if not ContentVersion.objects.filter(pk=1).update(number=F("number") + 1):
        # No row (a database emptied by hand or by a test's flush): any new number differs
        # from the 0 read meanwhile. Two at once both create; the other's number stands.
        ContentVersion.objects.get_or_create(pk=1, defaults={"number": 1})


def cached_page(name: str, *parts: str, build):
    """`build()`'s result for this page at the current content version."""
    key = ":".join(["relations", "page", name, str(content_version()), *parts])
    page = cache.get(key)
    if page is None:
        page = build()
        cache.set(key, page, PAGE_SECONDS)
    return page


def audience(request) -> str:
    """Whom a rendered page is for: its HTML may differ only by whether one is signed in."""
    return "member" if request.user.is_authenticated else "visitor"


def rendered(request, template: str, context: dict) -> str:
    """A partial of a page rendered for caching: a SafeString, which the cache keeps safe,
    so the page puts it in as it is (`{{ body }}`)."""
    return render_to_string(template, context, request=request)


def content_changed(sender, using=None, **kwargs) -> None:
    # After commit: a rolled-back edit changes nothing, and a page built before the commit
    # cannot be cached under the new version. Once per transaction, however many rows
    # (loaddata saves thousands).
    connection = transaction.get_connection(using)
    if connection.in_atomic_block and any(
        func is bump_content_version for _sids, func, _robust in connection.run_on_commit
    ):
        return
    transaction.on_commit(bump_content_version, using=using)


def connect() -> None:
    from django.apps import apps
    from django.db.models.signals import m2m_changed, post_delete, post_save

    for model in apps.get_app_config("relations").get_models():
        if model is ContentVersion:
            continue
        uid = f"relations.page_cache.{model._meta.label_lower}"
        post_save.connect(content_changed, sender=model, dispatch_uid=f"{uid}.save")
        post_delete.connect(content_changed, sender=model, dispatch_uid=f"{uid}.delete")
        for field in model._meta.many_to_many:
            m2m_changed.connect(
                content_changed, sender=field.remote_field.through,
                dispatch_uid=f"{uid}.{field.name}",
            )
