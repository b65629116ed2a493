"""Rules over the whole bank: what no single question shows, such as a guessing strategy
that beats chance (always "True", the longest option, the option most like the stem)."""

from collections import defaultdict

from quizzes.bank.grading import CHOICE_KINDS, normalize_answer
from quizzes.bank.wording import shared_words

TRUE_SHARE = (0.45, 0.55)
FAMILY_SHARE = (0.40, 0.60)
FAMILY_MIN = 10  # a generator family this small is judged with the whole bank only
STRATEGY_MARGIN = 0.05  # a strategy may beat chance by at most five points
STRATEGY_MIN = 10


def _true_share(subjects) -> float:
    return sum(1 for s in subjects if normalize_answer(s.key_text) == "true") / len(subjects)


def balanced_true_false(subjects, course) -> list[tuple]:
    """Always answering "True" scores no better, nor worse, than chance."""
    tf = [s for s in subjects if s.kind == "tf"]
    if not tf:
        return []
    findings = []
    share = _true_share(tf)
    low, high = TRUE_SHARE
    if not low <= share <= high:
        findings.append((None, f"{share:.0%} of {len(tf)} true/false keys are True"))
    families = defaultdict(list)
    for s in tf:
        families[s.generator.split("_", 1)[0]].append(s)
    low, high = FAMILY_SHARE
    for family, members in sorted(families.items()):
        share = _true_share(members)
        if len(members) >= FAMILY_MIN and not low <= share <= high:
            findings.append((None, f"{family}: {share:.0%} of {len(members)} keys are True"))
    return findings


def strategy_score(subjects, pick) -> tuple[float, float]:
    """(score, chance) of answering every question with `pick(subject)`, a list of the
    options it favours (ties share the credit)."""
    score = chance = 0.0
    for s in subjects:
        favoured = pick(s)
        key = (s.answer or {}).get("key")
        if favoured:
            score += sum(1 for o in favoured if o["key"] == key) / len(favoured)
        chance += 1 / len(s.options)
    return score / len(subjects), chance / len(subjects)


def longest_options(subject) -> list[dict]:
    longest = max(len(o["text"]) for o in subject.options)
    return [o for o in subject.options if len(o["text"]) == longest]


def most_stem_words(subject) -> list[dict]:
    counts = {o["key"]: len(shared_words(o["text"], subject.prompt)) for o in subject.options}
    top = max(counts.values())
    return [o for o in subject.options if counts[o["key"]] == top]


def _strategy_findings(subjects, *, pick, what: str) -> list[tuple]:
    """Per choice kind with enough questions: a finding when always answering with
    `pick(subject)` beats chance by more than the margin."""
    by_kind = defaultdict(list)
    for s in subjects:
        if s.kind in CHOICE_KINDS and len(s.options) >= 2:
            by_kind[s.kind].append(s)
    findings = []
    for kind, members in sorted(by_kind.items()):
        if len(members) < STRATEGY_MIN:
            continue
        score, chance = strategy_score(members, pick)
        if score > chance + STRATEGY_MARGIN:
            findings.append(
                (None, f"{kind}: {what} scores {score:.0%} against {chance:.0%} by chance")
            )
    return findings


# Plain functions rather than closures built at import, so that what they do is run (and
# mutated, in `make mutate`) when a rule is called.
def longest_option_not_favoured(subjects, course) -> list[tuple]:
    return _strategy_findings(subjects, pick=longest_options, what="picking the longest option")


def stem_words_not_favoured(subjects, course) -> list[tuple]:
    return _strategy_findings(
        subjects, pick=most_stem_words, what="picking the option sharing most words with the stem"
    )
