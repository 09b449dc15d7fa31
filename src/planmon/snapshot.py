"""Where the plan stands at a date: the one object the report, the web pages, the API and the CLI read.

Why: each face used to assemble its own picture from the engines, and the pictures differed (a
province's 2024 composite score was 78.94 in the report, 84.01 on the web and 83.85 from the CLI;
the report's supervision part left out the annual values its status part used). A
:class:`Snapshot` computes each part once, on first use, from one read of the store:

* ``observations`` — the current (latest accepted) revision of every value whose period has
  ended by the as-of date;
* ``assessments`` (ndrc scheme; :meth:`assessment` for another scheme) and ``risks``;
* ``comparison`` — which period the provinces are compared in, decided once by the published rule
  (:class:`RankingRule`), with the number of units and the reason, which every face shows;
* ``index`` — the composite-index run in that period, with its rank intervals;
* ``supervision`` (督办清单) and ``scorecards`` (单位考评表), both on these assessments.

``content_hash`` identifies it (data version and data, framework, spec, as-of and parameters);
``to_dict()`` is its JSON form. :data:`COMPUTED` counts the parts computed (a cache check).
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

import pandas as pd
import yaml

from planmon.framework import BUILTIN_DEFAULT, Framework
from planmon.framework.loader import builtin_dir
from planmon.i18n import Message
from planmon.intensive import provincial_spec
from planmon.jsonsafe import jsonable
from planmon.periods import Period, PeriodError, month_ended_by
from planmon.ranking import Comparison, IndexPart, RankingRule, choose_comparison, run_ranking
from planmon.store import Store
from planmon.supervise.progress import ReportingCycle

T = TypeVar("T")

#: how many times each part was computed in this process (the once-per-snapshot check reads it)
COMPUTED: Counter[str] = Counter()
STATUS_SCHEME = "ndrc"


@dataclass(frozen=True)
class AsOf:
    """The as-of of a snapshot: the day, the monitoring period (None: the latest data) and its label."""

    day: date
    period: str | None
    label: str

    @classmethod
    def resolve(cls, as_of: str | date | Period | None) -> AsOf:
        """``2024`` / ``2024Q3`` / ``2024-10`` → the period's last day; ``2024-06-30`` (or a date) → that
        day, monitored at the last month it ends; None → today, monitored on the latest data."""
        try:
            return cls._resolve(as_of)
        except (ValueError, OverflowError) as exc:  # year 0 or 9999: no calendar day to take the view on
            if isinstance(exc, PeriodError):
                raise
            raise PeriodError(str(as_of)) from None

    @classmethod
    def _resolve(cls, as_of: str | date | Period | None) -> AsOf:
        if as_of is None or (isinstance(as_of, str) and as_of.strip() in ("", "latest")):
            return cls(date.today(), None, "latest")
        if isinstance(as_of, date):
            return cls(as_of, str(month_ended_by(as_of)), as_of.isoformat())
        text = str(as_of).strip()
        if len(text) == 10 and text[4] == "-" and text[7] == "-":
            try:
                day = date.fromisoformat(text)
            except ValueError:
                Period.parse(text)  # raises the bilingual PeriodError
                raise
            return cls(day, str(month_ended_by(day)), text)
        p = Period.parse(text)
        return cls(p.end, str(p), str(p))

    @property
    def cutoff(self) -> float:
        """Position on the year axis of the last period that has ended by the day."""
        return month_ended_by(self.day).time


def builtin_evaluation() -> dict[str, Any]:
    """The built-in plan's published evaluation (``evaluation.yaml``): the default of a framework without one."""
    doc = yaml.safe_load((builtin_dir() / "evaluation.yaml").read_text(encoding="utf-8"))
    out: dict[str, Any] = doc["evaluation"]
    return out


