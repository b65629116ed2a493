"""GIFT read as Moodle reads it: every construct of Moodle's GIFT documentation, on samples
written for this course, imported with the type, keys, weights and feedback Moodle gives
them, and round-tripped through the export."""

import pytest

from quizzes.bank import authoring
from quizzes.bank.drafts import NumericAnswer
from quizzes.bank.gift import export_gift, parse_gift
from quizzes.bank.kinds.written import IMPORTED_CRITERION
from quizzes.models import Question
from tests import factories


class FakeLesson:
    def __init__(self, pk, title, slug):
        self.pk, self.title, self.slug = pk, title, slug


LESSONS = [FakeLesson(1, "War and alliance", "war-and-alliance")]


def parse(text):
    return parse_gift(text=text, lessons=LESSONS)


def one(text):
    result = parse(text)
    assert result.problems == [], result.problems
    (draft,) = result.questions
    return draft


# --- each construct --------------------------------------------------------------------------


def test_multiple_choice_keeps_each_options_feedback_and_the_general_feedback():
    draft = one(
        "::Border river:: Which river marks the border? {\n"
        "  =Yalu#Right: it runs past Dandong.\n"
        "  ~Han#No, the Han runs through Seoul.\n"
        "  ~Mekong\n"
        "  ####Both the Yalu and the Tumen form the border.\n"
        "}"
    )
    assert (draft.kind, draft.title, draft.correct) == ("mcq", "Border river", 0)
    assert draft.options == ["Yalu", "Han", "Mekong"]
    assert draft.feedback == ["Right: it runs past Dandong.", "No, the Han runs through Seoul.", ""]
    assert draft.explanation == "Both the Yalu and the Tumen form the border."


def test_the_missing_word_form_puts_a_blank_where_the_answers_were():
    draft = one("The armistice was signed at {~Seoul =Panmunjom ~Beijing} in 1953.")
    assert draft.prompt == "The armistice was signed at _____ in 1953."
    assert draft.options[draft.correct] == "Panmunjom"
    no_blank = one("Where was the armistice signed? {~Seoul =Panmunjom}")
    assert no_blank.prompt == "Where was the armistice signed?"


def test_tildes_without_an_equals_sign_are_multiple_answer_with_weights():
    draft = one(
        "Which two rivers form the border? {\n"
        "  ~%50%Yalu#One of them.\n"
        "  ~%50%Tumen\n"
        "  ~%-100%Han#The Han is in the south.\n"
        "  ~Taedong\n"
        "}"
    )
    assert draft.kind == "multi"
    assert draft.weights == [50, 50, -100, 0]
    assert draft.feedback == ["One of them.", "", "The Han is in the south.", ""]
    thirds = one("Which are panelists? {~%33.33333%Chen Jian ~%33.33333%Samuel S. Kim "
                 "~%33.33333%Hazel Smith ~%-100%Kim Il Sung}")
    assert thirds.kind == "multi" and thirds.weights[0] == pytest.approx(33.33333)


def test_a_full_weight_tilde_alone_is_multiple_answer_as_in_moodle():
    # Moodle allows several answers whenever no answer is marked with =.
    assert one("Which river? {~%100%Yalu ~Han}").kind == "multi"


def test_true_false_in_all_four_spellings_with_wrong_and_right_feedback():
    for word, truth in (("T", True), ("TRUE", True), ("F", False), ("FALSE", False)):
        assert one(f"The armistice was signed in 1953. {{{word}}}").truth is truth
    draft = one("The war ended with a peace treaty. {FALSE#No: only an armistice.#Right.}")
    # Moodle: the first feedback is for the wrong answer (True), the second for the right.
    assert draft.truth is False and draft.feedback == ["No: only an armistice.", "Right."]


def test_short_answer_is_fill_in_the_blank_and_its_feedback_is_reported_as_left_out():
    result = parse("Name the capital. {=Pyongyang#Yes. =P'yongyang}")
    (draft,) = result.questions
    assert (draft.kind, draft.answers) == ("cloze", ["Pyongyang", "P'yongyang"])
    assert result.notes == [
        (1, "“Name the capital.”: a fill in the blank question keeps no feedback per answer: "
            "that feedback is left out.")
    ]
    partial = parse("Name the capital. {=Pyongyang =%50%Pyongyan}")
    assert partial.questions == [] and "Partial credit" in partial.problems[0][1]


