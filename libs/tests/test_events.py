import pytest

from schakel.events import Event, InvalidEvent, Pseudonymiser, decode, encode, load_contract

BSN = "999993653"


def example() -> Event:
    return Event(type="nl.participatiewet.uitkering.beeindigd", source="urn:nld:oin:00000001003214345000:systeem:decisions",
                 key=Pseudonymiser(b"k" * 32)(BSN),
                 data={"uitkeringId": "5f0c6a43-5b7e-4d0a-9c1e-0a3c2b1d4e5f", "bsn": BSN, "gemeentecode": "GM0363",
                       "einddatum": "2026-06-30", "reden": "werk"})


def test_binary_mode_round_trip():
    event = example()
    key, value, headers = encode(event)
    names = dict(headers)
    assert names["ce_specversion"] == b"1.0" and names["content-type"] == b"application/json"
    assert decode(key, value, headers) == event


def test_no_personal_data_in_key_or_attributes():
    key, _, headers = encode(example())
    assert BSN.encode() not in key and all(BSN.encode() not in v for _, v in headers)


def test_the_pseudonym_is_stable_keyed_and_hex():
    a, b = Pseudonymiser(b"a" * 16), Pseudonymiser(b"b" * 16)
    assert a(BSN) == a(BSN) != b(BSN)
    assert len(a(BSN)) == 64 and int(a(BSN), 16) >= 0
    with pytest.raises(ValueError):
        Pseudonymiser(b"short")


@pytest.mark.parametrize("mutate,reason", [
    (lambda k, v, h: (k, v, [x for x in h if x[0] != "ce_type"]), "ce_type"),
    (lambda k, v, h: (k, v, [(n, b"0.3" if n == "ce_specversion" else x) for n, x in h]), "specversion"),
    (lambda k, v, h: (k, b"[1]", h), "JSON object"),
    (lambda k, v, h: (k, b"\xff", h), "not valid JSON"),
    (lambda k, v, h: (None, v, h), "no key"),
    (lambda k, v, h: (k, v, [x for x in h if x[0] != "content-type"] + [("content-type", b"text/plain")]), "content-type"),
])
def test_malformed_records_are_refused(mutate, reason):
    key, value, headers = mutate(*encode(example()))
    with pytest.raises(InvalidEvent, match=reason):
        decode(key, value, headers)


def test_contract_validation_names_the_field_and_rule_never_the_value():
    event = example()
    broken = Event(type=event.type, source=event.source, key=event.key, data=event.data | {"reden": "geheim-999993653"})
    with pytest.raises(InvalidEvent) as caught:
        load_contract().validate(broken)
    assert "data/reden: enum" in str(caught.value) and "999993653" not in str(caught.value)
    with pytest.raises(InvalidEvent, match="'bsn' is a required property"):
        load_contract().validate(Event(type=event.type, source=event.source, key=event.key,
                                       data={k: v for k, v in event.data.items() if k != "bsn"}))
    with pytest.raises(InvalidEvent, match="not in the contract"):
        load_contract().validate(Event(type="nl.onbekend", source="s", key="k", data={}))


@pytest.mark.parametrize("field, value", [("einddatum", "2026-02-30"), ("einddatum", "2026-2-3"),
                                          ("uitkeringId", "not-a-uuid"), ("bsn", "123456789"),
                                          ("gemeentecode", "GM363"), ("reden", None)])
def test_the_fast_and_the_full_validator_refuse_the_same_values(field, value):
    event = example()
    with pytest.raises(InvalidEvent, match=f"data/{field}"):
        load_contract().validate(Event(type=event.type, source=event.source, key=event.key,
                                       data=event.data | {field: value}))
