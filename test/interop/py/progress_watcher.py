"""The channels tutorial's (docs/protocol.md §12) progress monitor, written with pycolonies: submit a spec with a `progress` channel, follow it
with subscribe_channel until an entry typed `end`, wait for the process to succeed, and read its log.

Events: submitted, entry (one per channel entry), finished, logs (then exit).
"""

import argparse

from pycolonies import func_spec
from interop_common import colony_name, connect, emit, entry_json, entry_key, follow_channel, wait_finished, run, spec_json, user_key

CHANNEL = "progress"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--executor-type", required=True)
    ap.add_argument("--stream-timeout", type=int, default=90)
    ap.add_argument("--finish-timeout", type=int, default=60)
    opts = ap.parse_args()

    client = connect()
    prvkey = user_key()
    spec = func_spec("long", [], colony_name(), opts.executor_type, maxexectime=300, maxwaittime=120)
    spec.channels = [CHANNEL]
    process = client.submit_func_spec(spec, prvkey)
    pid = process.processid
    emit("submitted", processid=pid, spec=spec_json(process))

    seen = set()
    ended = []

    def on_progress(entries):
        for e in entries:
            k = entry_key(e)
            if k in seen:
                continue
            seen.add(k)
            emit("entry", entry=entry_json(e))
            if e.get("type") == "end":
                ended.append(e)
                return False
        return True

    # The submitter may subscribe before the process is assigned: channels exist from submit (docs/protocol.md §6).
    follow_channel(client, pid, CHANNEL, prvkey, on_progress, opts.stream_timeout)
    if not ended:
        raise TimeoutError(f"no end entry within {opts.stream_timeout} s")

    done = wait_finished(client, pid, prvkey, opts.finish_timeout)
    emit("finished", processid=done.processid, state=done.state, output=done.output, errors=done.errors)

    logs = client.get_process_log(colony_name(), pid, 100, 0, prvkey) or []
    emit("logs", messages=[log.get("message") for log in logs])


if __name__ == "__main__":
    run(main, 240)
