"""`briefgen preview --watch`: serve the preview on localhost and rebuild it on every save."""

from __future__ import annotations

import errno
import threading
import time
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from briefgen.editor.preview import (
    DEFAULT_DIR,
    PREVIEW_FILE,
    Preview,
    PreviewView,
    ProblemView,
    build_preview,
    fallback_page,
    resolve_brief,
    safe_slug,
    write_preview,
)
from briefgen.errors import InternalError, UsageError
from briefgen.paths import display_path
from briefgen.rendering.templating import search_path
from briefgen.settings import Settings, guard_options, template_folder

HOST = "127.0.0.1"
VERSION_PATH = "/__briefgen/version"
#: Seconds between two looks at the watched files.
POLL_SECONDS = 0.2
#: Milliseconds between two questions of the open page to the server.
RELOAD_POLL_MS = 250

Log = Callable[[str], None]
Snapshot = dict[Path, tuple[int, int]]

_RELOAD_SCRIPT = """<script>
(function () {
  var version = "%(version)s", key = "briefgen-scroll";
  var y = sessionStorage.getItem(key);
  if (y !== null) {
    sessionStorage.removeItem(key);
    addEventListener("load", function () { scrollTo(0, +y); });
  }
  function poll() {
    fetch("%(path)s", {cache: "no-store"}).then(function (r) { return r.text(); })
      .then(function (now) {
        if (now !== version) {
          sessionStorage.setItem(key, String(scrollY));
          location.reload();
        } else {
          setTimeout(poll, %(ms)d);
        }
      }).catch(function () { setTimeout(poll, 1000); });
  }
  setTimeout(poll, %(ms)d);
})();
</script>
"""


def with_reload(page: str, version: int) -> str:
    """`page` with the script that reloads it when the server's version moves on."""
    script = _RELOAD_SCRIPT % {"version": version, "path": VERSION_PATH, "ms": RELOAD_POLL_MS}
    at = page.rfind("</body>")
    return page[:at] + script + page[at:] if at >= 0 else page + script


def snapshot(folders: list[Path], files: list[Path], skip: Path | None = None) -> Snapshot:
    """Modification time and size of every file in `folders` (recursively) and of `files`."""
    found: Snapshot = {}
    candidates = [p for folder in folders if folder.is_dir() for p in folder.rglob("*")]
    for path in [*candidates, *files]:
        if path.name.startswith(".") or path.name.endswith("~"):
            continue
        if skip is not None and path.is_relative_to(skip):
            continue
        try:
            stat = path.stat()
        except OSError:
            continue
        if path.is_file():
            found[path] = (stat.st_mtime_ns, stat.st_size)
    return found


def changed(before: Snapshot, after: Snapshot) -> list[Path]:
    """Files added, removed or modified between two snapshots."""
    return sorted(p for p in before.keys() | after.keys() if before.get(p) != after.get(p))


