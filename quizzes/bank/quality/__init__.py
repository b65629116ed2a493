"""The project's item-writing linter: one small named rule per flaw a machine can see.

    lint_drafts(*, drafts, content) -> list[Finding]
    lint_bank(*, questions=None) -> list[Finding]     (the active bank by default)

In the spirit of the published item-writing guidelines: one defensible answer, no clue in
the stem, homogeneous options, no grammar cues, no "all of the above", plausible false
statements, side-neutral wording, no aside that answers, balanced keys, twins kept apart.
It is the project's own standard: when a new flaw is found, it becomes a rule here, with
a test that it fires. `manage.py check_questions` prints one table per rule.
"""

from dataclasses import dataclass

from quizzes.bank.quality import bank_rules, rules
from quizzes.bank.quality.subjects import course_for, from_draft, from_row, items_by_type


@dataclass(frozen=True)
class Rule:
    name: str
    summary: str
    check: object
    whole_bank: bool = False


RULES = (
    Rule("one_defensible_answer", "One answer only is right; a typed blank is a word or a "
         "short name that nothing else fits.", rules.one_defensible_answer),
    Rule("no_clue_in_stem", "The stem shares no content word with the key.",
         rules.no_clue_in_stem),
    Rule("definition_names_term", "A definition does not repeat its term.",
         rules.definition_names_term),
    Rule("homogeneous_options", "Options alike in kind, length and form.",
         rules.homogeneous_options),
    Rule("no_grammar_cue", "No article or preposition that fits only some options.",
         rules.no_grammar_cue),
    Rule("no_all_of_the_above", "No “all of the above” or “none of the above”.",
         rules.no_all_of_the_above),
    Rule("plausible_false_statement", "A false statement changes one thing for a near "
         "neighbour: a year of the same period, an answer of the same kind.",
         rules.plausible_false_statement),
    Rule("side_neutral_wording", "A which-side or debate statement names no side, holder "
         "or verdict.", rules.side_neutral_wording),
    Rule("no_answering_parenthetical", "No aside in the stem or an option.",
         rules.no_answering_parenthetical),
    Rule("typed_accepts_listed_forms", "A typed answer accepts every form the course "
         "lists for it.", rules.typed_accepts_listed_forms),
    Rule("each_pair_cited", "Each pair of a matching and each event of an ordering has "
         "its own citation, and its own editor's note.", rules.each_pair_cited),
    Rule("written_answer_hidden_and_cited", "A written answer has a model answer, two or "
         "more criteria and a citation for each item; its prompt does not give it away.",
         rules.written_answer_hidden_and_cited),
    Rule("twins_known_to_the_draw", "The stored fact keys cover every fact the question "
         "asks or shows.", rules.twins_known_to_the_draw),
    Rule("balanced_true_false", "True and False keys in balance (45–55 % True).",
         bank_rules.balanced_true_false, whole_bank=True),
    Rule("longest_option_not_favoured", "Picking the longest option beats chance by at "
         "most 5 points.", bank_rules.longest_option_not_favoured, whole_bank=True),
    Rule("stem_words_not_favoured", "Picking the option most like the stem beats chance "
         "by at most 5 points.", bank_rules.stem_words_not_favoured, whole_bank=True),
)
RULE_NAMES = tuple(rule.name for rule in RULES)
STATISTICS_RULE = "item_statistics"


@dataclass(frozen=True)
class Finding:
    rule: str
    question: str  # the question's label ("#12 (mcq.year_of_event)"), or "the bank"
    detail: str
    pk: int | None = None


def lint_subjects(subjects, *, course, only=None) -> list[Finding]:
    findings = []
    for rule in RULES:
        if only is not None and rule.name not in only:
            continue
        if rule.whole_bank:
            for subject, detail in rule.check(subjects, course):
                label = subject.label if subject is not None else "the bank"
                findings.append(Finding(rule.name, label, detail))
            continue
        for subject in subjects:
            for detail in rule.check(subject, course):
                findings.append(Finding(rule.name, subject.label, detail, subject.pk))
    return findings


def lint_drafts(*, drafts, content, only=None) -> list[Finding]:
    subjects = [from_draft(draft, index=n) for n, draft in enumerate(drafts)]
    return lint_subjects(subjects, course=course_for(content), only=only)


def lint_bank(*, questions=None, only=None, statistics=True) -> list[Finding]:
    """Every rule over the active bank (or `questions`), plus the questions whose item
    statistics ask for review."""
    from quizzes.bank.generators import load_course_content
    from quizzes.bank.models import Question
    from quizzes.bank.statistics import review_flags
    from relations.models import EditorNote

    content = load_course_content()
    if questions is None:
        questions = Question.objects.active().order_by("pk")
    questions = list(questions)
    items = items_by_type(content)
    notes = {note.pk: note for note in EditorNote.objects.all()}
    subjects = [from_row(q, items=items, notes=notes) for q in questions]
    findings = lint_subjects(subjects, course=course_for(content), only=only)
    if statistics and (only is None or STATISTICS_RULE in only):
        labels = {s.pk: s.label for s in subjects}
        for pk, reason in sorted(review_flags(question_ids=list(labels)).items()):
            findings.append(Finding(STATISTICS_RULE, labels[pk], reason, pk))
    return findings
