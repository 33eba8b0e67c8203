import dataclasses
import json
import time
import uuid
from datetime import date

import fastjsonschema
import pytest

from schakel.events import Event, InvalidEvent, Pseudonymiser, decode, encode, load_contract, models
from schakel.events.contract import FAST_FORMATS, _nullable_as_type
from tests.support.events import situatie

BSN = "999993653"


def example() -> Event:
    return Event(
        type="nl.participatiewet.uitkering.beeindigd",
        source="urn:nld:oin:00000001003214345000:systeem:decisions",
        key=Pseudonymiser(b"k" * 32)(BSN),
        data={
            "uitkeringId": "5f0c6a43-5b7e-4d0a-9c1e-0a3c2b1d4e5f",
            "bsn": BSN,
            "gemeentecode": "GM0363",
            "einddatum": "2026-06-30",
            "reden": "werk",
        },
    )


def test_binary_mode_round_trip():
    event = example()
    key, value, headers = encode(event)
    names = dict(headers)
    assert names["ce_specversion"] == b"1.0" and names["content-type"] == b"application/json"
    assert decode(key, value, headers) == event


def test_event_ids_are_uuid7_in_the_order_they_were_made():
    before = time.time_ns() // 1_000_000
    ids = [Event(type="t", source="s", data={}, key="k").id for _ in range(5_000)]
    after = time.time_ns() // 1_000_000
    parsed = [uuid.UUID(i) for i in ids]
    assert {(u.version, u.variant) for u in parsed} == {(7, uuid.RFC_4122)} and len(set(ids)) == len(ids)
    made = [u.int >> 80 for u in parsed]  # the first 48 bits: the time in milliseconds
    assert before <= made[0] and made == sorted(made) and made[-1] <= after
    # ordered as text by that time: the id's index grows at one end
    assert [i[:13] for i in ids] == sorted(i[:13] for i in ids)


def test_the_sequence_travels_as_the_cloudevents_sequence_extension_ordered_as_text():
    event = dataclasses.replace(example(), sequence=42)
    key, value, headers = encode(event)
    assert dict(headers)["ce_sequence"] == b"00000000000000000042"
    assert decode(key, value, headers) == event
    assert decode(*encode(example())).sequence is None, "an outside party's event has none"
    for broken in (b"42", b"-0000000000000000042", b"0000000000000000004x"):
        with pytest.raises(InvalidEvent, match="ce_sequence"):
            decode(key, value, [(n, broken if n == "ce_sequence" else v) for n, v in headers])


def test_no_personal_data_in_key_or_attributes():
    key, _, headers = encode(example())
    assert BSN.encode() not in key and all(BSN.encode() not in v for _, v in headers)


def test_the_pseudonym_is_stable_keyed_and_hex():
    a, b = Pseudonymiser(b"a" * 16), Pseudonymiser(b"b" * 16)
    assert a(BSN) == a(BSN) != b(BSN)
    assert len(a(BSN)) == 64 and int(a(BSN), 16) >= 0
    with pytest.raises(ValueError):
        Pseudonymiser(b"short")


@pytest.mark.parametrize(
    "mutate,reason",
    [
        (lambda k, v, h: (k, v, [x for x in h if x[0] != "ce_type"]), "ce_type"),
        (lambda k, v, h: (k, v, [(n, b"0.3" if n == "ce_specversion" else x) for n, x in h]), "specversion"),
        (lambda k, v, h: (k, b"[1]", h), "JSON object"),
        (lambda k, v, h: (k, b"\xff", h), "not valid JSON"),
        (lambda k, v, h: (None, v, h), "no key"),
        (
            lambda k, v, h: (k, v, [(n, x + b"-" * 300 if n == "ce_source" else x) for n, x in h]),
            "ce_source is longer than 300",
        ),
        (
            lambda k, v, h: (k, v, [x for x in h if x[0] != "content-type"] + [("content-type", b"text/plain")]),
            "content-type",
        ),
    ],
)
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
        load_contract().validate(
            Event(
                type=event.type,
                source=event.source,
                key=event.key,
                data={k: v for k, v in event.data.items() if k != "bsn"},
            )
        )
    with pytest.raises(InvalidEvent) as onverwacht:  # a property the sender named: its name may be personal data
        load_contract().validate(dataclasses.replace(event, data=event.data | {"999990019": "x"}))
    assert "data: additionalProperties false" in str(onverwacht.value) and "999990019" not in str(onverwacht.value)
    with pytest.raises(InvalidEvent, match="not in the contract") as onbekend:
        load_contract().validate(Event(type="nl.bsn999993653", source="s", key="k", data={}))
    assert "999993653" not in str(onbekend.value), "the sender chose the type: it is not quoted"


