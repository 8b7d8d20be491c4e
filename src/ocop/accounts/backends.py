from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied


class LockoutModelBackend(ModelBackend):
    """The model backend, refusing any password while the username is locked out."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        from .services import is_locked

        if username is None:
            username = kwargs.get("username")
        if username and is_locked(username):
            raise PermissionDenied("locked")
        return super().authenticate(request, username=username, password=password, **kwargs)
