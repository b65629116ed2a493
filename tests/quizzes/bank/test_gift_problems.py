"""What the GIFT reader says about a question it cannot read, word for word and on the right
line; where a category's questions go; what the export writes around the questions."""

from types import SimpleNamespace

import pytest

from quizzes.bank.gift import MAX_QUESTIONS, export_gift, parse_gift
from quizzes.bank.models import QuestionKind

TWICE = "More than one answer block in one question (or a stray brace: escape it as \\})."
NOT_MCQ = (
    "Partial credit (%…%) and several right answers are not supported: mark exactly one answer "
    "with =."
)
NOT_MATCH = "In a matching question every line needs the form =item -> match."


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("Q {=a {b} }", "An answer block holds another {: escape it as \\{."),
        ("Q {=a} and {=b}", TWICE),
        ("Q {=a} stray }", TWICE),
        ("Q stray } text",
         "No answer block: put the answers between { and } (use \\{ for a literal brace)."),
        ("Q {%%}", "“%%” is not an answer: start each answer with = (right) or ~ (wrong)."),
        ("Q {~%50%a ~%50%b =c}", NOT_MCQ),
        ("Q {=%50%a ~b}", NOT_MCQ),
        ("Q {=a =b ~c}",
         "A multiple-choice question needs exactly one right answer (=); this one has 2."),
        ("Q {=%50%a =b}", "Partial credit (%…%) is not supported."),
        ("Q {#}", "A numerical question ({#…}) needs at least one number."),
        ("Q {#1960..1950}", "“1960..1950” is not a range of numbers (low..high)."),
        ("Q {#abc..2}", "“abc..2” is not a range of numbers (low..high)."),
        ("Q {#1953:x}", "“1953:x” is not a number (write 1822, 1822:5 or 1820..1825)."),
        ("Q {~a}", "At least one option needs a positive weight."),
        ("Q {=a -> b =c -> d ~e}", NOT_MATCH),
        ("Q {=a -> b =c -> d =e}", NOT_MATCH),
    ],
)
def test_a_question_that_cannot_be_read_is_a_problem_on_its_line(text, problem):
    result = parse_gift(text="// first line\n\n" + text, lessons=[])
    assert result.problems == [(3, problem)]
    assert result.questions == [] and not result.ok and not result.partly_ok


def test_a_problem_inside_a_long_question_is_on_the_line_of_its_answer_block():
    text = "Q {=a} fine\n\nA question\nover two lines {\n=a\n=b\n~c\n}\n"
    result = parse_gift(text=text, lessons=[])
    assert result.problems == [
        (4, "A multiple-choice question needs exactly one right answer (=); this one has 2.")
    ]
    assert [q.line for q in result.questions] == [1]
    assert result.partly_ok and not result.ok
    braces = parse_gift(text="A question\nover {=a}\nand a stray {", lessons=[])
    assert braces.problems == [(3, TWICE)]


def test_more_questions_than_allowed_stop_the_reading_where_they_begin():
    text = "\n\n".join(f"Q{n} {{T}}" for n in range(MAX_QUESTIONS + 2))
    result = parse_gift(text=text, lessons=[])
    assert len(result.questions) == MAX_QUESTIONS
    assert result.problems == [
        (2 * MAX_QUESTIONS + 1, f"More than {MAX_QUESTIONS} questions: split the file into parts.")
    ]
    assert result.partly_ok and not result.ok


LESSONS = [
    SimpleNamespace(pk=1, title="Border and Trade", slug="border-and-trade"),
    SimpleNamespace(pk=2, title="The War", slug="war"),
]


@pytest.mark.parametrize(
    ("category", "lesson_id", "noted"),
    [
        ("Border and trade", 1, False),
        ("  border-and-trade ", 1, False),
        ("$course$/Course/The war", 2, False),
        ("$course$/Course/war/", 2, False),
        ("$course$/Course/Elsewhere", None, True),
        ("", None, False),
    ],
)
def test_a_category_is_matched_to_a_lesson_by_title_slug_or_last_part(category, lesson_id, noted):
    result = parse_gift(text=f"$CATEGORY: {category}\n\nQ {{T}}\n\n$CATEGORY:\n\nR {{F}}",
                        lessons=LESSONS)
    assert [q.lesson_id for q in result.questions] == [lesson_id, None]
    expected = (
        [(1, f"The category “{category.strip()}” matches no lesson: its questions will be "
             "imported without a lesson.")]
        if noted else []
    )
    assert result.notes == expected


def test_the_export_names_itself_and_its_heading_on_one_line():
    text = export_gift(questions=[], heading="Class A:\n  the  border ")
    assert text.split("\n") == [
        "// Class A: the border",
        "// GIFT format: import with Moodle's GIFT importer or Uneasy Allies.",
        "",
    ]
    assert export_gift(questions=[]).split("\n")[0] == (
        "// GIFT format: import with Moodle's GIFT importer or Uneasy Allies."
    )


