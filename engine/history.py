"""Keeping a case's task tree small: pruning finished history that nothing can need again.

A loop in a diagram makes SpiffWorkflow's task tree one branch deeper per iteration. Left alone, the stored state
and the cost of every command grow with the case's history, and past about 1 000 levels SpiffWorkflow's task
iterator stops looking (its default ``max_depth``): the ready task is no longer found and the case stalls.

We remove only what cannot matter to the future:

* *interior* finished tasks of a finished chain: ``A → B → C`` where A, B and C are finished and B has one child:
  B goes, C hangs under A. The parent of every unfinished task is kept (tasks re-inherit their parent's data),
  and so are joins, splits and boundary-event splits, which SpiffWorkflow finds by walking the tree;
* finished side branches under a finished parent that hold no join or split, nor the host of a kept subprocess;
* finished subprocesses whose host task has finished too: their data is back with the caller. SpiffWorkflow keeps
  them all, walks them in every task query and stores them in every save (a loop around a subprocess, or the
  procedure's repeated feedback subprocess, would grow the state by one subprocess per round).

Everything a caseworker or auditor needs from the past is in the case events, not in this tree.
"""

from __future__ import annotations

from typing import Any

from SpiffWorkflow.bpmn.specs.control import BoundaryEventSplit
from SpiffWorkflow.bpmn.specs.mixins.unstructured_join import UnstructuredJoin
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.specs.Join import Join
from SpiffWorkflow.util.task import TaskState

# A subprocess's host task is kept while its subprocess is (see _protected), not for its type.
_STRUCTURAL = (Join, UnstructuredJoin, BoundaryEventSplit)


def prune(workflow: BpmnWorkflow) -> int:
    """Prune the top workflow and its subprocesses; returns the number of tasks removed."""
    removed = _drop_finished_subprocesses(workflow)
    removed += _prune_one(workflow, workflow)
    for subprocess in list(workflow.subprocesses.values()):
        removed += _prune_one(subprocess, workflow)
    return removed


def _drop_finished_subprocesses(top: BpmnWorkflow) -> int:
    removed = 0
    for host_id, subprocess in list(top.subprocesses.items()):
        if host_id not in top.subprocesses:  # went with the subprocess it was nested in
            continue
        host = subprocess.parent_workflow.tasks.get(host_id)
        if subprocess.completed and host is not None and host.state == TaskState.COMPLETED:
            removed += len(top.delete_subprocess(host))
    return removed


def _prune_one(workflow: Any, top: BpmnWorkflow) -> int:
    keep = _protected(workflow, top)
    removed = _drop_side_branches(workflow, keep)
    removed += _splice_chains(workflow, keep)
    return removed


def _protected(workflow: Any, top: BpmnWorkflow) -> set[Any]:
    """Tasks that must stay: the root, the last task, parents of unfinished tasks, subprocess hosts."""
    keep = {workflow.task_tree.id}
    if workflow.last_task is not None:
        keep.add(workflow.last_task.id)
    for task in workflow.tasks.values():
        if not _finished(task) and task.parent is not None:
            keep.add(task.parent.id)
        if task.id in top.subprocesses:
            keep.add(task.id)
    return keep


def _finished(task: Any) -> bool:
    return bool(task.has_state(TaskState.FINISHED_MASK))


def _structural(task: Any) -> bool:
    return isinstance(task.task_spec, _STRUCTURAL)


def _drop_side_branches(workflow: Any, keep: set[Any]) -> int:
    removed = 0
    for task in list(workflow.tasks.values()):
        if task.id not in workflow.tasks or not _finished(task) or len(task._children) < 2:
            continue
        for child in task.children[:-1]:  # the newest branch is the live one; older finished ones may go
            if _removable_subtree(child, keep):
                removed += _remove_subtree(workflow, task, child)
    return removed


def _removable_subtree(root: Any, keep: set[Any]) -> bool:
    stack = [root]
    while stack:
        task = stack.pop()
        if not _finished(task) or task.id in keep or _structural(task):
            return False
        stack.extend(task.children)
    return True


def _remove_subtree(workflow: Any, parent: Any, root: Any) -> int:
    parent._children.remove(root.id)
    stack, count = [root], 0
    while stack:
        task = stack.pop()
        stack.extend(task.children)
        del workflow.tasks[task.id]
        count += 1
    return count


def _splice_chains(workflow: Any, keep: set[Any]) -> int:
    removed = 0
    for task in list(workflow.tasks.values()):
        if _spliceable(task, keep):
            parent, child = task.parent, task.children[0]
            parent._children[parent._children.index(task.id)] = child.id
            child._parent = parent.id
            del workflow.tasks[task.id]
            removed += 1
    return removed


def _spliceable(task: Any, keep: set[Any]) -> bool:
    if task.id in keep or task.parent is None or len(task._children) != 1:
        return False
    if not (_finished(task) and _finished(task.parent)) or _structural(task):
        return False
    child = task.children[0]
    return child is not None and _finished(child)
