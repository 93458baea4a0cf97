"""What each check found about a media item, and the verdict fused from it.

A CheckResult is keyed by (media item, check kind, check version): re-running the same version of a
check for the same media claims the existing row instead of adding one, so a redelivered Celery task
or a second enqueue never duplicates work. A CheckRun is one request to look at a media item (made
when it is stored); it lists the results it waits for and ends with exactly one Verdict.
"""

from django.db import models

from .registry import detector_adapter_validate


class CheckState(models.TextChoices):
    PENDING = "pending", "Pending"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class VerdictLabel(models.TextChoices):
    DISCLOSED_SYNTHETIC = "disclosed_synthetic", "Disclosed as synthetic"
    AUTHENTIC_EVIDENCE = "authentic_evidence", "Evidence of authenticity"
    LIKELY_SYNTHETIC = "likely_synthetic", "Likely synthetic"
    UNCERTAIN = "uncertain", "Uncertain"
    NO_SIGNAL = "no_signal", "No signal"


class CheckResult(models.Model):
    media_item = models.ForeignKey("triage.MediaItem", on_delete=models.CASCADE, related_name="check_results")
    # A registry key ("c2pa", "metadata", "fingerprint") or "detector:<name>" for a configured vendor.
    kind = models.CharField(max_length=100)
    version = models.CharField(max_length=20)
    state = models.CharField(max_length=10, choices=CheckState.choices, default=CheckState.PENDING)
    # What the check concluded, in its own vocabulary (e.g. "valid_untrusted", "ai_declared", "synthetic").
    label = models.CharField(max_length=50, blank=True)
    # A probability-like score in [0, 1] where the check has one (detectors); null otherwise.
    score = models.FloatField(null=True, blank=True)
    evidence = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["media_item", "kind", "version"], name="checks_one_result_per_version"
            )
        ]
        ordering = ["media_item", "kind"]

    def __str__(self) -> str:
        return f"{self.kind}@{self.version} on {self.media_item_id}: {self.state} {self.label}"

    @property
    def finished(self) -> bool:
        return self.state in (CheckState.DONE, CheckState.FAILED)


class CheckRun(models.Model):
    media_item = models.ForeignKey("triage.MediaItem", on_delete=models.CASCADE, related_name="check_runs")
    results = models.ManyToManyField(CheckResult, related_name="runs")
    created_at = models.DateTimeField(auto_now_add=True)
    # Set, under a row lock, by whichever check task finds every result finished first.
    fused_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"run {self.pk} on media {self.media_item_id}"


class Verdict(models.Model):
    run = models.OneToOneField(CheckRun, on_delete=models.CASCADE, related_name="verdict")
    media_item = models.ForeignKey("triage.MediaItem", on_delete=models.CASCADE, related_name="verdicts")
    label = models.CharField(max_length=30, choices=VerdictLabel.choices)
    confidence = models.FloatField()
    # Plain-words sentences for moderators, strongest evidence first.
    reasons = models.JSONField(default=list)
    # Kinds of the checks that failed or timed out; the verdict was made without them.
    failed_checks = models.JSONField(default=list, blank=True)
    tampered_provenance = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["media_item", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.label} ({self.confidence:.2f}) for media {self.media_item_id}"


class SignatureField(models.TextChoices):
    PNG_TEXT_KEY = "png_text_key", "PNG text chunk key"
    PNG_TEXT_VALUE = "png_text_value", "PNG text chunk value contains"
    EXIF_SOFTWARE = "exif_software", "EXIF Software contains"
    XMP_TOOL = "xmp_tool", "XMP CreatorTool contains"


class GeneratorSignature(models.Model):
    """A marker that names an image or audio generator in a file's metadata.

    Operators extend the list in the admin; the default set is loaded by a data migration.
    Matching is case-insensitive: a key must equal `pattern`, a value must contain it.
    """

    field = models.CharField(max_length=20, choices=SignatureField.choices)
    pattern = models.CharField(max_length=200)
    generator = models.CharField(
        max_length=100, help_text="Who or what this marker names, shown to moderators."
    )
    # Only markers that declare AI generation on their own count as a disclosure; the rest are hints.
    declares_ai = models.BooleanField(default=True)
    enabled = models.BooleanField(default=True)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["field", "pattern"], name="checks_unique_signature")]
        ordering = ["field", "pattern"]

    def __str__(self) -> str:
        return f"{self.get_field_display()}: {self.pattern} → {self.generator}"


class DetectorConfig(models.Model):
    """A synthetic-media detector reached over HTTP.

    The API key is a secret and never stored here: `api_key_env` names the environment variable
    that holds it (by convention DETECTOR_<NAME>_API_KEY).
    """

    name = models.SlugField(max_length=50, unique=True)
    # A key of triage.evidence.registry.DETECTOR_ADAPTERS (not model choices: a new vendor needs
    # no migration).
    adapter = models.CharField(max_length=30, validators=[detector_adapter_validate])
    base_url = models.URLField(max_length=300)
    api_key_env = models.CharField(max_length=100, blank=True)
    # A score at or above the threshold is a vote for "synthetic" (TrueMedia tuned these per model).
    threshold = models.FloatField(default=0.5)
    weight = models.PositiveSmallIntegerField(default=1)
    # A trusted detector's vote counts double.
    trusted = models.BooleanField(default=False)
    enabled = models.BooleanField(default=True)
    timeout_seconds = models.FloatField(default=30.0)
    # Let the base URL resolve to a private or loopback address (self-hosted model servers, tests).
    allow_private = models.BooleanField(default=False)
    media_types = models.JSONField(default=list, blank=True, help_text="Empty means every media type.")
    # Adapter-specific knobs, e.g. {"poll_interval": 2, "max_polls": 30} for Reality Defender,
    # {"score_field": "synthetic_probability"} for the generic JSON adapter (see docs/checks.md).
    options = models.JSONField(default=dict, blank=True)
    # Circuit breaker, shared by every worker through the database: after `failure_threshold`
    # consecutive failures the detector is skipped until `circuit_open_until`.
    failure_threshold = models.PositiveSmallIntegerField(default=5)
    cooldown_seconds = models.PositiveIntegerField(default=300)
    consecutive_failures = models.PositiveIntegerField(default=0, editable=False)
    circuit_open_until = models.DateTimeField(null=True, blank=True, editable=False)
    last_error = models.CharField(max_length=300, blank=True, editable=False)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.adapter})"

    @property
    def check_kind(self) -> str:
        return f"detector:{self.name}"
