"""A country-package-style OpenFisca tax-benefit system for five policies of the 西安 demo pack.

Same layout as openfisca-country-template: ``entities.py``, ``variables/`` (one file per topic,
loaded with ``add_variables_from_directory``) and ``parameters/`` (YAML, loaded with OpenFisca's
own ``ParameterNode`` loader). Registry facts are ETERNITY inputs; every event and payment is a
DAY input on the person on the day it happened, and each rule's history window is a formula over
the DAY sub-periods of that window (``windows.py``).

Parameters keep only the 610100 (西安市) values of ``policies/*.yaml``: every region of the
synthetic registry resolves to them.
"""

from __future__ import annotations

from pathlib import Path

from openfisca_core.taxbenefitsystems import TaxBenefitSystem

from openfisca_xian.entities import entities

HERE = Path(__file__).parent


class XianTaxBenefitSystem(TaxBenefitSystem):
    def __init__(self) -> None:
        super().__init__(entities)
        self.add_variables_from_directory(str(HERE / "variables"))
        self.load_parameters(str(HERE / "parameters"))

    def get_package_metadata(self) -> dict[str, str]:
        # Not an installed distribution: say what OpenFisca would otherwise look up (and warn about).
        return {"name": "openfisca_xian", "version": "0", "repository_url": "", "location": str(HERE.parent)}
