"""Triage's core records.

MediaItem is the contract other apps build on: one row per distinct media file (exact SHA-256),
stored once in content-addressed storage. Cases, submissions and their history live beside it.
"""

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone


class MediaType(models.TextChoices):
    AUDIO = "audio", "Audio"
    IMAGE = "image", "Image"
    VIDEO = "video", "Video"


class MediaItem(models.Model):
    sha256 = models.CharField(max_length=64, unique=True)
    media_type = models.CharField(max_length=8, choices=MediaType.choices)
    mime_type = models.CharField(max_length=100)
    size_bytes = models.BigIntegerField()
    # Stored under media/<sha256[:2]>/<sha256>: the same bytes are stored once whatever their name.
    file = models.FileField(upload_to="media/", max_length=200)
    original_name = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Near-duplicates (see triage/intake/clustering.py): a re-encoded, trimmed or telephone-band copy of
    # media we had points at the first of its kind, whose cases it joins. Always a root: the
    # canonical item has no canonical of its own.
    canonical = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="near_duplicates"
    )
    # The fingerprint match that linked it (BankMatch.as_json()), for moderators.
    canonical_match = models.JSONField(null=True, blank=True)
    # When it was fingerprinted into the reference bank and matched; null: not clustered (yet).
    clustered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.media_type} {self.sha256[:12]}"

    @property
    def case_media_id(self) -> int:
        """The media item whose cases this one's submissions belong to."""
        return self.canonical_id or self.pk


class CaseStatus(models.TextChoices):
    NEW = "new", "New"
    CHECKING = "checking", "Checking"
    AWAITING_REVIEW = "awaiting_review", "Awaiting review"
    DECIDED = "decided", "Decided"
    # A provisional case whose media turned out to belong to an existing case: see merged_into.
    MERGED = "merged", "Merged"


class Case(models.Model):
    """Everything reported about one media item for one audience, from every platform.

    A case is created per reported media entry at ingest, before anything is fetched (the
    webhook answers with its id). Once the media is stored, the case either becomes *the* case
    of that media item and audience, or, if one exists, hands its submissions over and is marked
    merged with a pointer, so every case id a platform was given keeps resolving.
    """

    # The two foreign keys are NULL on every case the webhook creates: their indexes are partial
    # (see Meta), so ingest writes no index entry for them; lookups by a value still use them.
    media_item = models.ForeignKey(
        MediaItem, null=True, blank=True, on_delete=models.PROTECT, related_name="cases", db_index=False
    )
    audience_countries = models.JSONField(default=list, blank=True)  # ISO 3166-1 alpha-2, sorted
    audience_regions = models.JSONField(default=list, blank=True)
    # The sorted countries joined by commas: one live case per (media item, audience_key).
    audience_key = models.CharField(max_length=400, blank=True)
    status = models.CharField(max_length=20, choices=CaseStatus.choices, default=CaseStatus.NEW)
    priority = models.IntegerField(default=0, help_text="higher first; set by the policy")
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_cases", db_index=False
    )
    # Sums over the case's submissions of the latest reach each reported; ReachSample keeps history.
    total_views = models.BigIntegerField(default=0)
    total_shares = models.BigIntegerField(default=0)
    submission_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-priority", "-updated_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["media_item", "audience_key"],
                condition=models.Q(merged_into__isnull=True, media_item__isnull=False),
                name="one_live_case_per_media_and_audience",
            )
        ]
        indexes = [
            models.Index(fields=["status", "-priority"]),
            models.Index(
                fields=["media_item"],
                condition=models.Q(media_item__isnull=False),
                name="case_media_item_set",
            ),
            models.Index(
                fields=["merged_into"],
                condition=models.Q(merged_into__isnull=False),
                name="case_merged_into_set",
            ),
            # The partner API's case list walks these in order and stops after a page (cursor
            # pagination, docs/api.md): newest first, and most urgent first.
            models.Index(fields=["-created_at", "-id"], name="case_newest"),
            models.Index(fields=["-priority", "-created_at", "-id"], name="case_urgency"),
        ]

    def __str__(self) -> str:
        return f"case {self.pk} ({', '.join(self.audience_countries) or 'no audience'})"


class ReportSource(models.TextChoices):
    USER_REPORT = "user_report", "User report"
    TRUSTED_FLAGGER = "trusted_flagger", "Trusted flagger"
    PLATFORM_CLASSIFIER = "platform_classifier", "Platform classifier"
    FACT_CHECKER = "fact_checker", "Fact checker"
    AUTHORITY = "authority", "Authority"


class ReportReason(models.TextChoices):
    SYNTHETIC_MEDIA = "synthetic_media", "Synthetic media"
    IMPERSONATION = "impersonation", "Impersonation"
    VOTER_SUPPRESSION = "voter_suppression", "Voter suppression"
    ELECTION_MISINFORMATION = "election_misinformation", "Election misinformation"
    OTHER = "other", "Other"


