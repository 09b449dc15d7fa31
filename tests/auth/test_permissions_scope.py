"""Scopes follow the unit tree: a reporter acts for its units and the units under them."""

from __future__ import annotations

from planmon import load_framework
from planmon.auth.permissions import PERMISSIONS, ROLES, allowed, may_act_for, units_in_scope


def test_scope_includes_the_units_below() -> None:
    fw = load_framework()
    national = units_in_scope("reporter", ["CN"], fw)
    assert national is not None
    # the nation and its 31 provinces (units.yaml: each province has parent CN), no department
    assert len(national) == 32 and "330000" in national and "CAC" not in national
    assert units_in_scope("reporter", ["330000"], fw) == {"330000"}
    assert may_act_for("reporter", ["CN"], "650000", fw)
    assert not may_act_for("reporter", ["330000"], "320000", fw)
    assert not may_act_for("reporter", [], "330000", fw)
    # only reporters are limited by unit
    for role in ("admin", "coordinator", "reviewer", "viewer"):
        assert units_in_scope(role, [], fw) is None and may_act_for(role, [], "330000", fw)


def test_permission_table_shape() -> None:
    assert set(ROLES) == {"admin", "coordinator", "reviewer", "reporter", "viewer"}
    assert all(roles <= set(ROLES) for roles in PERMISSIONS.values())
    assert allowed("admin", "users.manage") and not allowed("coordinator", "users.manage")
    assert not allowed("viewer", "submissions.read") and not allowed("reporter", "submissions.review")
    assert not allowed("admin", "no.such.permission")
