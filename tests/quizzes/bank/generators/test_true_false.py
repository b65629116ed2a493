"""True or false: plausible false variants that really are false."""

from quizzes.bank.generators import true_false
from quizzes.bank.generators.choosing import display_name
from quizzes.bank.grading import normalize_answer
from quizzes.bank.periods import course_periods, same_period
from quizzes.bank.wording import without_asides
from tests.quizzes.bank.generators.checks import (
    SEEDS,
    assert_deterministic,
    assert_valid,
    correct_text,
)


def _split(drafts):
    return [d for d in drafts if correct_text(d) == "True"], [
        d for d in drafts if correct_text(d) == "False"
    ]


def test_every_question_is_valid_true_or_false(content):
    drafts = true_false.generate(content=content, seed=SEEDS[0])
    for draft in drafts:
        assert draft.kind == "tf"
        assert_valid(draft, notes=content.notes)
        assert [o["text"] for o in draft.body["options"]] == ["True", "False"]
        assert draft.prompt.startswith("True or false? ")
    true, false = _split(drafts)
    assert true and false
    # Each false variant is the twin of a true statement about the same item.
    assert {d.item for d in false} <= {d.item for d in true}


def test_false_variants_are_really_false(content):
    claims_by_person, person_named = {}, {}
    for claim in content.claims:
        claims_by_person.setdefault(display_name(claim.person), set()).add(claim.statement)
        person_named[display_name(claim.person)] = claim.person
    generators = set()
    for draft in true_false.generate(content=content, seed=SEEDS[0]):
        statement = draft.prompt.removeprefix("True or false? ")
        item = draft.item
        generators.add(draft.generator)
        if draft.generator == "tf.claim_swapped_person":
            name = statement.split(" made this argument: ")[0]
            assert name != display_name(item.person)
            assert item.statement not in claims_by_person[name]
            other = person_named[name]
            assert not any(c.topic == item.topic for c in content.claims if c.person == other)
            assert (other.is_panelist, other.is_source_voice) == (
                item.person.is_panelist,
                item.person.is_source_voice,
            ), "a panelist for a panelist, a document for a document"
        elif draft.generator == "tf.event_wrong_year":
            year = int(statement.rstrip(".").rsplit(" ", 1)[1])
            assert not item.year <= year <= (item.end_year or item.year)
            assert same_period(item.year, year, course_periods(content.events)), year
        elif draft.generator == "tf.position_other_side":
            said = "critics" if ", critics argue this: " in statement else "proponents"
            assert said != item.side
        elif draft.generator == "tf.term_wrong_definition":
            shown = statement.split("” means this: ", 1)[1]
            assert shown != item.definition
            assert any(t.definition == shown for t in content.terms if t.pk != item.pk)
        elif draft.generator == "tf.fact_wrong_answer":
            accepted = {normalize_answer(a) for a in [item.answer, *item.alternative_list]}
            assert normalize_answer(statement) != normalize_answer(item.plain_text)
            before, _blank, after = item.blanked_text.partition("_____")
            assert statement.startswith(before) and statement.endswith(after)
            inserted = statement[len(before) : len(statement) - len(after)]
            assert normalize_answer(inserted) not in accepted
    assert {
        "tf.claim_swapped_person",
        "tf.event_wrong_year",
        "tf.position_other_side",
        "tf.term_wrong_definition",
        "tf.fact_wrong_answer",
    } <= generators


def test_true_variants_say_what_the_content_says(content):
    for draft in true_false.generate(content=content, seed=SEEDS[0]):
        statement = draft.prompt.removeprefix("True or false? ")
        item = draft.item
        if draft.generator == "tf.claim_true":
            said = without_asides(item.statement)
            assert statement == f"{display_name(item.person)} made this argument: {said}"
        elif draft.generator == "tf.event_true":
            assert statement.endswith(f" in {item.year}.")
        elif draft.generator == "tf.position_true":
            assert f", {item.side} argue this: " in statement
        elif draft.generator == "tf.term_true":
            assert statement.endswith(item.definition)
        elif draft.generator == "tf.fact_true":
            assert statement == item.plain_text


def test_a_source_error_is_used_only_as_a_false_statement(factory_content):
    drafts = true_false.facts(content=factory_content, seed=SEEDS[0])
    garbled = [d for d in drafts if "Kim Jung Il" in d.prompt]
    assert garbled, "the source's own error makes a good false variant"
    assert all(correct_text(d) == "False" for d in garbled)
    assert all("Kim Il Sung" in d.explanation for d in garbled)


def test_the_same_seed_gives_the_same_quiz(content):
    assert_deterministic(true_false.generate, content)
