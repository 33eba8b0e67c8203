"""A household's money end to end, on the real broker and databases (issue 16, items 1 and 2): a
couple where the partner first has WW and then starts working, each with their own vrijlating;
income of an unknown kind that waits for a caseworker; and the Max-WW overlap month, where WW
ends on the 15th and bijstand starts the day after."""

import pytest

from schakel.api import Rol
from tests.support import builders
from tests.support.polis import WERKGEVER_A, WERKGEVER_B, aangifte, deliver, open_case
from tests.support.stack import eventually, population

pytestmark = pytest.mark.integration

UWV = "111111110L01"  # a benefit agency's loonheffingennummer (test data)


def settled(stack, uitkering_id: str) -> dict[str, dict]:
    with stack.client("decisions", Rol.municipality) as client:
        return {v["maand"]: v for v in client.get(f"/uitkeringen/{uitkering_id}/verrekeningen").json()}


def maand(bsn: str, m: str, werkgever: str = WERKGEVER_A, **changes) -> dict:
    laatste = {"03": 31, "04": 30, "05": 31, "06": 30, "07": 31}[m]
    return aangifte(bsn, f"2026-{m}-01", f"2026-{m}-{laatste}", loonheffingennummer=werkgever, **changes)


def test_a_couple_where_one_partner_works_and_then_the_other(stack):
    aanvrager, partner = builders.bsn(), builders.bsn()
    uitkering_id = open_case(
        stack,
        aanvrager,
        geboortedatum="1985-05-01",
        huishouden="gehuwd",
        partner={"bsn": partner, "geboortedatum": "1987-02-01"},
    )
    eventually(lambda: partner in population(stack, "2026-03-01"))  # income keeps the partner's polis too

    # the applicant works from March (net 1.300,00); the partner has WW (net 700,00) in March and April
    ww = {"fiscaalLoon": 80000, "ingehoudenLoonheffing": 10000, "soortInkomstenverhouding": "33"}
    deliver(
        stack, [maand(aanvrager, m) for m in ("03", "04", "05")] + [maand(partner, m, UWV, **ww) for m in ("03", "04")]
    )
    # the month may first settle on the applicant's income alone (their record can come first), then is revised
    march = eventually(
        lambda: (v := settled(stack, uitkering_id).get("2026-03")) and v["partner"]["inkomen"]["nettoInkomen"] and v
    )
    # the couple's norm 2.002,13 − ((1.300,00 − 285,00 vrijlating n) + 700,00 WW without vrijlating) = 287,13
    assert (march["vrijlating"]["grond"], march["partner"]["vrijlating"], march["bijstand"]) == ("n", None, 28713)
    assert march["partner"]["inkomen"]["overigInkomen"] == 70000
    assert (
        "Uw partner had netto € 700,00: € 700,00 uitkering of pensioen van de instantie met loonheffingennummer 111111110L01"
        in march["uitleg"]
    )

    # in May the partner starts working too (net 600,00): their own vrijlating n, month 1 of 6
    deliver(stack, [maand(partner, "05", WERKGEVER_B, fiscaalLoon=60000, ingehoudenLoonheffing=0)])
    may = eventually(
        lambda: (v := settled(stack, uitkering_id).get("2026-05")) and v["partner"]["inkomen"]["nettoInkomen"] and v
    )
    assert (may["vrijlating"]["maandNummer"], may["partner"]["vrijlating"]["maandNummer"]) == (3, 1)
    assert (may["partner"]["vrijlating"]["bedrag"], may["getoetstInkomen"], may["bijstand"]) == (15000, 146500, 53713)
    assert "Van het inkomen uit werk van uw partner mag uw partner € 150,00 houden: 25%" in may["uitleg"]
    assert aanvrager not in str(settled(stack, uitkering_id)) and partner not in may["uitleg"]

    # June: a second job of the partner of a kind the table does not know waits for a caseworker
    deliver(
        stack,
        [
            maand(aanvrager, "06"),
            maand(
                partner,
                "06",
                WERKGEVER_B,
                inkomstenverhouding=2,
                soortInkomstenverhouding="81",
                fiscaalLoon=60000,
                ingehoudenLoonheffing=0,
            ),
        ],
    )
    with stack.client("decisions", Rol.municipality) as client:
        wacht = eventually(lambda: client.get(f"/uitkeringen/{uitkering_id}").json()["teBeoordelen"])
        assert [(v["maand"], v["wie"]) for v in wacht] == [("2026-06", "partner")]
        # June may have settled on the applicant's record before the partner's came (another batch),
        # but never with the partner's income of the unknown kind
        juni = settled(stack, uitkering_id).get("2026-06")
        assert juni is None or juni["partner"]["inkomen"]["nettoInkomen"] == 0
        oordeel = {
            "loonheffingennummer": WERKGEVER_B,
            "inkomstenverhouding": 2,
            "bsn": partner,
            "soort": "arbeid",
            "reden": "thuiswerk met loon voor gewerkte uren",
        }
        assert client.post(f"/uitkeringen/{uitkering_id}/inkomstensoorten", json=oordeel).status_code == 200
    june = eventually(
        lambda: (v := settled(stack, uitkering_id).get("2026-06")) and v["partner"]["inkomen"]["nettoInkomen"] and v
    )
    assert june["partner"]["vrijlating"]["maandNummer"] == 2

    # July: both earn 1.300,00; even with both vrijlatingen (285,00 each) above the norm, so neither applies
    # and neither uses a month
    deliver(stack, [maand(aanvrager, "07"), maand(partner, "07", WERKGEVER_B)])
    july = eventually(
        lambda: (v := settled(stack, uitkering_id).get("2026-07")) and v["partner"]["inkomen"]["nettoInkomen"] and v
    )
    assert (july["bijstand"], july["vrijlating"], july["partner"]["vrijlating"]) == (0, None, None)
    assert "geen vrijlating voor uw partner en gaat er geen maand van af" in july["uitleg"]


def test_the_max_ww_overlap_month_counts_the_ww_until_its_end_and_bijstand_from_the_day_after(stack):
    bsn = builders.bsn()
    uitkering_id = open_case(stack, bsn, startdatum="2026-03-16")
    ww = maand(
        bsn,
        "03",
        UWV,
        fiscaalLoon=90000,
        ingehoudenLoonheffing=10000,
        soortInkomstenverhouding="33",
        aanvangInkomstenverhouding="2024-03-16",
        eindeInkomstenverhouding="2026-03-15",
    )
    baan = maand(bsn, "03", fiscaalLoon=50000, ingehoudenLoonheffing=0, aanvangInkomstenverhouding="2026-03-16")
    deliver(stack, [ww, baan])
    march = eventually(lambda: settled(stack, uitkering_id).get("2026-03"))
    # 16 of 31 days: norm 723,35; the WW was earned before the 16th and counts nowhere; the job's 500,00
    # counts with vrijlating n 125,00: bijstand 723,35 − 375,00 = 348,35
    assert (march["norm"]["dagen"], march["norm"]["bedragNaarRato"], march["bijstand"]) == (16, 72335, 34835)
    assert [b["loonheffingennummer"] for b in march["inkomen"]["bijdragen"]] == [WERKGEVER_A]
    assert march["inkomen"]["overigInkomen"] == 0
