"""Each item-writing rule fires on a bad question built with factories, and stays quiet on
a good one."""

import pytest
from django.utils import timezone

from quizzes.bank.facts import fact_index, visible_text
from quizzes.bank.generators import load_course_content
from quizzes.bank.quality import RULE_NAMES, STATISTICS_RULE, lint_bank
from tests import factories

pytestmark = pytest.mark.django_db


def _options(*texts):
    return {"options": [{"key": f"k{n}", "text": t} for n, t in enumerate(texts)]}


def mcq(prompt, key, *others, **extra):
    return factories.QuestionFactory(
        kind="mcq", prompt=prompt, body=_options(key, *others), answer={"key": "k0"}, **extra
    )


def tf(prompt, true, **extra):
    return factories.QuestionFactory(
        kind="tf",
        prompt=f"True or false? {prompt}",
        body=_options("True", "False"),
        answer={"key": "k0" if true else "k1"},
        **extra,
    )


def cloze(prompt, text, alternatives=(), **extra):
    return factories.QuestionFactory(
        kind="cloze",
        prompt=prompt,
        body={},
        answer={"text": text, "alternatives": list(alternatives)},
        **extra,
    )


def fired(rule, *questions):
    return [f for f in lint_bank(questions=questions, only={rule}, statistics=False)]


def eras():
    cold, later = factories.EraFactory(order=1), factories.EraFactory(order=2)
    factories.EventFactory(era=cold, year=1949, title="Founding")
    factories.EventFactory(era=cold, year=1978, title="Reform")
    factories.EventFactory(era=later, year=2003, title="Talks")
    return cold, later


# --- one rule each -------------------------------------------------------------------------


def test_one_defensible_answer():
    fact = factories.FactFactory(text="Beijing prefers stability to [[collapse]].")
    named = factories.FactFactory(
        text="The panel met in [[Washington]].", answer_kind="place"
    )
    assert fired("one_defensible_answer", cloze(f"Fill in: {fact.blanked_text}", "collapse",
                                                item=fact))
    assert fired("one_defensible_answer", mcq("Which river?", "Yalu", "Tumen", "yalu"))
    assert not fired("one_defensible_answer", cloze("Fill in: …", "Washington", item=named))
    assert not fired("one_defensible_answer", mcq("Which river?", "Yalu", "Tumen", "Amur"))


def test_no_clue_in_stem():
    assert fired("no_clue_in_stem", mcq("Which war began on the Korean peninsula in 1950?",
                                        "Korean War", "Cold War", "Gulf War"))
    assert not fired("no_clue_in_stem", mcq("Which conflict began in 1950?",
                                            "Korean War", "Cold War", "Gulf War"))


def test_definition_names_term():
    bad = factories.TermFactory(term="Border provinces", definition="The provinces by a border.")
    good = factories.TermFactory(term="Buffer state", definition="A country between rivals.")
    assert fired("definition_names_term", tf(f"“{bad.term}” means this: {bad.definition}",
                                             True, item=bad))
    assert not fired("definition_names_term", tf(f"“{good.term}” means this: {good.definition}",
                                                 True, item=good))


def test_homogeneous_options():
    eras()
    assert fired("homogeneous_options", mcq("When?", "1950", "1953", "Talks"))
    assert fired("homogeneous_options", mcq("When?", "1950", "1953", "2003"))
    assert fired("homogeneous_options", mcq("Which?", "A short one",
                                            "A much, much longer option than the key"))
    assert not fired("homogeneous_options", mcq("When?", "1950", "1953", "1956"))


def test_no_grammar_cue():
    bad = mcq("He spoke from the _____.", "University of Virginia", "Columbia University")
    good = mcq("He spoke from _____.", "the University of Virginia", "Columbia University")
    assert fired("no_grammar_cue", bad)
    assert not fired("no_grammar_cue", good)


def test_no_all_of_the_above():
    assert fired("no_all_of_the_above", mcq("Which?", "Yalu", "Tumen", "All of the above"))
    assert not fired("no_all_of_the_above", mcq("Which?", "Yalu", "Tumen", "Amur"))


def test_plausible_false_statement():
    cold, later = eras()
    event = factories.EventFactory(era=cold, year=1950, title="The war begins")
    assert fired("plausible_false_statement",
                 tf("The war begins: this happened in 2003.", False, item=event))
    assert not fired("plausible_false_statement",
                     tf("The war begins: this happened in 1953.", False, item=event))


def test_side_neutral_wording():
    debate = factories.DebateFactory(title="Judging Beijing", question="Judge by results?")
    factories.PositionFactory(debate=debate, side="critics", holder="Critics of Beijing")
    position = factories.PositionFactory(
        debate=debate, side="proponents", holder="Supporters of the pragmatic approach"
    )
    bad = factories.QuestionFactory(
        kind="side", item=position, body=_options("Critics", "Proponents"), answer={"key": "k1"},
        prompt="Which side argues this? The pragmatic approach is right to hold that talks work.",
    )
    good = factories.QuestionFactory(
        kind="side", item=position, body=_options("Critics", "Proponents"), answer={"key": "k1"},
        prompt="Which side argues this in the debate on “Judging Beijing”? Talks work.",
    )
    assert {f.detail for f in fired("side_neutral_wording", bad)} >= {
        "“is right” judges the position", "“pragmatic approach” names who holds it"
    }
    assert not fired("side_neutral_wording", good)


