"""The committed contracts are exact: the apps generate the same OpenAPI documents, every event a
service sends or handles is in the AsyncAPI document, and the example events validate."""

import importlib
import json

import pytest
import yaml

from deploy.contracts import CONTRACTS, EVENT_SCHEMAS, OPENAPI, README, asyncapi_document, event_schemas, readme, render
from deploy.services import SERVICES
from deploy.token import development
from schakel.events import Event, InvalidEvent, load_contract
from schakel.events.models import UitkeringGeopend
from tests.support import builders, polis

EXAMPLES = {
    "nl.participatiewet.uitkering.geopend": lambda: {
        "uitkeringId": "5f0c6a43-5b7e-4d0a-9c1e-0a3c2b1d4e5f",
        "bsn": builders.bsn(),
        "gemeentecode": "GM0363",
        "geboortedatum": "1990-05-01",
        "startdatum": "2026-01-01",
    },
    "nl.participatiewet.uitkering.beeindigd": lambda: {
        "uitkeringId": "5f0c6a43-5b7e-4d0a-9c1e-0a3c2b1d4e5f",
        "bsn": builders.bsn(),
        "gemeentecode": "GM0363",
        "einddatum": "2026-06-30",
        "reden": "werk",
    },
    "nl.banenafspraak.doelgroepregistratie.gestart": lambda: {
        "bsn": builders.bsn(),
        "gemeentecode": "GM0599",
        "grond": "participatiewet",
        "startdatum": "2026-02-01",
    },
    "nl.banenafspraak.doelgroepregistratie.beeindigd": lambda: {
        "bsn": builders.bsn(),
        "gemeentecode": "GM0599",
        "einddatum": "2026-08-31",
    },
    "nl.banenafspraak.doelgroepregistratie.ingetrokken": lambda: {
        "bsn": builders.bsn(),
        "gemeentecode": "GM0599",
        "grond": "participatiewet",
        "startdatum": "2026-02-01",
    },
    "nl.banenafspraak.doelgroepregistratie.beeindiging-ingetrokken": lambda: {
        "bsn": builders.bsn(),
        "gemeentecode": "GM0599",
        "einddatum": "2026-08-31",
    },
    "nl.participatiewet.deelnamestatus.gewijzigd": lambda: {
        "bsn": builders.bsn(),
        "gemeentecode": "GM0599",
        "status": "doelgroepregister",
        "doelgroepregisterGrond": "participatiewet",
        "ingangsdatum": "2026-02-01",
        "terugvalopties": ["dagbesteding"],
    },
    "nl.participatiewet.beschut-werk.vastgesteld": lambda: {
        "bsn": builders.bsn(),
        "gemeentecode": "GM0599",
        "vastgesteldOp": "2026-03-01",
        "doelgroepregistratieEindigtOp": "2026-03-02",
    },
    "nl.participatiewet.banenafspraakbaan.zonder-registratie": lambda: {
        "bsn": builders.bsn(),
        "gemeentecode": "GM0599",
        "startdatum": "2026-03-01",
    },
    "nl.participatiewet.banenafspraakbaan.ingetrokken": lambda: {
        "bsn": builders.bsn(),
        "gemeentecode": "GM0599",
        "startdatum": "2026-03-01",
    },
    "nl.participatiewet.overdracht.opgepakt": lambda: {
        "bsn": builders.bsn(),
        "gemeentecode": "GM0363",
        "overdrachtId": "5f0c6a43-5b7e-4d0a-9c1e-0a3c2b1d4e5f",
        "stap": "contact-gelegd",
        "opgepaktOp": "2026-10-01",
    },
    "nl.participatiewet.bijstand.besloten": lambda: {
        "bsn": builders.bsn(),
        "gemeentecode": "GM0363",
        "overdrachtId": "5f0c6a43-5b7e-4d0a-9c1e-0a3c2b1d4e5f",
        "uitkomst": "bijstand-toegekend",
        "datum": "2026-12-20",
        "ingangsdatum": "2027-01-01",
        "voorEindeWw": True,
    },
    "nl.participatiewet.heraanvraagtermijn.geopend": lambda: {
        "uitkeringId": "5f0c6a43-5b7e-4d0a-9c1e-0a3c2b1d4e5f",
        "bsn": builders.bsn(),
        "gemeentecode": "GM0363",
        "einddatum": "2026-06-30",
        "geldigTot": "2027-06-30",
    },
    "nl.polis.aangifte.aangeleverd": lambda: {"leveringId": "2026-11-ib-0001", **polis.aangifte(builders.bsn())},
    "nl.participatiewet.maandinkomen.vastgesteld": lambda: {
        "bsn": builders.bsn(),
        "maand": "2026-01",
        "vorige": None,
        "huidige": {"nettoInkomen": 130000, "vakantiebijslag": 0},
        "bron": "polis",
        "bijdragen": [
            {
                "loonheffingennummer": "123456782L01",
                "inkomstenverhouding": 1,
                "eindeInkomstenverhouding": None,
                "tijdvakBegin": "2026-01-01",
                "tijdvakEinde": "2026-01-31",
                "versie": 1,
                "dagen": 31,
                "dagenTijdvak": 31,
                "nettoInkomen": 130000,
                "vakantiebijslag": 0,
                "berekening": {
                    "fiscaalLoon": 150000,
                    "waardePriveGebruikAuto": 0,
                    "ingehoudenLoonheffing": 20000,
                    "ingehoudenBijdrageZvw": 0,
                    "premieWgaWerknemer": 0,
                    "vakantiebijslagBetaald": 0,
                    "nettoTijdvak": 130000,
                    "nettoVakantiebijslagTijdvak": 0,
                },
            }
        ],
    },
}
VERREKENING = {
    "uitkeringId": "5f0c6a43-5b7e-4d0a-9c1e-0a3c2b1d4e5f",
    "gemeentecode": "GM0363",
    "maand": "2026-03",
    "norm": {
        "bedrag": 140150,
        "omschrijving": "alleenstaande van 21 jaar tot de AOW-leeftijd",
        "kostendelers": 1,
        "dagen": 31,
        "dagenMaand": 31,
        "bedragNaarRato": 140150,
    },
    "inkomen": {
        "nettoInkomen": 100000,
        "vakantiebijslag": 0,
        "bijdragen": [
            {
                "loonheffingennummer": "123456782L01",
                "inkomstenverhouding": 1,
                "tijdvakBegin": "2026-03-01",
                "tijdvakEinde": "2026-03-31",
                "nettoInkomen": 100000,
            }
        ],
    },
    "vrijlating": {"grond": "n", "percentage": "25", "plafond": 28500, "bedrag": 25000, "maandNummer": 1, "maanden": 6},
    "getoetstInkomen": 75000,
    "bijstand": 65150,
    "vakantietoeslag": 3258,
    "teBetalen": 61892,
    "betaald": 60000,
    "verschil": 1892,
    "uitleg": "Over maart 2026 is uw bijstandsnorm € 1.401,50 ...",
}
EXAMPLES |= {
    "nl.participatiewet.voorschot.voorgesteld": lambda: {
        "uitkeringId": "5f0c6a43-5b7e-4d0a-9c1e-0a3c2b1d4e5f",
        "bsn": builders.bsn(),
        "gemeentecode": "GM0363",
        "maand": "2026-11",
        "bedrag": 126_485,
        "verwacht": 133_142,
        "polisVerwachtOp": "2027-01-15",
        "verrekeningVerwachtOp": "2027-01-22",
        "uitleg": "Voor november 2026 is het voorschot € 1.264,85: 95% van de verwachte bijstand van € 1.331,42 ...",
    },
    "nl.participatiewet.vakantietoeslag.vastgesteld": lambda: {
        "uitkeringId": "5f0c6a43-5b7e-4d0a-9c1e-0a3c2b1d4e5f",
        "bsn": builders.bsn(),
        "gemeentecode": "GM0363",
        "vanMaand": "2026-09",
        "totMaand": "2026-12",
        "bedrag": 24_415,
        "uitbetalenUiterlijk": "2027-03-15",
        "einddatum": "2026-12-15",
        "voorlopig": False,
        "maanden": [{"maand": "2026-09", "gereserveerd": 7_008, "verrekend": False, "voorlopig": False}],
        "uitleg": "Over september 2026 tot en met december 2026 reserveren we 5% van uw bijstand ...",
    },
    "nl.participatiewet.vakantietoeslag.herzien": lambda: {
        "uitkeringId": "5f0c6a43-5b7e-4d0a-9c1e-0a3c2b1d4e5f",
        "bsn": builders.bsn(),
        "gemeentecode": "GM0363",
        "vanMaand": "2026-06",
        "totMaand": "2027-05",
        "bedrag": 83_196,
        "vorigBedrag": 84_096,
        "uitbetalenUiterlijk": "2027-06-30",
        "einddatum": None,
        "voorlopig": False,
        "maanden": [{"maand": "2027-05", "gereserveerd": 6_108, "verrekend": True, "voorlopig": False}],
        "wijzigingen": [{"maand": "2027-05", "vorigGereserveerd": 7_008, "gereserveerd": 6_108, "reden": "verrekend"}],
        "uitleg": "Eerder stelden we deze vakantietoeslag vast op € 840,96; nu is het € 831,96. ...",
    },
    "nl.participatiewet.toeslageninkomen.gewijzigd": lambda: {
        "uitkeringId": "5f0c6a43-5b7e-4d0a-9c1e-0a3c2b1d4e5f",
        "bsn": builders.bsn(),
        "gemeentecode": "GM0363",
        "jaar": 2026,
        "verrekendeMaanden": ["2026-05"],
        "voor": {
            "vanMaand": "2026-03",
            "totMaand": "2026-04",
            "fiscaalLoon": 0,
            "bijstand": 280_300,
            "bijstandNettoMaanden": 2,
            "restVanHetJaar": 1_121_200,
            "jaarinkomen": 1_401_500,
        },
        "na": {
            "vanMaand": "2026-03",
            "totMaand": "2026-05",
            "fiscaalLoon": 190_000,
            "bijstand": 298_950,
            "bijstandNettoMaanden": 3,
            "restVanHetJaar": 1_140_883,
            "jaarinkomen": 1_629_833,
        },
        "verschil": 228_333,
        "drempel": 100_000,
        "uitleg": "Door de verrekening van mei 2026 is het verwachte inkomen over 2026 veranderd van ...",
        "stap": "Uw huurtoeslag, zorgtoeslag en kindgebonden budget zijn gebaseerd op ...",
    },
    "nl.participatiewet.vordering.ontstaan": lambda: {
        "uitkeringId": "5f0c6a43-5b7e-4d0a-9c1e-0a3c2b1d4e5f",
        "bsn": builders.bsn(),
        "gemeentecode": "GM0363",
        "maand": "2026-03",
        "bedrag": 38_108,
        "afgelost": 0,
        "kwijtgescholden": 0,
        "open": 38_108,
        "status": "open",
        "boekingen": [{"soort": "ontstaan", "bedrag": 38_108, "maand": "2026-03"}],
        "uitleg": "Dit gaat over de bijstand van maart 2026. Wat u te veel kreeg, vordert de gemeente terug ...",
    },
    "nl.participatiewet.vordering.gewijzigd": lambda: {
        "uitkeringId": "5f0c6a43-5b7e-4d0a-9c1e-0a3c2b1d4e5f",
        "bsn": builders.bsn(),
        "gemeentecode": "GM0363",
        "maand": "2026-03",
        "bedrag": 38_108,
        "afgelost": 32_007,
        "kwijtgescholden": 0,
        "open": 6_101,
        "status": "open",
        "boekingen": [{"soort": "inhouding", "bedrag": 32_007, "maand": "2026-07"}],
        "uitleg": "Dit gaat over de bijstand van maart 2026. ... Wij hielden € 320,07 in op uw bijstand over juli 2026.",
    },
    "nl.participatiewet.heropening.geweigerd": lambda: {
        "heraanvraagId": "5f0c6a43-5b7e-4d0a-9c1e-0a3c2b1d4e5f",
        "bsn": builders.bsn(),
        "gemeentecode": "GM0363",
        "reden": "uitkering-loopt",
        "uitleg": "Voor deze persoon loopt al een uitkering; de heraanvraag is niet heropend.",
    },
    "nl.participatiewet.heraanvraag.toegekend": lambda: {
        "heraanvraagId": "5f0c6a43-5b7e-4d0a-9c1e-0a3c2b1d4e5f",
        "bsn": builders.bsn(),
        "gemeentecode": "GM0363",
        "startdatum": "2026-11-02",
        "geboortedatum": "1990-05-01",
        "situatie": {
            "huishouden": "alleenstaand",
            "partnerGeboortedatum": None,
            "jongsteKindGeboortedatum": None,
            "kostendelers": 0,
            "medischUrenbeperkt": False,
            "loonkostensubsidie": False,
            "meerUrenNietMogelijk": False,
            "vrijlatingsregime": "per-datum",
            "betaalmodel": "voorschot",
        },
        "vrijlatingsklok": [{"grond": "n", "maandenGebruikt": 2}],
    },
    "nl.participatiewet.verrekening.te-beoordelen": lambda: {
        "uitkeringId": "5f0c6a43-5b7e-4d0a-9c1e-0a3c2b1d4e5f",
        "bsn": builders.bsn(),
        "gemeentecode": "GM0363",
        "maanden": [
            {
                "maand": "2026-02",
                "wie": "aanvrager",
                "soort": "inkomstensoort",
                "reden": "de soort inkomen is onbekend bij 123456782L01/1 (soort 81): leg vast of het arbeid of "
                "overig inkomen is",
            }
        ],
        "uitleg": "Over februari 2026 kreeg u inkomen waarvan niet bekend is ...",
    },
    "nl.participatiewet.uitkering.beeindiging-voorgesteld": lambda: {
        "uitkeringId": "5f0c6a43-5b7e-4d0a-9c1e-0a3c2b1d4e5f",
        "bsn": builders.bsn(),
        "gemeentecode": "GM0363",
        "maanden": [{"maand": "2026-02", "getoetstInkomen": 180000, "norm": 140150}],
        "uitleg": "In februari ...",
    },
    "nl.participatiewet.uitkering.beeindigingsvoorstel-afgewezen": lambda: {
        "uitkeringId": "5f0c6a43-5b7e-4d0a-9c1e-0a3c2b1d4e5f",
        "bsn": builders.bsn(),
        "gemeentecode": "GM0363",
        "vanMaand": "2026-02",
        "totMaand": "2026-05",
        "uitleg": "Uw inkomen na vrijlating was ...",
    },
    "nl.participatiewet.uitkering.gewijzigd": lambda: {
        "uitkeringId": "5f0c6a43-5b7e-4d0a-9c1e-0a3c2b1d4e5f",
        "bsn": builders.bsn(),
        "gemeentecode": "GM0363",
        "ingangsdatum": "2026-04-01",
        "huishouden": "gehuwd",
        "kostendelers": 0,
        "medischUrenbeperkt": False,
        "loonkostensubsidie": False,
    },
    "nl.participatiewet.verrekening.vastgesteld": lambda: {"bsn": builders.bsn(), **VERREKENING},
    "nl.participatiewet.verrekening.herzien": lambda: {
        "bsn": builders.bsn(),
        **VERREKENING,
        "vorigTeBetalen": 60000,
        "herziening": 1892,
    },
}


