"""Names kept in both languages (`name_zh`, `name_en`): the one the reader reads."""

from django.utils.translation import get_language


def reads_chinese() -> bool:
    return (get_language() or "").lower().startswith("zh")


def localised_name(obj) -> str:
    """`obj.name_zh` under Chinese, else `obj.name_en`; the other one when that one is empty."""
    chinese, english = getattr(obj, "name_zh", "") or "", getattr(obj, "name_en", "") or ""
    return (chinese or english) if reads_chinese() else (english or chinese)
