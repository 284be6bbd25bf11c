"""Every app's tests run: ``make test`` collects the folders pytest.ini's ``testpaths`` name, so an app whose tests
folder is missing there would be silently left out (the teachers app's were, until this test)."""

import configparser

from config.tests.readme_examples import ROOT


def test_every_folder_holding_tests_is_in_the_testpaths():
    config = configparser.ConfigParser()
    config.read(ROOT / "pytest.ini")
    collected = set(config["pytest"]["testpaths"].split())
    holding_tests = {path.relative_to(ROOT).parts[0] for path in ROOT.glob("*/tests/**/test_*.py")} - {".venv"}
    assert holding_tests <= collected
