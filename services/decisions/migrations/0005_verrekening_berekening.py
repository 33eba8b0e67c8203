"""A settlement is stored as its calculation, no longer as the public explanation (which is made
from it when read, and from which the vrijlating clock was rebuilt).

Revision ID: decisions_0005
"""

import sqlalchemy as sa
from alembic import op

revision = "decisions_0005"
down_revision = "decisions_0004"
branch_labels = None
depends_on = None

TABEL = sa.table(
    "verrekeningen",
    sa.column("uitkering_id", sa.String),
    sa.column("maand", sa.String),
    sa.column("te_betalen", sa.BigInteger),
    sa.column("betaald", sa.BigInteger),
    sa.column("inhoud", sa.JSON),
    sa.column("berekening", sa.JSON),
)


def berekening(inhoud: dict) -> dict:
    n, i, w = inhoud["norm"], inhoud["inkomen"], inhoud["vrijlating"]
    return {
        "norm": {"bedrag": n["bedrag"], "omschrijving": n["omschrijving"], "kostendelers": n["kostendelers"]},
        "dagen": n["dagen"],
        "norm_bedrag": n["bedragNaarRato"],
        "inkomen": {"netto": i["nettoInkomen"], "vakantiebijslag": i["vakantiebijslag"], "bijdragen": i["bijdragen"]},
        "vrijlating": None
        if w is None
        else {
            "grond": w["grond"],
            "percentage": w["percentage"],
            "plafond": w["plafond"],
            "bedrag": w["bedrag"],
            "maand_nummer": w["maandNummer"],
            "maanden": w["maanden"],
        },
        "bijstand": inhoud["bijstand"],
        "vakantietoeslag": inhoud["vakantietoeslag"],
    }


def _zet(kolom: str, maak) -> None:
    """Fills `kolom` of every row with `maak(row)`."""
    conn = op.get_bind()
    bron = TABEL.c.berekening if kolom == "inhoud" else TABEL.c.inhoud
    for r in conn.execute(
        sa.select(TABEL.c.uitkering_id, TABEL.c.maand, TABEL.c.te_betalen, TABEL.c.betaald, bron)
    ).all():
        conn.execute(
            TABEL.update()
            .where(TABEL.c.uitkering_id == r.uitkering_id, TABEL.c.maand == r.maand)
            .values({kolom: maak(r)})
        )


def upgrade() -> None:
    op.add_column("verrekeningen", sa.Column("berekening", sa.JSON))
    _zet("berekening", lambda r: berekening(r.inhoud))
    with op.batch_alter_table("verrekeningen") as batch:
        batch.alter_column("berekening", existing_type=sa.JSON, nullable=False)
        batch.drop_column("inhoud")


def downgrade() -> None:
    # the explanation as this version of the service renders it (the old form was the response)
    from decisions.adapters.repository import _verrekening
    from decisions.service.verrekeningen import inhoud
    from schakel.primitives import Maand

    op.add_column("verrekeningen", sa.Column("inhoud", sa.JSON))
    _zet("inhoud", lambda r: inhoud(_verrekening(Maand.parse(r.maand), r)))
    with op.batch_alter_table("verrekeningen") as batch:
        batch.alter_column("inhoud", existing_type=sa.JSON, nullable=False)
        batch.drop_column("berekening")
