from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver


def client_ip(request) -> str | None:
    """The client's address; behind a trusted proxy, the last hop it added to X-Forwarded-For."""
    from django.conf import settings

    if request is None:
        return None
    if settings.OCOP_TRUST_X_FORWARDED_FOR:
        forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if p.strip()]
        if forwarded:
            return forwarded[-1]
    return request.META.get("REMOTE_ADDR")


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs):
    from .services import register_failure

    register_failure(credentials.get("username"), client_ip(request))


@receiver(user_logged_in)
def on_logged_in(sender, request, user, **kwargs):
    from .services import register_success

    register_success(user, client_ip(request))


@receiver(user_logged_out)
def on_logged_out(sender, request, user, **kwargs):
    from .services import record_logout

    if user is not None:
        record_logout(user, client_ip(request))
