"""Run the item-writing linter over the active question bank: one table per rule, the
offending questions listed, and a non-zero exit when anything is found."""

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Check every active question against the item-writing rules (quizzes/bank/quality)."

    def add_arguments(self, parser):
        parser.add_argument("--rule", action="append", help="Only this rule (repeatable).")

    def handle(self, *args, rule=None, **options):
        from quizzes.bank.quality import RULE_NAMES, RULES, STATISTICS_RULE, lint_bank

        names = (*RULE_NAMES, STATISTICS_RULE)
        unknown = set(rule or ()) - set(names)
        if unknown:
            raise CommandError(f"Unknown rule(s): {', '.join(sorted(unknown))}")
        findings = lint_bank(only=set(rule) if rule else None)
        summaries = {r.name: r.summary for r in RULES}
        summaries[STATISTICS_RULE] = (
            "Answered often enough, with negative discrimination or almost everyone right."
        )
        for name in names:
            if rule and name not in rule:
                continue
            found = [f for f in findings if f.rule == name]
            self.stdout.write(f"\n{name} — {summaries[name]}")
            self.stdout.write(f"  {len(found)} finding(s)")
            if found:
                width = max(len(f.question) for f in found)
                for finding in found:
                    self.stdout.write(f"  {finding.question:<{width}}  {finding.detail}")
        self.stdout.write(f"\n{len(findings)} finding(s) in all.")
        if findings:
            raise CommandError(f"{len(findings)} finding(s): see the tables above.")
