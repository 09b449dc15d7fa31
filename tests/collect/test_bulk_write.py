"""store.observations.write_observation_frame: the bulk path keeps write_observations' semantics."""

from __future__ import annotations

import pandas as pd

from planmon.store import NewObservation, Store
from planmon.store.observations import write_observation_frame

FID = "cn-informatization-14fyp"


def test_bulk_path_matches_write_observations(any_store: Store) -> None:
    store = any_store
    rows = pd.DataFrame({
        "indicator": ["I01", "I01", "I02"], "unit": ["330000", "330000", "330000"], "period": ["2022", "2023", "2023"],
        "value": [0.53, 0.55, 60.1], "status": ["final", "preliminary", "final"], "source": ["a", "", "c"],
        "note": ["", "n", ""], "reason": ["", "", "why"],
    })
    with store.engine.begin() as conn:
        r1 = write_observation_frame(conn, FID, rows, "t1")
    assert (r1.added, r1.revised, r1.unchanged) == (3, 0, 0)
    with store.engine.begin() as conn:
        r2 = write_observation_frame(conn, FID, rows, "t1")
    assert (r2.added, r2.revised, r2.unchanged) == (0, 0, 3)
    changed = rows.assign(value=[0.53, 0.56, 60.1], reason=["", "corrected", ""])
    with store.engine.begin() as conn:
        r3 = write_observation_frame(conn, FID, changed, "t2")
    assert (r3.added, r3.revised, r3.unchanged) == (0, 1, 2)
    hist = store.history("I01", "330000").to_dict("records")
    assert [(h["period"], h["revision"], h["value"], h["status"], h["note"], h["created_by"], h["reason"]) for h in hist] == [
        ("2022", 1, 0.53, "final", "", "t1", ""),
        ("2023", 1, 0.55, "preliminary", "n", "t1", ""),
        ("2023", 2, 0.56, "preliminary", "n", "t2", "corrected"),
    ]
    assert store.history("I02", "330000")["reason"].iloc[0] == "why"
    # the row-by-row path agrees: the same value adds nothing, a new one is revision 3
    w = store.write_observations([NewObservation("I01", "330000", "2023", 0.56, status="preliminary", note="n")], "t3")
    assert (w.added, w.revised, w.unchanged) == (0, 0, 1)
    ev = store.audit_events(entity="observations")[0]
    assert ev["actor"] == "t2" and ev["before"] == {"values": {"I01/330000/2023": 0.55}}
    assert ev["after"]["values"] == {"I01/330000/2023": 0.56}
