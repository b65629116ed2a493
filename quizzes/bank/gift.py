"""GIFT, Moodle's plain-text question format: reading it into drafts and writing it back.

Supported: multiple choice (= right, ~ wrong), true/false ({T} {F} {TRUE} {FALSE}), short
answer ({=a =b}, imported as fill-in-the-blank), matching ({=x -> y}), ::titles::, // comments,
$CATEGORY: (matched to a lesson by title or slug), per-answer #feedback (dropped), ####general
feedback (kept as the explanation), [html]/[markdown]/[plain] markers, the escapes
\\: \\= \\~ \\# \\{ \\} \\\\ and \\n, and the answer block in the middle of the text (the gap
becomes a blank). Numerical, essay and partial-credit questions are reported, not guessed.

As in Moodle, a blank line ends a question, so one broken question never swallows the next.
"""

import re
from dataclasses import dataclass, field

from quizzes.bank.authoring import (
    CHOICE_KINDS,
    QuestionDraft,
    draft_from_question,
    validate_draft,
)
from quizzes.bank.models import QuestionKind

MAX_BYTES = 200 * 1024
MAX_QUESTIONS = 500
BLANK = "_____"

# Escaped characters become private-use placeholders while parsing, so that every `=`, `~`,
# `#`, `{`, `}` or `:` left in the text is syntax.
_ESCAPES = {
    "\\\\": "\ue000", "\\:": "\ue001", "\\=": "\ue002", "\\~": "\ue003",
    "\\#": "\ue004", "\\{": "\ue005", "\\}": "\ue006", "\\n": "\ue007",
}
_RESTORE = {
    "\ue000": "\\", "\ue001": ":", "\ue002": "=", "\ue003": "~",
    "\ue004": "#", "\ue005": "{", "\ue006": "}", "\ue007": "\n",
}
_ESCAPE_PATTERN = re.compile(r"\\[\\:=~#{}n]")
_FORMAT_MARKER = re.compile(r"^\s*\[(html|moodle|plain|markdown)\]", re.IGNORECASE)
_TRUE = {"T", "TRUE"}
_FALSE = {"F", "FALSE"}


@dataclass
class ParseResult:
    questions: list[QuestionDraft] = field(default_factory=list)
    problems: list[tuple[int, str]] = field(default_factory=list)  # (line number, message)
    notes: list[tuple[int, str]] = field(default_factory=list)  # read, but worth knowing

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.questions)


class _Problem(Exception):
    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line


def _protect(text: str) -> str:
    return _ESCAPE_PATTERN.sub(lambda m: _ESCAPES[m.group(0)], text)


def _restore(text: str) -> str:
    for placeholder, char in _RESTORE.items():
        text = text.replace(placeholder, char)
    return text


def _clean(text: str) -> str:
    """Restored text with runs of spaces folded, as a learner should see it."""
    lines = [" ".join(line.split()) for line in _restore(text).split("\n")]
    return "\n".join(line for line in lines if line).strip()


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
        line = _protect(raw)
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
            category = _clean(first.removeprefix("$CATEGORY:"))
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
            draft = _parse_question(block)
        except _Problem as problem:
            result.problems.append((problem.line or start, problem.message))
            continue
        draft.line = start
        draft.lesson_id = lesson_id
        problems = validate_draft(draft=draft)
        if problems:
            result.problems.append((start, " ".join(problems)))
            continue
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


def _parse_question(block: list[tuple[int, str]]) -> QuestionDraft:
    start = block[0][0]
    text = "\n".join(line for _, line in block)
    title = ""
    stripped = text.lstrip()
    if stripped.startswith("::"):
        end = stripped.find("::", 2)
        if end == -1:
            raise _Problem("The title opened with :: is never closed with ::.", start)
        title = _clean(stripped[2:end])
        text = stripped[end + 2 :]
    text = _FORMAT_MARKER.sub("", text, count=1)
    # Both cuts above are at the front: offsets into `text` plus `base` are offsets into the
    # block, which _line_of turns into file line numbers.
    base = len("\n".join(line for _, line in block)) - len(text)

    def line_at(offset: int) -> int:
        return _line_of(block, base + offset)

    opening = text.find("{")
    if opening == -1:
        raise _Problem(
            "No answer block: put the answers between { and } (use \\{ for a literal brace).",
            start,
        )
    closing = text.find("}", opening)
    if closing == -1:
        raise _Problem(
            f"The answer block opened on line {line_at(opening)} is never closed with }}.",
            line_at(opening),
        )
    if text.find("{", opening + 1, closing) != -1:
        raise _Problem("An answer block holds another {: escape it as \\{.", line_at(opening))
    after = text[closing + 1 :]
    if "{" in after or "}" in after:
        raise _Problem(
            "More than one answer block in one question (or a stray brace: escape it as \\}).",
            line_at(closing + 1 + after.find("{" if "{" in after else "}")),
        )
    before = _clean(text[:opening])
    after = _clean(after)
    prompt = f"{before} {BLANK} {after}" if after else before
    inner = text[opening + 1 : closing]
    line = line_at(opening)

    draft = _parse_answers(inner, line)
    draft.prompt = prompt.strip()
    draft.title = title
    return draft


def _line_of(block: list[tuple[int, str]], offset: int) -> int:
    """The file line number of a character offset into the block's joined text."""
    position = 0
    for number, line in block:
        position += len(line) + 1
        if offset < position:
            return number
    return block[-1][0]


