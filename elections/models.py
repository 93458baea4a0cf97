"""The election calendar and the public-figure registry.

Times: rules and elections are written in local wall-clock terms (what the law says); the
windows they produce are materialized in UTC per election, phase and time zone, so the triage
hot path asks one indexed question: "is there a window covering this country at this instant?".
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from . import validation
from .windows import (
    DERIVED_ELECTION_FIELDS,
    WindowComputationError,
    election_derived_fields,
    election_window_specs,
)


class Country(models.Model):
    code = models.CharField("ISO 3166-1 alpha-2", max_length=2, primary_key=True)
    name = models.CharField(max_length=100)
    # IANA zone names; several where the country spans several (MX, ID, BR, RU, CA, AU …).
    time_zones = models.JSONField(default=list)
    # ISO 639-1 codes of official languages, most widely used first.
    languages = models.JSONField(default=list)
    # Why the country has no silence rule (shown by the calendar and admin instead of a window).
    no_silence_note = models.TextField(blank=True)
    no_silence_sources = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name_plural = "countries"

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def clean(self) -> None:
        errors = validation.country_errors(
            code=self.code, time_zones=self.time_zones, languages=self.languages
        )
        if not errors and self.pk:
            rule = SilenceRule.objects.filter(country_id=self.pk).first()
            problem = window_problem(rule=rule, elections=self.elections.all(), country_zones=self.time_zones)
            if problem:
                validation.add_error(errors, "time_zones", problem)
        if errors:
            raise ValidationError(errors)


class SilenceScope(models.TextChoices):
    FULL = "full", "Campaign silence"
    ADVERTISING = "advertising", "Election advertising only"
    BROADCAST = "broadcast", "Broadcast advertising only"


class StartMode(models.TextChoices):
    HOURS_BEFORE_POLLS_OPEN = "hours_before_polls_open", "N hours before polls open"
    # India (RPA 1951 s.126): "the 48 hours ending with the hour fixed for the conclusion of the poll".
    HOURS_BEFORE_POLLS_CLOSE = "hours_before_polls_close", "N hours before polls close on the last voting day"
    DAYS_BEFORE_AT_TIME = "days_before_at_time", "Local time of day, N days before the first voting day"


class ClockSemantics(models.TextChoices):
    # "48 hours" in a law may mean elapsed time (exactly 48 h even across a DST switch) or the
    # same wall-clock time two days earlier (47 or 49 h of UTC time across a switch).
    ELAPSED = "elapsed", "Elapsed hours"
    WALL_CLOCK = "wall_clock", "Same wall-clock time"


class EndMode(models.TextChoices):
    POLLS_CLOSE = "polls_close", "When polls close on the last voting day"
    LOCAL_TIME = "local_time", "A local time of day, relative to the last voting day"
    NATIONAL_INSTANT = "national_instant", "One national instant (a time in one zone) on the last voting day"


class OnlineCoverage(models.TextChoices):
    YES = "yes", "Covers online media"
    PARTIAL = "partial", "Partly (e.g. new posts or paid boosting only)"
    NO = "no", "Does not cover online media"
    UNCERTAIN = "uncertain", "Sources conflict"


class SilenceRule(models.Model):
    """How a country's silence period is derived from an election's voting days and hours.

    A country without a rule has no silence period (the US, Hungary, Czech Republic): the
    calendar says so plainly and the election period still escalates friction.
    """

    country = models.OneToOneField(Country, on_delete=models.CASCADE, related_name="silence_rule")
    scope = models.CharField(max_length=16, choices=SilenceScope.choices, default=SilenceScope.FULL)
    start_mode = models.CharField(max_length=32, choices=StartMode.choices)
    start_hours = models.PositiveIntegerField(
        null=True, blank=True, help_text="for hours_before_polls_open and hours_before_polls_close"
    )
    start_clock = models.CharField(
        max_length=16, choices=ClockSemantics.choices, default=ClockSemantics.ELAPSED
    )
    start_days = models.PositiveIntegerField(null=True, blank=True, help_text="for days_before_at_time")
    start_time = models.TimeField(
        null=True, blank=True, help_text="for days_before_at_time; 00:00 is midnight"
    )
    end_mode = models.CharField(max_length=32, choices=EndMode.choices, default=EndMode.POLLS_CLOSE)
    end_time = models.TimeField(null=True, blank=True, help_text="for local_time and national_instant")
    end_day_offset = models.IntegerField(
        default=0, help_text="days after the last voting day (1 = midnight ending it)"
    )
    end_time_zone = models.CharField(max_length=64, blank=True, help_text="for national_instant")
    covers_online = models.CharField(
        max_length=16, choices=OnlineCoverage.choices, default=OnlineCoverage.YES
    )
    legal_basis = models.CharField(max_length=300, blank=True)
    source_urls = models.JSONField(default=list)
    notes = models.TextField(blank=True)
    uncertain = models.BooleanField(default=False, help_text="sources conflict or the basis is unverified")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Silence rule for {self.country_id}"

    def clean(self) -> None:
        errors = validation.rule_errors(
            start_mode=self.start_mode,
            start_hours=self.start_hours,
            start_clock=self.start_clock,
            start_days=self.start_days,
            start_time=self.start_time,
            end_mode=self.end_mode,
            end_time=self.end_time,
            end_day_offset=self.end_day_offset,
            end_time_zone=self.end_time_zone,
            source_urls=self.source_urls,
        )
        if not errors and self.country_id:
            country = Country.objects.filter(pk=self.country_id).first()
            if country is not None:
                problem = window_problem(
                    rule=self, elections=country.elections.all(), country_zones=country.time_zones
                )
                if problem:
                    validation.add_error(errors, "end_mode", problem)
        if errors:
            raise ValidationError(errors)


class ElectionKind(models.TextChoices):
    PARLIAMENTARY = "parliamentary", "Parliamentary"
    PRESIDENTIAL = "presidential", "Presidential"
    LOCAL = "local", "Local"
    REGIONAL = "regional", "Regional"
    EUROPEAN = "european", "European Parliament"
    REFERENDUM = "referendum", "Referendum"
    PRIMARY = "primary", "Primary"
    GENERAL = "general", "General"
    SENATE = "senate", "Senate"


class ElectionRound(models.TextChoices):
    FIRST = "first", "First round"
    RUNOFF = "runoff", "Run-off"
    REPEAT = "repeat", "Repeat vote"


class DateStatus(models.TextChoices):
    # The authority (electoral commission, decree, or a law that fixes the day) has fixed the date.
    SCHEDULED = "scheduled", "Scheduled (date fixed)"
    # Due by law, not yet fixed: the voting days hold the best estimate and the notes say why.
    EXPECTED = "expected", "Expected (best date, not fixed)"


class Election(models.Model):
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="elections")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=ElectionKind.choices)
    round = models.CharField(max_length=8, choices=ElectionRound.choices, default=ElectionRound.FIRST)
    # ISO 3166-2 code when the election is held in one region only (a US state primary, a land election).
    region = models.CharField(max_length=10, blank=True)
    constituencies = models.JSONField(default=list, blank=True)
    voting_days = models.JSONField(help_text="ISO dates, ascending")
    polls_open = models.TimeField(help_text="local time polls open on the first voting day")
    polls_close = models.TimeField(help_text="local time polls close on the last voting day")
    polls_close_next_day = models.BooleanField(
        default=False, help_text="polls close after midnight, on the day after the last voting day"
    )
    # When polls keep one zone's hours everywhere (Brazil votes on Brasília time since 2022).
    polls_time_zone = models.CharField(max_length=64, blank=True)
    # Restrict windows to some of the country's zones (a regional election); empty means all.
    time_zones = models.JSONField(default=list, blank=True)
    source_urls = models.JSONField(default=list, blank=True)
    notes = models.TextField(blank=True)
    # Database defaults too: the 0005 seed migration writes rows with a historical model that
    # predates these columns.
    status = models.CharField(
        max_length=10,
        choices=DateStatus.choices,
        default=DateStatus.SCHEDULED,
        db_default=DateStatus.SCHEDULED,
    )
    # When and by whom an expected date was last confirmed or moved (confirm_election_date).
    date_confirmed_at = models.DateTimeField(null=True, blank=True, editable=False)
    date_confirmed_by = models.CharField(max_length=150, blank=True, editable=False, db_default="")
    first_voting_day = models.DateField(editable=False, db_index=True)
    last_voting_day = models.DateField(editable=False, db_index=True)
    # Materialized for the election-period query (one indexed range test on the hot path):
    # local midnight starting the first voting day in the country's earliest zone, and the end of
    # the election (the latest of voting's end and the silence windows' ends), both UTC.
    first_day_start = models.DateTimeField(editable=False, null=True)
    period_end = models.DateTimeField(editable=False, null=True)

    class Meta:
        ordering = ["-first_voting_day", "country_id"]
        indexes = [
            models.Index(fields=["country", "first_voting_day"]),
            models.Index(fields=["country", "period_end", "first_day_start"]),
            models.Index(fields=["period_end", "first_day_start"]),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:

        zones = self.country.time_zones if self.country_id else []
        for field, value in election_derived_fields(election=self, country_zones=zones).items():
            setattr(self, field, value)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, *DERIVED_ELECTION_FIELDS}
        super().save(*args, **kwargs)

    def clean(self) -> None:
        """Check the election's fields and that it does not overlap another round of its kind."""
        errors = validation.election_errors(
            country_code=self.country_id,
            region=self.region,
            constituencies=self.constituencies,
            voting_days=self.voting_days,
            polls_open=self.polls_open,
            polls_close=self.polls_close,
            polls_close_next_day=self.polls_close_next_day,
            polls_time_zone=self.polls_time_zone,
            time_zones=self.time_zones,
        )
        if self.country_id and not errors.get("voting_days") and self.kind:
            others = validation.overlapping_elections(
                Election.objects.all(),
                country_code=self.country_id,
                kind=self.kind,
                region=self.region,
                constituencies=self.constituencies,
                voting_days=self.voting_days,
                exclude_pk=self.pk,
            )
            if others:
                validation.add_error(
                    errors,
                    "voting_days",
                    f"Overlaps {others[0].name} ({others[0].get_round_display()}, "
                    f"{others[0].first_voting_day}–{others[0].last_voting_day}): "
                    "rounds of the same kind in the same place need their own days.",
                )
        if not errors and self.country_id:
            rule = SilenceRule.objects.filter(country_id=self.country_id).first()
            # Windows are computed on save; a rule that gives none for these days is a field error now.
            problem = window_problem(rule=rule, elections=[self], country_zones=self.country.time_zones)
            if problem:
                validation.add_error(errors, "voting_days", problem)
        if errors:
            raise ValidationError(errors)


