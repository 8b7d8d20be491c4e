"""API for the criteria (rule versions and score sheets)."""

from ninja import Router

router = Router(tags=["criteria"])
