"""Who argued this? A claim, and the people who made claims as the options."""

from quizzes.bank.generators.base import (
    CourseContent,
    QuestionDraft,
    choice_question,
    explain,
    make_draft,
    mentions,
    nearest_first,
    rng_for,
)
from quizzes.bank.models import QuestionKind

KIND = QuestionKind.WHO_ARGUED
GENERATOR = "who.claim"
OPTION_COUNT = 4


def generate(*, content: CourseContent, seed: int) -> list[QuestionDraft]:
    drafts = []
    for claim in content.claims:
        person = claim.person
        if mentions(claim.statement, person.name):
            continue  # the statement names its own author
        rng = rng_for(seed, GENERATOR, claim.pk)
        # Other claimants, nearest first: those with claims in this lesson, then the course.
        nearest_claims = nearest_first(
            [c for c in content.claims if c.person_id != person.pk], lesson=claim.lesson, rng=rng
        )
        peers, others = [], []
        for other in nearest_claims:
            names = peers if other.person.is_panelist == person.is_panelist else others
            if other.person.name not in peers + others and other.person.name != person.name:
                names.append(other.person.name)
        # Peers only when there are two or more: an odd one out would be easy to rule out.
        distractors = (peers if len(peers) >= 2 else peers + others)[: OPTION_COUNT - 1]
        if not distractors:
            continue
        body, answer = choice_question(correct=person.name, distractors=distractors, rng=rng)
        who = f"{person.name} ({person.affiliation})" if person.affiliation else person.name
        drafts.append(
            make_draft(
                kind=KIND,
                generator=GENERATOR,
                prompt=f"Who made this argument? {claim.statement}",
                body=body,
                answer=answer,
                explanation=explain(f"{who} argued this.", claim.context, citation=claim.citation),
                item=claim,
            )
        )
    return drafts
