"""Extract the per-star minimum criteria of Decision 26/2026/QĐ-TTg, Phụ lục II.

In the decision, an option followed by *** / **** / ***** is the minimum a product must reach on
that criterion for 3 / 4 / 5 stars ("Dấu sao là yêu cầu tối thiểu phải đạt theo các cấp độ sao").
The criteria JSON (src/ocop/evaluation/data/26-2026-bo-tieu-chi.json) was transcribed without these
marks; this script reads them from the decision's text and matches each marked option to the JSON
option of the same criterion with the same wording, then writes
src/ocop/evaluation/data/26-2026-star-minimums.json:

    {"<sheet code>": [{"stars": 4, "criterion": "1.5", "min_points": 2, "option": "<label>"}, …], …}

It refuses to write when a marked option cannot be matched exactly once. Run:

    .venv/bin/python scripts/extract_star_minimums.py \
        ../shared/reference/legal/26-2026-QD-TTg-phu-luc-II-bo-tieu-chi.txt
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "src" / "ocop" / "evaluation" / "data"
# "1. Bộ sản phẩm: Rau, củ, quả, hạt tươi", but also "12. Sản phẩm trà từ thực vật khác": a number
# (the next set's) and a name in lower case — criterion groups ("12. CƠ HỘI THỊ TRƯỜNG") are capitals.
SET_HEADING = re.compile(r"^(\d{1,2})\. (?:Bộ sản phẩm: )?(.+)$")
CRITERION = re.compile(r"^(\d+(?:\.\d+)*)\.?\s+\S")
MARK = re.compile(r"\s*(\*{3,5})\s*$")


def same(json_label: str, text: str) -> bool:
    """The JSON's label is the decision's option, sometimes with a note the parser appended."""
    a, b = norm(json_label), norm(text)
    return a == b or (a.startswith(b) and a[len(b) :].lstrip(" .;:").startswith("ghi chú"))


def norm(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    text = MARK.sub("", text)
    text = text.replace("*", "")
    return re.sub(r"[\s\u00a0]+", " ", text).strip(" .;:").lower()


def parse(path: Path) -> dict[int, list[tuple[str, str, int]]]:
    """{set number: [(criterion code, option text, stars)]} for every marked option."""
    marks: dict[int, list[tuple[str, str, int]]] = {}
    current_set = None
    code = None
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        heading = SET_HEADING.match(line)
        if (
            heading
            and int(heading.group(1)) == (current_set or 0) + 1
            and heading.group(2) != heading.group(2).upper()
            and (current_set is not None or "Bộ sản phẩm:" in line)
        ):
            current_set = int(heading.group(1))
            code = None
            continue
        if current_set is None:
            continue
        if line.startswith("□") or line.startswith("o "):  # one option is bulleted "o" in set 8
            text = line[1:].strip()
            found = MARK.search(text)
            if found:
                marks.setdefault(current_set, []).append((code, text, len(found.group(1))))
            continue
        crit = CRITERION.match(line)
        if crit and not line.startswith("|"):
            code = crit.group(1)
    return marks


def _options(sheet: dict) -> dict[str, list[tuple[str, float]]]:
    """{criterion code: [(option label, points)]} of one sheet of the JSON."""
    out: dict[str, list[tuple[str, float]]] = {}
    stack = [node for section in sheet["sections"] for node in section["criteria"]]
    while stack:
        node = stack.pop()
        out[node["code"]] = [(o["label"], o["points"]) for o in node["options"]]
        stack.extend(node["children"])
    return out


def main(argv: list[str]) -> int:
    legal = Path(argv[1])
    sheets = json.loads((DATA / "26-2026-bo-tieu-chi.json").read_text(encoding="utf-8"))
    marks = parse(legal)
    out: dict[str, list[dict]] = {}
    problems = []
    for number, sheet in enumerate(sheets, start=1):
        options = _options(sheet)
        rows = []
        for code, text, stars in marks.get(number, []):
            candidates = [
                (label, points)
                for c, opts in options.items()
                if c == code
                for label, points in opts
                if same(label, text)
            ]
            if len(candidates) != 1:
                # the marked line may sit under a sub-criterion whose code the text shows differently
                candidates = [
                    (c, label, points)
                    for c, opts in options.items()
                    if c == code or c.startswith(f"{code}.") or code.startswith(f"{c}.")
                    for label, points in opts
                    if same(label, text)
                ]
                if len(candidates) == 1:
                    code, label, points = candidates[0]
                    candidates = [(label, points)]
            if len(candidates) != 1:
                problems.append(f"set {number} criterion {code}: {len(candidates)} matches for {text[:70]!r}")
                continue
            label, points = candidates[0]
            rows.append({"stars": stars, "criterion": code, "min_points": points, "option": label})
        out[sheet["code"]] = rows
    total = sum(len(v) for v in marks.values())
    matched = sum(len(v) for v in out.values())
    print(f"{total} marked options in the decision, {matched} matched")
    if problems:
        print("\n".join(problems))
        return 1
    target = DATA / "26-2026-star-minimums.json"
    target.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"written {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
