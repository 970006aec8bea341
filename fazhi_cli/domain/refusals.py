"""Why a returned file was not taken: one stable code per situation, each with its Chinese message template.

Intake (sniffing, limits, containers, paths) and ingest (identity, roster, content) refuse files; a refusal
is data, as a validation finding is: a `code` that scripts and tests rely on (it is the `files.code`
column and the `code` of a refused file's finding in `fazhi validate --json`), and a `message` the clerk
can forward to the unit, rendered from the code's template. Every template names the file (`{name}`, or
`{path}` for a path the clerk gave) and says what to do.

The fields are filled by the caller with display text: `{name}` already made printable, `{limit}` the
limit's phrase (“超过“每封邮件附件数”上限 50”), sizes in MB. `refusal` refuses an unknown code, a missing
field and an unexpected one, so that a message can never show an unfilled `{field}`.

A few templates are for paths passed over without being read (`symlink`, `not_regular_file`): not a
refusal of a unit's file, but the same kind of text, kept here with the rest.
"""

from __future__ import annotations

import string
from dataclasses import dataclass

_USE_THE_FORM = "请在下发的自评表中填写后报送,不要粘贴大量数据、添加工作表或改用其他软件生成。"
_SAVE_AGAIN = "请用 Excel 或 WPS 打开确认无误后重新保存,再报送。"

