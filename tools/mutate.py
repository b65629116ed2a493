"""`make mutate`: mutation testing of the pure core, one module at a time against its own tests.

    python tools/mutate.py                 every core module, then the summary
    python tools/mutate.py grading tokens  only those (names below)
    python tools/mutate.py --summary       the summary of the modules already run
    python tools/mutate.py --record NAME   that module's figures again from mutants/

mutmut 3 copies the project into mutants/ and mutates it there. Its settings are in
pyproject.toml's [tool.mutmut]; this script narrows `only_mutate`, the test files and the
mutant names to one module per run, so a mutant counts as killed only if that module's own
tests notice it. Each module starts from an empty mutants/ (no cache from another module's
tests). A module's log and figures are kept in .mutmut/ (ignored by git).

The score is killed / (killed + survived + no tests + timeouts): a mutant no test runs counts
against the module like one that survives.
"""

import dataclasses
import fnmatch
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STATE = ROOT / ".mutmut"


@dataclasses.dataclass(frozen=True)
class Module:
    name: str
    paths: tuple[str, ...]
    tests: tuple[str, ...]
    # Mutant names (fnmatch) to run when only part of a file is the pure core.
    mutants: tuple[str, ...] = ()


MODULES = [
    Module(
        "grading",
        ("quizzes/bank/grading.py", "quizzes/common/typed_answers.py"),
        (
            "tests/quizzes/bank/test_grading.py",
            "tests/quizzes/bank/test_grading_outcomes.py",
            "tests/quizzes/bank/test_grading_properties.py",
        ),
    ),
    Module(
        "kinds",
        ("quizzes/bank/kinds/*.py",),
        # Pure tests only (stand-in questions, no database): the kinds' outcome tables, the
        # grading tests (grading.grade dispatches to the kinds) and the pure tests of the
        # partial-credit kinds. The rest of test_partial_credit_kinds.py and test_kinds.py
        # go through pages and the database, seconds a mutant for little the tables miss.
        (
            "tests/quizzes/bank/test_kinds_outcomes.py",
            "tests/quizzes/bank/test_grading.py",
            "tests/quizzes/bank/test_grading_outcomes.py",
            "tests/quizzes/bank/test_grading_properties.py",
            *(
                f"tests/quizzes/bank/test_partial_credit_kinds.py::{name}"
                for name in (
                    "test_multiple_answer_adds_the_ticked_weights_and_never_goes_below_zero",
                    "test_three_thirds_make_full_credit_and_a_partial_grade_says_so",
                    "test_multiple_answer_shapes_are_checked",
                    "test_numerical_tolerance_ranges_and_partial_credit_in_order",
                    "test_the_first_answer_a_number_falls_within_counts_as_in_moodle",
                    "test_numbers_compare_despite_floating_point_and_any_other_number_has_feedback",
                    "test_numerical_shapes_are_checked",
                )
            ),
        ),
        # The kinds' pure core: checking a stored question's shape, reading what a page posts,
        # grading, the feedback (the right answer and the learner's in words, the lines of an
        # arrangement) and naming an answer for item analysis, with the helpers these call.
        # Left out, 2,637 mutants being too many for the time: authoring (draft_problems,
        # question_data, draft_fields, keep_keys, text_problems, option_feedback,
        # feedback_list, _as_stored), what a page shows and a simulated learner posts
        # (page_fields, posted_fields), GIFT (gift_lines, gift_losses, read_gift,
        # _gift_number, _read_number: GIFT's own tests, through `gift`), form_class, __repr__
        # and the registry in __init__ (import-time tables).
        tuple(
            f"quizzes.bank.kinds.{name}__*"
            for name in (
                *(f"base.x{f}" for f in (
                    "__posted_values", "_posted_value", "_texts_by_key", "_body_of", "_key_of",
                    "_entry_keys",
                )),
                *(f"{module}.xǁ{cls}ǁ{method}"
                  for module, cls in (
                      ("base", "Kind"), ("base", "ChoiceKind"), ("matching", "Matching"),
                      ("ordering", "Ordering"), ("cloze", "Cloze"),
                      ("multiple_answer", "MultipleAnswer"), ("numerical", "Numerical"),
                      ("written", "WrittenAnswer"), ("description", "Description"),
                  )
                  for method in (
                      "shape_problems", "read_answer", "score", "grade", "correct_display",
                      "answer_text", "answer_rows", "describe_answer",
                  )),
                "matching.x_left_token_key", "matching.x_right_token_key", "matching.x__pair_lines",
                "ordering.x_item_token_key",
                "cloze.x__as_one_answer",
                *(f"multiple_answer.x{f}" for f in (
                    "__weights", "__credit", "_weight_problems", "__texts",
                )),
                *(f"numerical.x{f}" for f in (
                    "_parse_number", "_stored_answers", "__within", "__matching",
                    "_describe_number", "_answer_problems", "__as_draft",
                )),
                *(f"written.x{f}" for f in (
                    "_rubric_of", "_max_mark", "_model_answer", "_sources_of", "_rubric_problems",
                )),
            )
        ),
    ),
    Module(
        "item_analysis",
        ("quizzes/classes/item_analysis.py",),
        (
            "tests/quizzes/classes/test_item_analysis.py",
            "tests/quizzes/classes/test_item_analysis_mutants.py",
        ),
    ),
    Module(
        "tokens",
        ("quizzes/practice/attempts.py",),
        ("tests/quizzes/practice/test_attempts.py", "tests/quizzes/practice/test_tokens.py"),
        (
            "quizzes.practice.attempts.x_option_token__*",
            "quizzes.practice.attempts.x_tokens_for__*",
            "quizzes.practice.attempts.x__lookup__*",
            "quizzes.practice.attempts.x_option_rng__*",
            "quizzes.practice.attempts.xǁResponseTokensǁ*",
            "quizzes.practice.attempts.x_decode_answer__*",
        ),
    ),
    Module(
        "scheduling",
        ("quizzes/review/scheduling.py",),
        ("tests/quizzes/review/test_scheduling.py", "tests/quizzes/review/test_scheduling_pure.py"),
        (
            "quizzes.review.scheduling.x__utc__*",
            "quizzes.review.scheduling.x_to_fsrs__*",
            "quizzes.review.scheduling.x__copy_from_fsrs__*",
            "quizzes.review.scheduling.x_snapshot__*",
            "quizzes.review.scheduling.x__restore__*",
            "quizzes.review.scheduling.x_parse_rating__*",
            "quizzes.review.scheduling.x_preview_intervals__*",
            "quizzes.review.scheduling.x_retrievability__*",
            "quizzes.review.scheduling.x_format_interval__*",
            "quizzes.review.scheduling.x_describe_interval__*",
        ),
    ),
    Module(
        "generators_base",
        ("quizzes/bank/generators/base.py",),
        # Its own tests, on stand-ins. The generators' tests (the rest of the folder) read the
        # real course per session: a mutant run each would take minutes for the few mutants
        # they alone could see.
        ("tests/quizzes/bank/generators/test_base.py",),
        # All but load_course_content, which only runs the queries (I/O, not the core).
        tuple(
            f"quizzes.bank.generators.base.x{name}__*"
            for name in (
                "ǁQuestionDraftǁ", "ǁCourseContentǁ", "_item_label", "_fingerprint",
                "_make_draft", "_redraft", "_rng_for", "_option_key", "_choice_question",
                "_lesson_distance", "_nearest_first", "_distinct_texts", "_chunk",
                "_most_common", "_source_line", "_explain", "_mentions", "_is_source_error",
                "_is_collective", "_role_words", "_answer_shape", "__similar_people",
                "_same_shape_answers", "__capitalized", "_position_statement",
            )
        ),
    ),
    Module(
        "gift",
        ("quizzes/bank/gift.py", "quizzes/bank/gift_syntax.py"),
        (
            "tests/quizzes/bank/test_gift.py",
            "tests/quizzes/bank/test_gift_moodle.py",
            "tests/quizzes/bank/test_gift_sanitizing.py",
            "tests/quizzes/bank/test_gift_problems.py",
        ),
    ),
    # The question linter's rules (pure functions of a Subject and the Course); the package's
    # __init__ (which queries the bank) and subjects.py (rows to Subjects) are its I/O.
    # Against the rules' own tests on factory-built questions: test_quality_course.py reads
    # the real course in every mutant's run (about 3 s each, over 30 minutes for the module)
    # and checks the bank's content more than the rules' logic.
    Module(
        "quality",
        ("quizzes/bank/quality/rules.py", "quizzes/bank/quality/bank_rules.py"),
        ("tests/quizzes/bank/test_quality_rules.py",),
    ),
]

