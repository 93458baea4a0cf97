"""Partner fact-checks on the case page, and the flag on the queue for those awaiting a moderator."""

from django import template

from integrations.partners.models import AssessmentState, PartnerAssessment
from integrations.partners.selectors import assessments_awaiting_debunk
from triage.moderation.roles import user_is_lead
from triage.moderation.selectors import escalated_case_ids

register = template.Library()


@register.inclusion_tag("dashboard/_fact_checks.html")
def case_fact_checks(case):
    assessments = (
        PartnerAssessment.objects.filter(case=case).select_related("partner").order_by("state", "-updated_at")
    )
    return {"case": case, "assessments": assessments, "published": AssessmentState.PUBLISHED}


@register.inclusion_tag("dashboard/_fact_checks_flag.html", takes_context=True)
def fact_checks_awaiting(context):
    awaiting = assessments_awaiting_debunk()
    user = context.get("user")
    if user is None or not user_is_lead(user):
        # Escalated cases are the leads': a moderator's queue names none of them, not even here.
        awaiting = awaiting.exclude(case_id__in=escalated_case_ids())
    return {"awaiting": list(awaiting[:20])}
