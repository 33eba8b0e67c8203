"""The income service end to end: deliveries by HTTP and Kafka, versions, attribution to months,
overrides, events and who may see what, on the real broker and database."""

import asyncio
import json
import uuid
from datetime import timedelta

import httpx
import pytest
import sqlalchemy as sa

from income.adapters.tables import polisregels
from schakel.api import Rol
from schakel.events import Event
from schakel.persistence import Database
from schakel.telemetry.redaction import gemaskeerd_id
from tests.support import builders, kafka
from tests.support.polis import WERKGEVER_B, aangeleverd, aangifte, deliver, emitted, geopend, months, open_case
from tests.support.stack import (
    POLISAANGIFTEN,
    ROTTERDAMSE_LEVERANCIER,
    TODAY,
    eventually,
    population,
    pseudonym,
    token,
)

pytestmark = pytest.mark.integration


def test_delivery_answers_per_record_and_stores_the_valid_ones(stack):
    bsn, buiten = builders.bsn(), builders.bsn()
    open_case(stack, bsn)
    records = [
        aangifte(bsn),
        aangifte(bsn, loonheffingennummer="123456783L01"),  # elfproef
        aangifte(bsn, begin="2026-02-01", einde="2026-02-20"),  # not a pay period
        aangifte(bsn, begin="2026-03-01", einde="2026-03-31", fiscaalLoon=1500.5),  # not cents
        {k: v for k, v in aangifte(bsn, begin="2026-04-01", einde="2026-04-30").items() if k != "tijdvakEinde"},
        aangifte(buiten),  # nobody asked for this person
        aangifte(bsn, begin="2026-02-01", einde="2026-02-28"),
    ]
    levering_id = str(uuid.uuid4())
    response = deliver(stack, records, levering_id)
    assert response.status_code == 201, response.text
    body = response.json()
    assert response.headers["Location"] == f"/api/v1/leveringen/{levering_id}"
    uitkomsten = [r["uitkomst"] for r in body["resultaten"]]
    assert uitkomsten == [
        "geaccepteerd",
        "afgewezen",
        "afgewezen",
        "afgewezen",
        "afgewezen",
        "buiten-populatie",
        "geaccepteerd",
    ]
    fouten = {
        r["volgnummer"]: {(f["name"], f["code"]) for f in r["fouten"]} for r in body["resultaten"] if "fouten" in r
    }
    assert fouten == {
        1: {("loonheffingennummer", "elfproef")},
        2: {("tijdvakEinde", "tijdvaklengte")},
        3: {("fiscaalLoon", "int_type")},
        4: {("tijdvakEinde", "missing")},
    }
    assert body["aantallen"] == {
        "geaccepteerd": 2,
        "correctie": 0,
        "herhaling": 0,
        "verouderd": 0,
        "buitenPopulatie": 1,
        "afgewezen": 4,
    }
    assert buiten not in response.text.replace(bsn, ""), "the answer never echoes a BSN"
    assert set(months(stack, bsn)) == {"2026-01", "2026-02"}

    # the same delivery again: the first answer, nothing changed
    again = deliver(stack, records, levering_id)
    assert again.status_code == 200 and again.json() == body
    # also written out otherwise: keys in another order, other spacing, 150000.0 for 150000 (one number)
    als_float = [{k: float(v) if k == "fiscaalLoon" and type(v) is int else v for k, v in r.items()} for r in records]
    assert ".0," in json.dumps(als_float)
    anders = json.dumps(
        {"aangiften": [dict(reversed(r.items())) for r in als_float], "leveringId": levering_id}, indent=2
    )
    with stack.client("income", Rol.data_provider) as client:
        opnieuw = client.post("/leveringen", content=anders, headers={"Content-Type": "application/json"})
    assert opnieuw.status_code == 200 and opnieuw.json() == body
    # the same id with other content is refused
    assert deliver(stack, records[:1], levering_id).status_code == 409
    with stack.client("income", Rol.data_provider) as client:
        status = client.get(f"/leveringen/{levering_id}").json()
    assert status["kanaal"] == "http" and status["aantallen"] == body["aantallen"]
    with stack.client("income", Rol.data_provider) as client:
        assert client.get(f"/leveringen/{uuid.uuid4()}").status_code == 404


