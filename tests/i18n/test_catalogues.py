"""Every app's Chinese catalogue is complete, compiled, and holds every string the app marks.

Parametrized by app, so that `pytest tests/i18n -k logistics` checks one app's work.
"""

import gettext
import os
import re
import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

from agri_platform.api.management.commands.catalogues import (
    IGNORED,
    local_app_paths,
    translated_locales,
)

BASE = Path(settings.BASE_DIR).resolve()
APP_CONFIGS = [
    config for config in apps.get_app_configs() if Path(config.path).resolve() in local_app_paths()
]
LOCALES = translated_locales()
CJK = re.compile(r"[\u3400-\u9fff]")


def _po_path(config, locale: str) -> Path:
    return Path(config.path) / "locale" / locale / "LC_MESSAGES" / "django.po"


def _read(path: Path, *, strict: bool = True):
    """`strict=False` for a freshly extracted catalogue: makemessages writes two empty plural
    msgstr under "nplurals=1" for Chinese, which babel refuses (only its msgids matter there)."""
    with path.open("rb") as handle:
        return read_po(handle, abort_invalid=strict)


def _messages(catalogue) -> dict:
    """msgid (or (msgid, plural) ) -> message, for every entry but the header."""
    return {(message.context, message.id): message for message in catalogue if message.id}


def _catalogue_or_empty(config, locale):
    path = _po_path(config, locale)
    return _read(path) if path.exists() else None


@pytest.fixture(params=APP_CONFIGS, ids=lambda config: config.label)
def app_config(request):
    return request.param


@pytest.mark.parametrize("locale", LOCALES)
def test_every_entry_is_translated_and_not_fuzzy(app_config, locale):
    catalogue = _catalogue_or_empty(app_config, locale)
    if catalogue is None:
        return  # an app that marks nothing has no catalogue; the extraction test proves it
    untranslated = [
        m.id for m in _messages(catalogue).values() if not m.string or not all(m.string)
    ]
    fuzzy = [m.id for m in _messages(catalogue).values() if m.fuzzy]
    assert not untranslated, f"{app_config.label}: untranslated in {locale}: {untranslated[:20]}"
    assert not fuzzy, f"{app_config.label}: fuzzy in {locale}: {fuzzy[:20]}"


@pytest.mark.parametrize("locale", LOCALES)
def test_placeholders_match_between_languages(app_config, locale):
    catalogue = _catalogue_or_empty(app_config, locale)
    if catalogue is None:
        return
    problems = [(m.id, [str(e) for e in errors]) for m, errors in catalogue.check() if errors]
    assert not problems, f"{app_config.label}: {problems[:10]}"


@pytest.mark.parametrize("locale", LOCALES)
def test_compiled_catalogue_is_current(app_config, locale):
    po_path = _po_path(app_config, locale)
    if not po_path.exists():
        return
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), f"{mo_path} missing: run `make messages`"
    with mo_path.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)._catalog
    expected = {}
    for message in _messages(_read(po_path)).values():
        singular = message.id[0] if isinstance(message.id, tuple) else message.id
        key = f"{message.context}\x04{singular}" if message.context else singular
        if isinstance(message.id, tuple):
            for index, text in enumerate(message.string):
                expected[(key, index)] = text
        else:
            expected[key] = message.string
    compiled.pop("", None)
    assert compiled == expected, f"{mo_path} is older than its .po: run `make messages`"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext (xgettext) not installed")
def test_catalogue_holds_every_marked_string(app_config, tmp_path):
    """Extract the app's strings afresh (into a copy) and compare with the committed catalogue."""
    copy = tmp_path / app_config.label
    shutil.copytree(app_config.path, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    shutil.rmtree(copy / "locale", ignore_errors=True)
    (copy / "locale").mkdir()
    start = os.getcwd()
    os.chdir(copy)
    try:
        call_command(
            "makemessages",
            locale=LOCALES,
            add_location="file",
            ignore_patterns=IGNORED,
            verbosity=0,
        )
    finally:
        os.chdir(start)
    for locale in LOCALES:
        fresh_path = copy / "locale" / locale / "LC_MESSAGES" / "django.po"
        fresh = set(_messages(_read(fresh_path, strict=False))) if fresh_path.exists() else set()
        committed_catalogue = _catalogue_or_empty(app_config, locale)
        committed = set(_messages(committed_catalogue)) if committed_catalogue else set()
        missing = sorted(map(str, fresh - committed))
        stale = sorted(map(str, committed - fresh))
        assert not missing, (
            f"{app_config.label}: not in the catalogue (make messages): {missing[:20]}"
        )
        assert not stale, f"{app_config.label}: no longer marked (make messages): {stale[:20]}"


def _model_labels(model):
    """Every label of a model a person reads in the admin: names, field names, choice labels."""
    meta = model._meta
    yield "verbose_name", meta.verbose_name
    yield "verbose_name_plural", meta.verbose_name_plural
    for field in meta.get_fields(include_hidden=False):
        if field.auto_created or not hasattr(field, "verbose_name"):
            continue
        yield f"{field.name}.verbose_name", field.verbose_name
        for value, label in getattr(field, "flatchoices", None) or ():
            if value not in ("", None):
                yield f"{field.name}[{value}]", label


def _project_models(app_config):
    return [
        model
        for model in app_config.get_models()
        if not model.__name__.startswith("Historical") and not model._meta.auto_created
    ]


def test_models_read_in_chinese_and_in_english(app_config):
    labels = [(f"{app_config.label}.verbose_name", app_config.verbose_name)]
    for model in _project_models(app_config):
        labels += [(f"{model.__name__}.{where}", label) for where, label in _model_labels(model)]
    with translation.override("zh-hans"):
        unreadable_zh = [
            f"{where}={label!s}" for where, label in labels if not CJK.search(str(label))
        ]
    with translation.override("en"):
        unreadable_en = [f"{where}={label!s}" for where, label in labels if CJK.search(str(label))]
    assert not unreadable_zh, f"not in Chinese: {unreadable_zh[:30]}"
    assert not unreadable_en, f"not in English: {unreadable_en[:30]}"


def test_admin_actions_read_in_chinese(app_config):
    from django.contrib import admin

    missing = []
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label != app_config.label:
            continue
        for _func, name, description in model_admin._get_base_actions():
            with translation.override("zh-hans"):
                if not CJK.search(str(description)):
                    missing.append(f"{model.__name__}.{name}={description!s}")
    assert not missing, f"admin actions not in Chinese: {missing}"


@pytest.mark.parametrize("locale", LOCALES)
def test_every_entry_reads_as_its_catalogue_says(app_config, locale):
    """An entry that another catalogue (an earlier app's, or Django's own) also holds shows that
    catalogue's translation: the same English in two meanings needs a context (pgettext)."""
    catalogue = _catalogue_or_empty(app_config, locale)
    if catalogue is None:
        return
    shadowed = []
    with translation.override(translation.to_language(locale)):
        for (context, msgid), message in _messages(catalogue).items():
            if isinstance(msgid, tuple):
                continue
            shown = translation.pgettext(context, msgid) if context else translation.gettext(msgid)
            if shown != message.string:
                shadowed.append(f"{context or ''}|{msgid}: {message.string} shows as {shown}")
    assert not shadowed, f"{app_config.label}: {shadowed}"
