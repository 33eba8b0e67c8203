"""Webhooks over HTTP: the system's name resolution, and one POST to an address that was checked.

The connection goes to that address, not to the name (which could resolve elsewhere a moment
later); the name travels in the Host header and, for https, in TLS (SNI and the certificate
check). Library errors become the words a municipality reads in its delivery log.
"""

from __future__ import annotations

import asyncio
import socket
import ssl
from ipaddress import ip_address
from urllib.parse import unquote, urlsplit

import httpx

from decisions.domain.webhook import AfleverFout

MAX_ANTWOORD = 4096  # bytes of a response body that are read; the rest is never received


async def systeem_resolver(host: str, port: int) -> list[str]:
    """Every address the system resolver gives for `host` (OSError when there is none)."""
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


class Verzender:
    """One shared client without keep-alive: a connection to an address never carries a request
    for another host name, and no proxy from the environment stands between."""

    def __init__(self, timeout: float) -> None:
        self._client = httpx.AsyncClient(
            timeout=timeout, trust_env=False, follow_redirects=False, limits=httpx.Limits(max_keepalive_connections=0)
        )

    async def post(self, url: str, host: str, adres: str, body: bytes, headers: dict[str, str]) -> int:
        """POSTs to `adres` as `url` (whose host is `host` in ASCII); returns the status code."""
        parts = urlsplit(url)
        ip = ip_address(adres)
        doel = f"{parts.scheme}://{f'[{ip}]' if ip.version == 6 else ip}:{parts.port or _poort(parts.scheme)}"
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
                extensions={"sni_hostname": host} if parts.scheme == "https" else {},
            ) as response:
                gelezen = 0
                async for chunk in response.aiter_raw():
                    gelezen += len(chunk)
                    if gelezen >= MAX_ANTWOORD:
                        break
                return response.status_code
        except httpx.TimeoutException as exc:
            raise AfleverFout("time-out") from exc
        except httpx.ConnectError as exc:
            raise AfleverFout("TLS-verbinding mislukt" if _door_tls(exc) else "verbinding mislukt") from exc
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


def _poort(scheme: str) -> int:
    return 443 if scheme == "https" else 80
