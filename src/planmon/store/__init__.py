"""The durable store: tables, migrations, framework sync, observations and audit.

``Store`` is the one object the CLI, the web app and a notebook share::

    from planmon.store import Store
    store = Store.open()            # PLANMON_DB or ./planmon.db
    store.init()                    # migrate and load the built-in plan
    store.current_observations()    # a DataFrame of current values
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import Engine, select

from planmon.denominators import DenominatorError, builtin_facts
from planmon.denominators import check as check_denominators
from planmon.framework import BUILTIN_DEFAULT, Framework, load_framework
from planmon.plans import PlanRef, plan_ref
from planmon.store import audit, db
from planmon.store.denominators import current_denominators, denominator_history, write_denominators
from planmon.store.observations import (
    NewObservation,
    WriteResult,
    current_observations,
    history,
    write_observations,
)
from planmon.store.sync import SyncResult, framework_versions_of, stored_framework, sync_framework
from planmon.store.tables import denominators, frameworks, unit_targets, units
from planmon.store.targets import current_targets, target_history


@dataclass
class InitResult:
    migrated: bool
    revision: str
    sync: SyncResult


class Store:
    """A database holding frameworks, observations, submissions and the audit log."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @classmethod
    def open(cls, url: str | None = None) -> Store:
        """A store on the database ``url`` (SQLite or PostgreSQL; default ``PLANMON_DB`` or ./planmon.db).

        >>> store = Store.open("sqlite:///planmon.db"); store.init()       # doctest: +SKIP
        """
        return cls(db.make_engine(url))

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    def migrate(self, revision: str = "head") -> bool:
        return db.upgrade(self.engine, revision)

    def data_version(self) -> int:
        """See :func:`planmon.store.audit.data_version` (what caches of computed results key on)."""
        with self.engine.connect() as conn:
            return audit.data_version(conn)

    def revision(self) -> str | None:
        return db.current_revision(self.engine)

    def init(self, framework: str | Framework = BUILTIN_DEFAULT, actor: str = "system:init") -> InitResult:
        """Create or upgrade the schema, then sync the framework; a second call changes nothing."""
        fw = framework if isinstance(framework, Framework) else load_framework(framework)
        migrated = self.migrate()
        with self.engine.begin() as conn:
            result = sync_framework(conn, fw, actor)
            write_denominators(conn, builtin_facts(), "system:builtin", reason="built-in facts (NBS)",
                               audit_action="denominator.builtin")
        return InitResult(migrated, db.head_revision(), result)

    def framework_ids(self) -> list[str]:
        with self.engine.connect() as conn:
            return [r[0] for r in conn.execute(select(frameworks.c.id).order_by(frameworks.c.id))]

    def framework(self, framework_id: str = BUILTIN_DEFAULT) -> Framework:
        with self.engine.connect() as conn:
            fw = stored_framework(conn, framework_id)
        if fw is None:
            raise KeyError(f"framework '{framework_id}' is not in the store: run 'planmon init'")
        return fw

    def plans(self) -> list[PlanRef]:
        """The plans this database holds (for ``--plan`` and the web's plan switcher)."""
        return [plan_ref(self.framework(fid)) for fid in self.framework_ids()]

    def framework_versions(self, framework_id: str = BUILTIN_DEFAULT) -> list[dict[str, Any]]:
        """Every version of the framework this database has held, oldest first."""
        with self.engine.connect() as conn:
            return framework_versions_of(conn, framework_id)

    def framework_version(self, framework_id: str, version: str) -> Framework:
        """A stored version of a framework (the latest sync of that version)."""
        found = [v for v in self.framework_versions(framework_id) if v["version"] == version]
        if not found:
            raise KeyError(f"version '{version}' of framework '{framework_id}' is not in the store")
        fw = Framework.model_validate(found[-1]["content"])
        return fw

    def current_observations(self, framework_id: str = BUILTIN_DEFAULT, indicator: str | None = None,
                             unit: str | None = None) -> pd.DataFrame:
        """The current (latest accepted) value of every series: one row per indicator × unit × period.

        >>> store.current_observations(indicator="I01", unit="CN")[["period", "value"]]   # doctest: +SKIP
        """
        with self.engine.connect() as conn:
            return current_observations(conn, framework_id, indicator, unit)

    def write_observations(self, rows: list[NewObservation], actor: str, framework_id: str = BUILTIN_DEFAULT,
                           **kwargs: Any) -> WriteResult:
        with self.engine.begin() as conn:
            return write_observations(conn, framework_id, rows, actor, **kwargs)

    def denominators(self, name: str | list[str] | None = None, unit: str | list[str] | None = None,
                     period: str | None = None) -> pd.DataFrame:
        """Current denominator values (population, GDP, …): one row per name × unit × period.

        Columns: name, unit, period, period_time, value, measure_unit, source, note, revision.
        ``store.denominators("population", unit="110000", period="2020")`` → Beijing's year-end resident
        population in 2020 (万人). For "the value for period P or the latest before it", use
        :func:`planmon.denominators.lookup` on this frame.
        """
        with self.engine.connect() as conn:
            return current_denominators(conn, name, unit, period)

    def write_denominators(self, frame: pd.DataFrame, actor: str, *, reason: str = "",
                           file: str = "") -> WriteResult:
        """Check and store denominator rows (name, unit, period, value [, measure_unit, source, note]).

        All or nothing: any finding refuses the whole frame with :class:`DenominatorError`
        (row, column and reason in zh and en). A changed value becomes a new revision.
        """
        with self.engine.begin() as conn:
            known = {r[0] for r in conn.execute(select(units.c.id))}
            findings = check_denominators(frame, known)
            if findings:
                raise DenominatorError(findings, file)
            return write_denominators(conn, frame, actor, reason=reason)

    def targets(self, framework_id: str = BUILTIN_DEFAULT, indicator: str | None = None,
                unit: str | list[str] | None = None) -> pd.DataFrame:
        """Current targets per unit and basis declarations: indicator, unit, period, value, kind, baseline_period,
        baseline_value, source, note, illustrative, revision (see :mod:`planmon.targets`)."""
        with self.engine.connect() as conn:
            return current_targets(conn, framework_id, indicator, unit)

    def target_history(self, indicator: str, unit: str, framework_id: str = BUILTIN_DEFAULT) -> pd.DataFrame:
        """Every revision of one unit's target for one indicator, oldest first (a DataFrame, one row per revision).

        >>> store.target_history("I01", "330000")  # doctest: +SKIP
        """
        with self.engine.connect() as conn:
            return pd.DataFrame(target_history(conn, framework_id, indicator, unit),
                                columns=[c.name for c in unit_targets.c])

    def denominator_history(self, name: str, unit: str) -> pd.DataFrame:
        """Every revision of one denominator series, oldest first (a DataFrame, one row per revision).

        >>> store.denominator_history("population", "110000")  # doctest: +SKIP
        """
        with self.engine.connect() as conn:
            return pd.DataFrame(denominator_history(conn, name, unit), columns=[c.name for c in denominators.c])

    def history(self, indicator: str, unit: str, framework_id: str = BUILTIN_DEFAULT) -> pd.DataFrame:
        """Every revision of one series, oldest first, with who, when and why (a DataFrame, one row per revision).

        >>> store.history("I01", "CN")[["period", "revision", "value", "created_by", "reason"]]  # doctest: +SKIP
        """
        with self.engine.connect() as conn:
            return history(conn, framework_id, indicator, unit)

    def audit_events(self, **filters: Any) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            return audit.list_events(conn, **filters)


__all__ = ["DenominatorError", "InitResult", "NewObservation", "Store", "SyncResult", "WriteResult"]
