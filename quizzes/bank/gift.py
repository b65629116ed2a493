"""GIFT, Moodle's plain-text question format: reading it into drafts and writing it back.

Read as Moodle reads it: multiple choice (= right, ~ wrong, per-answer #feedback), multiple
answer (~%50% weights and no =), true/false ({T#wrong#right}), short answer ({=a =b},
imported as fill-in-the-blank), matching ({=x -> y}, and = -> z for an extra wrong match),
numerical ({#1822:5}, {#1.5..2}, {#=%50%1822:2#feedback ~#otherwise}), ::titles::,
// comments, $CATEGORY: (matched to a lesson by title or slug), ####general feedback (the
explanation), the [moodle]/[plain]/[html]/[markdown] formats (quizzes.bank.gift_formats),
the escapes \\: \\= \\~ \\# \\{ \\} \\\\ and \\n, and the answer block in the middle of the
text (the gap becomes a blank). Essay and description questions are reported, not guessed.

As in Moodle, a blank line ends a question, so one broken question never swallows the next.
What a question loses on the way in (feedback a kind cannot keep, formatting) is a note
beside its line; a question that cannot be read is a problem on its line, and the importer
either refuses the file (all or nothing) or leaves those out (Moodle's "stop on error" off).
This module reads the file's structure; each kind reads and writes its own answer block
(quizzes.bank.kinds), and GIFT's escapes are in quizzes.bank.gift_syntax.
"""

from dataclasses import dataclass, field

from quizzes.bank.authoring import draft_from_question, validate_draft
from quizzes.bank.drafts import QuestionDraft
from quizzes.bank.gift_formats import as_plain_text, format_change, split_format
from quizzes.bank.gift_syntax import GiftBlock, GiftProblem, clean, escape, protect, restore
from quizzes.bank.kinds import GIFT_READERS, KINDS
from quizzes.bank.models import QuestionKind

MAX_BYTES = 200 * 1024
MAX_QUESTIONS = 500
BLANK = "_____"


@dataclass
class ParseResult:
    questions: list[QuestionDraft] = field(default_factory=list)
    problems: list[tuple[int, str]] = field(default_factory=list)  # (line number, message)
    notes: list[tuple[int, str]] = field(default_factory=list)  # read, but worth knowing

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.questions)

    @property
    def partly_ok(self) -> bool:
        """Something can be imported when the unreadable parts are left out."""
        return bool(self.questions)


# --- reading ---------------------------------------------------------------------------------


def _lesson_index(lessons) -> dict[str, int]:
    index = {}
    for lesson in lessons:
        index[lesson.title.strip().casefold()] = lesson.pk
        index[lesson.slug.strip().casefold()] = lesson.pk
    return index


def _blocks(lines: list[str]):
    """Yield (first line number, [(line number, text)]) for each question or command."""
    current: list[tuple[int, str]] = []
    for number, raw in enumerate(lines, start=1):
        line = protect(raw)
        if line.lstrip().startswith("//"):
            continue
        if not line.strip():
            if current:
                yield current[0][0], current
                current = []
            continue
        if not current and line.lstrip().startswith("$CATEGORY:"):
            yield number, [(number, line)]
            continue
        current.append((number, line))
    if current:
        yield current[0][0], current


def parse_gift(*, text: str, lessons=None) -> ParseResult:
    """Read GIFT text into question drafts and a line-numbered list of what could not be read."""
    if lessons is None:
        from relations.models import Lesson

        lessons = Lesson.objects.only("pk", "title", "slug")
    lesson_index = _lesson_index(lessons)
    result = ParseResult()
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lesson_id = None
    for start, block in _blocks(text.split("\n")):
        first = block[0][1].strip()
        if first.startswith("$CATEGORY:"):
            category = clean(first.removeprefix("$CATEGORY:"))
            lesson_id = _match_lesson(category, lesson_index)
            if category and lesson_id is None:
                result.notes.append(
                    (start, f"The category “{category}” matches no lesson: its questions will "
                     "be imported without a lesson.")
                )
            continue
        if len(result.questions) >= MAX_QUESTIONS:
            result.problems.append(
                (start, f"More than {MAX_QUESTIONS} questions: split the file into parts.")
            )
            break
        try:
            draft, changes = _parse_question(block)
        except GiftProblem as problem:
            result.problems.append((problem.line or start, problem.message))
            continue
        draft.line = start
        draft.lesson_id = lesson_id
        problems = validate_draft(draft=draft)
        if problems:
            result.problems.append((start, " ".join(problems)))
            continue
        result.notes.extend((start, change) for change in changes)
        result.questions.append(draft)
    if not result.questions and not result.problems:
        result.problems.append((1, "The file holds no questions."))
    return result


def _match_lesson(category: str, index: dict[str, int]) -> int | None:
    if not category:
        return None
    candidates = [category, category.rstrip("/").rsplit("/", 1)[-1]]
    for candidate in candidates:
        lesson_id = index.get(candidate.strip().casefold())
        if lesson_id is not None:
            return lesson_id
    return None