def test_matching_with_an_extra_wrong_match():
    draft = one(
        "Match each panelist with a university. {\n"
        "  =Chen Jian -> Virginia\n"
        "  =Samuel S. Kim -> Columbia\n"
        "  =Hazel Smith -> Warwick\n"
        "  = -> Harvard\n"
        "}"
    )
    assert draft.kind == "match" and draft.distractors == ["Harvard"]
    assert draft.pairs[0] == ("Chen Jian", "Virginia")


@pytest.mark.parametrize(
    ("block", "numbers"),
    [
        ("{#1953}", [NumericAnswer(1953.0)]),
        ("{#1953:2}", [NumericAnswer(1953.0, 2.0)]),
        ("{#1950..1953}", [NumericAnswer(1951.5, 1.5, as_range=True)]),
        (
            "{#\n =1953:0#Exactly.\n =%50%1953:2#Close.\n}",
            [NumericAnswer(1953.0, 0, 100, "Exactly."), NumericAnswer(1953.0, 2, 50, "Close.")],
        ),
        (
            "{#=1953 ~#Look up the armistice.}",
            [NumericAnswer(1953.0), NumericAnswer(None, 0, 0, "Look up the armistice.")],
        ),
        ("{#-38.5:0.5}", [NumericAnswer(-38.5, 0.5)]),
    ],
)
def test_numerical_in_every_form(block, numbers):
    draft = one(f"When was the armistice signed? {block}")
    assert draft.kind == "num" and draft.numbers == numbers


def test_an_empty_block_is_a_written_answer_and_text_alone_a_description():
    result = parse(
        "::Why:: Explain why Beijing kept the 1961 treaty. {\n"
        "  ####A buffer state mattered more than the cost.\n}\n\n"
        "::Before:: [markdown]The next questions are about **1953**."
    )
    assert result.problems == []
    essay, description = result.questions
    assert (essay.kind, essay.title, essay.prompt) == (
        "essay", "Why", "Explain why Beijing kept the 1961 treaty."
    )
    assert essay.explanation == "A buffer state mattered more than the cost."
    assert essay.rubric == [IMPORTED_CRITERION] and essay.model_answer == ""
    assert (description.kind, description.prompt) == (
        "desc", "The next questions are about 1953."
    )
    notes = [note for _, note in result.notes]
    assert any("no model answer or rubric in GIFT" in note for note in notes), notes
    assert any("Markdown" in note or "markdown" in note for note in notes), notes


def test_comments_titles_categories_and_escapes():
    result = parse(
        "// a comment before\n"
        "$CATEGORY: $course$/War and alliance\n\n"
        "::A \\: title:: Is 2 \\= 2, and \\{ a brace \\} with \\~ and \\# and \\\\? {T}\n"
        "// a comment after\n"
    )
    (draft,) = result.questions
    assert draft.title == "A : title" and draft.lesson_id == 1
    assert draft.prompt == "Is 2 = 2, and { a brace } with ~ and # and \\?"
    assert one("Line one\\nline two {T}").prompt == "Line one\nline two"


def test_formats_plain_moodle_html_and_markdown():
    assert one("[plain]Is *this* plain? {T}").prompt == "Is *this* plain?"
    assert one("[moodle]Is this Moodle's? {T}").prompt == "Is this Moodle's?"
    html = parse("[html]<p>Which <b>river</b>?</p> {=Yalu ~[plain]Han}")
    assert html.questions[0].prompt == "Which river?"
    assert html.questions[0].options == ["Yalu", "Han"], "[plain] is read, not shown"
    assert html.notes == [(1, "“Which river?”: its HTML was sanitized and is shown as plain text.")]
    markdown = one("[markdown]Which **river**? {=Yalu ~Han ####The *Yalu*, see [map](x).}")
    assert markdown.prompt == "Which river?" and markdown.explanation == "The Yalu, see map."


def test_a_file_with_one_bad_question_keeps_the_rest_and_names_the_line():
    result = parse("Good one {=a ~b}\n\nBad one {=a =b ~c}\n\nGood two {T}")
    assert [d.prompt for d in result.questions] == ["Good one", "Good two"]
    assert [line for line, _ in result.problems] == [3]
    assert not result.ok and result.partly_ok


# --- round trips -----------------------------------------------------------------------------

EVERY_KIND = """$CATEGORY: War and alliance

::River:: Which river marks the border? {
  =Yalu#Right.
  ~Han#No: Seoul's river.
  ####The Yalu and the Tumen.
}

::Treaty:: The war ended with a peace treaty. {FALSE#No: only an armistice.#Right.}

::Rivers:: Which two rivers form the border? {~%50%Yalu#Yes. ~%50%Tumen ~%-100%Han#No.}

::Capital:: The capital is {=Pyongyang =P'yongyang}.

::Universities:: Match each panelist. {
  =Chen Jian -> Virginia
  =Samuel S. Kim -> Columbia
  =Hazel Smith -> Warwick
  = -> Harvard
}

::Year:: When was the armistice signed? {#=1953#Exactly. =%50%1953:1#Close. ~#Look it up.}

::Range:: Pi to three decimals? {#3.141..3.142}

::Why:: Explain why Beijing kept the alliance. {
####Look for the buffer state.
}

::Before:: The next questions are about the armistice.
"""

