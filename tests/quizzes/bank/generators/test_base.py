"""The generators' shared helpers (quizzes/bank/generators/base.py), on stand-ins: the
fingerprint that finds a regenerated question's row, option keys, distractors nearest first,
runs of items, the source line, and a debate position said without its side."""

import hashlib
import json
import random
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizzes.bank.generators import base
from quizzes.bank.generators.base import (
    answer_shape,
    choice_question,
    chunk,
    distinct_texts,
    explain,
    fingerprint,
    is_collective,
    is_source_error,
    item_label,
    lesson_distance,
    make_draft,
    mentions,
    most_common,
    nearest_first,
    option_key,
    position_statement,
    redraft,
    rng_for,
    role_words,
    same_shape_answers,
    source_line,
)
from relations.models import Term

# --- fingerprints and keys ------------------------------------------------------------------


def test_the_fingerprint_is_the_sha256_of_everything_the_question_shows():
    item = Term(pk=12)
    shown = {
        "v": 1, "kind": "mcq", "generator": "mcq.term", "item": "relations.term:12",
        "prompt": "Which river?", "body": {"options": ["Yalu"]}, "answer": {"key": "k"},
    }
    expected = hashlib.sha256(
        json.dumps(shown, sort_keys=True, ensure_ascii=False).encode()
    ).hexdigest()
    assert fingerprint(
        kind="mcq", generator="mcq.term", item=item, prompt="Which river?",
        body={"options": ["Yalu"]}, answer={"key": "k"},
    ) == expected
    # Written out, so a change of algorithm or version (every row regenerated) is seen here.
    assert fingerprint(
        kind="tf", generator="g", item=None, prompt="P", body={}, answer={}
    ) == hashlib.sha256(
        b'{"answer": {}, "body": {}, "generator": "g", "item": "none", "kind": "tf", '
        b'"prompt": "P", "v": 1}'
    ).hexdigest()


def test_non_ascii_is_fingerprinted_as_itself():
    made = fingerprint(kind="cloze", generator="g", item=None, prompt="P'yŏngyang", body={},
                       answer={})
    assert made == hashlib.sha256(
        '{"answer": {}, "body": {}, "generator": "g", "item": "none", "kind": "cloze", '
        '"prompt": "P\'yŏngyang", "v": 1}'.encode()
    ).hexdigest()


def test_an_item_is_labelled_by_app_model_and_key():
    assert item_label(Term(pk=3)) == "relations.term:3"
    assert item_label(None) == "none"


def test_a_draft_takes_its_place_from_its_item_unless_told_otherwise():
    item = SimpleNamespace(lesson="L", section="S", citation="C", editor_note="N", pk=1,
                           _meta=Term._meta)
    made = make_draft(kind="mcq", generator="g", prompt="P", body={}, answer={}, explanation="E",
                      item=item)
    assert (made.lesson, made.section, made.citation, made.editor_note, made.item) == (
        "L", "S", "C", "N", item
    )
    assert made.fingerprint == fingerprint(kind="mcq", generator="g", item=item, prompt="P",
                                           body={}, answer={})
    told = make_draft(kind="mcq", generator="g", prompt="P", body={}, answer={}, explanation="E",
                      item=item, lesson="L2", section="S2", citation="C2", editor_note="N2")
    assert (told.lesson, told.section, told.citation, told.editor_note) == (
        "L2", "S2", "C2", "N2"
    )
    bare = make_draft(kind="tf", generator="g", prompt="P", body={}, answer={}, explanation="E",
                      item=None)
    assert (bare.lesson, bare.section, bare.citation, bare.editor_note) == (None,) * 4
    assert (bare.kind, bare.generator, bare.prompt, bare.explanation) == ("tf", "g", "P", "E")


