"""The example of each operation in the contract: a test person (a BSN that passes the elfproef,
never a real one), amounts in eurocents. "Try it out" starts from these, and tests/test_examples.py
sends each request to the running service, so they stay valid."""

from schakel.api import programmacijfers

BSN = "999991905"
HERAANVRAAG_ID = "5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a"
OVERDRACHT_ID = "9e8d7c6b-5a4f-4e3d-9c2b-1a0f9e8d7c6b"

ZOEK_BSN = {"bsn": BSN}
TERMIJNBELEID_INVOER = {"geldigVanaf": "2027-01-01", "maanden": 6}
HERAANVRAAG = {
    "bsn": BSN,
    "meldingsdatum": "2026-11-30",
    "startdatum": "2026-12-01",
    "wijzigingen": ["inkomen"],
    "praktijkonderwijsOfVso": False,
}
BESLUIT = {"besluit": "toekennen", "reden": "inkomen uit de beëindigde baan gecontroleerd; geen bezwaar"}
OVERDRACHTMELDING = {
    "bsn": BSN,
    "wwEinddatum": "2026-12-20",
    "gemeentecode": "GM0363",
    "grondslag": {
        "soort": "toestemming",
        "referentie": "UWV-TST-2026-004711",
        "reikwijdte": ["ww-einddatum", "ww-bedrag"],
    },
    "wwBedrag": {"soort": "dagloon", "bedrag": 9650},
}
UWV_MELDING = OVERDRACHTMELDING | {"meldingstijdstip": "2026-09-15T10:12:00+02:00"}
STAP = {"stap": "contact-gelegd", "datum": "2026-11-30"}
STAPDATUM = {"datum": "2026-11-27"}
OVERDRACHT_AANVRAAG = {"meldingsdatum": "2026-11-26", "geboortedatum": "1988-06-14"}
HERGEBRUIK = {
    "geboortedatum": "1988-06-14",
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
}
ZOEKRESULTAAT = {
    "openTermijn": {
        "uitkeringId": "3f2c9a4e-7b1d-4e8a-9c56-1d2e3f4a5b6c",
        "einddatum": "2026-10-31",
        "geldigTot": "2027-10-31",
        "hergebruik": HERGEBRUIK,
    }
}
TERMIJNBELEID = {"standaardMaanden": 12, "regels": [TERMIJNBELEID_INVOER]}
INGEDIEND = {
    "heraanvraagId": HERAANVRAAG_ID,
    **{k: v for k, v in HERAANVRAAG.items() if k != "praktijkonderwijsOfVso"},
    "gemeentecode": "GM0363",
    "status": "beoordelen",
    "redenen": [{"code": "wijzigingen", "uitleg": "gewijzigd sinds de vorige uitkering: inkomen"}],
    "besluitReden": None,
    "hergebruik": HERGEBRUIK,
    "recentInkomen": {"maand": "2026-10", "nettoInkomen": 92000, "inkomstenverhoudingenBeeindigd": True},
    "vroegsteBehandeldatum": "2026-11-30",
    "zoektermijnOntheffing": None,
    "beslistermijn": "2027-01-25",
    "termijnVerstreken": False,
    "dagenTotBeslistermijn": 56,
    "beslisduurSeconden": None,
    "uitkeringId": None,
    "nietGeopend": None,
}
HERAANVRAGEN = [INGEDIEND]
BESLOTEN = INGEDIEND | {"status": "toegekend", "besluitReden": BESLUIT["reden"], "beslisduurSeconden": 5400.0}
AUTOMATISCH_TOEGEKEND = INGEDIEND | {
    "wijzigingen": [],
    "status": "toegekend",
    "redenen": [],
    "besluitReden": "Automatisch toegekend: u meldde zich op 30 november 2026, binnen de heraanvraagtermijn na uw "
    "vorige bijstand in deze gemeente. U gaf geen wijzigingen op en de polis toont geen inkomen van u in november "
    "2026. De gegevens van uw vorige uitkering gelden weer: alleenstaand. De maanden vrijlating die u al gebruikte "
    "tellen door: 2 maanden vrijlating voor wie aan het werk gaat (artikel 31 lid 2 onder n). De bijstand gaat in "
    "op 1 december 2026.",
    "recentInkomen": {"maand": "2026-11", "nettoInkomen": 0, "inkomstenverhoudingenBeeindigd": False},
    "beslisduurSeconden": 0.4,
    "uitkeringId": "8c7b6a5f-4e3d-4c2b-9a1f-0e9d8c7b6a5f",
}
MIJN_HERAANVRAGEN = [
    {
        key: AUTOMATISCH_TOEGEKEND[key]
        for key in (
            "heraanvraagId",
            "gemeentecode",
            "meldingsdatum",
            "startdatum",
            "status",
            "beslistermijn",
            "uitkeringId",
        )
    }
    | {"uitleg": AUTOMATISCH_TOEGEKEND["besluitReden"]}
]
MELDINGSRESULTAAT = {"uitkomst": "nieuw", "overdrachtId": OVERDRACHT_ID, "verouderd": False}
OVERDRACHT = {
    "overdrachtId": OVERDRACHT_ID,
    **OVERDRACHTMELDING,
    "stappen": [STAP],
    "besluitOp": None,
    "besluitOpTijd": False,
    "gemeldOp": "2026-09-15",
    "teLaatGemeld": False,
    "uitkomst": None,
    "geslaagd": False,
}
MIJN_OVERDRACHT = OVERDRACHT | {
    "uitleg": "Uw WW eindigt op 20 december 2026. UWV gaf dat door aan uw gemeente. Wat uw gemeente al deed: "
    "contact met u opgenomen op 30 november 2026. Het doel: vóór het einde van uw WW weet u of u bijstand krijgt."
}
UITKOMST = {"uitkomst": "werk-gevonden", "datum": "2026-11-30"}
AFGEROND = OVERDRACHT | {"uitkomst": UITKOMST, "geslaagd": True}
OVERDRACHTEN = [OVERDRACHT]
RAPPORTAGE = {
    "gemeentecode": "GM0363",
    "overdrachten": 14,
    "lopend": 9,
    "wwBeeindigd": 5,
    "besluitOpTijd": 3,
    "werkGevonden": 1,
    "geenBijstandNodig": 0,
    "zonderBesluitOpTijd": 1,
    "teLaatGemeld": 2,
}
PROGRAMMACIJFERS = programmacijfers.voorbeeld(
    ("heraanvraagBeslisduurMediaan", 0.0, 95, None),
    ("heraanvraagBeslisduurP90", 9.0, 95, None),
    ("overdrachtenAfgerondVoorEindeWw", None, 10, "kleine-groep"),
)
GESTART = INGEDIEND | {
    "meldingsdatum": OVERDRACHT_AANVRAAG["meldingsdatum"],
    "startdatum": "2026-12-21",
    "wijzigingen": [],
    "redenen": [{"code": "geen-open-termijn", "uitleg": "er is geen open heraanvraagtermijn in deze gemeente"}],
    "hergebruik": None,
    "recentInkomen": None,
    "vroegsteBehandeldatum": "2026-11-26",
    "beslistermijn": "2027-01-21",
    "dagenTotBeslistermijn": 52,
}
