"""``tradium-tui serve-web``: the page is served on loopback, and a browser connection
(its websocket) gets the running program, showing the customer."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
import urllib.request

from tradium_tui.services import customers, users
from tradium_tui.services.access import actor_for

from .support import free_port, wait_until


def fetch(url: str) -> tuple[int, str] | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except OSError:
        return None  # not listening yet


async def first_screen(ws_url: str, wanted: str, timeout: float) -> str:
    """Connect like a browser and collect the program's output until ``wanted`` shows."""
    import aiohttp

    seen = ""
    async with aiohttp.ClientSession() as session:
        async with session.ws_connect(f"{ws_url}?width=110&height=30") as ws:
            deadline = time.monotonic() + timeout
            while wanted not in seen:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                try:
                    message = await ws.receive(timeout=left)
                except TimeoutError:
                    break
                if message.type == aiohttp.WSMsgType.BINARY:
                    seen += message.data.decode("utf-8", "replace")
                elif message.type == aiohttp.WSMsgType.TEXT:
                    seen += message.data
                elif message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED,
                                      aiohttp.WSMsgType.ERROR):
                    break
            await ws.send_json(["stdin", "\x11"])  # ctrl+q: leave the program
    return seen


def test_serve_web_serves_the_app_on_loopback(database):
    users.bootstrap_first_admin("admin")
    customers.create_customer(actor_for("admin"), {
        "kind": "company", "name": "Webserve Handel B.V.", "visit_country": "NL",
    }, check_online=False)
    database.close()
    port = free_port()
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("SSH_") and k not in ("TRADIUM_CONFIG", "TRADIUM_USER")}
    server = subprocess.Popen(
        [sys.executable, "-m", "tradium_tui", "serve-web", "--db", database.test_url,
         "--user", "admin", "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )
    try:
        status, page = wait_until(lambda: server.poll() is None and fetch(
            f"http://127.0.0.1:{port}/"), 60, "the serve-web page")
        assert status == 200
        assert "<html" in page.lower() and "tradium-tui" in page
        assert f"ws://127.0.0.1:{port}/ws" in page
        output = asyncio.run(first_screen(f"ws://127.0.0.1:{port}/ws", "Webserve", 60))
        assert "Webserve" in output, output[-2000:]
    finally:
        server.terminate()
        try:
            _, err = server.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            _, err = server.communicate()
    assert "authenticat" in err  # the warning about the missing login
    assert "Traceback" not in err, err
