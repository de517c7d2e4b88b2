"""Enumerations shared by several variable files (kept outside ``variables/``, which OpenFisca
loads file by file under generated module names: an Enum defined there and imported elsewhere
would be a different class)."""

from openfisca_core.indexed_enums import Enum


class ArchiveLevel(Enum):
    none = "未建档"
    deep = "建档深度困难"
    relative = "建档相对困难"
    sudden = "建档意外致困"


class GigForm(Enum):
    none = "非新就业形态"
    rider = "外卖骑手"
    courier = "快递员"
    ride_hailing = "网约车司机"
    truck_driver = "货车司机"
    other_platform = "其他平台"


GIG_FORMS = [GigForm.rider, GigForm.courier, GigForm.ride_hailing, GigForm.truck_driver, GigForm.other_platform]
