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
    # Fixed labels are not weighed as answers, however unlike they look; nor is a blank.
    assert not fired("homogeneous_options", factories.QuestionFactory(
        kind="side", body=_options("Critics", "Those who defend Beijing's policy in full"),
        answer={"key": "k0"},
    ))
    assert not fired("homogeneous_options", cloze("Fill in: _____ 1950.", "1950"))


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


# --- what each rule says, word for word ---------------------------------------------------


def details(rule, *questions):
    return [f.detail for f in fired(rule, *questions)]


def test_a_distractor_that_is_another_form_of_the_key_is_also_right():
    term = factories.TermFactory(term="Yalu River", alternatives="Amnok")
    fact = factories.FactFactory(text="The border follows the [[Yalu|Amnok]] River.",
                                 answer_kind="place")
    assert details("one_defensible_answer", mcq("Which river?", "Yalu River", "Amnok",
                                                "Tumen River", item=term)) == [
        "“Amnok” is also a right answer"
    ]
    assert details("one_defensible_answer", mcq("Which river?", "Yalu", "Amnok", "Tumen",
                                                item=fact)) == ["“Amnok” is also a right answer"]
    # A key that is not the item's answer lends the item's forms to no one.
    assert details("one_defensible_answer", mcq("Which river?", "Tumen", "Amnok", "Han",
                                                item=fact)) == []
    # True and False are labels, never weighed as answers.
    assert details("one_defensible_answer", tf("The Yalu is a river.", True, item=fact)) == []


def test_a_year_or_an_event_inside_the_events_own_dates_is_also_right():
    cold = factories.EraFactory(order=1)
    war = factories.EventFactory(era=cold, title="The Korean War", year=1950, end_year=1953)
    factories.EventFactory(era=cold, title="The armistice talks", year=1951, end_year=1953)
    factories.EventFactory(era=cold, title="The armistice", year=1953)
    factories.EventFactory(era=cold, title="The founding", year=1949)
    factories.EventFactory(era=cold, title="The Geneva Conference", year=1954)
    factories.EventFactory(era=cold, title="The civil war", year=1945, end_year=1950)
    assert details("one_defensible_answer", mcq(
        "When did this begin: the Korean War?", "1950", "1953", "1949", "1954", item=war,
    )) == ["1953 falls inside 1950–1953"]
    assert details("one_defensible_answer", mcq(
        "Which came in 1950?", "The Korean War", "The armistice talks", "The armistice",
        "The founding", "The Geneva Conference", "The civil war", item=war,
    )) == ["“The armistice talks” also happened in 1950–1953",
           "“The armistice” also happened in 1950–1953",
           "“The civil war” also happened in 1950–1953"]


def test_a_blank_of_more_than_four_words_is_a_phrase():
    assert details("one_defensible_answer", cloze(
        "Fill in: …", "Chinese People's Volunteer Army units"
    )) == ["the blank is a whole phrase, not a word or a short name"]
    assert details("one_defensible_answer", cloze("Fill in: …", "People's Volunteer Army")) == []


def test_each_pair_cited_names_each_uncited_event_and_a_note_shared_by_all():
    note = factories.EditorNoteFactory()
    order = factories.QuestionFactory(kind="order", generator="order.events")
    assert details("each_pair_cited", order) == [
        f"“k{n}” has no citation of its own" for n in range(4)
    ]
    cited = factories.CitationFactory()
    answer = {**order.answer, "sources": {
        k: {"citation": cited.pk, "cited": "x", "item": "", "note": None}
        for k in order.answer["order"]
    }}
    shared = factories.QuestionFactory(kind="order", generator="order.events", answer=answer,
                                       editor_note=note)
    assert details("each_pair_cited", shared) == [
        "one editor's note for the whole question, not per pair"
    ]
    # An instructor's own matching (no generator, no item) and other kinds are not judged.
    assert details("each_pair_cited", factories.QuestionFactory(kind="match")) == []
    assert details("each_pair_cited", mcq("Which?", "Yalu", "Tumen", generator="mcq.x",
                                          editor_note=note)) == []


def test_a_written_answer_without_a_model_answer_says_so():
    answer = {**factories.QuestionFactory.build(kind="essay").answer, "model": ""}
    assert details("written_answer_hidden_and_cited",
                   factories.QuestionFactory(kind="essay", answer=answer)) == ["no model answer"]


