"""The example of each operation in the contract: a test person (a BSN that passes the elfproef,
never a real one), amounts in eurocents. "Try it out" starts from these, and tests/test_examples.py
sends each request to the running service, so they stay valid."""

from schakel.api import programmacijfers

BSN = "999992107"

MUTATIE = {
    "bsn": BSN,
    "soort": "dagbesteding-gestart",
    "datum": "2026-11-02",
    "indicatie": "wmo",
    "geldigTot": "2027-12-31",
}
ZOEK_BSN = {"bsn": BSN}
TAAKSTELLING = {"gemeentecode": "GM0363", "aantal": 412}
DEELNAMESTATUS = {
    "gemeentecode": "GM0363",
    "status": "dagbesteding",
    "uitleg": "U gaat sinds 2 november 2026 naar dagbesteding met een Wmo-indicatie. De indicatie geldt tot en met "
    "31 december 2027.",
    "advies": {"stand": "geen", "datum": None, "herleefdOp": None, "herhaalverzoek": False},
    "beschutWerk": {"vastgesteldOp": None, "plek": None, "wachtlijstSinds": None, "anderAanbod": None},
    "banenafspraakbaan": None,
    "dagbesteding": {"sinds": "2026-11-02", "werkgever": None, "indicatie": "wmo", "geldigTot": "2027-12-31"},
    "wajong": None,
    "wiaWerkhervatting": None,
    "wiaRechtBeeindigd": None,
    "doelgroepregistraties": [],
    "terugvalopties": [],
    "geschiedenis": [],
    "ingetrokken": [],
}
GEZOCHT = DEELNAMESTATUS | {"geschiedenis": [{"soort": "dagbesteding-gestart", "datum": "2026-11-02"}]}
# the example's fact withdrawn, the person's only one: no status left
INGETROKKEN = DEELNAMESTATUS | {
    "status": "geen",
    "uitleg": "Er is nu geen beschut werk, baan van de banenafspraak of dagbesteding voor u vastgelegd.",
    "dagbesteding": None,
    "ingetrokken": [
        {
            "soort": "dagbesteding-gestart",
            "datum": "2026-11-02",
            "gemeentecode": "GM0363",
            "ingetrokkenOp": "2026-11-30T10:15:00Z",
            "ingetrokkenDoor": "gemeente",
        }
    ],
}
TAAKSTELLING_GEZET = TAAKSTELLING | {"jaar": 2026}
PROGRAMMACIJFERS = programmacijfers.voorbeeld(
    ("beschutGeplaatstePersonen", 40.0, 40, None),
    ("beschutPlekequivalenten", 35.0, 40, None),
    ("beschutRealisatieTaakstelling", 0.875, 40, None),
    ("positieveAdviezen", None, 15, "kleine-groep"),
)
CAPACITEIT = {
    "gemeentecode": "GM0363",
    "jaar": 2026,
    "taakstelling": 412,
    "gerealiseerd": 398,
    "plekEquivalenten": 331.6,
    "bezettePlekken": 327.4,
    "wachtlijst": [
        {"bsn": "999990123", "sinds": "2026-08-17", "dagen": 105, "plicht": "plaatsing", "anderAanbod": None}
    ],
    "gemiddeldeDagenTotPlaatsing": 64,
    "maximaleDagenTotPlaatsing": 181,
}