TEMPLATES: dict[str, str] = {
    # --- what the bytes are: not a workbook fazhi can read ---------------------------------------------------------
    "empty": "「{name}」是空文件(0 字节),可能保存或传输失败。请重新保存后报送。",
    "encrypted": "「{name}」已加密(设有打开密码),无法读取。请取消密码后重新保存为 .xlsx 再报送。",
    "legacy_format": (
        "「{name}」是非标准格式的 Excel 文件(如 .xlsb 二进制工作簿或 Excel 2003 XML 表格),无法读取。"
        "请用 Excel 或 WPS 打开后“另存为”Excel 工作簿(.xlsx)再报送。"
    ),
    "unreadable_spreadsheet": (
        "「{name}」是 .xls、.et 或 .ods 格式的表格,但无法读取(可能已损坏或设有打开密码)。"
        "请用 Excel 或 WPS 打开,取消密码后“另存为”Excel 工作簿(.xlsx)再报送。"
    ),
    "web_page": (
        "「{name}」实际是网页文件(只是扩展名像 Excel),不是 Excel 工作簿。"
        "请报送下发的原始 .xlsx 自评表,不要“另存为网页”或修改扩展名。"
    ),
    "text_file": (
        "「{name}」实际是文本或 CSV 文件,不是 Excel 工作簿。"
        "请在下发的 .xlsx 自评表中填写后直接保存报送,不要导出为 CSV 或修改扩展名。"
    ),
    "other_archive": (
        "「{name}」是 RAR、7z、gzip 或 tar 等格式的压缩包,无法解压。"
        "请改用 .zip 格式压缩后报送,或直接报送 .xlsx 自评表。"
    ),
    "outlook_msg": (
        "「{name}」是 Outlook 邮件文件(.msg),无法读取。请在 Outlook 中把附件另存出来,或把邮件另存为 .eml 后导入。"
    ),
    "outlook_winmail": (
        "「{name}」是 Outlook 专用格式的附件包,无法读取。请联系报送单位以普通附件方式(非 RTF 格式邮件)重新发送。"
    ),
    "not_a_workbook": "「{name}」无法识别为 Excel 工作簿。请报送下发的 .xlsx 自评表。",
    # --- a workbook damaged or unsafe, judged at the zip level before any parser ---------------------------------
    "truncated": f"「{{name}}」文件已损坏或不完整(可能保存或传输中断),无法打开。{_SAVE_AGAIN}",
    "damaged": f"「{{name}}」文件已损坏(内部数据校验失败),无法读取。{_SAVE_AGAIN}",
    "missing_parts": "「{name}」不是完整的 Excel 工作簿(缺少工作簿部件)。请用 Excel 或 WPS 另存为 .xlsx 后报送。",
    "workbook_bomb": (
        "「{name}」内部数据异常,疑似压缩炸弹({reason}),未予读取。请在下发的自评表中重新填写后报送。"
    ),
    "part_too_large": f"「{{name}}」中的内部部件「{{part}}」解压后为 {{size}} MB,{{limit}},未予读取。{_USE_THE_FORM}",
    "over_limit": f"「{{name}}」{{limit}},未予读取。{_USE_THE_FORM}",
    "unsafe_encoding": (
        "「{name}」文件内容不安全或已损坏(内部部件「{part}」使用了 Excel 不会生成的文字编码),"
        f"未予读取。{_USE_THE_FORM}"
    ),
    "unsafe_dtd": (
        "「{name}」文件内容不安全或已损坏(内部部件「{part}」含有 Excel 不会生成的文档类型声明 DTD),"
        f"未予读取。{_USE_THE_FORM}"
    ),
    # --- sizes and nesting -------------------------------------------------------------------------------------------
    "too_large": (
        "「{name}」过大({size} MB),{limit},未予读取。请确认是否选错了文件;自评表请单独报送,不要嵌入大图片或附件。"
    ),
    "zip_bomb": (
        "「{name}」疑似压缩炸弹({reason}),未予解压。请直接报送 Excel 自评表,或只把自评表放入压缩包后重新压缩报送。"
    ),
    "too_deep": (
        "「{name}」是多层嵌套的压缩包或邮件(压缩包里套压缩包),未予解压。"
        "请把 Excel 自评表直接放入一个压缩包,或直接作为附件报送。"
    ),
    "too_many_attachments": (
        "「{name}」{count},{limit},整封邮件未予读取。"
        "请联系报送单位只把自评表(及必要的佐证材料)作为附件重新发送,材料较多时请打包为一个 .zip。"
    ),
    "too_many_messages": (
        "「{name}」是邮箱文件(mbox),含 {count} 封邮件,{limit},整个文件未予读取。"
        "请只导出报送自评表的邮件(.eml),或分成几个较小的邮箱文件后导入。"
    ),
    # --- zip archives ------------------------------------------------------------------------------------------------
    "archive_damaged": "「{name}」压缩包已损坏或不完整(可能传输中断),无法解压。请重新压缩后报送。",
    "archive_empty": "「{name}」压缩包中没有可读取的文件。请把自评表放入压缩包后重新报送。",
    "archive_password": "「{name}」在压缩包中设有密码,无法解压。请去掉压缩包密码后重新报送。",
    "archive_method": (
        "「{name}」使用了不支持的压缩方式,无法解压。请用常用压缩软件的默认 ZIP 格式重新压缩后报送。"
    ),
    "member_damaged": "「{name}」在压缩包中已损坏,无法解压。请重新压缩后报送。",
    # --- e-mail ------------------------------------------------------------------------------------------------------
    "mail_unreadable": "「{name}」不是有效的邮件文件或已损坏,无法读取。请从邮箱重新导出该邮件(.eml)。",
    "mail_truncated": "「{name}」邮件不完整(可能导出或传输时被截断)。请从邮箱重新导出该邮件(.eml)。",
    "mail_no_attachment": "「{name}」邮件中没有附件。请联系报送单位把自评表作为附件重新发送。",
    "attachment_damaged": "「{name}」在邮件中已损坏或不完整,无法读取。请联系报送单位重新发送。",
    # --- paths the clerk named or a folder held ----------------------------------------------------------------------
    "path_missing": "「{path}」不存在(或是失效的快捷方式)。请检查文件路径。",
    "path_vanished": "「{path}」在导入过程中被删除或移动,未予读取。请检查后重新导入。",
    "path_unreadable": "「{path}」无法读取({reason})。请检查文件是否被占用或没有访问权限。",
    "symlink": (
        "符号链接,未跟随:{path}(指向 {target})。只导入文件夹中实际存放的文件;"
        "如确需导入其指向的文件,请在命令中直接指定该文件。"
    ),
    "not_regular_file": "不是普通文件(管道、套接字或设备),未予读取:{path}。请指定要导入的文件或文件夹。",
    # --- a workbook read, but not one this campaign can take ---------------------------------------------------------
    "unreadable": "「{name}」{detail}。请重新保存为 .xlsx 后报送。",
    "corrupt": (
        "「{name}」内部数据损坏或格式异常,读取时出错,未予收取。"
        "请用 Excel 或 WPS 打开确认无误后“另存为”.xlsx,再重新报送。"
    ),
    "not_a_form": (
        "「{name}」不是本次考核下发的自评表(找不到表内的身份信息)。"
        "请使用法制办下发的自评表填写,不要把内容复制到新建的文件中。"
    ),
    "foreign_campaign": "「{name}」是“{other}”的{form},不属于本次“{campaign}”。请使用本次下发的{form}填报。",
    "identity_unverified": (
        "「{name}」自称“{unit}”的自评表,但表内身份信息的校验码与本工作区不符(身份信息被改动,"
        "或不是本工作区下发的表格),暂不计入,待法制办确认。请与该单位核实,必要时请其使用下发的原表重新报送;"
        "核实后用 fazhi accept 或 fazhi reject 处理(编号见 fazhi files)。"
    ),
    "identity_conflict": (
        "「{name}」的身份是“{unit}”的自评表,但{evidence}:暂不计入,待法制办确认。"
        "请与两个单位核实后用 fazhi accept(计入“{unit}”)或 fazhi reject(不予采用)处理(编号见 fazhi files)。"
    ),
    "sender_off_roster": (
        "「{name}」是“{unit}”的自评表,但发件地址({sender})不是单位名单中“{unit}”的邮箱,而该单位已从本单位邮箱"
        "报送了「{current}」:暂不替换,待法制办确认。请与“{unit}”核实后用 fazhi accept 编号 --reason 理由"
        "(采用本文件)或 fazhi reject 编号 --reason 理由(不予采用)处理(编号见 fazhi files)。"
    ),
    "rubric_mismatch": (
        "「{name}」使用的评分细则({found})与本次考核({expected})不一致。请使用本次下发的自评表重新填报。"
    ),
    "unknown_unit": "「{name}」的填报单位“{unit}”不在本次考核的单位名单中。请与法制办联系核实单位名称。",
    "unit_type_mismatch": "「{name}」的单位类型与名单不符(名单中“{unit}”为{type_label})。请与法制办联系。",
    "structure": "「{name}」{detail}。请使用下发的原表填报,不要删除或改名工作表。",
    "unfilled": "「{name}」未填写(与下发的空白自评表相同,没有任何填报内容),未予收取。请填写后重新报送。",
    "material_alone": (
        "「{name}」不是自评表(Excel 工作簿),已存档。如为佐证材料,请与本单位自评表放在同一封邮件或同一个压缩包中报送。"
    ),
    # --- the office's review sheet (复核打分表) -------------------------------------------------------------------
    "review_not_named": (
        "「{name}」是复核打分表,但它来自{origin},未采用:复核打分表只在法制办直接指定该文件时收取"
        "(fazhi ingest 文件路径),不从邮件、压缩包或文件夹中收取。如需采用,请用 fazhi ingest 直接指定该文件。"
    ),
    "review_forged": (
        "「{name}」自称复核打分表,但校验码与本工作区不符(身份信息被改动,或不是本工作区生成的),未采用。"
        "请用 fazhi review-sheet 重新生成复核打分表后填写。"
    ),
    "foreign_review": (
        "「{name}」是其他考核的复核打分表,未采用。请用 fazhi review-sheet 生成本次考核的复核打分表后填写。"
    ),
    "review_unreadable": "「{name}」{detail}。请用 fazhi review-sheet 重新生成复核打分表后填写。",
    "review_duplicate_rows": (
        "「{name}」中同一单位同一编号有不止一行:{rows}。不知以哪一行为准,整张表未采用。"
        "请删去重复的行(或用 fazhi review-sheet 重新生成复核打分表后填写),再用 fazhi ingest 收回。"
    ),
    "review_outdated": (
        "「{name}」是旧版(每个单位一行)的复核打分表,未采用。复核打分表已改为每个单位每个项目一行,只填写核定得分和核定理由:"
        "请用 fazhi review-sheet 重新生成复核打分表,把核定的得分和理由填入新表后再收回。"
    ),
    # --- the office's ledger (台账) ------------------------------------------------------------------------------
    "ledger_not_named": (
        "「{name}」是法制办台账,但它来自{origin},未采用:台账只在法制办直接指定该文件时收取"
        "(fazhi ingest 文件路径),不从邮件、压缩包或文件夹中收取。如需采用,请用 fazhi ingest 直接指定该文件。"
    ),
    "ledger_forged": (
        "「{name}」自称法制办台账,但校验码与本工作区不符(身份信息被改动,或不是本工作区生成的),未采用。"
        "请用 fazhi ledger 重新生成台账后填写。"
    ),
    "ledger_unreadable": "「{name}」{detail}。请用 fazhi ledger 重新生成台账后填写。",
    # --- the office's component sheet (评分构成表) -------------------------------------------------------------------
    "component_not_named": (
        "「{name}」是评分构成表,但它来自{origin},未采用:评分构成表只在法制办直接指定该文件时收取"
        "(fazhi ingest 文件路径),不从邮件、压缩包或文件夹中收取。如需采用,请用 fazhi ingest 直接指定该文件。"
    ),
    "component_forged": (
        "「{name}」自称评分构成表,但校验码与本工作区不符(身份信息被改动,或不是本工作区生成的),未采用。"
        "请用 fazhi component-sheet 重新生成评分构成表后填写。"
    ),
    "component_unknown": (
        "「{name}」是评分构成“{component}”的评分构成表,但 fazhi.toml 现在没有设置这项评分构成,未采用。"
        "请先用 fazhi config set 评分构成.{component} 权重 设置,再收回该表。"
    ),
    "component_unreadable": "「{name}」{detail}。请用 fazhi component-sheet 重新生成评分构成表后填写。",
    # --- a unit's 整改 workbook (整改清单) ---------------------------------------------------------------------------
    "rectify_unverified": (
        "「{name}」自称“{unit}”的整改清单,但表内身份信息的校验码与本工作区不符(身份信息被改动,"
        "或不是本工作区下发的整改清单),暂不计入,待法制办确认。请与该单位核实,必要时请其使用下发的整改清单重新报送;"
        "核实后用 fazhi accept 或 fazhi reject 处理(编号见 fazhi files)。"
    ),
    "rectify_unknown_unit": (
        "「{name}」是“{unit}”的整改清单,但该单位不在本次考核的单位名单中,未予收取。请与法制办联系核实单位名称。"
    ),
    "rectify_not_approved": (
        "「{name}」是整改清单,但本次考核结果现在不是审定结果(审定后已重新打开),未予收取。"
        "结果重新审定后,请用 fazhi rectify generate 生成当前的整改清单发给单位,请单位使用当前的整改清单填报。"
    ),
    "rectify_outdated": (
        "「{name}」是按此前一次审定的考核结果生成的整改清单,考核结果其后已重新审定,未予收取。"
        "请用 fazhi rectify generate 生成当前的整改清单发给“{unit}”,请该单位使用当前的整改清单重新填报。"
    ),
    "rectify_owes_nothing": (
        "「{name}」是“{unit}”的整改清单,但按审定的考核结果该单位没有失分项目,无需整改,未予收取。"
        "如有疑问请与法制办联系。"
    ),
    "rectify_unreadable": (
        "「{name}」{detail}。请使用法制办下发的整改清单填写,不要删除或改名工作表、改动表头,再重新报送。"
    ),
    "rectify_identity_conflict": (
        "「{name}」的身份是“{unit}”的整改清单,但{evidence}:暂不计入,待法制办确认。"
        "请与两个单位核实后用 fazhi accept(计入“{unit}”)或 fazhi reject(不予采用)处理(编号见 fazhi files)。"
    ),
    "rectify_sender_off_roster": (
        "「{name}」是“{unit}”的整改清单,但发件地址({sender})不是单位名单中“{unit}”的邮箱,而该单位已从本单位邮箱"
        "报送了「{current}」:暂不替换,待法制办确认。请与“{unit}”核实后用 fazhi accept 编号 --reason 理由"
        "(采用本文件)或 fazhi reject 编号 --reason 理由(不予采用)处理(编号见 fazhi files)。"
    ),
    # --- the office's 整改复核表 (销号) ---------------------------------------------------------------------------
    "rectify_review_not_named": (
        "「{name}」是整改复核表,但它来自{origin},未采用:整改复核表只在法制办直接指定该文件时收取"
        "(fazhi ingest 文件路径),不从邮件、压缩包或文件夹中收取。如需采用,请用 fazhi ingest 直接指定该文件。"
    ),
    "rectify_review_forged": (
        "「{name}」自称整改复核表,但校验码与本工作区不符(身份信息被改动,或不是本工作区生成的),未采用。"
        "请用 fazhi rectify review-sheet 重新生成整改复核表后填写。"
    ),
    "rectify_review_outdated": (
        "「{name}」是按另一次审定结果生成的整改复核表(结果审定后又重新打开或重新审定过),未采用。"
        "请用 fazhi rectify review-sheet 按现行审定结果重新生成整改复核表,把销号和复核意见填入新表后再收回。"
    ),
    "rectify_review_unreadable": "「{name}」{detail}。请用 fazhi rectify review-sheet 重新生成整改复核表后填写。",
    "rectify_review_duplicate_rows": (
        "「{name}」中同一单位同一编号有不止一行:{rows}。不知以哪一行为准,整张表未采用。"
        "请删去重复的行(或用 fazhi rectify review-sheet 重新生成整改复核表后填写),再用 fazhi ingest 收回。"
    ),
}