def test_every_type_in_the_contract_is_one_a_record_may_carry():
    """decode refuses a ce_type that is not a dotted lower-case name of at most 100 characters: every
    type the contract names must pass, or its records would all be dead-lettered."""
    for soort in load_contract().event_types:
        k, v, h = encode(Event(type=soort, source="urn:nld:oin:00000001002220647000:systeem:test", key="k", data={}))
        assert decode(k, v, h).type == soort
    k, v, h = encode(Event(type="nl.a" * 30, source="urn:nld:oin:00000001002220647000:systeem:test", key="k", data={}))
    with pytest.raises(InvalidEvent, match="ce_type is not an event type"):
        decode(k, v, h)


@pytest.mark.parametrize(
    "field, value",
    [
        ("einddatum", "2026-02-30"),
        ("einddatum", "2026-2-3"),
        ("uitkeringId", "not-a-uuid"),
        ("bsn", "123456789"),
        ("gemeentecode", "GM363"),
        ("reden", None),
    ],
)
def test_the_fast_and_the_full_validator_refuse_the_same_values(field, value):
    event = example()
    with pytest.raises(InvalidEvent, match=f"data/{field}"):
        load_contract().validate(
            Event(type=event.type, source=event.source, key=event.key, data=event.data | {field: value})
        )


def voorstel(maand: str) -> Event:
    event = example()
    return Event(
        type="nl.participatiewet.uitkering.beeindiging-voorgesteld",
        source=event.source,
        key=event.key,
        data={k: event.data[k] for k in ("uitkeringId", "bsn", "gemeentecode")}
        | {"maanden": [{"maand": maand, "getoetstInkomen": 180000, "norm": 140150}], "uitleg": "..."},
    )


@pytest.mark.parametrize(
    "event, where, value",
    [
        (
            Event(type=example().type, source="s", key="k", data=example().data | {"einddatum": "9999-12-31"}),
            "data/einddatum",
            "9999-12-31",
        ),
        (
            Event(type=example().type, source="s", key="k", data=example().data | {"einddatum": "1899-12-31"}),
            "data/einddatum",
            "1899-12-31",
        ),
        (voorstel("1899-12"), "data/maanden/0/maand", "1899-12"),
        (voorstel("2101-01"), "data/maanden/0/maand", "2101-01"),
    ],
)
def test_dates_and_months_outside_1900_to_2100_are_invalid_events(event, where, value):
    # the runner dead-letters an invalid event with this reason: the field and the rule, not the value
    load_contract().validate(voorstel("2100-12"))
    with pytest.raises(InvalidEvent, match=f"{where}: pattern") as caught:
        load_contract().validate(event)
    assert value not in str(caught.value)


def test_every_date_and_month_in_every_event_is_bounded():
    import json
    from pathlib import Path

    from schakel.events.contract import CONTRACTS

    def unbounded(node, where):
        if isinstance(node, dict):
            if node.get("format") == "date" or "maand" in where.rsplit("/", 1)[-1].lower():
                if node.get("type") == "string" and not node.get("pattern", "").startswith("^(19"):
                    yield where
            for key, child in node.items():
                yield from unbounded(child, f"{where}/{key}")
        elif isinstance(node, list):
            for child in node:
                yield from unbounded(child, where)

    schemas = {p.name: json.loads(p.read_text()) for p in Path(CONTRACTS, "events").glob("*.schema.json")}
    assert [w for name, schema in schemas.items() for w in unbounded(schema, name)] == []


def test_a_typed_event_goes_on_the_wire_as_the_contract_has_it_and_parses_back():
    geopend = models.UitkeringGeopend(
        uitkeringId="5f0c6a43-5b7e-4d0a-9c1e-0a3c2b1d4e5f",
        bsn=BSN,
        gemeentecode="GM0363",
        geboortedatum=date(1990, 5, 1),
        startdatum=date(2026, 1, 1),
    )
    assert geopend.as_json() == {
        "uitkeringId": "5f0c6a43-5b7e-4d0a-9c1e-0a3c2b1d4e5f",
        "bsn": BSN,
        "gemeentecode": "GM0363",
        "geboortedatum": "1990-05-01",
        "startdatum": "2026-01-01",
    }, "an optional property that is not there is left out, never null"
    event = Event(
        type=geopend.TYPE, source="urn:nld:oin:00000001003214345000:systeem:decisions", data=geopend.as_json(), key="k"
    )
    load_contract().validate(event)
    assert models.UitkeringGeopend.from_event(event) == geopend
    with pytest.raises(InvalidEvent, match="expected nl.participatiewet.uitkering.beeindigd"):
        models.UitkeringBeeindigd.from_event(event)


