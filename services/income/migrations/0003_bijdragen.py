"""A month's contributions are stored in the service's own shape (snake_case, as the domain names
them), no longer as the public camelCase shape of the API and the event.

Revision ID: income_0003
"""

import sqlalchemy as sa
from alembic import op

revision = "income_0003"
down_revision = "income_0002"
branch_labels = None
depends_on = None

TABEL = sa.table(
    "maandinkomens",
    sa.column("persoon", sa.String),
    sa.column("maand", sa.String),
    sa.column("bijdragen", sa.JSON),
)

# public name -> stored name; fixed here, as both shapes were when this migration was written
VELDEN = {
    "loonheffingennummer": "loonheffingennummer",
    "inkomstenverhouding": "inkomstenverhouding",
    "eindeInkomstenverhouding": "einde_inkomstenverhouding",
    "tijdvakBegin": "tijdvak_begin",
    "tijdvakEinde": "tijdvak_einde",
    "versie": "versie",
    "dagen": "dagen",
    "dagenTijdvak": "dagen_tijdvak",
    "nettoInkomen": "loon",
    "vakantiebijslag": "vakantiebijslag",
    "berekening": "netto",
}
BEREKENING = {
    "fiscaalLoon": "fiscaal_loon",
    "waardePriveGebruikAuto": "waarde_prive_gebruik_auto",
    "ingehoudenLoonheffing": "ingehouden_loonheffing",
    "ingehoudenBijdrageZvw": "ingehouden_bijdrage_zvw",
    "premieWgaWerknemer": "premie_wga_werknemer",
    "vakantiebijslagBetaald": "vakantiebijslag_betaald",
    "nettoTijdvak": "totaal",
    "nettoVakantiebijslagTijdvak": "vakantiebijslag",
}


def _hernoem(bijdrage: dict, velden: dict, berekening: dict) -> dict:
    # the nested calculation sits under the key that is "berekening" in one shape, "netto" in the other
    return {
        velden[k]: {berekening[kk]: vv for kk, vv in v.items()} if isinstance(v, dict) else v
        for k, v in bijdrage.items()
    }


def _zet(velden: dict, berekening: dict) -> None:
    conn = op.get_bind()
    for r in conn.execute(sa.select(TABEL)).all():
        conn.execute(
            TABEL.update()
            .where(TABEL.c.persoon == r.persoon, TABEL.c.maand == r.maand)
            .values(bijdragen=[_hernoem(b, velden, berekening) for b in r.bijdragen])
        )


def upgrade() -> None:
    _zet(VELDEN, BEREKENING)


def downgrade() -> None:
    _zet({v: k for k, v in VELDEN.items()}, {v: k for k, v in BEREKENING.items()})
