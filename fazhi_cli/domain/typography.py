"""The punctuation of a 公文 (GB/T 15834 as GB/T 9704 applies it): full-width brackets and marks in Chinese text, a
文号 written 〔2018〕1号. Pure functions over text, applied to every value put into an official document."""

from __future__ import annotations

import re

_CJK = r"\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef“”‘’"
# a half-width mark with Chinese on either side becomes the full-width mark (a decimal point, a time's colon or
# a mark inside Latin text stays as it is)
_MARKS = {",": ",", ";": ";", ":": ":", "?": "?", "!": "!"}
_MARK_BESIDE_CHINESE = re.compile(rf"(?<=[{_CJK}])\s*([,;:?!])\s*|\s*([,;:?!])(?=[{_CJK}])")
# a year in brackets of any kind, then the number and 号, with stray spaces: the 文号 form 〔2018〕1号
# a range of numbers takes the wave dash (浪纹线, GB/T 15834 4.13.3): 80～90分
_NUMBER_RANGE = re.compile(r"(?<=\d)\s*[–~〜]\s*(?=\d)")
_DOCUMENT_NUMBER = re.compile(r"[〔\[【((［]\s*((?:19|20)\d{2})\s*[〕\]】))］]\s*(\d+)\s*号")


# an ASCII space between a number and Chinese (“扣 2 分”, “1 次”), which GB/T 9704 text does not have; the space after
# an item's number at the start of a quotation or a bracket (“2.2 服务群众”, “P1 行政决策违法”) stays
_SPACE_BEFORE_NUMBER = re.compile(rf"(?<=[{_CJK}]) +(?=\d)")
_SPACE_AFTER_NUMBER = re.compile(rf"(?<![A-Za-z\d.])(\d+(?:\.\d+)?) +(?=[{_CJK}])")


def _no_space_by_numbers(text: str) -> str:
    def after(match: re.Match) -> str:
        start = match.start()
        is_item_number = "." in match.group(1) and (start == 0 or text[start - 1] in "“(( ")
        return match.group(0) if is_item_number else match.group(1)

    return _SPACE_AFTER_NUMBER.sub(after, _SPACE_BEFORE_NUMBER.sub("", text))


def document_number(text: str) -> str:
    """Every 发文字号 in `text` written as GB/T 9704 has it: the year in 六角括号 with no inner spaces and no space
    before the number or 号 (“昭府法办[2018] 1 号” → “昭府法办〔2018〕1号”)."""
    return _DOCUMENT_NUMBER.sub(r"〔\1〕\2号", text)


def official_punctuation(text: str) -> str:
    """`text` as a 公文 prints it: round brackets full-width, the half-width , ; : ? ! beside Chinese full-width,
    a range of numbers with the wave dash, no space between a number and Chinese (but after an item's number), and
    every 文号 in the 〔2018〕1号 form."""
    text = _no_space_by_numbers(_NUMBER_RANGE.sub("～", document_number(text))).replace("(", "(").replace(")", ")")
    return _MARK_BESIDE_CHINESE.sub(lambda match: _MARKS[match.group(1) or match.group(2)], text)


TITLE_CHARACTERS = 20  # a 2号 (22 pt) title line on the 156 mm text block
# where a title breaks best, most preferred first: after the subject of the document, before what it is
_TITLE_BREAKS = ("考核", "建设", "年度")


def title_lines(title: str, width: int = TITLE_CHARACTERS) -> tuple[str, ...]:
    """A 公文 title broken into lines by meaning (GB/T 9704 7.3.1: 回行时要做到词意完整, 排列对称): one line when it
    fits, else two, broken after the first of `_TITLE_BREAKS` that leaves both lines within `width` (after the
    last one found), else in the middle, the first line the longer."""
    if _width(title) <= width:
        return (title,)
    for word in _TITLE_BREAKS:
        end = title.rfind(word)
        if end > 0:
            head, tail = title[:end + len(word)], title[end + len(word):]
            if tail and _width(head) <= width and _width(tail) <= width:
                return head, tail
    middle = (len(title) + 1) // 2
    return title[:middle], title[middle:]


def _width(text: str) -> float:
    return sum(0.5 if ord(c) < 0x2E80 else 1 for c in text)
