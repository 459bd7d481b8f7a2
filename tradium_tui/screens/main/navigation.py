"""The screens the main screen opens: the finder and recent customers, the customer
list (and back to it), my actions, deleted customers, admin and import/export."""

from __future__ import annotations


class Navigation:
    """Opening the other screens, for :class:`~.screen.MainScreen`."""

    def action_find(self) -> None:
        from tradium_tui.screens.finder import FinderScreen  # lazy: start-up

        self.app.push_screen(FinderScreen(self.actor), self._finder_closed)

    def action_recent(self) -> None:
        from tradium_tui.screens.finder import FinderScreen  # lazy: start-up

        self.app.push_screen(FinderScreen(self.actor, recent=True), self._finder_closed)

    def _finder_closed(self, customer_id: int | None) -> None:
        if customer_id is not None:
            self.open_customer(customer_id)

    def action_customer_list(self, back: bool = False) -> None:
        # lazy: start-up
        from tradium_tui.screens.customer_list.screen import CustomerListScreen
        from tradium_tui.screens.customer_list.state import ListState

        state = getattr(self, "_list_state", None)
        if state is None or not back:
            state = state if state is not None and back else ListState()
        self._list_state = state
        self._list_open = False
        self.refresh_bindings()
        self.app.push_screen(CustomerListScreen(self.actor, state), self._list_closed)

    def action_back_to_list(self) -> None:
        if getattr(self, "_list_open", False):
            self.action_customer_list(back=True)

    def _list_closed(self, customer_id: int | None) -> None:
        state = getattr(self, "_list_state", None)
        merged = dict(state.merged) if state is not None else {}
        if state is not None:
            state.merged.clear()  # seen once: an undo later must not send us there again
        if customer_id is None:
            self._list_state = None
            # Merged in the list: the customer shown here may be gone or have changed.
            if self.customer_id in merged:
                self.open_customer(merged[self.customer_id])
            elif self.customer_id in merged.values():
                for pane in self.panes():
                    pane.mark_stale()
                self.reload_customer()
            return
        self._list_open = True
        self.refresh_bindings()
        self.open_customer(customer_id)

    def action_my_actions(self) -> None:
        from tradium_tui.screens.my_actions import MyActionsScreen  # lazy: start-up

        self.app.push_screen(MyActionsScreen(self.actor), self._finder_closed)

    def action_deleted_customers(self) -> None:
        if not self.actor.role.can_edit_base:
            return
        from tradium_tui.screens.deleted import DeletedCustomersScreen  # lazy: start-up

        self.app.push_screen(DeletedCustomersScreen(self.actor), self._deleted_closed)

    def _deleted_closed(self, customer_id: int | None) -> None:
        if customer_id is None:
            return
        if self._last_deleted is not None and self._last_deleted[0] == customer_id:
            self._last_deleted = None  # restored from the list: nothing left to undo
        self.open_customer(customer_id)
        self.refresh_bindings()

    def action_admin(self) -> None:
        if self.actor.is_admin:
            from tradium_tui.screens.admin import AdminScreen  # lazy: start-up

            self.app.push_screen(AdminScreen(self.actor))

    def action_import_export(self) -> None:
        if self.actor.role.can_import_export:
            from tradium_tui.screens.transfer import TransferScreen  # lazy: start-up

            self.app.push_screen(TransferScreen(self.actor))
