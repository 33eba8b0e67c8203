"""Registration end to end: dagbesteding -> beschut werk -> banenafspraak job -> failed -> advice
revived -> placed again, with the doelgroepregister registration ending at the right date;
out-of-order facts, the 12-month repeat rule, a move, capacity and authorization."""

import json

import pytest

from schakel.api import Rol
from tests.support import builders, kafka
from tests.support.stack import DOELGROEPREGISTER, eventually, pseudonym

pytestmark = pytest.mark.integration

UTRECHT, ROTTERDAM = "GM0344", "GM0599"


def meld(stack, role, gemeente, /, **mutatie):
    with stack.client("registration", role, gemeente) as client:
        return client.post("/mutaties", json=mutatie)


def reporters(stack, bsn: str):
    """Utrecht and UWV reporting facts about one person."""

    def utrecht(soort, datum, **kw):
        return meld(stack, Rol.municipality, UTRECHT, bsn=bsn, soort=soort, datum=datum, **kw)

    def uwv(soort, datum, **kw):
        return meld(stack, Rol.uwv, None, bsn=bsn, soort=soort, datum=datum, gemeentecode=UTRECHT, **kw)

    return utrecht, uwv


def status(stack, bsn, role=Rol.municipality, gemeente=UTRECHT):
    with stack.client("registration", role, gemeente) as client:
        return client.post("/deelnamestatussen/_zoek", json={"bsn": bsn})


def test_the_full_path_and_back_with_the_register_ending_the_day_after(stack):
    bsn = builders.bsn(UTRECHT)
    utrecht, uwv = reporters(stack, bsn)

    assert utrecht("dagbesteding-gestart", "2025-01-06", indicatie="wmo").status_code == 201
    kafka.produce_events(
        stack.kafka,
        DOELGROEPREGISTER,
        [builders.registratie(bsn, "gestart", gemeentecode=UTRECHT, grond="participatiewet", startdatum="2025-02-01")],
    )
    eventually(lambda: status(stack, bsn).json()["status"] == "doelgroepregister")
    # UWV's advice, reported out of order: the issue before the request
    assert (
        uwv("advies-uitgebracht", "2025-04-01", uitkomst="positief", redenen=["begeleiding nodig"]).status_code == 201
    )
    assert uwv("advies-aangevraagd", "2025-02-10", aanvrager="gemeente").status_code == 201
    assert utrecht("dagbesteding-beeindigd", "2025-04-30").status_code == 201
    vastgesteld = utrecht("beschut-werk-vastgesteld", "2025-05-01").json()
    assert vastgesteld["status"] == "beschut-werk-wachtlijst"
    [registratie] = vastgesteld["doelgroepregistraties"]
    assert "beschut werk" in registratie.pop("uitleg")  # why it ended, for the citizen
    assert registratie == {"grond": "participatiewet", "startdatum": "2025-02-01", "einddatum": "2025-05-02"}
    for soort, datum, extra in [
        ("beschutte-plek-gestart", "2025-07-01", {"werkgever": "Werkbedrijf", "urenPerWeek": 24, "vorm": "regulier"}),
        ("beschutte-plek-beeindigd", "2026-01-31", {}),
    ]:
        assert utrecht(soort, datum, **extra).status_code == 201, soort
    # the job before UWV's registration: pending (Wfsv art. 38b lid 1), and UWV hears of it
    baan = utrecht("banenafspraakbaan-gestart", "2026-02-01", werkgever="Bakkerij de Korenschoof").json()
    assert (baan["status"], baan["banenafspraakbaan"]["teltMee"]) == ("banenafspraakbaan", False)
    assert utrecht("banenafspraakbaan-beeindigd", "2026-05-31").status_code == 201
    # UWV registers the person again for the banenafspraak job
    kafka.produce_events(
        stack.kafka,
        DOELGROEPREGISTER,
        [builders.registratie(bsn, "gestart", gemeentecode=UTRECHT, grond="participatiewet", startdatum="2026-02-01")],
    )
    eventually(lambda: len(status(stack, bsn).json()["doelgroepregistraties"]) == 2)
    slapend = status(stack, bsn).json()
    assert slapend["advies"]["stand"] == "slapend"
    assert [o["soort"] for o in slapend["terugvalopties"]] == ["beschut-werk", "dagbesteding"]
    ondertekend = {"naam": "x", "datum": "2026-06-10"}
    verklaring = utrecht(
        "driehoeksverklaring",
        "2026-06-10",
        werkgever=ondertekend | {"naam": "Bakkerij"},
        gemeente=ondertekend | {"naam": "Utrecht"},
        client=ondertekend | {"naam": "de cliënt"},
    ).json()
    assert (verklaring["status"], verklaring["beschutWerk"]["wachtlijstSinds"]) == (
        "beschut-werk-wachtlijst",
        "2026-06-10",
    )
    assert verklaring["advies"]["herleefdOp"] == "2026-06-10"
    registratie = verklaring["doelgroepregistraties"][1]
    assert "weer ging gelden" in registratie.pop("uitleg")
    assert registratie == {"grond": "participatiewet", "startdatum": "2026-02-01", "einddatum": "2026-06-11"}
    geplaatst = utrecht(
        "beschutte-plek-gestart", "2026-08-01", werkgever="Werkbedrijf", urenPerWeek=20, vorm="detachering"
    ).json()
    assert geplaatst["status"] == "beschut-werk" and geplaatst["beschutWerk"]["plek"]["vorm"] == "detachering"

    def published():  # the relay publishes after the answer; wait for the placement's status
        found = [
            (dict(r.headers)["ce_type"].decode(), json.loads(r.value))
            for r in kafka.read(stack.kafka, "deelnamestatussen", key=pseudonym(bsn))
        ]
        return found and found[-1][1].get("status") == "beschut-werk" and found

    events = eventually(published)
    to_uwv = [
        e[1]["doelgroepregistratieEindigtOp"] for e in events if e[0] == "nl.participatiewet.beschut-werk.vastgesteld"
    ]
    assert to_uwv == ["2025-05-02", "2026-06-11"]
    pending = [e[1]["startdatum"] for e in events if e[0] == "nl.participatiewet.banenafspraakbaan.zonder-registratie"]
    assert pending == ["2026-02-01"]

    # transitions that make no sense are refused and nothing is kept
    refused = utrecht("banenafspraakbaan-beeindigd", "2026-09-01")
    assert refused.status_code == 422 and refused.json()["code"] == "geen-baan"
    assert len(status(stack, bsn).json()["geschiedenis"]) == 13