def _parse_answers(inner: str, line: int) -> QuestionDraft:
    general = ""
    if "####" in inner:
        inner, general = inner.split("####", 1)
        general = _clean(general)
    body = inner.strip()
    if not body:
        raise _Problem(
            "An empty answer block is an essay question, which this app cannot grade.", line
        )
    if body.startswith("#"):
        raise _Problem("Numerical questions ({#…}) are not supported.", line)

    word = body.split("#", 1)[0].strip().upper()
    if word in _TRUE | _FALSE and not re.search(r"[=~]", body):
        return QuestionDraft(kind=QuestionKind.TRUE_FALSE, prompt="", truth=word in _TRUE,
                             explanation=general)

    leading = re.split(r"[=~]", body, maxsplit=1)[0]
    if leading.strip():
        raise _Problem(
            f"“{_clean(leading)[:40]}” is not an answer: start each answer with = (right) "
            "or ~ (wrong).",
            line,
        )
    answers = []  # (marker, weight, text)
    for match in re.finditer(r"([=~])([^=~]*)", body):
        marker, content = match.group(1), match.group(2)
        weight = None
        weight_match = re.match(r"\s*%(-?\d+(?:\.\d+)?)%", content)
        if weight_match:
            weight = float(weight_match.group(1))
            content = content[weight_match.end() :]
        answer_text = _clean(content.split("#", 1)[0])
        answers.append((marker, weight, answer_text))

    if any("->" in text for _, _, text in answers):
        return _matching(answers, line, general)
    if any(marker == "~" for marker, _, _ in answers):
        return _multiple_choice(answers, line, general)
    if any(weight not in (None, 100) for _, weight, _ in answers):
        raise _Problem("Partial credit (%…%) is not supported.", line)
    return QuestionDraft(
        kind=QuestionKind.CLOZE, prompt="", answers=[text for _, _, text in answers],
        explanation=general,
    )


def _multiple_choice(answers, line: int, general: str) -> QuestionDraft:
    options, correct = [], []
    for marker, weight, text in answers:
        is_right = marker == "=" or weight == 100
        if weight not in (None, 100, 0) or (marker == "=" and weight not in (None, 100)):
            raise _Problem(
                "Partial credit (%…%) and several right answers are not supported: "
                "mark exactly one answer with =.",
                line,
            )
        if is_right:
            correct.append(len(options))
        options.append(text)
    if len(correct) != 1:
        raise _Problem(
            f"A multiple-choice question needs exactly one right answer (=); this one has "
            f"{len(correct)}.",
            line,
        )
    return QuestionDraft(
        kind=QuestionKind.MULTIPLE_CHOICE, prompt="", options=options, correct=correct[0],
        explanation=general,
    )


def _matching(answers, line: int, general: str) -> QuestionDraft:
    pairs = []
    for marker, _, text in answers:
        if marker != "=" or "->" not in text:
            raise _Problem("In a matching question every line needs the form =item -> match.", line)
        left, right = (part.strip() for part in text.split("->", 1))
        pairs.append((left, right))
    return QuestionDraft(kind=QuestionKind.MATCHING, prompt="", pairs=pairs, explanation=general)


# --- writing ---------------------------------------------------------------------------------


def escape(text: str) -> str:
    """GIFT-escape a text: its special characters and line breaks."""
    text = text.replace("\\", "\\\\")
    for char in ":=~#{}":
        text = text.replace(char, "\\" + char)
    return text.replace("\r\n", "\n").replace("\n", "\\n")


def _answer_lines(draft: QuestionDraft) -> list[str] | None:
    if draft.kind in CHOICE_KINDS:
        return [
            f"{'=' if index == draft.correct else '~'}{escape(text)}"
            for index, text in enumerate(draft.options)
        ]
    if draft.kind == QuestionKind.TRUE_FALSE:
        return ["TRUE" if draft.truth else "FALSE"]
    if draft.kind == QuestionKind.CLOZE:
        return [f"={escape(text)}" for text in draft.answers if text.strip()]
    if draft.kind == QuestionKind.MATCHING:
        if any("->" in left for left, _ in draft.pairs):
            return None
        return [f"={escape(left)} -> {escape(right)}" for left, right in draft.pairs]
    return None  # ordering has no GIFT form


def export_gift(*, questions, heading: str = "") -> str:
    """GIFT text for the questions, grouped under $CATEGORY: lines named for their lessons.

    Who-argued and which-side questions are written as multiple choice; ordering questions
    cannot be written in GIFT and are listed in a comment instead.
    """
    out = []
    if heading:
        out.append(f"// {' '.join(heading.split())}")
    out.append("// GIFT format: import with Moodle's GIFT importer or Uneasy Allies.")
    out.append("")
    current_lesson = object()
    for question in questions:
        draft = draft_from_question(question=question)
        lines = _answer_lines(draft)
        if lines is None:
            out.append(
                f"// Question {question.pk} ({question.get_kind_display()}) has no GIFT form "
                "and was left out."
            )
            out.append("")
            continue
        if question.lesson_id != current_lesson:
            current_lesson = question.lesson_id
            lesson = question.lesson
            out.append(f"$CATEGORY: {lesson.title if lesson else ''}".rstrip())
            out.append("")
        explanation = f"####{escape(draft.explanation)}" if draft.explanation.strip() else ""
        out.append(f"::Q{question.pk}:: {escape(draft.prompt)} {{")
        out.extend(lines)
        if explanation:
            out.append(explanation)
        out.append("}")
        out.append("")
    return "\n".join(out)
