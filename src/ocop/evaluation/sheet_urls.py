"""Routes of the criteria screens (rule versions, score sheets, import and export)."""

urlpatterns: list = []
