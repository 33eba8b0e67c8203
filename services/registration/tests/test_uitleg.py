"""What the citizen reads (DOMAIN.md §6: every automated outcome explainable to the citizen): today's
status and each doelgroepregister registration, with why it ended (Besluit SUWI art. 3.2 lid 3: beschut
werk and the register exclude each other); and what the citizen does not read, a municipality's own
words about its alternative offer."""

from datetime import date, timedelta

from registration.domain.deelname import Feit, Soort, vouw
from registration.domain.melding import AANBOD_VOOR_BURGER
from registration.domain.uitleg import UITSLUITING, registratie_uitleg, status_uitleg
from registration.entrypoints import api
from registration.service import deelname
from registration.tests.fakes import ports
from registration.tests.test_deelname import PAD
from registration.tests.test_service import AMSTERDAM, BSN, UWV, VANDAAG, feit
from schakel.caller import Caller, Rol
from schakel.primitives import dagnaam

BURGER = Caller("00000001003214345000", Rol.burger, bsn=BSN)


async def test_the_citizen_reads_why_beschut_werk_ended_their_registration_and_why_they_wait():
    """Establishing beschut werk silently ends the registration the day after: the citizen reads why."""
    p, _ = ports(VANDAAG)
    await deelname.meld(p, UWV, BSN, feit(Soort.doelgroepregistratie_gestart, 90, grond="participatiewet"))
    await deelname.meld(p, UWV, BSN, feit(Soort.advies_uitgebracht, 60, uitkomst="positief"))
    await deelname.meld(p, AMSTERDAM, BSN, feit(Soort.beschut_werk_vastgesteld, 50))

    mijn = await api.lees_mijn(p, BURGER)
    assert mijn["status"] == "beschut-werk-wachtlijst"
    assert "positief advies voor beschut werk" in mijn["uitleg"] and "wachtlijst" in mijn["uitleg"]
    [registratie] = mijn["doelgroepregistraties"]
    assert registratie["einddatum"] == (VANDAAG - timedelta(days=49)).isoformat()
    assert "omdat de gemeente vaststelde dat u beschut werk nodig hebt" in registratie["uitleg"]
    assert UITSLUITING in registratie["uitleg"]


def test_every_status_and_every_end_of_a_registration_has_its_own_explanation():
    d = PAD[0].datum
    dagen = [d + timedelta(days=n) for n in (-1, 0, 6, 11, 61, 81, 151, 450, 520, 600)]
    uitleg = {(t := vouw(PAD, dag)).status: status_uitleg(t) for dag in dagen}
    negatief = Feit(Soort.advies_uitgebracht, d, "GM0363", {"uitkomst": "negatief"})
    aangevraagd = Feit(Soort.advies_aangevraagd, d, "GM0363", {"aanvrager": "gemeente"})
    slapend = [
        Feit(Soort.advies_uitgebracht, d, "GM0363", {"uitkomst": "positief"}),
        Feit(Soort.baan_gestart, d + timedelta(days=1), "GM0363", {"werkgever": "Bakkerij"}),
        Feit(Soort.baan_beeindigd, d + timedelta(days=2), "GM0363"),
    ]
    for feiten in ([negatief], [aangevraagd], slapend):
        t = vouw(feiten)
        uitleg[t.status] = status_uitleg(t)
    assert set(uitleg) == {
        "geen",
        "dagbesteding",
        "doelgroepregister",
        "beschut-werk-wachtlijst",
        "beschut-werk",
        "banenafspraakbaan",
        "advies-aangevraagd",
        "advies-negatief",
        "advies-slapend",
    }
    assert len(set(uitleg.values())) == len(uitleg), "each status its own"
    herleefd = vouw(PAD, d + timedelta(days=520))
    assert "verklaarden dat de baan niet lukt" in status_uitleg(herleefd)
    redenen = [registratie_uitleg(r, date(2030, 1, 1)) for r in vouw(PAD).registraties]
    assert "vaststelde dat u beschut werk nodig hebt" in redenen[0] and "weer ging gelden" in redenen[1]
    door_uwv = vouw([PAD[1], Feit(Soort.doelgroepregistratie_beeindigd, date(2026, 3, 1), "GM0363")])
    assert "UWV heeft de registratie beëindigd" in registratie_uitleg(door_uwv.registraties[0], date(2030, 1, 1))
    [lopend] = vouw(PAD[:2]).registraties
    assert f"U staat sinds {dagnaam(lopend.start)} in" in registratie_uitleg(lopend, date(2030, 1, 1))
    # UWV registered from a day still to come
    assert f"U staat vanaf {dagnaam(lopend.start)} in" in registratie_uitleg(lopend, lopend.start - timedelta(days=1))
    # ended the day after beschut werk was established: a day that may still come
    [vastgesteld, _] = vouw(PAD).registraties
    morgen = registratie_uitleg(vastgesteld, vastgesteld.einde - timedelta(days=1))
    assert "De registratie eindigt op" in morgen and "eindigde" not in morgen and "U staat sinds" in morgen
    assert "De registratie eindigde op" in registratie_uitleg(vastgesteld, vastgesteld.einde)


async def test_the_citizen_reads_that_an_alternative_offer_was_made_not_the_municipality_s_words():
    """The municipality's description may hold what it knows of the person's health, as a caseworker's
    note does; the citizen reads when the offer was made, the municipality its words."""
    p, _ = ports(VANDAAG)
    await deelname.meld(p, UWV, BSN, feit(Soort.advies_uitgebracht, 60, uitkomst="positief"))
    await deelname.meld(p, AMSTERDAM, BSN, feit(Soort.ander_aanbod, 10, omschrijving="zorgboerderij, na de diagnose"))

    mijn = await api.lees_mijn(p, BURGER)
    aanbod = {"omschrijving": AANBOD_VOOR_BURGER, "datum": (VANDAAG - timedelta(days=10)).isoformat()}
    assert mijn["beschutWerk"]["anderAanbod"] == aanbod
    assert "ander aanbod" in mijn["uitleg"] and "diagnose" not in str(mijn)
    gemeente, _, _, _ = await deelname.status(p, AMSTERDAM, BSN)
    assert gemeente.ander_aanbod and gemeente.ander_aanbod["omschrijving"] == "zorgboerderij, na de diagnose"
