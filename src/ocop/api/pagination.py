from typing import Any

from django.conf import settings
from ninja import Field, Schema
from ninja.pagination import PaginationBase

from ocop.core.datacache import cached_count, list_key


class PageNumberPagination(PaginationBase):
    """`?page=N&page_size=M` (at most 500); answers count, page, page_size and items."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=1_000_000)
        page_size: int = Field(settings.OCOP_PAGE_SIZE, ge=1, le=500)

    class Output(Schema):
        count: int
        page: int
        page_size: int
        items: list[Any]

    items_attribute = "items"

    def paginate_queryset(self, queryset, pagination: Input, request=None, **params):
        offset = (pagination.page - 1) * pagination.page_size
        return {
            # Kept until the data changes (ocop.core.datacache), under the request's address,
            # filters and user.
            "count": cached_count(queryset, key=list_key(request) if request is not None else None),
            "page": pagination.page,
            "page_size": pagination.page_size,
            "items": list(queryset[offset : offset + pagination.page_size]),
        }
