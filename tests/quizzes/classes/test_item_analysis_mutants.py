"""Item analysis on data that tells a right implementation from a nearly right one: students
not listed in score order, ties, equal facility with different counts, rounding."""

import pytest

from quizzes.classes.item_analysis import (
    AnswerRecord,
    ItemStats,
    analyse_items,
    describe_answer,
    rank_hardest_cards,
    thirds,
)


def record(student, question, right, text=None):
    return AnswerRecord(
        student_id=student, question_id=question, is_correct=right, answer_text=text
    )


def test_thirds_follow_the_scores_not_the_ids_or_the_order_given():
    # Listed neither by id nor by score: sorting either way instead of by score fails.
    totals = {4: 10, 1: 55, 6: 90, 2: 30, 5: 70, 3: 45}
    assert thirds(totals=totals) == ({6, 5}, {4, 2})


def test_thirds_of_seven_students_are_two_each_and_the_middle_is_left_out():
    totals = {7: 1, 3: 7, 5: 3, 1: 5, 6: 2, 2: 6, 4: 4}
    assert thirds(totals=totals) == ({3, 2}, {6, 7})


def test_three_students_make_thirds_of_one():
    assert thirds(totals={9: 20, 8: 40, 7: 30}) == ({8}, {9})


def test_equal_totals_are_broken_by_the_lower_id_first():
    totals = {5: 50, 2: 50, 9: 50, 1: 80, 3: 10, 8: 10}
    # Ranked 1, 2, 5, 9, 3, 8: the top third is 1 and 2, the bottom 3 and 8.
    assert thirds(totals=totals) == ({1, 2}, {3, 8})


def test_discrimination_is_rounded_to_four_places():
    # Top third {1, 2, 3}: 2 of 3 right; bottom third {7, 8, 9}: 0 of 3 right.
    totals = {s: 100 - s for s in range(1, 10)}
    records = [record(s, 1, s in (1, 2)) for s in range(1, 10)]
    (stats,) = analyse_items(records=records, totals=totals)
    assert stats.discrimination == 0.6667
    assert stats.facility == pytest.approx(2 / 9) and stats.facility_percent == 22


def test_discrimination_of_a_third_against_two_thirds():
    totals = {s: 100 - s for s in range(1, 10)}
    records = [record(s, 1, s in (1, 7, 8)) for s in range(1, 10)]
    (stats,) = analyse_items(records=records, totals=totals)
    assert stats.discrimination == -0.3333


def test_the_whole_row_for_one_question():
    totals = {3: 30, 1: 10, 2: 20}
    records = [record(1, 4, False, "Han"), record(2, 4, False, "han"), record(3, 4, True)]
    assert analyse_items(records=records, totals=totals) == [
        ItemStats(
            question_id=4, seen=3, right=1, facility=1 / 3, discrimination=1.0,
            top_wrong_answer="Han", top_wrong_count=1,
        )
    ]


def test_wrong_answers_differing_only_in_case_are_different_answers_tied_by_casefold():
    records = [
        record(1, 5, False, "han"), record(2, 5, False, "Han"),
        record(3, 5, False, "yalu"), record(4, 5, False, "yalu"),
    ]
    (stats,) = analyse_items(records=records, totals={1: 1, 2: 2, 3: 3, 4: 4})
    assert (stats.top_wrong_answer, stats.top_wrong_count) == ("yalu", 2)
    (tied,) = analyse_items(records=records[:2], totals={1: 1, 2: 2})
    # "han" and "Han" fold to the same text; the first seen of the two is kept.
    assert (tied.top_wrong_answer, tied.top_wrong_count) == ("han", 1)


def test_ties_among_wrong_answers_go_to_the_alphabetically_first_ignoring_case():
    records = [
        record(1, 5, False, "b Tumen"), record(2, 5, False, "B Tumen"),
        record(3, 5, False, "a Yalu"), record(4, 5, False, "C Han"),
    ]
    (stats,) = analyse_items(records=records, totals={1: 1, 2: 2, 3: 3, 4: 4})
    assert (stats.top_wrong_answer, stats.top_wrong_count) == ("a Yalu", 1)


