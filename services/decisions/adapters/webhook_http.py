"""Webhooks over HTTP: the system's name resolution (in threads of its own, `schakel.dns`), and one
POST to an address that was checked.

The connection goes to that address, not to the name (which could resolve elsewhere a moment
later); the name travels in the Host header and, for https, in TLS (SNI and the certificate
check). Library errors become the words a municipality reads in its delivery log.
"""

from __future__ import annotations

import ssl
from ipaddress import ip_address
from urllib.parse import unquote, urlsplit

import httpx

from decisions.domain.webhook import AfleverFout, NietVerbonden, poort
from schakel.dns import Opzoeker

MAX_ANTWOORD = 4096  # bytes of a response body that are read; the rest is never received


# one per process: every delivery and new subscription resolves its host here
systeem_resolver = Opzoeker(8, "webhook-dns")


class Verzender:
    """One shared client without keep-alive: a connection to an address never carries a request
    for another host name, and no proxy from the environment stands between."""

    def __init__(self, timeout: float) -> None:
        self._timeout = timeout
        self._client = httpx.AsyncClient(
            timeout=timeout, trust_env=False, follow_redirects=False, limits=httpx.Limits(max_keepalive_connections=0)
        )

    async def post(
        self, url: str, host: str, adres: str, body: bytes, headers: dict[str, str], verbinden: float | None = None
    ) -> int:
        """POSTs to `adres` as `url` (whose host is `host` in ASCII); returns the status code. httpx
        bounds the TCP connection and the TLS handshake each by `verbinden`."""
        parts = urlsplit(url)
        ip = ip_address(adres)
        doel = f"{parts.scheme}://{f'[{ip}]' if ip.version == 6 else ip}:{poort(parts)}"
        pad = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        host_header = host if ":" not in host else f"[{host}]"
        auth = httpx.BasicAuth(unquote(parts.username), unquote(parts.password or "")) if parts.username else None
        try:
            async with self._client.stream(
                "POST",
                doel + pad,
                content=body,
                auth=auth,
                headers={**headers, "host": host_header + (f":{parts.port}" if parts.port else "")},
                timeout=httpx.Timeout(self._timeout, connect=self._timeout if verbinden is None else verbinden),
                extensions={"sni_hostname": host} if parts.scheme == "https" else {},
            ) as response:
                gelezen = 0
                async for chunk in response.aiter_raw():
                    gelezen += len(chunk)
                    if gelezen >= MAX_ANTWOORD:
                        break
                return response.status_code
        except httpx.ConnectTimeout as exc:  # no request was sent
            raise NietVerbonden("time-out") from exc
        except httpx.TimeoutException as exc:
            raise AfleverFout("time-out") from exc
        except httpx.ConnectError as exc:
            if _door_tls(exc):  # connected, and the receiver's certificate or TLS refused
                raise AfleverFout("TLS-verbinding mislukt") from exc
            raise NietVerbonden("verbinding mislukt") from exc
        except httpx.NetworkError as exc:
            raise AfleverFout("verbinding verbroken") from exc
        except httpx.ProtocolError as exc:
            raise AfleverFout("ongeldig HTTP-antwoord") from exc


def _door_tls(exc: BaseException | None) -> bool:
    """Whether a failed connection failed in TLS (a certificate that does not match, say)."""
    while exc is not None:
        if isinstance(exc, ssl.SSLError):
            return True
        exc = exc.__cause__ or exc.__context__
    return False
