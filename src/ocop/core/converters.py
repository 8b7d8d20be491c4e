"""URL converters. `id` is a positive database id of at most 18 digits: a longer number cannot be
a row id and would overflow the database's integer (a 500 instead of a 404)."""

from django.urls import register_converter


class IdConverter:
    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(int(value))


register_converter(IdConverter, "id")
