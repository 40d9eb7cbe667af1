"""URLs of the django_shop example."""

from django.urls import include, path

urlpatterns = [path("", include("shop.urls"))]
