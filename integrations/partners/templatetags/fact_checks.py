"""Partner fact-checks on the case page, and the flag on the queue for those awaiting a moderator."""

from django import template

from integrations.partners.models import AssessmentState, PartnerAssessment
from integrations.partners.selectors import assessments_awaiting_debunk

register = template.Library()


@register.inclusion_tag("dashboard/_fact_checks.html")
def case_fact_checks(case):
    assessments = (
        PartnerAssessment.objects.filter(case=case).select_related("partner").order_by("state", "-updated_at")
    )
    return {"case": case, "assessments": assessments, "published": AssessmentState.PUBLISHED}


@register.inclusion_tag("dashboard/_fact_checks_flag.html")
def fact_checks_awaiting():
    return {"awaiting": list(assessments_awaiting_debunk()[:20])}