def test_a_delivery_of_50000_declarations_with_every_field_fits(stack):

    bsn = builders.bsn()  # nobody's case: every record is outside the population, nothing is stored
    records = [
        aangifte(
            bsn,
            inkomstenverhouding=i,
            soortInkomstenverhouding="15",
            eindeInkomstenverhouding="2026-12-31",
            svLoon=150000,
            loonBijzondereBeloningen=12345,
            waardePriveGebruikAuto=45000,
            premieWgaWerknemer=1234,
            vakantiebijslagBetaald=120000,
            vakantiebijslagOpgebouwd=12000,
            verloondeUren=160,
            loonheffingskortingToegepast=True,
        )
        for i in range(50_000)
    ]
    body = json.dumps({"leveringId": str(uuid.uuid4()), "aangiften": records}, indent=2).encode()
    assert len(body) > 35_000_000, "indented: the largest realistic form"
    with stack.client("income", Rol.data_provider) as client:
        response = client.post("/leveringen", content=body, headers={"Content-Type": "application/json"}, timeout=120)
    assert response.status_code == 201, response.text[:500]
    assert response.json()["aantallen"]["buitenPopulatie"] == 50_000


def test_repeats_corrections_months_later_and_nil_corrections(stack):
    bsn = builders.bsn()
    open_case(stack, bsn)
    assert deliver(stack, [aangifte(bsn)]).json()["aantallen"]["geaccepteerd"] == 1
    eventually(lambda: len(emitted(stack, bsn)) == 1)
    first = emitted(stack, bsn)[0]
    assert (first["maand"], first["vorige"], first["huidige"]) == (
        "2026-01",
        None,
        {
            "nettoInkomen": 130000,
            "vakantiebijslag": 0,
            "arbeidsinkomen": 130000,
            "overigInkomen": 0,
            "onbekendInkomen": 0,
        },
    )
    assert first["bijdragen"][0]["versie"] == 1 and first["bijdragen"][0]["berekening"]["nettoTijdvak"] == 130000

    assert deliver(stack, [aangifte(bsn)]).json()["aantallen"]["herhaling"] == 1
    # months later the employer corrects January: a new version, the difference is announced
    assert deliver(stack, [aangifte(bsn, fiscaalLoon=170000)]).json()["aantallen"]["correctie"] == 1
    eventually(lambda: len(emitted(stack, bsn)) == 2)
    second = emitted(stack, bsn)[1]
    assert (second["vorige"]["nettoInkomen"], second["huidige"]["nettoInkomen"]) == (130000, 150000)
    assert second["bijdragen"][0]["versie"] == 2

    # a correction that changes no amount of the month (only the hours) announces nothing
    assert deliver(stack, [aangifte(bsn, fiscaalLoon=170000, verloondeUren=80)]).json()["aantallen"]["correctie"] == 1
    assert months(stack, bsn)["2026-01"]["bijdragen"][0]["versie"] == 3

    # a nil correction withdraws the period's income
    assert deliver(stack, [aangifte(bsn, fiscaalLoon=0, ingehoudenLoonheffing=0)]).json()["aantallen"]["correctie"] == 1
    eventually(lambda: len(emitted(stack, bsn)) == 3)
    assert emitted(stack, bsn)[2]["huidige"]["nettoInkomen"] == 0
    assert months(stack, bsn)["2026-01"]["nettoInkomen"] == 0
    assert len(emitted(stack, bsn)) == 3, "the unchanged month was not announced"

    # every version is kept for audit; only the latest is current
    with stack.client("income", Rol.municipality) as client:
        versies = client.post("/aangiften/_zoek", json={"bsn": bsn}).json()["aangiften"]
    assert [(v["versie"], v["actueel"], v["fiscaalLoon"]) for v in versies] == [
        (1, False, 150000),
        (2, False, 170000),
        (3, False, 170000),
        (4, True, 0),
    ]


def test_four_weeks_over_two_months_two_employers_and_a_period_before_the_start(stack):
    bsn = builders.bsn()
    open_case(stack, bsn, startdatum="2026-02-01")
    response = deliver(
        stack,
        [
            # 26 January-22 February: 6/28 before the benefit started (counts nowhere), 22/28 in February
            aangifte(bsn, begin="2026-01-26", einde="2026-02-22", fiscaalLoon=140000, ingehoudenLoonheffing=0),
            # a second employer paying monthly
            aangifte(
                bsn,
                begin="2026-02-01",
                einde="2026-02-28",
                loonheffingennummer=WERKGEVER_B,
                fiscaalLoon=50000,
                ingehoudenLoonheffing=5000,
            ),
            # entirely before the benefit: stored for the file, counted in no month
            aangifte(bsn, begin="2025-12-01", einde="2025-12-31"),
        ],
    )
    assert response.json()["aantallen"]["geaccepteerd"] == 3, response.text
    figures = months(stack, bsn)
    assert set(figures) == {"2026-02"}
    februari = figures["2026-02"]
    assert februari["nettoInkomen"] == 110000 + 45000
    assert sorted((b["loonheffingennummer"], b["dagen"], b["nettoInkomen"]) for b in februari["bijdragen"]) == [
        ("123456782L01", 22, 110000),
        (WERKGEVER_B, 28, 45000),
    ]