@pytest.mark.parametrize("name", SERVICES)
def test_committed_openapi_matches_the_app(name):
    committed = (OPENAPI / f"{name}.yaml").read_text()
    assert yaml.safe_load(render(name)) == yaml.safe_load(committed), f"run `make contracts` for {name}"


def test_every_event_type_has_a_validating_example():
    contract = load_contract()
    assert set(EXAMPLES) == contract.event_types
    for event_type, example in EXAMPLES.items():
        contract.validate(
            Event(type=event_type, source="urn:nld:oin:00000001003214345000:systeem:test", data=example(), key="0" * 64)
        )


def test_a_bsn_failing_the_elfproef_does_not_validate():
    contract = load_contract()
    data = EXAMPLES["nl.participatiewet.uitkering.geopend"]() | {"bsn": "123456789"}
    with pytest.raises(InvalidEvent, match="data/bsn: format"):
        contract.validate(Event(type="nl.participatiewet.uitkering.geopend", source="s", data=data, key="k"))


def test_a_loonheffingennummer_failing_the_elfproef_does_not_validate():
    data = EXAMPLES["nl.polis.aangifte.aangeleverd"]() | {"loonheffingennummer": "123456783L01"}
    with pytest.raises(InvalidEvent, match="data/loonheffingennummer: format"):
        load_contract().validate(Event(type="nl.polis.aangifte.aangeleverd", source="s", data=data, key="k"))


