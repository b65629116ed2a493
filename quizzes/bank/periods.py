"""The course's periods: each era runs from its first event to the next era's first.

A false year is plausible only inside the true year's period ("the Korean War began in
1953", never "in 2002"), so the true/false and multiple-choice generators and the linter
all ask the same question: which period holds this year?
"""

from dataclasses import dataclass

# The last era has no next one to end it: it runs this long after its first event.
LAST_ERA_YEARS = 10


@dataclass(frozen=True)
class Period:
    era_id: int
    start: int
    end: int

    def holds(self, year: int) -> bool:
        return self.start <= year <= self.end


def course_periods(events) -> tuple[Period, ...]:
    """One period per era that has events, in order."""
    firsts, lasts, orders = {}, {}, {}
    for event in events:
        era = event.era_id
        firsts[era] = min(firsts.get(era, event.year), event.year)
        lasts[era] = max(lasts.get(era, event.year), event.end_year or event.year)
        orders[era] = (getattr(event.era, "order", 0), era)
    eras = sorted(firsts, key=lambda era: (orders[era], firsts[era]))
    periods = []
    for index, era in enumerate(eras):
        if index + 1 < len(eras):
            end = max(firsts[eras[index + 1]] - 1, firsts[era])
        else:
            end = max(lasts[era], firsts[era] + LAST_ERA_YEARS)
        periods.append(Period(era_id=era, start=firsts[era], end=end))
    return tuple(periods)


def period_of(year: int, periods) -> Period | None:
    """The period holding `year`; before the first or after the last, the nearest one."""
    if not periods:
        return None
    for period in periods:
        if period.holds(year):
            return period
    return min(periods, key=lambda p: min(abs(year - p.start), abs(year - p.end)))


def same_period(year: int, other: int, periods) -> bool:
    period = period_of(year, periods)
    return period is not None and period.holds(other)


def false_years(*, year: int, end_year=None, periods, known=(), limit: int = 3) -> list[int]:
    """Years in the same period as `year` that are not it (nor inside `year`..`end_year`):
    the course's own event years first, nearest first, then the nearest other years."""
    period = period_of(year, periods)
    if period is None:
        return []
    last = end_year or year

    def allowed(candidate):
        return period.holds(candidate) and not year <= candidate <= last

    ordered = sorted({y for y in known if allowed(y)}, key=lambda y: (abs(y - year), y))
    nearby = sorted(
        (y for y in range(period.start, period.end + 1) if allowed(y) and y not in ordered),
        key=lambda y: (abs(y - year), y),
    )
    return (ordered + nearby)[:limit]
