"""Settlement end to end: a provider's polis delivery becomes an income event, the decisions
service settles the month against the advance, explains it, and revises it by the difference
after a correction, on the real broker and database."""

import json

import pytest

from schakel.api import Rol
from tests.support import builders, kafka
from tests.support.polis import aangifte, deliver, open_case
from tests.support.stack import eventually, population, pseudonym

pytestmark = pytest.mark.integration


def settlements(stack, uitkering_id: str) -> list[dict]:
    with stack.client("decisions", Rol.municipality) as client:
        return client.get(f"/uitkeringen/{uitkering_id}/verrekeningen").json()


def test_polis_income_is_settled_explained_and_revised_by_the_difference(stack):
    bsn = builders.bsn()
    uitkering_id = open_case(stack, bsn)  # single, born 1990: vrijlating n applies
    with stack.client("decisions", Rol.municipality) as client:
        paid = client.post(f"/uitkeringen/{uitkering_id}/betalingen", json={"maand": "2026-03", "bedrag": 60000})
    assert paid.status_code == 200 and paid.json()["verrekening"] is None, "no income known yet"

    # net 1.000,00 in March: 1.401,50 − (1.000,00 − 250,00) = 651,50 bijstand, 32,58 reserved, 618,92 payable
    deliver(
        stack, [aangifte(bsn, begin="2026-03-01", einde="2026-03-31", fiscaalLoon=115000, ingehoudenLoonheffing=15000)]
    )
    [march] = eventually(lambda: settlements(stack, uitkering_id))
    assert (march["maand"], march["versie"], march["bijstand"], march["teBetalen"], march["verschil"]) == (
        "2026-03",
        1,
        65150,
        61892,
        1892,
    )
    assert march["vrijlating"] == {
        "grond": "n",
        "percentage": "25",
        "plafond": 28500,
        "bedrag": 25000,
        "maandNummer": 1,
        "maanden": 6,
    }
    assert "wij betalen u nog € 18,92 bij" in march["uitleg"]

    # months later the employer corrects March down to net 800,00: the revision is the difference only
    deliver(
        stack, [aangifte(bsn, begin="2026-03-01", einde="2026-03-31", fiscaalLoon=95000, ingehoudenLoonheffing=15000)]
    )
    [revised] = eventually(lambda: [s for s in settlements(stack, uitkering_id) if s["versie"] == 2])
    assert (revised["vrijlating"]["bedrag"], revised["bijstand"], revised["teBetalen"]) == (20000, 80150, 76142)
    events = eventually(
        lambda: [
            json.loads(r.value) | {"type": dict(r.headers)["ce_type"].decode()}
            for r in kafka.read(stack.kafka, "verrekeningen", key=pseudonym(bsn))
            if len(kafka.read(stack.kafka, "verrekeningen", key=pseudonym(bsn))) >= 2
        ]
    )
    assert [e["type"] for e in events] == [
        "nl.participatiewet.verrekening.vastgesteld",
        "nl.participatiewet.verrekening.herzien",
    ]
    assert (events[1]["vorigTeBetalen"], events[1]["herziening"]) == (61892, 76142 - 61892)

    # recording a larger advance revises the month again: now a recovery
    with stack.client("decisions", Rol.municipality) as client:
        month = client.post(
            f"/uitkeringen/{uitkering_id}/betalingen", json={"maand": "2026-03", "bedrag": 80000}
        ).json()["verrekening"]
    assert (month["verschil"], month["versie"]) == (76142 - 80000, 3)
    # € 600 advance and € 161,42 back-payments before: € 800 now, € 761,42 due
    assert month["uitleg"].endswith(
        "Als voorschot kreeg u € 800,00; eerder stond daarvoor € 600,00 vastgelegd. U heeft € 200,00 te veel "
        "gekregen, dat vorderen wij terug."
    )
    with stack.client("decisions", Rol.municipality, "GM0599") as other:
        assert other.get(f"/uitkeringen/{uitkering_id}/verrekeningen").status_code == 404


