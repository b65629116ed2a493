"""Which side? A debate position, and critics or proponents as the two options. The
statement is said as a plain claim (no "critics argue", no verdict, no aside), and the
debate is named by words that name neither side."""

from quizzes.bank.generators.base import (
    CourseContent,
    QuestionDraft,
    choice_question,
    explain,
    make_draft,
    position_statement,
    rng_for,
)
from quizzes.bank.generators.choosing import debate_topic
from quizzes.bank.models import QuestionKind
from quizzes.bank.wording import without_asides

KIND = QuestionKind.WHICH_SIDE
GENERATOR = "side.position"


def generate(*, content: CourseContent, seed: int) -> list[QuestionDraft]:
    from relations.models import Position

    labels = dict(Position.Side.choices)
    sides_by_debate: dict[int, dict] = {}
    for position in content.positions:
        sides_by_debate.setdefault(position.debate_id, {}).setdefault(position.side, position)
    drafts = []
    for position in content.positions:
        sides = sides_by_debate[position.debate_id]
        statement = position_statement(position)
        if len(sides) < 2 or statement is None:
            continue  # one-sided, or the statement names its own side
        debate = position.debate
        other = next(p for side, p in sides.items() if side != position.side)
        rng = rng_for(seed, GENERATOR, position.pk)
        # Always Critics then Proponents: a fixed order that says nothing about the answer.
        texts = [labels[side] for side in labels]
        wrong = labels[other.side]
        body, answer = choice_question(
            correct=labels[position.side],
            distractors=[t for t in texts if t != labels[position.side]],
            rng=rng,
            shuffle=False,
            why_wrong={wrong: f"No: {wrong} ({other.holder}) hold the other view here."},
        )
        body["options"].sort(key=lambda option: texts.index(option["text"]))
        drafts.append(
            make_draft(
                kind=KIND,
                generator=GENERATOR,
                prompt=(
                    f"Which side argues this in the debate on “"
                    f"{debate_topic(debate, content.positions)}”? {statement}"
                ),
                body=body,
                answer=answer,
                explanation=explain(
                    f"This is the position of the {labels[position.side].lower()} "
                    f"({position.holder}). The {labels[other.side].lower()} answer: "
                    f"{without_asides(other.statement)}",
                    citation=position.citation,
                ),
                item=position,
                lesson=debate.lesson,
                section=debate.section,
                editor_note=debate.editor_note,
            )
        )
    return drafts
