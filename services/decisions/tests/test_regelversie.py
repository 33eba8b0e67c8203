"""The fingerprint of the rules as deployed: the same files give the same one, and a change of the
parameters' content gives another (so a deploy with other parameters settles every case again)."""

import ast
import shutil

from decisions.adapters.parameters import BESTAND, NIET_REGELS, PRIMITIEVEN, regelversie


def test_the_fingerprint_follows_the_parameters_and_nothing_else(tmp_path):
    domein = tmp_path / "domain"
    shutil.copytree(BESTAND.parent, domein, ignore=shutil.ignore_patterns("__pycache__"))
    assert regelversie(domein) == regelversie(domein) == regelversie()
    assert len(regelversie()) == 64

    (domein / "notities.txt").write_text("not a rule")
    assert regelversie(domein) == regelversie()

    yaml = domein / "parameters.yaml"
    yaml.write_text(yaml.read_text().replace("alleenstaand: 140150", "alleenstaand: 140151", 1))
    gewijzigd = regelversie(domein)
    assert gewijzigd != regelversie()

    (domein / "norm.py").write_text((domein / "norm.py").read_text() + "\n# a comment\n")
    assert regelversie(domein) not in (gewijzigd, regelversie())


def test_the_fingerprint_follows_the_primitives_the_rules_compute_with(tmp_path):
    """Rounding or a month's days changed in `schakel.primitives` must reach months already settled."""
    primitieven = tmp_path / "primitives"
    shutil.copytree(PRIMITIEVEN, primitieven, ignore=shutil.ignore_patterns("__pycache__"))
    assert regelversie(primitieven=primitieven) == regelversie()
    geld = primitieven / "geld.py"
    geld.write_text(geld.read_text().replace("ROUND_HALF_UP", "ROUND_HALF_EVEN"))
    assert regelversie(primitieven=primitieven) != regelversie()


def test_the_rules_read_nothing_of_the_platform_but_its_primitives_and_errors():
    """Whatever else a rule read would change settlements without a new fingerprint."""
    for module in BESTAND.parent.glob("*.py"):
        for node in ast.walk(ast.parse(module.read_text())):
            namen = (
                [node.module]
                if isinstance(node, ast.ImportFrom) and node.module
                else [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else []
            )
            for naam in namen:
                if naam.split(".")[0] == "schakel":
                    assert naam.startswith(("schakel.primitives", "schakel.errors")), f"{module.name} reads {naam}"


def test_modules_left_out_of_the_fingerprint_are_read_by_no_rule(tmp_path):
    """A rule that read one of them would change without a new fingerprint: months settled under the
    old one would stay as they were."""
    domein = tmp_path / "domain"
    shutil.copytree(BESTAND.parent, domein, ignore=shutil.ignore_patterns("__pycache__"))
    for naam in NIET_REGELS:
        (domein / naam).write_text((domein / naam).read_text() + "\n# a comment\n")
    assert regelversie(domein) == regelversie()

    uitgelaten = {f"decisions.domain.{n.removesuffix('.py')}" for n in NIET_REGELS}
    for module in BESTAND.parent.glob("*.py"):
        if module.name in NIET_REGELS:
            continue
        for node in ast.walk(ast.parse(module.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                namen = {node.module} | {f"{node.module}.{a.name}" for a in node.names}
                assert not namen & uitgelaten, f"{module.name} reads {namen & uitgelaten}"
            elif isinstance(node, ast.Import):
                assert not {a.name for a in node.names} & uitgelaten, module.name