def test_end_month_policy_is_per_municipality(stack):
    bsn = builders.bsn("GM0599")
    open_case(stack, bsn, gemeente="GM0599")
    deliver(stack, [aangifte(bsn, begin="2026-01-26", einde="2026-02-22", fiscaalLoon=140000, ingehoudenLoonheffing=0)])
    assert {m: f["nettoInkomen"] for m, f in months(stack, bsn, gemeente="GM0599").items()} == {
        "2026-01": 30000,
        "2026-02": 110000,
    }
    with stack.client("income", Rol.municipality, "GM0599") as client:
        assert client.put("/toerekeningsbeleid", json={"toerekening": "maand-van-einde-tijdvak"}).status_code == 200
        try:  # recomputed in the background
            eventually(
                lambda: (
                    {m: f["nettoInkomen"] for m, f in months(stack, bsn, gemeente="GM0599").items()}
                    == {"2026-01": 0, "2026-02": 140000}
                )
            )
        finally:
            client.put("/toerekeningsbeleid", json={"toerekening": "naar-rato-van-dagen"})
    with stack.client("income", Rol.municipality, "GM0363") as client:
        assert client.get("/toerekeningsbeleid").json() == {"toerekening": "naar-rato-van-dagen"}


def test_override_wins_until_a_newer_polis_version_then_it_is_flagged(stack):
    bsn = builders.bsn()
    open_case(stack, bsn)
    deliver(stack, [aangifte(bsn)])
    with stack.client("income", Rol.municipality) as client:
        month = client.post(
            "/overschrijvingen",
            json={"bsn": bsn, "maand": "2026-01", "nettoInkomen": 120000, "reden": "loonstrook januari ontvangen"},
        ).json()
        assert (month["nettoInkomen"], month["bron"], month["teBeoordelen"], month["polisNettoInkomen"]) == (
            120000,
            "overschrijving",
            False,
            130000,
        )
        eventually(lambda: len(emitted(stack, bsn)) == 2)
        assert emitted(stack, bsn)[1]["bron"] == "overschrijving"

        deliver(stack, [aangifte(bsn, fiscaalLoon=160000)])  # a newer polis version for January
        january = months(stack, bsn)["2026-01"]
        assert (january["nettoInkomen"], january["teBeoordelen"], january["polisNettoInkomen"]) == (
            120000,
            True,
            140000,
        )
        # the override's amount stands; its polis lines changed, which decisions shows with it
        eventually(lambda: len(emitted(stack, bsn)) == 3)
        nieuw = emitted(stack, bsn)[2]
        assert (nieuw["bron"], nieuw["huidige"]["nettoInkomen"], nieuw["bijdragen"][0]["nettoInkomen"]) == (
            "overschrijving",
            120000,
            140000,
        )

        withdrawn = client.post("/overschrijvingen/_intrekken", json={"bsn": bsn, "maand": "2026-01"}).json()
        assert (withdrawn["nettoInkomen"], withdrawn["bron"], withdrawn["teBeoordelen"]) == (140000, "polis", False)
        eventually(lambda: len(emitted(stack, bsn)) == 4)
        assert client.post("/overschrijvingen/_intrekken", json={"bsn": bsn, "maand": "2026-01"}).status_code == 404


