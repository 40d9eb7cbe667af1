"""URLs of the shop app."""

from django.urls import path

from . import views

urlpatterns = [path("products/", views.product_list, name="product-list")]