def test_the_export_word_for_word_categories_escapes_and_what_is_left_out():
    from quizzes.models import Question
    from relations.models import Lesson

    war = Lesson(pk=1, title="The War", slug="war")
    choice = {"options": [{"key": "a", "text": "Yalu"}, {"key": "b", "text": "Han"}]}
    truth = {"options": [{"key": "t", "text": "True"}, {"key": "f", "text": "False"}]}
    items = {"items": [{"key": k, "text": k.upper()} for k in "abc"]}
    questions = [
        Question(pk=7, kind="mcq", prompt="Which river: the {border}?", explanation="",
                 body=choice, answer={"key": "a"}),
        Question(pk=8, kind="order", prompt="Order", explanation="", body=items,
                 answer={"order": ["a", "b", "c"]}),
        Question(pk=9, kind="tf", prompt="Signed in 1953.", explanation="It was: 27 July.",
                 body=truth, answer={"key": "t"}, lesson=war),
        Question(pk=10, kind="cloze", prompt="Capital?", explanation="  ", body={},
                 answer={"text": "Pyongyang", "alternatives": []}, lesson=war),
    ]
    assert export_gift(questions=questions).split("\n") == [
        "// GIFT format: import with Moodle's GIFT importer or Uneasy Allies.",
        "",
        "$CATEGORY:",  # the questions of no lesson come under an empty category
        "",
        "::Q7:: Which river\\: the \\{border\\}? {",
        "=Yalu",
        "~Han",
        "}",
        "",
        "// Question 8 (Chronological order) has no GIFT form and was left out.",
        "",
        "$CATEGORY: The War",
        "",
        "::Q9:: Signed in 1953. {",
        "TRUE",
        "####It was\\: 27 July.",
        "}",
        "",
        "::Q10:: Capital? {",  # a blank explanation writes no ####
        "=Pyongyang",
        "}",
        "",
    ]


def test_escape_leaves_every_other_character_alone():
    from quizzes.bank.gift_syntax import escape

    assert escape("XI Jinping's 50% (X)") == "XI Jinping's 50% (X)"


def test_answers_take_the_question_texts_format_and_their_change_is_noted_once():
    result = parse_gift(text="[html]Which? {=<b>Yalu</b> ~<i>Han</i>}", lessons=[])
    assert [q.options for q in result.questions] == [["Yalu", "Han"]]
    assert result.notes == [(1, "“Which?”: its HTML was sanitized and is shown as plain text.")]


def test_feedback_a_kind_keeps_is_not_noted_as_left_out():
    result = parse_gift(text="Which? {=Yalu#Right! ~Han#No, further south.}", lessons=[])
    assert [q.feedback for q in result.questions] == [["Right!", "No, further south."]]
    assert result.notes == []


def test_a_category_ending_in_a_capital_x_is_still_matched_by_its_last_part():
    lessons = [SimpleNamespace(pk=3, title="Part X", slug="part-x")]
    result = parse_gift(text="$CATEGORY: $course$/Course/Part X/\n\nQ {T}", lessons=lessons)
    assert [q.lesson_id for q in result.questions] == [3]


def test_gift_syntax_helpers():
    from quizzes.bank.gift_syntax import GiftProblem, escape, format_number

    assert escape("a\r\nb\nc") == "a\\nb\\nc"
    assert format_number(1e12) == "1000000000000"
    assert format_number(50.0) == "50" and format_number(33.333333333333336) == "33.33333333"
    assert str(GiftProblem("No answers.", 4)) == "No answers."
    assert GiftProblem("No answers.", 4).line == 4


@pytest.mark.parametrize(
    ("text", "title", "prompt"),
    [
        ("::::Q {T}", "", "Q"),
        ("::T::Q {T}", "T", "Q"),
        ("  ::T:: Q {T}", "T", "Q"),
        ("Q {T}", "", "Q"),
        ("::T:: Q :: more {T}", "T", "Q :: more"),  # the first :: after the opening closes it
    ],
)
def test_a_title_ends_at_the_first_closing_double_colon(text, title, prompt):
    (question,) = parse_gift(text=text, lessons=[]).questions
    assert (question.title, question.prompt) == (title, prompt)


def test_the_last_four_hashes_start_the_general_feedback():
    (question,) = parse_gift(text="Q {=a ####one ####two}", lessons=[]).questions
    assert (question.answers, question.explanation) == (["a"], "two")


