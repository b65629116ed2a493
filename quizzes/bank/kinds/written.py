"""Written answer (Moodle's essay): the learner writes a few sentences; a person marks them.

body {} (nothing is shown before answering but the prompt),
answer {"model": str, "rubric": [{"key", "text", "points"}], "sources": {item key: {"item",
"cited"}}}: what a full answer says, the criteria it is marked against and (generated ones)
the content items both are built from, each with its citation. The mark is out of the
rubric's points together.

Nothing grades it on the server: in practice the learner reads the model answer and the
rubric and rates their own answer (Again/Hard/Good/Easy, the evidence the flashcard schedule
gets); in an assignment the answer waits for the instructor's mark (quizzes.classes.marking).

GIFT: an empty answer block, {}; GIFT has no place for a model answer or a rubric.
"""

from collections.abc import Mapping

from quizzes.bank.drafts import MAX_PROMPT, MAX_TEXT, QuestionDraft
from quizzes.bank.kinds.base import (
    Kind,
    OverlongAnswer,
    Score,
    UnreadableAnswer,
    keep_keys,
    key_of,
    posted_value,
)

WRITTEN_FIELD = "written"
MAX_WRITTEN_LENGTH = 5000
MAX_CRITERIA = 8
MAX_POINTS = 20
# What a question read from GIFT is marked against until its author writes a rubric.
IMPORTED_CRITERION = ("Answers the question in full, in the learner's own words", 1)

# A learner's rating of their own written answer in practice, as the flashcards grade:
# 1 Again, 2 Hard, 3 Good, 4 Easy, and the credit each gives the practice score.
SELF_RATINGS = {1: ("Again", 0.0), 2: ("Hard", 0.5), 3: ("Good", 1.0), 4: ("Easy", 1.0)}


def rubric_of(question) -> list[dict]:
    rubric = key_of(question).get("rubric")
    return rubric if isinstance(rubric, list) else []


def max_mark(question) -> int:
    """What a full answer earns: the rubric's points together (at least 1)."""
    return max(1, sum(int(c.get("points") or 0) for c in rubric_of(question)))


def model_answer(question) -> str:
    return str(key_of(question).get("model") or "")


def sources_of(question) -> list[str]:
    """The citations of the items a generated written answer comes from, in order."""
    sources = key_of(question).get("sources")
    if not isinstance(sources, dict):
        return []
    return list(dict.fromkeys(s.get("cited", "") for s in sources.values() if s.get("cited")))


def rubric_problems(*, model: str, rubric: list[tuple[str, int]]) -> list[str]:
    problems = []
    if len(model) > MAX_PROMPT:
        problems.append(f"The model answer is longer than {MAX_PROMPT} characters.")
    if not 1 <= len(rubric) <= MAX_CRITERIA:
        problems.append(f"A written answer needs 1 to {MAX_CRITERIA} rubric criteria.")
    for text, points in rubric:
        if not str(text).strip():
            problems.append("Every rubric criterion needs a text.")
        elif len(str(text)) > MAX_TEXT:
            problems.append(f"A rubric criterion is longer than {MAX_TEXT} characters.")
        if isinstance(points, bool) or not isinstance(points, int) or not (
            1 <= points <= MAX_POINTS
        ):
            problems.append(
                f"Every criterion is worth a whole number of points, 1 to {MAX_POINTS}."
            )
    return list(dict.fromkeys(problems))


class WrittenAnswer(Kind):
    code = "essay"
    widget = "written"
    form_path = "quizzes.bank.written_forms.WrittenAnswerQuestionForm"
    graded_on_answer = False
    marked_by_person = True

    def shape_problems(self, *, body, answer):
        if body:
            return ["A written answer shows nothing but its prompt: its body must be {}."]
        model, rubric = answer.get("model", ""), answer.get("rubric")
        if not isinstance(model, str):
            return ["“model” must be a text."]
        if not isinstance(rubric, list) or not all(
            isinstance(c, dict) and c.get("key") for c in rubric
        ):
            return ["“rubric” must be a list of {key, text, points}."]
        problems = rubric_problems(
            model=model, rubric=[(c.get("text", ""), c.get("points")) for c in rubric]
        )
        keys = [c["key"] for c in rubric]
        if len(set(keys)) != len(keys):
            problems.append("The keys in “rubric” must differ.")
        sources = answer.get("sources", {})
        if not isinstance(sources, dict) or not all(
            isinstance(s, dict) and isinstance(s.get("cited", ""), str) for s in sources.values()
        ):
            problems.append("“sources” must be the items it comes from, each with its citation.")
        return problems

    def draft_problems(self, draft):
        return rubric_problems(model=draft.model_answer, rubric=draft.rubric)

    def question_data(self, draft, *, old_body):
        keys = keep_keys([], len(draft.rubric))  # a mark is per answer, not per criterion
        rubric = [
            {"key": key, "text": text.strip(), "points": points}
            for key, (text, points) in zip(keys, draft.rubric, strict=True)
        ]
        return {"body": {}, "answer": {"model": draft.model_answer.strip(), "rubric": rubric}}

    def draft_fields(self, *, body, answer):
        return {
            "model_answer": answer.get("model", ""),
            "rubric": [(c.get("text", ""), int(c.get("points") or 0))
                       for c in answer.get("rubric", [])],
        }

    def page_fields(self, *, question, tokens, rng):
        return {}  # one text area

    def read_answer(self, *, question, data, tokens):
        text = posted_value(data, WRITTEN_FIELD, missing="Write your answer first.")
        if len(text) > MAX_WRITTEN_LENGTH:
            raise OverlongAnswer(
                f"That is too long for this answer ({MAX_WRITTEN_LENGTH} characters at most)."
            )
        if not text.strip():
            raise UnreadableAnswer("Write your answer first.")
        return {"text": text.strip()}

    def posted_fields(self, *, question, tokens, right):
        if right:
            return {WRITTEN_FIELD: model_answer(question) or "A full answer in my own words."}
        return {WRITTEN_FIELD: "I am not sure."}

    def score(self, *, question, submitted):
        # Nothing is worked out on the server: a person gives the mark.
        return Score(0.0)

    def correct_display(self, *, question):
        return model_answer(question)

    def answer_text(self, *, question, answer):
        return str(answer.get("text", ""))

    def describe_answer(self, *, body: Mapping, answer):
        return None  # a written answer is no one text a class shares

    def gift_lines(self, draft):
        return []  # {} is an essay

    def gift_losses(self, draft) -> list[str]:
        losses = []
        if draft.model_answer.strip():
            losses.append("its model answer")
        if draft.rubric and list(draft.rubric) != [IMPORTED_CRITERION]:
            losses.append("its rubric")
        return losses

    def read_gift(self, block):
        if block.text.strip():
            return None
        return QuestionDraft(
            kind=self.code, prompt="", explanation=block.explanation,
            rubric=[IMPORTED_CRITERION],
        )