FIELDS = (
    "kind", "title", "prompt", "options", "correct", "truth", "pairs", "distractors",
    "answers", "weights", "feedback", "numbers", "explanation", "model_answer", "rubric",
)


def comparable(draft):
    return {name: getattr(draft, name) for name in FIELDS}


@pytest.mark.django_db
def test_every_kind_round_trips_through_the_bank_and_the_export():
    lesson = factories.LessonFactory(title="War and alliance")
    first = parse_gift(text=EVERY_KIND)
    assert first.problems == [] and len(first.questions) == 9
    author = factories.InstructorFactory()
    authoring.import_questions(author=author, drafts=first.questions)
    questions = list(Question.objects.filter(author=author).order_by("pk"))
    assert {q.lesson_id for q in questions} == {lesson.pk}
    assert [q.title for q in questions] == [d.title for d in first.questions]

    exported = export_gift(questions=questions)
    again = parse_gift(text=exported)
    assert again.problems == []
    assert [comparable(d) for d in again.questions] == [comparable(d) for d in first.questions]
    assert {d.lesson_id for d in again.questions} == {lesson.pk}
    # And once more: what the export writes, it writes the same way again.
    authoring.import_questions(author=factories.InstructorFactory(), drafts=again.questions)
    assert export_gift(questions=Question.objects.exclude(author=author).order_by("pk")) == (
        exported
    )


@pytest.mark.django_db
def test_the_export_says_which_questions_gift_cannot_hold():
    ordering = factories.QuestionFactory(kind="order")
    essay = factories.QuestionFactory(kind="essay")
    exported = export_gift(questions=[ordering, essay])
    assert f"// Question {ordering.pk} (Chronological order) has no GIFT form" in exported
    assert (
        f"// Question {essay.pk} (Written answer): GIFT cannot hold its model answer or its "
        "rubric, left out below." in exported
    )
    assert exported.rstrip().endswith("{\n####Because the lesson says so.\n}")


# --- the two import modes, through the pages -------------------------------------------------

ONE_BAD = "::Good:: Good one {=a ~b}\n\n::Bad:: Bad one {=a =b ~c}\n\n::Also good:: Good two {T}\n"


def test_all_or_nothing_refuses_a_file_with_one_bad_question(client, instructor):
    client.force_login(instructor)
    page = client.post("/classes/bank/import/", {"text": ONE_BAD, "mode": "all"})
    assert page.context["token"] is None and "nothing can be imported" in page.text
    assert "or choose to import the questions that can be read" in page.text
    assert not Question.objects.exists()


def test_the_partial_mode_imports_the_rest_and_reports_the_bad_line(client, instructor):
    client.force_login(instructor)
    page = client.post("/classes/bank/import/", {"text": ONE_BAD, "mode": "partial"})
    assert page.status_code == 200 and page.context["token"]
    assert "1 part of the file could not be read and will be left out" in page.text
    assert "<strong>Line 3:</strong> A multiple-choice question needs exactly one right" in (
        page.text
    )
    assert not Question.objects.exists(), "the preview saves nothing"
    done = client.post("/classes/bank/import/confirm/", {"token": page.context["token"]})
    assert done.status_code == 302
    assert sorted(Question.objects.values_list("title", flat=True)) == ["Also good", "Good"]
    messages = [str(m) for m in done.wsgi_request._messages]
    assert messages == [
        "Imported 2 questions. 1 part of the file could not be read and was left out (line 3)."
    ]



@pytest.mark.django_db
def test_editing_an_imported_question_in_its_form_keeps_what_gift_gave_it():
    """Feedback, weights, extra matches and "any other number" survive the authoring form."""
    from quizzes.bank.kinds import kind_for

    for draft in parse_gift(text=EVERY_KIND, lessons=[]).questions:
        form_class = kind_for(draft.kind).form_class
        initial = form_class.initial_from(draft)
        data = {k: "" if v is None else str(v) for k, v in initial.items()}
        form = form_class(data, kind=draft.kind)
        assert form.is_valid(), (draft.kind, form.errors)
        edited = form.draft()
        assert {**comparable(edited), "title": draft.title} == comparable(draft), draft.kind
