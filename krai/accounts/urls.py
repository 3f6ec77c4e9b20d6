"""Pages of accounts, mounted at /accounts/."""

from django.contrib.auth import views as auth_views
from django.urls import path

from krai.accounts import oidc
from krai.accounts.views import acting, auth, profile, residence

app_name = "accounts"

urlpatterns = [
    path("login/", auth.LoginView.as_view(), name="login"),
    path("login/verify/", auth.LoginVerifyView.as_view(), name="login-verify"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("register/", auth.register, name="register"),
    path("register/done/", auth.registered, name="registered"),
    path("confirm/resend/", auth.resend, name="confirm-resend"),
    path("confirm/again/", auth.resend_form, name="confirm-resend-form"),
    path("confirm/<str:token>/", auth.confirm, name="confirm"),
    path("password/reset/", auth.PasswordResetView.as_view(), name="password_reset"),
    path("password/reset/sent/", auth_views.PasswordResetDoneView.as_view(
        template_name="accounts/password_reset_done.html"), name="password_reset_done"),
    path("password/reset/<uidb64>/<token>/", auth.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("password/reset/complete/", auth_views.PasswordResetCompleteView.as_view(
        template_name="accounts/password_reset_complete.html"), name="password_reset_complete"),
    path("password/change/", auth.PasswordChangeView.as_view(), name="password_change"),
    path("profile/", profile.profile, name="profile"),
    path("profile/data.json", profile.data_export, name="data-export"),
    path("profile/delete/", profile.delete_account, name="delete"),
    path("profile/residence/", residence.residence, name="residence"),
    path("residence/", residence.residence_queue, name="residence-queue"),
    path("residence/<int:pk>/", residence.residence_review, name="residence-review"),
    path("residence/<int:pk>/<str:decision>/", residence.residence_decide, name="residence-decide"),
    path("two-factor/", profile.two_factor, name="two-factor"),
    path("two-factor/start/", profile.two_factor_start, name="two-factor-start"),
    path("two-factor/disable/", profile.two_factor_disable, name="two-factor-disable"),
    path("two-factor/backup-codes/", profile.backup_codes, name="backup-codes"),
    path("tokens/", profile.tokens, name="tokens"),
    path("tokens/<int:pk>/revoke/", profile.token_revoke, name="token-revoke"),
    path("acting/", acting.acting_home, name="acting"),
    path("acting/start/", acting.acting_start, name="acting-start"),
    path("acting/stop/", acting.acting_stop, name="acting-stop"),
    path("oidc/callback/", oidc.ProviderCallbackView.as_view(), name="oidc-callback"),
    path("oidc/<slug:slug>/login/", oidc.ProviderLoginView.as_view(), name="oidc-login"),
]