def test_only_the_municipality_with_a_running_case_or_its_window_may_look(stack):
    bsn = builders.bsn()
    uitkering_id = open_case(stack, bsn)
    deliver(stack, [aangifte(bsn)])
    vraag = {"bsn": bsn, "vanMaand": "2026-01", "totMaand": "2026-12"}
    with stack.client("income", Rol.municipality, "GM0599") as other:
        assert other.post("/maandinkomens/_zoek", json=vraag).status_code == 404
        assert (
            other.post(
                "/overschrijvingen",
                json={**vraag, "maand": "2026-01", "nettoInkomen": 1, "reden": "probeer"} | {"vanMaand": None},
            ).status_code
            == 400
        )
    for role in (Rol.uwv, Rol.data_provider):
        with stack.client("income", role) as client:
            assert client.post("/maandinkomens/_zoek", json=vraag).status_code == 403
    with stack.client("income", Rol.municipality) as own:
        assert own.post("/maandinkomens/_zoek", json=vraag).status_code == 200
        achterstevoren = own.post("/maandinkomens/_zoek", json=vraag | {"vanMaand": "2026-12", "totMaand": "2026-01"})
        assert (achterstevoren.status_code, achterstevoren.json()["code"]) == (422, "ongeldige-periode")
        assert [(p["name"], p["code"]) for p in achterstevoren.json()["invalidParams"]] == [("vanMaand", "volgorde")]
        with stack.client("decisions", Rol.municipality) as decisions:
            decisions.post(f"/uitkeringen/{uitkering_id}/_beeindig", json={"einddatum": "2026-03-31", "reden": "werk"})
        # the re-application window after the case: its municipality still reads, no other one
        with stack.client("reapplication", Rol.municipality) as reapplication:
            eventually(
                lambda: reapplication.post("/heraanvraagtermijnen/_zoek", json={"bsn": bsn}).json()["openTermijn"]
            )
        eventually(
            lambda: (
                "2026-01"
                in {m["maand"] for m in own.post("/maandinkomens/_zoek", json=vraag).json().get("maanden", [])}
            )
        )
    with stack.client("income", Rol.municipality, "GM0599") as other:
        assert other.post("/maandinkomens/_zoek", json=vraag).status_code == 404


def test_a_provider_pages_through_the_population_by_cursor_and_the_cursor_is_its_own(stack):
    for bsn in [builders.bsn() for _ in range(3)]:
        open_case(stack, bsn)
    with stack.client("income", Rol.data_provider) as provider:
        eerste = provider.get("/populatie", params={"paginaGrootte": 2}).json()
        tweede = provider.get("/populatie", params={"vanaf": eerste["volgende"], "paginaGrootte": 2}).json()
        op_nummer = provider.get("/populatie", params={"pagina": 2, "paginaGrootte": 2}).json()
        assert (tweede["pagina"], tweede["totaal"], tweede["peildatum"]) == (2, eerste["totaal"], TODAY.isoformat())
        assert eerste["personen"][-1]["bsn"] < tweede["personen"][0]["bsn"]
        assert op_nummer["personen"] == tweede["personen"], "the deprecated page number gives the same page"
        assert population(stack, TODAY.isoformat()) >= {p["bsn"] for p in eerste["personen"] + tweede["personen"]}

        for params, veld in [
            ({"vanaf": eerste["volgende"], "peildatum": "2026-11-30"}, "peildatum"),
            ({"vanaf": eerste["volgende"], "pagina": 2}, "pagina"),
            ({"vanaf": eerste["volgende"][:-8] + "AAAAAAAA"}, "vanaf"),
        ]:
            antwoord = provider.get("/populatie", params=params)
            assert antwoord.status_code == 422 and antwoord.headers["content-type"] == "application/problem+json"
            assert [p["name"] for p in antwoord.json()["invalidParams"]] == [veld]
    # another provider's cursor is refused as a made-up one is: it says nothing about whose it was
    headers = {"Authorization": f"Bearer {token(Rol.data_provider, oin=ROTTERDAMSE_LEVERANCIER)}"}
    with httpx.Client(base_url=stack.services["income"].url, headers=headers, timeout=30) as rotterdam:
        antwoord = rotterdam.get("/populatie", params={"vanaf": eerste["volgende"]})
    assert (antwoord.status_code, antwoord.json()["code"]) == (422, "ongeldige-cursor")