STATUS = {1: "killed", 3: "killed", 0: "survived", 5: "no tests", 33: "no tests",
          36: "timeout", -24: "timeout", 24: "timeout", 152: "timeout", 255: "timeout",
          None: "not checked", 34: "skipped", 37: "caught by type check"}


def _existing(patterns) -> list[Path]:
    found = []
    for pattern in patterns:
        found.extend(sorted(ROOT.glob(pattern)))
    return found


def _worker(name: str, jobs: str) -> None:
    """Runs inside a fresh interpreter: mutmut with its configuration narrowed to one module."""
    module = next(m for m in MODULES if m.name == name)
    os.chdir(ROOT)
    from mutmut import configuration

    narrowed = dataclasses.replace(
        configuration._load_config(),
        only_mutate=list(module.paths),
        pytest_add_cli_args_test_selection=list(module.tests),
    )
    configuration._config = narrowed
    from mutmut.__main__ import cli

    cli(["run", "--max-children", jobs, *module.mutants], standalone_mode=False)


def _results(module: Module) -> tuple[dict, dict]:
    """({status: [mutant]}, {mutant: its source file})."""
    by_status: dict[str, list[str]] = {}
    source: dict[str, str] = {}
    for path in _existing(module.paths):
        meta = ROOT / "mutants" / (str(path.relative_to(ROOT)) + ".meta")
        if not meta.exists():
            continue
        codes = json.loads(meta.read_text())["exit_code_by_key"]
        for key, code in codes.items():
            if module.mutants and not any(fnmatch.fnmatch(key, p) for p in module.mutants):
                continue
            by_status.setdefault(STATUS.get(code, "suspicious"), []).append(key)
            source[key] = str(path.relative_to(ROOT))
    return by_status, source


