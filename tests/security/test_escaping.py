"""HTML typed into any field shows as text everywhere: pages, fragments and errors.

Every text field of every content, quiz, class and instructor-request row in the test world
is set to a script-and-image payload (usernames too, though sign-up would refuse one), then
every URL is requested by every kind of visitor, plain and through htmx: the raw tags must
appear nowhere and, where the field is shown, its escaped form must.
"""

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.db import models
from django.urls import reverse

from quizzes.models import Question, QuestionKind
from quizzes.practice.attempts import start_attempt
from tests.security.world import url_kwargs, url_patterns, user_for

PAYLOAD = "<script>alert(1)</script><img src=x onerror=alert(1)>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"
RAW_MARKERS = ("<script>alert(", "<img src=x onerror")

SKIPPED_FIELDS = {"password", "fingerprint", "join_code", "email", "slug", "url"}
POISONED_APPS = ("relations", "quizzes", "accounts")
VISITORS = ("anonymous", "student", "instructor", "staff", "pending_instructor")


def _poisonable(field) -> bool:
    return (
        isinstance(field, models.CharField | models.TextField)
        and not isinstance(field, models.SlugField | models.URLField | models.EmailField)
        and not field.choices
        and not field.unique
        and field.name not in SKIPPED_FIELDS
        and (field.max_length is None or field.max_length >= len(PAYLOAD) + 12)
    )


def _poison_json(value):
    if isinstance(value, dict):
        return {
            key: (f"{PAYLOAD} {value.get('key', '')}" if key == "text" else _poison_json(item))
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_poison_json(item) for item in value]
    return value


def poison_everything() -> int:
    """Put the payload in every free-text field of every row; returns the fields set."""
    count = 0
    for app_label in POISONED_APPS:
        for model in apps.get_app_config(app_label).get_models():
            fields = [f for f in model._meta.concrete_fields if _poisonable(f)]
            for row in model._default_manager.all():
                for field in fields:
                    value = f"{PAYLOAD} {field.name}"
                    if model._meta.label == "relations.Fact" and field.name == "text":
                        value = f"{PAYLOAD} is the [[answer {PAYLOAD}]] here."
                    setattr(row, field.name, value)
                    count += 1
                if model is Question:
                    row.body = _poison_json(row.body)
                    if row.kind == QuestionKind.CLOZE:
                        row.answer = {"text": f"{PAYLOAD} cloze", "alternatives": [PAYLOAD]}
                # Straight to the table: no signals (the bank would regenerate questions).
                model._default_manager.filter(pk=row.pk).update(
                    **{f.attname: getattr(row, f.attname) for f in model._meta.concrete_fields
                       if not f.primary_key}
                )
    for user in User.objects.all():
        User.objects.filter(pk=user.pk).update(
            username=f"{PAYLOAD}{user.username}",
            first_name=PAYLOAD,
            last_name=PAYLOAD,
        )
        count += 3
    return count


@pytest.fixture
def poisoned(world):
    assert poison_everything() > 50
    for value in vars(world).values():
        if hasattr(value, "refresh_from_db"):
            value.refresh_from_db()
    return world


def signed_in(client, world, role):
    user = user_for(world, role)
    if user is not None:
        client.force_login(user)
    return client


def assert_no_raw_html(response, label):
    content_type = response.get("Content-Type", "")
    if not content_type.startswith("text/html"):
        # JSON, CSV, GIFT and .apkg are data, sent with nosniff (and as attachments where
        # they hold user data), so a browser never renders them as a page.
        assert response.get("X-Content-Type-Options") == "nosniff", label
        return
    html = response.content.decode()
    for marker in RAW_MARKERS:
        assert marker not in html, f"raw {marker!r} in {label}"


ROUTES = url_patterns()


@pytest.mark.parametrize("route", ROUTES, ids=[route.name for route in ROUTES])
def test_no_page_or_fragment_renders_the_payload_as_html(client, poisoned, route):
    path = reverse(route.name, kwargs=url_kwargs(poisoned, route))
    for role in VISITORS:
        client.logout()
        signed_in(client, poisoned, role)
        for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
            response = client.get(path, **headers)
            assert response.status_code < 500, f"GET {path} as {role}"
            assert_no_raw_html(response, f"GET {path} as {role} {headers}")


