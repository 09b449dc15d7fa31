"""Evaluations of a plan: the final (总结评估) and the mid-term (中期评估) evaluation."""

from planmon.evaluate.final import Evaluation, evaluate, evaluate_final, evaluate_midterm

__all__ = ["Evaluation", "evaluate", "evaluate_final", "evaluate_midterm"]