def test_a_redrafted_question_gets_the_fingerprint_of_what_it_now_shows():
    made = make_draft(kind="mcq", generator="g", prompt="P", body={}, answer={}, explanation="E",
                      item=None)
    import dataclasses

    changed = redraft(dataclasses.replace(made, prompt="Q"))
    assert changed.fingerprint == fingerprint(kind="mcq", generator="g", item=None, prompt="Q",
                                              body={}, answer={})
    assert changed.prompt == "Q" and changed.explanation == "E"
    again = redraft(dataclasses.replace(made, kind="tf", generator="h", body={"b": 1},
                                        answer={"a": 1}, item=Term(pk=4)))
    assert again.fingerprint == fingerprint(kind="tf", generator="h", item=Term(pk=4),
                                            prompt="P", body={"b": 1}, answer={"a": 1})


def test_option_keys_are_ten_hex_digits_of_the_salted_text():
    assert option_key("Yalu") == hashlib.sha256(b"|Yalu").hexdigest()[:10]
    assert option_key("Yalu", "q1") == hashlib.sha256(b"q1|Yalu").hexdigest()[:10]
    assert option_key("Yalu", "q1") != option_key("Yalu", "q2")


def test_each_item_has_its_own_random_source():
    first = rng_for(7, "mcq", "term", 3).random()
    assert first == random.Random("7:mcq:term:3").random()
    assert rng_for(7, "mcq", "term", 3).random() == first
    assert rng_for(8, "mcq", "term", 3).random() != first
    assert rng_for(7, "mcq").random() == random.Random("7:mcq").random()


def test_a_choice_question_has_its_right_answer_once_and_says_nothing_by_its_keys():
    body, answer = choice_question(correct="Yalu", distractors=["Tumen", "Han"],
                                   rng=random.Random(1), shuffle=False)
    texts = ["Yalu", "Tumen", "Han"]
    assert body == {"options": [{"key": option_key(t), "text": t} for t in texts]}
    assert answer == {"key": option_key("Yalu")}
    shuffled, _ = choice_question(correct="Yalu", distractors=["Tumen", "Han", "Amur"],
                                  rng=random.Random(3))
    order = ["Yalu", "Tumen", "Han", "Amur"]
    random.Random(3).shuffle(order)
    assert [o["text"] for o in shuffled["options"]] == order


def test_a_wrong_option_says_why_it_is_wrong_only_when_it_is_one_of_the_options():
    _body, answer = choice_question(
        correct="Yalu", distractors=["Tumen", "Han"], rng=random.Random(1), shuffle=False,
        why_wrong={"Han": "The Han flows through Seoul.", "Tumen": "", "Amur": "Not an option."},
    )
    assert answer == {
        "key": option_key("Yalu"),
        "feedback": {option_key("Han"): "The Han flows through Seoul."},
    }


# --- distractors nearest first --------------------------------------------------------------


def lesson(pk, order):
    return SimpleNamespace(pk=pk, order=order)


@pytest.mark.parametrize(
    ("one", "other", "distance"),
    [
        (lesson(1, 3), lesson(1, 3), 0),
        (lesson(1, 3), lesson(2, 3), 1),
        (lesson(1, 3), lesson(2, 5), 3),
        (lesson(1, 5), lesson(2, 3), 3),
        (lesson(1, None), lesson(2, 4), 5),
        (lesson(1, 4), lesson(2, None), 5),  # a lesson without an order counts as 0
        (lesson(1, 4), None, 1000),
        (None, lesson(1, 4), 1000),
    ],
)
def test_lessons_further_apart_are_further(one, other, distance):
    assert lesson_distance(one, other) == distance


def test_candidates_come_from_the_same_lesson_first_then_the_nearest():
    here, next_door, far = lesson(1, 1), lesson(2, 2), lesson(3, 9)
    candidates = [SimpleNamespace(name=f"{n}", lesson=where)
                  for n, where in enumerate([far, here, None, next_door, here, far])]
    ordered = nearest_first(candidates, lesson=here, rng=random.Random(0))
    assert [c.lesson for c in ordered] == [here, here, next_door, far, far, None]
    by_other = nearest_first(["far", "here"], lesson=here, rng=random.Random(0),
                             lesson_of={"far": far, "here": here}.get)
    assert by_other == ["here", "far"]
    # A candidate with no lesson at all (a plain text) comes last, like one of no lesson.
    assert nearest_first(["text", candidates[1]], lesson=here, rng=random.Random(0)) == [
        candidates[1], "text"
    ]