@pytest.mark.parametrize(
    ("role", "url_name", "kwargs"),
    [
        ("anonymous", "relations:lessons", {}),
        ("anonymous", "relations:lesson", {"slug": "war-and-alliance"}),
        ("anonymous", "relations:glossary", {}),
        ("anonymous", "relations:sources", {}),
        ("student", "home", {}),
        ("student", "quizzes:my_data", {}),
        ("student", "quizzes:practice", {}),
        ("student", "quizzes:classes", {}),
        ("instructor", "quizzes:classes", {}),
    ],
)
def test_the_payload_shows_as_text(client, poisoned, role, url_name, kwargs):
    response = signed_in(client, poisoned, role).get(reverse(url_name, kwargs=kwargs))
    assert response.status_code == 200
    html = response.content.decode()
    assert ESCAPED in html, f"the escaped payload is not shown on {url_name}"
    assert_no_raw_html(response, url_name)


def test_instructor_pages_show_class_names_student_names_and_their_questions_as_text(
    client, poisoned
):
    client.force_login(poisoned.instructor)
    for name, kwargs in [
        ("quizzes:class_detail", {"class_id": poisoned.classroom.pk}),
        ("quizzes:assignment_detail", {"class_id": poisoned.classroom.pk,
                                       "assignment_id": poisoned.assignment.pk}),
        ("quizzes:assignment_results", {"class_id": poisoned.classroom.pk,
                                        "assignment_id": poisoned.assignment.pk}),
        ("quizzes:class_bank_question", {"question_id": poisoned.instructor_question.pk}),
    ]:
        for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
            response = client.get(reverse(name, kwargs=kwargs), **headers)
            assert response.status_code == 200, name
            assert ESCAPED in response.content.decode(), f"{name} {headers}"
            assert_no_raw_html(response, name)


def test_the_question_its_options_and_the_feedback_fragment_are_text(client, poisoned):
    cloze = Question.objects.get(
        pk=next(q.pk for q in poisoned.questions if q.kind == QuestionKind.CLOZE)
    )
    attempt = start_attempt(
        user=poisoned.student, questions=[poisoned.questions[0], cloze], seed=99
    )
    client.force_login(poisoned.student)
    page = client.get(reverse("quizzes:attempt", kwargs={"attempt_id": attempt.pk}))
    assert ESCAPED in page.content.decode()  # prompt and options
    assert_no_raw_html(page, "attempt page")

    # The learner's own typed answer comes back in the feedback fragment: as text.
    from tests.security.world import choice_data

    client.post(
        reverse("quizzes:answer", kwargs={"attempt_id": attempt.pk, "position": 0}),
        choice_data(attempt, 0),
    )
    fragment = client.post(
        reverse("quizzes:answer", kwargs={"attempt_id": attempt.pk, "position": 1}),
        {"text": PAYLOAD[:150]},
        HTTP_HX_REQUEST="true",
    )
    assert fragment.status_code == 200
    html = fragment.content.decode()
    assert "&lt;script&gt;" in html
    assert_no_raw_html(fragment, "feedback fragment")

    results = client.get(reverse("quizzes:results", kwargs={"attempt_id": attempt.pk}))
    assert_no_raw_html(results, "results")


def test_imported_gift_text_is_previewed_as_text(client, poisoned):
    client.force_login(poisoned.instructor)
    gift = (
        f"::{PAYLOAD}:: {PAYLOAD} Which river? {{={PAYLOAD} ~Han ~Mekong}}\n\n"
        f"{PAYLOAD} a line that is not GIFT at all {{\n"
    )
    response = client.post(reverse("quizzes:class_bank_import"), {"text": gift})
    assert response.status_code == 200  # the preview, its broken question listed in it
    html = response.content.decode()
    assert "&lt;script&gt;" in html
    assert_no_raw_html(response, "GIFT preview")
    htmx = client.post(
        reverse("quizzes:class_bank_import"), {"text": gift}, HTTP_HX_REQUEST="true"
    )
    assert_no_raw_html(htmx, "GIFT preview (htmx)")


def test_a_class_name_typed_by_an_instructor_is_text_in_the_form_errors_too(client, poisoned):
    client.force_login(poisoned.instructor)
    response = client.post(reverse("quizzes:class_create"), {"name": PAYLOAD * 10})
    html = response.content.decode()
    assert_no_raw_html(response, "class form")
    if response.status_code == 302:  # accepted: the class page shows it as text
        page = client.get(response["Location"])
        assert "&lt;script&gt;" in page.content.decode()
        assert_no_raw_html(page, "new class page")
    else:
        assert "&lt;script&gt;" in html
