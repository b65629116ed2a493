"""GIFT: reading Moodle's format, writing it back, and importing only what was confirmed."""

import pytest

from quizzes.bank import authoring as authoring
from quizzes.bank.authoring import QuestionDraft, draft_from_question
from quizzes.bank.gift import MAX_BYTES, escape, export_gift, parse_gift
from quizzes.models import Question, QuestionKind
from tests import factories


class FakeLesson:
    def __init__(self, pk, title, slug):
        self.pk, self.title, self.slug = pk, title, slug


LESSONS = [FakeLesson(1, "War and alliance", "war-and-alliance"), FakeLesson(2, "Trade", "trade")]


def parse(text):
    return parse_gift(text=text, lessons=LESSONS)


# --- reading ---------------------------------------------------------------------------------


def test_every_supported_kind_is_read():
    result = parse(
        """// A comment line is skipped
$CATEGORY: $course$/top/War and alliance

::River:: Which river marks much of the border? {
  =Yalu River
  ~Han River#Wrong: that is in the south.
  ~Mekong River
  ####The Yalu and the Tumen form the border.
}

The armistice was signed in 1953. {TRUE}

::Capital:: The capital is {=Pyongyang =P'yongyang}.

Match each panelist to a university. {
  =Hazel Smith -> Warwick
  =Chen Jian -> Virginia
  =Samuel S. Kim -> Columbia
}

$CATEGORY: trade

China is North Korea's smallest trading partner. {F}
"""
    )
    assert result.problems == []
    mcq, tf, cloze, match, false = result.questions
    assert (mcq.kind, mcq.title, mcq.line, mcq.lesson_id) == ("mcq", "River", 4, 1)
    assert mcq.options == ["Yalu River", "Han River", "Mekong River"] and mcq.correct == 0
    assert mcq.explanation == "The Yalu and the Tumen form the border."
    assert (tf.kind, tf.truth, tf.prompt) == ("tf", True, "The armistice was signed in 1953.")
    assert cloze.kind == "cloze" and cloze.prompt == "The capital is _____ ."
    assert cloze.answers == ["Pyongyang", "P'yongyang"]
    assert match.kind == "match" and match.pairs[2] == ("Samuel S. Kim", "Columbia")
    assert (false.truth, false.lesson_id) == (False, 2)


def test_escaped_characters_are_text_not_syntax():
    result = parse(r"Ratio 1\:2 \= half \~ roughly \# \{not a block\} {=a\=b ~c\~d ~e\#f}")
    assert result.problems == []
    (question,) = result.questions
    assert question.prompt == "Ratio 1:2 = half ~ roughly # {not a block}"
    assert question.options == ["a=b", "c~d", "e#f"]


def test_an_unknown_category_is_noted_and_its_questions_have_no_lesson():
    result = parse("$CATEGORY: Economics\n\nQ {T}")
    assert result.questions[0].lesson_id is None
    assert result.notes == [
        (1, "The category “Economics” matches no lesson: its questions will be imported "
            "without a lesson.")
    ]


def test_categories_match_lessons_in_the_database(db, django_assert_num_queries):
    lesson = factories.LessonFactory(title="Border and trade", slug="border-and-trade")
    factories.LessonFactory(title="Trade", slug="trade")
    with django_assert_num_queries(1):  # the lessons' titles and slugs in one query
        result = parse_gift(text="$CATEGORY: top/Border and Trade\n\nQ {T}")
    assert result.questions[0].lesson_id == lesson.pk


MALFORMED = """::Fine:: A good one {=yes ~no}

::Broken:: Never closed {=a ~b

Two right answers {=a =b ~c}

Numerical {#nineteen fifty-three}

An essay {}

Weights short of 100% {~%50%a ~%30%b ~c}

No braces at all

Too few pairs {=a -> b =c -> d}

Stray text {here =a ~b}

::Unclosed title A question {T}
"""


