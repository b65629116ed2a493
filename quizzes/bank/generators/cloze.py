"""Fill in the blank, typed: a fact's [[answer]] span, or a term from its definition.
Alternatives listed in the content are accepted; a source's error never is."""

from quizzes.bank.generators.base import (
    CourseContent,
    QuestionDraft,
    explain,
    is_source_error,
    make_draft,
    mentions,
)
from quizzes.bank.models import QuestionKind

KIND = QuestionKind.CLOZE


def _answer(text: str, alternatives, notes) -> dict:
    accepted = [alt for alt in alternatives if alt and not is_source_error(alt, notes)]
    return {"text": text, "alternatives": accepted}


def facts(*, content: CourseContent, seed: int) -> list[QuestionDraft]:
    drafts = []
    for fact in content.facts:
        if not fact.answer or is_source_error(fact.answer, content.notes):
            continue
        drafts.append(
            make_draft(
                kind=KIND,
                generator="cloze.fact",
                prompt=f"Fill in the blank: {fact.blanked_text}",
                body={},
                answer=_answer(fact.answer, fact.alternative_list, content.notes),
                explanation=explain(fact.plain_text, citation=fact.citation),
                item=fact,
            )
        )
    return drafts


def terms(*, content: CourseContent, seed: int) -> list[QuestionDraft]:
    drafts = []
    for term in content.terms:
        if mentions(term.definition, term.term) or is_source_error(term.term, content.notes):
            continue
        drafts.append(
            make_draft(
                kind=KIND,
                generator="cloze.term",
                prompt=f"Type the term for this: {term.definition}",
                body={},
                answer=_answer(term.term, term.alternative_list, content.notes),
                explanation=explain(f"{term.term}: {term.definition}", citation=term.citation),
                item=term,
            )
        )
    return drafts


def generate(*, content: CourseContent, seed: int) -> list[QuestionDraft]:
    return facts(content=content, seed=seed) + terms(content=content, seed=seed)
