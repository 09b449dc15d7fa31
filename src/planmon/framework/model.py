"""The plan framework: what a plan declares before any data arrives.

A framework is declared in YAML files (one folder per framework), versioned with
the plan, and validated as a whole on load (see :mod:`planmon.framework.loader`).
The models here check each record on its own; cross-record checks (references,
cycles, periods against frequencies) live in :mod:`planmon.framework.checks`.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from planmon.periods import Frequency, Period, PeriodError

ItemKind = Literal["goal", "aspect", "task", "project", "action_group", "action"]
UnitKind = Literal["department", "region"]
RegionLevel = Literal["nation", "province", "prefecture", "county"]
Direction = Literal["increase", "decrease"]
Attribute = Literal["expected", "binding", "unknown"]  # 预期性 / 约束性 / not stated
IndicatorKind = Literal["stock", "flow", "rate"]
TrajectoryMethod = Literal["linear", "compound", "points"]
Role = Literal["lead", "participant"]  # 牵头 / 参与
ObservationStatus = Literal["final", "preliminary", "estimated", "partial_year"]
#: How a unit without its own target is compared (regional basis): see :class:`ComparisonBasis`.
BasisMethod = Literal["national_target", "national_pace", "none"]
#: The kinds of a unit's target: its own plan's (本地规划目标) or assigned from above (目标分解).
UnitTargetKind = Literal["own_plan", "decomposed"]
#: Every basis an assessment row can carry (``target_basis``).
TargetBasis = Literal["own_plan", "decomposed", "national_pace", "national_target", "none"]
# How exactly the source states a value: as a figure (quoted), as "more than" (lower-bound, shown "> 50"),
# as "about" (approx, shown "≈ 10"), or quoted in a translation of the original report.
Quality = Literal["quoted", "lower-bound", "approx", "quoted-in-translation", "derived"]
# main: an indicator of the plan's table; proxy: a related series on another basis, never assessed
# against the target; candidate: possibly in the table, not confirmed (kept out of the main table).
SeriesRole = Literal["main", "proxy", "candidate"]
ChangeKind = Literal["added", "changed", "removed", "moved", "renumbered", "corrected"]
#: The form of an indicator's target as plans print it (issue 19; docs/framework.md "Target forms"):
#: a level at the target period (目标值 65), an annual-average growth rate (年均增长 > 7), a change over the
#: plan period in brackets (〔13.5〕), a bound to hold every year (< 5.5), a relation to another indicator's
#: growth (高于GDP增长), or no number at all (保持在合理区间): the office enters the status.
TargetForm = Literal["level", "annual_growth", "cumulative_change", "bound", "relative", "qualitative"]
#: How a target compares: > and ≥ (a floor or a minimum rate), < and ≤ (a ceiling).
Comparator = Literal[">", "≥", "<", "≤"]
#: Growth at constant prices (real, 按可比价格) or at current prices (nominal, 按现价).
PriceBasis = Literal["real", "nominal"]
#: What the observations of a non-level indicator hold: its level (亿元, 岁, %) or its annual rate of change
#: in % on the previous year, signed (−2.7 = fell 2.7 %), as statistical communiqués print them.
Observed = Literal["level", "annual_rate"]
#: A cumulative change in % of the baseline (单位GDP能源消耗降低〔13.5〕) or in the indicator's units (〔1〕 year).
ChangeUnit = Literal["percent", "units"]
#: Above the other indicator's growth (高于), or in step with it within a tolerance (基本同步).
Relation = Literal["above", "in_step"]


class Strict(BaseModel):
    """Base: unknown keys are mistakes in a hand-written file, not extensions."""

    model_config = ConfigDict(extra="forbid", frozen=False)


def _check_period(value: str) -> str:
    try:
        return str(Period.parse(value))
    except PeriodError as exc:
        raise ValueError(exc.message_en) from exc


class Plan(Strict):
    """The plan itself (规划)."""

    id: str
    title_zh: str
    title_en: str
    period_start: str
    period_end: str
    issuer_zh: str = ""
    issuer_en: str = ""
    issued: str = ""
    version: str = "1"
    source: str = ""
    predecessor: str = ""  # the plan this one follows (e.g. the 15th plan follows the 14th)

    _p1 = field_validator("period_start", "period_end", mode="before")(
        lambda v: _check_period(str(v))
    )


class Milestone(Strict):
    """A dated step of a plan item: e.g. each priority action's 2023 milestone and 2025 target.

    ``to_be_filled`` marks a milestone whose text the source does not give, so
    that supervision can still track its date while the office fills the text.
    """

    id: str
    due: str  # ISO date (2023-12-31) or period (2023)
    kind: Literal["milestone", "target", "deadline"] = "milestone"
    text_zh: str = ""
    text_en: str = ""
    deliverable: str = ""
    to_be_filled: bool = False
    inferred: bool = False

    @field_validator("due", mode="before")
    @classmethod
    def _due(cls, v: Any) -> str:
        s = str(v)
        if len(s) == 10 and s[4] == "-" and s[7] == "-":
            return s
        return _check_period(s)

    @property
    def due_date(self) -> str:
        """The last day the milestone may be met, as ISO date (for comparisons)."""
        if len(self.due) == 10:
            return self.due
        return Period.parse(self.due).end.isoformat()


class PlanItem(Strict):
    """A node of the plan tree: goal, aspect (方面), task (重大任务), project (重点工程),
    action group, action (优先行动)."""

    id: str
    kind: ItemKind
    parent: str | None = None
    title_zh: str
    title_en: str = ""
    links: list[str] = Field(default_factory=list)
    milestones: list[Milestone] = Field(default_factory=list)
    inferred: bool = False
    note: str = ""
    number: str = ""  # the plan's own numbering when it differs from the id's order, e.g. "（六）"
    milestone_source: str = ""  # publisher and document of the milestone texts


class Unit(Strict):
    """Who reports or is assessed: a department (部门) or a region (by GB/T 2260 code)."""

    id: str
    kind: UnitKind
    code: str | None = None
    name_zh: str
    name_en: str = ""
    short_zh: str = ""
    parent: str | None = None
    level: RegionLevel | None = None
    inferred: bool = False

    @model_validator(mode="after")
    def _region_code(self) -> Unit:
        needs_code = self.kind == "region" and self.level != "nation"
        if needs_code and not (self.code and len(self.code) == 6 and self.code.isdigit()):
            raise ValueError("a region needs a six-digit GB/T 2260 code")
        return self


class Point(Strict):
    """A value at a period (baseline, target, trajectory point)."""

    period: str
    value: float

    _p = field_validator("period", mode="before")(lambda v: _check_period(str(v)))


class Trajectory(Strict):
    """The expected path from baseline to target."""

    method: TrajectoryMethod = "linear"
    points: list[Point] = Field(default_factory=list)

    @model_validator(mode="after")
    def _points(self) -> Trajectory:
        if self.method == "points" and not self.points:
            raise ValueError("trajectory 'points' needs at least one point")
        return self


class Goalposts(Strict):
    lower: float
    upper: float
    scale: float = 100.0
    truncate: bool = True


class IndexPlace(Strict):
    """Where an indicator sits in the composite-index tree, with its weight."""

    parent: str
    weight: float = 1.0


class Formula(Strict):
    """An indicator computed as numerator / denominator × scale (denomination)."""

    numerator: str
    denominator: str
    scale: float = 1.0


class ComparisonBasis(Strict):
    """How a unit without a target of its own is assessed on this indicator (对比口径).

    ``national_target``: its value is compared with the national target — allowed only for
    intensive indicators (rates, shares, per-capita values, indices; ``kind: rate``), since a
    province's count can never be compared with the nation's count. ``national_pace``: the
    unit's own baseline grown at the nation's required rate (the derived target is shown as
    such). ``none``: trend, projection and ranking only; no target status.
    """

    method: BasisMethod
    reason_zh: str = ""
    reason_en: str = ""


class IntensiveForm(Strict):
    """The intensive form of an extensive indicator: value ÷ denominator × scale (强度口径).

    ``denominator`` names a kind of :data:`planmon.denominators.DENOMINATORS` (population, GDP, …);
    ``scale`` carries the unit conversion too: internet users (亿人) ÷ population (万人) × 1e6 = %.
    """

    denominator: str
    scale: float = 1.0
    name_zh: str
    name_en: str = ""
    unit: str
    unit_en: str = ""


class LevelRange(Strict):
    """The plausible range of an indicator for units of one level (nation, province, …)."""

    min: float | None = None
    max: float | None = None
    source: str = ""


class DenominatorBound(Strict):
    """An upper bound from the unit's own size: ``value × scale ≤ max_ratio × denominator``.

    E.g. internet users (亿人) ≤ year-end population (万人): ``denominator: population, scale: 10000``.
    The denominator is data in the store with its source (:mod:`planmon.denominators`); the one of the
    same period is used, else the latest earlier one within ``max_lag`` years, else no bound.
    """

    denominator: str
    scale: float = 1.0
    max_ratio: float = 1.0
    max_lag: float = 3.0


class PlausibleRange(Strict):
    min: float | None = None
    max: float | None = None
    #: per unit level (``nation``, ``province`` …), narrower than ``min``/``max``
    levels: dict[str, LevelRange] = Field(default_factory=dict)
    #: a bound from a denominator of the unit (population, households, GDP …)
    max_per: DenominatorBound | None = None


#: Between the zh and en halves of a validation message (split by planmon.framework.build into both languages).
BILINGUAL = " ‖ "
#: Starts a model check's message that names its field: "@target_rule zh ‖ en" (the error's location).
AT = "@"

_COMPARATORS = {">": ">", "≥": "≥", ">=": "≥", "＞": ">", "≧": "≥", "<": "<", "≤": "≤", "<=": "≤", "＜": "<",
                "≦": "≤"}


class TargetRule(Strict):
    """The parameters of a target that is not a level (``Indicator.target_form`` ≠ ``level``).

    ``value`` is the number as the plan prints it, and what it means depends on the form:
    ``annual_growth`` — the required average annual rate in % (``> 7``); ``cumulative_change`` — the
    change over the plan period (〔13.5〕: % of the baseline when ``change_unit`` is ``percent``, the
    indicator's units when ``units``; its sign comes from ``direction``: decrease = a fall of 13.5);
    ``bound`` — the ceiling (``<``, ``≤``) or floor (``>``, ``≥``) to hold every year (``< 5.5``).
    ``relative`` has no value: ``relative_to`` names the other indicator of the same plan and
    ``relation`` how this one's growth compares with it (``tolerance`` in percentage points).
    ``qualitative`` has no number: ``text_zh``/``text_en`` hold the printed words.
    ``period`` is the period the target is for (the plan's end when empty). Which fields each form needs
    is checked by :class:`Indicator`, so that the error names the form.
    """

    value: float | None = None
    comparator: Comparator | None = None
    period: str | None = None
    #: annual_growth: constant or current prices, and the deflator or index basis (e.g. "按可比价格计算")
    price_basis: PriceBasis | None = None
    deflator: str = ""
    #: what the indicator's observations hold (annual_growth, cumulative_change, relative, qualitative)
    observed: Observed = "level"
    #: cumulative_change: % of the baseline or the indicator's units (default: percent when the unit is %)
    change_unit: ChangeUnit | None = None
    #: relative: the other indicator (id, same plan) and how this one's growth relates to its growth
    relative_to: str | None = None
    relation: Relation | None = None
    tolerance: float | None = None
    #: the printed words (qualitative; optional for the other forms: the plan's own phrase)
    text_zh: str = ""
    text_en: str = ""

    @field_validator("comparator", mode="before")
    @classmethod
    def _comparator(cls, v: Any) -> Any:
        return _COMPARATORS.get(str(v).strip(), v) if v is not None else None

    _p = field_validator("period", mode="before")(lambda v: _check_period(str(v)) if v is not None else None)

    @field_validator("tolerance")
    @classmethod
    def _tolerance(cls, v: float | None) -> float | None:
        if v is not None and v < 0:
            raise ValueError(f"容差不能为负（现为 {v:g}） ‖ the tolerance cannot be negative (is {v:g})")
        return v


class Rebased(Strict):
    """A baseline re-stated on a new basis (a census revision, a new statistical method): 基期值调整.

    The assessment runs on this baseline (with a note giving the reason); the plan's printed baseline
    stays in ``Indicator.baseline`` and both are shown wherever the baseline is shown.
    """

    period: str
    value: float
    reason_zh: str
    reason_en: str = ""
    source: str = ""

    _p = field_validator("period", mode="before")(lambda v: _check_period(str(v)))


#: The rule fields each form uses (the others must stay empty), for the model's checks.
_FORM_FIELDS: dict[str, frozenset[str]] = {
    "annual_growth": frozenset({"value", "comparator", "period", "price_basis", "deflator", "observed", "text_zh",
                                "text_en"}),
    "cumulative_change": frozenset({"value", "comparator", "period", "change_unit", "observed", "text_zh", "text_en"}),
    "bound": frozenset({"value", "comparator", "period", "text_zh", "text_en"}),
    "relative": frozenset({"period", "observed", "relative_to", "relation", "tolerance", "text_zh", "text_en"}),
    "qualitative": frozenset({"period", "observed", "text_zh", "text_en"}),
}
_FORM_ZH = {"level": "水平值", "annual_growth": "年均增长", "cumulative_change": "累计变化", "bound": "底线/上限",
            "relative": "相对目标", "qualitative": "定性目标"}


class Indicator(Strict):
    """A measured quantity with its baseline, target and trajectory (指标)."""

    id: str
    name_zh: str
    name_en: str = ""
    unit: str
    unit_en: str = ""
    direction: Direction = "increase"
    attribute: Attribute = "unknown"
    kind: IndicatorKind = "stock"
    frequency: Frequency = "annual"
    area: str = ""
    area_en: str = ""
    definition_zh: str = ""
    definition_en: str = ""
    source: str = ""
    proxy: bool = False
    proxy_note: str = ""
    baseline: Point | None = None
    target: Point | None = None
    trajectory: Trajectory = Field(default_factory=Trajectory)
    goalposts: Goalposts | None = None
    index: IndexPlace | None = None
    formula: Formula | None = None
    plausible: PlausibleRange | None = None
    # A bound the indicator cannot pass in its desired direction (100 for a coverage rate; a maximum
    # when higher is better, a minimum when lower is better). Open SDG scales its no-target growth
    # thresholds down near it (planmon.monitor.growth.limit_factor). Issue 20.
    natural_limit: float | None = None
    basis: ComparisonBasis | None = None
    intensive: IntensiveForm | None = None
    items: list[str] = Field(default_factory=list)
    reporters: list[str] = Field(default_factory=list)  # empty: any region may report
    inferred: bool = False
    note: str = ""
    role: SeriesRole = "main"
    proxy_of: str | None = None  # for a proxy series: the indicator whose basis it does not share
    continues: str | None = None  # "<plan id>/<indicator id>" of the previous plan's indicator
    to_be_filled: bool = False  # declared by the plan but its figures are not known yet
    target_source: str = ""  # publisher and document of the target, when it is not the plan's own table
    # The form of the target (issue 19): ``level`` uses ``target``; every other form leaves ``target`` empty
    # (a rate or a bound is never a level) and states its parameters in ``target_rule``.
    target_form: TargetForm = "level"
    target_rule: TargetRule | None = None
    # A baseline re-stated on a new basis (census revision, new method): the assessment's baseline.
    rebased: Rebased | None = None
    # "<plan id>/<indicator id>": the same statistical series held by another plan of the same period (the
    # outline's core-industry share is the informatization plan's I09); its values are kept there once and
    # read through this link (planmon.framework.links), never copied
    same_series: str | None = None

    @field_validator("direction", mode="before")
    @classmethod
    def _direction(cls, v: Any) -> Any:
        return {"+": "increase", "-": "decrease", 1: "increase", -1: "decrease"}.get(v, v)

    @model_validator(mode="after")
    def _target_form(self) -> Indicator:
        problem = _form_problem(self)
        if problem is not None:
            raise ValueError(f"{AT}target_rule {problem}")  # located at target_rule by planmon.framework.build
        return self

    @property
    def change_unit(self) -> ChangeUnit:
        """A cumulative change's unit: declared, else percent for an indicator in %, else the indicator's units."""
        rule = self.target_rule
        if rule is not None and rule.change_unit is not None:
            return rule.change_unit
        return "percent" if self.unit.strip() in ("%", "％") else "units"

    @property
    def assessed_baseline(self) -> Point | None:
        """The baseline the assessment uses: the re-based one when declared, else the plan's."""
        if self.rebased is not None:
            return Point(period=self.rebased.period, value=self.rebased.value)
        return self.baseline

    @property
    def sign(self) -> int:
        return 1 if self.direction == "increase" else -1

    @property
    def extensive(self) -> bool:
        """A count or a total (stock, flow) that grows with the size of the unit; a rate is intensive."""
        return self.kind != "rate"

    @property
    def regional_basis(self) -> BasisMethod:
        """The declared basis, or the safe default: national target for a rate, national pace otherwise."""
        if self.basis is not None:
            return self.basis.method
        return "national_pace" if self.extensive else "national_target"


def _form_problem(ind: Indicator) -> str | None:
    """What is wrong with an indicator's target form and its rule ("zh ‖ en"), or None."""
    form, rule = ind.target_form, ind.target_rule
    zh = _FORM_ZH[form]
    if form == "level":
        return None if rule is None else ("水平值目标不用 target_rule（目标值写在 target） ‖ a level target has no "
                                           "target_rule (the value goes in target)")
    if ind.target is not None:
        return (f"{zh}目标（{form}）不能填 target：其数值写在 target_rule.value，不能当作水平值比较 ‖ a {form} target "
                "leaves 'target' empty: its number goes in target_rule, never compared as a level")
    if rule is None:
        return f"{zh}目标（{form}）需要 target_rule ‖ a {form} target needs target_rule"
    used = {k for k in rule.model_fields_set if getattr(rule, k) not in (None, "")}
    foreign = sorted(used - _FORM_FIELDS[form] - ({"observed"} if rule.observed == "level" else set()))
    if foreign:
        return (f"{zh}目标（{form}）不用 target_rule 的 {'、'.join(foreign)} ‖ a {form} target does not use "
                f"target_rule.{', target_rule.'.join(foreign)}")
    if form in ("annual_growth", "cumulative_change", "bound") and rule.value is None:
        return (f"{zh}目标（{form}）需要 target_rule.value（规划印出的数值） ‖ a {form} target needs "
                "target_rule.value (the number the plan prints)")
    return _FORM_CHECKS[form](ind.id, rule)


def _growth_problem(_id: str, rule: TargetRule) -> str | None:
    if rule.comparator in ("<", "≤"):
        return (f"年均增长目标只能是“>”或“≥”（现为“{rule.comparator}”） ‖ an annual_growth target is "
                f"'>' or '≥' (is '{rule.comparator}')")
    if rule.price_basis is None:
        return ("年均增长目标需声明 target_rule.price_basis：real（按可比价格）或 nominal（按现价） ‖ "
                "an annual_growth target declares target_rule.price_basis: real or nominal")
    if rule.price_basis == "real" and not rule.deflator.strip():
        return ("按可比价格的年均增长需声明 target_rule.deflator（价格指数或指数口径） ‖ a real growth "
                "target declares target_rule.deflator (the deflator or index basis)")
    return None


def _cumulative_problem(_id: str, rule: TargetRule) -> str | None:
    if rule.value is not None and rule.value < 0:
        return (f"累计变化写正数，方向由 direction 给出（现为 {rule.value:g}） ‖ a cumulative change is "
                f"written positive, its sign comes from direction (is {rule.value:g})")
    return None


def _bound_problem(_id: str, rule: TargetRule) -> str | None:
    if rule.comparator is None:
        return ("底线/上限目标需要 target_rule.comparator：< 或 ≤（上限）、> 或 ≥（底线） ‖ a bound needs "
                "target_rule.comparator: < or ≤ (ceiling), > or ≥ (floor)")
    return None


def _relative_problem(own_id: str, rule: TargetRule) -> str | None:
    if not rule.relative_to:
        return ("相对目标需要 target_rule.relative_to（同一规划的另一指标编号） ‖ a relative target "
                "needs target_rule.relative_to (another indicator of the same plan)")
    if rule.relative_to == own_id:
        return "相对目标不能以自身为参照 ‖ a relative target cannot refer to itself"
    if rule.relation is None:
        return ("相对目标需要 target_rule.relation：above（高于）或 in_step（基本同步） ‖ a relative "
                "target needs target_rule.relation: above or in_step")
    if rule.relation == "in_step" and rule.tolerance is None:
        return ("“基本同步”需声明容差 target_rule.tolerance（百分点；工作簿中可写作“与GDP增长基本同步（±0.5）”） ‖ "
                "'in step' needs a stated tolerance target_rule.tolerance (percentage points; in the workbook "
                "'与GDP增长基本同步（±0.5）')")
    return None


def _qualitative_problem(_id: str, rule: TargetRule) -> str | None:
    if not rule.text_zh.strip():
        return ("定性目标需要 target_rule.text_zh（规划的原文表述） ‖ a qualitative target needs "
                "target_rule.text_zh (the plan's words)")
    return None


_FORM_CHECKS = {"annual_growth": _growth_problem, "cumulative_change": _cumulative_problem, "bound": _bound_problem,
                "relative": _relative_problem, "qualitative": _qualitative_problem}


class IndexNode(Strict):
    """An aggregate of the composite-index tree (pillar, sub-pillar, index)."""

    id: str
    name_zh: str
    name_en: str = ""
    parent: str | None = None
    weight: float = 1.0


class Responsibility(Strict):
    """Who leads (牵头) and who joins (参与) a plan item: the division of responsibility (分工)."""

    item: str
    unit: str
    role: Role
    inferred: bool = False


class Observation(Strict):
    """A reported value: indicator × unit × period, with its provenance."""

    indicator: str
    unit: str
    period: str
    value: float
    status: ObservationStatus = "final"
    source: str = ""
    note: str = ""
    proxy: bool = False
    quality: Quality = "quoted"

    _p = field_validator("period", mode="before")(lambda v: _check_period(str(v)))


class UnitTarget(Strict):
    """A target of one unit for one indicator (目标): its own plan's, or decomposed from above.

    ``baseline`` overrides the unit's base point (when its plan counts from another year or value).
    ``illustrative`` marks demo data (示意).
    """

    indicator: str
    unit: str
    period: str
    value: float
    kind: UnitTargetKind = "own_plan"
    baseline: Point | None = None
    source: str = ""
    note: str = ""
    illustrative: bool = False

    _p = field_validator("period", mode="before")(lambda v: _check_period(str(v)))


class Change(Strict):
    """One entry of a framework version's changelog: what changed, why, on what source."""

    kind: ChangeKind
    target: str  # an indicator, item or observation key ("I02", "A6", "I01/CN/2025")
    what_zh: str
    what_en: str = ""
    why_zh: str = ""
    why_en: str = ""
    source: str = ""
    inferred: bool = False


class ObservationMove(Strict):
    """Stored observations that a new version assigns to another indicator (their meaning kept).

    On upgrade the matching current values are copied to ``to_indicator`` and withdrawn
    from ``from_indicator`` as new revisions; the old revisions stay in the history.
    """

    from_indicator: str
    to_indicator: str
    proxy_only: bool = True


class Version(Strict):
    """A version of the framework with its changes (newest last)."""

    version: str
    date: str
    summary_zh: str = ""
    summary_en: str = ""
    changes: list[Change] = Field(default_factory=list)
    moves: list[ObservationMove] = Field(default_factory=list)


class Framework(Strict):
    """A whole validated framework; build one with :func:`planmon.load_framework`."""

    plan: Plan
    items: list[PlanItem] = Field(default_factory=list)
    units: list[Unit] = Field(default_factory=list)
    indicators: list[Indicator] = Field(default_factory=list)
    index_tree: list[IndexNode] = Field(default_factory=list)
    responsibilities: list[Responsibility] = Field(default_factory=list)
    observations: list[Observation] = Field(default_factory=list)
    changelog: list[Version] = Field(default_factory=list)
    # the published evaluation (``evaluation.yaml``): ranking rule, replications and the composite-index
    # spec; read by planmon.snapshot, versioned with the plan (it is part of the content hash)
    evaluation: dict[str, Any] = Field(default_factory=dict)
    targets: list[UnitTarget] = Field(default_factory=list)
    source_path: str | None = None
    content_hash: str = ""

    def item(self, item_id: str) -> PlanItem:
        return _lookup(self.items, item_id, "item")

    def unit(self, unit_id: str) -> Unit:
        return _lookup(self.units, unit_id, "unit")

    def indicator(self, indicator_id: str) -> Indicator:
        return _lookup(self.indicators, indicator_id, "indicator")

    def items_of_kind(self, kind: ItemKind) -> list[PlanItem]:
        return [i for i in self.items if i.kind == kind]

    def main_indicators(self) -> list[Indicator]:
        """The indicators of the plan's table (no proxies, no unconfirmed candidates)."""
        return [x for x in self.indicators if x.role == "main"]

    def provinces(self) -> list[Unit]:
        return [u for u in self.units if u.kind == "region" and u.level == "province"]

    def _repr_html_(self) -> str:
        """A notebook's summary: plan, period, version, counts of items, indicators and units (:mod:`planmon.display`)."""
        from planmon.display import framework_card

        return framework_card(self).html()

    def __repr__(self) -> str:
        from planmon.display import framework_card

        return framework_card(self).text()

    def to_summary(self) -> dict[str, Any]:
        """The JSON form printed by ``planmon framework show --format json``."""
        return {
            "plan": {
                "id": self.plan.id,
                "title_zh": self.plan.title_zh,
                "title_en": self.plan.title_en,
                "period": f"{self.plan.period_start}-{self.plan.period_end}",
                "period_start": self.plan.period_start,
                "period_end": self.plan.period_end,
                "version": self.plan.version,
                "issuer_zh": self.plan.issuer_zh,
                "issuer_en": self.plan.issuer_en,
                "content_hash": self.content_hash,
                "predecessor": self.plan.predecessor,
            },
            "items": [
                {
                    "id": i.id,
                    "kind": i.kind,
                    "parent": i.parent,
                    "title_zh": i.title_zh,
                    "title_en": i.title_en,
                    "links": list(i.links),
                    "number": i.number,
                    "inferred": i.inferred,
                    "milestones": [m.model_dump() for m in i.milestones],
                }
                for i in self.items
            ],
            "indicators": [
                {
                    "id": x.id,
                    "name_zh": x.name_zh,
                    "name_en": x.name_en,
                    "unit": x.unit,
                    "unit_en": x.unit_en,
                    "direction": x.direction,
                    "attribute": x.attribute,
                    "kind": x.kind,
                    "frequency": x.frequency,
                    "area": x.area,
                    "area_en": x.area_en,
                    "baseline": x.baseline.model_dump() if x.baseline else None,
                    "target": x.target.model_dump() if x.target else None,
                    "trajectory": x.trajectory.model_dump(),
                    "proxy": x.proxy,
                    "inferred": x.inferred,
                    "items": list(x.items),
                    "source": x.source,
                    "role": x.role,
                    "proxy_of": x.proxy_of,
                    "continues": x.continues,
                    "same_series": x.same_series,
                    "to_be_filled": x.to_be_filled,
                    "target_form": x.target_form,
                    "target_rule": x.target_rule.model_dump(exclude_defaults=True) if x.target_rule else None,
                    "rebased": x.rebased.model_dump() if x.rebased else None,
                }
                for x in self.indicators
            ],
            "units": [
                {
                    "id": u.id,
                    "kind": u.kind,
                    "code": u.code,
                    "name_zh": u.name_zh,
                    "name_en": u.name_en,
                    "parent": u.parent,
                    "level": u.level,
                }
                for u in self.units
            ],
            "responsibilities": [r.model_dump() for r in self.responsibilities],
            "changelog": [v.model_dump() for v in self.changelog],
        }


def _lookup(records: list[Any], key: str, what: str) -> Any:
    for r in records:
        if r.id == key:
            return r
    raise KeyError(f"unknown {what} '{key}'")