def test_no_answering_parenthetical():
    assert fired("no_answering_parenthetical",
                 tf("Critics argue this: talk is cheap. (The article dismisses this view.)", True))
    assert not fired("no_answering_parenthetical", tf("Kim Il Sung (1948–1994) led it.", True))


def test_typed_accepts_listed_forms():
    factories.TermFactory(term="Yalu River", alternatives="Yalu|Amnok|Amnok River")
    fact = factories.FactFactory(text="The border follows the [[Yalu]] River.",
                                 answer_kind="place")
    assert fired("typed_accepts_listed_forms", cloze("Fill in: …", "Yalu", item=fact))
    assert not fired("typed_accepts_listed_forms", cloze(
        "Fill in: …", "Yalu", ["Yalu River", "Amnok", "Amnok River"], item=fact
    ))


def test_written_answer_hidden_and_cited():
    good = factories.QuestionFactory(kind="essay", generator="essay.event", answer={
        **factories.QuestionFactory.build(kind="essay").answer,
        "sources": {"relations.event:1": {"item": "relations.event:1", "cited": "Article, War"}},
    })
    assert not fired("written_answer_hidden_and_cited", good)
    model = good.answer["model"]
    uncited = factories.QuestionFactory(kind="essay", generator="essay.event")
    one_criterion = factories.QuestionFactory(
        kind="essay", answer={**good.answer, "rubric": good.answer["rubric"][:1]}
    )
    giveaway = factories.QuestionFactory(kind="essay", prompt=f"{model} Explain.")
    details = [f.detail for f in fired(
        "written_answer_hidden_and_cited", uncited, one_criterion, giveaway
    )]
    assert details == [
        "an item it comes from is not cited", "a rubric of fewer than two criteria",
        "the prompt holds the model answer",
    ]


def test_each_pair_cited():
    bad = factories.QuestionFactory(kind="match", generator="match.terms")
    answer = dict(bad.answer)
    citation = factories.CitationFactory()
    answer["sources"] = {k: {"citation": citation.pk, "cited": "x", "item": "", "note": None}
                         for k in answer["pairs"]}
    good = factories.QuestionFactory(kind="match", generator="match.terms", answer=answer)
    assert fired("each_pair_cited", bad)
    assert not fired("each_pair_cited", good)


def test_twins_known_to_the_draw():
    fact = factories.FactFactory(text="The Korean War began on 25 June [[1950]].",
                                 answer_kind="year")
    event = factories.EventFactory(title="The Korean War begins", year=1950)
    question = mcq("In which year did this happen: The Korean War begins?",
                   "1950", "1949", "1953", item=event,
                   explanation="The Korean War begins: 1950.")
    assert {f.detail for f in fired("twins_known_to_the_draw", question)} >= {
        f"relations.fact:{fact.pk} is not among its stored fact keys"
    }
    index = fact_index(load_course_content())
    question.asks = index.asks(item=event, answer=question.answer)
    question.reveals = index.reveals(
        text=visible_text(prompt=question.prompt, body=question.body,
                          explanation=question.explanation, answer=question.answer),
        asks=question.asks,
    )
    question.save()
    assert not fired("twins_known_to_the_draw", question)


# --- whole-bank rules ----------------------------------------------------------------------


def test_balanced_true_false():
    trues = [tf(f"Statement {n}.", True) for n in range(3)]
    assert fired("balanced_true_false", *trues)
    assert not fired("balanced_true_false", *trues[:1], tf("Statement x.", False))


def test_longest_option_not_favoured():
    longest_right = [mcq(f"Question {n}?", "A rather long answer", "Short", "Brief")
                     for n in range(10)]
    assert fired("longest_option_not_favoured", *longest_right)
    turns = [mcq(f"Question {n}?", *(["Long answer", "Short", "Brief"] if n % 3 == 0
                                     else ["Short", "Long answer", "Brief"]))
             for n in range(12)]
    assert not fired("longest_option_not_favoured", *turns)


def test_stem_words_not_favoured():
    like_stem = [mcq(f"Which river {n} flows west?", "The west river", "Tumen", "Amur")
                 for n in range(10)]
    assert fired("stem_words_not_favoured", *like_stem)
    unlike = [mcq(f"Which river {n} flows west?", "Yalu", "Tumen", "Amur") for n in range(10)]
    assert not fired("stem_words_not_favoured", *unlike)


def test_item_statistics_flag_what_everyone_gets_right():
    easy, fair = mcq("Easy?", "Yes", "No"), mcq("Fair?", "Yes", "No")
    for n in range(30):
        attempt = factories.AttemptFactory(score=n / 30, question_count=2)
        factories.ResponseFactory(attempt=attempt, question=easy, position=0, is_correct=True,
                                  answered_at=timezone.now())
        factories.ResponseFactory(attempt=attempt, question=fair, position=1,
                                  is_correct=n >= 15, answered_at=timezone.now())
    flagged = lint_bank(questions=[easy, fair], only={STATISTICS_RULE})
    assert [f.pk for f in flagged] == [easy.pk]


def test_every_rule_has_its_test():
    tested = {name.removeprefix("test_") for name in globals() if name.startswith("test_")}
    assert set(RULE_NAMES) <= tested
