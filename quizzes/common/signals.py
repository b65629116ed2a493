"""Signals that cross areas without an import upward.

`scores_changed` is sent after the transaction that changed the counted score of one or more
students on one assignment commits: a regrade, an override, a reset or reopened attempt, a
marked written answer. Receivers (the LTI grade passback) must not assume they run inside a
transaction.
"""

from django.dispatch import Signal

# kwargs: assignment_id (int), student_ids (list[int])
scores_changed = Signal()