def test_malformed_questions_are_reported_line_by_line():
    result = parse(MALFORMED)
    # An empty block is an essay and a text with no block a description, as in Moodle.
    assert [(q.title, q.kind, q.line) for q in result.questions] == [
        ("Fine", "mcq", 1), ("", "essay", 9), ("", "desc", 13)
    ]
    assert result.problems == [
        (3, "The answer block opened on line 3 is never closed with }."),
        (5, "A multiple-choice question needs exactly one right answer (=); this one has 2."),
        (7, "“nineteen fifty-three” is not a number (write 1822, 1822:5 or 1820..1825)."),
        (11, "The positive weights add up to 80%; they must add up to 100%."),
        (15, "A matching question needs 3 to 8 pairs."),
        (17, "“here” is not an answer: start each answer with = (right) or ~ (wrong)."),
        (19, "The title opened with :: is never closed with ::."),
    ]
    assert not result.ok


def test_an_empty_file_is_a_problem_not_an_empty_import():
    assert parse("// only a comment\n\n").problems == [(1, "The file holds no questions.")]


def test_windows_line_endings_and_a_byte_order_mark_are_fine():
    result = parse("\ufeffQ one {T}\r\n\r\nQ two {F}\r\n")
    assert [q.line for q in result.questions] == [1, 3]


# --- writing and the round trip --------------------------------------------------------------


def comparable(draft: QuestionDraft):
    return (
        draft.kind, draft.prompt, draft.options, draft.correct, draft.truth, draft.pairs,
        draft.answers, draft.explanation, draft.lesson_id,
    )


def test_a_round_trip_gives_back_the_same_questions(db):
    instructor = factories.InstructorFactory()
    lesson = factories.LessonFactory(title="War and alliance", slug="war")
    other = factories.LessonFactory(title="Trade: ties {and} tensions", slug="trade")
    drafts = [
        QuestionDraft(
            kind="mcq", prompt="Which river: Yalu = border? {really} #1 ~ maybe",
            lesson_id=lesson.pk, options=["Yalu", "Han", "Mekong {delta}"], correct=2,
            explanation="Because: see = map.",
        ),
        QuestionDraft(kind="tf", prompt="True?\nOn two lines.", truth=False, lesson_id=lesson.pk),
        QuestionDraft(
            kind="cloze", prompt="The capital is _____.", answers=["Pyongyang", "P'yongyang"],
            lesson_id=other.pk,
        ),
        QuestionDraft(
            kind="match", prompt="Match them.", lesson_id=other.pk,
            pairs=[("Chen Jian", "Virginia"), ("Samuel S. Kim", "Columbia"), ("Smith", "Warwick")],
        ),
        QuestionDraft(kind="tf", prompt="No lesson here.", truth=True, explanation="Back\\slash"),
    ]
    questions = [authoring.create_question(author=instructor, draft=d) for d in drafts]
    text = export_gift(questions=questions, heading="Round trip")
    result = parse_gift(text=text)
    assert result.problems == [] and result.notes == []
    assert [comparable(d) for d in result.questions] == [
        comparable(draft_from_question(question=q)) for q in questions
    ]


def test_who_and_which_side_export_as_multiple_choice_and_ordering_is_left_out(db):
    who = factories.QuestionFactory(kind="who")
    order = factories.QuestionFactory(kind="order")
    text = export_gift(questions=[who, order])
    assert f"// Question {order.pk} (Chronological order) has no GIFT form" in text
    (read,) = parse_gift(text=text).questions
    assert read.kind == QuestionKind.MULTIPLE_CHOICE
    assert read.options == ["Samuel S. Kim", "Chen Jian", "Hazel Smith"] and read.correct == 0


def test_escape_covers_every_special_character():
    assert escape("a:b=c~d#e{f}g\\h\ni") == "a\\:b\\=c\\~d\\#e\\{f\\}g\\\\h\\ni"


# --- importing: preview, confirm, all or nothing ---------------------------------------------

GOOD = """$CATEGORY: Lesson with GIFT

::One:: Which is right? {=This ~That}

::Two:: It is true. {T}
"""


@pytest.fixture
def gift_lesson(db):
    return factories.LessonFactory(title="Lesson with GIFT")


def preview(client, text, **extra):
    return client.post("/classes/bank/import/", {"text": text, **extra})


