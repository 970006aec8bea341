"""The official documents (公文): the 通报 / 请示 of the results and each unit's 反馈函, as Word documents
laid out to GB/T 9704-2012 (`layout`, the shipped templates' builder), filled with docxtpl (`render`),
worded by `domain.notice_text` (`official`), and the 整改情况通报 (`rectify_notice`, worded by
`domain.rectify_text`), with PDF copies from LibreOffice (`pdf`). `state` is where
they learn whether the results are approved."""

from fazhi_cli.documents.official import LetterFiles, NoticeFile, write_documents, write_letters, write_notice
from fazhi_cli.documents.rectify_notice import RectifyNoticeFile, write_rectify_notice

__all__ = ["LetterFiles", "NoticeFile", "RectifyNoticeFile", "write_documents", "write_letters", "write_notice",
           "write_rectify_notice"]
