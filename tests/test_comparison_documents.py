"""The 通报 and the 反馈函 beside last year (a kept 2016 for the approved 2017 campaign): the units up and down most,
the items lost in both years, and a unit's 2016 score and rank, the change and its 整改 items not closed."""

from __future__ import annotations

import docx
import pytest
from history_helpers import keep_year
from rectify_helpers import approved_campaign
from test_approval import DEPT, POLICE
from test_comparison import _lost_ids, last_year

NOTICE = "reports/2017年度法治政府建设考核结果通报.docx"
LETTER = f"reports/反馈函/2017年度法治政府建设考核反馈函_{DEPT}.docx"


def text_of(path) -> str:
    return "\n".join(p.text for p in docx.Document(str(path)).paragraphs)


@pytest.fixture
def compared(cli, tmp_path):
    root = approved_campaign(cli, tmp_path)  # 2017: 区公安分局 1st, 区发改局 2nd of the departments
    return root


def test_without_a_kept_year_the_documents_say_nothing_of_last_year(cli, compared):
    assert cli("notice", "--no-pdf", "-w", compared).code == 0
    assert cli("feedback-letters", "--unit", DEPT, "--no-pdf", "-w", compared).code == 0
    assert "年度相比" not in text_of(compared / NOTICE) and "2016年度" not in text_of(compared / LETTER)


def test_the_notice_names_who_rose_and_fell_most_and_the_items_lost_twice(cli, compared):
    lost = _lost_ids(cli, compared)
    keep_year(compared, last_year(lost))  # 2016: 区发改局 1st, 区公安分局 2nd; 区发改局 lost the same items
    assert cli("notice", "--no-pdf", "-w", compared).code == 0
    text = text_of(compared / NOTICE)
    assert (f"与2016年度相比,区级各部门中名次上升最多的是{POLICE}(上升1位),下降最多的是{DEPT}(下降1位)。"
            in text), text
    assert f"连续两年失分的单位较多的项目是“{lost[0]} " in text and "(1个单位)" in text


def test_a_letter_gives_last_years_score_and_rank_the_items_lost_twice_and_what_is_not_closed(cli, compared):
    lost = _lost_ids(cli, compared)
    keep_year(compared, last_year(lost[:1]))
    assert cli("feedback-letters", "--unit", DEPT, "--no-pdf", "-w", compared).code == 0
    text = text_of(compared / LETTER)
    assert "你单位2016年度考核得分95.50分,在区级各部门中排名第1位;本年度名次下降1位。" in text, text
    assert f"“{lost[0]} " in text and "”连续两年失分,请作为整改重点" in text
    assert "2016年度的整改事项中,1.1尚未销号,请一并整改到位。" in text
    assert cli("feedback-letters", "--unit", POLICE, "--no-pdf", "-w", compared).code == 0
    police = text_of(compared / f"reports/反馈函/2017年度法治政府建设考核反馈函_{POLICE}.docx")
    assert "2016年度考核得分90.00分" in police and "本年度名次上升1位" in police and "尚未销号" not in police