def test_a_false_statement_about_a_fact_changes_its_answer_for_one_of_the_same_kind():
    fact = factories.FactFactory(text="The border follows the [[Yalu]] River.",
                                 answer_kind="place")
    assert details("plausible_false_statement", tf(
        "The border follows the 1950 River.", False, item=fact
    )) == ["“1950” is another kind of answer than “Yalu”"]
    assert details("plausible_false_statement", tf(
        "The border follows the Tumen River.", False, item=fact
    )) == []
    # A statement that is not the fact's sentence with another answer is not judged.
    for other in ("The border follows the 1950 line.", "Along 1950 River."):
        assert details("plausible_false_statement", tf(other, False, item=fact)) == []
    # A true statement is not a changed one.
    assert details("plausible_false_statement", tf(
        "The border follows the 1950 River.", True, item=fact
    )) == []


def test_a_false_year_in_a_fact_is_from_the_same_period():
    eras()
    fact = factories.FactFactory(text="The Korean War began in [[1950]].", answer_kind="year")
    assert details("plausible_false_statement", tf(
        "The Korean War began in 2003.", False, item=fact
    )) == ["2003 is from another period than 1950"]
    assert details("plausible_false_statement", tf(
        "The Korean War began in 1953.", False, item=fact
    )) == []
    assert details("plausible_false_statement", tf(
        "The Korean War began in Seoul.", False, item=fact
    )) == ["Seoul is from another period than 1950"]


def test_the_sources_own_slip_is_a_plausible_false_statement():
    note = factories.EditorNoteFactory(source_says="1951", correction="1950")
    fact = factories.FactFactory(text="The war reached the [[Yalu]] in 1950.")
    fact.editor_note = note
    fact.save()
    assert details("plausible_false_statement", tf(
        "The war reached the 1951 in 1950.", False, item=fact
    )) == []


def test_the_share_of_true_keys_is_said_and_its_bounds_allowed():
    assert details("balanced_true_false", tf("Statement.", True)) == [
        "100% of 1 true/false keys are True"
    ]
    assert details("balanced_true_false", *(tf(f"Statement {n}.", False) for n in range(3))) == [
        "0% of 3 true/false keys are True"
    ]
    for trues in (9, 11):  # 45 % and 55 % of 20
        keys = [tf(f"Statement {n}.", n < trues) for n in range(20)]
        assert details("balanced_true_false", *keys) == [], trues
    assert details("balanced_true_false", mcq("Which?", "True", "False")) == []


def test_a_generator_familys_true_keys_are_judged_from_ten_questions():
    events = [tf(f"Event {n}.", True, generator=("tf.event_true", "tf.event_wrong_year")[n % 2])
              for n in range(10)]
    facts = [tf(f"Fact {n}.", False, generator=("tf.fact_true", "tf.fact_wrong_answer")[n % 2])
             for n in range(10)]
    assert details("balanced_true_false", *events, *facts) == [
        "tf.event: 100% of 10 keys are True", "tf.fact: 0% of 10 keys are True"
    ]
    assert details("balanced_true_false", *events[:9], *facts[:9]) == []


def test_a_guessing_strategy_is_judged_per_kind_from_ten_questions():
    two_options = [mcq(f"Question {n}?", "A rather long answer", "Short") for n in range(10)]
    assert details("longest_option_not_favoured", *two_options) == [
        "mcq: picking the longest option scores 100% against 50% by chance"
    ]
    assert details("longest_option_not_favoured", *two_options[:9]) == []
    # A choice question without options is left out (no chance to weigh it against).
    empty = factories.QuestionFactory(kind="mcq", body={"options": []}, answer={"key": "k0"})
    assert details("longest_option_not_favoured", *two_options[:9], empty) == []
    like_stem = [mcq(f"Which river {n} flows west?", "The west river", "Tumen", "Amur")
                 for n in range(10)]
    assert details("stem_words_not_favoured", *like_stem) == [
        "mcq: picking the option sharing most words with the stem scores 100% against 33% "
        "by chance"
    ]


