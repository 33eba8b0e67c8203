"""A real headless Chromium (the Debian package) that can reach nothing but this machine, driven over
the DevTools protocol: open a page, run a line of JavaScript in it, take a screenshot."""

from __future__ import annotations

import base64
import itertools
import json
import os
import shutil
import subprocess
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

import httpx
from websockets.sync.client import connect

# every name resolves to nothing and every other connection goes to a closed port: only 127.0.0.1 answers
OFFLINE = [
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    "--proxy-server=127.0.0.1:9",
    "--proxy-bypass-list=127.0.0.1",
]
# where tests leave their screenshots: test artefacts, never committed (.gitignore)
ARTIFACTS = Path(os.environ.get("SCHAKEL_ARTIFACTS", Path(__file__).resolve().parents[2] / ".artifacts"))


class Browser:
    def __init__(self, width: int = 1280, height: int = 900) -> None:
        self._profile = tempfile.mkdtemp(prefix="schakel-chromium-")
        self._process = subprocess.Popen(
            [
                "chromium",
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                *OFFLINE,
                f"--window-size={width},{height}",
                "--remote-debugging-port=0",
                f"--user-data-dir={self._profile}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            # its singleton socket's directory too, or every run leaves one behind in /tmp
            env={**os.environ, "TMPDIR": self._profile},
        )
        port_file, deadline = Path(self._profile) / "DevToolsActivePort", time.monotonic() + 30
        while not port_file.exists() or not port_file.read_text().strip():
            if self._process.poll() is not None or time.monotonic() > deadline:
                self.close()
                raise RuntimeError("chromium did not open its DevTools port")
            time.sleep(0.05)
        port = port_file.read_text().split()[0]
        page = next(t for t in httpx.get(f"http://127.0.0.1:{port}/json/list").json() if t["type"] == "page")
        self._closing = ExitStack()
        self._socket = self._closing.enter_context(connect(page["webSocketDebuggerUrl"], max_size=None))
        self._ids = itertools.count(1)

    def _call(self, method: str, **params: object) -> dict:
        call_id = next(self._ids)
        self._socket.send(json.dumps({"id": call_id, "method": method, "params": params}))
        while True:  # events arrive in between; only the answer to this call counts
            message = json.loads(self._socket.recv(timeout=60))
            if message.get("id") == call_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                result: dict = message["result"]
                return result

    def open(self, url: str) -> None:
        self._call("Page.navigate", url=url)
        self.wait("document.readyState === 'complete' && location.href === " + json.dumps(url))

    def js(self, expression: str) -> object:
        """The value of a JavaScript expression in the page (a promise is awaited)."""
        answer = self._call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in answer:
            raise RuntimeError(f"{expression}: {answer['exceptionDetails']}")
        return answer["result"].get("value")

    def wait(self, expression: str, timeout: float = 30.0) -> object:
        """Polls until the expression is truthy in the page and returns its value."""
        deadline = time.monotonic() + timeout
        while not (value := self.js(expression)):
            if time.monotonic() > deadline:
                raise AssertionError(f"not true in the page within {timeout}s: {expression}")
            time.sleep(0.1)
        return value

    def screenshot(self, name: str | Path, whole_page: bool = False) -> Path:
        """A PNG of the page (the visible part, or all of it) under ARTIFACTS, or at an absolute path."""
        path = ARTIFACTS / name
        path.parent.mkdir(parents=True, exist_ok=True)
        clip = {}
        if whole_page:
            size = self._call("Page.getLayoutMetrics")["cssContentSize"]
            clip = {"clip": {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1}}
        shot = self._call("Page.captureScreenshot", format="png", captureBeyondViewport=whole_page, **clip)
        path.write_bytes(base64.b64decode(shot["data"]))
        return path

    def close(self) -> None:
        if hasattr(self, "_closing"):
            self._closing.close()
        self._process.terminate()
        try:
            self._process.wait(10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        shutil.rmtree(self._profile, ignore_errors=True)
