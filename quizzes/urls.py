from django.urls import path

from .views import banks, media, questions, transfer

app_name = "quizzes"
urlpatterns = [
    path("ky/<slug:slug>/", banks.bank_list, name="bank_list"),
    path("mau-cau-hoi.xlsx", transfer.spreadsheet_template, name="template"),
    path("<int:bank_id>/", banks.bank_detail, name="bank_detail"),
    path("<int:bank_id>/hang-loat/", banks.bulk_action, name="bulk_action"),
    path("<int:bank_id>/cau-hoi/moi/", questions.question_create, name="question_create"),
    path("<int:bank_id>/cau-hoi/<int:question_id>/", questions.question_edit, name="question_edit"),
    path("<int:bank_id>/xem-truoc/", questions.question_preview, name="question_preview"),
    path("<int:bank_id>/nhap/", transfer.import_upload, name="import_upload"),
    path("<int:bank_id>/nhap/xem-truoc/", transfer.import_preview, name="import_preview"),
    path("<int:bank_id>/xuat/<str:fmt>/", transfer.export_bank, name="export"),
    path("<int:bank_id>/anh/", media.media_upload, name="media_upload"),
    path("media/<int:bank_id>/<str:sha256>/", media.media_view, name="media"),
]