CODES = frozenset(TEMPLATES)


@dataclass(frozen=True)
class Refusal:
    """One refusal: its stable code and the Chinese message rendered from the code's template."""

    code: str
    message: str

    def __str__(self) -> str:
        return self.message


def template_fields(code: str) -> frozenset[str]:
    """The names of the fields a code's template needs."""
    return frozenset(field for _, field, _, _ in string.Formatter().parse(TEMPLATES[code]) if field)


def refusal(code: str, **fields: object) -> Refusal:
    """The refusal for `code`, its template filled with `fields` (display text, already made printable).

    Raises ValueError for an unknown code, a missing field or one the template does not use: a mistake in
    the calling code, never in the data.
    """
    if code not in TEMPLATES:
        raise ValueError(f"unknown refusal code {code!r}")
    wanted = template_fields(code)
    if set(fields) != wanted:
        raise ValueError(f"refusal {code!r} takes the fields {sorted(wanted)}, not {sorted(fields)}")
    return Refusal(code, TEMPLATES[code].format_map(fields))


def spreadsheet_refusal(code: str, name: str) -> Refusal:
    """The refusal of an .xls/.et/.ods no reader can open (`workbook.reader.RefusedWorkbook`'s `code`): encrypted, or
    else unreadable, each saying how to save the file again."""
    return refusal("encrypted", name=name) if code == "encrypted" else refusal("unreadable_spreadsheet", name=name)
