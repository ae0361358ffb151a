"""An in-process TCP proxy on loopback that a test can cut, as a network drop between QGIS and PostgreSQL.

``cut()`` closes every open connection and refuses new ones until ``restore()``.
"""

from __future__ import annotations

import selectors
import socket
import threading


class CuttableProxy:
    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.port = self.listener.getsockname()[1]
        self.host = "127.0.0.1"
        self._pairs: list[tuple[socket.socket, socket.socket]] = []
        self._lock = threading.Lock()
        self._up = True
        self._stop = False
        self.cuts = 0
        self._cut_now = threading.Event()
        self._cut_done = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="cuttable-proxy", daemon=True)
        self._thread.start()

    def dsn(self, dsn: str) -> str:
        """``dsn`` with host and port pointing at the proxy."""
        parts = [p for p in dsn.split() if not p.startswith(("host=", "port="))]
        return " ".join([f"host={self.host}", f"port={self.port}", *parts])

    def _serve(self) -> None:
        sel = selectors.DefaultSelector()
        sel.register(self.listener, selectors.EVENT_READ)
        while not self._stop:
            if self._cut_now.is_set():
                with self._lock:
                    pairs, self._pairs = self._pairs, []
                for pair in pairs:
                    for s in pair:
                        try:
                            sel.unregister(s)
                        except (KeyError, ValueError):
                            pass
                        try:
                            s.shutdown(socket.SHUT_RDWR)
                        except OSError:
                            pass
                        s.close()
                self._cut_now.clear()
                self._cut_done.set()
            for key, _ in sel.select(timeout=0.05):
                sock = key.fileobj
                if sock is self.listener:
                    try:
                        client, _ = self.listener.accept()
                    except OSError:
                        continue
                    if not self._up:
                        client.close()
                        continue
                    try:
                        server = socket.create_connection(self.target, timeout=5)
                    except OSError:
                        client.close()
                        continue
                    with self._lock:
                        self._pairs.append((client, server))
                    sel.register(client, selectors.EVENT_READ, server)
                    sel.register(server, selectors.EVENT_READ, client)
                    continue
                other = key.data
                try:
                    data = sock.recv(65536)
                except OSError:
                    data = b""
                if data:
                    try:
                        other.sendall(data)
                        continue
                    except OSError:
                        pass
                for s in (sock, other):
                    try:
                        sel.unregister(s)
                    except (KeyError, ValueError):
                        pass
                    s.close()
            with self._lock:
                self._pairs = [p for p in self._pairs if p[0].fileno() != -1 and p[1].fileno() != -1]
        sel.close()

    def cut(self) -> None:
        """Drop every connection now (both ends see a reset); refuse new ones."""
        self._up = False
        self.cuts += 1
        self._cut_done.clear()
        self._cut_now.set()
        self._cut_done.wait(10)

    def restore(self) -> None:
        self._up = True

    def close(self) -> None:
        self.cut()
        self._stop = True
        self._thread.join(5)
        self.listener.close()
