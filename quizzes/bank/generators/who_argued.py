"""Who argued this? A claim, and people of the same standing who made claims as the
options: panelists against panelists. A document's own voice is never a wrong answer
(nor a right one among people), so its claims are asked as true or false instead."""

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
from quizzes.bank.generators.choosing import display_name
from quizzes.bank.models import QuestionKind
from quizzes.bank.wording import without_asides

KIND = QuestionKind.WHO_ARGUED
GENERATOR = "who.claim"
OPTION_COUNT = 4
MIN_OPTIONS = 3


def _standing(person):
    return (person.is_panelist, person.is_source_voice)


def generate(*, content: CourseContent, seed: int) -> list[QuestionDraft]:
    drafts = []
    for claim in content.claims:
        person = claim.person
        if person.is_source_voice or mentions(claim.statement, person.name):
            continue  # a document's voice, or the statement names its own author
        rng = rng_for(seed, GENERATOR, claim.pk)
        # Other claimants of the same standing, nearest first (this lesson, then the course).
        nearest_claims = nearest_first(
            [c for c in content.claims if c.person_id != person.pk], lesson=claim.lesson, rng=rng
        )
        peers, topics = [], {}
        for other in nearest_claims:
            name = display_name(other.person)
            if _standing(other.person) == _standing(person) and name not in peers:
                peers.append(name)
                topics[name] = other.topic
        distractors = peers[: OPTION_COUNT - 1]
        if len(distractors) + 1 < MIN_OPTIONS:
            continue
        name = display_name(person)
        body, answer = choice_question(
            correct=name, distractors=distractors, rng=rng,
            why_wrong={
                peer: f"No: {peer} argued other points (one on “{topics[peer]}”)."
                for peer in distractors
            },
        )
        who = f"{name} ({person.affiliation})" if person.affiliation else name
        drafts.append(
            make_draft(
                kind=KIND,
                generator=GENERATOR,
                prompt=f"Who made this argument? {without_asides(claim.statement)}",
                body=body,
                answer=answer,
                explanation=explain(f"{who} argued this.", claim.context, citation=claim.citation),
                item=claim,
            )
        )
    return drafts
