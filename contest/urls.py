from django.urls import path

from .views import pages
from .views import registration as registration_views

urlpatterns = [
    path("", pages.home, name="home"),
    path("bang-dieu-khien/", pages.dashboard, name="dashboard"),
    path("ky/<slug:slug>/", pages.edition_overview, name="edition_overview"),
    path("ky/<slug:slug>/don-vi/", registration_views.unit_list, name="unit_list"),
    path("ky/<slug:slug>/thi-sinh/", registration_views.registration_list, name="registration_list"),
    path("ky/<slug:slug>/doi-thi/", registration_views.team_list, name="team_list"),
    path(
        "ky/<slug:slug>/thi-sinh/mau.xlsx", registration_views.import_template, name="registration_template"
    ),
    path("ky/<slug:slug>/thi-sinh/nhap/", registration_views.import_upload, name="registration_import"),
    path(
        "ky/<slug:slug>/thi-sinh/nhap/xac-nhan/",
        registration_views.import_confirm,
        name="registration_import_confirm",
    ),
    path(
        "ky/<slug:slug>/thi-sinh/in-lai-phieu/", registration_views.reprint_slips, name="registration_reprint"
    ),
]
