"""Keys people choose themselves: the ``[keymap]`` table of the config file.

    [keymap]
    find_customer = "f,slash"    # binding id = its keys, comma-separated
    quit = "ctrl+q,ctrl+x"

An entry replaces all default keys of that binding, wherever it works; the others keep
theirs.  :func:`read_keymap` checks the table: an id that is not in :data:`DEFAULT_KEYS` or
keys that are not keys are named in one sentence each and left out, the rest goes to
Textual's ``App.set_keymap``; a key that another binding of the same place had is said too
(that binding loses it).  Keys are written as Textual names them: a character
(``f``, ``M``, ``/``) or a name (``f5``, ``escape``, ``enter``, ``space``, ``delete``,
``slash``, ``comma``), after modifiers such as ``ctrl+`` or ``shift+``.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import Any

from textual.keys import Keys, _character_to_key, format_key

from tradium_tui.services.text_safety import cut

# Every binding id with its default keys, per class that declares it, as the code has them
# (tests/test_keymap.py checks that, and the README's list against the code).  Kept here
# so the keymap is checked at start without importing every screen.
BINDINGS: dict[str, dict[str, str]] = {
    "TradiumApp": {  # app
        "quit": "ctrl+q",
        "command_palette": "ctrl+p",
    },
    "UsersPane": {  # screens.admin.users
        "admin_user_add": "a",
        "admin_user_role": "r",
        "admin_user_deactivate": "d",
        "admin_user_activate": "v",
        "admin_user_language": "l",
    },
    "PermissionGrid": {  # screens.admin.roles
        "admin_grid_cycle": "space",
        "admin_grid_hidden": "h",
        "admin_grid_view": "v",
        "admin_grid_edit": "e",
    },
    "RolesPane": {  # screens.admin.roles
        "admin_role_add": "a",
        "admin_role_rename": "n",
        "admin_role_tab_order": "o",
    },
    "FieldsPane": {  # screens.admin.fields
        "admin_field_edit": "e,enter",
        "admin_field_toggle": "t",
    },
    "AdminScreen": {  # screens.admin
        "admin_pane_previous": "[",
        "admin_pane_next": "]",
        "admin_close": "escape",
        "admin_reload": "f5",
    },
    "KindDialog": {  # screens.customer_form
        "kind_consumer": "c",
        "kind_company": "b",
        "kind_cancel": "escape",
    },
    "DuplicatesDialog": {  # screens.customer_form
        "duplicates_open": "o",
        "duplicates_merge": "m",
        "duplicates_save": "y",
        "duplicates_back": "escape,n",
    },
    "CustomerListScreen": {  # screens.customer_list.screen
        "list_back": "escape",
        "list_text": "slash",
        "list_filters": "f",
        "list_sort": "s",
        "list_reverse": "o",
        "list_mark": "space",
        "list_mark_all": "a",
        "list_unmark_all": "u",
        "list_bulk": "b",
        "list_merge": "M",
        "list_views": "v",
        "list_save_view": "w",
        "list_refresh": "f5",
    },
    "ChoiceDialog": {  # screens.customer_list.choice
        "choice_cancel": "escape",
    },
    "TextDialog": {  # screens.customer_list.choice
        "text_cancel": "escape",
    },
    "FilterDialog": {  # screens.customer_list.filters
        "filter_cancel": "escape",
        "filter_apply": "ctrl+s",
        "filter_clear": "ctrl+x",
        "filter_next": "down",
        "filter_previous": "up",
    },
    "BulkDialog": {  # screens.customer_list.bulk
        "bulk_cancel": "escape",
        "bulk_preview": "ctrl+p",
        "bulk_run": "ctrl+s",
    },
    "DeletedCustomersScreen": {  # screens.deleted
        "deleted_restore": "r",
    },
    "FinderInput": {  # screens.finder
        "finder_to_results": "down",
    },
    "FinderScreen": {  # screens.finder
        "finder_close": "escape",
        "finder_recent": "ctrl+r",
    },
    "ListDialog": {  # screens.list_dialog
        "list_close": "escape",
        "list_refresh": "f5",
    },
    "MainScreen": {  # screens.main.screen
        "find_customer": "f,slash",
        "recent_customers": "r",
        "log_contact": "l",
        "customer_list": "c",
        "back_to_list": "escape",
        "my_actions": "o",
        "previous_tab": "left_square_bracket",
        "next_tab": "right_square_bracket",
        "toggle_mark": "m",
        "address_details": "a",
        "bank_details": "b",
        "refresh": "f5",
        "edit_customer": "ctrl+e",
        "new_customer": "ctrl+n",
        "delete_customer": "ctrl+d",
        "restore_customer": "ctrl+z",
        "deleted_customers": "ctrl+u",
        "merge_with": "M",
        "undo_merge": "U",
        "tab_order": "ctrl+t",
        "import_export": "ctrl+g",
        "admin": "ctrl+a",
        "retry_database": "ctrl+r",
    },
    "MergeDialog": {  # screens.merge
        "merge_close": "escape",
        "merge_left": "left",
        "merge_right": "right",
        "merge_swap": "s",
        "merge_do": "ctrl+s",
    },
    "MyActionsScreen": {  # screens.my_actions
        "my_actions_done": "x",
    },
    "TabOrderScreen": {  # screens.tab_order
        "tab_order_up": "shift+up,u",
        "tab_order_down": "shift+down,d",
        "tab_order_reset": "r",
        "tab_order_save": "ctrl+s,s",
        "tab_order_cancel": "escape",
    },
    "ImportRunScreen": {  # screens.transfer
        "import_run_close": "escape",
    },
    "ImportResultScreen": {  # screens.transfer
        "import_result_close": "escape",
    },
    "TransferScreen": {  # screens.transfer
        "transfer_close": "escape",
    },
    "ArticlePicker": {  # widgets.article_picker
        "picker_close": "escape",
        "picker_pick": "enter",
        "picker_list": "down",
    },
    "RecordForm": {  # widgets.form
        "form_save": "ctrl+s",
        "form_cancel": "escape",
    },
    "LineForm": {  # widgets.lines
        "line_pick_article": "f2",
    },
    "LinesEditor": {  # widgets.lines
        "lines_add": "n,insert",
        "lines_edit": "e",
        "lines_delete": "d,delete",
        "lines_save": "ctrl+s",
        "lines_cancel": "escape",
    },
    "ConfirmDialog": {  # widgets.modals
        "confirm_no": "escape,n",
        "confirm_yes": "y",
    },
    "DiscardDialog": {  # widgets.modals
        "confirm_no": "escape,n",
        "confirm_yes": "y",
    },
    "ConflictDialog": {  # widgets.modals
        "conflict_back": "escape",
        "conflict_mine": "m",
        "conflict_theirs": "t",
    },
    "InfoDialog": {  # widgets.modals
        "info_close": "escape,enter,q",
    },
    "ActionsTab": {  # widgets.tabs.actions
        "actions_new": "n",
        "actions_edit": "e",
        "actions_delete": "d,delete",
        "actions_toggle_done": "x",
    },
    "ConditionsTab": {  # widgets.tabs.conditions
        "conditions_new": "n",
        "conditions_edit": "e",
        "conditions_delete": "d,delete",
    },
    "ContactsTab": {  # widgets.tabs.contacts
        "contacts_new": "n",
        "contacts_edit": "e",
        "contacts_delete": "d,delete",
        "contacts_make_primary": "p",
    },
    "GraphTab": {  # widgets.tabs.graph
        "graph_toggle_table": "t",
    },
    "InvoicesTab": {  # widgets.tabs.invoices
        "invoices_new": "n",
        "invoices_edit": "e",
        "invoices_payment": "p",
        "invoices_credit": "c",
        "invoices_cancel": "x",
    },
    "NotesTab": {  # widgets.tabs.notes
        "notes_new": "n",
        "notes_edit": "e",
        "notes_delete": "d,delete",
        "notes_toggle_pin": "p",
    },
    "OrdersTab": {  # widgets.tabs.orders
        "orders_new": "n",
        "orders_edit": "e",
        "orders_delete": "d,delete",
        "orders_lines": "i",
        "orders_deliver_all": "v",
        "orders_invoice": "t",
        "orders_toggle_cancel": "x",
    },
    "QuotesTab": {  # widgets.tabs.quotes
        "quotes_new": "n",
        "quotes_edit": "e",
        "quotes_delete": "d,delete",
        "quotes_lines": "i",
        "quotes_convert": "c",
    },
}
DEFAULT_KEYS: dict[str, str] = {
    binding_id: keys for group in BINDINGS.values() for binding_id, keys in group.items()
}

MODIFIERS = ("ctrl", "shift", "alt", "meta", "super", "hyper")


def _key_names() -> frozenset[str]:
    """The names of keys that are not a single character: Textual's key names (``f5``,
    ``pageup``…) and the names it gives printable characters (``slash``, ``comma``…)."""
    names = {key.value.rpartition("+")[2] for key in Keys if not key.value.startswith("<")}
    # Textual's own rule for naming a character's key, so the names agree with its keys.
    names.update(_character_to_key(chr(code)) for code in range(33, 127))
    return frozenset(name for name in names if len(name) > 1 and "-" not in name)


KEY_NAMES = _key_names()


def parse_keys(text: str) -> tuple[str, str | None]:
    """``text`` (``"f,slash"``, ``"ctrl+/"``) as Textual's key list (``"f,slash"``,
    ``"ctrl+slash"``), or ``""`` and one sentence on what is wrong with it."""
    keys: list[str] = []
    for part in text.split(","):
        key = part.strip()
        if not key:
            return "", "a key is missing (an empty text, or a comma too many)"
        *modifiers, base = key.split("+")
        if not base:
            return "", (f"'{cut(key, 30)}' does not end in a key (write plus for +, comma "
                        "for ,)")
        for modifier in modifiers:
            if modifier.lower() not in MODIFIERS:
                return "", (f"'{cut(modifier, 30)}' in '{cut(key, 30)}' is not a modifier "
                            f"(those are {', '.join(MODIFIERS)})")
        if len({modifier.lower() for modifier in modifiers}) < len(modifiers):
            return "", f"'{cut(key, 30)}' names a modifier twice"
        if len(base) == 1:
            if not base.isprintable() or base.isspace():
                return "", f"'{cut(key, 30)}' is not a key (write space for the space bar)"
            base = _character_to_key(base)
        elif base.lower() in KEY_NAMES:
            base = base.lower()
        else:
            return "", (f"'{cut(base, 30)}' is not a key (a key is one character or a name "
                        "such as f5, escape, enter, space, slash)")
        keys.append("+".join([*(modifier.lower() for modifier in modifiers), base]))
    return ",".join(dict.fromkeys(keys)), None


def read_keymap(table: object) -> tuple[dict[str, str], list[str]]:
    """The usable entries of a ``[keymap]`` table (binding id: Textual's key list) and a
    sentence per entry left out."""
    if table is None or table == {}:
        return {}, []
    if not isinstance(table, Mapping):
        return {}, ['[keymap] is not a table of lines such as find_customer = "f,slash"; '
                    "it is left out."]
    keymap: dict[str, str] = {}
    problems: list[str] = []
    for binding_id, value in table.items():
        if binding_id not in DEFAULT_KEYS:
            close = difflib.get_close_matches(str(binding_id), DEFAULT_KEYS, n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            problems.append(f"'{cut(binding_id, 40)}' is not a binding id{hint}; it is left "
                            "out. The README lists the ids.")
            continue
        if not isinstance(value, str):
            problems.append(f'{binding_id}: give the keys as text, e.g. {binding_id} = '
                            f'"{DEFAULT_KEYS[binding_id]}"; it is left out.')
            continue
        keys, problem = parse_keys(value)
        if problem:
            problems.append(f"{binding_id} = '{cut(value, 40)}': {problem}; it is left out.")
            continue
        keymap[binding_id] = keys
    return keymap, problems + clashes(keymap)


def clashes(keymap: Mapping[str, str]) -> list[str]:
    """A sentence per key the keymap gives to a binding while another binding of the same
    place (screen, dialog, tab) has it too: the keymap's binding wins it."""
    # (binding, key, other binding, what the other keeps or "both") -> the places
    found: dict[tuple[str, str, str, str], list[str]] = {}
    for place, group in BINDINGS.items():
        if not keymap.keys() & group.keys():
            continue
        keys = {binding_id: (keymap.get(binding_id) or parse_keys(default)[0]).split(",")
                for binding_id, default in group.items()}
        for binding_id in keymap.keys() & group.keys():
            for key in keys[binding_id]:
                for other, other_keys in keys.items():
                    if other == binding_id or key not in other_keys:
                        continue
                    if other in keymap:
                        what = "both"
                        if other < binding_id:  # said once, for the pair
                            continue
                    else:
                        left = [k for k in other_keys if k not in keys[binding_id]]
                        what = ", ".join(left)
                    found.setdefault((binding_id, key, other, what), []).append(place)
    said = []
    for (binding_id, key, other, what), places in sorted(found.items()):
        where = ", ".join(places)
        if what == "both":
            said.append(f"{binding_id} and {other} both get {key} ({where}); only one of "
                        "them can have it.")
        elif what:
            said.append(f"{binding_id} takes {key} from {other} ({where}), which keeps {what}.")
        else:
            said.append(f"{binding_id} takes {key} from {other} ({where}), which has no key "
                        "left; give it one in [keymap].")
    return said


def key_for(node: Any, binding_id: str, *, sentence: bool = False) -> str:
    """The key a hint names for a binding (``ctrl+z``, ``/``): the first of the user's
    keys when the app's keymap has the binding, else its first default key."""
    return key_text(getattr(node.app, "keymap", None) or {}, binding_id, sentence=sentence)


def key_text(keymap: Mapping[str, str], binding_id: str, *, sentence: bool = False) -> str:
    """The first key of a binding as a text names it (``ctrl+z``, ``/``), the keymap's
    when it has one; at the start of a ``sentence`` a key with modifiers is written
    ``Ctrl+S``."""
    first = (keymap.get(binding_id) or DEFAULT_KEYS[binding_id]).split(",")[0]
    *modifiers, base = first.split("+")
    base = format_key(base)
    if sentence and modifiers:
        return "+".join([*(m.capitalize() for m in modifiers), base.upper()])
    return "+".join([*modifiers, base])
