"""Question generators, one module per question type, registered here and only here.

Each is a pure function `generate(*, content: CourseContent, seed: int) -> list[QuestionDraft]`.
"""

from dataclasses import replace

from quizzes.bank.facts import fact_index, visible_text
from quizzes.bank.generators import (
    cloze,
    matching,
    multiple_answer,
    multiple_choice,
    numerical,
    ordering,
    true_false,
    which_side,
    who_argued,
    written,
)
from quizzes.bank.generators.base import CourseContent, QuestionDraft, load_course_content
from quizzes.bank.models import QuestionKind

REGISTRY = {
    QuestionKind.MULTIPLE_CHOICE: multiple_choice.generate,
    QuestionKind.TRUE_FALSE: true_false.generate,
    QuestionKind.WHO_ARGUED: who_argued.generate,
    QuestionKind.WHICH_SIDE: which_side.generate,
    QuestionKind.MATCHING: matching.generate,
    QuestionKind.ORDERING: ordering.generate,
    QuestionKind.CLOZE: cloze.generate,
    QuestionKind.MULTIPLE_ANSWER: multiple_answer.generate,
    QuestionKind.NUMERICAL: numerical.generate,
    QuestionKind.WRITTEN: written.generate,
}


def generate_all(*, content: CourseContent, seed: int, kinds=None) -> list[QuestionDraft]:
    """Every draft of every registered kind (or of `kinds`), in a stable order, each with
    the fact keys it asks and reveals."""
    drafts = []
    for kind, generate in REGISTRY.items():
        if kinds is None or kind in kinds:
            drafts.extend(generate(content=content, seed=seed))
    return with_fact_keys(drafts, content=content)


def with_fact_keys(drafts, *, content: CourseContent) -> list[QuestionDraft]:
    index = fact_index(content)
    keyed = []
    for draft in drafts:
        asks = index.asks(item=draft.item, answer=draft.answer)
        text = visible_text(
            prompt=draft.prompt, body=draft.body, explanation=draft.explanation,
            note=draft.editor_note, answer=draft.answer,
        )
        reveals = index.reveals(text=text, asks=asks)
        keyed.append(replace(draft, asks=tuple(asks), reveals=tuple(reveals)))
    return keyed


__all__ = ["REGISTRY", "CourseContent", "QuestionDraft", "generate_all", "load_course_content"]
