"""The tab order dialog: move tabs up and down, reset to the default, save or cancel.

Three ways to use it:

* ``TabOrderScreen(actor)`` — the user's own order: loads their visible tabs and their
  role default, saves with :func:`~tradium_tui.services.tab_order.set_user_tab_order`
  and dismisses with the order they now see.
* ``TabOrderScreen(actor, role="sales")`` — an admin sets a role's default order (all
  tabs; the standard order is the default), saved with ``set_role_tab_order``.
* ``TabOrderScreen(order=[...], default=[...])`` — no actor: nothing is saved here, the
  caller gets the new order.

It dismisses with the new order, or ``None`` when cancelled.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tradium_tui.i18n import N_, _
from tradium_tui.services import tab_order, users
from tradium_tui.services.access import TABS, Actor
from tradium_tui.widgets.dbwork import db_guard
from tradium_tui.widgets.footer import AppFooter


@dataclass
class OrderLoaded(Message):
    order: list[str]
    default: list[str]
    hints: dict[str, str]


@dataclass
class OrderSaved(Message):
    order: list[str]
    ok: bool = True


class TabOrderScreen(ModalScreen[list[str] | None]):
    """Reorder tabs; dismisses with the new order (or ``None``)."""

    DEFAULT_CSS = """
    TabOrderScreen { align: center middle; }
    TabOrderScreen > #tab-order-dialog {
        width: 56; max-width: 95%; height: auto; max-height: 90%;
        border: thick $primary; background: $surface; padding: 1 2;
    }
    TabOrderScreen #tab-order-title { text-style: bold; color: $text-primary; }
    TabOrderScreen #tab-order-intro, TabOrderScreen #tab-order-status { color: $text-muted; }
    TabOrderScreen #tab-order-list { height: auto; max-height: 16; margin: 1 0; }
    """

    BINDINGS = [
        Binding("shift+up,u", "move(-1)", N_("Move up"), id="tab_order_up",
                tooltip=N_("Move the highlighted tab one place up (left).")),
        Binding("shift+down,d", "move(1)", N_("Move down"), id="tab_order_down",
                tooltip=N_("Move the highlighted tab one place down (right).")),
        Binding("r", "reset", N_("Reset"), id="tab_order_reset",
                tooltip=N_("Put the tabs back in the default order.")),
        Binding("ctrl+s,s", "save", N_("Save"), id="tab_order_save",
                tooltip=N_("Save this order.")),
        Binding("escape", "cancel", N_("Cancel"), id="tab_order_cancel",
                tooltip=N_("Close without changing the order.")),
    ]

    def __init__(
        self,
        actor: Actor | None = None,
        *,
        order: list[str] | None = None,
        default: list[str] | None = None,
        role: str | None = None,
        hints: dict[str, str] | None = None,
        titles: dict[str, str] | None = None,
    ) -> None:
        super().__init__()
        self.actor = actor
        self.role = role
        self.titles = dict(titles or TABS)
        self.order: list[str] = list(order or [])
        self.default: list[str] = list(default or [])
        self.hints = dict(hints or {})
        self.loaded = order is not None or actor is None
        self.saving = False
        if not self.default and self.loaded:
            self.default = [t for t in TABS if t in self.order] + [
                t for t in self.order if t not in TABS
            ]

    # ----------------------------------------------------------------- layout

    def compose(self) -> ComposeResult:
        if self.role:
            title = _("Default tab order of role '{role}'").format(role=self.role)
            intro = _("New members and members without their own order see the tabs like this.")
        else:
            title = _("Your tab order")
            intro = _("Move the highlighted tab; the order is kept for your login.")
        with Vertical(id="tab-order-dialog"):
            yield Static(title, id="tab-order-title", markup=False)
            yield Static(intro, id="tab-order-intro", markup=False)
            yield OptionList(id="tab-order-list")
            yield Static("", id="tab-order-status", markup=False)
        yield AppFooter()

    @property
    def option_list(self) -> OptionList:
        return self.query_one("#tab-order-list", OptionList)

    def on_mount(self) -> None:
        if self.loaded:
            self._show(0)
        else:
            self.query_one("#tab-order-status", Static).update(_("Loading…"))
            self._load()
        self.option_list.focus()

    def _prompt(self, index: int, tab: str) -> str:
        hint = self.hints.get(tab)
        text = f"{index + 1:>2}  {_(self.titles.get(tab, tab))}"
        return f"{text}  ({_(hint)})" if hint else text

    def _show(self, highlight: int | None) -> None:
        options = self.option_list
        options.clear_options()
        options.add_options(
            Option(self._prompt(i, tab), id=tab) for i, tab in enumerate(self.order)
        )
        if self.order:
            options.highlighted = max(0, min(highlight or 0, len(self.order) - 1))
        status = "" if self.order != self.default else _("This is the default order.")
        self.query_one("#tab-order-status", Static).update(status)

    # ----------------------------------------------------------------- loading

    @work(thread=True, exclusive=True, exit_on_error=False, group="tab-order-load")
    def _load(self) -> None:
        assert self.actor is not None
        with db_guard(self, _("Loading the tab order")):
            if self.role:
                info = users.get_role(self.actor, self.role)
                hints = {tab: N_("hidden for this role") for tab, lv in info.levels.items()
                         if lv == "hidden"}
                self.post_message(OrderLoaded(list(info.tab_order), list(TABS), hints))
            else:
                self.post_message(
                    OrderLoaded(tab_order.visible_tabs(self.actor),
                                tab_order.role_default_tabs(self.actor), {})
                )

    def on_order_loaded(self, message: OrderLoaded) -> None:
        message.stop()
        self.order = list(message.order)
        self.default = list(message.default)
        self.hints.update(message.hints)
        self.loaded = True
        self._show(0)
        self.refresh_bindings()

    # ----------------------------------------------------------------- actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("move", "reset", "save") and (not self.loaded or self.saving):
            return None  # shown dimmed while loading or saving
        return True

    def action_move(self, step: int) -> None:
        index = self.option_list.highlighted
        if index is None or not self.order:
            return
        target = index + step
        if not 0 <= target < len(self.order):
            return
        self.order[index], self.order[target] = self.order[target], self.order[index]
        self._show(target)

    def action_reset(self) -> None:
        self.order = list(self.default)
        self._show(0)

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(OptionList.OptionSelected, "#tab-order-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()  # enter on a tab only highlights it; saving is explicit

    def action_save(self) -> None:
        if not self.loaded or self.saving:
            return
        if self.actor is None:
            self.dismiss(list(self.order))
            return
        self.saving = True
        self.query_one("#tab-order-status", Static).update(_("Saving…"))
        self.refresh_bindings()
        self._save(list(self.order))

    @work(thread=True, exclusive=True, exit_on_error=False, group="tab-order-save")
    def _save(self, order: list[str]) -> None:
        assert self.actor is not None
        guard = db_guard(self, _("Saving the tab order"))
        with guard:
            if self.role:
                saved = tab_order.set_role_tab_order(self.actor, self.role, order)
            else:
                saved = tab_order.set_user_tab_order(self.actor, order)
            self.post_message(OrderSaved(saved))
        if guard.failed:
            self.post_message(OrderSaved([], ok=False))

    def on_order_saved(self, message: OrderSaved) -> None:
        message.stop()
        self.saving = False
        self.refresh_bindings()
        if not message.ok:  # the failure was shown as a notification
            self.query_one("#tab-order-status", Static).update(_("Not saved."))
            return
        self.dismiss(list(message.order))
