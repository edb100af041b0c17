"""The channels tutorial's (docs/protocol.md §12) chat executor, written with pycolonies: register, assign one process, follow its `chat`
channel with subscribe_channel, answer every message from the other party with "You said: <text>" as a
reply (inreplyto = its sequence, own counter from 1), and close the process successfully on `end`.

Events: registered, assigned, received, replied, closed (then exit). Without `end` before the subscription
times out, the process is closed as failed and the peer reports an error.
"""

import argparse
import time

from interop_common import (
    assign_next,
    connect,
    emit,
    entry_json,
    entry_key,
    entry_text,
    follow_channel,
    id_of,
    register_executor,
    run,
    spec_json,
    unregister_executor,
)

CHANNEL = "chat"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--executor-type", required=True)
    ap.add_argument("--executor-name", required=True)
    ap.add_argument("--assign-timeout", type=int, default=90)
    ap.add_argument("--chat-timeout", type=int, default=120)
    opts = ap.parse_args()

    client = connect()
    prvkey = register_executor(client, opts.executor_type, opts.executor_name)
    me = id_of(prvkey)
    try:
        process = assign_next(client, prvkey, time.monotonic() + opts.assign_timeout)
        pid = process.processid
        emit("assigned", processid=pid, spec=spec_json(process))
        if CHANNEL not in process.spec.channels:
            client.fail(pid, [f'the echo executor needs a "{CHANNEL}" channel'], prvkey)
            raise RuntimeError(f"process {pid} has no {CHANNEL} channel")

        seen = set()
        state = {"seq": 0, "answered": 0, "ended": False}

        def on_entries(entries):
            for e in entries:
                k = entry_key(e)
                if k in seen or e.get("senderid") == me:
                    continue
                seen.add(k)
                emit("received", entry=entry_json(e))
                kind = e.get("type") or "data"
                if kind == "end":
                    state["ended"] = True
                    return False
                if kind == "data":
                    state["seq"] += 1
                    text = f"You said: {entry_text(e)}"
                    client.channel_append(pid, CHANNEL, state["seq"], text, prvkey, in_reply_to=e["sequence"])
                    state["answered"] += 1
                    emit("replied", sequence=state["seq"], inreplyto=e["sequence"], text=text)
            return True

        follow_channel(client, pid, CHANNEL, prvkey, on_entries, opts.chat_timeout)
        if not state["ended"]:
            client.fail(pid, [f"no end message within {opts.chat_timeout} s"], prvkey)
            raise TimeoutError(f"no end message within {opts.chat_timeout} s")

        n = state["answered"]
        output = [f"Chat ended after {n} message{'' if n == 1 else 's'}"]
        client.close(pid, output, prvkey)
        emit("closed", processid=pid, output=output)
    finally:
        unregister_executor(client, opts.executor_name)


if __name__ == "__main__":
    run(main, 300)