def test_the_findings_of_one_question_rules_in_words():
    cold, _later = eras()
    fact = factories.FactFactory(text="Beijing prefers stability to [[collapse]].")
    assert details("one_defensible_answer", mcq("Which river?", "Yalu", "Tumen", "yalu")) == [
        "two options read the same", "“yalu” is also a right answer"
    ]
    assert details("one_defensible_answer", cloze(
        f"Fill in: {fact.blanked_text}", "collapse", item=fact
    )) == ["other words than “collapse” fit the blank"]
    assert details("no_clue_in_stem", mcq(
        "Which war began on the Korean peninsula in 1950?", "Korean War", "Cold War", "Gulf War"
    )) == ["the stem and the key share “korea”", "the stem and the key share “war”"]
    assert details("no_clue_in_stem", cloze(
        "Fill in: The Yalu River divides them: _____.", "Yalu"
    )) == ["the stem and the key share “yalu”"]
    bad = factories.TermFactory(term="Border provinces", definition="The provinces by a border.")
    assert details("definition_names_term", tf(
        f"“{bad.term}” means this: {bad.definition}", True, item=bad
    )) == ["the definition of “Border provinces” repeats “border”"]
    assert details("no_all_of_the_above", mcq("Which?", "Yalu", "Tumen", "All of the above")) == [
        "“All of the above” is an option"
    ]
    assert details("no_answering_parenthetical", tf(
        "Critics argue this: talk is cheap. (The article dismisses this view.)", True
    )) == ["an aside: “(The article dismisses this view.)”"]
    assert details("no_answering_parenthetical", mcq(
        "Which?", "Yalu (the border river)", "Tumen"
    )) == ["an aside: “(the border river)”"]
    event = factories.EventFactory(era=cold, year=1953, title="The 1953 armistice")
    # A year the event's own title gives is no change.
    assert details("plausible_false_statement", tf(
        "The 1953 armistice: this happened in 2003 or 1953.", False, item=event
    )) == ["2003 is from another period than 1953"]


def test_options_alike_in_kind_period_form_and_length_in_words():
    eras()
    factories.TermFactory(term="Yalu River", alternatives="Yalu")
    factories.TermFactory(term="buffer state")
    for options, found in [
        (("1950", "1953", "Talks"), "years mixed with other kinds of option"),
        (("1950", "1953", "2003"), "2003 is from another period than 1950"),
        (("A short one", "A much, much longer option than the key"),
         "options of very different lengths (11–39)"),
        (("The Yalu.", "The Tumen"), "some options end with a full stop, others do not"),
        (("Yalu River", "buffer state"), "names mixed with common terms"),
    ]:
        assert details("homogeneous_options", mcq("Which?", *options)) == [found], options
    assert details("homogeneous_options", mcq("Which?", "Yalu River", "Tumen River")) == []


def test_people_as_options_are_of_the_keys_standing_and_role():
    factories.PersonFactory(name="Chen Jian", role="historian of the war", is_panelist=True)
    factories.PersonFactory(name="Kim Il Sung", role="leader of North Korea", is_panelist=False)
    factories.PersonFactory(name="Mao Zedong", role="chairman and leader of China",
                            is_panelist=False)
    factories.PersonFactory(name="Peng Dehuai", role="commander of volunteers", is_panelist=False)
    for options, found in [
        (("Chen Jian", "Yalu"), ["people mixed with other kinds of option"]),
        (("Kim Il Sung", "Chen Jian", "Mao Zedong"),
         ["“Chen Jian” is not of the same standing as “Kim Il Sung”"]),
        (("Kim Il Sung", "Peng Dehuai", "Mao Zedong"),
         ["“Peng Dehuai” has another role than “Kim Il Sung”"]),
        (("Kim Il Sung", "Mao Zedong"), []),
    ]:
        assert details("homogeneous_options", mcq("Who?", *options)) == found, options
    # A key with no role words of its own: the others are measured against it, not it itself.
    factories.PersonFactory(name="Ri Myong", role="", is_panelist=False)
    assert details("homogeneous_options", mcq("Who?", "Ri Myong", "Kim Il Sung")) == [
        "“Kim Il Sung” has another role than “Ri Myong”"
    ]


def test_grammar_cues_in_words():
    assert details("no_grammar_cue", mcq(
        "He spoke from the _____.", "University of Virginia", "Columbia University"
    )) == ["“the _____” does not fit “Columbia University”"]
    assert details("no_grammar_cue", mcq("It was an _____.", "armistice", "treaty")) == [
        "“an _____” does not fit “treaty”"
    ]
    assert details("no_grammar_cue", mcq("He spoke from the _____.", "the University",
                                         "a college")) == [
        "an article before the blank and another in an option"
    ]
    fact = factories.FactFactory(text="The talks were held in an [[armistice]] tent.")
    assert details("no_grammar_cue", tf(
        "The talks were held in an treaty tent.", False, item=fact
    )) == ["“an treaty” does not read right"]
    assert details("no_grammar_cue", tf(
        "The talks were held in an office tent.", False, item=fact
    )) == []