class ElectionPhase(models.Model):
    """One phase of a phased election (India): its own areas and voting days, its own windows."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="phases")
    number = models.PositiveSmallIntegerField()
    voting_days = models.JSONField(help_text="ISO dates, ascending")
    regions = models.JSONField(default=list, help_text="ISO 3166-2 codes voting in this phase")
    constituencies = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["election", "number"]
        constraints = [models.UniqueConstraint(fields=["election", "number"], name="unique_phase_number")]

    def __str__(self) -> str:
        return f"{self.election} — phase {self.number}"

    def clean(self) -> None:
        # In the admin's add form the election is not saved yet: use the instance the form holds.
        election = (
            getattr(self, "election", None)
            if "election" in self._state.fields_cache or self.election_id
            else None
        )
        errors = validation.phase_errors(
            country_code=election.country_id if election else None,
            election_days=election.voting_days if election else None,
            number=self.number,
            voting_days=self.voting_days,
            regions=self.regions,
        )
        if errors:
            raise ValidationError(errors)


class SilenceWindow(models.Model):
    """A materialized window in UTC: per election, per phase and per time zone.

    `computed_*` is what the rule gives; `start`/`end` are in force (equal unless an operator
    adjusted the window, which is recorded in WindowAdjustment).
    """

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="windows")
    phase = models.ForeignKey(
        ElectionPhase, on_delete=models.CASCADE, null=True, blank=True, related_name="windows"
    )
    country = models.ForeignKey(Country, on_delete=models.CASCADE, related_name="windows")
    regions = models.JSONField(default=list, blank=True, help_text="empty: the whole country")
    # ",IN-TN,IN-KL," (or "" for the whole country): lets the selectors match a region with a
    # plain substring test that works on PostgreSQL and on the embedded SQLite alike.
    regions_key = models.CharField(max_length=2000, blank=True, editable=False)
    time_zone = models.CharField(max_length=64)
    scope = models.CharField(max_length=16, choices=SilenceScope.choices)
    covers_online = models.CharField(max_length=16, choices=OnlineCoverage.choices)
    computed_start = models.DateTimeField()
    computed_end = models.DateTimeField()
    start = models.DateTimeField()
    end = models.DateTimeField()

    class Meta:
        ordering = ["start"]
        # "end > now" is the selective test (few windows lie in the future), so end leads.
        indexes = [
            models.Index(fields=["country", "end", "start"]),
            models.Index(fields=["end", "start"]),
            models.Index(fields=["country", "start"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="window_end_after_start"
            ),
            # A window's identity is (election, phase, time zone); recomputation keeps it.
            models.UniqueConstraint(
                fields=["election", "phase", "time_zone"],
                condition=models.Q(phase__isnull=False),
                name="unique_window_per_phase_zone",
            ),
            models.UniqueConstraint(
                fields=["election", "time_zone"],
                condition=models.Q(phase__isnull=True),
                name="unique_window_per_zone",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.election} [{self.time_zone}] {self.start:%Y-%m-%d %H:%M}–{self.end:%Y-%m-%d %H:%M} UTC"

    def save(self, *args, **kwargs) -> None:
        self.regions_key = regions_key(self.regions)
        super().save(*args, **kwargs)

    @property
    def adjusted(self) -> bool:
        return self.end != self.computed_end


def window_problem(*, rule, elections, country_zones) -> str | None:
    """Return why `rule` gives no usable window for one of `elections` (phases included), or None."""

    if rule is None:
        return None
    for election in elections:
        phases = list(election.phases.all()) if election.pk else []
        try:
            election_window_specs(rule=rule, election=election, country_zones=country_zones, phases=phases)
        except WindowComputationError as exc:
            return f"No usable silence window for {election.name}: {exc}."
    return None


def regions_key(regions) -> str:
    """Return the searchable form of a window's regions: ",IN-TN,IN-KL," or "" for everywhere."""
    return f",{','.join(regions)}," if regions else ""