@pytest.mark.parametrize(
    ("text", "read"),
    [
        ("\ufeffQ one {T}", [("Q one", 1, None)]),  # a byte order mark is not text
        ("Q one {T}\r\rQ two {F}", [("Q one", 1, None), ("Q two", 3, None)]),  # old Mac ends
        ("  // a comment {=x}\nQ {T}", [("Q", 2, None)]),  # an indented comment is one too
        ("  $CATEGORY: War\n\nQ {T}", [("Q", 3, 1)]),  # so is an indented category
    ],
)
def test_line_ends_marks_comments_and_categories_as_moodle_writes_them(text, read):
    lessons = [SimpleNamespace(pk=1, title="War", slug="war")]
    result = parse_gift(text=text, lessons=lessons)
    assert [(q.prompt, q.line, q.lesson_id) for q in result.questions] == read
    assert result.problems == []


def test_a_lower_case_category_is_not_a_category():
    """Moodle reads only `$CATEGORY:`; a lower-case one is text without answers, which it
    imports as a description, and so do we (the preview lists it as one)."""
    result = parse_gift(text="$category: War\n\nQ {T}", lessons=[])
    assert result.problems == []
    description, question = result.questions
    assert (description.kind, description.prompt) == (QuestionKind.DESCRIPTION, "$category: War")
    assert question.kind == QuestionKind.TRUE_FALSE


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        # The answer block opens at the start of the second line.
        ("A question\n{=a =b ~c}",
         (2, "A multiple-choice question needs exactly one right answer (=); this one has 2.")),
        ("A question\nover {=a {b} }", (2, "An answer block holds another {: escape it as \\{.")),
        ("A question\nover two {=a ~b",
         (2, "The answer block opened on line 2 is never closed with }.")),
        ("Q {{=a}", (1, "An answer block holds another {: escape it as \\{.")),
        # The first stray brace after the block, at the start of its line, names the line.
        ("Q {=a ~b}\n} stray\n}", (2, TWICE)),
        ("{=a -> b =c -> d}",
         (1, "The question has no text. A matching question needs 3 to 8 pairs.")),
    ],
)
def test_a_problem_is_on_the_line_where_its_brace_is(text, problem):
    assert parse_gift(text=text, lessons=[]).problems == [problem]


def test_a_closing_brace_before_the_answer_block_is_text_as_in_moodle():
    (question,) = parse_gift(text="Q } {=a ~b}", lessons=[]).questions
    assert (question.prompt, question.options) == ("Q }", ["a", "b"])


def test_a_category_line_right_above_its_question_needs_no_blank_line():
    lessons = [SimpleNamespace(pk=1, title="War", slug="war")]
    result = parse_gift(text="  $CATEGORY: War\nQ {T}", lessons=lessons)
    assert [(q.prompt, q.line, q.lesson_id) for q in result.questions] == [("Q", 2, 1)]
    assert result.problems == [] and result.notes == []


def test_a_text_beginning_with_x_keeps_its_x():
    (question,) = parse_gift(text="Xinjiang borders North Korea. {F}", lessons=[]).questions
    assert question.prompt == "Xinjiang borders North Korea."


def test_what_an_untitled_question_loses_is_noted_under_its_first_forty_characters():
    essay = parse_gift(text="An essay {}", lessons=[])
    assert essay.notes == [
        (1, "“An essay”: a written answer has no model answer or rubric in GIFT: it is marked "
            "out of one point until you add them in the bank.")
    ]
    choice = parse_gift(
        text="[html]<b>Which river marks the border between the two countries?</b> {=Yalu ~Han}",
        lessons=[],
    )
    assert choice.notes == [
        (1, "“Which river marks the border between the”: its HTML was sanitized and is shown "
            "as plain text.")
    ]
    description = parse_gift(
        text="[html]<b>A description of the border over forty characters long</b>", lessons=[]
    )
    assert description.notes == [
        (1, "“A description of the border over forty c”: its HTML was sanitized and is shown "
            "as plain text.")
    ]


def test_the_export_goes_on_after_a_description_and_leaves_out_a_kind_it_no_longer_knows():
    from quizzes.models import Question

    truth = {"options": [{"key": "t", "text": "True"}, {"key": "f", "text": "False"}]}
    questions = [
        Question(pk=11, kind="desc", prompt="Read: the border.", explanation="", body={},
                 answer={}),
        Question(pk=12, kind="tf", prompt="Signed in 1953.", explanation="", body=truth,
                 answer={"key": "t"}),
        Question(pk=13, kind="gone", prompt="Old.", explanation="", body={}, answer={}),
    ]
    assert export_gift(questions=questions).split("\n") == [
        "// GIFT format: import with Moodle's GIFT importer or Uneasy Allies.",
        "",
        "$CATEGORY:",
        "",
        "::Q11:: Read\\: the border.",
        "",
        "::Q12:: Signed in 1953. {",
        "TRUE",
        "}",
        "",
        "// Question 13 (gone) has no GIFT form and was left out.",
        "",
    ]