def test_a_citizens_repeat_request_within_12_months_is_flagged(stack):
    bsn = builders.bsn(UTRECHT)
    _, uwv = reporters(stack, bsn)

    uwv("advies-uitgebracht", "2026-01-10", uitkomst="negatief")
    assert uwv("advies-aangevraagd", "2026-06-01", aanvrager="burger").json()["advies"]["herhaalverzoek"] is True
    assert (
        uwv("advies-aangevraagd", "2026-06-02", aanvrager="burger", nieuweFeiten=True).json()["advies"][
            "herhaalverzoek"
        ]
        is False
    )


def test_a_move_hands_the_person_and_the_obligation_to_the_new_municipality(stack):
    bsn = builders.bsn(UTRECHT)
    meld(
        stack,
        Rol.uwv,
        None,
        bsn=bsn,
        soort="advies-uitgebracht",
        datum="2026-02-01",
        gemeentecode=UTRECHT,
        uitkomst="positief",
    )
    assert status(stack, bsn).status_code == 200
    # the move in the BRP decides who may act, not a reported fact
    stack.brp.vestig(bsn, ROTTERDAM, "2026-03-01")
    assert status(stack, bsn).status_code == 404, "the old municipality lost access"
    vroeg = meld(
        stack, Rol.municipality, ROTTERDAM, bsn=bsn, soort="verhuisd", datum="2026-02-28", gemeentecode=ROTTERDAM
    )
    assert (vroeg.status_code, vroeg.json()["code"]) == (409, "verhuizing-voor-inschrijving"), "the BRP's day"
    eerst = meld(
        stack, Rol.municipality, ROTTERDAM, bsn=bsn, soort="dagbesteding-gestart", datum="2026-03-02", indicatie="wmo"
    )
    assert (eerst.status_code, eerst.json()["code"]) == (409, "verhuizing-niet-gemeld"), "the move first"
    moved = meld(
        stack, Rol.municipality, ROTTERDAM, bsn=bsn, soort="verhuisd", datum="2026-03-01", gemeentecode=ROTTERDAM
    ).json()
    assert (moved["gemeentecode"], moved["beschutWerk"]["wachtlijstSinds"]) == (ROTTERDAM, "2026-02-01")
    assert status(stack, bsn, gemeente=ROTTERDAM).status_code == 200
    assert (
        meld(
            stack, Rol.municipality, UTRECHT, bsn=bsn, soort="dagbesteding-gestart", datum="2026-03-02", indicatie="wmo"
        ).status_code
        == 404
    )
    assert status(stack, bsn, role=Rol.uwv, gemeente=None).status_code == 200


