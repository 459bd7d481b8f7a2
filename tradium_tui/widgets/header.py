"""The customer header: who this customer is, always visible above the tabs.

It renders a :class:`~tradium_tui.services.customer_view.CustomerView` (a frozen
dataclass loaded by a worker); it never touches the database itself.  At narrow or
low terminals the header condenses to three lines (CSS class ``-compact``).
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.reactive import reactive
from textual.style import Style
from textual.widgets import Static

from tradium_tui import formatting as fmt
from tradium_tui.i18n import N_, _, pgettext
from tradium_tui.keymap import key_for

# Terminal width/height below which the header shows its condensed form.
COMPACT_WIDTH = 100
COMPACT_HEIGHT = 30

VAT_STYLE = {
    "valid": "$text-success",
    "invalid": "$text-error",
    "missing": "$text-error",
}
VAT_LABEL = {  # shown through _()
    "valid": N_("valid"),
    "invalid": N_("invalid"),
    "missing": N_("missing"),
    "unchecked": N_("not checked"),
    "not_required": "",
}


def vat_style(view: Any) -> str:
    """The colour of the VAT number: green valid, red invalid or missing-when-required."""
    status = view.vat_status or ""
    if status == "missing" and not view.vat_required:
        return ""
    return VAT_STYLE.get(status, "")


def country_badges(view: Any) -> Content:
    """The country flag and, for EU countries, the EU flag.

    Emoji flags (two regional-indicator letters) measure two cells both in Textual and in
    tmux, so they keep the layout aligned; the ISO code follows so the country is readable
    where the font has no flag glyphs.
    """
    if not view.country:
        return Content("")
    parts: list[Content | str] = []
    if view.flag:
        parts.append(Content(view.flag))
        parts.append(" ")
    parts.append(Content.from_markup("[b]$code[/]", code=view.country))
    if view.is_eu:
        parts.append(" ")
        parts.append(Content.from_markup("[#ffcc00 on #003399] EU [/]"))
    return Content.assemble(*parts)


def _join(parts: list[Content | str], sep: str = "  ") -> Content:
    parts = [p for p in parts if p]
    if not parts:
        return Content("")
    out: list[Content | str] = []
    for index, part in enumerate(parts):
        if index:
            out.append(Content.styled(sep, "$text-muted"))
        out.append(part)
    return Content.assemble(*out)


def _label(label: str, value: str | Content, style: str = "") -> Content:
    text = value if isinstance(value, Content) else Content.styled(value, style)
    return Content.assemble(Content.styled(f"{label} ", "$text-muted"), text)


def _link(text: str, url: str) -> Content:
    return Content.styled(text, Style(underline=True, link=url))


def _website_url(website: str) -> str | None:
    """The address the website links to: only a web page (``http``/``https``, the scheme
    added when missing). Stored text such as ``file:///etc/passwd`` or ``javascript:…``
    is shown, never made a link the terminal would open."""
    text = website.strip()
    if not text or any(ch.isspace() for ch in text):
        return None
    scheme, sep, _rest = text.partition(":")
    if not sep or not scheme.isalpha():
        return f"https://{text}"
    if scheme.lower() in ("http", "https") and text[len(scheme):].startswith("://"):
        return text
    return None


def title_line(view: Any) -> Content:
    kind = _("consumer") if view.kind == "consumer" else _("company")
    parts: list[Content | str] = [
        Content.from_markup("[b]$name[/] [$text-muted]($number)[/]", name=view.name,
                            number=str(view.number)),
        country_badges(view),
    ]
    if view.deleted:
        parts.append(Content.from_markup("[reverse $text-error] $deleted [/]",
                                         deleted=_("DELETED")))
    if view.marked:
        parts.append(Content.from_markup("[$text-warning]★ $marked[/]", marked=_("marked")))
    parts.append(Content.styled(kind, "$text-muted"))
    return _join(parts)


def address_line(view: Any, compact: bool) -> Content:
    visit = ", ".join(line for line in view.visit_lines if line)
    if view.country_name and view.country_name not in visit:
        visit = f"{visit}, {view.country_name}" if visit else view.country_name
    parts: list[Content | str] = [
        Content.from_markup("[@click=screen.address_details]$visit[/]",
                            visit=visit or _("no address"))
    ]
    if view.postal_lines and not compact:
        postal = ", ".join(line for line in view.postal_lines if line)
        parts.append(
            Content.assemble(
                Content.styled(_("Postal") + " ", "$text-muted"),
                Content.from_markup("[@click=screen.address_details]$postal[/]", postal=postal),
            )
        )
    return _join(parts, "   ")


def contact_line(view: Any, compact: bool) -> Content:
    parts: list[Content | str] = []
    if view.phone:
        parts.append(_label("☎", view.phone))
    if view.mobile and not compact:
        parts.append(_label(_("Mobile"), view.mobile))
    if view.fax and not compact:
        parts.append(_label(_("Fax"), view.fax))
    if view.email:
        parts.append(_link(view.email, f"mailto:{view.email}"))
    if view.website and not compact:
        url = _website_url(view.website)
        parts.append(_link(view.website, url) if url else Content(view.website))
    return _join(parts)


def fiscal_line(view: Any, compact: bool) -> Content:
    parts: list[Content | str] = []
    if view.coc_number and not compact:
        # TRANSLATORS: the chamber-of-commerce number's label in the customer header
        parts.append(_label(_("CoC"), view.coc_number))
    if view.vat_number or view.vat_required:
        style = vat_style(view)
        value = view.vat_number or _("missing")
        raw_label = VAT_LABEL.get(view.vat_status or "", "")
        label = _(raw_label) if raw_label else ""
        shown = f"{value} ({label})" if label and not compact and view.vat_number else value
        parts.append(
            Content.assemble(
                # TRANSLATORS: the VAT number's label in the customer header
                Content.styled(_("VAT") + " ", "$text-muted"),
                Content.styled(shown, style),
            )
        )
    if view.iban:
        bank = Content.from_markup("[@click=screen.bank_details][u]$bank[/u][/]", bank=_("Bank"))
        iban = _label("IBAN", view.iban)
        if compact:
            parts.append(Content.assemble(iban, " ", bank))
        else:
            extra = " ".join(x for x in (view.bic, view.bank_name) if x)
            parts.append(Content.assemble(iban, " ", bank, Content.styled(
                f" {extra}" if extra else "", "$text-muted")))
    return _join(parts)


def credit_line(view: Any, compact: bool) -> Content:
    balance_style = "bold $text-warning" if view.over_limit else ""
    hidden = getattr(view, "hidden", frozenset())
    parts: list[Content | str] = []
    # Labels of the credit line: a short form for the condensed header (80×24), a longer
    # one where there is room (Dutch: Saldo / Openstaand saldo).
    if "open_balance" not in hidden:
        open_label = (pgettext("header, condensed", "Open") if compact
                      else pgettext("header", "Open"))
        parts.append(_label(open_label, fmt.money(view.open_balance), balance_style))
    limit_label = (pgettext("header, condensed", "Limit") if compact
                   else pgettext("header", "Limit"))
    parts.append(_label(limit_label, fmt.money(view.credit_limit)))
    if not compact:
        if view.advisory_credit is not None:
            # TRANSLATORS: the advisory credit figure (from the payment history), header
            parts.append(_label(_("Advisory"), fmt.money(view.advisory_credit)))
        if view.mailing_code is not None:
            parts.append(_label(pgettext("header", "Mailing"), str(view.mailing_code)))
        if view.region:
            parts.append(_label(pgettext("header", "Region"), view.region))
        if view.account_manager:
            parts.append(_label(pgettext("header", "Manager"), str(view.account_manager)))
    return _join(parts)


def custom_line(view: Any) -> Content:
    parts: list[Content | str] = [
        _label(f"{label}:", str(value)) for label, value in (view.custom_fields or ())
        if value not in (None, "")
    ]
    tags = getattr(view, "tags", ())
    if tags:
        parts.append(_label(_("Tags"), ", ".join(tags), "$text-accent"))
    return _join(parts)


class CustomerHeader(Vertical):
    """The persistent header above the tabs."""

    DEFAULT_CSS = """
    CustomerHeader {
        height: auto;
        padding: 0 1;
        & > #hdr-top { height: 1; }
        & > #hdr-top > #hdr-title { width: 1fr; height: 1; text-wrap: nowrap; text-overflow: ellipsis; }
        & > #hdr-top > #hdr-hours { width: auto; height: 1; max-width: 50%; text-wrap: nowrap; text-overflow: ellipsis; color: $text-muted; }
        & > Static { height: 1; text-wrap: nowrap; text-overflow: ellipsis; }
        & > .-empty { display: none; }
    }
    """

    view: reactive[Any | None] = reactive(None, always_update=True)
    compact: reactive[bool] = reactive(False)

    def compose(self) -> ComposeResult:
        with Horizontal(id="hdr-top"):
            yield Static(id="hdr-title", markup=False)
            yield Static(id="hdr-hours", markup=False)
        yield Static(id="hdr-address", markup=False)
        yield Static(id="hdr-contact", markup=False)
        yield Static(id="hdr-fiscal", markup=False)
        yield Static(id="hdr-credit", markup=False)
        yield Static(id="hdr-custom", markup=False)

    def watch_view(self) -> None:
        self._render_view()

    def watch_compact(self, compact: bool) -> None:
        self.set_class(compact, "-compact")
        self._render_view()

    def _set(self, widget_id: str, content: Content) -> None:
        widget = self.query_one(f"#{widget_id}", Static)
        widget.update(content)
        widget.set_class(not content.plain.strip(), "-empty")

    def _render_view(self) -> None:
        if not self.is_mounted:
            return
        view = self.view
        if view is None:
            find = key_for(self, "find_customer")
            self._set("hdr-title", Content.styled(_("No customer open — press {key} to find one").format(key=find),
                                                  "$text-muted"))
            for widget_id in ("hdr-hours", "hdr-address", "hdr-contact", "hdr-fiscal",
                              "hdr-credit", "hdr-custom"):
                self._set(widget_id, Content(""))
            return
        compact = self.compact
        self._set("hdr-title", title_line(view))
        self._set("hdr-hours", Content(view.opening_hours or ""))
        self._set("hdr-address", address_line(view, compact))
        if compact:
            # Three lines: title, address, then the figures people look at most.
            vat_iban = fiscal_line(view, compact=True)
            money = credit_line(view, compact=True)
            self._set("hdr-contact", _join([money, vat_iban]))
            self._set("hdr-fiscal", Content(""))
            self._set("hdr-credit", Content(""))
            self._set("hdr-custom", Content(""))
        else:
            self._set("hdr-contact", contact_line(view, compact))
            self._set("hdr-fiscal", fiscal_line(view, compact))
            self._set("hdr-credit", credit_line(view, compact))
            self._set("hdr-custom", custom_line(view))

    def on_mount(self) -> None:
        self._render_view()
