"""一人一企 pairing as an assignment problem: cadres' slots × enterprises, cost = great-circle distance.

Pure NumPy/SciPy, no Django: `solve(Problem) -> Solution`. The database side (who the campaign's cadres
and enterprises are, and where) is `niangjia.outreach.services.pairing_inputs`.
"""

from niangjia.outreach.solver.geo import EARTH_RADIUS_KM, haversine_km
from niangjia.outreach.solver.problem import GroupReport, Problem, Solution
from niangjia.outreach.solver.solve import round_robin, solve

__all__ = ["EARTH_RADIUS_KM", "GroupReport", "Problem", "Solution", "haversine_km", "round_robin", "solve"]