def test_the_municipality_the_person_left_withdraws_its_own_fact_and_learns_nothing_else(stack):
    """An objection upheld after the move: Utrecht withdraws the dagbesteding it reported while the person
    lived there, answered without the status (Rotterdam's now); any other fact, and the same one again, as a
    stranger's."""
    bsn, elders = builders.bsn(UTRECHT), builders.bsn(ROTTERDAM)
    dagbesteding = {"bsn": bsn, "soort": "dagbesteding-gestart", "datum": "2026-02-02", "indicatie": "wmo"}
    assert meld(stack, Rol.municipality, UTRECHT, **dagbesteding).status_code == 201
    stack.brp.vestig(bsn, ROTTERDAM, "2026-03-01")
    meld(stack, Rol.municipality, ROTTERDAM, bsn=bsn, soort="verhuisd", datum="2026-03-01", gemeentecode=ROTTERDAM)
    assert status(stack, bsn, gemeente=ROTTERDAM).json()["status"] == "dagbesteding"

    with stack.client("registration", Rol.municipality, UTRECHT) as utrecht:
        weg = utrecht.post("/mutaties/_intrekken", json=dagbesteding)
        assert (weg.status_code, weg.content) == (204, b""), weg.text
        nogmaals = utrecht.post("/mutaties/_intrekken", json=dagbesteding)  # a new key: no longer there
        anders = utrecht.post("/mutaties/_intrekken", json=dagbesteding | {"indicatie": "wlz"})
        vreemde = utrecht.post("/mutaties/_intrekken", json=dagbesteding | {"bsn": elders})
    assert nogmaals.status_code == anders.status_code == vreemde.status_code == 404
    assert len({(r.json()["code"], r.json()["detail"]) for r in (nogmaals, anders, vreemde)}) == 1
    assert status(stack, bsn).status_code == 404, "the status stays Rotterdam's"
    na = status(stack, bsn, gemeente=ROTTERDAM).json()
    assert (na["status"], na["dagbesteding"], na["ingetrokken"]) == ("geen", None, [])


def test_capacity_per_municipality_and_year(stack):
    amersfoort = "GM0307"
    placed, waiting = builders.bsn(amersfoort), builders.bsn(amersfoort)
    for bsn in (placed, waiting):
        meld(
            stack,
            Rol.uwv,
            None,
            bsn=bsn,
            soort="advies-uitgebracht",
            datum="2026-01-05",
            gemeentecode=amersfoort,
            uitkomst="positief",
        )
        meld(stack, Rol.municipality, amersfoort, bsn=bsn, soort="beschut-werk-vastgesteld", datum="2026-01-20")
    meld(
        stack,
        Rol.municipality,
        amersfoort,
        bsn=placed,
        soort="beschutte-plek-gestart",
        datum="2026-04-05",
        werkgever="Werkbedrijf",
        urenPerWeek=32,
        vorm="anders",
    )
    with stack.client("registration", Rol.operator) as ministry:
        assert ministry.put("/taakstellingen/2026", json={"gemeentecode": amersfoort, "aantal": 42}).status_code == 200
    with stack.client("registration", Rol.municipality, amersfoort) as client:
        assert client.put("/taakstellingen/2026", json={"gemeentecode": UTRECHT, "aantal": 1}).status_code == 403
        figures = client.get("/capaciteit", params={"jaar": 2026}).json()
    assert (figures["taakstelling"], figures["gerealiseerd"]) == (42, 1)
    # 32 of 31 hours from 5 April: 240 of the 334 days so far; today one place (the unit of the regulation)
    assert (figures["plekEquivalenten"], figures["bezettePlekken"]) == (0.7, 1.0)
    assert [(w["bsn"], w["plicht"]) for w in figures["wachtlijst"]] == [(waiting, "plaatsing")]
    assert figures["gemiddeldeDagenTotPlaatsing"] == figures["maximaleDagenTotPlaatsing"] == 90  # 5 Jan - 5 Apr