@pytest.mark.parametrize("model", models.EVENTS)
def test_each_schema_stands_alone_and_names_its_type(model):
    schema = models.json_schema(model, model.SCHEMA)
    assert "$ref" not in json.dumps(schema) and "$defs" not in schema, "an integrator reads one file"
    assert schema["$id"] == f"urn:schakel:events:{model.SCHEMA}:1" and schema["additionalProperties"] is False
    assert load_contract().dataschema(model.TYPE) == schema["$id"]


@pytest.mark.parametrize(
    "branch, rewritten",
    [
        ({"type": "string", "pattern": "^a", "maxLength": 3}, True),
        ({"type": "integer", "minimum": 0, "description": "d"}, True),
        ({"type": "array", "items": {"type": "integer"}, "maxItems": 1}, True),
        ({"type": "string", "enum": ["a"]}, False),  # enum and const constrain a null too
        ({"type": "object", "properties": {}, "not": {"required": ["x"]}}, False),
        ({"type": ["string", "integer"]}, False),
        ({"type": "string", "default": "a"}, True),  # an annotation: the check fills nothing in
    ],
)
def test_a_nullable_property_is_checked_as_a_type_list_only_where_that_allows_the_same(branch, rewritten):
    """The compiled fast check reads `anyOf: [T, null]` as `type: [T, null]` (a null no longer costs it
    an exception), and only where each keyword of T constrains values of type T alone."""
    schema = {"type": "object", "properties": {"x": {"description": "x", "anyOf": [branch, {"type": "null"}]}}}
    fast = _nullable_as_type(schema)
    assert ("anyOf" not in fast["properties"]["x"]) == rewritten
    before, after = fastjsonschema.compile(schema), fastjsonschema.compile(fast)
    for value in (None, "a", "abcd", "b", 1, -1, 1.5, True, [], [1], [1, 2], ["a"], {}, {"x": 1}):
        assert _accepts(before, {"x": value}) == _accepts(after, {"x": value}), value


def test_the_check_leaves_an_event_as_it_came():
    """A property the sender left out stays out: the contract's default is the receiver's to apply
    (its model does), not the check's to write into the event it was handed."""
    toegekend = models.HeraanvraagToegekend(
        bsn=BSN,
        gemeentecode="GM0363",
        heraanvraagId=str(uuid.UUID(int=1)),
        startdatum=date(2029, 5, 1),
        geboortedatum=date(1990, 5, 1),
        situatie=situatie(),
    )
    data = {k: v for k, v in toegekend.as_json().items() if k != "vrijlatingsklok"}  # default: []
    sent = dict(data)
    load_contract().validate(Event(type=toegekend.TYPE, source="urn:test", key="k", data=data))
    assert data == sent


def test_a_value_that_looks_like_a_schema_is_data_not_rewritten():
    literal = {"anyOf": [{"type": "string"}, {"type": "null"}]}
    schema = {"type": "object", "properties": {"x": {"enum": [literal]}, "y": {"const": literal, "default": literal}}}
    assert _nullable_as_type(schema) == schema


POOL = (
    None,
    True,
    False,
    0,
    -1,
    1,
    1.5,
    2**70,
    "",
    "x",
    "12",
    "2024-01-01",
    "2024-02-30",
    "1899-12-31",
    "2024-01-01T00:00:00Z",
    "2024-01-01T25:00:00Z",
    BSN,
    "999993652",
    str(uuid.UUID(int=1)),
    [],
    [None],
    [1],
    {},
)


def _nodes(schema):
    if isinstance(schema, dict):
        if "anyOf" in schema and "anyOf" not in _nullable_as_type(schema):
            yield schema
        for value in schema.values():
            yield from _nodes(value)
    elif isinstance(schema, list):
        for value in schema:
            yield from _nodes(value)


@pytest.mark.parametrize("model", models.EVENTS)
def test_the_contracts_nullable_fields_are_checked_the_same_as_written(model):
    """Each `anyOf [T, null]` of the real schemas the fast check rewrites accepts and refuses what it did, on
    values of every type (and for an object, each property set to each of them)."""
    for node in _nodes(models.json_schema(model, model.SCHEMA)):
        before = fastjsonschema.compile(node, formats=FAST_FORMATS, detailed_exceptions=False)
        after = fastjsonschema.compile(_nullable_as_type(node), formats=FAST_FORMATS, detailed_exceptions=False)
        branch = next(b for b in node["anyOf"] if b != {"type": "null"})
        values = list(POOL) + [{p: v for p in branch.get("properties", {})} for v in POOL]
        values += [[v] for v in POOL]
        for value in values:
            assert _accepts(before, value) == _accepts(after, value), (node, value)


def _accepts(check, value) -> bool:
    try:
        check(value)
    except fastjsonschema.JsonSchemaValueException:
        return False
    return True
