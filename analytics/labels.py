"""What a person reads for a group, a route or a status, in the active language.

The selectors' answers are cached for every reader, so they keep machine keys and English labels;
the dashboard and the exports relabel them here when they render (names of places come from
agri_platform.reference.l10n: CLDR countries, Sichuan prefectures, UN/LOCODEs).
"""

from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from agri_platform.reference import l10n
from agri_platform.reference.choices import ExportCategory
from enterprises.models import Enterprise

from .choices import GroupBy

TOTAL_KEY = "TOTAL"

# Country.groups: the trade blocs a market belongs to (regions overlap).
REGION_NAMES = {
    "ASEAN": _("ASEAN"),
    "EAC": _("East African Community"),
    "EAEU": _("Eurasian Economic Union"),
    "ECOWAS": _("ECOWAS"),
    "EU": _("European Union"),
    "GCC": _("Gulf Cooperation Council"),
    "RCEP": _("RCEP"),
    "SCO": _("Shanghai Cooperation Organisation"),
    "WAEMU": _("West African Economic and Monetary Union"),
}

# certification.choices.ApplicationStatus values (analytics keeps them as plain strings).
APPLICATION_STATUS_NAMES = {
    "draft": pgettext_lazy("application status", "Draft"),
    "submitted": pgettext_lazy("application status", "Submitted"),
    "under_review": pgettext_lazy("application status", "Under review"),
    "changes_requested": pgettext_lazy("application status", "Changes requested"),
    "approved": pgettext_lazy("application status", "Approved"),
    "rejected": pgettext_lazy("application status", "Rejected"),
    "withdrawn": pgettext_lazy("application status", "Withdrawn"),
}

TARGET_STATUS_NAMES = {
    "met": pgettext_lazy("target status", "met"),
    "missed": pgettext_lazy("target status", "missed"),
    "open": pgettext_lazy("target status", "in progress"),
}
UNIT_NAMES = {
    "enterprises": pgettext_lazy("unit", "enterprises"),
    "CNY": pgettext_lazy("unit", "CNY"),
    "t": pgettext_lazy("unit", "t"),
}
UNKNOWN = "(unknown)"  # the selectors' placeholder for a shipment without a route

SCOPE_NAMES = {"own": _("Own enterprises"), "province": _("Province")}


def region_name(code: str) -> str:
    return str(REGION_NAMES.get(code, code))


def application_status_name(status: str) -> str:
    return str(APPLICATION_STATUS_NAMES.get(status, status))


def target_status_name(status: str) -> str:
    return str(TARGET_STATUS_NAMES.get(status, status))


def unit_name(unit: str) -> str:
    """A target's unit as staff typed it (enterprises, CNY, t), in the reader's language."""
    return str(UNIT_NAMES.get(unit, unit))


def scope_name(scope: str) -> str:
    return str(SCOPE_NAMES.get(scope, scope))


def route_label(route: str | None) -> str:
    """CNCTU-MYPKG → 成都，中国 (CNCTU) → 巴生港，马来西亚 (MYPKG)."""
    if not route or route == UNKNOWN:
        return gettext("(unknown route)")
    return " → ".join(l10n.place_label(locode) for locode in route.split("-"))


def _enterprise_names(keys) -> dict:
    rows = Enterprise.objects.filter(pk__in=keys).values_list("pk", "name_zh", "name_en")
    return {pk: l10n.in_reading_language(zh, en) for pk, zh, en in rows}


def group_labels(group_by: str, keys) -> dict:
    """{key: label} of a table's groups in the active language (months stay 2026-01)."""
    keys = [key for key in keys if key is not None and key != TOTAL_KEY]
    if group_by == GroupBy.CATEGORY:
        return {key: str(ExportCategory(key).label) for key in keys if key in ExportCategory.values}
    if group_by == GroupBy.DESTINATION:
        return {key: l10n.country_name(key) for key in keys}
    if group_by == GroupBy.REGION:
        return {key: region_name(key) for key in keys}
    if group_by == GroupBy.PREFECTURE:
        return {key: l10n.prefecture_name(key) for key in keys}
    if group_by == GroupBy.ENTERPRISE:
        return _enterprise_names(keys)
    return {key: str(key) for key in keys}


def relabelled_rows(group_by: str, rows: list[dict]) -> list[dict]:
    """Copies of the rows with each label in the active language (the total reads 合计 / Total)."""
    labels = group_labels(group_by, [row["key"] for row in rows])
    labels[TOTAL_KEY] = gettext("Total")
    return [{**row, "label": labels.get(row["key"], row["label"])} for row in rows]


def relabelled_table(group_by: str, table: dict | None) -> dict | None:
    if table is None:
        return None
    rows = relabelled_rows(group_by, [*table["rows"], table["total"]])
    return {**table, "rows": rows[:-1], "total": rows[-1]}
