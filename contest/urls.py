from django.urls import path

from .views import pages

urlpatterns = [
    path("", pages.home, name="home"),
    path("bang-dieu-khien/", pages.dashboard, name="dashboard"),
    path("ky/<slug:slug>/", pages.edition_overview, name="edition_overview"),
]
