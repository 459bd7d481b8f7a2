"""The status bar under the tabs: last change of the base data, condition group, ranking."""

from __future__ import annotations

from typing import Any

from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Static

from tradium_tui import formatting as fmt
from tradium_tui.i18n import _, pgettext


def status_content(view: Any | None, user: str = "") -> Content:
    if view is None:
        return Content.styled(f" {user}" if user else "", "$text-muted")
    hidden = getattr(view, "hidden", frozenset())
    parts: list[Content] = []
    if "last_change" not in hidden:
        parts.append(Content.assemble(Content.styled(_("Changed") + " ", "$text-muted"),
                                      fmt.datetime_short(view.last_change) or "—"))
    if "condition_group" not in hidden:
        parts.append(Content.assemble(Content.styled(_("Condition group") + " ", "$text-muted"),
                                      view.condition_group or "—"))
    if "rank" not in hidden:
        parts.append(Content.assemble(Content.styled(_("Rank") + " ", "$text-muted"),
                                      fmt.ordinal_rank(view.rank, view.rank_total)))
    if view.customer_group:
        group = view.customer_group
        if view.group_discount and "group_discount" not in hidden:
            group = f"{group} ({fmt.percent(view.group_discount)})"
        parts.append(Content.assemble(Content.styled(pgettext("customer group", "Group") + " ", "$text-muted"), group))
    sep = Content.styled(" │ ", "$text-muted")
    out: list[Content | str] = [" "]
    for index, part in enumerate(parts):
        if index:
            out.append(sep)
        out.append(part)
    return Content.assemble(*out)


class StatusBar(Static):
    """One line: when the base data last changed, the condition group and the ranking."""

    DEFAULT_CSS = """
    StatusBar {
        height: 1;
        background: $panel;
        color: $foreground;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    view: reactive[Any | None] = reactive(None, always_update=True)

    def __init__(self, user: str = "", **kwargs) -> None:
        super().__init__("", markup=False, **kwargs)
        self.user = user

    def watch_view(self, view: Any | None) -> None:
        self.update(status_content(view, self.user))