def test_the_preview_imports_nothing_and_confirm_imports_everything(
    client, instructor, gift_lesson
):
    client.force_login(instructor)
    page = preview(client, GOOD)
    assert page.status_code == 200
    assert "2 questions ready to import" in page.text
    assert "Which is right?" in page.text and "Confirm import" in page.text
    assert not Question.objects.exists()

    response = client.post("/classes/bank/import/confirm/", {"token": page.context["token"]})
    assert response.status_code == 302
    imported = Question.objects.order_by("id")
    assert [q.prompt for q in imported] == ["Which is right?", "It is true."]
    assert {q.origin for q in imported} == {"imported"}
    assert {q.author for q in imported} == {instructor}
    assert {q.lesson for q in imported} == {gift_lesson}

    again = client.post("/classes/bank/import/confirm/", {"token": page.context["token"]})
    assert again.status_code == 302
    assert Question.objects.count() == 2  # already there: skipped, not doubled
    messages = [str(m) for m in again.wsgi_request._messages]
    assert "Imported 0 questions. 2 were already in your bank and were skipped." in messages


def test_an_uploaded_file_is_previewed_too(client, instructor, gift_lesson):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(instructor)
    upload = SimpleUploadedFile("quiz.gift", GOOD.encode("utf-8"), content_type="text/plain")
    page = client.post("/classes/bank/import/", {"file": upload})
    assert page.status_code == 200
    assert len(page.context["result"].questions) == 2


def test_a_malformed_file_gets_a_line_numbered_report_and_imports_nothing(client, instructor):
    client.force_login(instructor)
    page = preview(client, MALFORMED)
    assert page.status_code == 200
    assert page.context["token"] is None
    assert "Confirm import" not in page.text
    assert "nothing can be imported" in page.text
    assert "<strong>Line 5:</strong> A multiple-choice question needs exactly one right answer" in (
        page.text
    )
    assert "Two right answers {=a =b ~c}" in page.text  # the offending line, as text
    assert not Question.objects.exists()


def test_a_forged_or_tampered_token_imports_nothing(client, instructor, gift_lesson):
    client.force_login(instructor)
    token = preview(client, GOOD).context["token"]
    for bad in (token[:-2] + "xx", "", "not-a-token"):
        response = client.post("/classes/bank/import/confirm/", {"token": bad})
        assert response.status_code == 302
    assert not Question.objects.exists()


def test_another_instructors_preview_cannot_be_confirmed(client, instructor, gift_lesson):
    client.force_login(instructor)
    token = preview(client, GOOD).context["token"]
    client.force_login(factories.InstructorFactory())
    assert client.post("/classes/bank/import/confirm/", {"token": token}).status_code == 404
    assert not Question.objects.exists()


def test_a_failure_half_way_leaves_no_half_import(client, instructor, gift_lesson, monkeypatch):
    client.force_login(instructor)
    token = preview(client, GOOD).context["token"]
    real = authoring.create_question
    calls = []

    def fail_on_the_second(**kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("the disk is full")
        return real(**kwargs)

    monkeypatch.setattr(authoring, "create_question", fail_on_the_second)
    with pytest.raises(RuntimeError):
        client.post("/classes/bank/import/confirm/", {"token": token})
    assert not Question.objects.exists()


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"text": "x" * (MAX_BYTES + 1)}, "split it and import it in parts"),
        ({}, "Choose a GIFT file or paste GIFT text."),
    ],
)
def test_too_big_or_empty_input_is_refused_clearly(client, instructor, payload, message):
    client.force_login(instructor)
    response = client.post("/classes/bank/import/", payload)
    assert response.status_code == 400
    assert message in response.text


def test_a_large_file_and_a_non_utf8_file_are_refused(client, instructor):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(instructor)
    big = SimpleUploadedFile("big.gift", b"Q {T}\n\n" * (MAX_BYTES // 7 + 1))
    response = client.post("/classes/bank/import/", {"file": big})
    assert response.status_code == 400 and "the limit is 200 KB" in response.text
    latin = SimpleUploadedFile("latin.gift", "Pyŏngyang {T}".encode("utf-16"))
    response = client.post("/classes/bank/import/", {"file": latin})
    assert response.status_code == 400 and "not UTF-8 text" in response.text
    assert not Question.objects.exists()


def test_imported_html_shows_as_text(client, instructor):
    client.force_login(instructor)
    page = preview(client, "<script>alert(1)</script> Is it safe? {T}")
    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
