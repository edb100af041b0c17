"""The channels tutorial's (docs/protocol.md §12) progress streamer, written with pycolonies: register, assign one process, append
"Progress: N%" every 10 % to its `progress` channel (and as a log line), then "Complete!" typed `end`,
then close the process with ["Complete!"].

Events: registered, assigned, progress, closed (then exit).
"""

import argparse
import time

from interop_common import assign_next, connect, emit, register_executor, run, spec_json, unregister_executor

CHANNEL = "progress"
DONE = "Complete!"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--executor-type", required=True)
    ap.add_argument("--executor-name", required=True)
    ap.add_argument("--assign-timeout", type=int, default=90)
    ap.add_argument("--step-ms", type=int, default=20)
    opts = ap.parse_args()

    client = connect()
    prvkey = register_executor(client, opts.executor_type, opts.executor_name)
    try:
        process = assign_next(client, prvkey, time.monotonic() + opts.assign_timeout)
        pid = process.processid
        emit("assigned", processid=pid, spec=spec_json(process))
        if CHANNEL not in process.spec.channels:
            client.fail(pid, [f'the progress executor needs a "{CHANNEL}" channel'], prvkey)
            raise RuntimeError(f"process {pid} has no {CHANNEL} channel")

        seq = 0
        for pct in range(0, 101, 10):
            if pct > 0:
                time.sleep(opts.step_ms / 1000)  # the work being reported on
            seq += 1
            line = f"Progress: {pct}%"
            client.channel_append(pid, CHANNEL, seq, line, prvkey)
            client.add_log(pid, line, prvkey)
            emit("progress", sequence=seq, text=line)
        seq += 1
        client.channel_append(pid, CHANNEL, seq, DONE, prvkey, payload_type="end")
        client.close(pid, [DONE], prvkey)
        emit("closed", processid=pid, output=[DONE])
    finally:
        unregister_executor(client, opts.executor_name)


if __name__ == "__main__":
    run(main, 240)
