"""The programme's figures of the registration service (Simpel Switchen; Participatiewet art. 10b):
beschut places realised in persons and 31-hour places against the ministerial number, and the share
of positive advices, per municipality and nationally, small groups withheld (AVG art. 89 lid 1)."""

from datetime import UTC, date, datetime

from registration.domain.deelname import Feit, Soort
from registration.domain.programmacijfers import TELLEN, cijfers, landelijke_taakstelling, per_gemeente
from registration.service import programmacijfers
from registration.tests.fakes import op_database, ports
from schakel.primitives.cijfers import Cijfer, Periode

EERSTE_HELFT = Periode(date(2026, 1, 1), date(2026, 6, 30))  # 181 days


def persoon(
    gemeente: str = "GM0363", uitkomst: str = "positief", plek: date | None = None, uren: int = 31
) -> list[Feit]:
    """Advised on 2026-01-15, or a year earlier when placed (the place comes after the advice)."""
    advies = date(2025, 1, 15) if plek else date(2026, 1, 15)
    feiten = [Feit(Soort.advies_uitgebracht, advies, gemeente, {"uitkomst": uitkomst})]
    if uitkomst == "positief":
        feiten.append(Feit(Soort.beschut_werk_vastgesteld, advies, gemeente))
    if plek:
        gegevens = {"werkgever": "SW", "urenPerWeek": uren, "vorm": "regulier"}
        feiten.append(Feit(Soort.beschutte_plek_gestart, plek, gemeente, gegevens))  # type: ignore[arg-type]
    return feiten


def test_places_in_persons_and_31_hour_equivalents_over_the_period_against_the_ministerial_number():
    """The ministerial number counts 31-hour places; a 25-hour place is 25/31 of one (seeds/003)."""
    geplaatst = [persoon(plek=date(2025, 6, 1), uren=25) for _ in range(12)]  # all period long
    personen, plekken, realisatie, adviezen = cijfers(geplaatst, EERSTE_HELFT, 20)
    assert personen == Cijfer("beschutGeplaatstePersonen", 10.0, 10), "12, rounded to fives"
    assert plekken == Cijfer("beschutPlekequivalenten", 10.0, 10), "9,68 places: 10, rounded to fives"
    assert realisatie == Cijfer("beschutRealisatieTaakstelling", 0.5, 10)
    assert adviezen == Cijfer("positieveAdviezen", None, None, "minder-dan-drempel"), "advised before the period"


def test_a_place_counts_for_its_days_in_the_period_only():
    halverwege = [persoon(plek=date(2026, 4, 1)) for _ in range(10)]  # 91 of 181 days
    assert cijfers(halverwege, EERSTE_HELFT, None)[1].waarde == 5.0, "10 × 91/181"


def test_without_a_ministerial_number_no_realisation_and_few_persons_are_withheld():
    drie = [persoon(plek=date(2025, 6, 1)) for _ in range(3)]
    personen, plekken, realisatie, _ = cijfers(drie, EERSTE_HELFT, None)
    assert personen.reden == plekken.reden == "minder-dan-drempel" and personen.aantal is None
    assert realisatie.reden == "geen-taakstelling"


def test_the_share_of_positive_advices_given_in_the_period():
    adviezen = [persoon() for _ in range(10)] + [persoon(uitkomst="negatief") for _ in range(10)]
    assert cijfers(adviezen, EERSTE_HELFT, None)[3] == Cijfer("positieveAdviezen", 0.5, 20)
    later = Periode(date(2026, 2, 1), date(2026, 6, 30))
    assert cijfers(adviezen, later, None)[3].reden == "minder-dan-drempel"


