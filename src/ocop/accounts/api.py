import datetime as dt

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from ocop.api.pagination import PageNumberPagination
from ocop.core.text import search_q

from . import selectors

router = Router(tags=["accounts"])


class AreaOut(Schema):
    id: int
    code: str
    name: str
    edition: str


class AssignmentOut(Schema):
    id: int
    role: str = Field(..., alias="role.code")
    role_name: str
    area: AreaOut | None = None
    valid_until: dt.date | None = None

    @staticmethod
    def resolve_role_name(obj) -> str:
        return str(obj.role)


class UserOut(Schema):
    id: int
    username: str
    full_name: str
    email: str
    organisation: str
    position: str
    is_active: bool
    role_assignments: list[AssignmentOut]


class MeOut(UserOut):
    permissions_scope: dict[str, list[str]]


@router.get("/me", response=MeOut, summary="The authenticated user, their roles and areas")
def me(request):
    user = request.user
    user.role_assignments_list = selectors.active_assignments(user)
    scopes: dict[str, list[str]] = {}
    for assignment in user.role_assignments_list:
        scopes.setdefault(assignment.role.code, []).append(assignment.area.path if assignment.area else "*")
    return {
        **{
            f: getattr(user, f)
            for f in ("id", "username", "full_name", "email", "organisation", "position", "is_active")
        },
        "role_assignments": user.role_assignments_list,
        "permissions_scope": scopes,
    }


class UserFilters(Schema):
    q: str | None = Field(None, max_length=200)
    is_active: bool | None = None


@router.get("/users", response=list[UserOut], summary="Users in the caller's scope")
@paginate(PageNumberPagination)
def list_users(request, filters: Query[UserFilters]):
    require_view_users(request)
    qs = selectors.users_for_list(request.user)
    qs = qs.filter(search_q("search_folded", filters.q))
    if filters.is_active is not None:
        qs = qs.filter(is_active=filters.is_active)
    return qs.order_by("username", "pk")


@router.get("/users/{id:user_id}", response=UserOut, summary="One user in the caller's scope")
def get_user(request, user_id: int):
    require_view_users(request)
    return get_object_or_404(selectors.users_for_list(request.user), pk=user_id)


def require_view_users(request) -> None:
    from django.core.exceptions import PermissionDenied

    if not selectors.has_perm(request.user, "accounts.view_user"):
        raise PermissionDenied