def test_a_false_statement_pairs_a_term_or_a_claim_with_a_near_neighbour():
    juche = factories.TermFactory(term="Juche", definition="Self-reliance as the state's creed.")
    songun = factories.TermFactory(term="Songun", definition="The army first in all things.")
    talks = factories.TermFactory(term="Six-Party Talks", definition="Talks of six states.")
    assert details("plausible_false_statement", tf(
        f"“Juche” means this: {talks.definition}", False, item=juche
    )) == ["“Juche” paired with the meaning of “Six-Party Talks”"]
    assert details("plausible_false_statement", tf(
        f"“Juche” means this: {songun.definition}", False, item=juche
    )) == []
    historian = factories.PersonFactory(name="Chen Jian", is_panelist=True)
    factories.PersonFactory(name="Kim Il Sung", is_panelist=False)
    factories.PersonFactory(name="Shen Zhihua", is_panelist=True)
    claim = factories.ClaimFactory(person=historian, statement="China saved the state.")
    assert details("plausible_false_statement", tf(
        "Kim Il Sung argued: China saved the state.", False, item=claim
    )) == ["“Kim Il Sung” is not of the same standing as “Chen Jian”"]
    assert details("plausible_false_statement", tf(
        "Shen Zhihua argued: China saved the state.", False, item=claim
    )) == []


def test_a_typed_answer_refusing_a_listed_form_says_which():
    factories.TermFactory(term="Yalu River", alternatives="Yalu")
    fact = factories.FactFactory(text="The border follows the [[Yalu]] River.",
                                 answer_kind="place")
    assert details("typed_accepts_listed_forms", cloze("Fill in: …", "Yalu", item=fact)) == [
        "“Yalu River” is refused"
    ]
    juche = factories.TermFactory(term="Juche idea", alternatives="Juche|Chuch'e")
    assert details("typed_accepts_listed_forms", cloze("Fill in: …", "Juche idea",
                                                       item=juche)) == [
        "“Juche” is refused", "“Chuch'e” is refused"
    ]
    assert details("typed_accepts_listed_forms", cloze(
        "Fill in: …", "Juche idea", ["Juche", "Chuch'e"], item=juche
    )) == []


def test_a_form_an_editors_note_calls_a_source_error_need_not_be_accepted():
    # Another fact with the same answer lists an old romanization and a source's error.
    factories.FactFactory(text="Trade crosses at [[Dandong|Tantung|Antong]].")
    fact = factories.FactFactory(text="The bridge starts in [[Dandong]].", answer_kind="place")
    factories.EditorNoteFactory(source_says="Antong", correction="Andong, now Dandong")
    assert details("typed_accepts_listed_forms", cloze("Fill in: …", "Dandong", item=fact)) == [
        "“Tantung” is refused"
    ]


def test_a_true_or_false_position_names_no_side_nor_verdict():
    debate = factories.DebateFactory(title="Judging Beijing")
    position = factories.PositionFactory(debate=debate, side="critics", holder="Critics")
    # "Critics argue this" is how the statement is put, not a giveaway.
    assert details("side_neutral_wording", tf(
        "Critics argue this: Beijing is wrong to hold back, as the proponents admit.", True,
        item=position,
    )) == ["“proponents” names a side", "“is wrong” judges the position"]
    assert details("side_neutral_wording", tf(
        "Critics argue this: Beijing holds back.", True, item=position
    )) == []
    # Only which-side questions and statements of a position are judged.
    assert details("side_neutral_wording", tf("The critics were wrongly ignored.", True)) == []


