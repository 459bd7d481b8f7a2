"""Plain-text output shared by the commands."""

from __future__ import annotations


def table(rows: list[list[str]], headers: list[str]) -> str:
    """Columns padded to their widest cell, two spaces apart, headers first; stored text
    is escaped (a control character shows as ``␛``, never reaches the terminal)."""
    from tradium_tui.services.text_safety import shown

    rows = [[shown(c) for c in row] for row in rows]
    widths = [max(len(str(r[i])) for r in [headers, *rows]) for i in range(len(headers))]
    lines = ["  ".join(str(h).ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    for row in rows:
        lines.append("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
    return "\n".join(lines)