class SubmissionState(models.TextChoices):
    PENDING = "pending", "Waiting to be processed"
    PROCESSING = "processing", "Processing"
    PROCESSED = "processed", "Processed"
    FAILED = "failed", "Failed (no media could be stored)"


class Submission(models.Model):
    """One platform's report about one piece of its content (platform, content id).

    Later events about the same content update it (reach, text) and are kept as
    SubmissionEvents. `state` is the "to process" outbox flag: it is committed with the row, the
    task is enqueued on commit, and the sweeper re-enqueues whatever stays pending.

    The webhook writes this one row and nothing else (it is the request's hot path): the event,
    its media entries and the id of the case to be are kept in `intake`, and the worker writes
    the rest (see `triage.intake.ingest.submission_materialize`) before it fetches anything.
    """

    # No separate index: the (platform, content_id) unique constraint serves platform look-ups.
    platform = models.ForeignKey(
        "platforms.Platform", on_delete=models.PROTECT, related_name="submissions", db_index=False
    )
    content_id = models.CharField(max_length=200)
    content_url = models.URLField(max_length=2000, blank=True)
    posted_at = models.DateTimeField(null=True, blank=True)
    text = models.TextField(blank=True)
    language = models.CharField(max_length=35, blank=True)
    subjects = models.JSONField(default=list, blank=True)
    creator_disclosure = models.JSONField(null=True, blank=True)
    # Who uploaded the content on the platform, as the platform says: {"id": …, "handle": …}.
    author = models.JSONField(null=True, blank=True)
    report_source = models.CharField(max_length=24, choices=ReportSource.choices)
    report_reason = models.CharField(max_length=32, choices=ReportReason.choices)
    report_note = models.TextField(blank=True)
    audience_countries = models.JSONField(default=list, blank=True)
    audience_regions = models.JSONField(default=list, blank=True)
    views = models.BigIntegerField(default=0)
    shares = models.BigIntegerField(default=0)
    reach_window_minutes = models.PositiveIntegerField(null=True, blank=True)
    # The case of the first media entry: the case_id the webhook answered with (may be merged
    # later; follow Case.merged_into). Its id is reserved from the case sequence when the webhook
    # writes the submission, and the case row is written with that id by the worker a moment
    # later: so no database-level constraint (Django still protects it on delete). No index
    # either: a case's submissions are found through their media entries (the first entry's case
    # is this one), and every index entry costs the webhook.
    case = models.ForeignKey(
        Case,
        on_delete=models.PROTECT,
        related_name="primary_submissions",
        db_constraint=False,
        db_index=False,
    )
    # The event that created the submission: a replay of it is recognised before the worker has
    # written its SubmissionEvent.
    first_event_id = models.CharField(max_length=200, blank=True)
    # What the worker still has to write: {"event": the first event, "media": the entries}.
    # NULL once the cases, media entries, event and reach sample exist.
    intake = models.JSONField(null=True, blank=True, encoder=DjangoJSONEncoder)
    state = models.CharField(max_length=12, choices=SubmissionState.choices, default=SubmissionState.PENDING)
    # When a task is due to pick the submission up (now at ingest, later when a retry is
    # scheduled); the sweeper re-enqueues pending submissions that stay overdue.
    due_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True, help_text="why media could not be fetched, for moderators")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "content_id"], name="one_submission_per_platform_content"
            ),
            models.UniqueConstraint(
                fields=["platform", "first_event_id"],
                condition=~models.Q(first_event_id=""),
                name="one_submission_per_platform_first_event",
            ),
        ]
        indexes = [models.Index(fields=["state", "due_at"])]

    def __str__(self) -> str:
        return f"{self.platform_id}:{self.content_id}"


class SubmissionEventKind(models.TextChoices):
    CREATED = "created", "Created the submission"
    UPDATED = "updated", "Updated the submission"


class SubmissionEvent(models.Model):
    """One webhook event as received: the idempotency key (platform, event_id) and the history."""

    # No separate index: the (platform, event_id) unique constraint serves platform look-ups.
    platform = models.ForeignKey(
        "platforms.Platform", on_delete=models.PROTECT, related_name="events", db_index=False
    )
    event_id = models.CharField(max_length=200)
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=8, choices=SubmissionEventKind.choices)
    payload = models.JSONField(encoder=DjangoJSONEncoder, help_text="the validated event")
    # A default rather than auto_now_add: the worker writes a first event after the webhook
    # received it, and records when the webhook did.
    received_at = models.DateTimeField(default=timezone.now)
    # When the worker folded this report into its submission and cases (triage/intake/folds.py).
    # NULL for a later report the webhook recorded and no fold has taken in yet: the webhook
    # writes this row (and nothing else) for a report about content it already has. Rows written
    # any other way (a first event, history) are folded as they are written: the default.
    folded_at = models.DateTimeField(null=True, blank=True, default=timezone.now)

    class Meta:
        ordering = ["received_at"]
        constraints = [
            models.UniqueConstraint(fields=["platform", "event_id"], name="one_event_per_platform_event_id")
        ]
        indexes = [
            # The fold reads a submission's reports still to fold, and the sweeper the stranded
            # ones: partial, so the folded history (almost every row) holds no entry.
            models.Index(
                fields=["submission", "received_at"],
                condition=models.Q(folded_at__isnull=True),
                name="submission_event_unfolded",
            )
        ]

    def __str__(self) -> str:
        return f"{self.event_id} ({self.kind})"


