"""The methodology appendix, generated from what was actually used (spec, scheme, map, data).

Why generated: a hand-written appendix drifts from the code. Why prose: the reader of a
published report wants to know what was done in words (a short table of the choices of
each step); the full spec, key by key, is in the workbook (sheet 评估设定 / spec), where
an analyst can re-run it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from planmon.demo import DEMO_SEED

if TYPE_CHECKING:
    from planmon.report.regional import Regional


@dataclass(frozen=True)
class MethodNote:
    """One heading of the methodology appendix and its paragraphs."""

    title: str
    lines: list[str]
    rows: list[tuple[str, str]] = field(default_factory=list)  # a short table of choices in words


def _flatten(d: Any, prefix: str = "") -> list[str]:
    if isinstance(d, dict):
        out: list[str] = []
        for k in sorted(d, key=str):
            out += _flatten(d[k], f"{prefix}{k}.")
        return out
    if isinstance(d, list) and d and all(isinstance(x, dict) for x in d):
        out = []
        for i, x in enumerate(d):
            out += _flatten(x, f"{prefix}{i}.")
        return out
    return [f"{prefix.rstrip('.')}: {d}"]


_WORDS: dict[str, tuple[str, str]] = {
    "mean": ("同一指标其他地区的均值", "the indicator's mean over the other regions"),
    "median": ("同一指标其他地区的中位数", "the indicator's median over the other regions"),
    "none": ("不补", "none"), "meta": ("按指标框架中声明的权重", "the weights declared in the framework"),
    "equal": ("等权", "equal weights"), "arithmetic": ("算术平均", "arithmetic mean"),
    "geometric": ("几何平均", "geometric mean"), "harmonic": ("调和平均", "harmonic mean"),
    "zscore": ("z 分数", "z-scores"), "rank": ("名次", "ranks"), "entropy": ("熵权法", "entropy weights"),
    "pca": ("主成分分析权重", "principal-component weights"), "ahp": ("层次分析法", "analytic hierarchy process"),
    "winsorise": ("缩尾", "winsorising"), "log_ct": ("对数变换", "a log transform"),
}


def _word(code: Any, en: bool) -> str:
    pair = _WORDS.get(str(code))
    return (pair[1] if en else pair[0]) if pair else str(code)


def choices(spec: dict[str, Any], lang: str) -> list[tuple[str, str]]:
    """Each step of the index and its choice, in words (the full spec goes to the workbook)."""
    en = lang == "en"
    rows: list[tuple[str, str]] = []

    def t(zh: str, e: str) -> str:
        return e if en else zh

    if "denominate" in spec:
        rows.append((t("换算为相对值", "Intensive forms"),
                     t("总量指标除以人口、户数等分母后再比较", "counts divided by population, households etc. before comparison")))
    if "impute" in spec:
        rows.append((t("缺失值", "Missing values"), _word(spec["impute"].get("method"), en)))
    if "treat" in spec:
        tr = spec["treat"]
        if tr.get("method") == "winsorise":
            rows.append((t("异常值", "Outliers"), t(
                f"偏度绝对值大于 {tr.get('skew')} 且峰度大于 {tr.get('kurtosis')} 时缩尾（最多 {tr.get('winmax')} 个值），"
                f"仍不满足则{_word(tr.get('fallback'), en)}",
                f"winsorise up to {tr.get('winmax')} values when |skewness| > {tr.get('skew')} and kurtosis > "
                f"{tr.get('kurtosis')}; otherwise {_word(tr.get('fallback'), en)}")))
        else:
            rows.append((t("异常值", "Outliers"), _word(tr.get("method"), en)))
    if "normalise" in spec:
        nm = spec["normalise"]
        if nm.get("method") == "minmax":
            lo, hi = (nm.get("range") or [0, 100])[:2]
            rows.append((t("标准化", "Scale"), t(f"最小-最大法，换算到 {lo}–{hi}", f"min–max, to {lo}–{hi}")))
        else:
            rows.append((t("标准化", "Scale"), _word(nm.get("method"), en)))
    if "weights" in spec:
        rows.append((t("权重", "Weights"), _word(spec["weights"].get("method"), en)))
    if "aggregate" in spec:
        rows.append((t("汇总", "Aggregation"), _word(spec["aggregate"].get("method"), en)))
    unc = spec.get("uncertainty")
    if isinstance(unc, dict):
        alts = "、".join(_word(a, en) for a in unc.get("aggregate", [])) if not en else \
            ", ".join(_word(a, en) for a in unc.get("aggregate", []))
        rows.append((t("不确定性分析", "Uncertainty"), t(
            f"权重随机扰动；标准化与汇总方法在备选之间轮换（汇总：{alts}）",
            f"weights perturbed at random; normalisation and aggregation alternated (aggregation: {alts})")))
    return rows


def methodology(lang: str, spec: dict[str, Any], regional: Regional, monitored: bool,
                has_boundary: bool, illustrative: bool) -> list[MethodNote]:
    en = lang == "en"

    def t(zh: str, e: str) -> str:
        return e if en else zh

    notes = [
        MethodNote(t("数据", "Data"), [
            t("全国数值为内置的公开报道值，每个数值的来源见数据附录；部分年份数值为年中数（标注为部分年度）。",
              "National values are the built-in published figures; the data appendix gives each value's source. "
              "Mid-year values are marked as partial-year."),
            t("省级数值取报告期之前最近一个完整年度的已审核数据。",
              "Provincial values are the accepted values of the latest full year up to the as-of period."),
        ]),
        MethodNote(t("目标轨迹", "Target trajectory"), [
            t("每项指标的目标轨迹按规划的基期值与目标值插值：线性指标等差、复合增长指标等比，或按规划给出的中间点。",
              "Each indicator's trajectory interpolates between the plan's baseline and target: linearly, at a "
              "constant growth rate (compound), or through the plan's own intermediate points."),
        ]),
    ]
    notes.append(MethodNote(t("地区目标口径", "Targets of the regions"), [
        t("规划目标为全国目标。各地区依次采用：上级分解目标；本级规划目标；没有本地区目标时，比率类指标（普及率、占比、"
          "人均值、指数）对标全国目标，总量类指标按全国目标增速推算（本地区基期值×（全国目标/全国基期值），首个数值晚于"
          "基期时按全国所需年均增速折算剩余年数）；个别指标不设地区目标，只看趋势。每行评估结果注明所用口径和目标值。",
          "The plan's targets are national. A region is assessed against, in order: a target decomposed to it; its own "
          "plan's target; without either, a rate (penetration, share, per capita, index) against the national target "
          "and a count at the national pace (its own baseline × national target / national baseline; from a later "
          "first value, the national required annual growth over the years left); a few indicators set no regional "
          "target (trend only). Every assessment row states the basis and the target used."),
        t("地区之间的比较（综合指数、排名、优势与短板、地图）采用强度口径：总量指标除以常住人口等分母（分母来自国家统计局，"
          "缺当年数据时用三年内最近年份），绝对值仍在表中列出。",
          "Comparisons between regions (composite index, rankings, strengths and weaknesses, maps) use intensive "
          "forms: a count divided by resident population or another denominator (NBS figures; the latest year within "
          "three when the year itself is missing); the absolute values stay in the tables."),
    ]))
    if monitored:
        notes.append(MethodNote(t("进度判定", "Progress status"), [
            t("各项指标的状态（提前实现、快于预期、符合预期、滞后）由监测模块按国家发展改革委中期评估口径计算。",
              "Each indicator's status (achieved, faster than expected, as expected, lagging) is computed by the "
              "monitoring module on the NDRC mid-term-evaluation scheme."),
        ]))
    else:
        notes.append(MethodNote(t("进度判定", "Progress status"), [
            t("监测模块未安装，本报告未给出指标状态判定。", "The monitoring module is not installed: no status is given."),
        ]))
    if regional.index is not None:
        lines = [
            t("综合指数按欧盟联合研究中心（JRC）综合指标手册的标准流程计算：补齐缺失值、处理异常值、把各指标换算到同一尺度、"
              "按权重逐级汇总为分项指数和总指数。下表列出每一步的选择；完整设定见 Excel 工作簿的“评估设定”工作表，可据此复算。",
              "The composite index follows the standard steps of the JRC handbook on composite indicators: fill missing "
              "values, treat outliers, bring the indicators to one scale, and aggregate them with weights into pillar "
              "scores and the overall index. The table lists the choice made at each step; the workbook's 'spec' sheet "
              "holds the full settings for a re-run."),
            t(f"排名区间：在 {regional.index.uncertainty_n} 次模拟中同时改变权重、标准化方法和汇总方法，取排名的 5%–95% 分位"
              "（随机种子固定，结果可重复）。区间越宽，名次越依赖方法选择。",
              f"Rank intervals: the 5th–95th percentile of the rank over {regional.index.uncertainty_n} simulations "
              "that vary the weights, the normalisation and the aggregation together (fixed seed, repeatable). "
              "A wide interval means the rank depends on the method."),
        ]
        notes.append(MethodNote(t("综合指数", "Composite index"), lines, choices(spec, lang)))
    else:
        notes.append(MethodNote(t("综合指数", "Composite index"), [
            t("评估模块未安装，本报告未计算综合指数；地区部分按单项指标展示。",
              "The evaluation module is not installed: no composite index; the regional part shows single indicators."),
        ]))
    if has_boundary:
        map_lines = [t("省级分布图使用本单位提供的经审核的边界文件，审图号见图注。",
                       "The province map uses the approved boundary file supplied by the office; "
                       "its approval number is in the caption.")]
    else:
        map_lines = [t("省级分布图为方格示意图：34个省级行政区各占一格，位置近似，不绘制边界。",
                       "The province map is a tile grid: each of the 34 provincial-level divisions is one cell at "
                       "its approximate place; no borders are drawn.")]
    notes.append(MethodNote(t("地图", "Map"), map_lines))
    if not illustrative:
        return notes
    notes.append(MethodNote(t("示意数据", "Illustrative data"), [
        t(f"演示用的省级数据由 planmon 按固定随机种子（{DEMO_SEED}）生成，埋设了一个滞后省份、一处序列断点和若干缺失值，"
          "不代表任何真实统计。",
          f"The demo's provincial data are generated by planmon with a fixed seed ({DEMO_SEED}), with a planted "
          "lagging province, a series break and missing values; they represent no real statistics."),
    ]))
    return notes