def test_the_prompt_gives_away_a_model_answer_from_its_first_four_words():
    base = factories.QuestionFactory.build(kind="essay").answer

    def essay(model, prompt):
        return factories.QuestionFactory(kind="essay", prompt=prompt,
                                         answer={**base, "model": model})

    assert details("written_answer_hidden_and_cited", essay(
        "China saved the state. It feared a hostile border.",
        "China saved the state. Why?",
    )) == ["the prompt holds the model answer"]
    assert details("written_answer_hidden_and_cited", essay(
        "China saved it. It feared a hostile border.", "China saved it. Why?",
    )) == []
    cited = {"relations.event:1": {"item": "relations.event:1", "cited": "Article, War"},
             "relations.event:2": {"item": "relations.event:2", "cited": ""}}
    generated = factories.QuestionFactory(kind="essay", generator="essay.event",
                                          answer={**base, "sources": cited})
    assert details("written_answer_hidden_and_cited", generated) == [
        "an item it comes from is not cited"
    ]
    # An instructor's own written answer cites nothing and is not asked to.
    assert details("written_answer_hidden_and_cited",
                   factories.QuestionFactory(kind="essay", answer=base)) == []


def test_each_article_before_a_blank_is_a_cue_beside_an_option_with_its_own():
    for article in ("an", "the"):
        assert details("no_grammar_cue", mcq(
            f"It was {article} _____.", f"{article} armistice", f"{article} accord"
        )) == ["an article before the blank and another in an option"], article
    assert details("no_grammar_cue", mcq("It was a _____.", "a truce", "a treaty")) == [
        "“a _____” does not fit “a truce”",
        "an article before the blank and another in an option",
    ]
    assert details("no_grammar_cue", mcq("It was _____.", "the armistice", "the accord")) == []


def test_a_matching_definition_that_repeats_its_term_is_found_through_its_sources():
    bad = factories.TermFactory(term="Border provinces", definition="The provinces by a border.")
    event = factories.EventFactory(year=1950)
    matching = factories.QuestionFactory(kind="match", generator="match.terms", answer={
        "pairs": {"k0": "k0", "k1": "k1", "k2": "k2"},
        "sources": {"k0": {"item": f"relations.term:{bad.pk}"},
                    "k1": {"item": f"relations.event:{event.pk}"},
                    "k2": {"item": "relations.term:999999"}},
    })
    assert details("definition_names_term", matching) == [
        "the definition of “Border provinces” repeats “border”"
    ]


def test_rules_keep_to_the_kinds_and_items_they_judge():
    event = factories.EventFactory(year=1950)
    assert details("no_answering_parenthetical", cloze("Fill in (a river): _____.", "Yalu")) == [
        "an aside: “(a river)”"
    ]
    assert details("no_answering_parenthetical", factories.QuestionFactory(
        kind="essay", prompt="Explain (in brief) the war."
    )) == []
    assert details("typed_accepts_listed_forms", cloze("Fill in: …", "1950", item=event)) == []
    assert details("plausible_false_statement", tf("The Yalu is long.", False)) == []
    assert details("plausible_false_statement", tf(
        "Critics argue this: it works.", False, item=factories.PositionFactory()
    )) == []


def test_the_stored_fact_keys_cover_the_item_and_what_every_part_of_the_question_shows():
    shown_by = {
        "an option": factories.FactFactory(
            text="The city across the river from Sinuiju is [[Dandong]]."),
        "the explanation": factories.FactFactory(
            text="The armistice talks were held at [[Panmunjom]] village."),
        "an option's feedback": factories.FactFactory(
            text="The Chinese volunteers were led by [[Peng Dehuai]] in Korea."),
        "the editor's note": factories.FactFactory(
            text="The mutual aid treaty was signed in [[1961]] by both states."),
    }
    event = factories.EventFactory(title="The Korean War begins", year=1950)
    note = factories.EditorNoteFactory(
        source_says="signed in 1962",
        correction="The mutual aid treaty was signed in 1961 by both states.",
    )
    question = factories.QuestionFactory(
        kind="mcq", item=event, editor_note=note,
        prompt="In which year did this happen: The Korean War begins?",
        body={"options": [
            {"key": "k0", "text": "1950"},
            {"key": "k1", "text": "The city across the river from Sinuiju is Dandong."},
        ]},
        answer={"key": "k0", "feedback": {
            "k1": "The Chinese volunteers were led by Peng Dehuai in Korea."
        }},
        explanation="The armistice talks were held at Panmunjom village.",
    )
    facts = [f"relations.fact:{fact.pk}" for fact in shown_by.values()]
    assert details("twins_known_to_the_draw", question) == [
        f"{key} is not among its stored fact keys"
        for key in sorted([f"relations.event:{event.pk}", *facts])
    ]
    # A fact the question is stored as asking need not be among what it shows as well.
    question.asks = [f"relations.event:{event.pk}", facts[0]]
    question.reveals = facts[1:]
    question.save()
    assert details("twins_known_to_the_draw", question) == []


