"""Signals triage sends to the rest of Moratorium.

`media_item_stored` is sent after a fetched media file is stored and attached to its case, from
`transaction.on_commit` (so a receiver that enqueues work finds the rows committed). Keyword
arguments:

- `media_item_id` (int): the `triage.MediaItem` now stored;
- `case_id` (int): the (live, unmerged) `triage.Case` it is attached to;
- `created` (bool): True when this is the first time these bytes were stored.

It is sent once per attachment, so a file re-uploaded 500 times sends it 500 times (with
`created` False after the first): receivers must be idempotent per media item.

`verdict_fused` is sent from `transaction.on_commit` once the checks of a media item have been
fused into a verdict. Keyword arguments: `verdict_id` (int, a `checks.Verdict`) and
`media_item_id` (int). The policy listens to decide every live case of that media item.

`decision_made` is sent from `transaction.on_commit` once a new current Decision is stored.
Keyword argument: `decision_id` (int, the `policy.Decision` pk). Callbacks and statements listen.

`review_deadline_missed` is sent from `transaction.on_commit` when the deadline sweep escalates a
case whose review deadline passed with no human decision. Keyword arguments: `escalation_id`
(int, a `dashboard.DeadlineEscalation`), `case_id` (int), `deadline` (ISO 8601 string) and
`summary` (one plain line, no personal data). The chat notifier in integrations listens.
"""

from django.dispatch import Signal

media_item_stored = Signal()
verdict_fused = Signal()
decision_made = Signal()

# `fact_check_recorded` is sent from `transaction.on_commit` when a partner fact-checker creates,
# updates or withdraws an assessment of a case (integrations.partners). Keyword arguments: `case_id`
# (int), `assessment_id` (int, a `partners.PartnerAssessment`) and `change` ("created", "updated"
# or "withdrawn"). The policy re-decides the case (its `fact_checked` input); partner webhooks and
# moderators' notifications listen too.
fact_check_recorded = Signal()

review_deadline_missed = Signal()

# `reports_folded` is sent from `transaction.on_commit` once a worker has folded a burst of later
# reports about known content into their submission and its cases (triage/intake/folds.py): once
# per burst, never per report. Keyword arguments: `submission_id` (int), `case_ids` (list of int,
# the cases of its media entries), `event_ids` (list of str, the reports folded), `fields_changed`
# (list of str, the submission fields the policy reads that the burst changed) and `reach_at`
# (the instant of the reach sample the burst added, or None when it reported no reach). The
# policy re-decides a decided case when the burst changed something its rules test.
reports_folded = Signal()
