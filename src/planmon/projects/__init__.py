"""Projects (信息化项目) and the detection of duplicated construction (避免重复建设).

Public API::

    from planmon.projects import import_projects, similar_to, queue, decide
    import_projects(store, Path("projects.xlsx"), actor="office")   # all or nothing; queues candidates
    similar_to(store, "PRJ-001")                                      # likely duplicates with reasons
    decide(store, pair_id, "confirm", "两个平台功能重叠，市级停建", actor="office")
"""

from planmon.projects.model import Project
from planmon.projects.registry import ProjectImport, get_project, import_projects, similar_to, stored_projects
from planmon.projects.review import ReviewRefused, decide, duplicate_entries, queue
from planmon.projects.similar import THRESHOLD, Candidate, SimilarityIndex

__all__ = ["THRESHOLD", "Candidate", "Project", "ProjectImport", "ReviewRefused", "SimilarityIndex", "decide",
           "duplicate_entries", "get_project", "import_projects", "queue", "similar_to", "stored_projects"]
