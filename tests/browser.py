"""A minimal headless-Chromium driver for the browser tests: the DevTools protocol over
`--remote-debugging-pipe` (no websocket library, no Selenium/Playwright download).

It opens a page, collects console errors, uncaught exceptions and log errors, and evaluates
JavaScript in the page. Tests skip, with the reason, when no Chromium binary is installed.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import shutil
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def chromium_binary() -> str | None:
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


class BrowserError(RuntimeError):
    pass


@dataclass
class PageResult:
    console_errors: list[str] = field(default_factory=list)
    exceptions: list[str] = field(default_factory=list)
    log_errors: list[str] = field(default_factory=list)

    @property
    def problems(self) -> list[str]:
        return self.console_errors + self.exceptions + self.log_errors


class Browser:
    """One headless Chromium, driven through the DevTools pipe (fds 3 and 4)."""

    def __init__(self, binary: str) -> None:
        self.profile = tempfile.mkdtemp(prefix="drillbook-chromium-")
        to_chrome_r, to_chrome_w = os.pipe()
        from_chrome_r, from_chrome_w = os.pipe()
        # Move the child's ends out of the way before placing them on fds 3 and 4.
        child_in, child_out = os.dup(to_chrome_r), os.dup(from_chrome_w)
        for fd in (to_chrome_r, from_chrome_w):
            os.close(fd)

        def _wire() -> None:  # runs in the child, before exec
            os.dup2(child_in, 3)
            os.dup2(child_out, 4)

        self.process = subprocess.Popen(
            [
                binary,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-extensions",
                "--remote-debugging-pipe",
                f"--user-data-dir={self.profile}",
                "about:blank",
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=_wire,
            # Python's fds are non-inheritable (PEP 446): only the dup2'ed 3 and 4 survive exec.
            close_fds=False,
        )
        os.close(child_in)
        os.close(child_out)
        self._writer = os.fdopen(to_chrome_w, "wb", buffering=0)
        self._reader = os.fdopen(from_chrome_r, "rb", buffering=0)
        self._next_id = 0
        self._replies: dict[int, queue.Queue[dict[str, Any]]] = {}
        self._events: queue.Queue[dict[str, Any]] = queue.Queue()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._read_loop, daemon=True)
        self._thread.start()

    # protocol -------------------------------------------------------------------------

    def _read_loop(self) -> None:
        buffer = b""
        while True:
            chunk = self._reader.read(65536)
            if not chunk:
                return
            buffer += chunk
            while b"\0" in buffer:
                raw, buffer = buffer.split(b"\0", 1)
                message = json.loads(raw)
                if "id" in message:
                    with self._lock:
                        box = self._replies.get(message["id"])
                    if box is not None:
                        box.put(message)
                else:
                    self._events.put(message)

    def send(
        self, method: str, params: dict[str, Any] | None = None, session: str | None = None
    ) -> dict[str, Any]:
        with self._lock:
            self._next_id += 1
            ident = self._next_id
            box: queue.Queue[dict[str, Any]] = queue.Queue()
            self._replies[ident] = box
        message: dict[str, Any] = {"id": ident, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        self._writer.write(json.dumps(message).encode() + b"\0")
        try:
            reply = box.get(timeout=60)
        except queue.Empty:
            raise BrowserError(f"no reply to {method}") from None
        if "error" in reply:
            raise BrowserError(f"{method}: {reply['error']}")
        result: dict[str, Any] = reply.get("result", {})
        return result

    # pages ----------------------------------------------------------------------------

    def open(self, url: str, settle: float = 0.3) -> Page:
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"
        ]
        page = Page(self, session, target)
        for domain in ("Runtime.enable", "Log.enable", "Page.enable"):
            self.send(domain, session=session)
        self.send("Page.navigate", {"url": url}, session=session)
        page.wait_for("Page.loadEventFired")
        time.sleep(settle)
        page.drain()
        return page

    def close(self) -> None:
        with contextlib.suppress(BrowserError, OSError, ValueError):
            self.send("Browser.close")
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        for stream in (self._writer, self._reader):
            with contextlib.suppress(OSError):
                stream.close()
        shutil.rmtree(self.profile, ignore_errors=True)


class Page:
    def __init__(self, browser: Browser, session: str, target: str) -> None:
        self.browser = browser
        self.session = session
        self.target = target
        self.result = PageResult()
        self._pending: list[dict[str, Any]] = []

    def _record(self, event: dict[str, Any]) -> None:
        if event.get("sessionId") != self.session:
            return
        method = event.get("method")
        params = event.get("params", {})
        if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            text = " ".join(
                str(arg.get("value", arg.get("description", ""))) for arg in params.get("args", [])
            )
            self.result.console_errors.append(text)
        elif method == "Runtime.exceptionThrown":
            details = params.get("exceptionDetails", {})
            self.result.exceptions.append(
                str(details.get("exception", {}).get("description") or details.get("text"))
            )
        elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
            entry = params["entry"]
            self.result.log_errors.append(f"{entry.get('source')}: {entry.get('text')}")

    def wait_for(self, method: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                event = self.browser._events.get(timeout=0.2)
            except queue.Empty:
                continue
            self._record(event)
            if event.get("method") == method and event.get("sessionId") == self.session:
                return
        raise BrowserError(f"timed out waiting for {method}")

    def drain(self) -> None:
        while True:
            try:
                self._record(self.browser._events.get_nowait())
            except queue.Empty:
                return

    def evaluate(self, expression: str, await_promise: bool = False) -> Any:
        reply = self.browser.send(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True, "awaitPromise": await_promise},
            session=self.session,
        )
        self.drain()
        if "exceptionDetails" in reply:
            raise BrowserError(str(reply["exceptionDetails"]))
        return reply.get("result", {}).get("value")

    def screenshot(
        self, path: Path, width: int, height: int, clip: tuple[int, int, int, int] | None = None
    ) -> None:
        import base64

        self.browser.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600},
            session=self.session,
        )
        params: dict[str, Any] = {"format": "png", "captureBeyondViewport": True}
        if clip is not None:
            x, y, w, h = clip
            params["clip"] = {"x": x, "y": y, "width": w, "height": h, "scale": 1}
        data = self.browser.send("Page.captureScreenshot", params, session=self.session)["data"]
        path.write_bytes(base64.b64decode(data))

    def close(self) -> None:
        self.browser.send("Target.closeTarget", {"targetId": self.target})
