"""Which side? A debate position, and critics or proponents as the two options."""

from quizzes.generators.base import (
    CourseContent,
    QuestionDraft,
    choice_question,
    explain,
    make_draft,
    mentions,
    rng_for,
)
from quizzes.models import QuestionKind

KIND = QuestionKind.WHICH_SIDE
GENERATOR = "side.position"
# Words that would name the side in the statement itself and give the answer away.
GIVEAWAYS = ("critic", "critics", "proponent", "proponents", "supporters", "opponents")


def generate(*, content: CourseContent, seed: int) -> list[QuestionDraft]:
    from relations.models import Position

    labels = dict(Position.Side.choices)
    sides_by_debate: dict[int, dict] = {}
    for position in content.positions:
        sides_by_debate.setdefault(position.debate_id, {}).setdefault(position.side, position)
    drafts = []
    for position in content.positions:
        sides = sides_by_debate[position.debate_id]
        if len(sides) < 2 or any(mentions(position.statement, word) for word in GIVEAWAYS):
            continue
        debate = position.debate
        other = next(p for side, p in sides.items() if side != position.side)
        rng = rng_for(seed, GENERATOR, position.pk)
        # Always Critics then Proponents: a fixed order that says nothing about the answer.
        texts = [labels[side] for side in labels]
        body, answer = choice_question(
            correct=labels[position.side],
            distractors=[t for t in texts if t != labels[position.side]],
            rng=rng,
            shuffle=False,
        )
        body["options"].sort(key=lambda option: texts.index(option["text"]))
        drafts.append(
            make_draft(
                kind=KIND,
                generator=GENERATOR,
                prompt=(
                    f"In the debate “{debate.title}” ({debate.question}), which side argues "
                    f"this? {position.statement}"
                ),
                body=body,
                answer=answer,
                explanation=explain(
                    f"This is the position of the {labels[position.side].lower()} "
                    f"({position.holder}). The {labels[other.side].lower()} answer: "
                    f"{other.statement}",
                    citation=position.citation,
                ),
                item=position,
                lesson=debate.lesson,
                section=debate.section,
                editor_note=debate.editor_note,
            )
        )
    return drafts
