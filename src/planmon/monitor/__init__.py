"""Monitoring: where every indicator stands against its target, where it is heading, and why it is at risk.

Public API (pandas at the edge):

- :func:`assess` — one row per indicator × unit (pure);
- :func:`assess_store` — the same on a store's current observations and framework;
- :func:`find_risks` / :func:`risks_store` — risk flags with rule, severity and an explanation in zh and en;
- :data:`STATUS_LABELS` — ``STATUS_LABELS[scheme][code] -> (zh, en)``;
- :func:`read_table` — the bring-your-own-table CSV reader;
- :data:`SCHEME_DEFAULTS` / :data:`CHOICES` — every scheme parameter, each publisher's rule by default, and
  the named values of the choice parameters (planmon's variants); see docs/monitor.md.
"""

from planmon.monitor.assess import CONTRACT_COLUMNS, assess
from planmon.monitor.panel import InputError
from planmon.monitor.params import ASSESS_DEFAULTS, CHOICES, SCHEME_DEFAULTS, SCHEMES, ParamError
from planmon.monitor.risks import RISK_COLUMNS, RULE_DEFAULTS, RULE_LABELS, SEVERITY_LABELS, find_risks
from planmon.monitor.schemes import OFFICE_STATUS_LABELS, ON_TRACK, STATUS_LABELS, STATUS_ORDER, TO_BE_ENTERED
from planmon.monitor.store_io import assess_store, risks_store

__all__ = [
    "ASSESS_DEFAULTS",
    "CHOICES",
    "CONTRACT_COLUMNS",
    "OFFICE_STATUS_LABELS",
    "ON_TRACK",
    "RISK_COLUMNS",
    "RULE_DEFAULTS",
    "RULE_LABELS",
    "SCHEMES",
    "SCHEME_DEFAULTS",
    "SEVERITY_LABELS",
    "STATUS_LABELS",
    "STATUS_ORDER",
    "TO_BE_ENTERED",
    "InputError",
    "ParamError",
    "assess",
    "assess_store",
    "find_risks",
    "risks_store",
]
