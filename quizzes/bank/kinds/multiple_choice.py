"""Multiple choice: one right option among two to eight, shown shuffled."""

from quizzes.bank.drafts import QuestionDraft
from quizzes.bank.gift_syntax import GiftProblem
from quizzes.bank.kinds.base import ChoiceKind


class MultipleChoice(ChoiceKind):
    code = "mcq"

    def read_gift(self, block):
        """=right ~wrong ~wrong; Moodle's %100% and %0% weights are read as right and wrong."""
        if not any(answer.marker == "~" for answer in block.answers):
            return None
        options, correct = [], []
        for answer in block.answers:
            weight = answer.weight
            if weight not in (None, 100, 0) or (answer.marker == "=" and weight not in (None, 100)):
                raise GiftProblem(
                    "Partial credit (%…%) and several right answers are not supported: "
                    "mark exactly one answer with =."
                )
            if answer.marker == "=" or weight == 100:
                correct.append(len(options))
            options.append(answer.text)
        if len(correct) != 1:
            raise GiftProblem(
                f"A multiple-choice question needs exactly one right answer (=); this one has "
                f"{len(correct)}."
            )
        feedback = [answer.feedback for answer in block.answers]
        return QuestionDraft(
            kind=self.code, prompt="", options=options, correct=correct[0],
            feedback=feedback if any(feedback) else [], explanation=block.explanation,
        )