def test_a_month_the_municipality_established_from_a_payslip_says_so_and_lists_the_polis_apart(stack):
    bsn = builders.bsn()
    uitkering_id = open_case(stack, bsn)
    maart = {"begin": "2026-03-01", "einde": "2026-03-31", "ingehoudenLoonheffing": 15000}
    deliver(stack, [aangifte(bsn, **maart, fiscaalLoon=115000)])  # net 1.000,00: € 618,92 payable, nothing paid
    [eerst] = eventually(lambda: [s for s in settlements(stack, uitkering_id) if s["maand"] == "2026-03"])
    assert (eerst["teBetalen"], eerst["inkomen"]["bron"]) == (61892, "polis")

    with stack.client("income", Rol.municipality) as client:
        body = {"bsn": bsn, "maand": "2026-03", "nettoInkomen": 90000, "reden": "loonstrook maart: minder uren"}
        assert client.post("/overschrijvingen", json=body).status_code == 200
    [gesteld] = eventually(
        lambda: [s for s in settlements(stack, uitkering_id) if s["maand"] == "2026-03" and s["versie"] == 2]
    )
    # 1.401,50 − (900,00 − 225,00 vrijlating n) = 726,50; 36,33 reserved (half up): 690,17 payable
    inkomen = gesteld["inkomen"]
    assert (inkomen["bron"], inkomen["nettoInkomen"], gesteld["teBetalen"]) == ("overschrijving", 90000, 69017)
    assert [b["nettoInkomen"] for b in inkomen["bijdragen"]] == [100000], "the polis's line, as it stands"
    uitleg = gesteld["uitleg"]
    assert (
        "Uw gemeente stelde uw netto inkomen over deze maand vast op € 900,00, bijvoorbeeld van een loonstrook"
        in uitleg
    )
    assert "Op de polis staat: € 1.000,00 bij de werkgever met loonheffingennummer" in uitleg
    assert "U verdiende" not in uitleg
    assert uitleg.endswith(
        "opnieuw verrekend: eerder was dat € 618,92. Wat toen te veel of te weinig was, hebben wij toen al "
        "verrekend. Wij betalen u nog € 71,25 bij."
    )


def test_a_household_change_mid_year_settles_the_months_from_its_date_again(stack):
    bsn = builders.bsn()
    uitkering_id = open_case(stack, bsn)
    deliver(stack, [aangifte(bsn, begin=f"2026-0{m}-01", einde=f"2026-0{m}-{d}") for m, d in ((3, 31), (4, 30))])
    eventually(lambda: len(settlements(stack, uitkering_id)) == 2)
    with stack.client("decisions", Rol.municipality) as client:
        refused = client.post(
            f"/uitkeringen/{uitkering_id}/_wijzig", json={"ingangsdatum": "2025-12-01", "huishouden": "alleenstaand"}
        )
        assert refused.status_code == 422 and refused.json()["invalidParams"][0]["name"] == "ingangsdatum"
        incomplete = client.post(
            f"/uitkeringen/{uitkering_id}/_wijzig", json={"ingangsdatum": "2026-04-01", "huishouden": "gehuwd"}
        )
        assert incomplete.status_code == 422 and incomplete.json()["invalidParams"][0]["name"] == "partner"
        partner = {"bsn": builders.bsn(), "geboortedatum": "1991-02-01"}
        changed = client.post(
            f"/uitkeringen/{uitkering_id}/_wijzig",
            json={"ingangsdatum": "2026-04-01", "huishouden": "gehuwd", "partner": partner},
        )
    assert changed.status_code == 200
    assert [s["huishouden"] for s in changed.json()["situaties"]] == ["alleenstaand", "gehuwd"]
    march, april = settlements(stack, uitkering_id)
    assert (march["norm"]["bedrag"], march["versie"]) == (140150, 1)
    assert (april["norm"]["bedrag"], april["versie"]) == (200213, 2)
    assert eventually(  # published by the relay after the answer
        lambda: (
            "nl.participatiewet.uitkering.gewijzigd"
            in [dict(r.headers)["ce_type"].decode() for r in kafka.read(stack.kafka, "uitkeringen", key=pseudonym(bsn))]
        )
    )


def test_three_months_above_the_norm_propose_an_end_that_the_municipality_decides(stack):
    bsn = builders.bsn()
    uitkering_id = open_case(stack, bsn)
    deliver(
        stack,
        [
            aangifte(
                bsn, begin=f"2026-0{m}-01", einde=f"2026-0{m}-{d}", fiscaalLoon=300000, ingehoudenLoonheffing=60000
            )
            for m, d in ((2, 28), (3, 31), (4, 30))
        ],
    )
    with stack.client("decisions", Rol.municipality) as client:
        case = eventually(
            lambda: (c := client.get(f"/uitkeringen/{uitkering_id}").json())["beeindigingsvoorstel"] and c
        )
    assert (case["beeindigingsvoorstel"]["vanMaand"], case["beeindigingsvoorstel"]["totMaand"]) == (
        "2026-02",
        "2026-04",
    )
    assert case["status"] == "lopend", "nothing ends by itself"
    proposals = eventually(  # the relay publishes after the commit that the case already shows
        lambda: [
            json.loads(r.value)
            for r in kafka.read(stack.kafka, "uitkeringen", key=pseudonym(bsn))
            if dict(r.headers)["ce_type"] == b"nl.participatiewet.uitkering.beeindiging-voorgesteld"
        ]
    )
    assert len(proposals) == 1 and [m["maand"] for m in proposals[0]["maanden"]] == ["2026-02", "2026-03", "2026-04"]
    assert "februari 2026, maart 2026 en april 2026" in proposals[0]["uitleg"]


