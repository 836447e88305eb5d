"""Flow-run heartbeats sent by the flow's body, stopped at once when it ends (flows.heartbeats)."""

import threading

import pytest

from flows import heartbeats


def test_a_beat_is_sent_at_once_and_the_loop_stops_when_asked_not_at_its_next_beat():
    sent = threading.Event()
    calls = []

    def send():
        calls.append(1)
        sent.set()

    stop = threading.Event()
    thread = threading.Thread(target=heartbeats.beat, args=(send, 3600, stop), daemon=True)
    thread.start()
    assert sent.wait(30)
    stop.set()
    thread.join(timeout=30)
    assert not thread.is_alive() and calls == [1]  # an hour's interval: it stopped on the event, not a sleep


def test_a_failed_send_does_not_end_the_beats():
    stop = threading.Event()
    calls = []

    def send():
        calls.append(1)
        if len(calls) == 3:
            stop.set()
        raise OSError("the API is away")

    heartbeats.beat(send, 0, stop)
    assert len(calls) == 3


def test_outside_a_flow_run_or_unasked_the_body_sends_nothing(monkeypatch):
    monkeypatch.setattr("prefect.events.emit_event", lambda **event: pytest.fail("sent a heartbeat"))
    with heartbeats.beating():
        pass
    with heartbeats.beats_from_the_body(60), heartbeats.beating():
        pass  # no flow run here


@pytest.mark.prefect
@pytest.mark.usefixtures("prefect_harness")
def test_a_run_asked_for_heartbeats_sends_them_from_its_body_and_the_engine_sends_none(monkeypatch, tmp_path):
    import prefect.events
    import prefect.flow_engine

    from flows.ingest import ingest

    body, engine = [], []
    monkeypatch.setattr(prefect.events, "emit_event", lambda **event: body.append(event))
    monkeypatch.setattr(prefect.flow_engine, "emit_event", lambda **event: engine.append(event))
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text("这是一个测试页面。\n", "utf-8")
    with heartbeats.beats_from_the_body(60):
        summary = ingest.with_options(task_runner=None)(raw_dir=str(raw), out_dir=str(tmp_path / "out"),
                                                         batch_id="beats")
    assert summary.records == 1
    beats = [e for e in body if e["event"] == "prefect.flow-run.heartbeat"]
    assert len(beats) == 1 and beats[0]["resource"]["prefect.resource.id"].startswith("prefect.flow-run.")
    assert [r["prefect.resource.role"] for r in beats[0]["related"]][:1] == ["flow"]
    assert not [e for e in engine if e["event"] == "prefect.flow-run.heartbeat"]