class ReportFoldDue(models.Model):
    """A fold of a submission's new reports is scheduled: at most one row, so at most one task.

    The webhook inserts it (if absent) in the statement that records a report about known
    content, and publishes the fold task only when its insert made the row: a burst of reports
    is one fold per REPORT_FOLD_SECONDS. The fold claims it by deleting it before it works
    (claim before work): a duplicate task finds nothing to claim, and a report arriving during
    the fold schedules the next one. The sweeper re-publishes rows whose message was lost.
    """

    submission = models.OneToOneField(
        Submission, on_delete=models.CASCADE, primary_key=True, related_name="fold_due"
    )
    due_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"fold of submission {self.submission_id} due {self.due_at:%H:%M:%S}"


class MediaFetchState(models.TextChoices):
    PENDING = "pending", "Pending"
    STORED = "stored", "Stored"
    FAILED = "failed", "Failed"


class SubmissionMedia(models.Model):
    """One media entry of a submission: where to get it, and what became of it."""

    # No separate index: the (submission, position) unique constraint serves it.
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="media", db_index=False)
    position = models.PositiveSmallIntegerField()
    url = models.URLField(max_length=2000, blank=True)
    # Inline (multipart) uploads are staged in storage under this name until processed.
    staged_name = models.CharField(max_length=200, blank=True)
    original_name = models.CharField(max_length=255, blank=True)
    declared_media_type = models.CharField(max_length=8, choices=MediaType.choices, blank=True)
    declared_content_type = models.CharField(max_length=100, blank=True)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="submission_media")
    state = models.CharField(max_length=8, choices=MediaFetchState.choices, default=MediaFetchState.PENDING)
    # NULL until the media is stored: a partial index (see Meta), so ingest writes no entry for it.
    media_item = models.ForeignKey(
        MediaItem,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="submission_media",
        db_index=False,
    )
    # The sniffed type wins; a declared type or Content-Type that disagrees is recorded here.
    type_mismatch = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    # When the media was stored and the entry attached to its case (set only by the attachment).
    fetched_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["submission", "position"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "position"], name="one_media_per_position")
        ]
        indexes = [
            models.Index(
                fields=["media_item"],
                condition=models.Q(media_item__isnull=False),
                name="submission_media_item_set",
            ),
            # When the entry was attached to its case: the callbacks' catch-up sweep reads the
            # attachments of the last hours by range (integrations.callbacks.selectors). Partial,
            # like the one above: ingest writes no entry for it, the attachment writes one.
            models.Index(
                fields=["fetched_at"],
                condition=models.Q(fetched_at__isnull=False),
                name="submission_media_attached_at",
            ),
        ]
        verbose_name_plural = "submission media"

    def __str__(self) -> str:
        return f"{self.submission_id}#{self.position}"


class ReachSample(models.Model):
    """A point in a case's reach time series, taken whenever a report changes it (for velocity)."""

    # No separate index: the (case, at) index serves it.
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="reach_samples", db_index=False)
    submission = models.ForeignKey(Submission, null=True, blank=True, on_delete=models.SET_NULL)
    at = models.DateTimeField()
    # The submission's report at this instant and the case totals it led to.
    views = models.BigIntegerField()
    shares = models.BigIntegerField()
    window_minutes = models.PositiveIntegerField(null=True, blank=True)
    case_views = models.BigIntegerField()
    case_shares = models.BigIntegerField()

    class Meta:
        ordering = ["case", "at"]
        indexes = [models.Index(fields=["case", "at"])]

    def __str__(self) -> str:
        return f"case {self.case_id} at {self.at:%Y-%m-%d %H:%M}: {self.case_views} views"


class WorkerHeartbeat(models.Model):
    """When a worker last ran the periodic sweep: `/readyz` reports no worker (or no beat) when stale."""

    name = models.CharField(max_length=50, primary_key=True)
    seen_at = models.DateTimeField()
    hostname = models.CharField(max_length=255, blank=True)

    def __str__(self) -> str:
        return f"{self.name} seen at {self.seen_at:%Y-%m-%d %H:%M:%S}"
