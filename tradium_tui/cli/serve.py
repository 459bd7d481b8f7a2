"""``serve-web``: the same app in a web browser, through textual-serve.

Every browser tab that connects starts one app process on this machine, running as the
account that started ``serve-web`` and with its identity (``--user`` follows the usual
identity rules).  textual-serve itself has no login of any kind, so the server must sit
behind a proxy that authenticates the people using it; by default it listens on
127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys

from tradium_tui.cli.context import UsageError
from tradium_tui.i18n import _

WARNING = (
    "serve-web has no login of its own: anyone who can reach {where} uses the program as "
    "'{user}'. Keep it on 127.0.0.1 behind a reverse proxy that authenticates every request."
)


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "serve-web",
        help=_("serve the app in a web browser (behind an authenticating proxy only)"),
        parents=[common],
        description=(
            _("Serve the program to web browsers through textual-serve. There is no login: run it on 127.0.0.1 behind a reverse proxy that authenticates its users.")
        ),
    )
    p.add_argument("--host", default="127.0.0.1",
                   help=_("address to listen on (default 127.0.0.1)"))
    p.add_argument("--port", type=int, default=8000, help=_("port to listen on (default 8000)"))
    p.add_argument("--public-url", default=None, metavar="URL",
                   help=_("the URL browsers use, when a proxy sits in front (e.g. https://crm.example.com)"))
    p.set_defaults(handler=serve_web)


def app_command() -> str:
    """The shell command textual-serve runs for each browser connection."""
    return f"{shlex.quote(sys.executable)} -m tradium_tui"


def serve_web(ctx) -> int:
    args = ctx.args
    if not 0 < args.port < 65536:
        raise UsageError(_("--port must be between 1 and 65535, not {port}.").format(port=args.port))
    try:
        from textual_serve.server import Server
    except ImportError as exc:  # pragma: no cover - it is a dependency
        raise UsageError(_("serve-web needs the textual-serve package ({reason}).").format(reason=exc)) from exc

    # Fail now, with one sentence, when the database or the user is not usable, rather
    # than in every browser tab.
    ctx.open_db()
    actor = ctx.actor()
    # The app processes inherit the environment: pass the database and the user there,
    # not on their command line (where other local accounts could read a password).
    os.environ["TRADIUM_DB"] = ctx.db_url
    if args.user:
        os.environ["TRADIUM_USER"] = args.user
    where = f"http://{args.host}:{args.port}"
    print("tradium-tui: " + WARNING.format(where=where, user=actor.username), file=sys.stderr)
    server = Server(app_command(), host=args.host, port=args.port, title="tradium-tui",
                    public_url=args.public_url)
    server.serve()
    return 0
