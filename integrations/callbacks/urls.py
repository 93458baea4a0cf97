from django.urls import path

from . import views

app_name = "callbacks"

urlpatterns = [
    path("deliveries/dead/", views.deliveries_dead_list, name="deliveries-dead"),
    path("deliveries/<int:delivery_id>/retry/", views.delivery_retry_view, name="delivery-retry"),
]