class WindowAdjustment(models.Model):
    """An operator's extension or shortening of a live window, with its reason (append-only).

    The record outlives its window: if a recomputation removes the window (its zone or phase is
    gone, or the rule was removed), `window` becomes null and `window_label` still says which it was.
    """

    window = models.ForeignKey(
        SilenceWindow, on_delete=models.SET_NULL, null=True, blank=True, related_name="adjustments"
    )
    window_label = models.CharField(
        max_length=300, blank=True, help_text="election and zone, kept for the record"
    )
    previous_end = models.DateTimeField()
    new_end = models.DateTimeField()
    reason = models.TextField()
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)
    made_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["made_at"]

    def __str__(self) -> str:
        return f"{self.window_label} end {self.previous_end:%H:%M} → {self.new_end:%H:%M} UTC"


class Person(models.Model):
    name = models.CharField(max_length=200)
    # Names as people write them, in every script (e.g. "Michal Simecka", "عمران خان").
    aliases = models.JSONField(default=list, blank=True)
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="people")
    party = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["name", "country"], name="unique_person_per_country")]

    def __str__(self) -> str:
        return self.name


class RoleKind(models.TextChoices):
    CANDIDATE = "candidate", "Candidate"
    OFFICE_HOLDER = "office_holder", "Office holder"
    PARTY_LEADER = "party_leader", "Party leader"
    OFFICIAL = "official", "Election official"


