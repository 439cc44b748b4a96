from django.urls import path

from faro.portal import feeds, views, views_manage

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("news/", views.news_list, name="news"),
    path("news/feed/rss/", feeds.NewsRssFeed(), name="news_rss"),
    path("news/feed/atom/", feeds.NewsAtomFeed(), name="news_atom"),
    path("news/<slug:slug>/", views.news_detail, name="news_detail"),
    path("calendar/", views.calendar, name="calendar"),
    path("calendar.ics", views.calendar_ics, name="calendar_ics"),
    path("calendar/area/<int:pk>.ics", views.area_ics, name="area_ics"),
    path("calendar/my/<str:token>.ics", views.personal_ics, name="personal_ics"),
    path("catalogue/", views.catalogue, name="catalogue"),
    path("privacy/", views.privacy_notice, name="privacy"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="mail_unsubscribe"),
    path("me/preferences/", views.my_preferences, name="my_preferences"),
    path("me/data/", views.my_data, name="my_data"),
    path("me/data/export.json", views.my_data_export, name="my_data_export"),
    path("me/data/erase/", views.my_data_erase, name="my_data_erase"),
    path("me/calendar/renew/", views.my_calendar_renew, name="my_calendar_renew"),
    path("manage/news/", views_manage.news_posts, name="manage_news"),
    path("manage/news/new/", views_manage.news_edit, name="news_create"),
    path("manage/news/<int:pk>/", views_manage.news_edit, name="news_edit"),
    path("manage/mailings/", views_manage.mailings, name="manage_mailings"),
    path("manage/mailings/new/", views_manage.mailing_edit, name="mailing_create"),
    path("manage/mailings/events/", views_manage.delivery_events, name="manage_delivery_events"),
    path("manage/mailings/<int:pk>/", views_manage.mailing_detail, name="manage_mailing"),
    path("manage/mailings/<int:pk>/edit/", views_manage.mailing_edit, name="mailing_edit"),
    path("manage/mailings/<int:pk>/send/", views_manage.mailing_send, name="mailing_send"),
    path("manage/mailings/<int:pk>/test/", views_manage.mailing_test, name="mailing_test"),
    path("manage/mailings/<int:pk>/resume/", views_manage.mailing_resume, name="mailing_resume"),
    path("manage/mailings/<int:pk>/bounce/", views_manage.mailing_bounce, name="mailing_bounce"),
    path("manage/privacy/", views_manage.privacy, name="manage_privacy"),
    path("manage/people/<int:pk>/erase/", views_manage.person_erase, name="person_erase"),
]
