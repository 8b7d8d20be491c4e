from ninja import Schema


class ErrorItem(Schema):
    field: str | None = None
    message: str
    code: str | None = None


class Error(Schema):
    detail: str
    errors: list[ErrorItem] = []