def test_right_answers_and_blank_texts_are_not_wrong_answers():
    records = [record(1, 5, True, "Yalu"), record(2, 5, False, ""), record(3, 5, False, None)]
    (stats,) = analyse_items(records=records, totals={1: 1, 2: 2, 3: 3})
    assert (stats.top_wrong_answer, stats.top_wrong_count) == (None, 0)


def test_equal_facility_puts_the_more_seen_question_first_then_the_lower_id():
    records = [
        # Question 30: 1 of 2 right. Question 20: 2 of 4 right. Question 10: 1 of 2 right.
        record(1, 30, True), record(2, 30, False),
        record(1, 20, True), record(2, 20, True), record(3, 20, False), record(4, 20, False),
        record(3, 10, True), record(4, 10, False),
        # Question 40: everyone wrong, hardest of all.
        record(1, 40, False),
    ]
    stats = analyse_items(records=records, totals={1: 4, 2: 3, 3: 2, 4: 1})
    assert [(s.question_id, s.seen, s.facility) for s in stats] == [
        (40, 1, 0.0), (20, 4, 0.5), (10, 2, 0.5), (30, 2, 0.5),
    ]


def test_facility_percent_rounds_to_the_nearest_whole_percent():
    def percent(facility):
        return ItemStats(1, 1, 1, facility, None, None, 0).facility_percent

    assert [percent(f) for f in (2 / 3, 1 / 3, 0.125, 0.994, 1.0)] == [67, 33, 12, 99, 100]


def test_a_choice_answer_stored_as_the_bare_key_is_described_by_its_option():
    body = {"options": [{"key": "k0", "text": "Yalu"}, {"key": "k1", "text": "Han"}]}
    assert describe_answer(kind="mcq", body=body, answer="k1") == "Han"
    assert describe_answer(kind="who", body=body, answer={"key": "k0"}) == "Yalu"
    assert describe_answer(kind="mcq", body=body, answer={"text": "k0"}) is None
    assert describe_answer(kind="mcq", body=None, answer="k1") is None
    assert describe_answer(kind="essay", body=body, answer="k1") is None


def test_hardest_cards_round_recall_and_break_full_ties_by_card_id():
    ranked = rank_hardest_cards(
        recall={9: [0.33333, 0.33334], 3: [0.12344], 5: [0.33334, 0.33333]},
        again_counts={9: 2, 5: 2},
    )
    assert ranked == [(3, 0.1234, 0), (5, 0.3333, 2), (9, 0.3333, 2)]


def test_versions_are_rows_of_their_own_and_not_reached_is_counted_apart_from_wrong():
    totals = {1: 10, 2: 20, 3: 30}
    records = [
        AnswerRecord(student_id=1, question_id=5, is_correct=True, version_id=2),
        AnswerRecord(student_id=2, question_id=5, is_correct=False, answer_text="Han",
                     version_id=2),
        AnswerRecord(student_id=3, question_id=5, is_correct=False, version_id=2,
                     reached=False),
        # Another question, answered right by the one who saw it.
        AnswerRecord(student_id=1, question_id=6, is_correct=True, version_id=1),
        # Answered only before versions were kept, and the same question's version 1.
        AnswerRecord(student_id=2, question_id=7, is_correct=False, answer_text="Tumen",
                     version_id=1),
        AnswerRecord(student_id=3, question_id=7, is_correct=False, answer_text="Tumen"),
        # Never reached by anyone, twice.
        AnswerRecord(student_id=1, question_id=8, is_correct=False, version_id=4,
                     reached=False),
        AnswerRecord(student_id=2, question_id=8, is_correct=False, version_id=4,
                     reached=False),
    ]
    rows = [
        (s.question_id, s.version_id, s.seen, s.right, s.facility, s.not_reached)
        for s in analyse_items(records=records, totals=totals)
    ]
    assert rows == [
        (7, None, 1, 0, 0.0, 0),  # no version sorts before version 1 of the same question
        (7, 1, 1, 0, 0.0, 0),
        (5, 2, 2, 1, 0.5, 1),
        (6, 1, 1, 1, 1.0, 0),
        (8, 4, 0, 0, 1.0, 2),  # only ever not reached: last, and no answer to call hard
    ]