def test_ties_are_broken_by_the_items_random_source():
    here = lesson(1, 1)
    candidates = [SimpleNamespace(n=n, lesson=here) for n in range(6)]
    ordered = nearest_first(candidates, lesson=here, rng=random.Random(5))
    expected = list(candidates)
    random.Random(5).shuffle(expected)
    assert ordered == expected


def test_distinct_texts_fold_as_the_grader_does_and_stop_at_the_limit():
    texts = ["The Yalu", "Tumen", "the yalu!", "", "  ", "Han", "Amur"]
    assert distinct_texts(texts, limit=3) == ["The Yalu", "Tumen", "Han"]
    assert distinct_texts(texts, exclude=["TUMEN"], limit=2) == ["The Yalu", "Han"]
    assert distinct_texts(texts, limit=10) == ["The Yalu", "Tumen", "Han", "Amur"]
    assert distinct_texts(["Yalu"], exclude=["yalu"], limit=1) == []


@given(st.lists(st.sampled_from(["Yalu", "yalu", "Tumen", "Han", "HAN ", "", "Amur"])),
       st.integers(1, 5))
def test_distinct_texts_never_repeat_and_keep_their_order(texts, limit):
    chosen = distinct_texts(texts, limit=limit)
    folded = [t.strip().casefold() for t in chosen]
    assert len(chosen) <= limit and len(set(folded)) == len(folded) and all(folded)
    positions = [texts.index(t) for t in chosen]
    assert positions == sorted(positions)


# --- runs of items --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "low", "high", "sizes"),
    [
        (2, 3, 6, []),
        (3, 3, 6, [3]),
        (6, 4, 6, [6]),
        (7, 4, 6, [4, 4]),  # overlapping by one
        (8, 4, 6, [4, 4]),
        (10, 4, 6, [5, 5]),
        (11, 4, 6, [6, 5]),
        (13, 4, 6, [5, 4, 4]),
        (13, 3, 4, [4, 3, 3, 3]),
    ],
)
def test_items_are_split_into_even_runs(count, low, high, sizes):
    runs = chunk(list(range(count)), low=low, high=high)
    assert [len(run) for run in runs] == sizes


def test_seven_items_in_runs_of_four_to_six_overlap_by_one():
    assert chunk(list("abcdefg"), low=4, high=6) == [list("abcd"), list("defg")]
    assert chunk(list("abcdefghi"), low=4, high=8) == [list("abcdefghi")[:5], list("fghi")]
    assert chunk(list("abcdefghij"), low=4, high=5) == [list("abcde"), list("fghij")]


@given(st.integers(0, 40), st.integers(1, 6), st.integers(0, 6))
def test_every_item_is_in_a_run_of_allowed_size(count, low, spread):
    high = low + spread
    items = list(range(count))
    runs = chunk(items, low=low, high=high)
    if count < low:
        assert runs == []
        return
    assert all(low <= len(run) <= high for run in runs)
    assert sorted({i for run in runs for i in run}) == items
    assert max(map(len, runs)) - min(map(len, runs)) <= 1 or all(len(r) == low for r in runs)


def test_the_most_common_value_by_key_first_seen_wins_a_tie():
    a, b, c = (SimpleNamespace(pk=n) for n in (1, 2, 3))
    assert most_common([a, b, b, None, None, None]) is b
    assert most_common([c, a, a, c]) is c
    assert most_common([None]) is None
    assert most_common([]) is None


# --- wording --------------------------------------------------------------------------------


def test_the_source_line_and_the_explanation():
    citation = SimpleNamespace(source=SimpleNamespace(title="The Wilson report"), locator="p. 4")
    assert source_line(citation) == "Source: The Wilson report, p. 4."
    assert source_line(None) == ""
    assert explain(" It was 1953. ", "", None, "  ", "Then talks.", citation=citation) == (
        "It was 1953. Then talks. Source: The Wilson report, p. 4."
    )
    assert explain("Alone.") == "Alone."
    assert explain(citation=citation) == "Source: The Wilson report, p. 4."


