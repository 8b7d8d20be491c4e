"""Synthetic datasets for load tests and benchmarks (`ocop synth`, used by `make bench`).

`generate(scale, seed)` writes, on the real places, producers, products, their certificate
histories since 2019, the councils, sessions, scorecards (with every answer) and results of the
evaluations held under 26/2026, and the provinces' yearly OCOP cycles — deterministically: the
same scale and seed give the same records (the clock is fixed by `today`, default 01/12/2026).

Every synthetic record is marked: producers and products are `is_illustrative`, their names
start with "TH " (tổng hợp), council users are `synth.*`, and the run is recorded in
`core.ReferenceDataset` as `synth:<scale>:<seed>` (with its counts), so a second run reuses it.
It writes through bulk paths (bulk_create in large batches; PostgreSQL COPY for the answers) and
one audit event per table and province, never through per-record services — except the cycles,
which are few and go through `programme.services.create_cycle`.
"""

from .generator import SCALES, Counts, generate, reset

__all__ = ["SCALES", "Counts", "generate", "reset"]