class PreviewServer:
    """The preview of one brief, served on 127.0.0.1 and rebuilt when a watched file changes."""

    def __init__(
        self,
        target: Path | None,
        settings: Settings,
        out_dir: Path | None = None,
        port: int = 0,
        log: Log | None = None,
        interval: float = POLL_SECONDS,
    ) -> None:
        self.brief = resolve_brief(target, settings)
        self.settings = settings
        self.out_dir = (out_dir if out_dir is not None else settings.path(DEFAULT_DIR)).resolve()
        self.port = port
        self.log: Log = log or (lambda _message: None)
        self.interval = interval
        self.version = 0
        self.page = ""
        self.last: Preview | None = None
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._http: ThreadingHTTPServer | None = None

    # -- what is watched --------------------------------------------------------------------
    def folders(self) -> list[Path]:
        """The brief's folder (brief.yaml and source texts) and every template folder."""
        return [self.brief.parent, *search_path(template_folder(self.settings))]

    def files(self) -> list[Path]:
        """Single watched files: the language rules, when the project has its own."""
        rules = guard_options(self.settings).lint_rules
        return [rules] if rules else []

    def snapshot(self) -> Snapshot:
        """The watched files as they are now."""
        return snapshot(self.folders(), self.files(), skip=self.out_dir)

    # -- building ---------------------------------------------------------------------------
    def rebuild(self, reason: str = "") -> Preview:
        """Build the page again, write it, and move the version on so open tabs reload."""
        started = time.perf_counter()
        try:
            preview = build_preview(self.brief, self.settings)
        except Exception as exc:  # the server must outlive any failure of one rebuild
            bug = InternalError.from_exception(exc, str(display_path(self.brief)))
            view = PreviewView.unrendered(
                str(display_path(self.brief)), safe_slug(self.brief), None
            )
            problem = ProblemView("unexpected", bug.message, "", bug.hint)
            preview = Preview(
                view.slug, self.brief, fallback_page(view, problem), "error", error=bug
            )
            self.log(f"error: {bug}")
        try:
            preview.written = write_preview(preview, self.out_dir)
        except Exception as exc:  # a full disk must not stop the served preview either
            self.log(f"could not write the preview file: {exc}")
        elapsed = (time.perf_counter() - started) * 1000
        with self._lock:
            self.version += 1
            self.page = preview.html
            self.last = preview
        prefix = f"{reason}: " if reason else ""
        self.log(f"{prefix}re-rendered in {elapsed:.0f} ms; {preview.summary}")
        return preview

    def _watch(self, seen: Snapshot) -> None:
        while not self._stop.wait(self.interval):
            now = self.snapshot()
            paths = changed(seen, now)
            if not paths:
                continue
            seen = now
            names = ", ".join(str(display_path(p)) for p in paths[:3])
            more = f" and {len(paths) - 3} more" if len(paths) > 3 else ""
            self.rebuild(f"changed {names}{more}")

    # -- serving ----------------------------------------------------------------------------
    def current(self) -> tuple[int, str]:
        """The version and the page as served."""
        with self._lock:
            return self.version, self.page

    @property
    def url(self) -> str:
        """Where the page is served."""
        return f"http://{HOST}:{self.port}/"

    def start(self) -> None:
        """Build the page, bind 127.0.0.1, and start serving and watching in threads."""
        seen = self.snapshot()  # before the first build: a save during it is not missed
        self.rebuild()
        try:
            self._http = ThreadingHTTPServer((HOST, self.port), _handler(self))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise UsageError(
                    f"port {self.port} on {HOST} is in use",
                    hint="stop the other preview, or choose another port (0: any free port)",
                ) from None
            raise UsageError(f"cannot serve on {HOST}:{self.port}: {exc.strerror}") from None
        self._http.daemon_threads = True
        self.port = self._http.server_address[1]
        self._threads = [
            threading.Thread(target=self._http.serve_forever, name="briefgen-serve", daemon=True),
            threading.Thread(target=self._watch, args=(seen,), name="briefgen-watch", daemon=True),
        ]
        for thread in self._threads:
            thread.start()

    def stop(self) -> None:
        """Stop watching and serving, and wait for both threads."""
        self._stop.set()
        if self._http is not None:
            self._http.shutdown()
            self._http.server_close()
        for thread in self._threads:
            thread.join(timeout=5)

    def wait(self) -> None:
        """Block until `stop()` is called or Ctrl-C is pressed."""
        while not self._stop.wait(0.5):
            pass


def allowed_host(host: str | None, port: int) -> bool:
    """Whether a request's Host header names this server as the browser reached it:
    127.0.0.1, localhost or [::1], with the server's port (bare only for port 80)."""
    if host is None:
        return False
    names = ("127.0.0.1", "localhost", "[::1]")
    wanted = {f"{name}:{port}" for name in names}
    if port == 80:
        wanted.update(names)
    return host.strip().lower() in wanted


def _handler(server: PreviewServer) -> type[BaseHTTPRequestHandler]:
    page_paths = {"/", "/index.html", f"/{PREVIEW_FILE}"}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if not allowed_host(self.headers.get("Host"), server.port):
                # DNS rebinding: a web page whose name resolves to 127.0.0.1 must not read drafts
                self.send_error(HTTPStatus.MISDIRECTED_REQUEST, "only localhost is served here")
                return
            path = self.path.split("?", 1)[0]
            version, page = server.current()
            if path == VERSION_PATH:
                self._send(str(version), "text/plain")
            elif path in page_paths or path == f"/{server.last.slug if server.last else ''}/":
                self._send(with_reload(page, version), "text/html")
            else:
                self.send_error(HTTPStatus.NOT_FOUND, "only the preview is served here")

        def _send(self, body: str, kind: str) -> None:
            data = body.encode("utf-8")
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", f"{kind}; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: object) -> None:
            """Requests are not logged: the terminal shows re-renders only."""

    return Handler


def watch_preview(
    target: Path | None,
    settings: Settings,
    out_dir: Path | None = None,
    port: int = 8765,
    log: Log | None = None,
) -> None:
    """`briefgen preview --watch`: serve and rebuild until Ctrl-C, then stop cleanly."""
    server = PreviewServer(target, settings, out_dir, port, log)
    say = server.log
    server.start()
    say(f"serving {server.url} (Ctrl-C stops); watching {display_path(server.brief.parent)}/")
    say("and the templates in " + ", ".join(str(display_path(p)) for p in server.folders()[1:]))
    try:
        server.wait()
    except KeyboardInterrupt:
        say("stopping")
    finally:
        server.stop()
