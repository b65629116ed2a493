"""Fill in the blank, typed: a fact's [[answer]] span, or a term from its definition.

A blank is a word or a short name with one defensible answer (a name, a number, a
glossary term, a quoted word; see quizzes/bank/answers.py). Every form the course lists
for the answer is accepted (the fact's own alternatives, those of facts with the same
answer, the glossary's forms, the term in full: "Yalu River"); a source's error never is."""

from quizzes.bank.answers import MAX_BLANK_WORDS, defensible_blank, listed_forms
from quizzes.bank.generators.base import (
    CourseContent,
    QuestionDraft,
    explain,
    is_source_error,
    make_draft,
    mentions,
)
from quizzes.bank.models import QuestionKind
from quizzes.bank.wording import shared_words, words

KIND = QuestionKind.CLOZE


def _answer(text: str, alternatives, notes) -> dict:
    accepted = [alt for alt in alternatives if alt and not is_source_error(alt, notes)]
    return {"text": text, "alternatives": accepted}


def facts(*, content: CourseContent, seed: int) -> list[QuestionDraft]:
    drafts = []
    for fact in content.facts:
        if not fact.answer or is_source_error(fact.answer, content.notes):
            continue
        prompt = f"Fill in the blank: {fact.blanked_text}"
        if not defensible_blank(fact, content) or shared_words(prompt, fact.answer):
            continue
        forms = listed_forms(fact, content, notes=content.notes)
        drafts.append(
            make_draft(
                kind=KIND,
                generator="cloze.fact",
                prompt=prompt,
                body={},
                answer=_answer(fact.answer, forms[1:], content.notes),
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
        if shared_words(term.term, term.definition) or len(words(term.term)) > MAX_BLANK_WORDS:
            continue  # the definition repeats the term, or the term is a whole phrase
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
