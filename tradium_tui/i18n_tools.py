"""Keeping the catalogues in step with the code: extract, update, compile, check.

    python -m tradium_tui.i18n_tools extract   # the template locale/tradium_tui.pot from the code
    python -m tradium_tui.i18n_tools update    # extract, then merge it into every language's .po
    python -m tradium_tui.i18n_tools compile   # .po -> .mo (the app reads the .mo)
    python -m tradium_tui.i18n_tools check     # what the test checks; exit code 1 when not right
    python -m tradium_tui.i18n_tools add LANG  # start a catalogue for a new language

The files are written the same way every time (sorted, file names without line numbers,
header dates kept while the messages stay the same) so a change in the code changes the
catalogues only where its messages changed.  Used by the tests and by contributors, never
by the running app.
"""

from __future__ import annotations

import io
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po, write_po

from tradium_tui import __version__
from tradium_tui.i18n import DOMAIN, LANGUAGES, LOCALE_DIR, SOURCE_LANGUAGE

ROOT = LOCALE_DIR.parent.parent
MAPPING_FILE = ROOT / "babel.cfg"
TEMPLATE = LOCALE_DIR / f"{DOMAIN}.pot"
COMMENT_TAGS = ("TRANSLATORS:",)
# gettext's names, NP_(context, message), and count_text(n, singular, plural) of the tabs.
KEYWORDS = {**DEFAULT_KEYWORDS, "NP_": ((1, "c"), 2), "count_text": (2, 3)}
PROJECT = "tradium-tui"
TEMPLATE_HEADER = ("# The translatable texts of tradium-tui, extracted from the code\n"
                   "# (python -m tradium_tui.i18n_tools extract); English is the source.\n#")
LANGUAGE_HEADER = ("# {name} translations of tradium-tui. Terms: locale/GLOSSARY.md; how to: README,\n"
                   "# \"Translating\".  Keep the {{placeholders}} as they are.\n#")
# {name} and {name:format} placeholders of str.format, and %(name)s ones.
_BRACE = re.compile(r"(?<!\{)\{([A-Za-z_][A-Za-z0-9_]*)(?:[:!][^{}]*)?\}(?!\})")
_PERCENT = re.compile(r"%\(([A-Za-z_][A-Za-z0-9_]*)\)[#0 +-]*\d*(?:\.\d+)?[a-z]")


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


def translated_languages() -> list[str]:
    return [code for code in LANGUAGES if code != SOURCE_LANGUAGE]


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(language: str) -> Path:
    return po_path(language).with_suffix(".mo")


def _method_map() -> tuple[list, dict]:
    with MAPPING_FILE.open(encoding="utf-8") as fileobj:
        return parse_mapping_cfg(fileobj)


def extract() -> Catalog:
    """Every translatable message in the package, as a template catalogue."""
    method_map, options_map = _method_map()
    catalog = Catalog(project=PROJECT, domain=DOMAIN, fuzzy=False, charset="utf-8",
                      header_comment=TEMPLATE_HEADER, version=__version__,
                      copyright_holder="the tradium-tui authors", msgid_bugs_address="-")
    for filename, lineno, message, comments, context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS,
        comment_tags=COMMENT_TAGS, strip_comment_tags=True,
    ):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments,
                    context=context)
    return catalog


def placeholders(text: str) -> set[str]:
    """The named placeholders of a message (``{count}``, ``%(name)s``)."""
    return set(_BRACE.findall(text)) | set(_PERCENT.findall(text))


def _ids(catalog: Catalog) -> set[tuple[str, str | None]]:
    return {(_msgid(m), m.context) for m in catalog if m.id}


def _msgid(message: Message) -> str:
    return message.id if isinstance(message.id, str) else message.id[0]


def _write(path: Path, catalog: Catalog) -> bool:
    """Write ``catalog`` as a .po/.pot; answers whether the file changed."""
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=96, sort_output=True, include_lineno=False,
             ignore_obsolete=True)
    data = buffer.getvalue()
    if path.exists() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return True


def _read_po(path: Path, language: str | None = None) -> Catalog:
    with path.open("rb") as fileobj:
        return read_po(fileobj, locale=language, domain=DOMAIN)


def write_template() -> Catalog:
    """Extract and write the template; the header date only moves when messages did."""
    template = extract()
    if TEMPLATE.exists():
        old = _read_po(TEMPLATE)
        if _same_messages(old, template):
            template.creation_date = old.creation_date
    _write(TEMPLATE, template)
    return template


def _same_messages(a: Catalog, b: Catalog) -> bool:
    def key(catalog: Catalog):
        return {(m.id if isinstance(m.id, str) else tuple(m.id), m.context,
                 tuple(m.auto_comments), tuple(sorted(m.locations))) for m in catalog if m.id}

    return key(a) == key(b)


def update(languages: Iterable[str] | None = None) -> None:
    """Extract, then bring each language's catalogue up to date with the template.

    New messages arrive untranslated; a message whose English changed a little comes in
    marked fuzzy with the old translation (check it and remove the fuzzy mark); messages
    no longer in the code are dropped.
    """
    template = write_template()
    for language in languages or translated_languages():
        path = po_path(language)
        catalog = _read_po(path, language) if path.exists() else _new_catalog(language)
        catalog.update(template, update_creation_date=False)
        _fill_header(catalog, language)
        if _write(path, catalog):
            print(f"updated {_shown(path)}")


def _new_catalog(language: str) -> Catalog:
    return Catalog(locale=language, domain=DOMAIN, project=PROJECT, fuzzy=False,
                   charset="utf-8", version=__version__, msgid_bugs_address="-",
                   copyright_holder="the tradium-tui authors",
                   last_translator="tradium-tui translators",
                   language_team=LANGUAGES.get(language, language))