def test_committed_event_schemas_and_asyncapi_are_generated_from_the_models():
    generated = event_schemas()
    assert sorted(generated) == sorted(p.name for p in EVENT_SCHEMAS.glob("*.json")), "run `make contracts`"
    for name, text in generated.items():
        assert (EVENT_SCHEMAS / name).read_text() == text, f"run `make contracts` for {name}"
    assert (CONTRACTS / "asyncapi.yaml").read_text() == asyncapi_document(), "run `make contracts`"
    assert README.read_text() == readme(), "run `make contracts`: the topics of contracts/README.md"


def test_the_ingest_event_carries_exactly_the_fields_of_an_http_delivery():
    invoer = yaml.safe_load(render("income"))["components"]["schemas"]["AangifteInvoer"]
    event = json.loads(generated := event_schemas()["aangifte-aangeleverd.schema.json"])
    assert set(event["properties"]) - set(invoer["properties"]) == {"leveringId"}, generated
    assert set(event["required"]) - set(invoer["required"]) == {"leveringId"}


@pytest.mark.parametrize("name", SERVICES)
def test_each_service_consumes_only_what_the_contract_lets_it_receive(name):
    contract = load_contract()
    service, _ = importlib.import_module(f"{name}.bootstrap").build(development())
    receives = contract.receives(name)
    for runner in service.runners:
        for event_type in runner.event_types:
            topic = contract.topic_of(event_type)
            assert event_type in receives.get(topic, ()), f"{name} handles {event_type} without a receive operation"
            assert topic in runner.topics


def test_every_topic_has_a_dead_letter_topic_and_every_type_one_producer():
    contract = load_contract()
    for topic in contract.topics.values():
        if topic.event_types:
            assert topic.dlq in contract.topics, f"{topic.name} has no dead-letter topic"
    for event_type in contract.event_types:
        senders = [o.service for o in contract.operations if o.action == "send" and event_type in o.event_types]
        assert len(senders) == 1, f"{event_type} must have exactly one producer, has {senders}"


def test_a_service_cannot_send_an_event_type_the_contract_gives_another_producer():
    from schakel.messaging import Outbox

    income = Outbox(load_contract(), "urn:nld:oin:00000001003214345000:systeem:income", "income")
    with pytest.raises(InvalidEvent, match="does not let this service send"):
        income.event("0" * 64, UitkeringGeopend.model_validate(EXAMPLES[UitkeringGeopend.TYPE]()))
