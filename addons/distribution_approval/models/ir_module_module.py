"""Translations our addons ship for *other* modules.

A ``.po`` entry in an addon's own ``i18n/`` only translates that addon's terms.
The OCA approval engine (``base_tier_validation``, ``sale_tier_validation``)
and Odoo's ``uom`` ship Chinese that is incomplete or not the word this
product uses, so any installed addon may ship::

    <addon>/i18n_override/<target_module>/<lang>.po

laid out like the target's own ``i18n/`` (a copy of the target's ``.po`` with
our msgstr works). They are loaded with overwrite

* for record and view terms (field labels, views, selections, data records):
  whenever the target's or the provider's translations are (re)loaded, i.e. at
  install/update of either module and when a language is loaded or updated;
  a provider or target that is not installed is skipped;
* for terms in the target's Python and JavaScript code (``self.env._``,
  ``_t``): when Odoo reads the target's code translations in this server
  process, from the addons loaded in it.
"""

import logging
import os
import sys

import polib

from odoo import api, models
from odoo.modules import Manifest
from odoo.tools.translate import CodeTranslations, TranslationImporter, code_translations, get_base_langs

_logger = logging.getLogger(__name__)

OVERRIDE_DIR = "i18n_override"


def _override_po_paths(addon_paths, target, lang):
    """The override files for ``target`` in ``lang``, general language first
    (``zh.po`` before ``zh_CN.po``), as Odoo reads its own ``i18n/``."""
    for addon_path in addon_paths:
        for base_lang in get_base_langs(lang):
            path = os.path.join(addon_path, OVERRIDE_DIR, target, base_lang + ".po")
            if os.path.isfile(path):
                yield path


def _loaded_addon_paths():
    """Folders of the addons imported in this process (an addon is imported
    once a database that has it installed is loaded)."""
    for name, module in list(sys.modules.items()):
        if name.startswith("odoo.addons.") and name.count(".") == 2 and getattr(module, "__path__", None):
            yield module.__path__[0]


_original_get_code_translations = CodeTranslations._get_code_translations


def _get_code_translations(module_name, lang, filter_func):
    translations = _original_get_code_translations(module_name, lang, filter_func)
    for po_path in _override_po_paths(_loaded_addon_paths(), module_name, lang):
        with open(po_path, "rb") as fileobj:
            translations.update(CodeTranslations._read_code_translations_file(fileobj, filter_func))
    return translations


# Narrow, process-wide patch: Odoo reads code translations only from the
# module's own folder; add the overrides shipped by loaded addons.
CodeTranslations._get_code_translations = staticmethod(_get_code_translations)
# code translations read before this addon was imported are read again
code_translations.python_translations.clear()
code_translations.web_translations.clear()


class IrModuleModule(models.Model):
    _inherit = "ir.module.module"

    @api.model
    def _translation_override_providers(self):
        """{provider: folder} of the installed (or being installed) modules
        that ship an ``i18n_override`` folder."""
        self.env.cr.execute(
            "SELECT name FROM ir_module_module WHERE state IN ('installed', 'to install', 'to upgrade')"
        )
        providers = {}
        for (name,) in self.env.cr.fetchall():
            manifest = Manifest.for_addon(name, display_warning=False)
            if manifest and os.path.isdir(os.path.join(manifest.path, OVERRIDE_DIR)):
                providers[name] = manifest.path
        return providers

    @api.model
    def _mixin_selection_rows(self, target, po_path):
        """Translation rows for the selection values of a field that ``target``
        defines in a mixin, on every model that inherits it.

        The options of such a field (``tier.validation``'s ``validation_status``:
        Without validation, Rejected, ...) are records with ``target``'s xmlids
        *per model* (``base_tier_validation.selection__<model>__validation_status__no``);
        the target's .po only names the models it knows. A translation given
        for one model applies to the same field and value on the others."""
        wanted = {}  # (field, value): (src, translation)
        for entry in polib.pofile(po_path):
            if not entry.msgstr or entry.obsolete:
                continue
            for occurrence, _line in entry.occurrences:
                prefix, _sep, imd_name = occurrence.partition(f"ir.model.fields.selection,name:{target}.")
                parts = imd_name.split("__")
                if prefix == "model:" and len(parts) == 4 and parts[0] == "selection":
                    wanted[parts[2], parts[3]] = (entry.msgid, entry.msgstr)
        if not wanted:
            return []
        self.env.cr.execute(
            "SELECT name FROM ir_model_data WHERE module = %s AND model = 'ir.model.fields.selection'", [target]
        )
        rows = []
        for (imd_name,) in self.env.cr.fetchall():
            parts = imd_name.split("__")
            if len(parts) == 4 and (parts[2], parts[3]) in wanted:
                src, value = wanted[parts[2], parts[3]]
                rows.append({
                    "type": "model", "imd_model": "ir.model.fields.selection", "name": "ir.model.fields.selection,name",
                    "imd_name": imd_name, "module": target, "src": src, "value": value, "comments": "",
                })
        return rows

    @api.model
    def _load_module_terms(self, modules, langs, overwrite=False):
        super()._load_module_terms(modules, langs, overwrite=overwrite)
        providers = self._translation_override_providers()
        if not providers:
            return
        self.env.cr.execute(
            "SELECT name FROM ir_module_module WHERE state IN ('installed', 'to install', 'to upgrade')"
        )
        installed = {name for (name,) in self.env.cr.fetchall()}
        modules = set(modules)
        importer = TranslationImporter(self.env.cr, verbose=False)
        loaded = False
        for provider, path in providers.items():
            override_root = os.path.join(path, OVERRIDE_DIR)
            for target in sorted(os.listdir(override_root)):
                # only when the target's or the provider's terms are being loaded,
                # and never for a module that is not installed
                if target not in installed or not ({target, provider} & modules):
                    continue
                for lang in langs:
                    for po_path in _override_po_paths([path], target, lang):
                        _logger.info("module %s: loading %s translations for %s from %s", target, lang, provider, po_path)
                        with open(po_path, "rb") as fileobj:
                            importer.load(fileobj, "po", lang)
                        importer._load(self._mixin_selection_rows(target, po_path), lang)
                        loaded = True
                code_translations.python_translations.clear()
                code_translations.web_translations.clear()
        if loaded:
            # our files are the product's wording: they win over the target's
            # own .po and over its noupdate data (e.g. uom's units)
            importer.save(overwrite=True, force_overwrite=True)
