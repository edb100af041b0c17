"""The channels tutorial's (docs/protocol.md §12) chat client, written with pycolonies: submit a spec with a `chat` channel, send each message,
wait for the executor's reply to it (subscribe_channel from the entries already consumed), read the whole
transcript, send `end`, and wait for the process to succeed.

Events: submitted, sent, reply, transcript, ended, finished (then exit).
"""

import argparse
import json

from pycolonies import func_spec
from interop_common import colony_name, connect, emit, entry_json, entry_key, follow_channel, wait_finished, id_of, run, spec_json, user_key

CHANNEL = "chat"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--executor-type", required=True)
    ap.add_argument("--messages", required=True, help="JSON list of texts")
    ap.add_argument("--reply-timeout", type=int, default=60)
    ap.add_argument("--finish-timeout", type=int, default=60)
    opts = ap.parse_args()
    messages = json.loads(opts.messages)

    client = connect()
    prvkey = user_key()
    me = id_of(prvkey)

    spec = func_spec("chat", [], colony_name(), opts.executor_type, maxexectime=300, maxwaittime=120)
    spec.channels = [CHANNEL]
    process = client.submit_func_spec(spec, prvkey)
    pid = process.processid
    emit("submitted", processid=pid, initiatorid=process.initiatorid, myid=me, state=process.state, spec=spec_json(process))

    seen = set()
    consumed = 0  # entries of the log already read: the next subscription's after_seq (an index, docs/protocol.md §6)
    for seq, text in enumerate(messages, start=1):
        client.channel_append(pid, CHANNEL, seq, text, prvkey)
        emit("sent", sequence=seq, text=text)
        got = []

        def on_entries(entries):
            nonlocal consumed
            for e in entries:
                k = entry_key(e)
                if k in seen:
                    continue
                seen.add(k)
                consumed += 1
                if e.get("senderid") != me and e.get("inreplyto") == seq:
                    got.append(e)
            return not got

        follow_channel(client, pid, CHANNEL, prvkey, on_entries, opts.reply_timeout, after_seq=consumed)
        if not got:
            raise TimeoutError(f"no reply to message {seq} within {opts.reply_timeout} s")
        emit("reply", to=seq, entry=entry_json(got[0]))

    entries = client.channel_read(pid, CHANNEL, 0, 0, prvkey)
    emit("transcript", entries=[entry_json(e) for e in entries])

    client.channel_append(pid, CHANNEL, len(messages) + 1, "", prvkey, payload_type="end")
    emit("ended", sequence=len(messages) + 1)

    done = wait_finished(client, pid, prvkey, opts.finish_timeout)
    emit("finished", processid=done.processid, state=done.state, output=done.output, errors=done.errors)


if __name__ == "__main__":
    run(main, 240)
