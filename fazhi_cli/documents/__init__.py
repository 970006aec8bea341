"""The official documents (公文): the 通报 / 请示 of the results and each unit's 反馈函, as Word documents
laid out to GB/T 9704-2012 (`layout`, the shipped templates' builder), filled with docxtpl (`render`),
worded by `domain.notice_text` (`official`), with PDF copies from LibreOffice (`pdf`). `state` is where
they learn whether the results are approved."""

from fazhi_cli.documents.official import LetterFiles, NoticeFile, write_documents, write_letters, write_notice

__all__ = ["LetterFiles", "NoticeFile", "write_documents", "write_letters", "write_notice"]
