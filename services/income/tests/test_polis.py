"""Polis declarations: validation (DOMAIN.md §2) and the indicative net (OIB formula)."""

import json
from dataclasses import fields, replace
from datetime import UTC, date, datetime

from income.domain.polis import Aangifte, Tijdvaksoort, fouten, netto, tijdvaksoort, vingerafdruk
from schakel.primitives import afgerond

VANDAAG = date(2026, 11, 23)


def aangifte(**changes) -> Aangifte:
    base = Aangifte(
        bsn="999993653",
        loonheffingennummer="123456782L01",
        inkomstenverhouding=1,
        aanvang_inkomstenverhouding=date(2025, 9, 1),
        tijdvak_begin=date(2026, 1, 1),
        tijdvak_einde=date(2026, 1, 31),
        fiscaal_loon=150000,
        ingehouden_loonheffing=20000,
        ingehouden_bijdrage_zvw=0,
    )
    return replace(base, **changes)


def codes(a: Aangifte) -> set[tuple[str, str]]:
    return {(f.veld, f.code) for f in fouten(a, VANDAAG)}


def test_a_valid_declaration_has_no_errors():
    assert fouten(aangifte(), VANDAAG) == []


def test_loonheffingennummer_format_and_elfproef():
    assert codes(aangifte(loonheffingennummer="123456782X01")) == {("loonheffingennummer", "formaat")}
    assert codes(aangifte(loonheffingennummer="12345678L01")) == {("loonheffingennummer", "formaat")}
    assert codes(aangifte(loonheffingennummer="123456783L01")) == {("loonheffingennummer", "elfproef")}


def test_known_period_lengths():
    assert tijdvaksoort(date(2026, 2, 1), date(2026, 2, 28)) is Tijdvaksoort.maand
    assert tijdvaksoort(date(2024, 2, 1), date(2024, 2, 29)) is Tijdvaksoort.maand
    assert tijdvaksoort(date(2026, 1, 26), date(2026, 2, 22)) is Tijdvaksoort.vier_weken
    assert tijdvaksoort(date(2026, 1, 5), date(2026, 1, 11)) is Tijdvaksoort.week
    assert tijdvaksoort(date(2026, 4, 1), date(2026, 6, 30)) is Tijdvaksoort.kwartaal
    assert tijdvaksoort(date(2026, 2, 1), date(2026, 4, 30)) is None  # not a calendar quarter
    assert tijdvaksoort(date(2026, 1, 2), date(2026, 1, 31)) is None
    assert codes(aangifte(tijdvak_einde=date(2026, 1, 20))) == {("tijdvakEinde", "tijdvaklengte")}


def test_dates_in_order_and_sane():
    assert codes(aangifte(tijdvak_einde=date(2025, 12, 31))) == {("tijdvakEinde", "volgorde")}
    assert ("tijdvakBegin", "te-vroeg") in codes(
        aangifte(
            tijdvak_begin=date(2005, 12, 1),
            tijdvak_einde=date(2005, 12, 31),
            aanvang_inkomstenverhouding=date(2005, 1, 1),
        )
    )
    assert codes(aangifte(tijdvak_begin=date(2026, 12, 1), tijdvak_einde=date(2026, 12, 31))) == {
        ("tijdvakBegin", "toekomst")
    }
    assert codes(aangifte(aanvang_inkomstenverhouding=date(2026, 2, 1))) == {
        ("aanvangInkomstenverhouding", "na-tijdvak")
    }
    assert codes(aangifte(einde_inkomstenverhouding=date(2025, 8, 31))) == {("eindeInkomstenverhouding", "volgorde")}
    assert codes(aangifte(verloonde_uren=-1)) == {("verloondeUren", "negatief")}


