"""The Word templates of the evaluation documents (see build_templates.py)."""
