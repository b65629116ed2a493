"""Multiple answer: which of these arguments did one panelist make? Two of the person's own
claims are right (50% each); two claims by others are wrong (-50% each), so ticking every
option earns nothing. Each wrong option's feedback says who made that argument instead."""

from quizzes.bank.generators.base import (
    CourseContent,
    QuestionDraft,
    explain,
    make_draft,
    mentions,
    nearest_first,
    option_key,
    rng_for,
)
from quizzes.bank.models import QuestionKind

KIND = QuestionKind.MULTIPLE_ANSWER
GENERATOR = "multi.claims_of_person"
RIGHT, WRONG = 2, 2


def _usable(claim) -> bool:
    # A statement that names its author answers itself.
    return not mentions(claim.statement, claim.person.name)


def generate(*, content: CourseContent, seed: int) -> list[QuestionDraft]:
    drafts = []
    people = {claim.person_id: claim.person for claim in content.claims}
    for person_id, person in sorted(people.items()):
        own = [c for c in content.claims if c.person_id == person_id and _usable(c)]
        if len(own) < RIGHT:
            continue
        rng = rng_for(seed, GENERATOR, person_id)
        right = sorted(own, key=lambda c: (c.order, c.pk))[:RIGHT]
        lesson = right[0].lesson
        others = nearest_first(
            [c for c in content.claims if c.person_id != person_id and _usable(c)],
            lesson=lesson, rng=rng,
        )
        wrong, seen = [], {c.statement for c in right}
        for claim in others:
            if claim.statement not in seen and len(wrong) < WRONG:
                wrong.append(claim)
                seen.add(claim.statement)
        if len(wrong) < WRONG:
            continue
        chosen = [*right, *wrong]
        rng.shuffle(chosen)
        options = [{"key": option_key(c.statement, "multi"), "text": c.statement} for c in chosen]
        weights = {
            option_key(c.statement, "multi"): (50.0 if c.person_id == person_id else -50.0)
            for c in chosen
        }
        feedback = {
            option_key(c.statement, "multi"): (
                f"Yes: {person.name} argued this." if c.person_id == person_id
                else f"No: that was {c.person.name}'s argument, not {person.name}'s."
            )
            for c in chosen
        }
        drafts.append(
            make_draft(
                kind=KIND,
                generator=GENERATOR,
                prompt=f"Which of these arguments did {person.name} make? Tick every one.",
                body={"options": options},
                answer={"weights": weights, "feedback": feedback},
                explanation=explain(
                    f"{person.name} argued: " + " ".join(c.statement for c in right),
                    citation=right[0].citation,
                ),
                item=right[0],
                lesson=lesson,
                section=right[0].section,
            )
        )
    return drafts