def test_a_version_is_not_made_after_today():
    """A year typed wrong (2062 for 2026) would outrank every correction of the period by `aangemaaktOp`."""
    assert codes(aangifte(aangemaakt_op=datetime(2062, 2, 5, 9, tzinfo=UTC))) == {("aangemaaktOp", "toekomst")}
    assert codes(aangifte(aangemaakt_op=datetime(2026, 11, 24, 9, tzinfo=UTC))) == {("aangemaaktOp", "toekomst")}
    # today as the Dutch day goes: 22:30 UTC is 23:30 on 23 November in Amsterdam
    assert codes(aangifte(aangemaakt_op=datetime(2026, 11, 23, 22, 30, tzinfo=UTC))) == set()
    assert codes(aangifte(aangemaakt_op=datetime(2026, 2, 3, 9, tzinfo=UTC))) == set()


def test_indicative_net_is_fiscal_wage_minus_car_tax_zvw_and_wga():
    n = netto(
        aangifte(
            fiscaal_loon=200000,
            waarde_prive_gebruik_auto=30000,
            ingehouden_loonheffing=40000,
            ingehouden_bijdrage_zvw=1500,
            premie_wga_werknemer=500,
        )
    )
    assert n.totaal == 200000 - 30000 - 40000 - 1500 - 500
    assert (n.vakantiebijslag, n.loon) == (0, n.totaal)


def test_holiday_allowance_is_kept_apart_netted_at_the_periods_ratio():
    # 1.500 fiscal of which 300 holiday allowance, 1.200 net: 300 * 1200/1500 = 240 net allowance
    n = netto(aangifte(fiscaal_loon=150000, ingehouden_loonheffing=30000, vakantiebijslag_betaald=30000))
    assert (n.totaal, n.vakantiebijslag, n.loon) == (120000, 24000, 96000)


def test_holiday_allowance_nets_to_nil_when_the_period_nets_below_nil():
    """More tax withheld than the fiscal wage (e.g. tax over earlier periods caught up): the payment
    leaves nothing net, it is no negative allowance; the period's negative net stays with the wage."""
    n = netto(aangifte(fiscaal_loon=100000, ingehouden_loonheffing=150000, vakantiebijslag_betaald=50000))
    assert (n.totaal, n.vakantiebijslag, n.loon) == (-50000, 0, -50000)


def test_nil_correction_and_fingerprint():
    nihil = aangifte(fiscaal_loon=0, ingehouden_loonheffing=0)
    assert nihil.is_nihil and not aangifte().is_nihil
    assert netto(nihil).totaal == 0
    assert (
        vingerafdruk(aangifte().inhoud())
        == vingerafdruk(aangifte().inhoud())
        != vingerafdruk(aangifte(fiscaal_loon=150001).inhoud())
    )
    assert Aangifte.uit_inhoud("999993653", aangifte().inhoud()) == aangifte()


def test_every_field_survives_storage():
    volledig = aangifte(
        einde_inkomstenverhouding=date(2026, 1, 20),
        soort_inkomstenverhouding="15",
        sv_loon=1,
        loon_bijzondere_beloningen=2,
        waarde_prive_gebruik_auto=3,
        premie_wga_werknemer=4,
        vakantiebijslag_betaald=5,
        vakantiebijslag_opgebouwd=6,
        verloonde_uren=7,
        loonheffingskorting=True,
        aangemaakt_op=datetime(2026, 2, 3, 9, tzinfo=UTC),
    )
    inhoud = volledig.inhoud()
    # the BSN is stored apart, pseudonymised; when it was made apart too, as it is no content
    assert set(inhoud) == {f.name for f in fields(Aangifte)} - {"bsn", "aangemaakt_op"}
    assert json.loads(json.dumps(inhoud)) == inhoud, "JSON-ready"
    assert Aangifte.uit_inhoud("999993653", inhoud, volledig.aangemaakt_op) == volledig
    assert vingerafdruk(inhoud) == vingerafdruk(replace(volledig, aangemaakt_op=None).inhoud())


def test_rounding_half_away_from_zero_in_integers():
    assert [afgerond(t, 2) for t in (1, 3, -1, -3, 4)] == [1, 2, -1, -2, 2]
    assert afgerond(1, 3) == 0 and afgerond(2, 3) == 1 and afgerond(-2, 3) == -1