def test_grammar_and_side_rules_leave_other_kinds_and_items_alone():
    # A blank before options is a cue in multiple choice; other kinds show no such blank.
    assert details("no_grammar_cue", factories.QuestionFactory(
        kind="who", prompt="Who argued that the _____ should talk?",
        body=_options("University of Virginia", "Columbia University"),
        answer={"key": "k0"},
    )) == []
    event = factories.EventFactory(year=1950, title="The war begins")
    assert details("no_grammar_cue", tf("The war begins: this happened in 1950.", True,
                                        item=event)) == []
    # A which-side question written by hand has no debate to name holders from.
    assert details("side_neutral_wording", factories.QuestionFactory(kind="side")) == []


def test_a_kind_too_small_to_judge_does_not_stop_the_next_one_being_judged():
    few = [mcq(f"Question {n}?", "A rather long answer", "Short") for n in range(9)]
    many = [factories.QuestionFactory(kind="who", prompt=f"Who argued this {n}?",
                                      body=_options("Samuel S. Kim, historian", "Chen Jian"),
                                      answer={"key": "k0"}) for n in range(10)]
    assert details("longest_option_not_favoured", *few, *many) == [
        "who: picking the longest option scores 100% against 50% by chance"
    ]


def test_a_definition_shown_as_the_key_may_not_repeat_its_term():
    bad = factories.TermFactory(term="Border provinces", definition="The provinces by a border.")
    assert details("definition_names_term", mcq(
        "What does “Border provinces” mean?", "The provinces by a border.", "A buffer state",
        item=bad,
    )) == ["the definition of “Border provinces” repeats “border”"]
    # A matching's prompt is no definition; its pairs are judged through their sources.
    assert details("definition_names_term", factories.QuestionFactory(
        kind="match", item=bad, prompt="Match each border province to its definition."
    )) == []
    assert details("definition_names_term", mcq("Which river?", "Yalu", "Tumen")) == []


def test_label_options_are_not_judged_as_answers():
    assert details("no_clue_in_stem", factories.QuestionFactory(
        kind="side", prompt="Which side argues this? Critics of Beijing say it props up Pyongyang.",
        body=_options("Critics", "Proponents"), answer={"key": "k0"},
    )) == []
    factories.TermFactory(term="Yalu River")
    factories.TermFactory(term="Tumen River")
    assert details("homogeneous_options", mcq("Which?", "Yalu River", "Tumen River")) == []


def test_the_first_year_of_an_event_and_a_four_word_blank():
    war = factories.EventFactory(title="The Korean War", year=1950, end_year=1953)
    assert details("one_defensible_answer", mcq(
        "When did this end: the Korean War?", "1953", "1950", "1949", item=war,
    )) == ["1950 falls inside 1950–1953"]
    assert details("one_defensible_answer", cloze(
        "Fill in: …", "the Chinese People's Volunteer Army"  # four words, "the" aside
    )) == []


def test_a_false_person_in_a_fact_or_a_claim_is_of_the_same_standing_and_role():
    peng = factories.PersonFactory(name="Peng Dehuai", role="commander of volunteers",
                                   is_panelist=False)
    factories.PersonFactory(name="Deng Hua", role="deputy commander of volunteers",
                            is_panelist=False)
    factories.PersonFactory(name="Mao Zedong", role="chairman and leader of China",
                            is_panelist=False)
    factories.PersonFactory(name="Chen Jian", role="historian of the war", is_panelist=True)
    fact = factories.FactFactory(text="The Chinese volunteers were led by [[Peng Dehuai]].")
    for name, found in [
        ("Chen Jian", ["“Chen Jian” is not of the same standing as “Peng Dehuai”"]),
        ("Mao Zedong", ["“Mao Zedong” has another role than “Peng Dehuai”"]),
        ("Deng Hua", []),
    ]:
        assert details("plausible_false_statement", tf(
            f"The Chinese volunteers were led by {name}.", False, item=fact
        )) == found, name
    historian = factories.PersonFactory(name="Shen Zhihua", is_panelist=True)
    factories.PersonFactory(name="Yang Kuisong", is_panelist=True)
    factories.PersonFactory(name="Wilson Report", is_panelist=True, is_source_voice=True)
    claim = factories.ClaimFactory(person=historian,
                                   statement="Peng Dehuai asked Beijing for more troops.")
    # Peng is named by the claim itself: the swap is Yang for Shen, of the same standing.
    assert details("plausible_false_statement", tf(
        "Yang Kuisong argued: Peng Dehuai asked Beijing for more troops.", False, item=claim
    )) == []
    assert details("plausible_false_statement", tf(
        "Wilson Report argued: Peng Dehuai asked Beijing for more troops.", False, item=claim
    )) == ["“Wilson Report” is not of the same standing as “Shen Zhihua”"]
    assert peng.pk != historian.pk