class Snapshot:
    """The state of one framework's plan as of a date; every part computed once, on first use."""

    def __init__(self, store: Store, framework_id: str = BUILTIN_DEFAULT, as_of: str | date | Period | None = None,
                 *, replications: int | None = None, seed: int | None = None, index_spec: Any = None,
                 cycle: ReportingCycle | None = None) -> None:

        self.store = store
        self.framework_id = framework_id
        self.as_of = AsOf.resolve(as_of)
        self.data_version = store.data_version()
        self.framework: Framework = store.framework(framework_id)
        evaluation = self.framework.evaluation or builtin_evaluation()
        self.rule = RankingRule.from_dict(evaluation.get("ranking") or {})
        self.replications = int(evaluation.get("replications", 200) if replications is None else replications)
        self.seed = int(evaluation.get("seed", 0) if seed is None else seed)
        # provinces are ranked on intensive forms (÷ population …): the published spec with the denominate step
        self.index_spec: Any = (provincial_spec(self.framework, evaluation.get("index"))
                                if index_spec is None else index_spec)
        self.cycle = cycle or ReportingCycle.from_env()
        self._parts: dict[str, Any] = {}
        self._lock = threading.RLock()

    def _part(self, name: str, compute: Callable[[], T]) -> T:
        with self._lock:  # web worker threads share a snapshot: each part is computed by one of them
            if name not in self._parts:
                COMPUTED[name] += 1
                self._parts[name] = compute()
            out: T = self._parts[name]
            return out

    # ---- data and monitoring ------------------------------------------------------------------

    @property
    def observations(self) -> pd.DataFrame:
        """Current values of every period ended by the as-of day (one read of the store)."""
        def read() -> pd.DataFrame:
            obs = self.store.current_observations(self.framework_id)
            return obs[obs["period_time"] <= self.as_of.cutoff + 1e-9].reset_index(drop=True)
        return self._part("observations", read)

    @property
    def targets(self) -> pd.DataFrame:
        """The store's targets and basis declarations per unit (:mod:`planmon.monitor.basis` reads them)."""
        from planmon.monitor.store_io import store_targets

        return self._part("targets", lambda: store_targets(self.store, self.framework_id))

    @property
    def denominators(self) -> pd.DataFrame:
        """The store's denominators (population …) that the intensive forms divide by."""
        return self._part("denominators", lambda: self.store.denominators())

    @property
    def entered_statuses(self) -> pd.DataFrame:
        """The planning office's current entries for qualitative indicators (issue 19), applied to the assessments."""
        from planmon.monitor.store_io import store_entered

        return self._part("entered_statuses", lambda: store_entered(self.store, self.framework_id))

    def assessment(self, scheme: str = STATUS_SCHEME) -> pd.DataFrame:
        """Every indicator × unit assessed under ``scheme`` as of the snapshot's period."""
        return self._monitored(scheme)[0]

    def _monitored(self, scheme: str) -> tuple[pd.DataFrame, pd.DataFrame]:
        from planmon.monitor.store_io import assess_observations

        return self._part(f"assessments:{scheme}", lambda: assess_observations(
            self.framework, self.observations, as_of=self.as_of.period, scheme=scheme, targets=self.targets,
            entered=self.entered_statuses))

    @property
    def assessments(self) -> pd.DataFrame:
        """The ndrc assessments: the statuses every face shows and the supervision list reads."""
        return self.assessment(STATUS_SCHEME)

    def assessments_for(self, unit: str, scheme: str = STATUS_SCHEME) -> pd.DataFrame:
        """One unit's rows; a unit of the framework gets every indicator, the ones it never reported as no data."""
        rows = self.assessment(scheme)
        mine = rows[rows["unit"] == unit]
        if unit not in {u.id for u in self.framework.units}:
            return mine.reset_index(drop=True)
        missing = {i.id for i in self.framework.indicators} - set(mine["indicator"])
        if not missing:
            return mine.reset_index(drop=True)
        from planmon.monitor.store_io import assess_observations

        extra = self._part(f"assessments:{scheme}:{unit}", lambda: assess_observations(
            self.framework, self.observations, as_of=self.as_of.period, scheme=scheme, unit=unit,
            targets=self.targets, entered=self.entered_statuses)[0])
        extra = extra[extra["indicator"].isin(missing)]
        order = {i.id: n for n, i in enumerate(self.framework.indicators)}
        both = pd.concat([mine, extra], ignore_index=True) if len(mine) else extra
        return both.sort_values("indicator", key=lambda s: s.map(order), kind="stable").reset_index(drop=True)

    @property
    def risks(self) -> pd.DataFrame:
        """Risk flags on the ndrc assessments."""
        from planmon.monitor import find_risks

        def flags() -> pd.DataFrame:
            assessed, specs = self._monitored(STATUS_SCHEME)
            return find_risks(assessed, self.observations, specs, as_of=self.as_of.period)
        return self._part("risks", flags)

    # ---- evaluation ---------------------------------------------------------------------------

    @property
    def comparison(self) -> Comparison:
        """Which period the provinces are compared in, and why (the rule of ``evaluation.yaml``)."""
        return self._part("comparison", lambda: choose_comparison(self.framework, self.observations, self.rule))

    @property
    def index(self) -> IndexPart | None:
        """The composite index in the comparison period with its rank intervals; None when nothing can be
        ranked (``comparison.reason`` or :attr:`index_refusal` says why)."""
        return self._ranked()[0]

    @property
    def index_refusal(self) -> Message | None:
        """Why the index could not run on these data (the engine's bilingual refusal), if it could not."""
        return self._ranked()[1]

    def _ranked(self) -> tuple[IndexPart | None, Message | None]:
        from planmon.index import IndexInputError

        def run() -> tuple[IndexPart | None, Message | None]:
            try:
                return run_ranking(self.framework, self.observations, self.comparison, self.index_spec,
                                   self.replications, self.seed, denominators=self.store), None
            except IndexInputError as exc:
                return None, Message("；".join(exc.lines("zh")), "; ".join(exc.lines("en")))
        return self._part("index", run)

    # ---- supervision ----------------------------------------------------------------------------

    @property
    def supervision(self) -> pd.DataFrame:
        """The 督办清单 as of the day, on this snapshot's assessments."""
        from planmon.supervise import supervision_list

        return self._part("supervision", lambda: supervision_list(
            self.store, self.as_of.day, self.framework_id, cycle=self.cycle, assessed=self.assessments))

    @property
    def scorecards(self) -> pd.DataFrame:
        """The 单位考评表 of every unit with a responsibility."""
        from planmon.supervise import scorecard

        return self._part("scorecards", lambda: scorecard(
            self.store, self.as_of.day, None, self.framework_id, cycle=self.cycle, assessed=self.assessments))

    def scorecard(self, unit: str) -> pd.DataFrame:
        """One unit's scorecard row (a unit without responsibilities gets its row of zeros); KeyError if unknown."""
        rows = self.scorecards
        mine = rows[rows["unit"] == unit]
        if len(mine):
            out = mine.reset_index(drop=True)
            out.attrs = dict(rows.attrs)
            return out
        from planmon.supervise import scorecard

        return self._part(f"scorecard:{unit}", lambda: scorecard(
            self.store, self.as_of.day, unit, self.framework_id, cycle=self.cycle, assessed=self.assessments))

    # ---- identity -------------------------------------------------------------------------------

    @property
    def content_hash(self) -> str:
        """SHA-256 of what the snapshot is computed from: data version and data, framework, spec, as-of, parameters."""
        def digest() -> str:
            data = hashlib.sha256(self.observations.to_csv(index=False, lineterminator="\n").encode()).hexdigest()
            blob = json.dumps(jsonable({
                "data_version": self.data_version, "data": data, "framework": self.framework.content_hash,
                "framework_version": self.framework.plan.version, "spec": self.index_spec,
                "ranking": self.rule.to_dict(), "replications": self.replications, "seed": self.seed,
                "as_of": [self.as_of.day, self.as_of.period], "cycle": [self.cycle.frequency, self.cycle.grace_days,
                                                                       self.cycle.start],
            }), sort_keys=True, ensure_ascii=False)
            return hashlib.sha256(blob.encode()).hexdigest()
        return self._part("content_hash", digest)

    def header(self) -> dict[str, Any]:
        """What every face prints above its part: as-of, comparison period and units, hash."""
        return {"framework": self.framework_id, "as_of": self.as_of.label, "as_of_date": self.as_of.day.isoformat(),
                "period": self.as_of.period, "data_version": self.data_version,
                "comparison": self.comparison.to_dict(), "content_hash": self.content_hash}

    def _repr_html_(self) -> str:
        """A notebook's summary: as-of, plan, data version, content hash, count of each status (:mod:`planmon.display`)."""
        from planmon.display import snapshot_card

        return snapshot_card(self).html()

    def __repr__(self) -> str:
        from planmon.display import snapshot_card

        return snapshot_card(self).text()

    def to_dict(self) -> dict[str, Any]:
        """Every part as JSON-ready data (the snapshot's one serialised form)."""
        idx = self.index
        return jsonable({
            **self.header(),
            "assessments": self.assessments,
            "risks": self.risks,
            "index": idx.to_dict() if idx is not None else None,
            "index_refusal": self.index_refusal,
            "supervision": {"rows": self.supervision, "notes": self.supervision.attrs.get("notes", [])},
            "scorecards": {"rows": self.scorecards, "notes": self.scorecards.attrs.get("notes", [])},
        })


__all__ = ["COMPUTED", "AsOf", "Comparison", "IndexPart", "Message", "RankingRule", "Snapshot", "builtin_evaluation"]
