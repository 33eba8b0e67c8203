"""Webhook secrets are stored encrypted (decisions.adapters.geheimen) under the configured key:
the existing ones are encrypted here, a downgrade decrypts them.

Revision ID: decisions_0006
"""

import sqlalchemy as sa
from alembic import context, op
from cryptography.fernet import Fernet

from decisions.settings import Settings

revision = "decisions_0006"
down_revision = "decisions_0005"
branch_labels = None
depends_on = None

TABEL = sa.table("abonnementen", sa.column("abonnement_id", sa.String), sa.column("geheim", sa.String))


def fernet() -> Fernet:
    """The key of the service that migrates (migrate(settings=...)), else as configured."""
    settings = context.config.attributes.get("settings") or Settings()
    return Fernet(settings.webhook_sleutel.get_secret_value().encode())


def herschrijf(omzetten) -> None:
    conn = op.get_bind()
    for row in conn.execute(sa.select(TABEL)).all():
        conn.execute(
            TABEL.update().where(TABEL.c.abonnement_id == row.abonnement_id).values(geheim=omzetten(row.geheim))
        )


def upgrade() -> None:
    with op.batch_alter_table("abonnementen") as batch:  # an encrypted secret is longer
        batch.alter_column("geheim", existing_type=sa.String(100), type_=sa.String(400), existing_nullable=False)
    sleutel = fernet()
    herschrijf(lambda geheim: sleutel.encrypt(geheim.encode()).decode())


def downgrade() -> None:
    sleutel = fernet()
    herschrijf(lambda geheim: sleutel.decrypt(geheim.encode()).decode())
    with op.batch_alter_table("abonnementen") as batch:
        batch.alter_column("geheim", existing_type=sa.String(400), type_=sa.String(100), existing_nullable=False)
