"""What the main screen's keys do to the open customer: mark, delete and undo delete,
merge and undo merge, personal data export and anonymising, address and bank
details, new and edit, logging a contact moment."""

from __future__ import annotations

import datetime as dt
from functools import partial
from pathlib import Path
from typing import Any

from textual import work

from tradium_tui.i18n import _
from tradium_tui.services.search import recent
from tradium_tui.widgets.dbwork import db_guard
from tradium_tui.widgets.messages import (
    DataChanged,
)
from tradium_tui.widgets.modals import ConfirmDialog


class CustomerActions:
    """Actions on the open customer, for :class:`~.screen.MainScreen`."""

    def action_log_contact(self) -> None:
        if self.view is None or not self.actor.can("actions", "edit"):
            return
        from tradium_tui.screens.dialogs import LogContactDialog  # lazy: start-up

        def logged(result) -> None:
            if result is None:
                return
            self.notify(_("Contact moment logged for {name}.").format(name=self.view.name),
                        timeout=3)
            pane = self.pane("actions")
            if pane is not None:
                pane.mark_stale()
            self.post_message(DataChanged(self.customer_id, "log_contact"))

        self.app.push_screen(LogContactDialog(self.actor, self.view), logged)

    def action_toggle_mark(self) -> None:
        if self.view is None:
            return
        self._toggle_mark(self.view.id, not self.view.marked)

    @work(thread=True, exclusive=True, exit_on_error=False, group="mark")
    def _toggle_mark(self, customer_id: int, mark: bool) -> None:
        from tradium_tui.services import customers  # lazy: start-up

        guard = db_guard(self, _("Marking"))
        with guard:
            if mark:
                customers.mark(self.actor, customer_id)
            else:
                customers.unmark(self.actor, customer_id)
        if not guard.failed:
            self.app.call_from_thread(
                self.notify, _("Marked.") if mark else _("Mark removed."), timeout=2
            )
            self._load_customer(customer_id, False)

    def action_delete_customer(self) -> None:
        view = self.view
        if view is None or not self.actor.role.can_edit_base:
            return
        label = f"{view.name} ({view.number})"

        def answered(yes: bool | None) -> None:
            if yes:
                self._delete_customer(view.id, view.version, label)

        self.app.push_screen(
            ConfirmDialog(
                _("Delete {customer}?").format(customer=label),
                _("The customer leaves search and lists; its orders and invoices stay, with "
                  "their copy of the customer's details. ctrl+z (Undo delete) restores it."),
                yes=_("Delete"), no=_("Cancel"), danger=True,
            ),
            answered,
        )

    @work(thread=True, exclusive=True, exit_on_error=False, group="customer")
    def _delete_customer(self, customer_id: int, version: int, label: str) -> None:
        from tradium_tui.services import customers  # lazy: start-up

        guard = db_guard(self, _("Deleting the customer"))
        with guard:
            deleted = customers.delete_customer(self.actor, customer_id, version)
            user_id = self.actor.user.id if self.actor.user is not None else None
            following = recent.last_opened(user_id)
        if guard.failed:
            return
        self.app.call_from_thread(
            self._customer_deleted, (customer_id, int(deleted.version), label), following
        )

    def _customer_deleted(self, deleted: tuple[int, int, str], following: int | None) -> None:
        self._last_deleted = deleted
        self.notify(_("{customer} deleted. ctrl+z restores it.").format(customer=deleted[2]),
                    title=_("Customer deleted"))
        if following is not None:
            self.open_customer(following)
        else:
            self._show_no_customer()
        self.refresh_bindings()

    def action_restore_customer(self) -> None:
        if self._last_deleted is None or not self.actor.role.can_edit_base:
            return
        self._restore_customer(*self._last_deleted)

    @work(thread=True, exclusive=True, exit_on_error=False, group="customer")
    def _restore_customer(self, customer_id: int, version: int, label: str) -> None:
        from tradium_tui.services import customers  # lazy: start-up

        guard = db_guard(self, _("Restoring the customer"))
        with guard:
            customers.restore_customer(self.actor, customer_id, version)
        if guard.failed:
            return
        self.app.call_from_thread(self._customer_restored, customer_id, label)

    def _customer_restored(self, customer_id: int, label: str) -> None:
        self._last_deleted = None
        self.notify(_("{customer} restored.").format(customer=label),
                    title=_("Customer restored"))
        self.open_customer(customer_id)
        self.refresh_bindings()

    def action_merge_with(self, other_id: int | None = None) -> None:
        view = self.view
        if view is None or not self.actor.role.can_edit_base:
            return
        if other_id is not None:
            self._picked_for_merge(view.id, other_id)
            return
        from tradium_tui.screens.finder import FinderScreen  # lazy: start-up

        self.notify(_("Find the duplicate to merge into {name} ({number}).").format(
            name=view.name, number=view.number), timeout=4)
        self.app.push_screen(FinderScreen(self.actor),
                             partial(self._picked_for_merge, view.id))

    def _picked_for_merge(self, keep_id: int, other_id: int | None) -> None:
        if other_id is None:
            return
        if other_id == keep_id:
            self.notify(_("That is this customer itself; pick its duplicate."),
                        severity="warning")
            return
        from tradium_tui.screens.merge import MergeDialog  # lazy: start-up

        self.app.push_screen(MergeDialog(self.actor, keep_id, other_id), self._merge_closed)

    def _merge_closed(self, keep_id: int | None) -> None:
        if keep_id is None:
            return
        if keep_id == self.customer_id:
            for pane in self.panes():
                pane.mark_stale()
            self.reload_customer()
        else:
            self.open_customer(keep_id)

    def action_undo_merge(self) -> None:
        if self.view is None or not self.actor.role.can_edit_base:
            return
        self._find_last_merge(self.view.id)

    @work(thread=True, exclusive=True, exit_on_error=False, group="merge-undo")
    def _find_last_merge(self, customer_id: int) -> None:
        from tradium_tui.services.merge import undo  # lazy: start-up

        guard = db_guard(self, _("Undoing the merge"))
        with guard:
            info = undo.last_merge(customer_id)
        if not guard.failed:
            self.app.call_from_thread(self._ask_undo_merge, info)

    def _ask_undo_merge(self, info: Any) -> None:
        if info is None:
            self.notify(_("Nothing was merged into this customer."), title=_("Undo merge"))
            return
        if info.blocked_by:
            self.notify(info.blocked_by, title=_("Undo merge"), severity="warning", timeout=10)
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._undo_merge(info)

        if info.merged:  # several customers merged at once: undone together
            question = _("Undo the merge of {names}?").format(names=info.names)
            body = _("All {count} customers and everything that moved go back exactly as "
                     "they were before the merge.").format(count=len(info.merged) + 1)
        else:
            question = _("Undo the merge of {name} ({number})?").format(
                name=info.other_name, number=info.other_number)
            body = _("Both customers and everything that moved go back exactly as they were "
                     "before the merge.")
        self.app.push_screen(ConfirmDialog(question, body, yes=_("Undo merge"), no=_("Cancel")),
                             answered)

    @work(thread=True, exclusive=True, exit_on_error=False, group="merge-undo")
    def _undo_merge(self, info: Any) -> None:
        from tradium_tui.services.merge import undo  # lazy: start-up

        guard = db_guard(self, _("Undoing the merge"))
        with guard:
            undo.undo_merge(self.actor, info.id)
        if not guard.failed:
            self.app.call_from_thread(self._merge_undone, info)

    def _merge_undone(self, info: Any) -> None:
        if info.merged:
            text = _("{names} are customers of their own again.").format(names=info.names)
        else:
            text = _("{name} ({number}) is a customer of its own again.").format(
                name=info.other_name, number=info.other_number)
        self.notify(text, title=_("Merge undone"))
        for pane in self.panes():
            pane.mark_stale()
        self.reload_customer()

    def action_gdpr_export(self) -> None:
        if self.view is None or not self.actor.role.can_edit_base:
            return
        self._gdpr_export(self.view.id, self.view.number)

    @work(thread=True, exclusive=True, exit_on_error=False, group="gdpr")
    def _gdpr_export(self, customer_id: int, number: int) -> None:
        from tradium_tui.services import gdpr  # lazy: start-up

        guard = db_guard(self, _("Personal data export"))
        with guard:
            target = Path.home() / f"personal-data-{number}-{dt.date.today().isoformat()}.json"
            written = gdpr.export_person(self.actor, customer_id, target)
        if not guard.failed:
            self.app.call_from_thread(
                self.notify, _("Written: {files}").format(
                    files=", ".join(str(p) for p in written)),
                title=_("Personal data export"), timeout=10)

    def action_anonymise(self) -> None:
        view = self.view
        if view is None or not self.actor.role.can_edit_base:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._anonymise(view.id)

        self.app.push_screen(ConfirmDialog(
            _("Anonymise {name} ({number}) for good?").format(name=view.name, number=view.number),
            _("Personal fields are replaced, notes and action texts cleared and the history "
              "redacted; this cannot be undone. Invoices inside the legal retention keep their "
              "copy of name and address until the retention ends."),
            yes=_("Anonymise"), no=_("Cancel"), danger=True), answered)

    @work(thread=True, exclusive=True, exit_on_error=False, group="gdpr")
    def _anonymise(self, customer_id: int) -> None:
        from tradium_tui.services import gdpr  # lazy: start-up

        guard = db_guard(self, _("Anonymising"))
        with guard:
            result = gdpr.anonymise_customer(self.actor, customer_id)
        if not guard.failed:
            self.app.call_from_thread(self._anonymised, result.summary())

    def _anonymised(self, summary: str) -> None:
        self.notify(summary, title=_("Anonymised"), timeout=10)
        for pane in self.panes():
            pane.mark_stale()
        self.reload_customer()

    def action_address_details(self) -> None:
        if self.view is None:
            return
        from tradium_tui.screens.dialogs import AddressDialog  # lazy: start-up

        self.app.push_screen(AddressDialog(self.view))

    def action_bank_details(self) -> None:
        if self.view is None:
            return
        from tradium_tui.screens.dialogs import BankDialog  # lazy: start-up

        self.app.push_screen(BankDialog(self.view))

    def action_new_customer(self, kind: str | None = None) -> None:
        if not self.actor.role.can_edit_base:
            return
        from tradium_tui.screens.customer_form import new_customer  # lazy: start-up

        new_customer(self.app, self.actor, self._customer_saved, kind=kind)

    def action_edit_customer(self) -> None:
        if self.view is None or not self.actor.role.can_edit_base:
            return
        from tradium_tui.screens.customer_form import edit_customer  # lazy: start-up

        edit_customer(self.app, self.actor, self.view.id, self._customer_saved)

    def _customer_saved(self, customer_id: int | None) -> None:
        if customer_id is None:
            return
        if customer_id == self.customer_id:
            self.post_message(DataChanged(customer_id, "base"))
        else:
            self.open_customer(customer_id)