def test_what_if_a_job_is_open_to_any_role_and_states_what_it_leaves_out(stack):
    vraag = {
        "geboortedatum": "1990-05-01",
        "huishouden": "alleenstaand",
        "baan": {"nettoLoon": 80000, "startmaand": "2026-02"},
    }
    for role in Rol:
        with stack.client("decisions", role) as client:
            response = client.post("/proefberekeningen", json=vraag)
        assert response.status_code == 200, role
    body = response.json()
    assert len(body["maanden"]) == 12 and body["vrijlatingTot"] == "2027-01"
    february = body["maanden"][0]
    assert (february["inkomen"], february["vrijlating"]["bedrag"], february["bijstand"], february["erbij"]) == (
        80000,
        20000,
        80150,
        20000,
    )
    assert body["maanden"][6]["vrijlating"] is None and body["maanden"][6]["erbij"] == 0
    assert "huurtoeslag" in body["nietMeegenomen"]
    with stack.client("decisions", Rol.uwv) as client:
        young_parent = client.post(
            "/proefberekeningen",
            json=vraag
            | {
                "geboortedatum": "2006-01-01",
                "huishouden": "alleenstaande-ouder",
                "jongsteKindGeboortedatum": "2025-01-01",
            },
        )
    assert young_parent.status_code == 422


def test_stable_income_shows_the_intermediate_account_per_month(stack):
    bsn = builders.bsn()
    with stack.client("decisions", Rol.municipality) as client:
        response = client.post("/uitkeringen", json=builders.uitkering(bsn, betaalmodel="stabiel-inkomen"))
        uitkering_id = response.json()["uitkeringId"]
        eventually(lambda: bsn in population(stack, "2026-01-01"))
        deliver(
            stack,
            [aangifte(bsn, begin="2026-03-01", einde="2026-03-31", fiscaalLoon=115000, ingehoudenLoonheffing=15000)],
        )
        account = eventually(
            lambda: (r := client.get(f"/uitkeringen/{uitkering_id}/tussenrekening").json())["maanden"] and r
        )
        assert account["maanden"] == [
            {
                "maand": "2026-03",
                "loonOntvangen": 100000,
                "bijstand": 61892,
                "uitbetaald": 133142,
                "teruggevorderd": 0,
                "saldo": 28750,
            }
        ]
        [maart] = client.get(f"/uitkeringen/{uitkering_id}/verrekeningen").json()
        assert (maart["tussenrekening"], maart["teBetalen"], maart["verschil"]) == (True, 61892, 0)
        assert "De € 618,92 bijstand over deze maand gaat naar de tussenrekening" in maart["uitleg"]
        assert "bij." not in maart["uitleg"], "not paid out to the person"
        other = client.post("/uitkeringen", json=builders.uitkering()).json()["uitkeringId"]
        assert client.get(f"/uitkeringen/{other}/tussenrekening").status_code == 409


def test_the_case_history_and_the_vrijlating_clock(stack):
    bsn = builders.bsn()
    uitkering_id = open_case(stack, bsn)
    deliver(stack, [aangifte(bsn, begin=f"2026-0{m}-01", einde=f"2026-0{m}-{d}") for m, d in ((2, 28), (3, 31))])
    with stack.client("decisions", Rol.municipality) as client:
        history = eventually(
            lambda: (
                (h := client.get(f"/uitkeringen/{uitkering_id}/geschiedenis").json())["vrijlatingsklok"]
                == [{"grond": "n", "maandenGebruikt": 2}]
                and h
            )
        )
    assert history["vrijlatingsklok"] == [{"grond": "n", "maandenGebruikt": 2}]
    assert [(g["type"].rsplit(".", 1)[1], g["maand"]) for g in history["gebeurtenissen"]] == [
        ("geopend", None),
        ("vastgesteld", "2026-02"),
        ("vastgesteld", "2026-03"),
    ]
