"""Item analysis as pure functions: facility, discrimination, the most chosen wrong answer."""

import pytest

from quizzes.classes.item_analysis import (
    AnswerRecord,
    analyse_items,
    describe_answer,
    rank_hardest_cards,
    thirds,
)


def record(student, question, right, text=None):
    return AnswerRecord(
        student_id=student, question_id=question, is_correct=right, answer_text=text
    )


def test_thirds_split_students_by_total_score():
    totals = {1: 90, 2: 80, 3: 70, 4: 60, 5: 50, 6: 40}
    assert thirds(totals=totals) == ({1, 2}, {5, 6})
    assert thirds(totals={1: 10, 2: 20}) == (set(), set())  # too few to compare


def test_facility_is_the_share_right_and_items_come_hardest_first():
    records = [
        record(1, 10, True), record(2, 10, True), record(3, 10, False), record(4, 10, True),
        record(1, 20, False), record(2, 20, False), record(3, 20, True), record(4, 20, False),
    ]
    stats = analyse_items(records=records, totals={1: 50, 2: 40, 3: 30, 4: 20})
    assert [s.question_id for s in stats] == [20, 10]
    assert stats[0].facility == pytest.approx(0.25) and stats[0].facility_percent == 25
    assert stats[1].facility == pytest.approx(0.75)
    assert (stats[1].seen, stats[1].right) == (4, 3)


def test_discrimination_is_top_third_minus_bottom_third():
    totals = {s: 100 - 10 * s for s in range(1, 7)}  # 1 and 2 on top, 5 and 6 at the bottom
    records = [
        # The strong got it right, the weak wrong: discrimination 1.
        *(record(s, 1, s <= 2) for s in range(1, 7)),
        # The weak got it right, the strong wrong: discrimination -1.
        *(record(s, 2, s >= 5) for s in range(1, 7)),
        # Everyone right: 0.
        *(record(s, 3, True) for s in range(1, 7)),
    ]
    by_id = {s.question_id: s for s in analyse_items(records=records, totals=totals)}
    assert by_id[1].discrimination == 1.0
    assert by_id[2].discrimination == -1.0
    assert by_id[3].discrimination == 0.0


def test_discrimination_is_unknown_when_a_third_never_saw_the_question():
    totals = {1: 90, 2: 50, 3: 10}
    stats = analyse_items(records=[record(1, 7, True), record(2, 7, False)], totals=totals)
    assert stats[0].discrimination is None


def test_the_most_chosen_wrong_answer_is_named_with_its_count():
    records = [
        record(1, 5, False, "Han River"), record(2, 5, False, "Han River"),
        record(3, 5, False, "Mekong River"), record(4, 5, True, None),
    ]
    (stats,) = analyse_items(records=records, totals={1: 1, 2: 2, 3: 3, 4: 4})
    assert (stats.top_wrong_answer, stats.top_wrong_count) == ("Han River", 2)


def test_ties_between_wrong_answers_are_broken_alphabetically():
    records = [record(1, 5, False, "b"), record(2, 5, False, "A")]
    (stats,) = analyse_items(records=records, totals={1: 1, 2: 2})
    assert stats.top_wrong_answer == "A"


def test_no_records_no_items():
    assert analyse_items(records=[], totals={}) == []


BODY = {"options": [{"key": "k0", "text": "Yalu"}, {"key": "k1", "text": "Han"}]}


@pytest.mark.parametrize(
    ("kind", "body", "answer", "text"),
    [
        ("mcq", BODY, {"key": "k1"}, "Han"),
        ("tf", BODY, {"key": "gone"}, None),
        ("cloze", {}, {"text": "  PyongYANG  city "}, "pyongyang city"),
        ("match", {}, {"pairs": {"a": "b"}}, None),
        ("order", {}, {"order": ["a", "b"]}, None),
        ("mcq", BODY, None, None),
        # A kind this version does not know (an answer kept from a removed kind): no text.
        ("retired-kind", BODY, {"key": "k1"}, None),
    ],
)
def test_describe_answer_gives_the_text_a_student_chose(kind, body, answer, text):
    assert describe_answer(kind=kind, body=body, answer=answer) == text


def test_hardest_cards_have_the_lowest_mean_recall_then_the_most_again_ratings():
    ranked = rank_hardest_cards(
        recall={1: [0.9, 0.8], 2: [0.2, 0.4], 3: [0.3, 0.3], 4: []},
        again_counts={3: 5, 2: 1},
    )
    # Never seen counts as 0 recall; at equal mean recall (0.3) more Again ratings come first.
    assert ranked == [(4, 0.0, 0), (3, 0.3, 5), (2, 0.3, 1), (1, 0.85, 0)]


@pytest.mark.django_db
def test_an_assignments_item_analysis_over_real_attempts():
    """Six students answer one hand-picked question; the top scorers get it right."""
    import datetime

    from quizzes.classes import assignments as services
    from quizzes.classes import results as result_services
    from quizzes.practice import attempts as engine
    from tests import factories

    world = factories.class_world(students=6, questions_per_kind=2, kinds=("mcq",))
    easy, hard = world["questions"]
    assignment = factories.AssignmentFactory(
        classroom=world["classroom"], questions=[easy, hard], question_count=2
    )
    now = assignment.opens_at + datetime.timedelta(minutes=1)
    han = next(o["key"] for o in hard.body["options"] if o["text"] == "Han River")
    for index, student in enumerate(world["students"]):
        attempt = services.start_assignment_attempt(
            assignment=assignment, student=student, now=now
        )
        for response in attempt.responses.all():
            if response.question_id == easy.pk:
                key = easy.answer["key"]
            else:  # only the first two students know the hard one; the rest pick Han
                key = hard.answer["key"] if index < 2 else han
            token = engine.option_token(attempt=attempt, response_id=response.pk, key=key)
            engine.answer_question(
                attempt=attempt, position=response.position, data={"choice": token}, now=now
            )
    results = result_services.assignment_results(assignment=assignment, now=now)
    items = result_services.assignment_item_analysis(results=results)
    (first_question, first), (second_question, second) = items
    assert first_question.pk == hard.pk
    assert first.facility_percent == 33
    assert first.discrimination == 1.0
    assert (first.top_wrong_answer, first.top_wrong_count) == ("Han River", 4)
    assert second_question.pk == easy.pk
    assert second.facility == 1.0 and second.top_wrong_answer is None
