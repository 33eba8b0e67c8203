"""Webhook signatures (Standard Webhooks), retry schedule and callback URLs."""

import base64
import hashlib
import hmac

from decisions.domain.webhook import onderteken, url_fout, wachttijd

GEHEIM = "whsec_" + base64.b64encode(b"0123456789abcdef01234567").decode()


def test_signature_is_hmac_sha256_over_id_timestamp_and_body():
    body = b'{"type":"nl.participatiewet.verrekening.vastgesteld"}'
    expected = base64.b64encode(hmac.new(b"0123456789abcdef01234567", b"msg_1.1700000000." + body,
                                         hashlib.sha256).digest()).decode()
    assert onderteken(GEHEIM, "msg_1", 1700000000, body) == "v1," + expected
    assert onderteken(GEHEIM, "msg_1", 1700000001, body) != onderteken(GEHEIM, "msg_1", 1700000000, body)


def test_retries_back_off_exponentially_up_to_an_hour():
    assert [wachttijd(p, 5) for p in (1, 2, 3, 4)] == [5, 10, 20, 40]
    assert wachttijd(20, 5) == 3600


def test_callback_urls_are_https_except_localhost_in_development():
    assert url_fout("https://backoffice.gemeente.nl/hooks", ontwikkeling=False) is None
    assert url_fout("http://127.0.0.1:9000/hook", ontwikkeling=True) is None
    assert url_fout("http://127.0.0.1:9000/hook", ontwikkeling=False) is not None
    assert url_fout("http://backoffice.gemeente.nl/hooks", ontwikkeling=True) is not None
    assert url_fout("ftp://x", ontwikkeling=True) is not None
    assert url_fout("http://[::1", ontwikkeling=True) == "dit is geen geldige URL"
    assert url_fout("https://host:99999/x", ontwikkeling=False) == "dit is geen geldige URL"