def _diff(key: str, path: str) -> str:
    """The mutant's changed lines (mutmut show's diff, without a process per mutant)."""
    try:
        from mutmut.mutation.diff_apply import get_diff_for_mutant

        os.chdir(ROOT)
        shown = get_diff_for_mutant(key, path=path)
    except Exception:  # another mutmut version: ask its command line
        shown = subprocess.run(
            [sys.executable, "-m", "mutmut", "show", key],
            cwd=ROOT, capture_output=True, text=True,
        ).stdout
    return "\n".join(
        "        " + line for line in shown.splitlines()
        if line[:2] in ("- ", "+ ") and not line.startswith(("---", "+++"))
    )


def run_module(module: Module, jobs: str) -> dict | None:
    if not _existing(module.paths):
        print(f"== {module.name}: {', '.join(module.paths)} does not exist yet; skipped")
        return None
    # A test path may name one test ("file.py::test_name").
    tests = [t for t in module.tests if (ROOT / t.split("::")[0]).exists()]
    module = dataclasses.replace(module, tests=tuple(tests))
    shutil.rmtree(ROOT / "mutants", ignore_errors=True)
    STATE.mkdir(exist_ok=True)
    log = STATE / f"{module.name}.log"
    print(f"== {module.name}: mutating {', '.join(module.paths)} against {len(tests)} test "
          f"paths (log: {log.relative_to(ROOT)})", flush=True)
    with log.open("w") as out:
        subprocess.run(
            [sys.executable, __file__, "--worker", module.name, jobs],
            cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, env={**os.environ, "DEBUG": "1"},
        )
    return record(module)


def record(module: Module) -> dict:
    """The figures of the module's last run (still in mutants/), kept in .mutmut/."""
    by_status, source = _results(module)
    killed = len(by_status.get("killed", []))
    counted = killed + sum(
        len(by_status.get(s, [])) for s in ("survived", "no tests", "timeout", "suspicious")
    )
    survivors = {
        key: _diff(key, source[key])
        for status in ("survived", "no tests", "timeout", "suspicious")
        for key in sorted(by_status.get(status, []))
    }
    figures = {
        "module": module.name,
        "killed": killed,
        "counted": counted,
        "by_status": {s: len(keys) for s, keys in sorted(by_status.items())},
        "survivors": survivors,
    }
    (STATE / f"{module.name}.json").write_text(json.dumps(figures, indent=1))
    return figures


def summary() -> int:
    worst = 100.0
    print("\n== mutation score per core module (killed / mutants its tests should notice)")
    for module in MODULES:
        saved = STATE / f"{module.name}.json"
        if not saved.exists():
            continue
        figures = json.loads(saved.read_text())
        share = 100 * figures["killed"] / figures["counted"] if figures["counted"] else 0.0
        worst = min(worst, share)
        print(f"{module.name:16} {figures['killed']:4} of {figures['counted']:4} killed "
              f"({share:5.1f} %)  {figures['by_status']}")
    for module in MODULES:
        saved = STATE / f"{module.name}.json"
        if saved.exists():
            figures = json.loads(saved.read_text())
            for key, diff in figures["survivors"].items():
                print(f"  not killed: {key}\n{diff}")
    return 0


def main(argv: list[str]) -> int:
    if argv[:1] == ["--worker"]:
        _worker(argv[1], argv[2])
        return 0
    if argv[:1] == ["--summary"]:
        return summary()
    if argv[:1] == ["--record"]:  # the figures again from mutants/, without running
        record(next(m for m in MODULES if m.name == argv[1]))
        return summary()
    jobs = os.environ.get("MUTATE_JOBS", "1")
    names = argv or [m.name for m in MODULES]
    unknown = set(names) - {m.name for m in MODULES}
    if unknown:
        print(f"unknown modules {sorted(unknown)}; known: {[m.name for m in MODULES]}")
        return 2
    for module in MODULES:
        if module.name in names:
            run_module(module, jobs)
    return summary()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