def test_kafka_ingest_is_handled_like_http_and_bad_records_go_to_the_dead_letter_topic(stack):
    bsn = builders.bsn()
    open_case(stack, bsn)
    levering_id = str(uuid.uuid4())
    goed = aangeleverd(levering_id, aangifte(bsn))
    elfproef = aangeleverd(
        levering_id, aangifte(bsn, begin="2026-02-01", einde="2026-02-28", loonheffingennummer="123456783L01")
    )
    lengte = aangeleverd(levering_id, aangifte(bsn, begin="2026-03-01", einde="2026-03-20"))
    later = aangeleverd(levering_id, aangifte(bsn, begin="2026-04-01", einde="2026-04-30"))
    kafka.produce_events(stack.kafka, POLISAANGIFTEN, [goed, elfproef, lengte, later])

    eventually(lambda: set(months(stack, bsn)) == {"2026-01", "2026-04"})

    def dead_letters():  # written batch by batch: wait for both
        found = [
            r
            for r in kafka.read(stack.kafka, "polisaangiften.dlq")
            if dict(r.headers).get("ce_id", b"").decode() in (elfproef.id, lengte.id)
        ]
        return len(found) == 2 and found

    dead = eventually(dead_letters)
    reasons = {dict(r.headers)["ce_id"].decode(): dict(r.headers)["dlq-reden"].decode() for r in dead}
    assert "loonheffingennummer" in reasons[elfproef.id] and "tijdvakEinde" in reasons[lengte.id]
    assert bsn not in str(reasons)
    with stack.client("income", Rol.data_provider) as client:
        status = client.get(f"/leveringen/{levering_id}").json()
        afgewezen = client.get(f"/leveringen/{levering_id}/afwijzingen").json()
    # the provider reads which and why, as the dead letters say it: one read as a declaration by its id,
    # the one the event schema refused by its place on the topic
    [elfproef_dlq] = [dict(r.headers) for r in dead if dict(r.headers)["ce_id"].decode() == elfproef.id]
    plaats = (int(elfproef_dlq["dlq-bron-partitie"]), int(elfproef_dlq["dlq-bron-offset"]))
    assert {(a["eventId"], a["partitie"], a["offset"], a["reden"]) for a in afgewezen} == {
        (gemaskeerd_id(lengte.id), None, None, reasons[lengte.id]),  # masked where a random id holds nine digits
        (None, *plaats, reasons[elfproef.id]),
    }
    # the elfproef failure, refused by the event schema before a handler saw it, counts as refused too
    # (counted before its dead letter left): the provider's count reaches all it sent
    assert status["kanaal"] == "kafka"
    assert status["aantallen"] == {
        "geaccepteerd": 2,
        "correctie": 0,
        "herhaling": 0,
        "verouderd": 0,
        "buitenPopulatie": 0,
        "afgewezen": 2,
    }


def test_polis_data_is_forgotten_once_the_retention_after_the_last_case_or_window_ran_out(stack):
    oud, recent = builders.bsn(), builders.bsn()
    opened = {bsn: geopend(bsn, startdatum="2024-01-01") for bsn in (oud, recent)}
    kafka.produce_events(stack.kafka, "uitkeringen", list(opened.values()))
    eventually(lambda: {oud, recent} <= population(stack, "2024-06-01"))
    answer = deliver(
        stack,
        [
            aangifte(bsn, begin="2024-03-01", einde="2024-03-31", aanvangInkomstenverhouding="2024-02-01")
            for bsn in (oud, recent)
        ],
    )
    assert answer.json()["aantallen"]["geaccepteerd"] == 2, answer.text
    ended = TODAY - timedelta(days=40)
    kafka.produce_events(
        stack.kafka, "uitkeringen", [beeindigd(opened[oud], "2024-06-30"), beeindigd(opened[recent], ended.isoformat())]
    )
    # income holds both the end and the window (from reapplication) before the retention job runs
    eventually(lambda: oud in population(stack, "2025-06-30") and oud not in population(stack, "2025-07-01"))
    eventually(lambda: recent in population(stack, (ended + timedelta(days=300)).isoformat()))

    # retention 12 months after the case (2024-06-30) and its window (2025-06-30) ended
    stack.services["income"].stop()
    stack.start("income", INCOME_OPSCHONEN_INTERVAL_SECONDEN="0.5")
    try:
        eventually(lambda: stored(stack, oud) == 0)
        assert stored(stack, recent) == 1, "someone whose window is still open keeps their data"
        assert oud not in population(stack, "2024-06-01"), "the population rows went too"
    finally:
        stack.services["income"].stop()
        stack.start("income")


def beeindigd(opened, einddatum: str):
    d = opened.data
    return Event(
        type="nl.participatiewet.uitkering.beeindigd",
        source=opened.source,
        key=opened.key,
        data={
            "uitkeringId": d["uitkeringId"],
            "bsn": d["bsn"],
            "gemeentecode": d["gemeentecode"],
            "einddatum": einddatum,
            "reden": "werk",
        },
    )


def stored(stack, bsn: str) -> int:
    """How many declaration versions income's database holds for the person."""

    async def count():
        db = Database(stack.services["income"].env["INCOME_DATABASE_URL"])
        try:
            async with db.transaction() as conn:
                return (
                    await conn.execute(
                        sa.select(sa.func.count())
                        .select_from(polisregels)
                        .where(polisregels.c.persoon == pseudonym(bsn))
                    )
                ).scalar_one()
        finally:
            await db.dispose()

    return asyncio.run(count())
