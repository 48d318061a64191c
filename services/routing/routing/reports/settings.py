"""Reports settings (env prefix ``ANXIN_REPORTS_``): the Wage Security Index policy.

The defaults are documented in docs/wage-security-index.md; change them there too.
"""

from decimal import Decimal
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from routing.reports.domain.index import Component, IndexPolicy, Normalisation


class ReportsSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ANXIN_REPORTS_", extra="ignore")

    weight_volume: Decimal = Field(default=Decimal("0.15"), ge=0, description="线索件量: fewer is better")
    weight_incidence: Decimal = Field(
        default=Decimal("0.25"), ge=0, description="线索件案发率: clues per base unit, lower is better"
    )
    weight_growth: Decimal = Field(default=Decimal("0.15"), ge=0, description="增长率: lower is better")
    weight_enforcement: Decimal = Field(
        default=Decimal("0.20"),
        ge=0,
        description="打击力度: cases, criminal and credit referrals per 100 clues",
    )
    weight_resolution: Decimal = Field(
        default=Decimal("0.25"), ge=0, description="有效化解率: higher is better"
    )
    normalisation: Normalisation = Field(
        default=Normalisation.MIN_MAX, description="min_max or rank, among the units compared"
    )
    growth_basis: Literal["year_earlier", "previous_period"] = Field(
        default="year_earlier",
        description="growth against the same quarter a year earlier, or the quarter before",
    )
    min_components: int = Field(
        default=3, ge=1, le=5, description="fewer present components than this: no score, no rank"
    )
    incidence_per: int = Field(default=100, gt=0, description="incidence is clues per this many base units")

    def policy(self) -> IndexPolicy:
        return IndexPolicy(
            weights={
                Component.VOLUME: self.weight_volume,
                Component.INCIDENCE: self.weight_incidence,
                Component.GROWTH: self.weight_growth,
                Component.ENFORCEMENT: self.weight_enforcement,
                Component.RESOLUTION: self.weight_resolution,
            },
            normalisation=self.normalisation,
            min_components=self.min_components,
            incidence_per=self.incidence_per,
        )
