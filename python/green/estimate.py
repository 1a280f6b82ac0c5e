# ===- estimate.py - coarse whole-run energy and carbon estimator ----------=== #
#
# Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#
# ===-----------------------------------------------------------------------=== #
"""Energy and carbon of a whole run the compiler does not see.

A training or serving run is described by its devices: how many, how much
power each draws at full load, and how busy they are on average. Then

    E_IT   = sum_i count_i * P_i * U_i * T          (kWh, T in hours)
    E_fac  = E_IT * PUE                              (facility energy)
    CO2e   = E_fac * grid intensity                  (g, grid in gCO2e/kWh)

This is the method of e.g. Lacoste et al. (2019), "Quantifying the Carbon
Emissions of Machine Learning", and Patterson et al. (2021), "Carbon
Emissions and Large Neural Network Training": power x utilization x time,
times PUE and grid intensity. It is coarse by design: per-op estimates come
from the compiler's energy report instead.
"""

from dataclasses import dataclass
from typing import Iterable, List


@dataclass(frozen=True)
class DeviceGroup:
    """`count` devices drawing `power_w` at full load, `utilization` busy."""

    name: str
    count: int
    power_w: float
    utilization: float

    def __post_init__(self):
        if self.count <= 0:
            raise ValueError(f"device '{self.name}': count must be positive, "
                             f"got {self.count}")
        if self.power_w <= 0:
            raise ValueError(f"device '{self.name}': power must be positive, "
                             f"got {self.power_w} W")
        if not 0 <= self.utilization <= 1:
            raise ValueError(f"device '{self.name}': utilization must be in "
                             f"[0, 1], got {self.utilization}")


@dataclass(frozen=True)
class RunEstimate:
    it_kwh: float
    facility_kwh: float
    gco2e: float
    per_group_kwh: List[float]


def estimate_run(groups: Iterable[DeviceGroup], hours: float, pue: float,
                 grid_gco2_per_kwh: float) -> RunEstimate:
    """Applies the equations in the module docstring."""
    groups = list(groups)
    if not groups:
        raise ValueError("at least one device group is needed")
    if hours <= 0:
        raise ValueError(f"hours must be positive, got {hours}")
    if pue < 1:
        raise ValueError(f"PUE must be at least 1, got {pue}")
    if grid_gco2_per_kwh < 0:
        raise ValueError(f"grid intensity must be non-negative, got "
                         f"{grid_gco2_per_kwh}")
    per_group = [g.count * g.power_w * g.utilization * hours / 1000.0
                 for g in groups]
    it_kwh = sum(per_group)
    facility = it_kwh * pue
    return RunEstimate(it_kwh, facility, facility * grid_gco2_per_kwh,
                       per_group)


def parse_device(spec: str) -> DeviceGroup:
    """Parses NAME:COUNT:POWER_W:UTILIZATION, e.g. "h100:8:700:0.6"."""
    parts = spec.split(":")
    if len(parts) != 4:
        raise ValueError(f"invalid device '{spec}': expected "
                         f"NAME:COUNT:POWER_W:UTILIZATION, e.g. h100:8:700:0.6")
    name, count, power, util = parts
    try:
        return DeviceGroup(name, int(count), float(power), float(util))
    except ValueError as e:
        if "invalid literal" in str(e) or "could not convert" in str(e):
            raise ValueError(f"invalid device '{spec}': COUNT must be an "
                             f"integer and POWER_W, UTILIZATION numbers") from e
        raise
