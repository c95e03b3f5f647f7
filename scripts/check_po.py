#!/usr/bin/env python3
"""Check the translations of Odoo addons against their .pot templates.

Usage::

    python3 scripts/check_po.py addons/*            # checks i18n/zh_CN.po
    python3 scripts/check_po.py --lang fr addons/*  # another language

For each addon directory given (directories without ``i18n/<addon>.pot`` are
skipped with a note), it verifies that:

* ``i18n/<lang>.po`` exists, unless the template has no entries;
* every entry of the template (msgctxt + msgid) is in the .po with a
  non-empty msgstr (every plural form for plural entries);
* the .po has no fuzzy entries, no obsolete (``#~``) entries and no entry
  that the template does not have (run msgmerge after regenerating the .pot);
* the header declares the language and a Plural-Forms;
* placeholders are kept: %-placeholders (``%s``, ``%(name)s``, ``%%``),
  ``{{ ... }}`` expressions, HTML/QWeb tags with their attributes, HTML
  entities and the number of newlines are the same in msgid and msgstr
  (as multisets: a translation may reorder them).

It prints a report per addon and exits with status 1 on any problem, 0 otherwise.
Requires polib (``pip install polib``).
"""

import argparse
import os
import re
import sys
from collections import Counter

try:
    import polib
except ImportError:  # pragma: no cover
    sys.exit("check_po.py needs polib: pip install polib")

# %-style placeholders. The space flag is left out on purpose: "100% sure"
# must not be read as the placeholder "% s".
PERCENT = re.compile(r"%(?:\([^)]*\))?[-#0+]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?[diouxXeEfFgGcrsa%]")
JINJA = re.compile(r"\{\{.*?\}\}", re.S)
TAG = re.compile(r"<!--.*?-->|</?[A-Za-z][^<>]*>", re.S)
ENTITY = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]*|#[0-9]+|#[xX][0-9A-Fa-f]+);")


def placeholders(text):
    """Everything a translation must keep, as a Counter of (kind, token)."""
    found = Counter()
    # tags first and removed, so that attribute values ("width: 50%") are compared as part of the tag only
    for tag in TAG.findall(text):
        found["tag", " ".join(tag.split())] += 1
    rest = TAG.sub(" ", text)
    for expr in JINJA.findall(rest):
        found["{{ }}", " ".join(expr.split())] += 1
    rest = JINJA.sub(" ", rest)
    for token in PERCENT.findall(rest):
        found["%", token] += 1
    for token in ENTITY.findall(rest):
        found["entity", token] += 1
    if text.count("\n"):
        found["newline", "\\n"] = text.count("\n")
    return found


def describe(counter):
    return ", ".join(f"{token} x{n}" if n > 1 else token for (_kind, token), n in sorted(counter.items())) or "-"


def short(text, width=70):
    text = text.replace("\n", "\\n")
    return text if len(text) <= width else text[: width - 3] + "..."


def entry_key(entry):
    return (entry.msgctxt, entry.msgid)


def check_entry(entry, source):
    """Problems of one translated entry, as a list of strings."""
    problems = []
    if entry.msgid_plural:
        forms = [entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural)] if entry.msgstr_plural else []
        if not forms or any(not form.strip() for form in forms):
            return ["empty translation"]
        # every plural form must keep the placeholders of the plural msgid
        # (languages with one form, like zh_CN, only have that one)
        targets = [(form, entry.msgid_plural if len(forms) == 1 or i else entry.msgid) for i, form in enumerate(forms)]
    else:
        if not entry.msgstr.strip():
            return ["empty translation"]
        targets = [(entry.msgstr, source.msgid)]
    for translation, original in targets:
        expected, got = placeholders(original), placeholders(translation)
        if expected != got:
            missing, extra = expected - got, got - expected
            detail = []
            if missing:
                detail.append(f"missing {describe(missing)}")
            if extra:
                detail.append(f"unexpected {describe(extra)}")
            problems.append("placeholders differ: " + "; ".join(detail))
    return problems


def check_addon(path, lang):
    """Return (status line, list of problems) for one addon directory."""
    name = os.path.basename(os.path.normpath(path))
    pot_path = os.path.join(path, "i18n", f"{name}.pot")
    po_path = os.path.join(path, "i18n", f"{lang}.po")
    if not os.path.isfile(pot_path):
        return f"skipped (no i18n/{name}.pot)", []
    try:
        pot = polib.pofile(pot_path)
    except (OSError, ValueError) as exc:
        return "template unreadable", [f"{pot_path}: {exc}"]
    template = [e for e in pot if not e.obsolete]
    if not os.path.isfile(po_path):
        if not template:
            return f"ok (template is empty, no {lang}.po needed)", []
        return "missing translation file", [f"{po_path} does not exist ({len(template)} entries to translate)"]
    try:
        po = polib.pofile(po_path)
    except (OSError, ValueError) as exc:
        return "translation file unreadable", [f"{po_path}: {exc}"]

    problems = []
    header_lang = po.metadata.get("Language", "")
    if header_lang != lang:
        problems.append(f'header: Language is "{header_lang}", expected "{lang}"')
    if not po.metadata.get("Plural-Forms", "").strip():
        problems.append("header: Plural-Forms is empty")

    translated = {}
    for entry in po:
        if entry.obsolete:
            problems.append(f'obsolete entry (#~): "{short(entry.msgid)}"')
            continue
        if entry_key(entry) in translated:
            problems.append(f'duplicate entry: "{short(entry.msgid)}"')
        translated[entry_key(entry)] = entry
        if "fuzzy" in entry.flags:
            problems.append(f'fuzzy entry: "{short(entry.msgid)}"')

    template_keys = set()
    for source in template:
        template_keys.add(entry_key(source))
        entry = translated.get(entry_key(source))
        if entry is None:
            problems.append(f'not in {lang}.po: "{short(source.msgid)}"')
            continue
        problems.extend(f'{issue}: "{short(source.msgid)}"' for issue in check_entry(entry, source))
    for key, entry in translated.items():
        if key not in template_keys:
            problems.append(f'not in the template (run msgmerge): "{short(entry.msgid)}"')

    done = sum(1 for source in template if entry_key(source) in translated)
    status = f"{done}/{len(template)} entries translated" if template else "template is empty"
    return status, problems


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("addons", nargs="+", help="addon directories, e.g. addons/*")
    parser.add_argument("--lang", default="zh_CN", help="language of the .po files to check (default: zh_CN)")
    args = parser.parse_args(argv)

    failed = 0
    for path in args.addons:
        if not os.path.isdir(path):
            continue
        name = os.path.basename(os.path.normpath(path))
        status, problems = check_addon(path, args.lang)
        mark = "FAIL" if problems else "ok  "
        print(f"[{mark}] {name}: {status}" + (f", {len(problems)} problem(s)" if problems else ""))
        for problem in problems:
            print(f"       - {problem}")
        failed += bool(problems)
    if failed:
        print(f"{failed} addon(s) with translation problems")
        return 1
    print("all translations ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
