from django.urls import path

from . import calendar_views, overview_views, registry_views, views

app_name = "dashboard"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("cases/<int:case_id>/", views.case_detail, name="case"),
    path("cases/<int:case_id>/media/<int:media_item_id>/", views.case_media, name="case-media"),
    path("cases/<int:case_id>/take/", views.case_take, name="case-take"),
    path("cases/<int:case_id>/release/", views.case_release, name="case-release"),
    path("cases/<int:case_id>/confirm/", views.case_confirm, name="case-confirm"),
    path("cases/<int:case_id>/decide/", views.case_decide, name="case-decide"),
    path("cases/<int:case_id>/bank/", views.case_bank, name="case-bank"),
    path("elections/", calendar_views.calendar_page, name="calendar"),
    path("overview/", overview_views.overview_page, name="overview"),
    path("registry/", registry_views.registry, name="registry"),
    path("registry/people/", registry_views.registry_person_add, name="registry-person-add"),
    path("registry/likenesses/", registry_views.registry_likeness_add, name="registry-likeness-add"),
    path("registry/import/", registry_views.registry_import_view, name="registry-import"),
    path("cases/<int:case_id>/extend/", views.case_extend_deadline, name="case-extend"),
    path("cases/<int:case_id>/outcome/", views.case_outcome, name="case-outcome"),
    path("appeals/<int:appeal_id>/decide/", views.appeal_decide_view, name="appeal-decide"),
    path("cases/<int:case_id>/assign/", views.case_assign_view, name="case-assign"),
    path("bulk/", views.cases_bulk_view, name="bulk"),
    path("reports/", views.reports_view, name="reports"),
]
