from django.urls import path

from .views import boards as board_views
from .views import exam as exam_views
from .views import exports as export_views
from .views import judging as judging_views
from .views import live as live_views
from .views import pages
from .views import registration as registration_views
from .views import rounds as round_views
from .views import uploads as upload_views

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
    path("ky/<slug:slug>/vong-thi/", round_views.round_list, name="round_list"),
    path("ky/<slug:slug>/vong-thi/tao/", round_views.round_create, name="round_create"),
    path("ky/<slug:slug>/vong-thi/<slug:round_slug>/sua/", round_views.round_edit, name="round_edit"),
    path(
        "ky/<slug:slug>/vong-thi/<slug:round_slug>/dieu-khien/",
        round_views.round_control,
        name="round_control",
    ),
    path("ky/<slug:slug>/thi/<int:round_id>/", exam_views.round_page, name="exam_round"),
    path(
        "ky/<slug:slug>/thi/<int:round_id>/tep/<int:slot>/",
        upload_views.answer_file_upload,
        name="answer_file_upload",
    ),
    path(
        "ky/<slug:slug>/tep-bai-lam/<int:upload_id>/", upload_views.answer_file_download, name="answer_file"
    ),
    path("ky/<slug:slug>/truc-tiep/<int:round_id>/", live_views.live_play, name="live_play"),
    path("ky/<slug:slug>/truc-tiep/<int:round_id>/vao/", live_views.live_join, name="live_join"),
    path(
        "ky/<slug:slug>/vong-thi/<slug:round_slug>/dan-chuong-trinh/", live_views.live_host, name="live_host"
    ),
    path("ky/<slug:slug>/vong-thi/<slug:round_slug>/man-chieu/", live_views.live_screen, name="live_screen"),
    path(
        "ky/<slug:slug>/vong-thi/<slug:round_slug>/xep-hang/", board_views.round_ranking, name="round_ranking"
    ),
    path("ky/<slug:slug>/vong-thi/<slug:round_slug>/bang-diem/", board_views.board_page, name="round_board"),
    path("ky/<slug:slug>/xep-hang/", board_views.edition_ranking, name="edition_ranking"),
    path("ky/<slug:slug>/giai-thuong/", board_views.prizes_page, name="prizes"),
    path("bang-diem/<str:token>/", board_views.public_board_page, name="public_board"),
    path("ky/<slug:slug>/bai-lam/<int:attempt_id>/", exam_views.attempt_receipt, name="attempt_receipt"),
    # Results out (exports page, downloads, JSON API, personal API tokens, certificate check)
    path("ky/<slug:slug>/xuat-ket-qua/", export_views.exports_page, name="results_exports"),
    path("ky/<slug:slug>/xuat-ket-qua/<str:fmt>/", export_views.export_download, name="results_download"),
    path("api/v1/editions/<slug:slug>/results/", export_views.results_api, name="results_api"),
    path("tai-khoan/khoa-api/", export_views.token_list, name="api_tokens"),
    path("chung-nhan/<str:code>/", export_views.certificate_verify, name="certificate_verify"),
    path("ky/<slug:slug>/cham-thi/", judging_views.judging_index, name="judging_index"),
    path("ky/<slug:slug>/cham-thi/<slug:round_slug>/", judging_views.judging_round, name="judging_round"),
    path(
        "ky/<slug:slug>/cham-thi/<slug:round_slug>/bai/<int:attempt_id>/",
        judging_views.judging_sheet,
        name="judging_sheet",
    ),
    path(
        "ky/<slug:slug>/cham-thi/<slug:round_slug>/cham-tay/",
        judging_views.marking_queue,
        name="marking_queue",
    ),
    path("ky/<slug:slug>/cham-thi/<slug:round_slug>/dap-an/", judging_views.key_fixes, name="key_fixes"),
    path(
        "ky/<slug:slug>/cham-thi/<slug:round_slug>/phan-tich/",
        judging_views.item_analysis,
        name="item_analysis",
    ),
    path(
        "ky/<slug:slug>/cham-thi/<slug:round_slug>/khieu-nai/", judging_views.appeals, name="judging_appeals"
    ),
    path("ky/<slug:slug>/nhat-ky/", judging_views.audit_log, name="audit_log"),
    path("ky/<slug:slug>/ket-qua/<slug:round_slug>/", judging_views.own_result, name="own_result"),
]
