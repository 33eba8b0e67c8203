"""The fingerprint of the rules as deployed: the same files give the same one, and a change of the
parameters' content gives another (so a deploy with other parameters settles every case again)."""

import shutil

from decisions.adapters.parameters import BESTAND, regelversie


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