class PersonRole(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="roles")
    kind = models.CharField(max_length=16, choices=RoleKind.choices)
    title = models.CharField(max_length=200, blank=True)
    party = models.CharField(max_length=200, blank=True)
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["person", "-valid_from"]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_kind_display()}"


class LikenessKind(models.TextChoices):
    VOICE = "voice", "Voice"
    IMAGE = "image", "Image"
    VIDEO = "video", "Video"


class AuthorizedLikeness(models.Model):
    """A public declaration that a synthetic likeness of a person is authorized (consent)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="authorized_likenesses")
    kind = models.CharField(max_length=8, choices=LikenessKind.choices)
    declared_by = models.CharField(max_length=200, help_text="the person, or the party that declared it")
    declared_where = models.CharField(max_length=300, blank=True)
    evidence_url = models.URLField(max_length=500)
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)
    # The declaring party's own accounts, per platform: {"videoshare": ["pti-official", "4711"]}
    # (ids or handles). The consent carve-out applies only to content these accounts upload;
    # anyone else's disclosed likeness of the person is "disclosed, not authorized".
    accounts = models.JSONField(
        default=dict,
        blank=True,
        help_text='The declaring party\'s accounts per platform slug, e.g. {"videoshare": ["pti-official"]}.',
    )

    class Meta:
        ordering = ["person", "-valid_from"]
        verbose_name_plural = "authorized likenesses"

    def __str__(self) -> str:
        return f"Authorized {self.kind} of {self.person}"

    def clean(self) -> None:
        accounts = self.accounts or {}
        if not isinstance(accounts, dict) or not all(
            isinstance(slug, str)
            and isinstance(names, list)
            and all(isinstance(n, str) and n.strip() for n in names)
            for slug, names in accounts.items()
        ):
            raise ValidationError(
                {"accounts": ['Platform slug to account ids or handles: {"videoshare": ["x"]}.']}
            )
