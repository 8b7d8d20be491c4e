from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver


def client_ip(request) -> str | None:
    if request is None:
        return None
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