def _fill_header(catalog: Catalog, language: str) -> None:
    from babel import Locale

    catalog.header_comment = LANGUAGE_HEADER.format(name=Locale.parse(language).english_name)
    catalog.project, catalog.version = PROJECT, __version__
    catalog.msgid_bugs_address = "-"
    catalog.last_translator = "tradium-tui translators"
    catalog.language_team = LANGUAGES.get(language, language)


def compile_all(languages: Iterable[str] | None = None) -> None:
    """Write each language's .mo from its .po (fuzzy entries left out, as gettext does)."""
    for language in languages or translated_languages():
        catalog = _read_po(po_path(language), language)
        buffer = io.BytesIO()
        write_mo(buffer, catalog, use_fuzzy=False)
        target = mo_path(language)
        if not target.exists() or target.read_bytes() != buffer.getvalue():
            target.write_bytes(buffer.getvalue())
            print(f"compiled {_shown(target)}")


@dataclass
class Problem:
    language: str
    message: str

    def __str__(self) -> str:
        return f"{self.language}: {self.message}"


def check(source: Catalog | None = None) -> list[Problem]:
    """Everything that is not right with the catalogues, one problem a line:

    the template is out of date with the code; a language lacks a message or keeps one the
    code no longer has; an entry is untranslated or fuzzy; a translation's placeholders
    differ from the English; a plural entry lacks forms; the .mo is not the .po compiled.
    ``source`` is what :func:`extract` answers (given, it is not extracted again).
    """
    problems: list[Problem] = []
    source = source if source is not None else extract()
    wanted = _ids(source)
    if not TEMPLATE.exists():
        problems.append(Problem("template", f"{TEMPLATE.name} is missing"))
    else:
        have = _ids(_read_po(TEMPLATE))
        for msgid, _context in sorted(wanted - have, key=str):
            problems.append(Problem("template", f"not extracted yet: {msgid!r}"))
        for msgid, _context in sorted(have - wanted, key=str):
            problems.append(Problem("template", f"no longer in the code: {msgid!r}"))
    for language in translated_languages():
        problems.extend(_check_language(language, source, wanted))
    return problems


def _check_language(language: str, source: Catalog, wanted: set) -> list[Problem]:
    problems: list[Problem] = []
    path = po_path(language)
    if not path.exists():
        return [Problem(language, f"{_shown(path)} is missing")]
    catalog = _read_po(path, language)
    have = _ids(catalog)
    for msgid, _context in sorted(wanted - have, key=str):
        problems.append(Problem(language, f"missing: {msgid!r}"))
    for msgid, _context in sorted(have - wanted, key=str):
        problems.append(Problem(language, f"no longer in the code: {msgid!r}"))
    forms = catalog.num_plurals
    for message in catalog:
        if not message.id:
            continue
        msgid = _msgid(message)
        if message.fuzzy:
            problems.append(Problem(language, f"fuzzy: {msgid!r}"))
        strings = list(message.string) if isinstance(message.string, tuple | list) \
            else [message.string]
        if isinstance(message.id, tuple | list) and len(strings) != forms:
            problems.append(Problem(language, f"{len(strings)} plural forms instead of "
                                              f"{forms}: {msgid!r}"))
        if not all(s for s in strings):
            problems.append(Problem(language, f"untranslated: {msgid!r}"))
            continue
        ids = list(message.id) if isinstance(message.id, tuple | list) else [message.id]
        expected = set().union(*(placeholders(i) for i in ids))
        for text in strings:
            got = placeholders(text)
            # A plural form may leave the count out ("one contact"), never add one.
            missing = expected - got
            if got - expected or (missing and not isinstance(message.id, tuple | list)):
                problems.append(Problem(
                    language, f"placeholders {sorted(got)} instead of {sorted(expected)} "
                              f"in {text!r} (for {msgid!r})"))
    problems.extend(_check_compiled(language, catalog))
    return problems


def _check_compiled(language: str, catalog: Catalog) -> list[Problem]:
    target = mo_path(language)
    if not target.exists():
        return [Problem(language, f"{_shown(target)} is missing: compile")]
    with target.open("rb") as fileobj:
        compiled = read_mo(fileobj)

    def table(cat: Catalog) -> dict:
        return {(m.id if isinstance(m.id, str) else tuple(m.id), m.context):
                (m.string if isinstance(m.string, str) else tuple(m.string))
                for m in cat if m.id and not m.fuzzy}

    if table(compiled) != table(catalog):
        return [Problem(language, f"{_shown(target)} differs from the .po: compile")]
    return []


def add_language(language: str) -> None:
    """Start the catalogue of a new language (then add it to ``i18n.LANGUAGES``)."""
    path = po_path(language)
    if path.exists():
        raise SystemExit(f"{_shown(path)} exists already.")
    template = write_template()
    catalog = _new_catalog(language)
    catalog.update(template)
    _fill_header(catalog, language)
    _write(path, catalog)
    print(f"created {_shown(path)}: translate it, add '{language}' to "
          "LANGUAGES in tradium_tui/i18n.py, then compile.")


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    command = args[0] if args else ""
    if command == "extract":
        write_template()
    elif command == "update":
        update(args[1:] or None)
    elif command == "compile":
        compile_all(args[1:] or None)
    elif command == "check":
        problems = check()
        for problem in problems:
            print(problem)
        print(f"{len(problems)} problem(s)" if problems else "catalogues are up to date")
        return 1 if problems else 0
    elif command == "add" and len(args) == 2:
        add_language(args[1])
    else:
        print("\n".join(__doc__.strip().splitlines()[2:7]))
        return 2
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
