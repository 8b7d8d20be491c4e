from ninja import Schema

# The largest id a query may carry (PostgreSQL's and SQLite's 64-bit integers).
MAX_ID = 2**63 - 1


class ErrorItem(Schema):
    field: str | None = None
    message: str
    code: str | None = None


class Error(Schema):
    detail: str
    errors: list[ErrorItem] = []
