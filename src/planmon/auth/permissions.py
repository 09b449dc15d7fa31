"""Who may do what: the one permission table of planmon (web pages, REST API and CLI share it).

A permission names an action; each maps to the roles allowed to take it. Scope is a
second, separate check: a *reporter* acts only for its own units and the units under
them (see :func:`units_in_scope`); every other role is not limited by unit.
"""

from __future__ import annotations

from collections.abc import Iterable

from planmon.framework import Framework

ROLES: tuple[str, ...] = ("admin", "coordinator", "reviewer", "reporter", "viewer")

ALL = frozenset(ROLES)
STAFF = frozenset({"admin", "coordinator"})
REVIEWERS = frozenset({"admin", "coordinator", "reviewer"})

#: permission → roles allowed. Change access here and nowhere else.
PERMISSIONS: dict[str, frozenset[str]] = {
    "dashboard.read": ALL,           # overview, indicator, region, plan tree pages and their API
    "observations.read": ALL,
    "observations.import": STAFF | {"reporter"},
    "submissions.read": REVIEWERS | {"reporter"},
    "submissions.submit": STAFF | {"reporter"},   # download template, upload, progress reports
    "submissions.review": REVIEWERS,              # accept, return
    "reports.read": ALL,
    "reports.generate": STAFF,
    "users.manage": frozenset({"admin"}),
    "targets.edit": STAFF,                        # targets per unit and comparison basis (issue 12)
    "account.self": ALL,                          # own token, own profile
    "pilots.read": ALL,                           # pilot programmes, pilots, the pilot map (issue 17)
    "pilots.manage": STAFF,                       # a pilot's state changes
    "projects.read": REVIEWERS,                   # the duplicate-review queue
    "projects.review": REVIEWERS,                 # confirm or dismiss a duplicate pair
    "qualitative.enter": STAFF,                   # the office's status of a qualitative target (issue 19)
}

#: roles that see unaccepted submissions of every unit (the rest only of their own units)
SEES_ALL_SUBMISSIONS = REVIEWERS
#: roles limited to their scope when acting for a unit
SCOPED_ROLES = frozenset({"reporter"})


def allowed(role: str, permission: str) -> bool:
    """Whether ``role`` may take ``permission`` (unknown permissions are refused)."""
    return role in PERMISSIONS.get(permission, frozenset())


def descendants(framework: Framework, roots: Iterable[str]) -> set[str]:
    """The given units and every unit under them in the framework's unit tree."""
    children: dict[str, list[str]] = {}
    for u in framework.units:
        if u.parent:
            children.setdefault(u.parent, []).append(u.id)
    out: set[str] = set()
    stack = list(roots)
    while stack:
        uid = stack.pop()
        if uid in out:
            continue
        out.add(uid)
        stack.extend(children.get(uid, []))
    return out


def units_in_scope(role: str, scopes: Iterable[str], framework: Framework) -> set[str] | None:
    """The units a user may act for; ``None`` means every unit (an unscoped role)."""
    if role not in SCOPED_ROLES:
        return None
    return descendants(framework, scopes)


def may_act_for(role: str, scopes: Iterable[str], unit: str, framework: Framework) -> bool:
    inscope = units_in_scope(role, scopes, framework)
    return inscope is None or unit in inscope
