"""The limits a workspace may set in `[limits]` of fazhi.toml: read by `limits_from_settings` (pure domain)."""

from __future__ import annotations

import pytest

from fazhi_cli.domain.limits import LIMIT_LABELS, Limits, limits_from_settings


def test_no_settings_keep_every_default():
    assert limits_from_settings({}) == Limits()
    assert Limits().file_bytes == 20 * 1024 * 1024 and Limits().attachments == 50 and Limits().roster_rows == 2000


def test_a_setting_changes_only_its_own_limit():
    chosen = limits_from_settings({"attachments": 5, "cells": 1})
    assert (chosen.attachments, chosen.cells) == (5, 1)
    assert chosen.sheets == Limits().sheets and chosen.file_bytes == Limits().file_bytes
    assert limits_from_settings({"members": 10**12}).members == 10**12  # the largest accepted


def test_every_limit_has_a_chinese_label():
    assert set(LIMIT_LABELS) == set(vars(Limits()))
    assert LIMIT_LABELS["attachments"] == "每封邮件附件数"


def test_an_unknown_setting_is_named_with_the_ones_there_are():
    with pytest.raises(ValueError) as refused:
        limits_from_settings({"attachment": 5})
    message = str(refused.value)
    assert message.startswith("[limits] 中没有“attachment”这一项(可设置:")
    assert "attachments" in message and "roster_rows" in message


@pytest.mark.parametrize("value", [0, -1, 10**12 + 1, True, False, 1.5, "5", None])
def test_a_value_that_is_not_a_whole_number_from_1_to_10_12_is_named(value):
    with pytest.raises(ValueError) as refused:
        limits_from_settings({"sheets": value})
    assert str(refused.value) == (
        f"[limits] 中 sheets(工作簿工作表数)应为 1 至 1000000000000 之间的整数,现为“{value}”")