def test_a_collective_voice_and_a_panelists_role_as_options():
    factories.PersonFactory(name="Kim Il Sung", role="leader of North Korea", is_panelist=False)
    factories.PersonFactory(name="The Wilson report", role="leader of the study",
                            is_panelist=False)
    factories.PersonFactory(name="Chen Jian", role="historian of the war", is_panelist=True)
    factories.PersonFactory(name="Shen Zhihua", role="scholar of archives", is_panelist=True)
    assert details("homogeneous_options", mcq(
        "Who?", "Kim Il Sung", "The Wilson report"
    )) == ["“The Wilson report” is not of the same standing as “Kim Il Sung”"]
    assert details("homogeneous_options", mcq(
        "Who?", "The Wilson report", "Kim Il Sung"
    )) == ["“Kim Il Sung” is not of the same standing as “The Wilson report”"]
    # Panelists stand for one another whatever their roles.
    assert details("homogeneous_options", mcq("Who?", "Chen Jian", "Shen Zhihua")) == []


def test_the_stored_fact_keys_cover_an_item_or_pairs_the_question_does_not_show():
    fact = factories.FactFactory(text="The armistice was signed at [[Panmunjom]] in July.")
    blank = cloze(f"Fill in: {fact.blanked_text}", "Panmunjom", item=fact)
    assert details("twins_known_to_the_draw", blank) == [
        f"relations.fact:{fact.pk} is not among its stored fact keys"
    ]
    juche = factories.TermFactory(term="Juche", definition="Self-reliance as the state's creed.")
    sample = factories.QuestionFactory.build(kind="match")
    matching = factories.QuestionFactory(kind="match", answer={
        **sample.answer, "sources": {"k0": {"item": f"relations.term:{juche.pk}"}},
    })
    assert details("twins_known_to_the_draw", matching) == [
        f"relations.term:{juche.pk} is not among its stored fact keys"
    ]


def test_bounds_are_allowed_a_family_at_40_and_60_percent_a_strategy_at_five_points():
    events = [tf(f"Event {n}.", n < 4, generator="tf.event_true") for n in range(10)]
    facts = [tf(f"Fact {n}.", n < 6, generator="tf.fact_true") for n in range(10)]
    assert details("balanced_true_false", *events, *facts) == []
    # The longest of two options right 11 times in 20: 55 %, chance and five points exactly.
    questions = [mcq(f"Question {n}?", *(("A rather long answer", "Short") if n < 11
                                         else ("Short", "A rather long answer")))
                 for n in range(20)]
    assert details("longest_option_not_favoured", *questions) == []


def test_a_sentence_that_begins_as_the_facts_but_ends_otherwise_is_not_judged():
    fact = factories.FactFactory(text="The border follows the [[Yalu]] River.",
                                 answer_kind="place")
    assert details("plausible_false_statement", tf(
        "The border follows the 1950 bridge.", False, item=fact
    )) == []


def test_a_terms_own_name_in_any_case_is_no_repeat_but_its_words_in_the_prompt_are():
    bad = factories.TermFactory(term="Border provinces", definition="The provinces by a border.")
    buffer = factories.TermFactory(term="Buffer state", definition="A country between rivals.")
    assert details("definition_names_term", mcq(
        "Which term means: the provinces by a border?", "Border provinces", "Buffer state",
        item=bad,
    )) == ["the definition of “Border provinces” repeats “border”"]
    assert details("definition_names_term", mcq(
        "Which term means: a country between rivals?", "buffer state", "border provinces",
        item=buffer,
    )) == []