def test_who_may_report_what(stack):
    bsn = builders.bsn()
    assert (
        meld(
            stack,
            Rol.municipality,
            UTRECHT,
            bsn=bsn,
            soort="advies-uitgebracht",
            datum="2026-01-01",
            uitkomst="positief",
        ).status_code
        == 403
    ), "advice is UWV's"
    assert (
        meld(
            stack,
            Rol.uwv,
            None,
            bsn=bsn,
            soort="dagbesteding-gestart",
            datum="2026-01-01",
            gemeentecode=UTRECHT,
            indicatie="wlz",
        ).status_code
        == 403
    ), "dagbesteding is the municipality's"
    with stack.client("registration", Rol.data_provider) as client:
        assert (
            client.post(
                "/mutaties", json={"bsn": bsn, "soort": "verhuisd", "datum": "2026-01-01", "gemeentecode": UTRECHT}
            ).status_code
            == 403
        )


def test_the_letters_order_indication_from_kafka_after_beschut_werk_then_a_job(stack):
    """UWV's indication after the beschut place ended is taken (not dead-lettered): the advice sleeps at
    the indication, the job that follows counts (Wfsv art. 38b lid 1)."""
    bsn = builders.bsn(UTRECHT)
    utrecht, uwv = reporters(stack, bsn)
    uwv("advies-uitgebracht", "2025-03-01", uitkomst="positief")
    for soort, datum, extra in [
        ("beschut-werk-vastgesteld", "2025-03-10", {}),
        ("beschutte-plek-gestart", "2025-04-01", {"werkgever": "Werkbedrijf", "urenPerWeek": 25, "vorm": "regulier"}),
        ("beschutte-plek-beeindigd", "2026-02-28", {}),
    ]:
        assert utrecht(soort, datum, **extra).status_code == 201, soort
    kafka.produce_events(
        stack.kafka,
        DOELGROEPREGISTER,
        [builders.registratie(bsn, "gestart", gemeentecode=UTRECHT, grond="participatiewet", startdatum="2026-03-01")],
    )
    geindiceerd = eventually(lambda: (s := status(stack, bsn).json())["status"] == "doelgroepregister" and s)
    assert geindiceerd["advies"]["stand"] == "slapend" and geindiceerd["beschutWerk"]["wachtlijstSinds"] is None
    baan = utrecht("banenafspraakbaan-gestart", "2026-03-15", werkgever="Bakkerij").json()
    assert (baan["status"], baan["banenafspraakbaan"]["teltMee"]) == ("banenafspraakbaan", True)
    assert [o["soort"] for o in baan["terugvalopties"]] == ["beschut-werk"]


def test_uwv_withdraws_a_registration_sent_in_error_on_its_topic_and_a_municipality_its_fact_by_api(stack):
    """The register's correction comes as its mutations do; the municipality names its fact as it
    reported it. Each time the timeline is as if the fact never came, and the status is announced."""
    bsn = builders.bsn(UTRECHT)
    utrecht, _ = reporters(stack, bsn)
    assert utrecht("dagbesteding-gestart", "2026-01-05", indicatie="wmo").status_code == 201
    registratie = {"gemeentecode": UTRECHT, "grond": "participatiewet", "startdatum": "2026-02-01"}
    kafka.produce_events(stack.kafka, DOELGROEPREGISTER, [builders.registratie(bsn, "gestart", **registratie)])
    eventually(lambda: status(stack, bsn).json()["doelgroepregistraties"])
    kafka.produce_events(stack.kafka, DOELGROEPREGISTER, [builders.registratie(bsn, "ingetrokken", **registratie)])
    terug = eventually(lambda: (s := status(stack, bsn).json())["doelgroepregistraties"] == [] and s)
    assert terug["status"] == "dagbesteding"

    with stack.client("registration", Rol.municipality, UTRECHT) as client:
        body = {"bsn": bsn, "soort": "dagbesteding-gestart", "datum": "2026-01-05", "indicatie": "wmo"}
        ingetrokken = client.post("/mutaties/_intrekken", json=body)
        assert (ingetrokken.status_code, ingetrokken.json()["status"]) == (200, "geen"), ingetrokken.text
        # its own withdrawal, not UWV's
        assert [(i["soort"], i["datum"], i["ingetrokkenDoor"]) for i in ingetrokken.json()["ingetrokken"]] == [
            ("dagbesteding-gestart", "2026-01-05", "gemeente")
        ]
        nogmaals = client.post("/mutaties/_intrekken", json=body)  # a retry under a new key: done already
        assert (nogmaals.status_code, nogmaals.json()) == (200, ingetrokken.json())

    def statussen():  # the relay publishes after the answer
        found = [
            json.loads(r.value)["status"] for r in kafka.read(stack.kafka, "deelnamestatussen", key=pseudonym(bsn))
        ]
        return found[-1:] == ["geen"] and found

    assert eventually(statussen) == ["dagbesteding", "doelgroepregister", "dagbesteding", "geen"]
