"""The Footer every screen uses: the keys of the focused widget chain, drawn by one widget.

Textual's own Footer builds a widget per key and rebuilds them all whenever the screen
says its bindings changed — two dozen widgets to style, lay out and draw, 70–100 ms on a
small machine, paid at start-up (a tenth of the time to the first frame) and again on
every focus move or customer switch.  This Footer is a single widget that draws the same
picture from the screen's active bindings: a change of bindings is a repaint.

It looks and behaves like Textual's: key and description in the theme's footer colours,
keys that are not available now dimmed, the command-palette key bottom right behind a thin
rule, a compact style for small terminals.  A click on a key presses it (a bell when it is
not available now) and hovering shows the key's tooltip.  Keys that do not fit one line go
on a second and, on a tall terminal, a third (:meth:`AppFooter.lines_allowed`; one line on
a very low terminal).  When even those are full, the last line ends in "…" and the mouse
wheel scrolls the rest into view a key at a time; the command palette's "Keys" command
lists them all.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.reactive import reactive
from textual.screen import ModalScreen, Screen
from textual.widget import Widget

from tradium_tui.i18n import _

SEPARATOR = "▏"  # before the command-palette key, as Textual draws it
MORE = "…"  # the last cell when keys are cut off
TALL = 40  # rows from which the keys may take three lines
LOW = 24  # rows from which they may take two


def _text(message: str) -> str:
    return _(message) if message else ""


@dataclass(frozen=True)
class FooterEntry:
    """One key as the Footer shows it."""

    binding: Binding
    key_display: str
    description: str
    enabled: bool
    tooltip: str


@dataclass(frozen=True)
class _Span:
    """Where an entry was drawn: line ``y``, cells ``start`` up to ``end``."""

    y: int
    start: int
    end: int
    entry: FooterEntry


class AppFooter(Widget, can_focus=False):
    """Key bindings of the focused chain on one line (a repaint per change, no widgets)."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {
        "footer-key--item",
        "footer-key--key",
        "footer-key--description",
        "footer-key--hover",
        "footer-key--separator",
    }
    DEFAULT_CSS = """
    AppFooter {
        dock: bottom;
        height: 1;
        width: 1fr;
        color: $footer-foreground;
        background: $footer-background;
        text-wrap: nowrap;
        .footer-key--item {
            background: $footer-item-background;
        }
        .footer-key--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        .footer-key--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        .footer-key--hover {
            color: $footer-key-foreground;
            background: $block-hover-background;
        }
        .footer-key--separator {
            color: $foreground 20%;
        }
    }
    """

    compact = reactive(False)
    """Less space around the keys (small terminals)."""
    show_command_palette = reactive(True)
    """Show the command-palette key on the right."""
    max_lines: reactive[int | None] = reactive(None)
    """Lines the keys may take; ``None``: by the terminal's height (see :meth:`lines_allowed`)."""

    def __init__(
        self,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        show_command_palette: bool = True,
        compact: bool = False,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.set_reactive(AppFooter.show_command_palette, show_command_palette)
        self.set_reactive(AppFooter.compact, compact)
        self._spans: list[_Span] = []
        self._hover: FooterEntry | None = None
        self._scroll = 0  # keys scrolled out of view
        self._more = False  # whether keys are cut off at the end
        self._arranged: tuple[tuple, tuple] | None = None  # (state, arrangement) last made

    # ----------------------------------------------------------------- what is shown

    def entries(self) -> tuple[list[FooterEntry], FooterEntry | None]:
        """The keys to show (one per action, as Textual does) and the palette key.

        Descriptions and tooltips are English in the bindings (marked with ``N_``) and
        translated here, when drawn, so they follow a switch of language."""
        app = self.app
        shown: dict[str, FooterEntry] = {}
        palette: FooterEntry | None = None
        palette_keys: set[str] = set()
        if app.ENABLE_COMMAND_PALETTE:  # its key, or the keys the user's keymap gives it
            keymap = getattr(app, "keymap", None) or {}
            palette_keys = set((keymap.get("command_palette")
                                or app.COMMAND_PALETTE_BINDING).split(","))
        for key, (_node, binding, enabled, tooltip) in self.screen.active_bindings.items():
            if key in palette_keys:
                if self.show_command_palette:
                    palette = FooterEntry(binding, app.get_key_display(binding),
                                          _text(binding.description), enabled,
                                          _text(binding.tooltip or binding.description))
                continue
            if not binding.show or binding.action in shown:
                continue
            shown[binding.action] = FooterEntry(
                binding, app.get_key_display(binding), _text(binding.description), enabled,
                _text(tooltip or binding.tooltip or binding.description),
            )
        return list(shown.values()), palette

    def text(self) -> str:
        """The lines as shown (for tests and screen readers)."""
        return self.render().plain

    # ----------------------------------------------------------------- drawing

    def _styles(self, entry: FooterEntry) -> tuple[Style, Style]:
        item = self.get_component_rich_style("footer-key--item")
        if entry == self._hover:  # entries are made afresh per drawing: equal, not the same
            hover = item + self.get_component_rich_style("footer-key--hover", partial=True)
            key = hover + Style(bold=True)
            description = hover
        else:
            key = item + self.get_component_rich_style("footer-key--key", partial=True)
            description = item + self.get_component_rich_style(
                "footer-key--description", partial=True)
        if not entry.enabled:
            key += Style(dim=True)
            description += Style(dim=True)
        return key, description

    def _draw(self, entry: FooterEntry, compact: bool) -> Text:
        key_style, description_style = self._styles(entry)
        if not entry.description:
            return Text(entry.key_display, style=key_style)
        if compact:
            return Text.assemble((entry.key_display, key_style),
                                 (f" {entry.description}", description_style))
        return Text.assemble((f" {entry.key_display} ", key_style),
                             (f"{entry.description} ", description_style))

    def _palette_text(self, palette: FooterEntry | None) -> Text:
        right = Text(no_wrap=True, end="")
        if palette is not None:
            right.append(SEPARATOR, self.get_component_rich_style("footer-key--separator"))
            right.append_text(self._draw(palette, compact=True))  # Textual draws it so
            if not self.compact:
                right.append(" ", self.get_component_rich_style("footer-key--item"))
        return right

    def lines_allowed(self) -> int:
        """:attr:`max_lines` when set; else by the terminal's height: 3 lines from
        :data:`TALL` rows on, 2 from :data:`LOW` rows on, 1 below that."""
        if self.max_lines is not None:
            return max(1, self.max_lines)
        height = self.app.size.height
        return 3 if height >= TALL else 2 if height >= LOW else 1

    def _fill(self, drawn: list[tuple[FooterEntry, Text]], width: int, reserve: int,
              count: int) -> tuple[list[list[tuple[FooterEntry, Text]]], int]:
        """Put keys on ``count`` lines in order, the last line ``reserve`` cells shorter;
        answers the lines and how many keys fitted."""
        gap = 1 if self.compact else 0
        lines: list[list[tuple[FooterEntry, Text]]] = [[]]
        used = 0
        placed = 0
        for item in drawn:
            while True:
                room = width - (reserve if len(lines) == count else 0)
                if used + item[1].cell_len <= room:
                    break
                if len(lines) == count:
                    return lines, placed
                lines.append([])
                used = 0
            lines[-1].append(item)
            used += item[1].cell_len + gap
            placed += 1
        while len(lines) < count:  # the keys filled the lines before; the last is free
            lines.append([])
        return lines, placed

    def _arrange(self, width: int) -> tuple[list[list[tuple[FooterEntry, Text]]], Text,
                                            FooterEntry | None, bool]:
        """Keys per line, the palette key's text, and whether some keys did not fit.

        As few lines as hold every key (the palette key bottom right), at most
        :meth:`lines_allowed`.
        """
        entries, palette = self.entries()
        self._scroll = max(0, min(self._scroll, len(entries) - 1))
        allowed = self.lines_allowed()
        # Fitting the height and drawing ask for the same arrangement: made once per state.
        state = (width, entries, palette, self.compact, allowed, self._scroll, self._hover,
                 self.app.theme, self.rich_style)  # the last two: the colours drawn with
        if self._arranged is not None and self._arranged[0] == state:
            return self._arranged[1]
        right = self._palette_text(palette)
        drawn = [(entry, self._draw(entry, self.compact)) for entry in entries[self._scroll:]]
        for count in range(1, allowed + 1):
            lines, placed = self._fill(drawn, width, right.cell_len, count)
            if placed == len(drawn):
                break
        else:  # even the last line is full: it keeps room for "…"
            lines, placed = self._fill(drawn, width, right.cell_len + 1, allowed)
        arranged = (lines, right, palette, placed < len(drawn))
        self._arranged = (state, arranged)
        return arranged

    def lines_needed(self) -> int:
        """How many lines the keys take at the current width."""
        if not self.is_attached or self.size.width <= 0:
            return 1
        lines, right, _palette, _more = self._arrange(self.size.width)
        return len(lines)

    def lines_beneath(self) -> int:
        """Lines of the Footer of the screen beneath a dialog (0 when not on a dialog).

        A dialog's Footer covers all of it, so none of the keys of the screen behind (which
        do not work while the dialog is open) show through.
        """
        screen = self.screen
        if not isinstance(screen, ModalScreen):
            return 0
        stack = self.app.screen_stack
        if screen not in stack or stack.index(screen) == 0:
            return 0
        below = stack[stack.index(screen) - 1]
        return max((footer.size.height for footer in below.query(AppFooter)), default=0)

    def _fit_height(self) -> None:
        height = max(self.lines_needed(), self.lines_beneath())
        if self.styles.height is None or self.styles.height.value != height:
            self.styles.height = height

    def render(self) -> Text:
        width = self.size.width
        base = self.rich_style
        lines, right, palette, more = self._arrange(width)
        self._more = more
        if len(lines) < self.size.height:  # covering a taller Footer: keys at the bottom
            lines = [[] for _line in range(self.size.height - len(lines))] + lines
        spans: list[_Span] = []
        rows: list[Text] = []
        for y, line in enumerate(lines):
            last = y == len(lines) - 1
            room = max(0, width - (right.cell_len if last else 0))
            row = Text(style=base, no_wrap=True, end="")
            for entry, drawn in line:
                start = row.cell_len
                row.append_text(drawn)
                spans.append(_Span(y, start, row.cell_len, entry))
                if self.compact:
                    row.append(" ")
            if last and more:  # right after the last key that fits (room was kept)
                row.append(MORE, base)
            row.truncate(room, pad=True)
            if last:
                start = room + 1  # after the separator
                row.append_text(right)
                if palette is not None:
                    spans.append(_Span(y, start, row.cell_len, palette))
            rows.append(row)
        self._spans = spans
        return Text("\n", style=base, no_wrap=True, end="").join(rows)

    # ----------------------------------------------------------------- events

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self.bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def bindings_changed(self, screen: Screen) -> None:
        # While the terminal has no focus Textual drops the focused widget's keys; keep
        # showing them rather than flicker (the change on regaining focus redraws).
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            self._changed()

    def _changed(self) -> None:
        self._fit_height()
        self.refresh()

    def on_resize(self) -> None:
        self._changed()

    def watch_compact(self) -> None:
        self._changed()

    def watch_show_command_palette(self) -> None:
        self._changed()

    def watch_max_lines(self) -> None:
        self._changed()

    def entry_at(self, x: int, y: int = 0) -> FooterEntry | None:
        """The key drawn at cell ``x`` of line ``y`` (``None`` between keys)."""
        for span in self._spans:
            if span.y == y and span.start <= x < span.end:
                return span.entry
        return None

    def on_mouse_down(self, event: events.MouseDown) -> None:
        entry = self.entry_at(event.x, event.y)
        if entry is None:
            return
        event.stop()
        if entry.enabled:
            self.app.simulate_key(entry.binding.key)
        else:
            self.app.bell()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        entry = self.entry_at(event.x, event.y)
        if entry != self._hover:
            self._hover = entry
            self.tooltip = entry.tooltip if entry is not None and entry.tooltip else None
            self.refresh()

    def on_leave(self, event: events.Leave) -> None:
        if self._hover is not None:
            self._hover = None
            self.tooltip = None
            self.refresh()

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        if self._more:
            event.stop()
            self._scroll += 1
            self.refresh()

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        if self._scroll:
            event.stop()
            self._scroll -= 1
            self.refresh()
