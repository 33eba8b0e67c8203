"""The example of each operation in the contract: a test person (a BSN that passes the elfproef,
never a real one), amounts in eurocents. "Try it out" starts from these, and tests/test_examples.py
sends each request to the running service, so they stay valid."""

BSN = "999993653"
LEVERING_ID = "polis-2026-11-0001"


LEVERING = {
    "leveringId": LEVERING_ID,
    "aangiften": [
        {
            "bsn": BSN,
            "loonheffingennummer": "123456782L01",
            "inkomstenverhouding": 1,
            "soortInkomstenverhouding": "15",
            "aanvangInkomstenverhouding": "2026-03-01",
            "tijdvakBegin": "2026-10-01",
            "tijdvakEinde": "2026-10-31",
            "fiscaalLoon": 92000,
            "ingehoudenLoonheffing": 0,
            "ingehoudenBijdrageZvw": 0,
            "svLoon": 92000,
            "vakantiebijslagOpgebouwd": 7360,
            "verloondeUren": 64,
            "loonheffingskortingToegepast": True,
        }
    ],
}
ZOEKVRAAG = {"bsn": BSN, "vanMaand": "2026-09", "totMaand": "2026-10"}
ZOEK_BSN = {"bsn": BSN}
OVERSCHRIJVING = {"bsn": BSN, "maand": "2026-10", "nettoInkomen": 88450, "reden": "loonstrook oktober ontvangen"}
INTREKKING = {"bsn": BSN, "maand": "2026-10"}
BELEID = {"toerekening": "naar-rato-van-dagen"}
POPULATIE = {
    "peildatum": "2026-11-30",
    "pagina": 1,
    "paginaGrootte": 1000,
    "totaal": 1,
    "personen": [{"bsn": BSN, "gemeentecode": "GM0363"}],
    "volgende": None,
}
AANTALLEN = {"geaccepteerd": 1, "correctie": 0, "herhaling": 0, "verouderd": 0, "buitenPopulatie": 0, "afgewezen": 0}
LEVERINGSRESULTAAT = {
    "leveringId": LEVERING_ID,
    "aantallen": AANTALLEN,
    "resultaten": [{"volgnummer": 0, "uitkomst": "geaccepteerd"}],
}
ONTVANGEN_OP = "2026-11-02T07:45:10Z"
LEVERINGSSTATUS = {
    "leveringId": LEVERING_ID,
    "kanaal": "http",
    "ontvangenOp": ONTVANGEN_OP,
    "bijgewerktOp": ONTVANGEN_OP,
    "aantallen": AANTALLEN,
    "afwijzingenAfgekapt": False,
}
AANGIFTE = LEVERING["aangiften"][0]
AFWIJZING = {
    "eventId": "d9e6a1f2-3b4c-4d5e-8f90-1a2b3c4d5e6f",
    "partitie": None,
    "offset": None,
    "reden": "geweigerd: ongeldige-aangifte: tijdvakEinde: het tijdvak eindigt vóór het begint",
    "afgewezenOp": ONTVANGEN_OP,
}
MAANDINKOMEN = {
    "maand": "2026-10",
    "nettoInkomen": 92000,
    "vakantiebijslag": 0,
    "arbeidsinkomen": 92000,
    "overigInkomen": 0,
    "onbekendInkomen": 0,
    "bron": "polis",
    "teBeoordelen": False,
    "polisNettoInkomen": 92000,
    "overschrijving": None,
    "bijdragen": [
        {
            "loonheffingennummer": AANGIFTE["loonheffingennummer"],
            "inkomstenverhouding": 1,
            "eindeInkomstenverhouding": None,
            "tijdvakBegin": "2026-10-01",
            "tijdvakEinde": "2026-10-31",
            "soortInkomstenverhouding": "15",
            "inkomstensoort": "arbeid",
            "versie": 1,
            "dagen": 31,
            "dagenTijdvak": 31,
            "nettoInkomen": 92000,
            "vakantiebijslag": 0,
            "berekening": {
                "fiscaalLoon": 92000,
                "waardePriveGebruikAuto": 0,
                "ingehoudenLoonheffing": 0,
                "ingehoudenBijdrageZvw": 0,
                "premieWgaWerknemer": 0,
                "vakantiebijslagBetaald": 0,
                "nettoTijdvak": 92000,
                "nettoVakantiebijslagTijdvak": 0,
            },
        }
    ],
}
MAANDINKOMENS = {"bsn": BSN, "maanden": [MAANDINKOMEN]}
LAATSTE_MAANDINKOMEN = {
    "bsn": BSN,
    "laatsteMaand": {"maand": "2026-10", "nettoInkomen": 88450, "inkomstenverhoudingenBeeindigd": True},
}
AANGIFTEVERSIES = {
    "bsn": BSN,
    "aangiften": [
        {k: v for k, v in AANGIFTE.items() if k != "bsn"}
        | {
            "eindeInkomstenverhouding": None,
            "loonBijzondereBeloningen": 0,
            "waardePriveGebruikAuto": 0,
            "premieWgaWerknemer": 0,
            "vakantiebijslagBetaald": 0,
            "versie": 1,
            "actueel": True,
            "leveringId": LEVERING_ID,
            "ontvangenOp": ONTVANGEN_OP,
        }
    ],
}
OVERSCHREVEN = MAANDINKOMEN | {
    "nettoInkomen": OVERSCHRIJVING["nettoInkomen"],
    "arbeidsinkomen": OVERSCHRIJVING["nettoInkomen"],
    "bron": "overschrijving",
    "overschrijving": {"nettoInkomen": OVERSCHRIJVING["nettoInkomen"], "reden": OVERSCHRIJVING["reden"]},
}
INGETROKKEN = MAANDINKOMEN
MAANDAFSLUITING = {
    "maand": "2026-10",
    "gelezenOp": "2026-11-30T06:00:00+01:00",
    "gemeentecodes": ["GM0363", "GM1680"],
    "gemeentenZonderAangiften": ["GM1680"],
}
MAANDAFSLUITING_ID = "0193a6f2-7c41-7d2e-9b3a-5f1c2d4e6a80"
MAANDAFSLUITING_LOPEND = {
    "maandafsluitingId": MAANDAFSLUITING_ID,
    "maand": "2026-10",
    "gelezenOp": "2026-11-30T06:00:00+01:00",
    "gemeentecodes": ["GM0363", "GM1680"],
    "gemeentenZonderAangiften": ["GM1680"],
    "status": "lopend",
    "aangevraagdOp": "2026-12-02T09:15:00Z",
    "afgerondOp": None,
    "personen": 0,
    "zonderInkomen": 0,
}
MAANDAFSLUITING_AFGEROND = MAANDAFSLUITING_LOPEND | {
    "status": "afgerond",
    "afgerondOp": "2026-12-02T09:15:04Z",
    "personen": 1250,
    "zonderInkomen": 1012,
}