def test_a_place_counts_where_the_person_lived_for_its_days_and_an_advice_where_they_lived_that_day():
    """Moved from Amsterdam to Rotterdam on 1 April: the place's 90 days before count for Amsterdam,
    its 91 from then for Rotterdam, the country once; an advice of 15 January stays Amsterdam's."""
    verhuisd = [Feit(Soort.verhuisd, date(2026, 4, 1), "GM0599")]
    geplaatst = [persoon(plek=date(2025, 6, 1)) + verhuisd for _ in range(10)]
    geadviseerd = [persoon() + verhuisd for _ in range(10)]
    groepen = per_gemeente([*geplaatst, *geadviseerd, persoon()])
    assert {g: len(p) for g, p in groepen.items()} == {"GM0363": 21, "GM0599": 20}
    amsterdam = cijfers(groepen["GM0363"], EERSTE_HELFT, None, "GM0363")
    rotterdam = cijfers(groepen["GM0599"], EERSTE_HELFT, None, "GM0599")
    land = cijfers(geplaatst + geadviseerd, EERSTE_HELFT, None)
    assert [c[0].waarde for c in (amsterdam, rotterdam, land)] == [10, 10, 10]
    assert [c[1].waarde for c in (amsterdam, rotterdam, land)] == [5.0, 5.0, 10.0], "10 × 90/181, 10 × 91/181"
    # 11 advices, all positive: the base rounded, and no share of 1 (it would say it of each)
    assert (amsterdam[3].waarde, amsterdam[3].aantal, amsterdam[3].reden) == (None, 10, "kleine-groep")
    assert rotterdam[3] == cijfers([], EERSTE_HELFT, None)[3], "no advice given while they lived in Rotterdam"


async def test_a_municipality_reads_its_own_figures_and_the_operator_the_country_and_each_municipality():
    p, uow = ports(date(2026, 7, 1))
    nu = datetime(2026, 7, 1, tzinfo=UTC)
    for i, feiten in enumerate([persoon(plek=date(2025, 6, 1)) for _ in range(10)] + [persoon("GM0599")] * 2):
        for f in feiten:
            await uow.feiten.voeg_toe(f"p{i}", "999990019", f, "gemeente", nu)
    await uow.taakstellingen.zet("GM0363", 2026, 10, "x", nu)
    await uow.taakstellingen.zet("GM0599", 2026, 5, "x", nu)
    eigen = await programmacijfers.lees(p, EERSTE_HELFT, "GM0363")
    assert list(eigen) == ["GM0363"] and eigen["GM0363"][2] == Cijfer("beschutRealisatieTaakstelling", 1.0, 10)
    alle = await programmacijfers.lees(p, EERSTE_HELFT, None)
    assert list(alle) == [None, "GM0363", "GM0599"]
    assert alle[None][2] == Cijfer("beschutRealisatieTaakstelling", round(10 / 15, 3), 10)
    assert alle["GM0599"][3] == Cijfer("positieveAdviezen", None, None, "minder-dan-drempel")


def test_the_country_has_a_ministerial_number_once_every_municipality_with_a_place_has_one():
    """A sum over the numbers entered so far would give a realisation too high, fixed once given."""
    met_plek = cijfers([persoon(plek=date(2025, 6, 1))], EERSTE_HELFT, None, "GM0363")
    zonder_plek = cijfers([persoon("GM0599")], EERSTE_HELFT, None, "GM0599")
    per_gemeente = {"GM0363": met_plek, "GM0599": zonder_plek}
    assert landelijke_taakstelling(per_gemeente, {"GM0599": 5}) is None, "Amsterdam has places and no number"
    assert landelijke_taakstelling(per_gemeente, {"GM0363": 10}) == 10, "Rotterdam has no place: none needed"
    assert landelijke_taakstelling(per_gemeente, {"GM0363": 10, "GM0599": 5, "GM0344": 3}) == 18
    assert landelijke_taakstelling({}, {}) is None


async def test_the_sql_store_reads_every_fact_of_the_persons_the_figures_count_only(tmp_path):
    p, db = await op_database(tmp_path, date(2026, 7, 1))
    nu = datetime(2026, 7, 1, tzinfo=UTC)
    dagbesteding = Feit(Soort.dagbesteding_gestart, date(2026, 1, 5), "GM0363", {"indicatie": "wmo"})
    verhuisd = persoon(plek=date(2025, 6, 1)) + [Feit(Soort.verhuisd, date(2026, 3, 1), "GM0599")]
    try:
        async with p.uow() as uow:
            for naam, feiten in {
                "geplaatst": verhuisd,
                "geadviseerd": persoon(),
                "dagbesteding": [dagbesteding],
            }.items():
                for f in feiten:
                    await uow.feiten.voeg_toe(naam, "999990019", f, "gemeente", nu)
        async with p.uow() as uow:
            alle = await uow.feiten.met_soorten(TELLEN, None)
            assert sorted(len(feiten) for _, feiten in alle.values()) == [2, 4], "every fact of the two who count"
            assert list(await uow.feiten.met_soorten(TELLEN, "GM0599")) == ["geplaatst"], "named there by the move"
    finally:
        await db.dispose()