@pytest.mark.parametrize(
    ("text", "phrase", "found"),
    [
        ("Beijing's aid to Pyongyang grew.", "pyongyang", True),
        ("Beijing's aid to P'yongyang grew.", "Pyongyang", True),  # punctuation ignored
        ("The Yalu River bridge", "yalu river", True),
        ("The Yaluriver bridge", "yalu", False),
        ("Critics argue, loudly.", "critics", True),
        ("Anything", "", False),
        ("Anything", "!!", False),
    ],
)
def test_a_phrase_is_mentioned_as_whole_words(text, phrase, found):
    assert mentions(text, phrase) is found


def test_what_a_source_wrongly_says_is_recognised_however_it_is_written():
    notes = [None, SimpleNamespace(source_says="The treaty of 1962"),
             SimpleNamespace(source_says="Kim Il Sung")]
    assert is_source_error("the Treaty of 1962.", notes)
    assert is_source_error("KIM IL SUNG", notes)
    assert not is_source_error("The treaty of 1961", notes)
    assert not is_source_error("anything", [])


# --- answers of the same shape --------------------------------------------------------------


def person(pk, name, role="", affiliation="", panelist=False):
    return SimpleNamespace(pk=pk, name=name, role=role, affiliation=affiliation,
                           is_panelist=panelist)


PEOPLE = (
    person(1, "Kim Il Sung", "Leader of North Korea"),
    person(2, "Mao Zedong", "Chairman and leader of China"),
    person(3, "Zhou Enlai", "Premier of China"),
    person(4, "Samuel Kim", "Scholar of Chinese policy", "Columbia University", True),
    person(5, "Hazel Smith", "Scholar of Korea", "SOAS", True),
    person(6, "The Wilson Center report", "Report", "Wilson Center", True),
    person(7, "Kim Jong Il", "Leader of North Korea"),
)


def test_a_collective_voice_and_the_words_of_a_role():
    assert is_collective(PEOPLE[5]) and is_collective(person(9, "  the panel"))
    assert not is_collective(PEOPLE[0]) and not is_collective(person(9, "Theodore"))
    assert role_words(PEOPLE[1]) == {"chairman", "leader", "china"}
    assert role_words(person(9, "X", role="Head of the Army")) == {"head", "army"}


@pytest.mark.parametrize(
    ("answer", "shape"),
    [
        ("1953", "year"), (" 2003 ", "year"), ("1099", "year"), ("999", None), ("2100", None),
        ("19530", None), ("kim il sung", "person"), ("Columbia University", "affiliation"),
        ("The Wilson Center report", None), ("Wilson Center", "affiliation"), ("Yalu", None),
    ],
)
def test_an_answer_is_a_year_a_person_an_affiliation_or_nothing_safe(answer, shape):
    assert answer_shape(answer, people=PEOPLE) == shape


def content(**fields):
    return base.CourseContent(people=PEOPLE, **fields)


def fact(answer, pk=100, kind="", alternatives=()):
    return SimpleNamespace(
        pk=pk, answer=answer, answer_kind=kind, alternative_list=list(alternatives)
    )


def test_a_leaders_distractors_are_other_leaders_those_most_alike_first():
    texts = same_shape_answers(fact("Kim Il Sung"), content=content(), rng=random.Random(1))
    assert texts == ["Kim Jong Il", "Mao Zedong"]  # never a scholar, a report nor a premier


def test_a_scholars_distractors_are_other_scholars_and_never_a_report():
    texts = same_shape_answers(fact("Samuel Kim", alternatives=["S. Kim"]), content=content(),
                               rng=random.Random(1))
    assert texts == ["Hazel Smith"]
    assert same_shape_answers(fact("SOAS"), content=content(), rng=random.Random(1)) == [
        "Columbia University"
    ]
    # A stand-in with no answer kind at all is read as an ordinary answer.
    bare = SimpleNamespace(pk=100, answer="SOAS", alternative_list=[])
    assert same_shape_answers(bare, content=content(), rng=random.Random(1)) == [
        "Columbia University"
    ]
    # An accepted alternative is never offered as a wrong answer.
    assert same_shape_answers(fact("Samuel Kim", alternatives=["Hazel Smith"]),
                              content=content(), rng=random.Random(1)) == []


