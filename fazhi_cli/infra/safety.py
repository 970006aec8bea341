"""Start-up safety checks."""

from __future__ import annotations

from fazhi_cli.errors import FazhiError


def require_defusedxml() -> None:
    """Refuse to run without defusedxml: openpyxl uses it, when installed, to refuse XML entity attacks."""
    try:
        import defusedxml  # noqa: F401
        from openpyxl.xml import DEFUSEDXML
    except ImportError:
        raise FazhiError(
            "缺少 defusedxml 组件,无法安全读取 Excel 文件", "请重新安装 fazhi:pip install fazhi。"
        ) from None
    if not DEFUSEDXML:
        raise FazhiError("openpyxl 未启用 defusedxml,无法安全读取 Excel 文件", "请重新安装 fazhi。")