def _parse_question(block: list[tuple[int, str]]) -> tuple[QuestionDraft, list[str]]:
    """The draft, and what reading it changed (sentences for the preview)."""
    start = block[0][0]
    text = "\n".join(line for _, line in block)
    title = ""
    stripped = text.lstrip()
    if stripped.startswith("::"):
        end = stripped.find("::", 2)
        if end == -1:
            raise GiftProblem("The title opened with :: is never closed with ::.", start)
        title = clean(stripped[2:end])
        text = stripped[end + 2 :]
    text_format, text = split_format(text)
    # Both cuts above are at the front: offsets into `text` plus `base` are offsets into the
    # block, which _line_of turns into file line numbers.
    base = len("\n".join(line for _, line in block)) - len(text)

    def line_at(offset: int) -> int:
        return _line_of(block, base + offset)

    opening = text.find("{")
    if opening == -1:
        if "}" not in text:  # Moodle's description: text with nothing to answer
            changes = []
            draft = QuestionDraft(
                kind=QuestionKind.DESCRIPTION, prompt=_plain(text, text_format, changes),
                title=title,
            )
            return draft, [f"“{title or draft.prompt[:40]}”: {change}." for change in changes]
        raise GiftProblem(
            "No answer block: put the answers between { and } (use \\{ for a literal brace).",
            start,
        )
    closing = text.find("}", opening)
    if closing == -1:
        raise GiftProblem(
            f"The answer block opened on line {line_at(opening)} is never closed with }}.",
            line_at(opening),
        )
    if text.find("{", opening + 1, closing) != -1:
        raise GiftProblem("An answer block holds another {: escape it as \\{.", line_at(opening))
    after = text[closing + 1 :]
    if "{" in after or "}" in after:
        raise GiftProblem(
            "More than one answer block in one question (or a stray brace: escape it as \\}).",
            line_at(closing + 1 + after.find("{" if "{" in after else "}")),
        )
    changes = []
    before, after = (_plain(part, text_format, changes) for part in (text[:opening], after))
    prompt = f"{before} {BLANK} {after}" if after else before
    inner = text[opening + 1 : closing]
    line = line_at(opening)

    draft = _parse_answers(inner, line, text_format=text_format, changes=changes)
    draft.prompt = prompt.strip()
    draft.title = title
    return draft, [f"“{title or draft.prompt[:40]}”: {change}." for change in changes]


def _plain(text: str, text_format: str, changes: list[str]) -> str:
    plain = clean(as_plain_text(restore(text), text_format))
    change = format_change(text_format, text, plain)
    if change and change not in changes:
        changes.append(change)
    return plain


def _line_of(block: list[tuple[int, str]], offset: int) -> int:
    """The file line number of a character offset into the block's joined text."""
    position = 0
    for number, line in block:
        position += len(line) + 1
        if offset < position:
            return number
    return block[-1][0]


def _parse_answers(inner: str, line: int, *, text_format: str, changes: list) -> QuestionDraft:
    general = ""
    if "####" in inner:
        # As in Moodle, the last #### starts the general feedback.
        inner, general = inner.rsplit("####", 1)
        feedback_format, general = split_format(general, text_format)
        general = _plain(general, feedback_format, changes)
    body = inner.strip()
    block = GiftBlock(text=body, explanation=general, text_format=text_format)
    try:
        for kind in GIFT_READERS:
            draft = kind.read_gift(block)
            if draft is not None:
                changes.extend(c for c in block.changes if c not in changes)
                if _dropped_feedback(block, draft):
                    changes.append(
                        f"a {QuestionKind(draft.kind).label.lower()} question keeps no feedback "
                        "per answer: that feedback is left out"
                    )
                if draft.kind == QuestionKind.WRITTEN:
                    changes.append(
                        "a written answer has no model answer or rubric in GIFT: it is marked "
                        "out of one point until you add them in the bank"
                    )
                return draft
    except GiftProblem as problem:
        problem.line = problem.line or line
        raise
    raise GiftProblem("This answer block is no question type this app can read.", line)


def _dropped_feedback(block: GiftBlock, draft: QuestionDraft) -> bool:
    if draft.feedback or any(n.feedback for n in draft.numbers):
        return False
    try:
        return any(answer.feedback for answer in block.answers)
    except GiftProblem:  # true/false and numerical blocks are not =/~ lists
        return False


# --- writing ---------------------------------------------------------------------------------


def export_gift(*, questions, heading: str = "") -> str:
    """GIFT text for the questions, grouped under $CATEGORY: lines named for their lessons.

    Who-argued and which-side questions are written as multiple choice; ordering questions
    cannot be written in GIFT and are listed in a comment instead, and what a question loses
    (a written answer's model answer and rubric) is said in a comment above it.
    """
    out = []
    if heading:
        out.append(f"// {' '.join(heading.split())}")
    out.append("// GIFT format: import with Moodle's GIFT importer or Uneasy Allies.")
    out.append("")
    current_lesson = object()
    for question in questions:
        draft = draft_from_question(question=question)
        kind = KINDS.get(question.kind)
        lines = kind.gift_lines(draft) if kind else None
        if lines is None:
            out.append(
                f"// Question {question.pk} ({question.get_kind_display()}) has no GIFT form "
                "and was left out."
            )
            out.append("")
            continue
        losses = kind.gift_losses(draft)
        if losses:
            out.append(
                f"// Question {question.pk} ({question.get_kind_display()}): GIFT cannot hold "
                f"{' or '.join(losses)}, left out below."
            )
        if question.lesson_id != current_lesson:
            current_lesson = question.lesson_id
            lesson = question.lesson
            out.append(f"$CATEGORY: {lesson.title if lesson else ''}".rstrip())
            out.append("")
        title = f"::{escape(draft.title or f'Q{question.pk}')}::"
        if not kind.gift_block:  # a description: its text alone
            out.extend([f"{title} {escape(draft.prompt)}", ""])
            continue
        explanation = f"####{escape(draft.explanation)}" if draft.explanation.strip() else ""
        out.append(f"{title} {escape(draft.prompt)} {{")
        out.extend(lines)
        if explanation:
            out.append(explanation)
        out.append("}")
        out.append("")
    return "\n".join(out)
