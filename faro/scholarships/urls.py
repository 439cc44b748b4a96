from django.urls import path

from faro.scholarships import views, views_decide, views_manage, views_review

app_name = "scholarships"
urlpatterns = [
    path("", views.calls, name="calls"),
    path("calls/<int:pk>/", views.call, name="call"),
    path("calls/<int:pk>/apply/", views.apply, name="application_create"),
    path("mine/", views.my_applications, name="my_applications"),
    path("applications/<int:pk>/", views.application, name="application"),
    path("applications/<int:pk>/documents/", views.upload_document, name="document_upload"),
    path("applications/<int:pk>/documents/<int:document_pk>/remove/", views.remove_document, name="document_remove"),
    path("applications/<int:pk>/withdraw/", views.withdraw, name="application_withdraw"),
    path("offers/<str:token>/", views.offer, name="offer"),
    path("documents/<int:pk>/", views_review.document, name="document"),
    path("endorsements/", views_review.endorsements, name="endorsements"),
    path("endorsements/<int:pk>/", views_review.endorse_call, name="call_endorsements"),
    path("endorsements/applications/<int:pk>/", views_review.endorse, name="application_endorse"),
    path("endorsements/<int:pk>/rank/<str:state>/", views_review.rank, name="ranking_edit"),
    path("reviews/", views_review.my_reviews, name="my_reviews"),
    path("reviews/<int:pk>/", views_review.review, name="review"),
    path("manage/", views_manage.manage_calls, name="manage_calls"),
    path("manage/new/", views_manage.call_edit, name="call_create"),
    path("manage/<int:pk>/", views_manage.manage_call, name="manage_call"),
    path("manage/<int:pk>/edit/", views_manage.call_edit, name="call_edit"),
    path("manage/<int:pk>/move-to-allocation/", views_decide.move_to_allocation, name="call_move_to_allocation"),
    path("manage/<int:pk>/publish-results/", views_decide.publish, name="results_publish"),
    path("manage/<int:pk>/<str:action>/", views_manage.call_action, name="call_action"),
    path("manage/applications/<int:pk>/file/", views_decide.application_file, name="application_file"),
    path("manage/applications/<int:pk>/reviewer/", views_manage.assign_reviewer, name="reviewer_assign"),
    path("manage/outcomes/<int:pk>/", views_manage.outcome_override, name="outcome_override"),
]
