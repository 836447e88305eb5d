"""Flow-run heartbeats that stop the moment the flow's body ends.

Heartbeats tell a Prefect server that a run still lives: its automations mark a
run that stops beating as crashed. Prefect 3.8's sync flow engine sends them
(``prefect.flow-run.heartbeat`` events, every ``PREFECT_FLOWS_HEARTBEAT_FREQUENCY``
seconds, 180 by default) from a thread that sleeps in 1 s steps, and joins that
thread when the run ends: every run waits 0-1 s, ~0.6 s measured, for it.

So a ``corpus`` command turns the engine's heartbeats off for its run
(:func:`beats_from_the_body`) and, against a configured API, the flow's body
sends the same events as often (:func:`beating`), from a thread that waits on
an event and stops at once. Against the run's own server, which runs no
automations, none are sent. A run Prefect starts by itself (a served
deployment) keeps the engine's own: nothing asks the body to beat there.
"""

from __future__ import annotations

import contextvars
import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

LOG = logging.getLogger("corpus.flows")

# Seconds between the body's heartbeats, set by the command around its run; None: the body sends none.
_asked: contextvars.ContextVar[int | None] = contextvars.ContextVar("corpus_heartbeat_seconds", default=None)


def configured_seconds() -> int | None:
    """The heartbeat interval Prefect's settings give (None: heartbeats off), at Prefect's floor."""
    from prefect.flow_engine import MINIMUM_HEARTBEAT_INTERVAL
    from prefect.settings import get_current_settings

    seconds = get_current_settings().flows.heartbeat_frequency
    return None if seconds is None else max(int(seconds), MINIMUM_HEARTBEAT_INTERVAL)


@contextmanager
def beats_from_the_body(seconds: int | None) -> Iterator[None]:
    """Inside: the flow engine sends no heartbeats, and the flow's body sends them every ``seconds`` (None: none)."""
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    token = _asked.set(seconds)
    try:
        with temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
            yield
    finally:
        _asked.reset(token)


@contextmanager
def beating() -> Iterator[None]:
    """Around the flow's body: its run's heartbeats, the first at once, if the command asked for them."""
    from prefect.context import FlowRunContext

    seconds = _asked.get()
    context = FlowRunContext.get()
    if seconds is None or context is None or context.flow_run is None:
        yield
        return
    stop = threading.Event()
    send = heartbeat_sender(context.flow_run, context.flow)
    # The copied context carries the run's settings (its API) into the thread, as Prefect's own does.
    thread = threading.Thread(target=contextvars.copy_context().run, args=(beat, send, seconds, stop),
                              name="corpus-heartbeats", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=5)


def beat(send: Callable[[], Any], seconds: float, stop: threading.Event) -> None:
    """Call ``send`` now and every ``seconds`` until ``stop`` is set; a failed send is logged, not fatal."""
    while True:
        try:
            send()
        except Exception:  # a heartbeat is best effort, as in Prefect's engine
            LOG.debug("could not send a flow-run heartbeat", exc_info=True)
        if stop.wait(seconds):
            return


def heartbeat_sender(flow_run: Any, flow: Any) -> Callable[[], Any]:
    """What Prefect's engine emits as a flow run's heartbeat: its own event template (resource, related flow,
    deployment and tags), made by the engine's method from the run and its flow, so the events are the same."""
    from types import SimpleNamespace

    from prefect.events import emit_event
    from prefect.flow_engine import BaseFlowRunEngine

    resource, related = BaseFlowRunEngine._build_heartbeat_event_template(
        SimpleNamespace(flow_run=flow_run, flow=flow))  # type: ignore[arg-type]  # it reads these two only
    return lambda: emit_event(event="prefect.flow-run.heartbeat", resource=resource, related=related)
