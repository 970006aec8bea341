"""A small rubric as plain data (as a YAML file would hold it), for the pure-domain tests."""

from __future__ import annotations

import copy

from fazhi_cli.domain.rubric import Rubric, build_rubric

SMALL = {
    "id": "small-2017",
    "version": "1",
    "title": "小评分细则",
    "source": "测试",
    "year": 2017,
    "unit_types": {
        "department": {
            "label": "区级各部门",
            "attachment": "附件3",
            "total": 20,
            "sections": [{
                "id": "1", "numeral": "一", "name": "决策", "max": 20,
                "items": [
                    {"id": "1.1", "name": "决策程序", "max": 10, "content": "遵守程序", "standard": "按规定扣分",
                     "rules": [{"id": "1.1a", "kind": "flag", "text": "未建立制度", "points": 2},
                               {"id": "1.1b", "kind": "count", "text": "被通报", "per": 3}]},
                    {"id": "1.2", "name": "信息报送", "max": 5, "content": "报送信息",
                     "rules": [{"id": "1.2a", "kind": "monthly", "text": "信息", "quota": 2, "per": 0.2}]},
                    {"id": "1.3", "name": "培训", "max": 5, "content": "开展培训"},
                ],
            }],
        },
        "township": {
            "label": "各乡镇(街道)",
            "total": 10,
            "sections": [{
                "id": "1", "numeral": "一", "name": "决策", "max": 10,
                "items": [{"id": "1.1", "name": "决策程序", "max": 10, "content": "遵守程序",
                           "rules": [{"id": "1.1a", "kind": "flag", "text": "未建立制度", "points": 2}]}],
            }],
        },
    },
    "special": {
        "standard_bonus": "加分标准",
        "standard_penalty": "扣分标准",
        "bonus": [{"id": "B1", "kind": "flag", "text": "省级示范", "points": 5},
                  {"id": "B2", "kind": "flag", "text": "市级示范", "points": 3}],
        "penalty": [{"id": "P1", "kind": "count", "text": "违法", "per": 2},
                    {"id": "P2", "kind": "count", "text": "不良后果", "per": 5}],
    },
    "tasks": [
        {"number": 1, "section": "一", "section_title": "总体", "title": "学习", "text": "学习贯彻",
         "responsible_text": "区级各部门", "responsible": ["区级各部门"]},
        {"number": 2, "section": "一", "section_title": "总体", "title": "审批", "text": "深化改革",
         "responsible_text": "区发改局", "responsible": ["区发改局"]},
        {"number": 3, "section": "二", "section_title": "乡镇", "title": "基层", "text": "基层治理",
         "responsible_text": "各乡镇(街道)", "responsible": ["各乡镇(街道)"]},
    ],
    "targets": {"department": [{"number": 1, "item": "决策", "content": "依法决策"}]},
}


def small_data() -> dict:
    """A fresh deep copy of the small rubric's data (tests may break it)."""
    return copy.deepcopy(SMALL)


def small_rubric() -> Rubric:
    return build_rubric(small_data())