def test_a_year_gets_other_years_of_its_period_the_courses_own_first():
    era = SimpleNamespace(order=1)
    events = (
        SimpleNamespace(era_id=1, era=era, year=1950, end_year=None),
        SimpleNamespace(era_id=1, era=era, year=1961, end_year=None),
    )
    facts = (fact("1958", pk=1), fact("Yalu", pk=2), fact("1950", pk=100))
    texts = same_shape_answers(fact("1950", pk=100), content=content(events=events, facts=facts),
                               rng=random.Random(1))
    assert texts[:2] == ["1958", "1961"]
    assert "1950" not in texts and len(texts) == 3


def test_a_number_that_looks_like_a_year_and_an_answer_of_no_shape_get_none():
    era = SimpleNamespace(order=1)
    events = (SimpleNamespace(era_id=1, era=era, year=1700, end_year=None),)
    assert same_shape_answers(fact("1718", kind="number"), content=content(events=events),
                              rng=random.Random(1)) == []
    # The same text as a year, for contrast: years of its period.
    assert same_shape_answers(fact("1718"), content=content(events=events),
                              rng=random.Random(1)) == ["1700", "1710", "1709"]
    assert same_shape_answers(fact("Yalu"), content=content(), rng=random.Random(1)) == []


# --- a debate position, without its side ------------------------------------------------------


@pytest.mark.parametrize(
    ("statement", "holder", "neutral"),
    [
        ("Critics argue that tolerance shields the regime.", "Critics",
         "Tolerance shields the regime."),
        ("Samuel Kim is right to hold that leverage is modest.", "Samuel Kim",
         "Leverage is modest."),
        ("Hazel Smith holds, that leverage is modest.", "Hazel Smith", "Leverage is modest."),
        # A holder's words of three letters or fewer are no giveaway (Kim, Xi, Lee).
        ("Kim holds that leverage is modest.", "Samuel Kim", "Kim holds that leverage is modest."),
        ("Hall argues that aid helps.", "John Hall", "Aid helps."),  # four letters are a name
        ("Critics argue that,; aid buys little.", "Critics", "Aid buys little."),
        ("Critics argue that Xi wants calm.", "Critics", "Xi wants calm."),
        ("Beijing fears that collapse would bring refugees.", "Proponents",
         "Beijing fears that collapse would bring refugees."),
        ("In the article's own view, aid buys little.", "The article", "Aid buys little."),
        ("According to the panel, aid buys little.", "The panel", "Aid buys little."),
        ("Aid (as critics say) buys little.", "Proponents", "Aid buys little."),
        ("Aid buys little, as critics say.", "Proponents", None),
        ("Supporters of engagement say trade helps.", "Proponents", None),
        ("  the border stays open. ", "Proponents", "The border stays open."),
    ],
)
def test_a_position_is_stated_without_who_holds_it(statement, holder, neutral):
    position = SimpleNamespace(statement=statement, holder=holder)
    assert position_statement(position) == neutral


def test_an_attribution_is_dropped_only_within_its_first_160_characters():
    head = "Critics say " + "x" * 147  # "that" starts at character 160
    assert (head + " that").index("that") == 160
    position = SimpleNamespace(statement=head + " that aid buys little.", holder="Critics")
    assert position_statement(position) == "Aid buys little."
    later = SimpleNamespace(statement=head + "x that aid buys little.", holder="Critics")
    assert position_statement(later) is None  # "Critics" stays, so it cannot be asked


def test_an_attribution_far_into_the_statement_is_kept():
    long_head = "Critics " + "of the long and winding policy " * 6
    position = SimpleNamespace(statement=long_head + "that aid buys little.", holder="Critics")
    assert position_statement(position) is None  # "critics" stays, so it cannot be asked
