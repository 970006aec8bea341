"""Builders for filled workbooks and the product's own expected numbers, shared by workbook tests."""

from __future__ import annotations

import random
import subprocess
from decimal import Decimal
from pathlib import Path

from fazhi_cli.domain import scoring
from fazhi_cli.domain.numbers import is_blank, parse_count, parse_decimal, parse_flag
from fazhi_cli.domain.rubric import Rubric
from fazhi_cli.workbook.filler import Answers


def varied_answers(rubric: Rubric, unit_type: str, seed: int) -> Answers:
    """Deterministic, varied facts and scores as numbers, some above the ceiling their facts imply."""
    rng = random.Random(seed)
    answers = Answers()
    type_rubric = rubric.for_type(unit_type)
    for item in type_rubric.items:
        for rule in item.rules:
            if rule.kind == "flag":
                answers.facts[rule.id] = rng.choice(["是", "否", "否", "否"])
            elif rule.kind == "count":
                answers.facts[rule.id] = rng.choice([0, 0, 0, 1, 2])
            else:
                for month in rule.month_ids():
                    answers.facts[month] = rng.choice([0, 1, 2, 2, 3])
        answers.scores[item.id] = float(item.max - Decimal(rng.choice([0, 0, 1, 2]))) if item.max > 2 else 1
        answers.notes[item.id] = rng.choice(["", "材料已报送", "=SUM(A1:A3)"])
    answers.facts["B2"] = rng.choice(["是", "否"])
    answers.facts["P1"] = rng.choice([0, 1])
    answers.facts["P2"] = 0
    return answers


def product_facts(answers: Answers) -> dict[str, bool | int]:
    """The facts as the scoring core reads them."""
    facts: dict[str, bool | int] = {}
    for key, raw in answers.facts.items():
        if is_blank(raw):
            continue
        facts[key] = parse_flag(raw) if raw in ("是", "否") else parse_count(raw)
    return facts


def product_numbers(rubric: Rubric, unit_type: str, answers: Answers) -> tuple[dict[str, Decimal], Decimal]:
    """Each item's ceiling and the total, as the product computes them from the unit's own facts."""
    facts = product_facts(answers)
    ceilings, effective = {}, []
    for item in rubric.for_type(unit_type).items:
        ceiling = scoring.item_ceiling(item, facts)
        ceilings[item.id] = ceiling
        raw = answers.scores.get(item.id)
        effective.append(scoring.effective_item_score(None if is_blank(raw) else parse_decimal(raw), ceiling))
    total = scoring.total_score(
        effective, scoring.special_bonus(rubric.special, facts), scoring.special_penalty(rubric.special, facts)
    )
    return ceilings, total


def libreoffice_convert(soffice: str, source: Path, out_dir: Path, profile: Path, to: str = "xlsx") -> Path:
    """Open and save `source` with LibreOffice headless (its own profile), returning the new file."""
    out_dir.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [soffice, "--headless", "--norestore", f"-env:UserInstallation=file://{profile}", "--convert-to", to,
         "--outdir", str(out_dir), str(source)],
        check=True, capture_output=True, timeout=180,
    )
    result = out_dir / (source.stem + "." + to.split(":")[0])
    assert result.is_file(), f"LibreOffice wrote no {result}"
    return result


_ENCRYPT_MACRO = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1" script:language="StarBasic">
Sub SaveEncrypted(source As String, target As String, filter As String, password As String)
  Dim load(0) As New com.sun.star.beans.PropertyValue
  load(0).Name = &quot;Hidden&quot;
  load(0).Value = True
  doc = StarDesktop.loadComponentFromURL(ConvertToURL(source), &quot;_blank&quot;, 0, load())
  Dim store(1) As New com.sun.star.beans.PropertyValue
  store(0).Name = &quot;FilterName&quot;
  store(0).Value = filter
  store(1).Name = &quot;Password&quot;
  store(1).Value = password
  doc.storeToURL(ConvertToURL(target), store())
  doc.close(True)
End Sub
</script:module>
"""
_FILTERS = {"xls": "MS Excel 97", "ods": "calc8"}


def libreoffice_encrypt(soffice: str, source: Path, target: Path, profile: Path, password: str = "fazhi") -> Path:
    """`source` saved by LibreOffice headless as an .xls or .ods (by `target`'s suffix) with a password to open it:
    a Basic macro in the private profile's own Standard library (trusted there) calls `storeToURL` with the
    `Password` property, which `--convert-to` cannot pass."""
    libreoffice_convert(soffice, source, profile.parent / "first-run", profile)  # the profile, made by LibreOffice
    (profile / "user" / "basic" / "Standard" / "Module1.xba").write_text(_ENCRYPT_MACRO, "utf-8")
    filter_name = _FILTERS[target.suffix.lstrip(".")]
    macro = f'macro:///Standard.Module1.SaveEncrypted("{source}","{target}","{filter_name}","{password}")'
    subprocess.run([soffice, "--headless", "--norestore", f"-env:UserInstallation=file://{profile}", macro],
                   check=True, capture_output=True, timeout=180)
    assert target.is_file(), f"LibreOffice wrote no {target}"
    return target
