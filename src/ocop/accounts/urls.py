from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("password/change/", views.PasswordChangeView.as_view(), name="password_change"),
    path("password/reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("password/reset/sent/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("password/reset/done/", views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("me/", views.ProfileView.as_view(), name="profile"),
    path("me/tokens/", views.TokenCreateView.as_view(), name="token_create"),
    path("me/tokens/<id:pk>/revoke/", views.TokenRevokeView.as_view(), name="token_revoke"),
    path("users/", views.UserListView.as_view(), name="user_list"),
    path("users/new/", views.UserCreateView.as_view(), name="user_create"),
    path("users/<id:pk>/", views.UserDetailView.as_view(), name="user_detail"),
    path("users/<id:pk>/edit/", views.UserEditView.as_view(), name="user_edit"),
    path("users/<id:pk>/active/", views.UserSetActiveView.as_view(), name="user_set_active"),
    path("users/<id:pk>/roles/", views.RoleGrantView.as_view(), name="role_grant"),
    path("roles/<id:pk>/revoke/", views.RoleRevokeView.as_view(), name="role_revoke"),
]
