"""schemathesis against every running service, from its committed contract, with all checks and
a valid token for each operation's role: no server errors, every response as documented."""

from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.config import SchemathesisConfig
from schemathesis.core.parameters import ParameterLocation

from deploy.services import SERVICES
from schakel.api import Rol
from schakel.primitives.bsn import met_controlecijfer
from tests.support.stack import token

pytestmark = pytest.mark.integration

HERE = Path(__file__).resolve().parent
CONTRACTS = HERE.parent / "contracts" / "openapi"
CONFIG = SchemathesisConfig.from_path(HERE / "schemathesis.toml")


# BSNs that pass the elfproef, so positive tests reach the code behind the validation
schemathesis.openapi.format(
    "bsn",
    st.integers(0, 99_999_999).map(lambda n: met_controlecijfer(f"{n:08d}")).filter(lambda b: b and b != "000000000"),
)


# a municipality no other test uses: the policies and subscriptions schemathesis writes at random
# (a re-application window of any length, webhooks) never reach the tests that share the stack
GEMEENTE = "GM0153"


def _tests(name: str):
    schema = schemathesis.openapi.from_path(CONTRACTS / f"{name}.yaml", config=CONFIG)

    @schema.parametrize()
    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
    def test(case, stack):
        roles = case.operation.definition.raw.get("x-rollen")
        # a case that deliberately breaks the headers (e.g. leaves out Authorization) keeps them broken
        headers = (
            {"Authorization": f"Bearer {token(Rol(roles[0]), GEMEENTE)}"}
            if roles and not (case.meta and case.meta.is_negative_at(ParameterLocation.HEADER))
            else {}
        )
        case.call_and_validate(base_url=stack.services[name].url, headers=headers)

    return test


test_income = _tests("income")
test_decisions = _tests("decisions")
test_reapplication = _tests("reapplication")
test_registration = _tests("registration")

assert set(SERVICES) == {"income", "decisions", "reapplication", "registration"}, "add new services here"
